// The AIP-160 subset accepted by list methods.
#include "server/domain/filter.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_data.h"

namespace careers {
namespace {

const std::vector<absl::string_view> kFields = {"life_stage", "family_name",
                                                "home_organisation"};

TEST(Filter, EmptyMeansNoTerms) {
  auto terms = ParseFilter("   ", kFields);
  ASSERT_TRUE(terms.ok());
  EXPECT_TRUE(terms->empty());
}

TEST(Filter, ConjunctionsOfEqualities) {
  auto terms = ParseFilter(
      R"(life_stage = SCHOOL AND family_name="Mac \"the\" \\ *" AND home_organisation = "organisations/a")",
      kFields);
  ASSERT_TRUE(terms.ok()) << terms.status();
  ASSERT_EQ(terms->size(), 3u);
  EXPECT_EQ((*terms)[0].field, "life_stage");
  EXPECT_EQ((*terms)[0].value, "SCHOOL");
  EXPECT_FALSE((*terms)[0].quoted);
  EXPECT_EQ((*terms)[1].value, "Mac \"the\" \\ *");
  EXPECT_TRUE((*terms)[1].quoted);
  EXPECT_EQ((*terms)[2].value, "organisations/a");
}

TEST(Filter, RejectsWhatItDoesNotSupport) {
  for (const char* bad :
       {"shoe_size = 9", "life_stage = SCHOOL OR life_stage = COLLEGE",
        "life_stage != SCHOOL", "family_name = \"open",
        "life_stage =", "life_stage = SCHOOL AND life_stage = COLLEGE",
        "= SCHOOL", "family_name = \"a\\nb\""}) {
    auto terms = ParseFilter(bad, kFields);
    EXPECT_EQ(terms.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(testing::ViolatedFields(terms.status()),
                ::testing::ElementsAre("filter"))
        << bad;
  }
}

}  // namespace
}  // namespace careers
