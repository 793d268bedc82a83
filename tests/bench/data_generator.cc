#include "tests/bench/data_generator.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "server/common/clock.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/domain/booking.h"
#include "server/domain/consents.h"
#include "server/domain/directory.h"
#include "server/domain/experiences.h"
#include "server/domain/paging.h"
#include "server/domain/profiles.h"
#include "server/store/access_log.h"
#include "server/store/booking_store.h"
#include "server/store/connection.h"
#include "server/store/consent_store.h"
#include "server/store/directory_store.h"
#include "server/store/experience_store.h"
#include "server/store/profile_store.h"
#include "server/store/skill_store.h"
#include "tests/bench/bench_data.h"

namespace careers::bench {
namespace {

using store::Connection;

// Experiences are cloned from the first profile's, whose ids are numbered
// up to this many.
constexpr int kMaxExperiencesPerProfile = 200;

// The twelve meta-skills of migration 0007, three to an experience.
constexpr const char* kSkills[] = {
    "sds-focusing",      "sds-integrity",     "sds-adapting",
    "sds-initiative",    "sds-communicating", "sds-feeling",
    "sds-collaborating", "sds-leading",       "sds-curiosity",
    "sds-creativity",    "sds-sense-making",  "sds-critical-thinking"};

// Does nothing: bench experiences never ask referees.
class NoReferees final : public domain::AttestationNotifier {
 public:
  void RefereeAsked(const v1::Attestation&, const v1::Experience&,
                    const std::string&) override {}
};

RequestContext Loader() {
  RequestContext ctx;
  ctx.principal.subject = "bench-data-loader";
  ctx.principal.role = auth::Role::kAdmin;
  ctx.visibility = {ProfileVisibility::Kind::kAll, ""};
  return ctx;
}

// OK if `s` is OK or says the thing already exists (a re-run).
absl::Status Created(const absl::Status& s) {
  return absl::IsAlreadyExists(s) ? absl::OkStatus() : s;
}

// The non-generated columns of `table`, in order.
std::vector<std::string> Columns(Connection& c, const std::string& table) {
  auto rs = c.Prepare(
                 "SELECT COLUMN_NAME FROM information_schema.COLUMNS "
                 "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? "
                 "AND EXTRA NOT LIKE '%GENERATED%' ORDER BY ORDINAL_POSITION")
                .Bind(table)
                .Query();
  std::vector<std::string> columns;
  while (rs->next()) columns.push_back(store::GetString(*rs, 1));
  return columns;
}

int64_t Count(Connection& c, const std::string& sql) {
  auto rs = c.Query(sql);
  return rs->next() ? static_cast<int64_t>(store::GetUint64(*rs, 1)) : 0;
}

// Copies the rows of `table` matching `template_where` (alias t) once for
// every n in [first, last] (alias s, column s.seq), replacing the columns in
// `overrides` with their SQL expressions. Batches of about `batch_rows`
// rows, `rows_per_n` of them for each n; each batch commits by itself.
absl::Status CloneRows(
    store::Database& db, const std::string& table,
    const std::string& template_where,
    const std::map<std::string, std::string>& overrides, int64_t first,
    int64_t last, int64_t rows_per_n, int batch_rows,
    const std::function<void(const std::string&)>& progress) {
  if (first > last) return absl::OkStatus();
  return db.WithConnection(absl::StrCat("cloning ", table), [&](Connection& c) {
    const std::vector<std::string> columns = Columns(c, table);
    std::vector<std::string> values;
    for (const std::string& column : columns) {
      auto it = overrides.find(column);
      values.push_back(it == overrides.end() ? absl::StrCat("t.", column)
                                             : it->second);
    }
    const int64_t step = std::max<int64_t>(1, batch_rows / rows_per_n);
    for (int64_t from = first; from <= last; from += step) {
      const int64_t to = std::min(last, from + step - 1);
      c.Execute(absl::StrCat(
          "INSERT INTO ", table, " (", absl::StrJoin(columns, ", "),
          ") SELECT ", absl::StrJoin(values, ", "), " FROM seq_", from, "_to_",
          to, " s JOIN ", table, " t ON ", template_where));
      progress(absl::StrCat(table, ": ", to, " of ", last));
    }
    return absl::OkStatus();
  });
}

// Each bench id is a fixed prefix and a zero-padded number, so this SQL
// gives the id of number s.seq.
std::string IdExpr(const std::string& prefix, int digits) {
  return absl::StrCat("CONCAT('", prefix, "', LPAD(s.seq, ", digits, ", '0'))");
}

}  // namespace

absl::StatusOr<GeneratorSummary> GenerateBenchData(
    store::Database& db, const GeneratorOptions& options,
    const std::function<void(const std::string&)>& progress) {
  if (options.profiles < 1 || options.advisers < 1 || options.weeks < 1 ||
      options.experiences_per_profile < 0 ||
      options.experiences_per_profile > kMaxExperiencesPerProfile) {
    return absl::InvalidArgumentError(
        absl::StrCat("profiles and advisers must be at least 1, weeks at "
                     "least 1, experiences per profile 0 to ",
                     kMaxExperiencesPerProfile));
  }
  SystemClock clock;
  PageTokenCodec page_tokens("bench-data-generator-page-token-key",
                             absl::Hours(1));
  store::ProfileStore profile_store(db);
  store::DirectoryStore directory_store(db);
  store::ConsentStore consent_store(db, clock);
  store::BookingStore booking_store(db);
  store::SkillStore skill_store(db);
  store::ExperienceStore experience_store(db);
  NoReferees referees;
  domain::Directory directory(directory_store, clock, page_tokens);
  domain::Profiles profiles(profile_store, directory_store, clock, page_tokens);
  domain::Consents consents(consent_store, directory_store, clock, page_tokens);
  domain::Booking booking(booking_store, directory_store, clock, page_tokens);
  domain::Experiences experiences(experience_store, skill_store, profile_store,
                                  directory_store, referees, clock,
                                  page_tokens);
  const RequestContext ctx = Loader();
  GeneratorSummary summary;
  int64_t advisers_before = 0, profiles_before = 0, experiences_before = 0;
  CAREERS_RETURN_IF_ERROR(db.WithConnection("counting", [&](Connection& c) {
    advisers_before =
        Count(c, "SELECT COUNT(*) FROM advisers WHERE id LIKE 'bench-a%'");
    profiles_before =
        Count(c, "SELECT COUNT(*) FROM profiles WHERE id LIKE 'bench-p%'");
    experiences_before = Count(
        c, "SELECT COUNT(*) FROM experiences WHERE profile_id LIKE 'bench-p%'");
    return absl::OkStatus();
  }));

  // The organisation, its centre and the appointment type.
  {
    v1::CreateOrganisationRequest req;
    req.set_organisation_id(data::kOrganisationId);
    req.mutable_organisation()->set_display_name("Benchmark careers service");
    req.mutable_organisation()->set_kind(v1::Organisation::CAREERS_SERVICE);
    req.mutable_organisation()->set_region("Benchmark");
    CAREERS_RETURN_IF_ERROR(
        Created(directory.CreateOrganisation(ctx, req).status()));
  }
  {
    v1::CreateLocationRequest req;
    req.set_location_id(data::kLocationId);
    v1::Location& location = *req.mutable_location();
    location.set_organisation(data::OrganisationName());
    location.set_display_name("Benchmark careers centre");
    location.set_kind(v1::Location::CENTRE);
    location.set_time_zone(data::kTimeZone);
    location.mutable_address()->add_lines("1 Benchmark Street");
    location.mutable_address()->set_town("Edinburgh");
    location.mutable_address()->set_postcode("EH1 1AA");
    CAREERS_RETURN_IF_ERROR(
        Created(directory.CreateLocation(ctx, req).status()));
  }
  {
    v1::CreateAppointmentTypeRequest req;
    req.set_appointment_type_id(data::kAppointmentTypeId);
    v1::AppointmentType& type = *req.mutable_appointment_type();
    type.set_organisation(data::OrganisationName());
    type.set_display_name("Benchmark careers interview");
    type.set_duration_minutes(30);
    type.set_booking_horizon_days(options.weeks * 7 + 7);
    type.set_seats(1);
    type.add_channels(v1::Adviser::IN_PERSON);
    type.add_channels(v1::Adviser::VIDEO);
    CAREERS_RETURN_IF_ERROR(
        Created(booking.CreateAppointmentType(ctx, req).status()));
  }

  // Adviser 1 with weekday hours, through the domain.
  {
    v1::CreateAdviserRequest req;
    req.set_adviser_id(data::AdviserId(1));
    v1::Adviser& adviser = *req.mutable_adviser();
    adviser.set_organisation(data::OrganisationName());
    adviser.set_display_name("Bench Adviser 0001");
    adviser.add_language_codes("en");
    adviser.add_channels(v1::Adviser::IN_PERSON);
    adviser.add_channels(v1::Adviser::VIDEO);
    adviser.set_subject(data::AdviserSubject(1));
    adviser.set_email("adviser-0001@bench.example");
    CAREERS_RETURN_IF_ERROR(
        Created(directory.CreateAdviser(ctx, req).status()));

    v1::ListAvailabilityRulesRequest list;
    list.set_parent(absl::StrCat("advisers/", data::AdviserId(1)));
    CAREERS_ASSIGN_OR_RETURN(v1::ListAvailabilityRulesResponse existing,
                             booking.ListAvailabilityRules(ctx, list));
    if (existing.availability_rules_size() == 0) {
      v1::CreateAvailabilityRuleRequest rule_req;
      rule_req.set_parent(list.parent());
      v1::AvailabilityRule& rule = *rule_req.mutable_availability_rule();
      rule.set_kind(v1::AvailabilityRule::WEEKLY);
      for (auto d :
           {google::type::DayOfWeek::MONDAY, google::type::DayOfWeek::TUESDAY,
            google::type::DayOfWeek::WEDNESDAY,
            google::type::DayOfWeek::THURSDAY,
            google::type::DayOfWeek::FRIDAY}) {
        rule.add_days(d);
      }
      rule.mutable_start_time()->set_hours(9);
      rule.mutable_end_time()->set_hours(17);
      rule.set_time_zone(data::kTimeZone);
      *rule.mutable_valid_from() = FromCivilDay(options.today);
      *rule.mutable_valid_to() =
          FromCivilDay(options.today + options.weeks * 7 - 1);
      rule.set_location(absl::StrCat("locations/", data::kLocationId));
      rule.add_appointment_types(data::AppointmentTypeName());
      rule.set_description("Benchmark weekday hours");
      CAREERS_RETURN_IF_ERROR(
          booking.CreateAvailabilityRule(ctx, rule_req).status());
    }
  }

  // Profile 1, shared with the organisation, with its experiences.
  const std::string first = data::ProfileId(1);
  {
    v1::CreateProfileRequest req;
    req.set_profile_id(first);
    v1::Profile& p = *req.mutable_profile();
    p.set_given_name("Bench");
    p.set_family_name("Person");
    p.mutable_birth_date()->set_year(2010);
    p.mutable_birth_date()->set_month(5);
    p.mutable_birth_date()->set_day(17);
    p.mutable_contact()->set_email("person@bench.example");
    p.mutable_contact()->set_phone("07700 900000");
    p.set_preferred_language_code("en");
    p.set_life_stage(v1::Profile::SCHOOL);
    p.set_school_stage("S4");
    p.set_support_level(v1::Profile::UNIVERSAL);
    p.add_career_interests("engineering");
    p.add_career_interests("renewable energy");
    CAREERS_RETURN_IF_ERROR(Created(profiles.CreateProfile(ctx, req).status()));

    RequestContext self = ctx;
    self.principal = auth::Principal{};
    self.principal.subject = data::PersonSubject(1);
    self.principal.role = auth::Role::kPerson;
    self.principal.profile = absl::StrCat("profiles/", first);
    v1::CreateConsentRequest consent;
    consent.set_parent(self.principal.profile);
    consent.mutable_consent()->set_purpose(
        v1::Consent::SHARE_WITH_ORGANISATION);
    consent.mutable_consent()->set_organisation(data::OrganisationName());
    CAREERS_RETURN_IF_ERROR(
        Created(consents.CreateConsent(self, consent).status()));

    int64_t have = 0;
    CAREERS_RETURN_IF_ERROR(db.WithConnection("counting", [&](Connection& c) {
      have = Count(c, absl::StrCat("SELECT COUNT(*) FROM experiences WHERE "
                                   "profile_id = '",
                                   first, "'"));
      return absl::OkStatus();
    }));
    for (int e = static_cast<int>(have) + 1;
         e <= std::max(1, options.experiences_per_profile); ++e) {
      RequestContext ectx = self;
      v1::CreateExperienceRequest exp;
      exp.set_parent(self.principal.profile);
      v1::Experience& x = *exp.mutable_experience();
      x.set_kind(e % 2 == 0 ? v1::VOLUNTEERING : v1::WORK_EXPERIENCE);
      x.set_title(absl::StrCat("Bench experience ", e));
      x.set_organisation_name("Benchmark Energy Ltd");
      x.mutable_start_date()->set_year(2024);
      x.mutable_start_date()->set_month(1 + e % 12);
      x.mutable_start_date()->set_day(1 + e % 28);
      x.set_hours(10 + e % 30);
      x.set_reflection(
          "I helped the team plan the week and kept a log of what I learnt.");
      for (int k = 0; k < 3; ++k) {
        v1::SkillClaim& claim = *x.add_skills();
        claim.set_skill(absl::StrCat("skills/", kSkills[(e + k * 4) % 12]));
        claim.set_level(1 + (e + k) % 4);
      }
      // Experience ids are chosen by the server; give them bench ids after.
      CAREERS_ASSIGN_OR_RETURN(v1::Experience made,
                               experiences.CreateExperience(ectx, exp));
      const std::string made_id =
          made.name().substr(made.name().rfind('/') + 1);
      CAREERS_RETURN_IF_ERROR(db.Transact(
          "naming an experience", absl::InfiniteFuture(), [&](Connection& c) {
            // The child rows follow their parent's new id.
            c.Execute("SET FOREIGN_KEY_CHECKS = 0");
            c.Prepare(
                 "UPDATE experience_skills SET experience_id = ? WHERE "
                 "profile_id = ? AND experience_id = ?")
                .Bind(data::ExperienceId(e))
                .Bind(first)
                .Bind(made_id)
                .Execute();
            c.Prepare(
                 "UPDATE experiences SET id = ? WHERE profile_id = ? AND id = "
                 "?")
                .Bind(data::ExperienceId(e))
                .Bind(first)
                .Bind(made_id)
                .Execute();
            c.Execute("SET FOREIGN_KEY_CHECKS = 1");
            return absl::OkStatus();
          }));
    }
  }

  // Rows from 2 on are copies of row 1, made above if it was missing.
  const int64_t advisers_from = std::max<int64_t>(advisers_before, 1) + 1;
  const int64_t profiles_from = std::max<int64_t>(profiles_before, 1) + 1;

  // Advisers 2..n and their hours, copied from adviser 1.
  const std::string adviser_id = IdExpr("bench-a", 4);
  const std::string first_adviser =
      absl::StrCat("t.id = '", data::AdviserId(1), "'");
  CAREERS_RETURN_IF_ERROR(CloneRows(
      db, "advisers", first_adviser,
      {{"id", adviser_id},
       {"subject", IdExpr("bench-adviser-", 4)},
       {"email", absl::StrCat("CONCAT('adviser-', LPAD(s.seq, 4, '0'), "
                              "'@bench.example')")},
       {"display_name", "CONCAT('Bench Adviser ', LPAD(s.seq, 4, '0'))"}},
      advisers_from, options.advisers, 1, options.batch_rows, progress));
  CAREERS_RETURN_IF_ERROR(
      CloneRows(db, "availability_rules",
                absl::StrCat("t.adviser_id = '", data::AdviserId(1), "'"),
                {{"adviser_id", adviser_id}}, advisers_from, options.advisers,
                1, options.batch_rows, progress));

  // Profiles 2..n, their consent and their experiences, copied from
  // profile 1's.
  const std::string profile_id = IdExpr("bench-p", 7);
  const std::string first_profile = absl::StrCat("t.id = '", first, "'");
  CAREERS_RETURN_IF_ERROR(CloneRows(
      db, "profiles", first_profile,
      {{"id", profile_id},
       // Names spread over the alphabet, so a name-ordered list is real work.
       {"given_name",
        "ELT(1 + s.seq % 8, 'Aisha', 'Callum', 'Cerys', 'Dylan', 'Eilidh', "
        "'Gregor', 'Morven', 'Rhys')"},
       {"family_name",
        "CONCAT(ELT(1 + (s.seq DIV 8) % 8, 'Campbell', 'Davies', 'Evans', "
        "'Hughes', 'MacDonald', 'MacLeod', 'Robertson', 'Smith'), '-', "
        "LPAD(s.seq, 7, '0'))"}},
      profiles_from, options.profiles, 1, options.batch_rows, progress));
  CAREERS_RETURN_IF_ERROR(CloneRows(
      db, "consents", absl::StrCat("t.profile_id = '", first, "'"),
      {{"profile_id", profile_id},
       {"granted_by_subject", IdExpr("bench-person-", 7)}},
      profiles_from, options.profiles, 1, options.batch_rows, progress));
  const int per = options.experiences_per_profile;
  if (per > 0) {
    const std::string template_experiences =
        absl::StrCat("t.profile_id = '", first, "' AND t.id <= '",
                     data::ExperienceId(per), "' AND t.id LIKE 'bench-e%'");
    CAREERS_RETURN_IF_ERROR(CloneRows(
        db, "experiences", template_experiences, {{"profile_id", profile_id}},
        profiles_from, options.profiles, per, options.batch_rows, progress));
    const std::string template_skills = absl::StrCat(
        "t.profile_id = '", first, "' AND t.experience_id <= '",
        data::ExperienceId(per), "' AND t.experience_id LIKE 'bench-e%'");
    CAREERS_RETURN_IF_ERROR(CloneRows(db, "experience_skills", template_skills,
                                      {{"profile_id", profile_id}},
                                      profiles_from, options.profiles, per * 3,
                                      options.batch_rows, progress));
  }

  CAREERS_RETURN_IF_ERROR(db.WithConnection("counting", [&](Connection& c) {
    // Fresh statistics for the optimiser after a bulk load.
    auto analysed = c.Query(
        "ANALYZE TABLE profiles, consents, advisers, availability_rules, "
        "experiences, experience_skills");
    while (analysed->next()) {
    }
    summary.advisers =
        Count(c, "SELECT COUNT(*) FROM advisers WHERE id LIKE 'bench-a%'");
    summary.profiles =
        Count(c, "SELECT COUNT(*) FROM profiles WHERE id LIKE 'bench-p%'");
    summary.experiences = Count(
        c, "SELECT COUNT(*) FROM experiences WHERE profile_id LIKE 'bench-p%'");
    return absl::OkStatus();
  }));
  summary.advisers_added = summary.advisers - advisers_before;
  summary.profiles_added = summary.profiles - profiles_before;
  summary.experiences_added = summary.experiences - experiences_before;
  return summary;
}

}  // namespace careers::bench
