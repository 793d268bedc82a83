// Single-field checks: email, UK phone and postcode, URLs, dates, text.
#include "server/domain/field_checks.h"

#include "gtest/gtest.h"
#include "tests/support/test_data.h"

namespace careers::checks {
namespace {

TEST(FieldChecks, Email) {
  EXPECT_TRUE(IsValidEmail("a.b+tag@school.sch.uk"));
  EXPECT_TRUE(IsValidEmail("x@example.org"));
  EXPECT_FALSE(IsValidEmail("no-at-sign"));
  EXPECT_FALSE(IsValidEmail("@example.org"));
  EXPECT_FALSE(IsValidEmail("a@example"));
  EXPECT_FALSE(IsValidEmail("a..b@example.org"));
  EXPECT_FALSE(IsValidEmail("a@-example.org"));
  EXPECT_FALSE(IsValidEmail("a b@example.org"));
  EXPECT_FALSE(IsValidEmail(std::string(65, 'a') + "@example.org"));
}

TEST(FieldChecks, UkPhoneNumbersNormalizeToE164) {
  EXPECT_EQ(NormalizeUkPhone("07700 900123"), "+447700900123");
  EXPECT_EQ(NormalizeUkPhone("+44 7700 900123"), "+447700900123");
  EXPECT_EQ(NormalizeUkPhone("+44 (0)131 496 0000"), "+441314960000");
  EXPECT_EQ(NormalizeUkPhone("0044 29 2018 0000"), "+442920180000");
  EXPECT_EQ(NormalizeUkPhone("(029) 2018-0000"), "+442920180000");
  EXPECT_EQ(NormalizeUkPhone("+33 1 23 45 67 89"), std::nullopt);
  EXPECT_EQ(NormalizeUkPhone("07700 9001"), std::nullopt);
  EXPECT_EQ(NormalizeUkPhone("077009001234567"), std::nullopt);
  EXPECT_EQ(NormalizeUkPhone("07700 900123 ext 4"), std::nullopt);
  EXPECT_EQ(NormalizeUkPhone("7700900123"), std::nullopt);
}

TEST(FieldChecks, UkPostcodesNormalize) {
  EXPECT_EQ(NormalizeUkPostcode("eh11yz"), "EH1 1YZ");
  EXPECT_EQ(NormalizeUkPostcode("CF10 1EP"), "CF10 1EP");
  EXPECT_EQ(NormalizeUkPostcode("w1a 0ax"), "W1A 0AX");
  EXPECT_EQ(NormalizeUkPostcode("M1 1AE"), "M1 1AE");
  EXPECT_EQ(NormalizeUkPostcode("GIR 0AA"), "GIR 0AA");
  EXPECT_EQ(NormalizeUkPostcode("12345"), std::nullopt);
  EXPECT_EQ(NormalizeUkPostcode("EH1 YZ1"), std::nullopt);
  EXPECT_EQ(NormalizeUkPostcode("EH1-1YZ"), std::nullopt);
  EXPECT_EQ(NormalizeUkPostcode("ABCDE 1AA"), std::nullopt);
}

TEST(FieldChecks, HttpUrls) {
  EXPECT_TRUE(IsValidHttpUrl("https://www.myworldofwork.co.uk/"));
  EXPECT_TRUE(IsValidHttpUrl("http://example.org/a?b=c"));
  EXPECT_FALSE(IsValidHttpUrl("ftp://example.org"));
  EXPECT_FALSE(IsValidHttpUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsValidHttpUrl("https://"));
  EXPECT_FALSE(IsValidHttpUrl("https://exa mple.org"));
}

TEST(FieldChecks, TextLimitsAndMultiline) {
  errors::FieldViolations v;
  CheckText(v, "a", "line one\nline two", {0, 100, true});
  EXPECT_TRUE(v.empty());
  CheckText(v, "b", "line one\nline two", {0, 100, false});
  CheckText(v, "c", "abcd", {0, 3});
  CheckText(v, "d", "", {1, 3});
  CheckText(v, "e", "\xFF", {0, 3});
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(v.list()[0].first, "b");
  EXPECT_EQ(v.list()[1].first, "c");
  EXPECT_EQ(v.list()[2].first, "d");
  EXPECT_EQ(v.list()[3].first, "e");
}

TEST(FieldChecks, Dates) {
  errors::FieldViolations v;
  const google::type::Date leap = testing::Date(2024, 2, 29);
  const google::type::Date not_leap = testing::Date(2023, 2, 29);
  EXPECT_EQ(CheckDate(v, "a", &leap, true), absl::CivilDay(2024, 2, 29));
  EXPECT_EQ(CheckDate(v, "b", &not_leap, true), std::nullopt);
  EXPECT_EQ(CheckDate(v, "c", nullptr, false), std::nullopt);
  EXPECT_EQ(CheckDate(v, "d", nullptr, true), std::nullopt);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.list()[0].first, "b");
  EXPECT_EQ(v.list()[1].first, "d");
}

}  // namespace
}  // namespace careers::checks
