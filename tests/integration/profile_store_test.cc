// Profiles, goals and actions through the domain rules on the MariaDB store:
// round trips, filters and paging in SQL, optimistic concurrency and
// idempotent creates under real concurrency.
#include "server/store/profile_store.h"

#include <thread>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/domain/profiles.h"
#include "server/store/access_log.h"
#include "server/store/directory_store.h"
#include "tests/support/test_data.h"
#include "tests/support/test_database.h"

namespace careers::store {
namespace {

using ::careers::testing::Date;
using ::careers::testing::TestDatabase;
using ::careers::testing::ValidProfile;
using ::careers::testing::ViolatedFields;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;

class ProfileStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create(/*migrate=*/true, /*pool_size=*/12);
    ASSERT_NE(test_db_, nullptr);
    test_db_->Exec(
        "INSERT INTO organisations (id, display_name, kind, create_time, "
        "update_time) VALUES "
        "('school-a', 'School A', 'SCHOOL', UTC_TIMESTAMP(6), "
        "UTC_TIMESTAMP(6)),"
        "('school-b', 'School B', 'SCHOOL', UTC_TIMESTAMP(6), "
        "UTC_TIMESTAMP(6))");
    test_db_->Exec(
        "INSERT INTO advisers (id, organisation_id, display_name, create_time, "
        "update_time) "
        "VALUES ('adviser-a', 'school-a', 'Adviser A', UTC_TIMESTAMP(6), "
        "UTC_TIMESTAMP(6))");
    store_ = std::make_unique<ProfileStore>(test_db_->db());
    directory_ = std::make_unique<DirectoryStore>(test_db_->db());
    access_log_ = std::make_unique<BatchedAccessLog>(test_db_->db());
    profiles_ = std::make_unique<domain::Profiles>(*store_, *directory_, clock_,
                                                   tokens_);
    ctx_.deadline = absl::Now() + absl::Seconds(30);
    ctx_.principal.subject = "tester";
    ctx_.principal.role = auth::Role::kAdmin;
    ctx_.visibility = {ProfileVisibility::Kind::kAll, ""};
  }

  absl::StatusOr<v1::Profile> Create(v1::Profile p, const std::string& id = "",
                                     const std::string& request_id = "") {
    v1::CreateProfileRequest req;
    *req.mutable_profile() = std::move(p);
    req.set_profile_id(id);
    req.set_request_id(request_id);
    return profiles_->CreateProfile(ctx_, req);
  }

  std::unique_ptr<TestDatabase> test_db_;
  SystemClock clock_;
  PageTokenCodec tokens_{std::string(32, 'k'), absl::Hours(1)};
  std::unique_ptr<ProfileStore> store_;
  std::unique_ptr<DirectoryStore> directory_;
  std::unique_ptr<BatchedAccessLog> access_log_;
  std::unique_ptr<domain::Profiles> profiles_;
  RequestContext ctx_;
};

TEST_F(ProfileStoreTest, EveryFieldSurvivesTheRoundTrip) {
  v1::Profile p = ValidProfile("Siân", "Ó Briain 🙂");
  p.set_preferred_name("Si");
  p.set_preferred_language_code("cy");
  p.set_support_level(v1::Profile::TARGETED);
  p.set_home_organisation("organisations/school-a");
  p.mutable_contact()->mutable_address()->add_lines("1 Stryd Fawr");
  p.mutable_contact()->mutable_address()->set_town("Aberystwyth");
  p.mutable_contact()->mutable_address()->set_postcode("SY23 1AA");
  auto* q = p.add_qualifications();
  q->set_title("GCSE Cymraeg");
  q->set_framework(v1::Qualification::CQFW);
  q->set_level(2);
  q->set_status(v1::Qualification::ACHIEVED);
  *q->mutable_award_date() = Date(2026, 8, 20);
  auto* e = p.add_education();
  e->set_institution("Ysgol Penglais");
  *e->mutable_start_date() = Date(2022, 9, 1);
  auto* job = p.add_employment_history();
  job->set_employer("Caffi");
  job->set_job_title("Weekend assistant");
  *job->mutable_start_date() = Date(2025, 6, 1);
  job->set_weekly_hours(8);
  p.add_career_interests("nyrsio");
  p.add_accessibility_needs()->set_kind(v1::AccessibilityNeed::HEARING_LOOP);

  auto created = Create(p, "sian");
  ASSERT_TRUE(created.ok()) << created.status();
  v1::GetProfileRequest get;
  get.set_name("profiles/sian");
  auto read = profiles_->GetProfile(ctx_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(*created, *read)) << diff;
  EXPECT_EQ(read->family_name(), "Ó Briain 🙂");
  EXPECT_EQ(read->contact().phone(), "+447700900123");
}

TEST_F(ProfileStoreTest, FiltersAndPagesInSql) {
  struct Person {
    const char* given;
    const char* family;
    const char* org;
    v1::Profile::SupportLevel support;
  };
  const Person people[] = {
      {"Ann", "MacDonald", "school-a", v1::Profile::UNIVERSAL},
      {"Bea", "macdonald", "school-a", v1::Profile::TARGETED},
      {"Cal", "Mackenzie", "school-b", v1::Profile::UNIVERSAL},
      {"Dan", "Mac_Leod", "school-b", v1::Profile::INTENSIVE},
      {"Eve", "Macxleod", "school-a", v1::Profile::UNIVERSAL},
      {"Fin", "100% Smith", "school-a", v1::Profile::UNIVERSAL},
      {"Gus", "Reid", "school-b", v1::Profile::TARGETED},
      {"Hal", "Jones", "school-a", v1::Profile::UNIVERSAL},
      {"Ida", "Jones", "school-a", v1::Profile::UNIVERSAL},
      {"Ian", "Jones", "school-b", v1::Profile::UNIVERSAL},
      {"Joy", "Khan", "school-a", v1::Profile::UNIVERSAL},
  };
  for (const Person& person : people) {
    v1::Profile p = ValidProfile(person.given, person.family);
    p.set_home_organisation(std::string("organisations/") + person.org);
    p.set_support_level(person.support);
    ASSERT_TRUE(Create(p).ok());
  }
  auto names = [&](const std::string& filter, int page_size) {
    std::vector<std::string> out;
    v1::ListProfilesRequest req;
    req.set_filter(filter);
    req.set_page_size(page_size);
    do {
      auto page = profiles_->ListProfiles(ctx_, req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& p : page->profiles()) out.push_back(p.given_name());
      req.set_page_token(page->next_page_token());
    } while (!req.page_token().empty());
    return out;
  };
  // Every profile once, in (family, given) order, across pages of 4.
  EXPECT_THAT(names("", 4),
              ElementsAre("Fin", "Hal", "Ian", "Ida", "Joy", "Dan", "Ann",
                          "Bea", "Cal", "Eve", "Gus"));
  // Prefixes ignore case, and _ and % in them are literal.
  EXPECT_THAT(names(R"(family_name = "macd*")", 10), ElementsAre("Ann", "Bea"));
  EXPECT_THAT(names(R"(family_name = "Mac_*")", 10), ElementsAre("Dan"));
  EXPECT_THAT(names(R"(family_name = "100%*")", 10), ElementsAre("Fin"));
  EXPECT_THAT(names(R"(family_name = "jones")", 2),
              ElementsAre("Hal", "Ian", "Ida"));
  EXPECT_THAT(
      names(
          R"(home_organisation = "organisations/school-b" AND support_level = UNIVERSAL)",
          1),
      ElementsAre("Ian", "Cal"));
  EXPECT_THAT(names("support_level = TARGETED", 10), ElementsAre("Bea", "Gus"));
  EXPECT_THAT(names("life_stage = COLLEGE", 10), ElementsAre());
}

TEST_F(ProfileStoreTest, ConcurrentUpdatesWithOneEtagLetExactlyOneWin) {
  auto created = Create(ValidProfile(), "contended");
  ASSERT_TRUE(created.ok());
  constexpr int kWriters = 8;
  std::vector<absl::StatusCode> codes(kWriters);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      v1::UpdateProfileRequest req;
      req.mutable_profile()->set_name(created->name());
      req.mutable_profile()->set_preferred_name("Writer " + std::to_string(i));
      req.mutable_profile()->set_etag(created->etag());
      req.mutable_update_mask()->add_paths("preferred_name");
      codes[i] = profiles_->UpdateProfile(ctx_, req).status().code();
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), absl::StatusCode::kOk), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), absl::StatusCode::kAborted),
            kWriters - 1);
  EXPECT_EQ(
      test_db_->Query("SELECT version FROM profiles WHERE id = 'contended'"),
      "2");
}

TEST_F(ProfileStoreTest, ConcurrentCreatesWithOneRequestIdMakeOneProfile) {
  constexpr int kClients = 10;
  std::vector<absl::StatusOr<v1::Profile>> results(
      kClients, absl::UnknownError("not run"));
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      results[i] = Create(ValidProfile("Retry", "Storm"), "",
                          "0b7e4c8e-5a8f-4a61-b1f4-retry");
    });
  }
  for (auto& t : clients) t.join();
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->SerializeAsString(), results[0]->SerializeAsString());
  }
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM profiles"), "1");

  auto different = Create(ValidProfile("Other", "Body"), "",
                          "0b7e4c8e-5a8f-4a61-b1f4-retry");
  EXPECT_EQ(different.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(different.status()), ElementsAre("request_id"));
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM profiles"), "1");
}

TEST_F(ProfileStoreTest,
       ExistingIdIsAlreadyExistsAndUnknownReferencesAreNamed) {
  ASSERT_TRUE(Create(ValidProfile(), "taken").ok());
  EXPECT_EQ(Create(ValidProfile(), "taken").status().code(),
            absl::StatusCode::kAlreadyExists);
  v1::Profile p = ValidProfile();
  p.set_home_organisation("organisations/nowhere");
  EXPECT_THAT(ViolatedFields(Create(p).status()),
              ElementsAre("profile.home_organisation"));
}

TEST_F(ProfileStoreTest, GoalsAndActionsThroughTheirLifecycles) {
  auto person = Create(ValidProfile(), "planner");
  ASSERT_TRUE(person.ok());
  v1::CreateGoalRequest goal_req;
  goal_req.set_parent(person->name());
  goal_req.mutable_goal()->set_title("Choose Highers");
  goal_req.mutable_goal()->set_goal_type(v1::Goal::SUBJECT_CHOICE);
  *goal_req.mutable_goal()->mutable_target_date() = Date(2027, 2, 26);
  auto goal = profiles_->CreateGoal(ctx_, goal_req);
  ASSERT_TRUE(goal.ok()) << goal.status();

  v1::CreateActionRequest action_req;
  action_req.set_parent(person->name());
  action_req.mutable_action()->set_title("Subject choice interview");
  action_req.mutable_action()->set_goal(goal->name());
  action_req.mutable_action()->set_owner(v1::Action::ADVISER);
  action_req.mutable_action()->set_owner_adviser("advisers/adviser-a");
  action_req.mutable_action()->mutable_signposted_to()->set_title(
      "School A guidance");
  action_req.mutable_action()->mutable_signposted_to()->set_organisation(
      "organisations/school-a");
  auto action = profiles_->CreateAction(ctx_, action_req);
  ASSERT_TRUE(action.ok()) << action.status();
  v1::GetActionRequest get_action;
  get_action.set_name(action->name());
  auto read_action = profiles_->GetAction(ctx_, get_action);
  ASSERT_TRUE(read_action.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*action, *read_action));

  v1::UpdateGoalRequest update;
  update.mutable_goal()->set_name(goal->name());
  update.mutable_goal()->set_title("Choose five Highers");
  update.mutable_goal()->set_etag(goal->etag());
  update.mutable_update_mask()->add_paths("title");
  auto updated = profiles_->UpdateGoal(ctx_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->title(), "Choose five Highers");
  EXPECT_EQ(updated->target_date().year(), 2027);

  EXPECT_EQ(profiles_
                ->ChangeGoalState(ctx_, goal->name(), goal->etag(),
                                  v1::Goal::ACHIEVED)
                .status()
                .code(),
            absl::StatusCode::kAborted);  // stale etag from before the update
  auto achieved = profiles_->ChangeGoalState(
      ctx_, goal->name(), updated->etag(), v1::Goal::ACHIEVED);
  ASSERT_TRUE(achieved.ok()) << achieved.status();
  EXPECT_EQ(
      profiles_->ChangeGoalState(ctx_, goal->name(), "", v1::Goal::ACHIEVED)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);

  ASSERT_TRUE(
      profiles_->ChangeActionState(ctx_, action->name(), "", v1::Action::DONE)
          .ok());
  v1::ListActionsRequest list;
  list.set_parent(person->name());
  list.set_filter("state = DONE AND goal = \"" + goal->name() + "\"");
  auto done = profiles_->ListActions(ctx_, list);
  ASSERT_TRUE(done.ok()) << done.status();
  ASSERT_EQ(done->actions_size(), 1);
  list.set_filter("state = OPEN");
  EXPECT_EQ(profiles_->ListActions(ctx_, list)->actions_size(), 0);

  goal_req.set_parent("profiles/nobody");
  EXPECT_EQ(profiles_->CreateGoal(ctx_, goal_req).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace careers::store
