// Validation and normal forms of profiles, goals and actions.
#include "server/domain/profile_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_data.h"

namespace careers::rules {
namespace {

using ::careers::testing::Date;
using ::careers::testing::ValidProfile;
using ::careers::testing::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const absl::CivilDay kToday(2026, 11, 23);

std::vector<std::string> Check(v1::Profile& p) {
  errors::FieldViolations v;
  NormalizeAndCheckProfile(p, kToday, "profile", v);
  return ViolatedFields(v.ToStatus());
}

TEST(ProfileRules, ValidProfilePassesAndIsNormalized) {
  v1::Profile p = ValidProfile("  Eilidh ", "MacDonald");
  p.set_school_stage("s4");
  p.mutable_contact()->mutable_address()->set_postcode("eh6 7bq");
  EXPECT_THAT(Check(p), IsEmpty());
  EXPECT_EQ(p.given_name(), "Eilidh");
  EXPECT_EQ(p.school_stage(), "S4");
  EXPECT_EQ(p.contact().phone(), "+447700900123");
  EXPECT_EQ(p.contact().address().postcode(), "EH6 7BQ");
  EXPECT_EQ(p.preferred_language_code(), "en");
  EXPECT_EQ(p.support_level(), v1::Profile::UNIVERSAL);
}

TEST(ProfileRules, EmptyAndBlankNamesAreRejected) {
  v1::Profile p = ValidProfile("", "   ");
  EXPECT_THAT(Check(p), UnorderedElementsAre("profile.given_name",
                                             "profile.family_name"));
}

TEST(ProfileRules, NamesOverTheLimitAreRejectedCountingCharactersNotBytes) {
  v1::Profile ok = ValidProfile();
  std::string hundred_welsh;
  for (int i = 0; i < 100; ++i) hundred_welsh += "ŵ";  // 2 bytes each
  ok.set_family_name(hundred_welsh);
  EXPECT_THAT(Check(ok), IsEmpty());
  v1::Profile too_long = ValidProfile();
  too_long.set_family_name(hundred_welsh + "a");
  EXPECT_THAT(Check(too_long), ElementsAre("profile.family_name"));
}

TEST(ProfileRules, InvalidUtf8AndControlCharactersAreRejected) {
  v1::Profile p = ValidProfile();
  p.set_given_name(std::string("Ei\xC3\x28lidh"));  // broken 2-byte sequence
  p.set_family_name(
      "Mac\x07"
      "Donald");  // BEL
  EXPECT_THAT(Check(p), UnorderedElementsAre("profile.given_name",
                                             "profile.family_name"));
}

TEST(ProfileRules, BirthDateMustBeARealDateInThePastWithinTheAgeRange) {
  struct Case {
    google::type::Date date;
    bool ok;
  };
  const Case cases[] = {
      {Date(2030, 1, 1), false},    // future
      {Date(2011, 2, 30), false},   // no such day
      {Date(2011, 13, 1), false},   // no such month
      {Date(0, 4, 12), false},      // no year
      {Date(2016, 11, 24), false},  // 9 years old: a day short of 10
      {Date(2016, 11, 23), true},   // 10 today
      {Date(1906, 11, 23), true},   // 120 today
      {Date(1905, 11, 22), false},  // 121
  };
  for (const Case& c : cases) {
    v1::Profile p = ValidProfile();
    *p.mutable_birth_date() = c.date;
    EXPECT_EQ(Check(p).empty(), c.ok) << c.date.ShortDebugString();
  }
  v1::Profile missing = ValidProfile();
  missing.clear_birth_date();
  EXPECT_THAT(Check(missing), ElementsAre("profile.birth_date"));
}

TEST(ProfileRules, ContactDetailsMustBeWellFormed) {
  v1::Profile p = ValidProfile();
  p.mutable_contact()->set_email("pupil@localhost");
  p.mutable_contact()->set_phone("+33 1 23 45 67 89");
  p.mutable_contact()->mutable_address()->set_postcode("NOT A CODE");
  EXPECT_THAT(Check(p), UnorderedElementsAre(
                            "profile.contact.email", "profile.contact.phone",
                            "profile.contact.address.postcode"));
}

TEST(ProfileRules, UnknownEnumValuesAreRejected) {
  v1::Profile p = ValidProfile();
  p.set_life_stage(static_cast<v1::Profile::LifeStage>(42));
  p.set_support_level(static_cast<v1::Profile::SupportLevel>(9));
  p.clear_school_stage();
  EXPECT_THAT(Check(p), UnorderedElementsAre("profile.life_stage",
                                             "profile.support_level"));
  v1::Profile unset = ValidProfile();
  unset.clear_life_stage();
  unset.clear_school_stage();
  EXPECT_THAT(Check(unset), ElementsAre("profile.life_stage"));
}

TEST(ProfileRules, SchoolStageOnlyForPupilsAndOnlyKnownStages) {
  v1::Profile employed = ValidProfile();
  employed.set_life_stage(v1::Profile::EMPLOYED);
  EXPECT_THAT(Check(employed), ElementsAre("profile.school_stage"));
  v1::Profile bad = ValidProfile();
  bad.set_school_stage("S7");
  EXPECT_THAT(Check(bad), ElementsAre("profile.school_stage"));
  EXPECT_EQ(NormalizeSchoolStage("year 10"), "Year 10");
  EXPECT_EQ(NormalizeSchoolStage("P7"), "P7");
  EXPECT_EQ(NormalizeSchoolStage("Year 15"), "");
}

TEST(ProfileRules, LanguageMustBeEnglishWelshOrGaelic) {
  v1::Profile p = ValidProfile();
  p.set_preferred_language_code("CY");
  EXPECT_THAT(Check(p), IsEmpty());
  EXPECT_EQ(p.preferred_language_code(), "cy");
  p.set_preferred_language_code("fr");
  EXPECT_THAT(Check(p), ElementsAre("profile.preferred_language_code"));
}

TEST(ProfileRules, QualificationLevelsFollowTheirFramework) {
  v1::Profile p = ValidProfile();
  auto* scqf = p.add_qualifications();
  scqf->set_title("Higher English");
  scqf->set_framework(v1::Qualification::SCQF);
  scqf->set_level(13);
  scqf->set_status(v1::Qualification::STUDYING);
  *scqf->mutable_award_date() = Date(2026, 8, 4);
  auto* cqfw = p.add_qualifications();
  cqfw->set_title("Entry Level Maths");
  cqfw->set_framework(v1::Qualification::CQFW);
  cqfw->set_level(0);
  cqfw->set_status(v1::Qualification::ACHIEVED);
  *cqfw->mutable_award_date() = Date(2027, 1, 1);
  EXPECT_THAT(Check(p),
              UnorderedElementsAre("profile.qualifications[0].level",
                                   "profile.qualifications[0].award_date",
                                   "profile.qualifications[1].award_date"));
}

TEST(ProfileRules, EndDatesNotBeforeStartAndHoursInRange) {
  v1::Profile p = ValidProfile();
  auto* job = p.add_employment_history();
  job->set_employer("Cafe");
  job->set_job_title("Barista");
  *job->mutable_start_date() = Date(2025, 5, 1);
  *job->mutable_end_date() = Date(2025, 4, 1);
  job->set_weekly_hours(100);
  EXPECT_THAT(Check(p), UnorderedElementsAre(
                            "profile.employment_history[0].end_date",
                            "profile.employment_history[0].weekly_hours"));
}

TEST(ProfileRules, ListsAreBounded) {
  v1::Profile p = ValidProfile();
  for (int i = 0; i < 21; ++i) p.add_career_interests("coding");
  EXPECT_THAT(Check(p), ElementsAre("profile.career_interests"));
}

TEST(ProfileRules, OtherAccessibilityNeedNeedsADetail) {
  v1::Profile p = ValidProfile();
  p.add_accessibility_needs()->set_kind(v1::AccessibilityNeed::OTHER);
  EXPECT_THAT(Check(p), ElementsAre("profile.accessibility_needs[0].detail"));
}

TEST(GoalRules, TitleAndTypeAreRequired) {
  v1::Goal g;
  errors::FieldViolations v;
  NormalizeAndCheckGoal(g, "goal", v);
  EXPECT_THAT(ViolatedFields(v.ToStatus()),
              UnorderedElementsAre("goal.title", "goal.goal_type"));
}

TEST(ActionRules, GoalMustBeInTheSameProfileAndAdviserOnlyForAdviserOwned) {
  v1::Action a;
  a.set_title("Visit the college open day");
  a.set_owner(v1::Action::PERSON);
  a.set_goal("profiles/someone-else/goals/g1");
  a.set_owner_adviser("advisers/a1");
  a.mutable_signposted_to()->set_title("College");
  a.mutable_signposted_to()->set_uri("javascript:alert(1)");
  errors::FieldViolations v;
  NormalizeAndCheckAction(a, "me", "action", v);
  EXPECT_THAT(ViolatedFields(v.ToStatus()),
              UnorderedElementsAre("action.goal", "action.owner_adviser",
                                   "action.signposted_to.uri"));
}

}  // namespace
}  // namespace careers::rules
