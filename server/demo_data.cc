#include "server/demo_data.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "careers/internal/v1/demo_data.pb.h"
#include "db/embedded_files.h"
#include "google/protobuf/util/json_util.h"
#include "server/common/logging.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/store/migrator.h"

namespace careers {
namespace {

absl::string_view DemoFile(absl::string_view name) {
  for (const db::EmbeddedFile& f : db::DemoFiles()) {
    if (f.name == name) return f.content;
  }
  return {};
}

// Whether a profile has no goals and no actions yet.
absl::StatusOr<bool> PlanIsEmpty(const RequestContext& ctx,
                                 domain::Profiles& profiles,
                                 const std::string& name) {
  v1::ListGoalsRequest goals;
  goals.set_parent(name);
  goals.set_page_size(1);
  CAREERS_ASSIGN_OR_RETURN(v1::ListGoalsResponse some_goals,
                           profiles.ListGoals(ctx, goals));
  v1::ListActionsRequest actions;
  actions.set_parent(name);
  actions.set_page_size(1);
  CAREERS_ASSIGN_OR_RETURN(v1::ListActionsResponse some_actions,
                           profiles.ListActions(ctx, actions));
  return some_goals.goals_size() == 0 && some_actions.actions_size() == 0;
}

}  // namespace

// The person's consents and guardian links: one active grant per
// organisation and one active link per guardian, so "already exists" means
// done.
absl::Status LoadSharing(const internal::v1::DemoProfile& person,
                         const RequestContext& admin,
                         domain::Consents& consents) {
  const std::string name = absl::StrCat("profiles/", person.id());
  RequestContext self = admin;  // the person shares their own profile
  self.principal = auth::Principal{};
  self.principal.subject = person.id();
  self.principal.role = auth::Role::kPerson;
  self.principal.profile = name;
  for (const std::string& organisation : person.shared_with()) {
    v1::CreateConsentRequest req;
    req.set_parent(name);
    req.mutable_consent()->set_purpose(v1::Consent::SHARE_WITH_ORGANISATION);
    req.mutable_consent()->set_organisation(organisation);
    absl::Status s = consents.CreateConsent(self, req).status();
    if (!s.ok() && !absl::IsAlreadyExists(s)) return s;
  }
  for (const v1::GuardianLink& guardian : person.guardians()) {
    v1::CreateGuardianLinkRequest req;
    req.set_parent(name);
    *req.mutable_guardian_link() = guardian;
    absl::Status s = consents.CreateGuardianLink(admin, req).status();
    if (!s.ok() && !absl::IsAlreadyExists(s)) return s;
  }
  return absl::OkStatus();
}

absl::Status LoadDemoData(store::Database& db, domain::Profiles& profiles,
                          domain::Consents& consents) {
  CAREERS_RETURN_IF_ERROR(
      store::RunSqlScript(db, "demo directory.sql", DemoFile("directory.sql")));

  internal::v1::DemoData demo;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      std::string(DemoFile("profiles.json")), &demo);
  if (!parsed.ok()) {
    return absl::InternalError(
        absl::StrCat("db/demo/profiles.json: ", parsed.ToString()));
  }

  RequestContext ctx;
  ctx.deadline = absl::InfiniteFuture();
  ctx.principal.subject = "demo-data-loader";
  ctx.principal.role = auth::Role::kAdmin;
  ctx.visibility = {ProfileVisibility::Kind::kAll, ""};
  for (const internal::v1::DemoProfile& person : demo.profiles()) {
    const std::string name = absl::StrCat("profiles/", person.id());
    v1::CreateProfileRequest create;
    *create.mutable_profile() = person.profile();
    create.set_profile_id(person.id());
    create.set_request_id(absl::StrCat("load-", person.id()));
    const absl::StatusOr<v1::Profile> created =
        profiles.CreateProfile(ctx, create);
    if (!created.ok() && !absl::IsAlreadyExists(created.status())) {
      return created.status();
    }
    CAREERS_RETURN_IF_ERROR(LoadSharing(person, ctx, consents));
    // Request ids make a re-run within their 24 hours replay rather than
    // repeat. After that, a profile that exists keeps whatever plan it has:
    // the plan is only added while it is empty, so nothing is duplicated.
    if (absl::IsAlreadyExists(created.status())) {
      CAREERS_ASSIGN_OR_RETURN(bool empty, PlanIsEmpty(ctx, profiles, name));
      if (!empty) continue;
    }

    auto create_action = [&](v1::Action action, const std::string& goal,
                             const std::string& request_id) -> absl::Status {
      v1::CreateActionRequest req;
      req.set_parent(name);
      if (!goal.empty()) action.set_goal(goal);
      *req.mutable_action() = std::move(action);
      req.set_request_id(request_id);
      return profiles.CreateAction(ctx, req).status();
    };
    for (int g = 0; g < person.goals_size(); ++g) {
      v1::CreateGoalRequest req;
      req.set_parent(name);
      *req.mutable_goal() = person.goals(g).goal();
      req.set_request_id(absl::StrCat("load-", person.id(), "-goal-", g));
      CAREERS_ASSIGN_OR_RETURN(v1::Goal goal, profiles.CreateGoal(ctx, req));
      for (int a = 0; a < person.goals(g).actions_size(); ++a) {
        CAREERS_RETURN_IF_ERROR(create_action(
            person.goals(g).actions(a), goal.name(),
            absl::StrCat("load-", person.id(), "-goal-", g, "-action-", a)));
      }
    }
    for (int a = 0; a < person.actions_size(); ++a) {
      CAREERS_RETURN_IF_ERROR(
          create_action(person.actions(a), "",
                        absl::StrCat("load-", person.id(), "-action-", a)));
    }
  }
  spdlog::info("demo data: {} people and their action plans are in place",
               demo.profiles_size());
  return absl::OkStatus();
}

absl::Status LoadDemoBooking(domain::Booking& booking, absl::CivilDay today) {
  RequestContext ctx;
  ctx.deadline = absl::InfiniteFuture();
  ctx.principal.subject = "demo-data-loader";
  ctx.principal.role = auth::Role::kAdmin;
  struct DemoType {
    const char* id;
    const char* organisation;
    const char* name;
    int minutes;
    int seats;
  };
  for (const DemoType& t :
       {DemoType{"careers-interview", "sds", "Careers guidance interview", 45,
                 1},
        DemoType{"subject-choice-talk", "sds", "Subject choice talk (S3)", 60,
                 20},
        DemoType{"cyfweliad-gyrfa", "careers-wales",
                 "Cyfweliad gyrfa / Careers interview", 45, 1}}) {
    v1::CreateAppointmentTypeRequest req;
    req.set_appointment_type_id(t.id);
    v1::AppointmentType& type = *req.mutable_appointment_type();
    type.set_organisation(absl::StrCat("organisations/", t.organisation));
    type.set_display_name(t.name);
    type.set_duration_minutes(t.minutes);
    type.set_buffer_after_minutes(t.seats > 1 ? 0 : 15);
    type.set_minimum_notice_minutes(120);
    type.set_booking_horizon_days(56);
    type.set_seats(t.seats);
    type.add_channels(v1::Adviser::IN_PERSON);
    if (t.seats == 1) type.add_channels(v1::Adviser::VIDEO);
    if (t.seats > 1) {
      type.add_audience_life_stages(v1::Profile::SCHOOL);
      type.add_audience_school_stages("S3");
    } else {
      type.set_per_person_limit(1);
    }
    const absl::Status s = booking.CreateAppointmentType(ctx, req).status();
    if (!s.ok() && !absl::IsAlreadyExists(s)) return s;
  }
  struct DemoHours {
    const char* adviser;
    const char* location;
    std::vector<google::type::DayOfWeek> days;
    int from_hour, to_hour;
  };
  using google::type::DayOfWeek;
  for (const DemoHours& h :
       {DemoHours{"morag-campbell",
                  "leith-careers-centre",
                  {DayOfWeek::MONDAY, DayOfWeek::TUESDAY, DayOfWeek::WEDNESDAY,
                   DayOfWeek::THURSDAY, DayOfWeek::FRIDAY},
                  9,
                  13},
        DemoHours{"ewan-macleod",
                  "leith-careers-centre",
                  {DayOfWeek::TUESDAY, DayOfWeek::THURSDAY},
                  13,
                  17},
        DemoHours{"sian-hughes",
                  "cardiff-careers-centre",
                  {DayOfWeek::MONDAY, DayOfWeek::WEDNESDAY},
                  10,
                  16}}) {
    v1::ListAvailabilityRulesRequest list;
    list.set_parent(absl::StrCat("advisers/", h.adviser));
    CAREERS_ASSIGN_OR_RETURN(v1::ListAvailabilityRulesResponse existing,
                             booking.ListAvailabilityRules(ctx, list));
    if (existing.availability_rules_size() > 0) continue;
    v1::CreateAvailabilityRuleRequest req;
    req.set_parent(list.parent());
    v1::AvailabilityRule& rule = *req.mutable_availability_rule();
    rule.set_kind(v1::AvailabilityRule::WEEKLY);
    for (DayOfWeek d : h.days) rule.add_days(d);
    rule.mutable_start_time()->set_hours(h.from_hour);
    rule.mutable_end_time()->set_hours(h.to_hour);
    rule.set_time_zone("Europe/London");
    *rule.mutable_valid_from() = FromCivilDay(today);
    rule.set_location(absl::StrCat("locations/", h.location));
    rule.set_description("Demo weekly hours");
    CAREERS_RETURN_IF_ERROR(booking.CreateAvailabilityRule(ctx, req).status());
  }
  spdlog::info("demo data: appointment types and advisers' hours are in place");
  return absl::OkStatus();
}

}  // namespace careers
