// The profile domain's rules on an in-memory repository: ids and times,
// idempotent creates, masks and etags, filters and paging, state machines.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/profiles.h"
#include "tests/support/test_data.h"
#include "tests/unit/fake_repository.h"

namespace careers::domain {
namespace {

using ::careers::testing::FakeRepository;
using ::careers::testing::TestNow;
using ::careers::testing::ValidProfile;
using ::careers::testing::ViolatedFields;
using ::testing::ElementsAre;

class ProfilesTest : public ::testing::Test {
 protected:
  ProfilesTest()
      : clock_(TestNow()),
        tokens_(std::string(32, 'k'), absl::Hours(24)),
        profiles_(repo_, repo_, clock_, tokens_) {
    ctx_.deadline = absl::InfiniteFuture();
    ctx_.principal.subject = "tester";
  }

  v1::Profile Create(const std::string& given, const std::string& family,
                     const std::string& id = "") {
    v1::CreateProfileRequest req;
    *req.mutable_profile() = ValidProfile(given, family);
    req.set_profile_id(id);
    auto created = profiles_.CreateProfile(ctx_, req);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(v1::Profile());
  }

  FakeRepository repo_;
  FakeClock clock_;
  PageTokenCodec tokens_;
  Profiles profiles_;
  RequestContext ctx_;
};

TEST_F(ProfilesTest, CreateAssignsNameTimesAndEtagAndIgnoresOutputOnlyFields) {
  v1::CreateProfileRequest req;
  *req.mutable_profile() = ValidProfile();
  req.mutable_profile()->set_name("profiles/chosen-by-client");
  req.mutable_profile()->set_etag("forged");
  auto created = profiles_.CreateProfile(ctx_, req);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_THAT(created->name(), ::testing::StartsWith("profiles/"));
  EXPECT_NE(created->name(), "profiles/chosen-by-client");
  EXPECT_EQ(FromProtoTimestamp(created->create_time()), TestNow());
  EXPECT_FALSE(created->etag().empty());
  EXPECT_NE(created->etag(), "forged");
  EXPECT_EQ(created->contact().phone(), "+447700900123");
}

TEST_F(ProfilesTest, ClientChosenIdsAreValidatedAndUnique) {
  Create("A", "B", "pupil-one");
  v1::CreateProfileRequest again;
  *again.mutable_profile() = ValidProfile();
  again.set_profile_id("pupil-one");
  EXPECT_EQ(profiles_.CreateProfile(ctx_, again).status().code(),
            absl::StatusCode::kAlreadyExists);
  again.set_profile_id("Not Valid");
  EXPECT_THAT(ViolatedFields(profiles_.CreateProfile(ctx_, again).status()),
              ElementsAre("profile_id"));
}

TEST_F(ProfilesTest, InvalidProfileNamesEveryBadField) {
  v1::CreateProfileRequest req;
  req.mutable_profile()->set_given_name("Ok");
  auto created = profiles_.CreateProfile(ctx_, req);
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(
      ViolatedFields(created.status()),
      ::testing::UnorderedElementsAre(
          "profile.family_name", "profile.birth_date", "profile.life_stage"));
  EXPECT_EQ(repo_.profile_count(), 0);
}

TEST_F(ProfilesTest, UnknownHomeOrganisationIsNamed) {
  v1::CreateProfileRequest req;
  *req.mutable_profile() = ValidProfile();
  req.mutable_profile()->set_home_organisation("organisations/nowhere");
  EXPECT_THAT(ViolatedFields(profiles_.CreateProfile(ctx_, req).status()),
              ElementsAre("profile.home_organisation"));
  req.mutable_profile()->set_home_organisation("organisations/org-a");
  EXPECT_TRUE(profiles_.CreateProfile(ctx_, req).ok());
}

TEST_F(ProfilesTest, RequestIdsReplayTheFirstResponseAndRejectADifferentBody) {
  v1::CreateProfileRequest req;
  *req.mutable_profile() = ValidProfile();
  req.set_request_id("7c2b3a9e-1f0d-4a52-9d1e-5b8f3c2a1e00");
  auto first = profiles_.CreateProfile(ctx_, req);
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Seconds(3));
  auto retry = profiles_.CreateProfile(ctx_, req);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->SerializeAsString(), first->SerializeAsString());
  EXPECT_EQ(repo_.profile_count(), 1);

  req.mutable_profile()->set_given_name("Someone else");
  auto different = profiles_.CreateProfile(ctx_, req);
  EXPECT_EQ(different.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(different.status()), ElementsAre("request_id"));

  req.set_request_id("not a uuid!");
  EXPECT_THAT(ViolatedFields(profiles_.CreateProfile(ctx_, req).status()),
              ElementsAre("request_id"));
}

TEST_F(ProfilesTest, UpdateAppliesTheMaskChecksTheEtagAndRevalidates) {
  const v1::Profile p = Create("Eilidh", "MacDonald");
  v1::UpdateProfileRequest req;
  req.mutable_profile()->set_name(p.name());
  req.mutable_profile()->set_support_level(v1::Profile::INTENSIVE);
  req.mutable_profile()->set_etag(p.etag());
  req.mutable_update_mask()->add_paths("support_level");
  clock_.Advance(absl::Minutes(1));
  auto updated = profiles_.UpdateProfile(ctx_, req);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->support_level(), v1::Profile::INTENSIVE);
  EXPECT_EQ(updated->given_name(), "Eilidh");
  EXPECT_NE(updated->etag(), p.etag());
  EXPECT_EQ(FromProtoTimestamp(updated->update_time()),
            TestNow() + absl::Minutes(1));
  EXPECT_EQ(FromProtoTimestamp(updated->create_time()), TestNow());

  // The same (now stale) etag again.
  EXPECT_EQ(profiles_.UpdateProfile(ctx_, req).status().code(),
            absl::StatusCode::kAborted);

  // A change that breaks a rule is refused and nothing changes.
  v1::UpdateProfileRequest bad;
  bad.mutable_profile()->set_name(p.name());
  bad.mutable_profile()->set_life_stage(
      v1::Profile::EMPLOYED);  // still has school_stage
  bad.mutable_update_mask()->add_paths("life_stage");
  EXPECT_THAT(ViolatedFields(profiles_.UpdateProfile(ctx_, bad).status()),
              ElementsAre("profile.school_stage"));
  v1::GetProfileRequest get;
  get.set_name(p.name());
  EXPECT_EQ(profiles_.GetProfile(ctx_, get)->life_stage(), v1::Profile::SCHOOL);
}

TEST_F(ProfilesTest, GetAndUpdateOfMissingProfilesAreNotFound) {
  v1::GetProfileRequest get;
  get.set_name("profiles/nobody");
  EXPECT_EQ(profiles_.GetProfile(ctx_, get).status().code(),
            absl::StatusCode::kNotFound);
  get.set_name("nobody");
  EXPECT_THAT(ViolatedFields(profiles_.GetProfile(ctx_, get).status()),
              ElementsAre("name"));
}

TEST_F(ProfilesTest, ListPagesThroughEveryProfileOnceInNameOrder) {
  const char* families[] = {"Reid",  "Jones",     "MacDonald", "Khan",
                            "Price", "Mackenzie", "Jones"};
  for (int i = 0; i < 7; ++i) Create("P" + std::to_string(i), families[i]);
  v1::ListProfilesRequest req;
  req.set_page_size(3);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    auto page = profiles_.ListProfiles(ctx_, req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& p : page->profiles()) seen.push_back(p.family_name());
    req.set_page_token(page->next_page_token());
    ++pages;
  } while (!req.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre("Jones", "Jones", "Khan", "MacDonald",
                                "Mackenzie", "Price", "Reid"));
}

TEST_F(ProfilesTest, ListFiltersAndRejectsBadFiltersAndForeignTokens) {
  Create("A", "MacLeod");
  Create("B", "Smith");
  v1::ListProfilesRequest req;
  req.set_filter(R"(family_name = "Mac*" AND life_stage = school)");
  auto page = profiles_.ListProfiles(ctx_, req);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->profiles_size(), 1);
  EXPECT_EQ(page->profiles(0).family_name(), "MacLeod");

  req.set_filter("life_stage = ASTRONAUT");
  EXPECT_THAT(ViolatedFields(profiles_.ListProfiles(ctx_, req).status()),
              ElementsAre("filter"));
  req.set_filter("home_organisation = \"schools/x\"");
  EXPECT_THAT(ViolatedFields(profiles_.ListProfiles(ctx_, req).status()),
              ElementsAre("filter"));

  req.clear_filter();
  req.set_page_size(1);
  const std::string token =
      profiles_.ListProfiles(ctx_, req)->next_page_token();
  ASSERT_FALSE(token.empty());
  req.set_page_token(token);
  req.set_filter("life_stage = SCHOOL");
  EXPECT_THAT(ViolatedFields(profiles_.ListProfiles(ctx_, req).status()),
              ElementsAre("page_token"));
}

TEST_F(ProfilesTest, GoalStateMachine) {
  const v1::Profile p = Create("A", "B");
  v1::CreateGoalRequest create;
  create.set_parent(p.name());
  create.mutable_goal()->set_title("Get a Modern Apprenticeship");
  create.mutable_goal()->set_goal_type(v1::Goal::EMPLOYMENT);
  create.mutable_goal()->set_state(v1::Goal::ACHIEVED);  // output only: ignored
  auto goal = profiles_.CreateGoal(ctx_, create);
  ASSERT_TRUE(goal.ok()) << goal.status();
  EXPECT_EQ(goal->state(), v1::Goal::IN_PROGRESS);

  EXPECT_EQ(
      profiles_.ChangeGoalState(ctx_, goal->name(), "", v1::Goal::IN_PROGRESS)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      profiles_.ChangeGoalState(ctx_, goal->name(), "stale", v1::Goal::ACHIEVED)
          .status()
          .code(),
      absl::StatusCode::kAborted);
  clock_.Advance(absl::Hours(1));
  auto achieved = profiles_.ChangeGoalState(ctx_, goal->name(), goal->etag(),
                                            v1::Goal::ACHIEVED);
  ASSERT_TRUE(achieved.ok()) << achieved.status();
  EXPECT_EQ(achieved->state(), v1::Goal::ACHIEVED);
  EXPECT_EQ(FromProtoTimestamp(achieved->state_time()),
            TestNow() + absl::Hours(1));
  auto twice =
      profiles_.ChangeGoalState(ctx_, goal->name(), "", v1::Goal::ACHIEVED);
  EXPECT_EQ(twice.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(twice.status().message()),
              ::testing::HasSubstr("ACHIEVED"));
  EXPECT_EQ(
      profiles_
          .ChangeGoalState(ctx_, goal->name(), "", v1::Goal::NO_LONGER_RELEVANT)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      profiles_.ChangeGoalState(ctx_, goal->name(), "", v1::Goal::IN_PROGRESS)
          ->state(),
      v1::Goal::IN_PROGRESS);
}

TEST_F(ProfilesTest, ActionsCheckTheirReferences) {
  const v1::Profile p = Create("A", "B");
  v1::CreateActionRequest create;
  create.set_parent(p.name());
  create.mutable_action()->set_title("Book a CV session");
  create.mutable_action()->set_owner(v1::Action::ADVISER);
  create.mutable_action()->set_owner_adviser("advisers/nobody");
  create.mutable_action()->set_goal(p.name() + "/goals/missing");
  auto bad = profiles_.CreateAction(ctx_, create);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolatedFields(bad.status()), ElementsAre("action.goal"));
  create.mutable_action()->clear_goal();
  EXPECT_THAT(ViolatedFields(profiles_.CreateAction(ctx_, create).status()),
              ElementsAre("action.owner_adviser"));
  create.mutable_action()->set_owner_adviser("advisers/adviser-a");
  auto action = profiles_.CreateAction(ctx_, create);
  ASSERT_TRUE(action.ok()) << action.status();
  EXPECT_EQ(action->state(), v1::Action::OPEN);
  EXPECT_EQ(
      profiles_.ChangeActionState(ctx_, action->name(), "", v1::Action::DONE)
          ->state(),
      v1::Action::DONE);
  EXPECT_EQ(
      profiles_
          .ChangeActionState(ctx_, action->name(), "", v1::Action::CANCELLED)
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);

  create.set_parent("profiles/nobody");
  EXPECT_EQ(profiles_.CreateAction(ctx_, create).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ProfilesTest, ListGoalsPagesInCreationOrder) {
  const v1::Profile p = Create("A", "B");
  for (int i = 0; i < 5; ++i) {
    v1::CreateGoalRequest create;
    create.set_parent(p.name());
    create.mutable_goal()->set_title("Goal " + std::to_string(i));
    create.mutable_goal()->set_goal_type(v1::Goal::LEARNING);
    ASSERT_TRUE(profiles_.CreateGoal(ctx_, create).ok());
    clock_.Advance(absl::Milliseconds(1));
  }
  v1::ListGoalsRequest req;
  req.set_parent(p.name());
  req.set_page_size(2);
  std::vector<std::string> titles;
  do {
    auto page = profiles_.ListGoals(ctx_, req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& g : page->goals()) titles.push_back(g.title());
    req.set_page_token(page->next_page_token());
  } while (!req.page_token().empty());
  EXPECT_THAT(titles,
              ElementsAre("Goal 0", "Goal 1", "Goal 2", "Goal 3", "Goal 4"));
}

}  // namespace
}  // namespace careers::domain
