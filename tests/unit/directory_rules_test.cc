// The directory's pure rules: normal forms and violations of organisations,
// advisers and locations, time zones, the parent rule, and who sees an
// adviser's email and subject.
#include "server/domain/directory_rules.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/test_data.h"

namespace careers::rules {
namespace {

using ::careers::testing::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Fields(const errors::FieldViolations& v) {
  return ViolatedFields(v.ToStatus());
}

v1::Adviser ValidAdviser() {
  v1::Adviser a;
  a.set_organisation("organisations/sds");
  a.set_display_name("Morag Campbell");
  a.add_language_codes("en");
  return a;
}

v1::Location ValidCentre() {
  v1::Location l;
  l.set_organisation("organisations/sds");
  l.set_display_name("Leith careers centre");
  l.set_kind(v1::Location::CENTRE);
  l.mutable_address()->add_lines("1 Great Junction Street");
  l.mutable_address()->set_postcode("eh6 5ab");
  return l;
}

TEST(AdviserRulesTest, NormalizesAndDefaults) {
  v1::Adviser a = ValidAdviser();
  a.set_display_name("  Morag Campbell ");
  a.clear_language_codes();
  a.add_language_codes(" GD");
  a.add_language_codes("en");
  a.add_language_codes("gd");
  a.add_channels(v1::Adviser::VIDEO);
  a.add_channels(v1::Adviser::IN_PERSON);
  a.add_channels(v1::Adviser::VIDEO);
  a.add_specialisms(" Apprenticeships ");
  a.add_specialisms("Apprenticeships");
  a.set_email(" morag@sds.example ");
  errors::FieldViolations v;
  NormalizeAndCheckAdviser(a, "adviser", v);
  EXPECT_THAT(Fields(v), IsEmpty());
  EXPECT_EQ(a.display_name(), "Morag Campbell");
  EXPECT_THAT(a.language_codes(), ElementsAre("gd", "en"));
  EXPECT_THAT(a.channels(),
              ElementsAre(v1::Adviser::VIDEO, v1::Adviser::IN_PERSON));
  EXPECT_THAT(a.specialisms(), ElementsAre("Apprenticeships"));
  EXPECT_EQ(a.email(), "morag@sds.example");
  ASSERT_TRUE(a.has_active());
  EXPECT_TRUE(a.active());

  v1::Adviser inactive = ValidAdviser();
  inactive.set_active(false);
  NormalizeAndCheckAdviser(inactive, "adviser", v);
  EXPECT_FALSE(inactive.active());
}

TEST(AdviserRulesTest, NamesEveryBadField) {
  v1::Adviser a;
  a.set_organisation("schools/x");
  a.add_language_codes("fr");
  a.add_channels(static_cast<v1::Adviser::Channel>(0));
  a.add_channels(static_cast<v1::Adviser::Channel>(42));
  a.add_specialisms(std::string(101, 's'));
  a.set_email("not an email");
  a.set_subject("has space");
  errors::FieldViolations v;
  NormalizeAndCheckAdviser(a, "adviser", v);
  EXPECT_THAT(Fields(v), UnorderedElementsAre(
                             "adviser.organisation", "adviser.display_name",
                             "adviser.language_codes[0]", "adviser.channels[0]",
                             "adviser.channels[1]", "adviser.specialisms[0]",
                             "adviser.email", "adviser.subject"));
}

TEST(AdviserRulesTest, NeedsAnOrganisationAndALanguage) {
  v1::Adviser a = ValidAdviser();
  a.clear_organisation();
  a.clear_language_codes();
  errors::FieldViolations v;
  NormalizeAndCheckAdviser(a, "adviser", v);
  EXPECT_THAT(Fields(v), UnorderedElementsAre("adviser.organisation",
                                              "adviser.language_codes"));
}

TEST(AdviserRulesTest, LimitsSpecialismsAndSubjects) {
  v1::Adviser a = ValidAdviser();
  for (int i = 0; i < 21; ++i) a.add_specialisms("topic " + std::to_string(i));
  a.set_subject(std::string(256, 'x'));
  errors::FieldViolations v;
  NormalizeAndCheckAdviser(a, "adviser", v);
  EXPECT_THAT(Fields(v),
              UnorderedElementsAre("adviser.specialisms", "adviser.subject"));

  v1::Adviser ok = ValidAdviser();
  ok.set_subject(std::string(255, 'x'));
  errors::FieldViolations none;
  NormalizeAndCheckAdviser(ok, "adviser", none);
  EXPECT_TRUE(none.empty());
}

TEST(OrganisationRulesTest, KindNameParentAndWebsite) {
  v1::Organisation o;
  o.set_display_name(std::string(201, 'a'));
  o.set_region(std::string(101, 'r'));
  o.set_parent("organisations/Not_Valid");
  o.set_website_uri("ftp://example.org");
  errors::FieldViolations v;
  NormalizeAndCheckOrganisation(o, "organisation", v);
  EXPECT_THAT(Fields(v), UnorderedElementsAre(
                             "organisation.display_name", "organisation.kind",
                             "organisation.region", "organisation.parent",
                             "organisation.website_uri"));

  v1::Organisation good;
  good.set_display_name(" Leith Academy ");
  good.set_kind(v1::Organisation::SCHOOL);
  good.set_region(" City of Edinburgh ");
  good.set_website_uri("https://leithacademy.example");
  errors::FieldViolations none;
  NormalizeAndCheckOrganisation(good, "organisation", none);
  EXPECT_TRUE(none.empty()) << none.ToStatus();
  EXPECT_EQ(good.display_name(), "Leith Academy");
  EXPECT_EQ(good.region(), "City of Edinburgh");
}

TEST(LocationRulesTest, NormalizesAddressAndDefaultsTheTimeZone) {
  v1::Location l = ValidCentre();
  l.add_accessibility(v1::Location::HEARING_LOOP);
  l.add_accessibility(v1::Location::HEARING_LOOP);
  errors::FieldViolations v;
  NormalizeAndCheckLocation(l, "location", v);
  EXPECT_TRUE(v.empty()) << v.ToStatus();
  EXPECT_EQ(l.address().postcode(), "EH6 5AB");
  EXPECT_EQ(l.time_zone(), "Europe/London");
  EXPECT_THAT(l.accessibility(), ElementsAre(v1::Location::HEARING_LOOP));
}

TEST(LocationRulesTest, OnlyVirtualLocationsMayHaveNoPostcode) {
  v1::Location l = ValidCentre();
  l.clear_address();
  errors::FieldViolations v;
  NormalizeAndCheckLocation(l, "location", v);
  EXPECT_THAT(Fields(v), ElementsAre("location.address.postcode"));

  l.set_kind(v1::Location::VIRTUAL);
  errors::FieldViolations none;
  NormalizeAndCheckLocation(l, "location", none);
  EXPECT_TRUE(none.empty()) << none.ToStatus();
}

TEST(LocationRulesTest, UnknownTimeZoneAndBadFieldsAreNamed) {
  v1::Location l = ValidCentre();
  l.set_time_zone("Mars/Olympus_Mons");
  l.mutable_address()->set_postcode("not a postcode");
  l.add_accessibility(static_cast<v1::Location::AccessibilityFeature>(0));
  errors::FieldViolations v;
  NormalizeAndCheckLocation(l, "location", v);
  EXPECT_THAT(Fields(v), UnorderedElementsAre("location.time_zone",
                                              "location.address.postcode",
                                              "location.accessibility[0]"));
}

TEST(TimeZoneTest, KnownIanaNamesOnly) {
  for (const char* zone : {"Europe/London", "UTC", "Europe/Dublin",
                           "America/Argentina/Buenos_Aires", "Etc/GMT+1"}) {
    EXPECT_TRUE(IsKnownTimeZone(zone)) << zone;
  }
  for (const char* zone :
       {"", "Mars/Olympus_Mons", "europe/london", "/dev/stdin", "../etc/passwd",
        "Europe/../Europe/London", "file:Europe/London", "localtime",
        "Europe//London", "Europe/London/", "Fixed/UTC+01:00:00",
        "Europe/London\n"}) {
    EXPECT_FALSE(IsKnownTimeZone(zone)) << zone;
  }
}

// Parents for CheckParent: id → parent id ("" for a root).
class ParentTest : public ::testing::Test {
 protected:
  std::vector<std::string> Check(const std::string& id,
                                 const std::string& parent) {
    errors::FieldViolations v;
    const absl::Status status = CheckParent(
        id, parent,
        [this](const std::string& org)
            -> absl::StatusOr<std::optional<std::string>> {
          ++lookups_;
          auto it = parents_.find(org);
          if (it == parents_.end()) return std::nullopt;
          return it->second;
        },
        "organisation.parent", v);
    EXPECT_TRUE(status.ok()) << status;
    last_ = v.ToStatus();
    return Fields(v);
  }

  std::map<std::string, std::string> parents_ = {
      {"sds", ""}, {"lothian", "sds"}, {"leith", "lothian"}, {"trinity", ""}};
  int lookups_ = 0;
  absl::Status last_;
};

TEST_F(ParentTest, AnExistingParentAboveNoCycleIsFine) {
  EXPECT_THAT(Check("trinity", "leith"), IsEmpty());
  EXPECT_THAT(Check("trinity", ""), IsEmpty());
}

TEST_F(ParentTest, ItselfOrItsOwnDescendantIsACycle) {
  EXPECT_THAT(Check("sds", "sds"), ElementsAre("organisation.parent"));
  EXPECT_THAT(Check("sds", "leith"), ElementsAre("organisation.parent"));
  EXPECT_THAT(std::string(last_.message()), HasSubstr("cycle"));
}

TEST_F(ParentTest, MissingParentIsNamed) {
  EXPECT_THAT(Check("trinity", "nowhere"), ElementsAre("organisation.parent"));
  EXPECT_THAT(std::string(last_.message()),
              HasSubstr("organisations/nowhere does not exist"));
}

TEST_F(ParentTest, AtMostTenAbove) {
  // o1 ← o2 ← ... ← o10: o10 has nine above it.
  parents_["o1"] = "";
  for (int i = 2; i <= 11; ++i) {
    parents_["o" + std::to_string(i)] = "o" + std::to_string(i - 1);
  }
  EXPECT_THAT(Check("new", "o10"), IsEmpty());  // ten above
  EXPECT_THAT(Check("new", "o11"), ElementsAre("organisation.parent"));
  EXPECT_THAT(std::string(last_.message()), HasSubstr("more than 10"));
}

TEST_F(ParentTest, AnOldCycleAboveDoesNotLoopForever) {
  parents_["x"] = "y";
  parents_["y"] = "x";
  EXPECT_THAT(Check("trinity", "x"), ElementsAre("organisation.parent"));
  EXPECT_LE(lookups_, kMaxParentChain + 1);
}

// Who sees an adviser's email and subject.
class RedactionTest : public ::testing::Test {
 protected:
  RedactionTest() {
    adviser_ = ValidAdviser();  // of organisations/sds
    adviser_.set_email("morag@sds.example");
    adviser_.set_subject("idp|morag");
  }
  v1::Adviser SeenBy(auth::Role role, const std::string& organisation = "",
                     const std::string& subject = "someone") {
    auth::Principal p;
    p.role = role;
    p.organisation = organisation;
    p.subject = subject;
    v1::Adviser copy = adviser_;
    RedactAdviser(p, copy);
    return copy;
  }
  v1::Adviser adviser_;
};

TEST_F(RedactionTest, AdminsTheAdviserAndStaffOfTheSameOrganisationSeeAll) {
  EXPECT_EQ(SeenBy(auth::Role::kAdmin).email(), "morag@sds.example");
  EXPECT_EQ(SeenBy(auth::Role::kPerson, "", "idp|morag").subject(),
            "idp|morag");
  EXPECT_EQ(SeenBy(auth::Role::kAdviser, "organisations/sds").email(),
            "morag@sds.example");
  const v1::Adviser by_org_admin =
      SeenBy(auth::Role::kOrgAdmin, "organisations/sds");
  EXPECT_EQ(by_org_admin.email(), "morag@sds.example");
  EXPECT_EQ(by_org_admin.subject(), "idp|morag");
}

TEST_F(RedactionTest, OtherOrganisationsStaffPersonsAndServicesSeeNeither) {
  for (const v1::Adviser& seen :
       {SeenBy(auth::Role::kAdviser, "organisations/careers-wales"),
        SeenBy(auth::Role::kOrgAdmin, "organisations/careers-wales"),
        SeenBy(auth::Role::kPerson, "organisations/sds"),
        SeenBy(auth::Role::kGuardian), SeenBy(auth::Role::kService),
        SeenBy(auth::Role::kAdviser, "")}) {
    EXPECT_EQ(seen.email(), "");
    EXPECT_EQ(seen.subject(), "");
    EXPECT_EQ(seen.display_name(), "Morag Campbell");  // public fields stay
    EXPECT_THAT(seen.language_codes(), ElementsAre("en"));
  }
}

TEST_F(RedactionTest, AnEmptySubjectMatchesNobody) {
  adviser_.clear_subject();
  EXPECT_EQ(SeenBy(auth::Role::kPerson, "", "").email(), "");
}

}  // namespace
}  // namespace careers::rules
