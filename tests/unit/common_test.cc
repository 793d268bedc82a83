// Ids, UTF-8, calendar dates, etags.
#include <set>

#include "gtest/gtest.h"
#include "server/common/ids.h"
#include "server/common/proto_time.h"
#include "server/common/utf8.h"
#include "server/domain/etag.h"
#include "server/domain/resource_names.h"
#include "tests/support/test_data.h"

namespace careers {
namespace {

TEST(Ids, OpaqueSortableAndUnique) {
  const absl::Time now = testing::TestNow();
  std::set<std::string> seen;
  std::string previous = NewResourceId(now - absl::Milliseconds(1));
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewResourceId(now);
    EXPECT_EQ(id.size(), 26u);
    EXPECT_TRUE(names::IsValidId(id)) << id;
    EXPECT_LT(previous, id);  // a later millisecond sorts later
    EXPECT_TRUE(seen.insert(id).second);
  }
}

TEST(Ids, ClientChosenIdsFollowAip122) {
  EXPECT_TRUE(names::IsValidClientChosenId("demo-eilidh"));
  EXPECT_FALSE(names::IsValidClientChosenId("1abc"));
  EXPECT_FALSE(names::IsValidClientChosenId("abc-"));
  EXPECT_FALSE(names::IsValidClientChosenId("Abc"));
  EXPECT_FALSE(names::IsValidClientChosenId(std::string(64, 'a')));
}

TEST(ResourceNames, ParseAndReject) {
  EXPECT_EQ(*names::ParseName("name", "profiles/abc", "profiles"), "abc");
  EXPECT_FALSE(names::ParseName("name", "profiles/", "profiles").ok());
  EXPECT_FALSE(names::ParseName("name", "goals/abc", "profiles").ok());
  EXPECT_FALSE(names::ParseName("name", "profiles/abc/def", "profiles").ok());
  EXPECT_FALSE(names::ParseName("name", "profiles/ABC", "profiles").ok());
  auto child =
      names::ParseChildName("name", "profiles/p/goals/g", "profiles", "goals");
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(child->parent_id, "p");
  EXPECT_EQ(child->id, "g");
}

TEST(Utf8, LengthAndValidity) {
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("Siân"), 4u);
  EXPECT_EQ(Utf8Length("\xF0\x9F\x98\x80"), 1u);            // emoji
  EXPECT_EQ(Utf8Length("\xC0\xAF"), std::nullopt);          // overlong '/'
  EXPECT_EQ(Utf8Length("\xED\xA0\x80"), std::nullopt);      // surrogate
  EXPECT_EQ(Utf8Length("\xF4\x90\x80\x80"), std::nullopt);  // above U+10FFFF
  EXPECT_EQ(Utf8Length("abc\xE2\x82"), std::nullopt);       // truncated
  EXPECT_TRUE(HasControlCharacters("a\x1b[31m", false));
  EXPECT_TRUE(HasControlCharacters("a\xC2\x85", false));  // NEL
  EXPECT_FALSE(HasControlCharacters("a\nb", true));
}

TEST(Dates, RealDatesOnlyAndAges) {
  EXPECT_EQ(ToCivilDay(testing::Date(2024, 2, 29)),
            absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(ToCivilDay(testing::Date(2025, 2, 29)), std::nullopt);
  EXPECT_EQ(ToCivilDay(testing::Date(2025, 4, 31)), std::nullopt);
  EXPECT_EQ(
      YearsBetween(absl::CivilDay(2011, 4, 12), absl::CivilDay(2026, 4, 11)),
      14);
  EXPECT_EQ(
      YearsBetween(absl::CivilDay(2011, 4, 12), absl::CivilDay(2026, 4, 12)),
      15);
  const absl::Time t = testing::TestNow() + absl::Microseconds(123456);
  EXPECT_EQ(FromProtoTimestamp(ToProtoTimestamp(t)), t);
}

TEST(Etags, DifferPerVersionAndPerCreation) {
  const absl::Time t = testing::TestNow();
  EXPECT_EQ(MakeEtag("profiles/a", t, 1), MakeEtag("profiles/a", t, 1));
  EXPECT_NE(MakeEtag("profiles/a", t, 1), MakeEtag("profiles/a", t, 2));
  EXPECT_NE(MakeEtag("profiles/a", t, 1),
            MakeEtag("profiles/a", t + absl::Seconds(1), 1));
  EXPECT_NE(MakeEtag("profiles/a", t, 1), MakeEtag("profiles/b", t, 1));
}

}  // namespace
}  // namespace careers
