// Consents, guardian links and the access record on the MariaDB store,
// through the domain rules: history, one active grant, guardians until 16,
// access events written with the change or in batches for reads.
#include "server/store/consent_store.h"

#include <algorithm>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/consents.h"
#include "server/domain/profiles.h"
#include "server/store/access_log.h"
#include "server/store/directory_store.h"
#include "server/store/profile_store.h"
#include "tests/support/test_data.h"
#include "tests/support/test_database.h"

namespace careers::store {
namespace {

using ::careers::testing::Date;
using ::careers::testing::TestDatabase;
using ::careers::testing::ValidProfile;
using ::testing::ElementsAre;

class ConsentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create(/*migrate=*/true, /*pool_size=*/8);
    ASSERT_NE(test_db_, nullptr);
    test_db_->Exec(
        "INSERT INTO organisations (id, display_name, kind, create_time, "
        "update_time) "
        "VALUES ('school-a', 'School A', 'SCHOOL', UTC_TIMESTAMP(6), "
        "UTC_TIMESTAMP(6)),"
        "('school-b', 'School B', 'SCHOOL', UTC_TIMESTAMP(6), "
        "UTC_TIMESTAMP(6))");
    profiles_store_ = std::make_unique<ProfileStore>(test_db_->db());
    directory_ = std::make_unique<DirectoryStore>(test_db_->db());
    consent_store_ = std::make_unique<ConsentStore>(test_db_->db(), clock_);
    access_log_ = std::make_unique<BatchedAccessLog>(test_db_->db());
    profiles_ = std::make_unique<domain::Profiles>(
        *profiles_store_, *directory_, clock_, tokens_);
    consents_ = std::make_unique<domain::Consents>(*consent_store_, *directory_,
                                                   clock_, tokens_);
    person_.deadline = absl::Now() + absl::Seconds(30);
    person_.principal.subject = "pupil-sub";
    person_.principal.role = auth::Role::kPerson;
    person_.principal.profile = "profiles/pupil";
    adviser_ = person_;
    adviser_.principal = auth::Principal{};
    adviser_.principal.subject = "adviser-sub";
    adviser_.principal.role = auth::Role::kAdviser;
    adviser_.principal.organisation = "organisations/school-a";
    adviser_.record_access = true;
    adviser_.method = "careers.v1.ProfileService/GetProfile";
    adviser_.request_id = "req-1";

    v1::CreateProfileRequest create;
    *create.mutable_profile() = ValidProfile();  // born 2011-04-12
    create.set_profile_id("pupil");
    RequestContext admin = person_;
    admin.principal.role = auth::Role::kAdmin;
    ASSERT_TRUE(profiles_->CreateProfile(admin, create).ok());
  }

  absl::StatusOr<v1::Consent> Share(const std::string& org) {
    v1::CreateConsentRequest req;
    req.set_parent("profiles/pupil");
    req.mutable_consent()->set_purpose(v1::Consent::SHARE_WITH_ORGANISATION);
    req.mutable_consent()->set_organisation(org);
    return consents_->CreateConsent(person_, req);
  }

  // The pupil's whole access record, as the person lists it.
  std::vector<v1::AccessEvent> Events() {
    v1::ListAccessEventsRequest list;
    list.set_parent("profiles/pupil");
    list.set_page_size(200);
    auto page = consents_->ListAccessEvents(person_, list);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) return {};
    return {page->access_events().begin(), page->access_events().end()};
  }
  // The one event of `events` by `subject` with `method`.
  static v1::AccessEvent Find(const std::vector<v1::AccessEvent>& events,
                              const std::string& subject,
                              const std::string& method) {
    v1::AccessEvent found;
    int n = 0;
    for (const v1::AccessEvent& e : events) {
      if (e.actor().subject() == subject && e.method() == method) {
        found = e;
        ++n;
      }
    }
    EXPECT_EQ(n, 1) << subject << " " << method;
    return found;
  }
  // A staff member or other caller reading or writing the pupil's data.
  RequestContext Caller(auth::Role role, const std::string& subject,
                        const std::string& organisation = "") {
    RequestContext ctx = person_;
    ctx.principal = auth::Principal{};
    ctx.principal.role = role;
    ctx.principal.subject = subject;
    ctx.principal.organisation = organisation;
    ctx.record_access = true;
    ctx.method = "careers.v1.ProfileService/GetProfile";
    ctx.request_id = "req-2";
    return ctx;
  }
  // Reads the pupil's profile as `ctx`'s caller and, as the API layer does
  // once a read succeeds, records it when the caller is not the person.
  void ReadProfileAs(const RequestContext& ctx) {
    v1::GetProfileRequest get;
    get.set_name("profiles/pupil");
    ASSERT_TRUE(profiles_->GetProfile(ctx, get).ok());
    if (ctx.record_access) {
      access_log_->RecordRead(ctx, "pupil", "profiles/pupil");
    }
  }

  std::unique_ptr<TestDatabase> test_db_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 11, 23, 12, 0, 0),
                                   absl::UTCTimeZone())};
  PageTokenCodec tokens_{std::string(32, 'k'), absl::Hours(1)};
  std::unique_ptr<ProfileStore> profiles_store_;
  std::unique_ptr<DirectoryStore> directory_;
  std::unique_ptr<ConsentStore> consent_store_;
  std::unique_ptr<BatchedAccessLog> access_log_;
  std::unique_ptr<domain::Profiles> profiles_;
  std::unique_ptr<domain::Consents> consents_;
  RequestContext person_;
  RequestContext adviser_;
};

TEST_F(ConsentStoreTest, SharingStartsAndEndsAtOnceAndKeepsItsHistory) {
  EXPECT_FALSE(*consent_store_->IsSharedWith(adviser_, "pupil", "school-a"));
  auto consent = Share("organisations/school-a");
  ASSERT_TRUE(consent.ok()) << consent.status();
  EXPECT_EQ(consent->granted_by().subject(), "pupil-sub");
  EXPECT_EQ(consent->granted_by().role(), "person");
  EXPECT_TRUE(*consent_store_->IsSharedWith(adviser_, "pupil", "school-a"));
  EXPECT_FALSE(*consent_store_->IsSharedWith(adviser_, "pupil", "school-b"));

  // A second active grant for the same organisation is refused.
  EXPECT_EQ(Share("organisations/school-a").status().code(),
            absl::StatusCode::kAlreadyExists);

  v1::WithdrawConsentRequest withdraw;
  withdraw.set_name(consent->name());
  withdraw.set_etag(consent->etag());
  auto withdrawn = consents_->WithdrawConsent(person_, withdraw);
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->state(), v1::Consent::WITHDRAWN);
  EXPECT_FALSE(*consent_store_->IsSharedWith(adviser_, "pupil", "school-a"));
  EXPECT_EQ(consents_->WithdrawConsent(person_, withdraw).status().code(),
            absl::StatusCode::kAborted);  // stale etag
  withdraw.clear_etag();
  EXPECT_EQ(consents_->WithdrawConsent(person_, withdraw).status().code(),
            absl::StatusCode::kFailedPrecondition);

  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(Share("organisations/school-a").ok());  // granted again
  v1::ListConsentsRequest list;
  list.set_parent("profiles/pupil");
  auto history = consents_->ListConsents(person_, list);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->consents_size(), 2);
  EXPECT_EQ(history->consents(0).state(), v1::Consent::ACTIVE);  // newest first
  EXPECT_EQ(history->consents(1).state(), v1::Consent::WITHDRAWN);
}

TEST_F(ConsentStoreTest, ConcurrentGrantsMakeOneActiveConsent) {
  std::vector<absl::StatusCode> codes(6);
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back(
        [&, i] { codes[i] = Share("organisations/school-b").status().code(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), absl::StatusCode::kOk), 1);
  EXPECT_EQ(
      test_db_->Query("SELECT COUNT(*) FROM consents WHERE state = 'ACTIVE'"),
      "1");
}

TEST_F(ConsentStoreTest, GuardiansHaveAccessUntilSixteenUnlessConfirmed) {
  v1::CreateGuardianLinkRequest create;
  create.set_parent("profiles/pupil");
  create.mutable_guardian_link()->set_guardian_subject("parent-sub");
  create.mutable_guardian_link()->set_guardian_display_name("Mum");
  create.mutable_guardian_link()->set_relationship(v1::GuardianLink::PARENT);
  auto link = consents_->CreateGuardianLink(adviser_, create);
  ASSERT_TRUE(link.ok()) << link.status();
  EXPECT_TRUE(link->effective());
  EXPECT_TRUE(*consent_store_->IsGuardianOf(person_, "pupil", "parent-sub"));
  EXPECT_FALSE(*consent_store_->IsGuardianOf(person_, "pupil", "stranger-sub"));
  EXPECT_EQ(consents_->CreateGuardianLink(adviser_, create).status().code(),
            absl::StatusCode::kAlreadyExists);

  v1::ConfirmGuardianLinkRequest confirm;
  confirm.set_name(link->name());
  EXPECT_EQ(consents_->ConfirmGuardianLink(person_, confirm).status().code(),
            absl::StatusCode::kFailedPrecondition);  // still 15

  clock_.Set(absl::FromCivil(absl::CivilSecond(2027, 4, 12, 9, 0, 0),
                             absl::UTCTimeZone()));
  EXPECT_FALSE(*consent_store_->IsGuardianOf(person_, "pupil",
                                             "parent-sub"));  // 16 today
  v1::GetGuardianLinkRequest get;
  get.set_name(link->name());
  EXPECT_FALSE(consents_->GetGuardianLink(person_, get)->effective());
  auto confirmed = consents_->ConfirmGuardianLink(person_, confirm);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_TRUE(confirmed->effective());
  EXPECT_TRUE(*consent_store_->IsGuardianOf(person_, "pupil", "parent-sub"));

  v1::EndGuardianLinkRequest end;
  end.set_name(link->name());
  auto ended = consents_->EndGuardianLink(person_, end);
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->state(), v1::GuardianLink::ENDED);
  EXPECT_FALSE(*consent_store_->IsGuardianOf(person_, "pupil", "parent-sub"));
}

TEST_F(ConsentStoreTest, WritesAreRecordedWithTheChangeAndReadsInBatches) {
  access_log_->Start();
  // A staff write: the event is in the same transaction as the change.
  v1::CreateGoalRequest goal;
  goal.set_parent("profiles/pupil");
  goal.mutable_goal()->set_title("Find a Saturday job");
  goal.mutable_goal()->set_goal_type(v1::Goal::EMPLOYMENT);
  RequestContext writer = adviser_;
  writer.method = "careers.v1.ProfileService/CreateGoal";
  ASSERT_TRUE(profiles_->CreateGoal(writer, goal).ok());
  EXPECT_EQ(test_db_->Query(
                "SELECT COUNT(*) FROM access_events WHERE action = 'WRITE'"),
            "1");
  // A failed write leaves no event.
  goal.mutable_goal()->clear_title();
  EXPECT_FALSE(profiles_->CreateGoal(writer, goal).ok());
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM access_events"), "1");

  // Staff reads are queued, then written; the person's own reads are not.
  for (int i = 0; i < 40; ++i) ReadProfileAs(adviser_);
  ReadProfileAs(person_);
  access_log_->Stop();  // flushes
  EXPECT_EQ(test_db_->Query(
                "SELECT COUNT(*) FROM access_events WHERE action = 'READ'"),
            "40");

  v1::ListAccessEventsRequest list;
  list.set_parent("profiles/pupil");
  list.set_page_size(15);
  int seen = 0;
  std::string previous;
  do {
    auto page = consents_->ListAccessEvents(person_, list);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->access_events()) {
      EXPECT_EQ(e.actor().subject(), "adviser-sub");
      EXPECT_EQ(e.actor().organisation(), "organisations/school-a");
      if (!previous.empty()) {
        EXPECT_LT(e.name(), previous);  // newest first
      }
      previous = e.name();
      ++seen;
    }
    list.set_page_token(page->next_page_token());
  } while (!list.page_token().empty());
  EXPECT_EQ(seen, 41);

  v1::ListAccessEventsRequest by_actor;
  by_actor.set_parent("profiles/-");
  by_actor.set_filter("actor = \"adviser-sub\" AND action = WRITE");
  auto writes = consents_->ListAccessEvents(person_, by_actor);
  ASSERT_TRUE(writes.ok()) << writes.status();
  ASSERT_EQ(writes->access_events_size(), 1);
  EXPECT_EQ(writes->access_events(0).method(),
            "careers.v1.ProfileService/CreateGoal");
  by_actor.clear_filter();
  EXPECT_EQ(consents_->ListAccessEvents(person_, by_actor).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// The record names an adviser by their directory entry, and their
// organisation, resolved when it is listed: by profile and by actor, and
// still after the adviser is deleted.
TEST_F(ConsentStoreTest, AnAdvisersAccessesNameTheAdviserAndOrganisation) {
  test_db_->Exec(
      "INSERT INTO advisers (id, organisation_id, display_name, subject, "
      "create_time, update_time) VALUES "
      "('fiona', 'school-a', 'Fiona Reid', 'adviser-sub', UTC_TIMESTAMP(6), "
      "UTC_TIMESTAMP(6)), "
      "('other', 'school-b', 'Someone Else', 'other-sub', UTC_TIMESTAMP(6), "
      "UTC_TIMESTAMP(6))");
  RequestContext reader = adviser_;
  reader.access_reason = "preparing for appointments/01J";
  ReadProfileAs(reader);
  ASSERT_TRUE(access_log_->Flush().ok());
  v1::CreateGoalRequest goal;
  goal.set_parent("profiles/pupil");
  goal.mutable_goal()->set_title("Find a Saturday job");
  goal.mutable_goal()->set_goal_type(v1::Goal::EMPLOYMENT);
  RequestContext writer = adviser_;
  writer.method = "careers.v1.ProfileService/CreateGoal";
  writer.access_reason = "agreed at the interview";
  ASSERT_TRUE(profiles_->CreateGoal(writer, goal).ok());

  auto check = [](const std::vector<v1::AccessEvent>& events) {
    const v1::AccessEvent read =
        Find(events, "adviser-sub", "careers.v1.ProfileService/GetProfile");
    EXPECT_EQ(read.adviser(), "advisers/fiona");
    EXPECT_EQ(read.actor_display_name(), "Fiona Reid");
    EXPECT_EQ(read.organisation_display_name(), "School A");
    EXPECT_EQ(read.actor().organisation(), "organisations/school-a");
    EXPECT_EQ(read.summary(), "viewed your profile");
    EXPECT_EQ(read.reason(), "preparing for appointments/01J");
    EXPECT_EQ(read.action(), v1::AccessEvent::READ);
    const v1::AccessEvent write =
        Find(events, "adviser-sub", "careers.v1.ProfileService/CreateGoal");
    EXPECT_EQ(write.adviser(), "advisers/fiona");
    EXPECT_EQ(write.actor_display_name(), "Fiona Reid");
    EXPECT_EQ(write.organisation_display_name(), "School A");
    EXPECT_EQ(write.summary(), "added a goal to your action plan");
    EXPECT_EQ(write.reason(), "agreed at the interview");
    EXPECT_EQ(write.action(), v1::AccessEvent::WRITE);
  };
  const std::vector<v1::AccessEvent> by_profile = Events();
  EXPECT_EQ(by_profile.size(), 2u);
  check(by_profile);

  // An administrator's listing of one actor across profiles (the other
  // index) resolves the same names.
  v1::ListAccessEventsRequest by_actor;
  by_actor.set_parent("profiles/-");
  by_actor.set_filter("actor = \"adviser-sub\"");
  auto across = consents_->ListAccessEvents(person_, by_actor);
  ASSERT_TRUE(across.ok()) << across.status();
  check({across->access_events().begin(), across->access_events().end()});

  // Deleting the adviser (soft, AIP-164) does not make their accesses
  // anonymous.
  test_db_->Exec(
      "UPDATE advisers SET delete_time = UTC_TIMESTAMP(6), active = FALSE "
      "WHERE id = 'fiona'");
  check(Events());
  // Nor does removing the row altogether: the event keeps its subject and
  // organisation, and only the name is gone.
  test_db_->Exec("DELETE FROM advisers WHERE id = 'fiona'");
  const std::vector<v1::AccessEvent> orphaned = Events();
  const v1::AccessEvent read =
      Find(orphaned, "adviser-sub", "careers.v1.ProfileService/GetProfile");
  EXPECT_EQ(read.adviser(), "");
  EXPECT_EQ(read.actor_display_name(), "an adviser");
  EXPECT_EQ(read.organisation_display_name(), "School A");
  EXPECT_EQ(read.reason(), "preparing for appointments/01J");
}

// Reads are written in batches (multi-row INSERTs of 32, then one row at a
// time): each row keeps its own reason, or none.
TEST_F(ConsentStoreTest, BatchedReadsCarryTheirReasons) {
  constexpr int kReads = 37;
  for (int i = 0; i < kReads; ++i) {
    RequestContext reader = adviser_;
    reader.request_id = absl::StrCat("req-", i);
    if (i % 3 != 0)
      reader.access_reason = absl::StrCat("reason ", i, " – Siân");
    ReadProfileAs(reader);
  }
  ASSERT_TRUE(access_log_->Flush().ok());
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM access_events"),
            absl::StrCat(kReads));
  EXPECT_EQ(test_db_->Query(
                "SELECT COUNT(*) FROM access_events WHERE reason IS NULL"),
            absl::StrCat((kReads + 2) / 3));
  int checked = 0;
  for (const v1::AccessEvent& e : Events()) {
    int i = -1;
    ASSERT_TRUE(absl::SimpleAtoi(e.request_id().substr(4), &i))
        << e.request_id();
    EXPECT_EQ(e.reason(),
              i % 3 == 0 ? "" : absl::StrCat("reason ", i, " – Siân"))
        << e.request_id();
    ++checked;
  }
  EXPECT_EQ(checked, kReads);
}

// Callers who are not advisers are described by role, a guardian by the
// name their link shows; only staff are matched with an adviser's subject.
TEST_F(ConsentStoreTest, OtherCallersAreDescribedInPlainWords) {
  test_db_->Exec(
      "INSERT INTO advisers (id, organisation_id, display_name, subject, "
      "create_time, update_time) VALUES ('fiona', 'school-a', 'Fiona Reid', "
      "'adviser-sub', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))");
  v1::CreateGuardianLinkRequest link;
  link.set_parent("profiles/pupil");
  link.mutable_guardian_link()->set_guardian_subject("parent-sub");
  link.mutable_guardian_link()->set_guardian_display_name("Mòrag (Mum)");
  link.mutable_guardian_link()->set_relationship(v1::GuardianLink::PARENT);
  RequestContext linker = adviser_;
  linker.method = "careers.v1.ConsentService/CreateGuardianLink";
  ASSERT_TRUE(consents_->CreateGuardianLink(linker, link).ok());

  ReadProfileAs(Caller(auth::Role::kGuardian, "parent-sub"));
  ReadProfileAs(Caller(auth::Role::kGuardian, "unlinked-sub"));
  ReadProfileAs(Caller(auth::Role::kAdmin, "operator-1"));
  ReadProfileAs(Caller(auth::Role::kService, "analytics"));
  // A service whose subject happens to be an adviser's is not that adviser.
  ReadProfileAs(Caller(auth::Role::kService, "adviser-sub"));
  ReadProfileAs(
      Caller(auth::Role::kOrgAdmin, "head-sub", "organisations/school-b"));
  ASSERT_TRUE(access_log_->Flush().ok());

  const std::vector<v1::AccessEvent> events = Events();
  const std::string get = "careers.v1.ProfileService/GetProfile";
  struct Expected {
    std::string subject, display_name, organisation;
  };
  for (const Expected& x : std::vector<Expected>{
           {"parent-sub", "Mòrag (Mum)", ""},
           {"unlinked-sub", "your parent or carer", ""},
           {"operator-1", "a national administrator", ""},
           {"analytics", "analytics service", ""},
           {"adviser-sub", "adviser-sub service", ""},
           {"head-sub", "an organisation administrator", "School B"},
       }) {
    const v1::AccessEvent e = Find(events, x.subject, get);
    EXPECT_EQ(e.actor_display_name(), x.display_name) << x.subject;
    EXPECT_EQ(e.organisation_display_name(), x.organisation) << x.subject;
    EXPECT_EQ(e.adviser(), "") << x.subject;
    EXPECT_EQ(e.summary(), "viewed your profile") << x.subject;
  }
  // The link itself was made by the adviser: a write, named.
  const v1::AccessEvent made = Find(
      events, "adviser-sub", "careers.v1.ConsentService/CreateGuardianLink");
  EXPECT_EQ(made.actor_display_name(), "Fiona Reid");
  EXPECT_EQ(made.summary(), "linked a parent or carer to you");
}

TEST_F(ConsentStoreTest, StaffListsOnlyProfilesSharedWithThem) {
  v1::CreateProfileRequest other;
  *other.mutable_profile() = ValidProfile("Other", "Pupil");
  other.set_profile_id("other");
  RequestContext admin = person_;
  admin.principal.role = auth::Role::kAdmin;
  ASSERT_TRUE(profiles_->CreateProfile(admin, other).ok());
  ASSERT_TRUE(Share("organisations/school-a").ok());

  auto names = [&](const RequestContext& ctx) {
    std::vector<std::string> out;
    auto page = profiles_->ListProfiles(ctx, v1::ListProfilesRequest());
    EXPECT_TRUE(page.ok()) << page.status();
    if (page.ok()) {
      for (const auto& p : page->profiles()) out.push_back(p.name());
    }
    return out;
  };
  RequestContext staff = adviser_;
  staff.visibility = {ProfileVisibility::Kind::kSharedWith, "school-a"};
  EXPECT_THAT(names(staff), ElementsAre("profiles/pupil"));
  staff.visibility = {ProfileVisibility::Kind::kSharedWith, "school-b"};
  EXPECT_THAT(names(staff), ElementsAre());
  RequestContext own = person_;
  own.visibility = {ProfileVisibility::Kind::kOwn, "pupil"};
  EXPECT_THAT(names(own), ElementsAre("profiles/pupil"));
  admin.visibility = {ProfileVisibility::Kind::kAll, ""};
  EXPECT_EQ(names(admin).size(), 2u);
  RequestContext nobody = person_;
  nobody.visibility = {ProfileVisibility::Kind::kNone, ""};
  EXPECT_THAT(names(nobody), ElementsAre());
}

// A shared list is read by walking the name index when the organisation
// has many profiles, and by sorting the few when it has few (past 5,000
// examined rows); either way it is the shared profiles in name order.
TEST_F(ConsentStoreTest, SharedListsAreInNameOrderForLargeAndSmallSharers) {
  // 6,000 more profiles with scattered names, all shared with school-a and
  // one in 500 with school-b.
  test_db_->Exec(
      "INSERT INTO profiles (id, given_name, family_name, birth_date, "
      "preferred_language, life_stage, school_stage, support_level, "
      "home_organisation_id, details, version, create_time, update_time) "
      "SELECT CONCAT('p', LPAD(s.seq, 5, '0')), t.given_name, "
      "CONCAT('Fam', LPAD((s.seq * 7919) % 6007, 5, '0')), t.birth_date, "
      "t.preferred_language, t.life_stage, t.school_stage, t.support_level, "
      "t.home_organisation_id, t.details, 1, t.create_time, t.update_time "
      "FROM seq_1_to_6000 s JOIN profiles t ON t.id = 'pupil'");
  test_db_->Exec(
      "INSERT INTO consents (profile_id, id, purpose, organisation_id, state, "
      "grant_time, granted_by_subject, granted_by_role) "
      "SELECT id, 'c1', 'SHARE_WITH_ORGANISATION', 'school-a', 'ACTIVE', "
      "UTC_TIMESTAMP(6), 'sub', 'person' FROM profiles WHERE id LIKE 'p0%'");
  test_db_->Exec(
      "INSERT INTO consents (profile_id, id, purpose, organisation_id, state, "
      "grant_time, granted_by_subject, granted_by_role) "
      "SELECT id, 'c2', 'SHARE_WITH_ORGANISATION', 'school-b', 'ACTIVE', "
      "UTC_TIMESTAMP(6), 'sub', 'person' FROM profiles "
      "WHERE id LIKE 'p0%' AND CAST(SUBSTRING(id, 2) AS UNSIGNED) % 500 = 0");
  auto expected = [&](const std::string& org, int n) {
    return test_db_->Query(absl::StrCat(
        "SELECT GROUP_CONCAT(CONCAT('profiles/', id) ORDER BY family_name, "
        "given_name, id) FROM (SELECT p.id, p.family_name, p.given_name FROM "
        "profiles p JOIN consents c ON c.profile_id = p.id AND c.active_key "
        "= 'SHARE_WITH_ORGANISATION:",
        org, "' ORDER BY p.family_name, p.given_name, p.id LIMIT ", n, ") x"));
  };
  // The first `pages` pages of 200, joined as the query above joins them.
  auto listed = [&](const std::string& org, int pages) {
    RequestContext staff = adviser_;
    staff.visibility = {ProfileVisibility::Kind::kSharedWith, org};
    std::vector<std::string> names;
    v1::ListProfilesRequest req;
    req.set_page_size(200);
    for (int i = 0; i < pages; ++i) {
      auto page = profiles_->ListProfiles(staff, req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& p : page->profiles()) names.push_back(p.name());
      if (page->next_page_token().empty()) break;
      req.set_page_token(page->next_page_token());
    }
    return absl::StrJoin(names, ",");
  };
  const std::string large = listed("school-a", 3);
  EXPECT_EQ(std::count(large.begin(), large.end(), ','), 599);
  EXPECT_EQ(large, expected("school-a", 600));
  const std::string small = listed("school-b", 5);
  EXPECT_EQ(std::count(small.begin(), small.end(), ','), 11);
  EXPECT_EQ(small, expected("school-b", 100));
}

}  // namespace
}  // namespace careers::store
