// careersctl and buf curl against the real server: what an operator or a
// script sees, exit codes included (0 done, 1 the RPC failed, 2 bad usage).
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace careers::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using CareersctlTest = E2eTest;
using BufCurlTest = E2eTest;

TEST_F(CareersctlTest, CreatesGetsListsAndUpdatesProfiles) {
  ASSERT_TRUE(StartServer());
  const testing::RunResult created =
      Ctl({"profiles", "create", "--given-name", "Ailsa", "--family-name",
           "MacLeod", "--birth-date", "2011-04-12", "--life-stage", "school",
           "--school-stage", "S4", "--id", "ailsa-macleod"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("profiles/ailsa-macleod"));
  const testing::RunResult other =
      Ctl({"profiles", "create", "--given-name", "Rory", "--family-name",
           "Campbell", "--birth-date", "1990-01-31", "--life-stage", "employed",
           "--id", "rory-campbell"});
  ASSERT_EQ(other.exit_code, 0) << other.err;

  const testing::RunResult got =
      Ctl({"--output", "json", "profiles", "get", "profiles/ailsa-macleod"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  v1::Profile profile;
  ParseJson(got.out, &profile);
  EXPECT_EQ(profile.name(), "profiles/ailsa-macleod");
  EXPECT_EQ(profile.given_name(), "Ailsa");
  EXPECT_EQ(profile.family_name(), "MacLeod");
  EXPECT_EQ(profile.birth_date().year(), 2011);
  EXPECT_EQ(profile.birth_date().month(), 4);
  EXPECT_EQ(profile.birth_date().day(), 12);
  EXPECT_EQ(profile.life_stage(), v1::Profile::SCHOOL);
  EXPECT_EQ(profile.school_stage(), "S4");
  EXPECT_EQ(profile.support_level(), v1::Profile::UNIVERSAL);
  ASSERT_FALSE(profile.etag().empty());

  const testing::RunResult listed = Ctl(
      {"--output", "json", "profiles", "list", "--family-name-prefix", "macl"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  v1::ListProfilesResponse list;
  ParseJson(listed.out, &list);
  ASSERT_EQ(list.profiles_size(), 1) << listed.out;
  EXPECT_EQ(list.profiles(0).name(), "profiles/ailsa-macleod");

  const std::vector<std::string> update = {"--output=json",
                                           "profiles",
                                           "update",
                                           "profiles/ailsa-macleod",
                                           "--support-level=targeted",
                                           "--etag=" + profile.etag()};
  const testing::RunResult updated = Ctl(update);
  ASSERT_EQ(updated.exit_code, 0) << updated.err;
  v1::Profile after;
  ParseJson(updated.out, &after);
  EXPECT_EQ(after.support_level(), v1::Profile::TARGETED);
  EXPECT_EQ(after.school_stage(), "S4");  // not in the update: unchanged
  EXPECT_NE(after.etag(), profile.etag());

  // The same change again carries the etag the first one replaced.
  const testing::RunResult stale = Ctl(update);
  EXPECT_EQ(stale.exit_code, 1);
  EXPECT_THAT(stale.err, HasSubstr("ABORTED"));
  const testing::RunResult reread =
      Ctl({"--output", "json", "profiles", "get", "profiles/ailsa-macleod"});
  ASSERT_EQ(reread.exit_code, 0) << reread.err;
  v1::Profile current;
  ParseJson(reread.out, &current);
  EXPECT_EQ(current.etag(), after.etag());
}

TEST_F(CareersctlTest, RejectsBadInputWithExitCodes) {
  ASSERT_TRUE(StartServer());
  const absl::CivilDay next_month =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()) + 31;
  const testing::RunResult future =
      Ctl({"profiles", "create", "--given-name", "Ailsa", "--family-name",
           "MacLeod", "--birth-date", absl::FormatCivilTime(next_month),
           "--life-stage", "school", "--school-stage", "S4"});
  EXPECT_EQ(future.exit_code, 1);
  EXPECT_THAT(future.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(future.err, HasSubstr("profile.birth_date"));

  const testing::RunResult unknown_flag =
      Ctl({"profiles", "create", "--no-such-flag", "x"});
  EXPECT_EQ(unknown_flag.exit_code, 2);
  EXPECT_THAT(unknown_flag.err, HasSubstr("--no-such-flag"));

  // Neither reached the database.
  const testing::RunResult listed =
      Ctl({"--output", "json", "profiles", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  v1::ListProfilesResponse list;
  ParseJson(listed.out, &list);
  EXPECT_EQ(list.profiles_size(), 0) << listed.out;
}

TEST_F(CareersctlTest, AchievesAGoalOnce) {
  ASSERT_TRUE(StartServer());
  ASSERT_FALSE(CreateProfile("ailsa").name().empty());
  const testing::RunResult created =
      Ctl({"--output", "json", "goals", "create", "profiles/ailsa", "--title",
           "Choose Higher subjects", "--type", "subject-choice"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  v1::Goal goal;
  ParseJson(created.out, &goal);
  EXPECT_THAT(goal.name(), StartsWith("profiles/ailsa/goals/"));
  EXPECT_EQ(goal.title(), "Choose Higher subjects");
  EXPECT_EQ(goal.goal_type(), v1::Goal::SUBJECT_CHOICE);
  EXPECT_EQ(goal.state(), v1::Goal::IN_PROGRESS);

  const testing::RunResult achieved =
      Ctl({"--output", "json", "goals", "achieve", goal.name()});
  ASSERT_EQ(achieved.exit_code, 0) << achieved.err;
  v1::Goal done;
  ParseJson(achieved.out, &done);
  EXPECT_EQ(done.state(), v1::Goal::ACHIEVED);

  const testing::RunResult again = Ctl({"goals", "achieve", goal.name()});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("FAILED_PRECONDITION"));

  const testing::RunResult got =
      Ctl({"--output", "json", "goals", "get", goal.name()});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  v1::Goal still;
  ParseJson(got.out, &still);
  EXPECT_EQ(still.state(), v1::Goal::ACHIEVED);
  EXPECT_EQ(still.etag(), done.etag());
}

TEST_F(BufCurlTest, GetsAProfileThroughReflection) {
  ASSERT_TRUE(StartServer());
  ASSERT_FALSE(CreateProfile("ailsa").name().empty());
  const testing::RunResult got =
      BufCurl("careers.v1.ProfileService/GetProfile",
              {"-d", R"({"name": "profiles/ailsa"})"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  v1::Profile profile;
  ParseJson(got.out, &profile);
  EXPECT_EQ(profile.name(), "profiles/ailsa");
  EXPECT_EQ(profile.given_name(), "Ailsa");
  EXPECT_EQ(profile.family_name(), "MacLeod");

  const testing::RunResult missing =
      BufCurl("careers.v1.ProfileService/GetProfile",
              {"-d", R"({"name": "profiles/nobody"})"});
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_THAT(missing.out + missing.err, HasSubstr("not_found"));
}

TEST_F(BufCurlTest, ChecksHealthWithTheHealthSchema) {
  ASSERT_TRUE(StartServer());
  const testing::RunResult checked = BufCurl(
      "grpc.health.v1.Health/Check", {"--schema", CAREERS_HEALTH_PROTO});
  ASSERT_EQ(checked.exit_code, 0) << checked.err;
  grpc::health::v1::HealthCheckResponse response;
  ParseJson(checked.out, &response);
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

}  // namespace
}  // namespace careers::e2e
