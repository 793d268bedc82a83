// The experience log through the domain rules on the MariaDB store, with a
// clock the test controls: validation, voiding, the lifecycle through
// attestations, referee tokens (single use, expiry, only the hash stored),
// the per-profile rate limit, the skills summary against a hand-computed
// fixture, and the exports' wiring. The skills taxonomy is a fake
// SkillLookup over ids that migration 0007 seeds (the foreign key holds).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/common/crypto.h"
#include "server/common/ids.h"
#include "server/common/proto_time.h"
#include "server/domain/experiences.h"
#include "server/domain/profiles.h"
#include "server/domain/standard_methods.h"
#include "server/store/directory_store.h"
#include "server/store/experience_store.h"
#include "server/store/profile_store.h"
#include "tests/support/test_data.h"
#include "tests/support/test_database.h"

namespace careers::domain {
namespace {

using ::careers::testing::Date;
using ::careers::testing::TestDatabase;
using ::careers::testing::TestNow;
using ::careers::testing::ValidProfile;
using ::careers::testing::ViolatedFields;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using v1::Attestation;
using v1::Experience;

constexpr char kCommunicating[] = "skills/sds-communicating";
constexpr char kLeading[] = "skills/sds-leading";
constexpr char kFocusing[] = "skills/sds-focusing";

// The taxonomy as the experience log sees it: the 12 seeded meta-skills.
class FakeSkills final : public SkillLookup {
 public:
  FakeSkills() {
    for (const char* id :
         {"sds-focusing", "sds-integrity", "sds-adapting", "sds-initiative",
          "sds-communicating", "sds-feeling", "sds-collaborating",
          "sds-leading", "sds-curiosity", "sds-creativity", "sds-sense-making",
          "sds-critical-thinking"}) {
      v1::Skill skill;
      skill.set_name(absl::StrCat("skills/", id));
      skill.set_framework(v1::Skill::SDS_META_SKILLS);
      std::string label(id + 4);
      label[0] = absl::ascii_toupper(static_cast<unsigned char>(label[0]));
      v1::Skill::Label* en = skill.add_labels();
      en->set_language_code("en");
      en->set_text(label);
      skills_[id] = skill;
    }
  }
  absl::StatusOr<std::map<std::string, v1::Skill>> FindSkills(
      const RequestContext&, const std::vector<std::string>& ids) override {
    std::map<std::string, v1::Skill> found;
    for (const std::string& id : ids) {
      if (auto it = skills_.find(id); it != skills_.end())
        found[id] = it->second;
    }
    return found;
  }

 private:
  std::map<std::string, v1::Skill> skills_;
};

class CapturingNotifier final : public AttestationNotifier {
 public:
  struct Call {
    Attestation attestation;
    Experience experience;
    std::string token;
  };
  void RefereeAsked(const Attestation& attestation,
                    const Experience& experience,
                    const std::string& token) override {
    std::lock_guard<std::mutex> lock(mu_);
    calls_.push_back({attestation, experience, token});
  }
  std::vector<Call> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  std::string last_token() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_.empty() ? "" : calls_.back().token;
  }

 private:
  std::mutex mu_;
  std::vector<Call> calls_;
};

std::string Day(const google::type::Date& d) {
  return absl::StrCat(d.year(), "-", d.month(), "-", d.day());
}

class ExperienceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create();
    ASSERT_NE(test_db_, nullptr);
    test_db_->Exec(
        "INSERT INTO organisations (id, display_name, kind, create_time, "
        "update_time) VALUES ('school-a', 'School A', 'SCHOOL', "
        "UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))");
    test_db_->Exec(
        "INSERT INTO advisers (id, organisation_id, display_name, subject, "
        "language_codes, active, create_time, update_time) VALUES ('adv-1', "
        "'school-a', 'Morag', 'sub-adv-1', 'en', TRUE, UTC_TIMESTAMP(6), "
        "UTC_TIMESTAMP(6))");
    profile_store_ = std::make_unique<store::ProfileStore>(test_db_->db());
    directory_ = std::make_unique<store::DirectoryStore>(test_db_->db());
    store_ = std::make_unique<store::ExperienceStore>(test_db_->db());
    profiles_ = std::make_unique<Profiles>(*profile_store_, *directory_, clock_,
                                           tokens_);
    experiences_ =
        std::make_unique<Experiences>(*store_, skills_, *profile_store_,
                                      *directory_, notifier_, clock_, tokens_);
    NewProfile("p1");
  }

  RequestContext Admin() const {
    RequestContext ctx;
    ctx.deadline = absl::Now() + absl::Seconds(60);
    ctx.principal.subject = "operator";
    ctx.principal.role = auth::Role::kAdmin;
    ctx.method = "test";
    return ctx;
  }

  RequestContext Person(const std::string& profile_id = "p1") const {
    RequestContext ctx = Admin();
    ctx.principal.subject = absl::StrCat("person-", profile_id);
    ctx.principal.role = auth::Role::kPerson;
    ctx.principal.profile = absl::StrCat("profiles/", profile_id);
    return ctx;
  }

  RequestContext Adviser() const {
    RequestContext ctx = Admin();
    ctx.principal.subject = "sub-adv-1";
    ctx.principal.role = auth::Role::kAdviser;
    ctx.principal.organisation = "organisations/school-a";
    ctx.record_access = true;
    return ctx;
  }

  RequestContext RefereeService() const {
    RequestContext ctx = Admin();
    ctx.principal.subject = "referee-service";
    ctx.principal.role = auth::Role::kService;
    ctx.principal.scopes = {"attestations.referee"};
    ctx.record_access = true;
    return ctx;
  }

  void NewProfile(const std::string& id) {
    v1::CreateProfileRequest req;
    *req.mutable_profile() = ValidProfile();
    req.set_profile_id(id);
    absl::StatusOr<v1::Profile> p = profiles_->CreateProfile(Admin(), req);
    ASSERT_TRUE(p.ok()) << p.status();
  }

  static Experience Draft(const std::string& title, google::type::Date start,
                          std::optional<google::type::Date> end = std::nullopt,
                          double hours = 0,
                          std::vector<std::pair<std::string, int>> skills = {},
                          v1::ExperienceKind kind = v1::WORK_EXPERIENCE) {
    Experience e;
    e.set_kind(kind);
    e.set_title(title);
    e.set_organisation_name("Leith Garage");
    *e.mutable_start_date() = start;
    if (end) *e.mutable_end_date() = *end;
    e.set_hours(hours);
    e.set_reflection("I learned to talk to customers.\nAnd to be on time.");
    for (const auto& [skill, level] : skills) {
      v1::SkillClaim* claim = e.add_skills();
      claim->set_skill(skill);
      claim->set_level(level);
    }
    return e;
  }

  absl::StatusOr<Experience> Create(const Experience& e,
                                    const std::string& profile_id = "p1",
                                    std::optional<RequestContext> ctx = {}) {
    v1::CreateExperienceRequest req;
    req.set_parent(absl::StrCat("profiles/", profile_id));
    *req.mutable_experience() = e;
    return experiences_->CreateExperience(ctx ? *ctx : Person(profile_id), req);
  }

  Experience MustCreate(const Experience& e,
                        const std::string& profile_id = "p1") {
    absl::StatusOr<Experience> created = Create(e, profile_id);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Experience{});
  }

  absl::StatusOr<Experience> Get(const std::string& name) {
    v1::GetExperienceRequest req;
    req.set_name(name);
    return experiences_->GetExperience(Person(), req);
  }

  absl::StatusOr<Experience> Void(const std::string& name,
                                  const std::string& reason = "Logged twice") {
    v1::VoidExperienceRequest req;
    req.set_name(name);
    req.set_reason(reason);
    return experiences_->VoidExperience(Person(), req);
  }

  std::vector<std::string> ListTitles(const std::string& filter = "",
                                      int page_size = 0) {
    std::vector<std::string> titles;
    v1::ListExperiencesRequest req;
    req.set_parent("profiles/p1");
    req.set_filter(filter);
    req.set_page_size(page_size);
    do {
      absl::StatusOr<v1::ListExperiencesResponse> resp =
          experiences_->ListExperiences(Person(), req);
      EXPECT_TRUE(resp.ok()) << resp.status();
      if (!resp.ok()) break;
      for (const Experience& e : resp->experiences())
        titles.push_back(e.title());
      req.set_page_token(resp->next_page_token());
    } while (!req.page_token().empty());
    return titles;
  }

  absl::StatusOr<Attestation> AskReferee(const std::string& experience,
                                         const std::string& request_id = "") {
    v1::RequestAttestationRequest req;
    req.set_parent(experience);
    Attestation::Referee& r = *req.mutable_attestation()->mutable_referee();
    r.set_display_name("Jim Laing");
    r.set_email("jim@leith-garage.example");
    r.set_organisation_name("Leith Garage");
    req.set_request_id(request_id);
    return experiences_->RequestAttestation(Person(), req);
  }

  absl::StatusOr<Attestation> AskAdviser(
      const std::string& experience,
      const std::string& adviser = "advisers/adv-1") {
    v1::RequestAttestationRequest req;
    req.set_parent(experience);
    req.mutable_attestation()->set_adviser(adviser);
    return experiences_->RequestAttestation(Person(), req);
  }

  absl::StatusOr<Attestation> Decide(const RequestContext& ctx,
                                     const std::string& name,
                                     Attestation::State decision,
                                     const std::string& token = "",
                                     const std::string& comment = "") {
    v1::DecideAttestationRequest req;
    req.set_name(name);
    req.set_decision(decision);
    req.set_referee_token(token);
    req.set_comment(comment);
    return experiences_->DecideAttestation(ctx, req);
  }

  absl::StatusOr<Attestation> GetAttestation(const std::string& name) {
    v1::GetAttestationRequest req;
    req.set_name(name);
    return experiences_->GetAttestation(Person(), req);
  }

  absl::StatusOr<v1::SkillsSummary> Summary(
      const std::string& profile = "profiles/p1") {
    v1::GetSkillsSummaryRequest req;
    req.set_profile(profile);
    return experiences_->GetSkillsSummary(Person(), req);
  }

  absl::StatusOr<google::api::HttpBody> Export(
      v1::ExportSkillsRecordRequest::Format format) {
    v1::ExportSkillsRecordRequest req;
    req.set_profile("profiles/p1");
    req.set_format(format);
    return experiences_->ExportSkillsRecord(Person(), req);
  }

  FakeClock clock_{TestNow()};
  PageTokenCodec tokens_{std::string(32, 'k'), absl::Hours(1)};
  CapturingNotifier notifier_;
  FakeSkills skills_;
  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<store::ProfileStore> profile_store_;
  std::unique_ptr<store::DirectoryStore> directory_;
  std::unique_ptr<store::ExperienceStore> store_;
  std::unique_ptr<Profiles> profiles_;
  std::unique_ptr<Experiences> experiences_;
};

// ------------------------------------------------------------- validation

TEST_F(ExperienceTest, RefusesInvalidExperiencesNamingTheField) {
  struct Case {
    std::string what;
    std::function<void(Experience&)> edit;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"end before start",
       [](Experience& e) { *e.mutable_end_date() = Date(2026, 1, 31); },
       "experience.end_date"},
      {"negative hours", [](Experience& e) { e.set_hours(-1); },
       "experience.hours"},
      {"absurd hours", [](Experience& e) { e.set_hours(20000.25); },
       "experience.hours"},
      {"NaN hours",
       [](Experience& e) {
         e.set_hours(std::numeric_limits<double>::quiet_NaN());
       },
       "experience.hours"},
      {"infinite hours",
       [](Experience& e) {
         e.set_hours(std::numeric_limits<double>::infinity());
       },
       "experience.hours"},
      {"hours not in quarters", [](Experience& e) { e.set_hours(7.3); },
       "experience.hours"},
      {"oversized reflection",
       [](Experience& e) { e.set_reflection(std::string(5001, 'x')); },
       "experience.reflection"},
      {"unknown skill",
       [](Experience& e) {
         e.add_skills()->set_skill("skills/no-such-skill");
         e.mutable_skills(0)->set_level(2);
       },
       "experience.skills[0].skill"},
      {"duplicate skill",
       [](Experience& e) {
         for (int level : {1, 3}) {
           v1::SkillClaim* c = e.add_skills();
           c->set_skill(kLeading);
           c->set_level(level);
         }
       },
       "experience.skills[1].skill"},
      {"level out of range",
       [](Experience& e) {
         v1::SkillClaim* c = e.add_skills();
         c->set_skill(kLeading);
         c->set_level(5);
       },
       "experience.skills[0].level"},
      {"a person claiming an adviser's source",
       [](Experience& e) {
         v1::SkillClaim* c = e.add_skills();
         c->set_skill(kLeading);
         c->set_level(2);
         c->set_source(v1::ADVISER);
       },
       "experience.skills[0].source"},
      {"no kind",
       [](Experience& e) { e.set_kind(v1::EXPERIENCE_KIND_UNSPECIFIED); },
       "experience.kind"},
      {"empty title", [](Experience& e) { e.set_title("   "); },
       "experience.title"},
      {"no start date", [](Experience& e) { e.clear_start_date(); },
       "experience.start_date"},
      {"start more than a year ahead",
       [](Experience& e) {
         *e.mutable_start_date() = Date(2027, 11, 24);
         e.clear_end_date();
       },
       "experience.start_date"},
      {"evidence over http",
       [](Experience& e) {
         e.add_evidence()->set_uri("http://example.org/certificate.pdf");
       },
       "experience.evidence[0].uri"},
      {"evidence sha256 in upper case",
       [](Experience& e) {
         v1::Evidence* ev = e.add_evidence();
         ev->set_uri("https://example.org/certificate.pdf");
         ev->set_sha256(std::string(64, 'A'));
       },
       "experience.evidence[0].sha256"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Experience e =
        Draft("Work experience", Date(2026, 2, 2), Date(2026, 2, 6), 30, {});
    c.edit(e);
    absl::StatusOr<Experience> created = Create(e);
    ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument)
        << created.status();
    EXPECT_THAT(ViolatedFields(created.status()), Contains(c.field))
        << created.status();
  }
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM experiences"), "0");

  // The edges that are allowed.
  Experience ok = Draft("Edges", Date(2027, 11, 23), std::nullopt, 20000);
  ok.set_reflection(std::string(5000, 'x'));
  EXPECT_TRUE(Create(ok).ok());
  Experience quarters =
      Draft("Quarters", Date(2026, 1, 1), Date(2026, 1, 1), 7.75);
  EXPECT_TRUE(Create(quarters).ok());
}

TEST_F(ExperienceTest, UpdatesAreValidatedToo) {
  Experience e = MustCreate(Draft("Placement", Date(2026, 2, 2),
                                  Date(2026, 2, 6), 30, {{kLeading, 2}}));
  v1::UpdateExperienceRequest req;
  req.mutable_experience()->set_name(e.name());
  *req.mutable_experience()->mutable_end_date() = Date(2026, 1, 1);
  req.mutable_update_mask()->add_paths("end_date");
  absl::StatusOr<Experience> updated =
      experiences_->UpdateExperience(Person(), req);
  ASSERT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(updated.status()),
              ElementsAre("experience.end_date"));

  // Duplicate and unknown skills on update.
  req.mutable_update_mask()->set_paths(0, "skills");
  for (const char* skill : {kLeading, kLeading}) {
    v1::SkillClaim* c = req.mutable_experience()->add_skills();
    c->set_skill(skill);
    c->set_level(1);
  }
  updated = experiences_->UpdateExperience(Person(), req);
  EXPECT_THAT(ViolatedFields(updated.status()),
              ElementsAre("experience.skills[1].skill"));
  req.mutable_experience()->mutable_skills(1)->set_skill("skills/nope");
  updated = experiences_->UpdateExperience(Person(), req);
  EXPECT_THAT(ViolatedFields(updated.status()),
              ElementsAre("experience.skills[1].skill"));

  // A good update, with a stale etag refused.
  req.mutable_experience()->mutable_skills(1)->set_skill(kFocusing);
  req.mutable_experience()->set_etag("stale");
  EXPECT_EQ(experiences_->UpdateExperience(Person(), req).status().code(),
            absl::StatusCode::kAborted);
  req.mutable_experience()->set_etag(e.etag());
  updated = experiences_->UpdateExperience(Person(), req);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->skills_size(), 2);
  EXPECT_EQ(updated->skills(1).source(), v1::SELF);
  EXPECT_NE(updated->etag(), e.etag());
  EXPECT_EQ(test_db_->Query("SELECT GROUP_CONCAT(skill_id ORDER BY skill_id) "
                            "FROM experience_skills"),
            "sds-focusing,sds-leading");
}

TEST_F(ExperienceTest, SourcesFollowTheCaller) {
  // An adviser adding on the person's behalf: ADVISER by default, EMPLOYER
  // allowed, SELF refused.
  Experience draft = Draft("Placement", Date(2026, 2, 2), Date(2026, 2, 6), 30,
                           {{kLeading, 2}, {kFocusing, 3}});
  draft.mutable_skills(1)->set_source(v1::EMPLOYER);
  absl::StatusOr<Experience> created = Create(draft, "p1", Adviser());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->skills(0).source(), v1::ADVISER);
  EXPECT_EQ(created->skills(1).source(), v1::EMPLOYER);
  EXPECT_EQ(created->created_by().subject(), "sub-adv-1");
  EXPECT_EQ(created->created_by().role(), "adviser");
  draft.mutable_skills(1)->set_source(v1::SELF);
  EXPECT_THAT(ViolatedFields(Create(draft, "p1", Adviser()).status()),
              ElementsAre("experience.skills[1].source"));

  // The person edits the reflection and re-sends the adviser's claims as
  // they are: they keep their sources. A changed level becomes SELF.
  v1::UpdateExperienceRequest req;
  *req.mutable_experience() = *created;
  for (v1::SkillClaim& c : *req.mutable_experience()->mutable_skills()) {
    c.clear_source();
  }
  req.mutable_experience()->mutable_skills(1)->set_level(4);
  req.mutable_experience()->set_reflection("Now in my own words.");
  req.mutable_update_mask()->add_paths("reflection");
  req.mutable_update_mask()->add_paths("skills");
  absl::StatusOr<Experience> updated =
      experiences_->UpdateExperience(Person(), req);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->skills(0).source(), v1::ADVISER);
  EXPECT_EQ(updated->skills(1).source(), v1::SELF);
  EXPECT_EQ(updated->reflection(), "Now in my own words.");
  EXPECT_EQ(test_db_->Query("SELECT GROUP_CONCAT(CONCAT(skill_id, ':', level, "
                            "':', source) ORDER BY skill_id) FROM "
                            "experience_skills"),
            "sds-focusing:4:SELF,sds-leading:2:ADVISER");
}

// -------------------------------------------------- create, get and list

TEST_F(ExperienceTest, CreatesOnceGetsAndLists) {
  Experience draft = Draft("Placement", Date(2026, 2, 2), Date(2026, 2, 6), 30,
                           {{kLeading, 2}});
  v1::CreateExperienceRequest req;
  req.set_parent("profiles/p1");
  *req.mutable_experience() = draft;
  req.set_request_id("4a7c1e0e-1111-4222-8333-944455556666");
  absl::StatusOr<Experience> first =
      experiences_->CreateExperience(Person(), req);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Experience> retry =
      experiences_->CreateExperience(Person(), req);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM experiences"), "1");
  EXPECT_EQ(first->state(), Experience::SELF_DECLARED);
  EXPECT_EQ(first->created_by().subject(), "person-p1");
  EXPECT_EQ(first->skills(0).source(), v1::SELF);
  EXPECT_EQ(FromProtoTimestamp(first->create_time()), TestNow());

  absl::StatusOr<Experience> got = Get(first->name());
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(Get("profiles/p1/experiences/nope").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Create(draft, "nobody").status().code(),
            absl::StatusCode::kNotFound);

  // More, in an order that is not creation order.
  MustCreate(Draft("Volunteering", Date(2025, 6, 1), std::nullopt, 12,
                   {{kCommunicating, 1}}, v1::VOLUNTEERING));
  MustCreate(Draft("Saturday job", Date(2026, 9, 5), std::nullopt, 100,
                   {{kLeading, 1}, {kCommunicating, 2}}, v1::PART_TIME_JOB));
  MustCreate(Draft("Course", Date(2024, 8, 20), Date(2025, 6, 30), 40, {},
                   v1::COURSE));
  clock_.Advance(absl::Seconds(1));  // ids made later sort later
  MustCreate(Draft("Same day", Date(2026, 2, 2), Date(2026, 2, 2), 2));

  const std::vector<std::string> all = ListTitles("", 2);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0], "Saturday job");
  // The two of 2026-02-02 by id, descending: the later one first.
  EXPECT_EQ(all[1], "Same day");
  EXPECT_EQ(all[2], "Placement");
  EXPECT_EQ(all[3], "Volunteering");
  EXPECT_EQ(all[4], "Course");

  EXPECT_THAT(ListTitles("kind = VOLUNTEERING"), ElementsAre("Volunteering"));
  EXPECT_THAT(ListTitles("skill = \"skills/sds-leading\""),
              ElementsAre("Saturday job", "Placement"));
  EXPECT_THAT(ListTitles("skill = \"skills/sds-communicating\" AND kind = "
                         "PART_TIME_JOB"),
              ElementsAre("Saturday job"));
  v1::ListExperiencesRequest dated;
  dated.set_parent("profiles/p1");
  *dated.mutable_start_date_from() = Date(2025, 1, 1);
  *dated.mutable_start_date_to() = Date(2026, 2, 2);
  absl::StatusOr<v1::ListExperiencesResponse> in_range =
      experiences_->ListExperiences(Person(), dated);
  ASSERT_TRUE(in_range.ok()) << in_range.status();
  ASSERT_EQ(in_range->experiences_size(), 3);
  EXPECT_EQ(in_range->experiences(2).title(), "Volunteering");
  dated.set_filter("kind = SPACESHIP");
  EXPECT_THAT(
      ViolatedFields(experiences_->ListExperiences(Person(), dated).status()),
      ElementsAre("filter"));

  // A page token belongs to its query.
  v1::ListExperiencesRequest paged;
  paged.set_parent("profiles/p1");
  paged.set_page_size(1);
  absl::StatusOr<v1::ListExperiencesResponse> page =
      experiences_->ListExperiences(Person(), paged);
  ASSERT_TRUE(page.ok());
  paged.set_page_token(page->next_page_token());
  paged.set_filter("kind = COURSE");
  EXPECT_EQ(experiences_->ListExperiences(Person(), paged).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Reads are recorded by the API layer from what a call returns
// (tests/unit/access_reads_test.cc); writes by others go on the record in
// their own transaction.
TEST_F(ExperienceTest, WritesByOthersGoOnTheRecordInTheirTransaction) {
  ASSERT_TRUE(
      Create(Draft("By the adviser", Date(2026, 3, 3)), "p1", Adviser()).ok());
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM access_events WHERE "
                            "action = 'WRITE' AND resource LIKE "
                            "'profiles/p1/experiences/%'"),
            "1");
}

// Creating, changing and voiding are each one change record, in the
// write's own transaction; a refused write (stale etag) records none.
TEST_F(ExperienceTest, EachWriteIsOneChangeOfTheFeed) {
  auto changes = [&] {
    return test_db_->Query(
        "SELECT GROUP_CONCAT(CONCAT(kind, ' ', resource, ' [', field_paths, "
        "']') ORDER BY id SEPARATOR '|') FROM changes WHERE "
        "resource LIKE 'profiles/p1/experiences/%'");
  };
  Experience e = MustCreate(Draft("Counted placement", Date(2026, 2, 2)));
  EXPECT_EQ(changes(), absl::StrCat("CREATED ", e.name(), " []"));
  v1::VoidExperienceRequest stale;
  stale.set_name(e.name());
  stale.set_reason("x");
  stale.set_etag("stale");
  EXPECT_FALSE(experiences_->VoidExperience(Person(), stale).ok());
  EXPECT_EQ(changes(), absl::StrCat("CREATED ", e.name(), " []"));
  ASSERT_TRUE(Void(e.name()).ok());
  EXPECT_THAT(changes(), ::testing::StartsWith(absl::StrCat(
                             "CREATED ", e.name(), " []|VOIDED ", e.name(),
                             " [state,")));
}

// ---------------------------------------------------------------- voiding

TEST_F(ExperienceTest, VoidingKeepsHistoryAndLeavesSummariesAndExports) {
  Experience kept = MustCreate(Draft("Kept placement", Date(2026, 2, 2),
                                     Date(2026, 2, 6), 30, {{kLeading, 2}}));
  Experience gone =
      MustCreate(Draft("Duplicate placement", Date(2026, 3, 2),
                       Date(2026, 3, 6), 30, {{kLeading, 4}, {kFocusing, 1}}));
  EXPECT_EQ(Void(gone.name(), "").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Void(gone.name(), std::string(501, 'x')).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::VoidExperienceRequest stale;
  stale.set_name(gone.name());
  stale.set_reason("x");
  stale.set_etag("stale");
  EXPECT_EQ(experiences_->VoidExperience(Person(), stale).status().code(),
            absl::StatusCode::kAborted);

  clock_.Advance(absl::Hours(1));
  absl::StatusOr<Experience> voided = Void(gone.name(), "  Logged twice  ");
  ASSERT_TRUE(voided.ok()) << voided.status();
  EXPECT_EQ(voided->state(), Experience::VOIDED);
  EXPECT_EQ(voided->void_reason(), "Logged twice");
  EXPECT_EQ(FromProtoTimestamp(voided->void_time()),
            TestNow() + absl::Hours(1));
  EXPECT_EQ(voided->voided_by().subject(), "person-p1");
  EXPECT_EQ(Void(gone.name()).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // History: Get and List still show it.
  absl::StatusOr<Experience> got = Get(gone.name());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->state(), Experience::VOIDED);
  EXPECT_THAT(ListTitles(),
              ElementsAre("Duplicate placement", "Kept placement"));
  EXPECT_THAT(ListTitles("state = VOIDED"), ElementsAre("Duplicate placement"));
  EXPECT_THAT(ListTitles("state = SELF_DECLARED"),
              ElementsAre("Kept placement"));

  // It cannot be changed.
  v1::UpdateExperienceRequest update;
  update.mutable_experience()->set_name(gone.name());
  update.mutable_experience()->set_title("Changed");
  EXPECT_EQ(experiences_->UpdateExperience(Person(), update).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Summaries and exports leave it out.
  absl::StatusOr<v1::SkillsSummary> summary = Summary();
  ASSERT_TRUE(summary.ok()) << summary.status();
  ASSERT_EQ(summary->entries_size(), 1);
  EXPECT_EQ(summary->entries(0).skill(), kLeading);
  EXPECT_EQ(summary->entries(0).max_level(), 2);
  for (auto format : {v1::ExportSkillsRecordRequest::JSON_RESUME,
                      v1::ExportSkillsRecordRequest::XAPI}) {
    absl::StatusOr<google::api::HttpBody> body = Export(format);
    ASSERT_TRUE(body.ok()) << body.status();
    EXPECT_EQ(body->content_type(), "application/json");
    EXPECT_THAT(body->data(), HasSubstr("Kept placement"));
    EXPECT_THAT(body->data(), Not(HasSubstr("Duplicate placement")));
  }

  // Logging it again works.
  absl::StatusOr<Experience> again =
      Create(Draft("Duplicate placement", Date(2026, 3, 2), Date(2026, 3, 6),
                   30, {{kLeading, 4}}));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_NE(again->name(), gone.name());
  summary = Summary();
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->entries(0).experience_count(), 2);
  EXPECT_EQ(summary->entries(0).max_level(), 4);
}

TEST_F(ExperienceTest, ExportNeedsAFormat) {
  absl::StatusOr<google::api::HttpBody> body =
      Export(v1::ExportSkillsRecordRequest::FORMAT_UNSPECIFIED);
  EXPECT_THAT(ViolatedFields(body.status()), ElementsAre("format"));
}

// ---------------------------------------------------------- attestations

TEST_F(ExperienceTest, AdviserAttestationDecidedByTheAdviser) {
  Experience e = MustCreate(Draft("Placement", Date(2026, 2, 2),
                                  Date(2026, 2, 6), 30, {{kLeading, 2}}));
  EXPECT_THAT(ViolatedFields(AskAdviser(e.name(), "advisers/nobody").status()),
              ElementsAre("attestation.adviser"));
  v1::RequestAttestationRequest neither;
  neither.set_parent(e.name());
  EXPECT_THAT(ViolatedFields(
                  experiences_->RequestAttestation(Person(), neither).status()),
              ElementsAre("attestation"));

  absl::StatusOr<Attestation> asked = AskAdviser(e.name());
  ASSERT_TRUE(asked.ok()) << asked.status();
  EXPECT_EQ(asked->state(), Attestation::PENDING);
  EXPECT_FALSE(asked->has_expire_time());
  EXPECT_EQ(asked->requested_by().subject(), "person-p1");
  EXPECT_TRUE(notifier_.calls().empty());  // advisers see their queue
  EXPECT_EQ(Get(e.name())->state(), Experience::ATTESTATION_PENDING);

  // The access policy's look-up.
  absl::StatusOr<std::optional<std::string>> adviser =
      store_->AdviserOfAttestation(Admin(), "p1", LastSegment(e.name()),
                                   LastSegment(asked->name()));
  ASSERT_TRUE(adviser.ok());
  EXPECT_EQ(adviser->value_or("?"), "adv-1");
  EXPECT_FALSE(
      store_->AdviserOfAttestation(Admin(), "p1", LastSegment(e.name()), "nope")
          ->has_value());

  // While it is pending: no second request, no edits.
  EXPECT_EQ(AskAdviser(e.name()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  v1::UpdateExperienceRequest update;
  update.mutable_experience()->set_name(e.name());
  update.mutable_experience()->set_title("Changed");
  EXPECT_EQ(experiences_->UpdateExperience(Person(), update).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // An adviser's attestation takes no token.
  EXPECT_THAT(ViolatedFields(Decide(Adviser(), asked->name(),
                                    Attestation::VERIFIED, "some-token")
                                 .status()),
              ElementsAre("referee_token"));
  EXPECT_THAT(
      ViolatedFields(
          Decide(Adviser(), asked->name(), Attestation::EXPIRED).status()),
      ElementsAre("decision"));

  clock_.Advance(absl::Hours(2));
  absl::StatusOr<Attestation> decided =
      Decide(Adviser(), asked->name(), Attestation::REJECTED, "",
             "I did not supervise this placement.");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->state(), Attestation::REJECTED);
  EXPECT_EQ(decided->comment(), "I did not supervise this placement.");
  EXPECT_EQ(decided->decided_by().subject(), "sub-adv-1");
  EXPECT_EQ(FromProtoTimestamp(decided->decide_time()),
            TestNow() + absl::Hours(2));
  EXPECT_EQ(Get(e.name())->state(), Experience::REJECTED);
  EXPECT_EQ(
      Decide(Adviser(), asked->name(), Attestation::VERIFIED).status().code(),
      absl::StatusCode::kFailedPrecondition);

  // A rejected experience may be edited and asked about again.
  absl::StatusOr<Experience> edited =
      experiences_->UpdateExperience(Person(), update);
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_EQ(edited->state(), Experience::REJECTED);
  absl::StatusOr<Attestation> again = AskAdviser(e.name());
  ASSERT_TRUE(again.ok()) << again.status();
  absl::StatusOr<Attestation> verified =
      Decide(Adviser(), again->name(), Attestation::VERIFIED);
  ASSERT_TRUE(verified.ok()) << verified.status();
  absl::StatusOr<Experience> after = Get(e.name());
  EXPECT_EQ(after->state(), Experience::VERIFIED);
  EXPECT_EQ(after->verified_by(), again->name());

  // A verified experience cannot be changed or asked about; only voided.
  update.mutable_experience()->set_title("Changed again");
  absl::StatusOr<Experience> refused =
      experiences_->UpdateExperience(Person(), update);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("void"));
  EXPECT_EQ(AskAdviser(e.name()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Void(e.name()).status().code(), absl::StatusCode::kOk);

  // Both attestations, newest first.
  v1::ListAttestationsRequest list;
  list.set_parent(e.name());
  list.set_page_size(1);
  absl::StatusOr<v1::ListAttestationsResponse> page =
      experiences_->ListAttestations(Person(), list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->attestations_size(), 1);
  EXPECT_EQ(page->attestations(0).name(), again->name());
  list.set_page_token(page->next_page_token());
  page = experiences_->ListAttestations(Person(), list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->attestations_size(), 1);
  EXPECT_EQ(page->attestations(0).name(), asked->name());
  EXPECT_TRUE(page->next_page_token().empty());
}

TEST_F(ExperienceTest, RefereeTokensAreSingleUseAndOnlyTheirHashIsStored) {
  Experience e = MustCreate(Draft("Placement", Date(2026, 2, 2),
                                  Date(2026, 2, 6), 30, {{kLeading, 2}}));
  absl::StatusOr<Attestation> asked = AskReferee(e.name(), "req-1");
  ASSERT_TRUE(asked.ok()) << asked.status();
  EXPECT_EQ(FromProtoTimestamp(asked->expire_time()),
            TestNow() + absl::Hours(24 * 14));
  ASSERT_EQ(notifier_.calls().size(), 1u);
  const std::string token = notifier_.last_token();
  EXPECT_EQ(token.size(), 43u);  // 32 bytes, unpadded base64url
  EXPECT_EQ(notifier_.calls()[0].attestation.name(), asked->name());
  EXPECT_EQ(notifier_.calls()[0].experience.state(),
            Experience::ATTESTATION_PENDING);

  // A retry with the same request id: the same attestation, no new token.
  absl::StatusOr<Attestation> retry = AskReferee(e.name(), "req-1");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), asked->name());
  EXPECT_EQ(notifier_.calls().size(), 1u);

  // Only SHA-256 of the token is stored; the token is nowhere in the row.
  const std::string id = LastSegment(asked->name());
  EXPECT_EQ(test_db_->Query(absl::StrCat(
                "SELECT LOWER(HEX(token_hash)) FROM attestations WHERE id = '",
                id, "'")),
            HexEncode(Sha256(token)));
  EXPECT_EQ(test_db_->Query(absl::StrCat(
                "SELECT COUNT(*) FROM attestations WHERE LOCATE('", token,
                "', CONCAT_WS('|', profile_id, experience_id, id, "
                "IFNULL(adviser_id, ''), state, prior_state, details)) > 0 "
                "OR LOCATE(UNHEX(SHA2('",
                token, "', 256)), details) > 0")),
            "0");
  EXPECT_EQ(test_db_->Query(
                absl::StrCat("SELECT COUNT(*) FROM request_log WHERE LOCATE('",
                             token, "', response) > 0")),
            "0");
  Attestation stored;
  ASSERT_TRUE(stored.ParseFromString(test_db_->Query(
      absl::StrCat("SELECT details FROM attestations WHERE id = '", id, "'"))));
  EXPECT_THAT(stored.DebugString(), Not(HasSubstr(token)));
  EXPECT_EQ(stored.referee().email(), "jim@leith-garage.example");

  // Wrong, missing and misplaced tokens.
  std::string wrong = token;
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(
      Decide(RefereeService(), asked->name(), Attestation::VERIFIED, wrong)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      Decide(RefereeService(), absl::StrCat(e.name(), "/attestations/nope"),
             Attestation::VERIFIED, token)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(ViolatedFields(
                  Decide(RefereeService(), asked->name(), Attestation::VERIFIED)
                      .status()),
              ElementsAre("referee_token"));
  EXPECT_EQ(GetAttestation(asked->name())->state(), Attestation::PENDING);

  // The right token, once.
  absl::StatusOr<Attestation> decided =
      Decide(RefereeService(), asked->name(), Attestation::VERIFIED, token,
             "A great help in the workshop.");
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->state(), Attestation::VERIFIED);
  EXPECT_EQ(decided->decided_by().subject(), "referee-service");
  absl::StatusOr<Experience> verified = Get(e.name());
  EXPECT_EQ(verified->state(), Experience::VERIFIED);
  EXPECT_EQ(verified->verified_by(), asked->name());
  EXPECT_EQ(verified->skills(0).source(), v1::SELF);  // sources as they were
  EXPECT_EQ(
      Decide(RefereeService(), asked->name(), Attestation::REJECTED, token)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
  // A wrong token learns nothing about the decision.
  EXPECT_EQ(
      Decide(RefereeService(), asked->name(), Attestation::REJECTED, wrong)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetAttestation(asked->name())->state(), Attestation::VERIFIED);

  // The export names the attester of the verified experience.
  absl::StatusOr<google::api::HttpBody> xapi =
      Export(v1::ExportSkillsRecordRequest::XAPI);
  ASSERT_TRUE(xapi.ok()) << xapi.status();
  EXPECT_THAT(xapi->data(), HasSubstr("authority"));
  EXPECT_THAT(xapi->data(), HasSubstr("jim@leith-garage.example"));
}

TEST_F(ExperienceTest, RefereeLinksExpire) {
  Experience e = MustCreate(Draft("Placement", Date(2026, 2, 2),
                                  Date(2026, 2, 6), 30, {{kLeading, 2}}));
  absl::StatusOr<Attestation> asked = AskReferee(e.name());
  ASSERT_TRUE(asked.ok()) << asked.status();
  const std::string token = notifier_.last_token();

  clock_.Advance(absl::Hours(24 * 14) - absl::Seconds(1));
  EXPECT_EQ(GetAttestation(asked->name())->state(), Attestation::PENDING);
  clock_.Advance(absl::Seconds(2));
  absl::StatusOr<Attestation> late =
      Decide(RefereeService(), asked->name(), Attestation::VERIFIED, token);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition)
      << late.status();
  EXPECT_EQ(GetAttestation(asked->name())->state(), Attestation::EXPIRED);
  // The experience is back where it was, and may be asked about again.
  EXPECT_EQ(Get(e.name())->state(), Experience::SELF_DECLARED);
  EXPECT_EQ(
      Decide(RefereeService(), asked->name(), Attestation::VERIFIED, token)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);

  // The maintenance loop expires links nobody used.
  absl::StatusOr<Attestation> second = AskReferee(e.name());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*experiences_->ExpireAttestations(Admin()), 0);
  clock_.Advance(absl::Hours(24 * 15));
  EXPECT_EQ(*experiences_->ExpireAttestations(Admin()), 1);
  EXPECT_EQ(GetAttestation(second->name())->state(), Attestation::EXPIRED);
  EXPECT_EQ(Get(e.name())->state(), Experience::SELF_DECLARED);
  EXPECT_EQ(*experiences_->ExpireAttestations(Admin()), 0);

  // Voiding lapses a pending request.
  absl::StatusOr<Attestation> third = AskReferee(e.name());
  ASSERT_TRUE(third.ok()) << third.status();
  ASSERT_TRUE(Void(e.name()).ok());
  EXPECT_EQ(GetAttestation(third->name())->state(), Attestation::EXPIRED);
  EXPECT_EQ(Decide(RefereeService(), third->name(), Attestation::VERIFIED,
                   notifier_.last_token())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ExperienceTest, AttestationRequestsAreRateLimitedPerProfile) {
  std::vector<std::string> names;
  for (int i = 0; i < 12; ++i) {
    names.push_back(
        MustCreate(Draft(absl::StrCat("Experience ", i), Date(2026, 1, 1 + i)))
            .name());
  }
  for (int i = 0; i < 10; ++i) {
    absl::StatusOr<Attestation> asked = AskReferee(names[i]);
    ASSERT_TRUE(asked.ok()) << i << ": " << asked.status();
    clock_.Advance(absl::Minutes(10));
  }
  absl::StatusOr<Attestation> eleventh = AskReferee(names[10]);
  EXPECT_EQ(eleventh.status().code(), absl::StatusCode::kResourceExhausted)
      << eleventh.status();
  EXPECT_EQ(Get(names[10])->state(), Experience::SELF_DECLARED);
  // Another person's requests are counted apart.
  NewProfile("p2");
  absl::StatusOr<Experience> theirs =
      Create(Draft("Theirs", Date(2026, 1, 1)), "p2");
  ASSERT_TRUE(theirs.ok());
  v1::RequestAttestationRequest req;
  req.set_parent(theirs->name());
  req.mutable_attestation()->set_adviser("advisers/adv-1");
  EXPECT_TRUE(experiences_->RequestAttestation(Person("p2"), req).ok());

  // 24 hours after the first request, one more is allowed; then the limit
  // again.
  clock_.Set(TestNow() + absl::Hours(24) - absl::Seconds(1));
  EXPECT_EQ(AskReferee(names[10]).status().code(),
            absl::StatusCode::kResourceExhausted);
  clock_.Set(TestNow() + absl::Hours(24));
  EXPECT_TRUE(AskReferee(names[10]).ok());
  EXPECT_EQ(AskReferee(names[11]).status().code(),
            absl::StatusCode::kResourceExhausted);
  clock_.Advance(absl::Hours(25));
  EXPECT_TRUE(AskReferee(names[11]).ok());
}

TEST_F(ExperienceTest, ConcurrentRequestsDoNotOvershootTheRateLimit) {
  std::vector<std::string> names;
  for (int i = 0; i < 14; ++i) {
    names.push_back(
        MustCreate(Draft(absl::StrCat("Experience ", i), Date(2026, 1, 1 + i)))
            .name());
  }
  std::atomic<int> ok{0};
  std::atomic<int> exhausted{0};
  std::vector<std::thread> threads;
  for (const std::string& name : names) {
    threads.emplace_back([&, name] {
      absl::StatusOr<Attestation> asked = AskReferee(name);
      if (asked.ok()) {
        ++ok;
      } else if (asked.status().code() ==
                 absl::StatusCode::kResourceExhausted) {
        ++exhausted;
      } else {
        ADD_FAILURE() << asked.status();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(exhausted.load(), 4);
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM attestations"), "10");
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM experiences WHERE state = "
                            "'ATTESTATION_PENDING'"),
            "10");
}

// ----------------------------------------------------------------- summary

TEST_F(ExperienceTest, SummaryMatchesAHandComputedFixture) {
  // Five experiences, three skills; E4 voided, E2 verified, E2 and E5 open.
  MustCreate(Draft("E1", Date(2024, 1, 10), Date(2024, 2, 10), 10,
                   {{kCommunicating, 2}, {kLeading, 1}}));
  Experience e2 = MustCreate(
      Draft("E2", Date(2024, 3, 1), std::nullopt, 7.5, {{kCommunicating, 3}}));
  MustCreate(Draft("E3", Date(2023, 6, 1), Date(2023, 6, 30), 20.25,
                   {{kCommunicating, 1}, {kFocusing, 4}}));
  Experience e4 = MustCreate(Draft("E4", Date(2025, 1, 1), Date(2025, 3, 31), 4,
                                   {{kLeading, 2}, {kFocusing, 2}}));
  MustCreate(Draft("E5", Date(2024, 9, 1), std::nullopt, 0, {{kLeading, 3}}));
  ASSERT_TRUE(Void(e4.name()).ok());
  absl::StatusOr<Attestation> asked = AskAdviser(e2.name());
  ASSERT_TRUE(asked.ok());
  ASSERT_TRUE(Decide(Adviser(), asked->name(), Attestation::VERIFIED).ok());

  absl::StatusOr<v1::SkillsSummary> summary = Summary();
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(summary->profile(), "profiles/p1");
  ASSERT_EQ(summary->entries_size(), 3);
  struct Expected {
    std::string skill, label;
    int count;
    double hours;
    int verified, max_level;
    std::string first, last;
  };
  const std::vector<Expected> expected = {
      {kCommunicating, "Communicating", 3, 37.75, 1, 3, "2023-6-1", "2024-3-1"},
      {kLeading, "Leading", 2, 10, 0, 3, "2024-1-10", "2024-9-1"},
      {kFocusing, "Focusing", 1, 20.25, 0, 4, "2023-6-1", "2023-6-30"},
  };
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(expected[i].skill);
    const v1::SkillsSummary::Entry& got = summary->entries(i);
    EXPECT_EQ(got.skill(), expected[i].skill);
    EXPECT_EQ(got.label(), expected[i].label);
    EXPECT_EQ(got.experience_count(), expected[i].count);
    EXPECT_DOUBLE_EQ(got.total_hours(), expected[i].hours);
    EXPECT_EQ(got.verified_count(), expected[i].verified);
    EXPECT_EQ(got.max_level(), expected[i].max_level);
    EXPECT_EQ(Day(got.first_evidenced()), expected[i].first);
    EXPECT_EQ(Day(got.last_evidenced()), expected[i].last);
  }

  // Ties in count go by label.
  MustCreate(Draft("E6", Date(2024, 5, 1), std::nullopt, 1, {{kFocusing, 1}}));
  summary = Summary();
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->entries(1).label(), "Focusing");
  EXPECT_EQ(summary->entries(2).label(), "Leading");

  EXPECT_EQ(Summary("profiles/nobody").status().code(),
            absl::StatusCode::kNotFound);
  NewProfile("empty");
  summary = Summary("profiles/empty");
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->entries_size(), 0);
}

// Timing, reported and not asserted: the summary of one profile with
// 10,000 experiences (three skills each), written straight into the tables.
TEST_F(ExperienceTest, SummaryTimingAtTenThousandExperiences) {
  constexpr int kExperiences = 10000;
  constexpr int kBatch = 200;
  const std::vector<std::string> skill_ids = {
      "sds-focusing",      "sds-integrity",     "sds-adapting",
      "sds-initiative",    "sds-communicating", "sds-feeling",
      "sds-collaborating", "sds-leading",       "sds-curiosity",
      "sds-creativity",    "sds-sense-making",  "sds-critical-thinking"};
  std::unique_ptr<store::Connection> c = test_db_->Connect();
  std::string exp_sql =
      "INSERT INTO experiences (profile_id, id, kind, state, start_date, "
      "end_date, hours, details, version, create_time, update_time) VALUES ";
  std::string skill_sql =
      "INSERT INTO experience_skills (profile_id, experience_id, skill_id, "
      "level, source) VALUES ";
  for (int i = 0; i < kBatch; ++i) {
    absl::StrAppend(&exp_sql, i ? ", " : "",
                    "('p1', ?, 'WORK_EXPERIENCE', ?, ?, ?, ?, ?, 1, ?, ?)");
    for (int k = 0; k < 3; ++k) {
      absl::StrAppend(&skill_sql, i || k ? ", " : "",
                      "('p1', ?, ?, ?, 'SELF')");
    }
  }
  const auto load_start = std::chrono::steady_clock::now();
  c->Execute("START TRANSACTION");
  for (int base = 0; base < kExperiences; base += kBatch) {
    store::Statement exp = c->Prepare(exp_sql);
    store::Statement skills = c->Prepare(skill_sql);
    for (int i = base; i < base + kBatch; ++i) {
      const std::string id = NewResourceId(TestNow() + absl::Milliseconds(i));
      const absl::CivilDay start =
          absl::CivilDay(2015, 1, 1) + static_cast<int>(i % 3650);
      Experience e = Draft(absl::StrCat("Experience ", i), FromCivilDay(start),
                           FromCivilDay(start + 5), (i % 40) * 0.25);
      e.set_name(absl::StrCat("profiles/p1/experiences/", id));
      const char* state = i % 10 == 0  ? "VOIDED"
                          : i % 7 == 0 ? "VERIFIED"
                                       : "SELF_DECLARED";
      exp.Bind(id)
          .Bind(state)
          .Bind(start)
          .Bind(start + 5)
          .Bind(absl::StrCat(e.hours()))
          .Bind(e.SerializeAsString())
          .Bind(TestNow())
          .Bind(TestNow());
      for (int k = 0; k < 3; ++k) {
        skills.Bind(id)
            .Bind(skill_ids[(i + k * 5) % skill_ids.size()])
            .Bind(1 + (i + k) % 4);
      }
    }
    exp.Execute();
    skills.Execute();
  }
  c->Execute("COMMIT");
  c->Execute("ANALYZE TABLE experiences, experience_skills");
  const double load_ms = std::chrono::duration<double, std::milli>(
                             std::chrono::steady_clock::now() - load_start)
                             .count();

  std::vector<double> times;
  absl::StatusOr<v1::SkillsSummary> summary;
  for (int run = 0; run < 7; ++run) {
    const auto start = std::chrono::steady_clock::now();
    summary = Summary();
    times.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
    ASSERT_TRUE(summary.ok()) << summary.status();
  }
  std::sort(times.begin(), times.end());
  ASSERT_EQ(summary->entries_size(), 12);
  int total = 0;
  for (const auto& entry : summary->entries())
    total += entry.experience_count();
  EXPECT_EQ(total, 3 * (kExperiences - kExperiences / 10));  // voided left out

  const auto export_start = std::chrono::steady_clock::now();
  absl::StatusOr<google::api::HttpBody> body =
      Export(v1::ExportSkillsRecordRequest::JSON_RESUME);
  const double export_ms = std::chrono::duration<double, std::milli>(
                               std::chrono::steady_clock::now() - export_start)
                               .count();
  ASSERT_TRUE(body.ok()) << body.status();

  std::cout << "[ timing ] loaded " << kExperiences << " experiences in "
            << load_ms << " ms; GetSkillsSummary over them: min " << times[0]
            << " ms, median " << times[times.size() / 2] << " ms, max "
            << times.back() << " ms (7 runs, first run included); "
            << "ExportSkillsRecord (JSON Resume, " << body->data().size()
            << " bytes): " << export_ms << " ms\n";
  RecordProperty("summary_median_ms",
                 static_cast<int>(std::lround(times[times.size() / 2])));
}

}  // namespace
}  // namespace careers::domain
