#include "server/demo_data.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "careers/internal/v1/demo_data.pb.h"
#include "db/embedded_files.h"
#include "google/protobuf/util/json_util.h"
#include "server/common/logging.h"
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

}  // namespace careers
