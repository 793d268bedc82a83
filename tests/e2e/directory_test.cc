// The directory through the real server: careersctl's organisations,
// advisers and locations commands, `advisers import` of a CSV file, and buf
// curl on DirectoryService through server reflection.
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "careers/v1/directory_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/e2e_fixture.h"

namespace careers::e2e {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

class DirectoryE2eTest : public E2eTest {
 protected:
  // Runs careersctl with -o json and parses what it prints into `message`;
  // ASSERTs exit code 0 through the returned result.
  testing::RunResult CtlJson(const std::vector<std::string>& args,
                             google::protobuf::Message* message) {
    std::vector<std::string> argv = {"--output", "json"};
    argv.insert(argv.end(), args.begin(), args.end());
    testing::RunResult result = Ctl(argv);
    if (result.exit_code == 0) ParseJson(result.out, message);
    return result;
  }

  void CreateOrganisations() {
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{
             {"--id", "sds", "--display-name", "Skills Development Scotland",
              "--kind", "careers-service", "--region", "Scotland"},
             {"--id", "careers-wales", "--display-name", "Careers Wales",
              "--kind", "careers-service", "--region", "Wales"},
             {"--id", "leith-academy", "--display-name", "Leith Academy",
              "--kind", "school", "--region", "City of Edinburgh", "--parent",
              "organisations/sds", "--website", "https://leith.example"}}) {
      std::vector<std::string> argv = {"organisations", "create"};
      argv.insert(argv.end(), args.begin(), args.end());
      const testing::RunResult created = Ctl(argv);
      ASSERT_EQ(created.exit_code, 0) << created.err;
    }
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path =
        absl::StrCat(::testing::TempDir(), "/", db().name(), "-", name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
};

TEST_F(DirectoryE2eTest, OrganisationsAndTheirHierarchy) {
  ASSERT_TRUE(StartServer());
  CreateOrganisations();
  v1::Organisation leith;
  ASSERT_EQ(
      CtlJson({"organisations", "get", "organisations/leith-academy"}, &leith)
          .exit_code,
      0);
  EXPECT_EQ(leith.parent(), "organisations/sds");
  EXPECT_EQ(leith.kind(), v1::Organisation::SCHOOL);
  EXPECT_EQ(leith.website_uri(), "https://leith.example");

  v1::ListOrganisationsResponse list;
  ASSERT_EQ(
      CtlJson({"organisations", "list", "--parent", "organisations/sds"}, &list)
          .exit_code,
      0);
  ASSERT_EQ(list.organisations_size(), 1);
  EXPECT_EQ(list.organisations(0).name(), "organisations/leith-academy");

  // SDS under its own school would be a cycle.
  const testing::RunResult cycle =
      Ctl({"organisations", "update", "organisations/sds", "--parent",
           "organisations/leith-academy"});
  EXPECT_EQ(cycle.exit_code, 1);
  EXPECT_THAT(cycle.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(cycle.err, HasSubstr("organisation.parent: would make a cycle"));

  const testing::RunResult table =
      Ctl({"organisations", "list", "--kind", "careers-service"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("organisations/careers-wales  Careers Wales"
                                   "                "
                                   "careers-service  Wales"));
}

TEST_F(DirectoryE2eTest, AdvisersFromCreateToUndelete) {
  ASSERT_TRUE(StartServer());
  CreateOrganisations();
  v1::Adviser sian;
  const testing::RunResult created =
      CtlJson({"advisers",       "create",
               "--id",           "sian-hughes",
               "--organisation", "organisations/careers-wales",
               "--display-name", "Siân Hughes",
               "--language",     "cy",
               "--language",     "en",
               "--channel",      "video",
               "--specialism",   "Prentisiaethau",
               "--email",        "sian@careerswales.example",
               "--subject",      "idp|sian"},
              &sian);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(sian.name(), "advisers/sian-hughes");
  EXPECT_THAT(sian.language_codes(), ElementsAre("cy", "en"));
  EXPECT_TRUE(sian.active());
  EXPECT_EQ(sian.subject(), "idp|sian");  // the operator is an administrator

  const testing::RunResult morag =
      Ctl({"advisers", "create", "--id", "morag-campbell", "--organisation",
           "organisations/sds", "--display-name", "Morag Campbell",
           "--language", "en", "--language", "gd", "--subject", "idp|sian"});
  EXPECT_EQ(morag.exit_code, 1);
  EXPECT_THAT(morag.err, HasSubstr("ALREADY_EXISTS"));
  ASSERT_EQ(Ctl({"advisers", "create", "--id", "morag-campbell",
                 "--organisation", "organisations/sds", "--display-name",
                 "Morag Campbell", "--language", "en", "--language", "gd"})
                .exit_code,
            0);

  v1::ListAdvisersResponse welsh;
  ASSERT_EQ(CtlJson({"advisers", "list", "--language", "cy"}, &welsh).exit_code,
            0);
  ASSERT_EQ(welsh.advisers_size(), 1);
  EXPECT_EQ(welsh.advisers(0).name(), "advisers/sian-hughes");

  v1::Adviser updated;
  const testing::RunResult update = CtlJson(
      {"advisers", "update", "advisers/sian-hughes", "--channel", "phone",
       "--channel", "in-person", "--active", "false", "--etag", sian.etag()},
      &updated);
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_THAT(updated.channels(),
              ElementsAre(v1::Adviser::PHONE, v1::Adviser::IN_PERSON));
  EXPECT_FALSE(updated.active());
  EXPECT_THAT(updated.specialisms(), ElementsAre("Prentisiaethau"));

  v1::Adviser deleted;
  ASSERT_EQ(CtlJson({"advisers", "delete", "advisers/sian-hughes", "--etag",
                     updated.etag()},
                    &deleted)
                .exit_code,
            0);
  EXPECT_TRUE(deleted.has_delete_time());
  v1::ListAdvisersResponse listed;
  ASSERT_EQ(CtlJson({"advisers", "list"}, &listed).exit_code, 0);
  ASSERT_EQ(listed.advisers_size(), 1);
  EXPECT_EQ(listed.advisers(0).name(), "advisers/morag-campbell");
  ASSERT_EQ(CtlJson({"advisers", "list", "--show-deleted"}, &listed).exit_code,
            0);
  EXPECT_EQ(listed.advisers_size(), 2);
  const testing::RunResult again =
      Ctl({"advisers", "delete", "advisers/sian-hughes"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("NOT_FOUND"));

  v1::Adviser restored;
  ASSERT_EQ(CtlJson({"advisers", "undelete", "advisers/sian-hughes"}, &restored)
                .exit_code,
            0);
  EXPECT_FALSE(restored.has_delete_time());
  EXPECT_EQ(restored.subject(), "idp|sian");
}

TEST_F(DirectoryE2eTest, LocationsNeedPostcodesAndKnownTimeZones) {
  ASSERT_TRUE(StartServer());
  CreateOrganisations();
  const testing::RunResult no_postcode =
      Ctl({"locations", "create", "--organisation", "organisations/sds",
           "--display-name", "Leith centre", "--kind", "centre", "--time-zone",
           "Europe/Edinburgh"});
  EXPECT_EQ(no_postcode.exit_code, 1);
  EXPECT_THAT(no_postcode.err, HasSubstr("location.address.postcode"));
  EXPECT_THAT(no_postcode.err, HasSubstr("location.time_zone"));

  v1::Location centre;
  const testing::RunResult created =
      CtlJson({"locations",       "create",          "--id",
               "leith-centre",    "--organisation",  "organisations/sds",
               "--display-name",  "Leith centre",    "--kind",
               "centre",          "--address-line",  "1 Demo Wynd",
               "--town",          "Edinburgh",       "--postcode",
               "eh6 6aa",         "--accessibility", "step-free-access",
               "--accessibility", "hearing-loop"},
              &centre);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(centre.address().postcode(), "EH6 6AA");
  EXPECT_EQ(centre.time_zone(), "Europe/London");
  EXPECT_THAT(
      centre.accessibility(),
      ElementsAre(v1::Location::STEP_FREE_ACCESS, v1::Location::HEARING_LOOP));
  ASSERT_EQ(Ctl({"locations", "create", "--organisation",
                 "organisations/careers-wales", "--display-name",
                 "Careers Wales online", "--kind", "virtual"})
                .exit_code,
            0);

  v1::ListLocationsResponse virtual_ones;
  ASSERT_EQ(CtlJson({"locations", "list", "--kind", "virtual"}, &virtual_ones)
                .exit_code,
            0);
  ASSERT_EQ(virtual_ones.locations_size(), 1);
  EXPECT_EQ(virtual_ones.locations(0).display_name(), "Careers Wales online");

  const testing::RunResult moved =
      Ctl({"locations", "update", "locations/leith-centre", "--time-zone",
           "Europe/Dublin"});
  ASSERT_EQ(moved.exit_code, 0) << moved.err;
  EXPECT_THAT(moved.out, HasSubstr("Europe/Dublin"));
}

TEST_F(DirectoryE2eTest, ImportsAdvisersFromCsvAndReRunsSafely) {
  ASSERT_TRUE(StartServer());
  CreateOrganisations();
  const std::string csv =
      "adviser_id,organisation,display_name,language_codes,channels,"
      "specialisms,email,subject,active\r\n"
      "morag-campbell,sds,Morag Campbell,en;gd,in-person;video,"
      "\"Apprenticeships\r\nSubject choices, S3 to S6\",morag@sds.example,"
      "demo-adviser-morag-campbell,yes\r\n"
      ",careers-wales,\"Siân \"\"Sian\"\" Hughes\",cy;en,video,,,,\r\n"
      "ewan-macleod,sds,Ewan MacLeod,en,phone,,not-an-email,,\r\n"
      "rhys-evans,organisations/careers-wales,Rhys Evans,en,,,,,false\r\n";
  const std::string path = WriteFile("advisers.csv", csv);

  const testing::RunResult first = Ctl({"advisers", "import", path});
  EXPECT_EQ(first.exit_code, 1) << first.err;
  EXPECT_EQ(first.out,
            "created    3\n"
            "updated    0\n"
            "unchanged  0\n"
            "failed     1\n"
            "line 5 (advisers/ewan-macleod): INVALID_ARGUMENT: invalid "
            "adviser.email: is not a valid email address of at most 254 "
            "characters\n"
            "  adviser.email: is not a valid email address of at most 254 "
            "characters\n");
  EXPECT_THAT(first.err, Not(HasSubstr("\r[")));  // not a terminal

  v1::Adviser morag;
  ASSERT_EQ(
      CtlJson({"advisers", "get", "advisers/morag-campbell"}, &morag).exit_code,
      0);
  EXPECT_THAT(morag.specialisms(),
              ElementsAre("Apprenticeships", "Subject choices, S3 to S6"));
  EXPECT_THAT(morag.channels(),
              ElementsAre(v1::Adviser::IN_PERSON, v1::Adviser::VIDEO));
  EXPECT_EQ(morag.subject(), "demo-adviser-morag-campbell");
  v1::ListAdvisersResponse welsh;
  ASSERT_EQ(CtlJson({"advisers", "list", "--organisation",
                     "organisations/careers-wales"},
                    &welsh)
                .exit_code,
            0);
  ASSERT_EQ(welsh.advisers_size(), 2);
  EXPECT_EQ(welsh.advisers(1).display_name(), "Siân \"Sian\" Hughes");
  EXPECT_FALSE(welsh.advisers(0).active());  // Rhys Evans

  // The same file again: nothing new, nothing changed; the bad row still
  // fails.
  const testing::RunResult second = Ctl({"advisers", "import", path});
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_THAT(second.out, HasSubstr("created    0\n"
                                    "updated    0\n"
                                    "unchanged  3\n"
                                    "failed     1\n"
                                    "line 5 (advisers/ewan-macleod)"));
  ASSERT_EQ(CtlJson({"advisers", "list"}, &welsh).exit_code, 0);
  EXPECT_EQ(welsh.advisers_size(), 3);

  // Fixed and edited: the bad row is created, Morag's row updates her.
  std::string fixed = csv;
  fixed.replace(fixed.find("not-an-email"), 12, "ewan@sds.example");
  fixed.replace(fixed.find("en;gd"), 5, "en");
  const testing::RunResult third =
      Ctl({"advisers", "import", WriteFile("fixed.csv", fixed)});
  EXPECT_EQ(third.exit_code, 0) << third.out << third.err;
  EXPECT_EQ(third.out,
            "created    1\n"
            "updated    1\n"
            "unchanged  2\n"
            "failed     0\n");
  v1::Adviser after;
  ASSERT_EQ(
      CtlJson({"advisers", "get", "advisers/morag-campbell"}, &after).exit_code,
      0);
  EXPECT_THAT(after.language_codes(), ElementsAre("en"));
  EXPECT_NE(after.etag(), morag.etag());
}

TEST_F(DirectoryE2eTest, BufCurlReachesDirectoryServiceThroughReflection) {
  ASSERT_TRUE(StartServer());
  CreateOrganisations();
  const testing::RunResult got =
      BufCurl("careers.v1.DirectoryService/GetOrganisation",
              {"-d", R"({"name": "organisations/leith-academy"})"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  v1::Organisation leith;
  ParseJson(got.out, &leith);
  EXPECT_EQ(leith.display_name(), "Leith Academy");
  EXPECT_EQ(leith.parent(), "organisations/sds");

  const testing::RunResult listed =
      BufCurl("careers.v1.DirectoryService/ListOrganisations",
              {"-d", R"({"filter": "region = \"wales\"", "pageSize": 5})"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  v1::ListOrganisationsResponse list;
  ParseJson(listed.out, &list);
  ASSERT_EQ(list.organisations_size(), 1);
  EXPECT_EQ(list.organisations(0).name(), "organisations/careers-wales");

  const testing::RunResult bad =
      BufCurl("careers.v1.DirectoryService/CreateLocation",
              {"-d", R"({"location": {"organisation": "organisations/sds",
                  "displayName": "Somewhere", "kind": "CENTRE",
                  "address": {"postcode": "EH1 1YZ"},
                  "timeZone": "Atlantis/Capital"}})"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_THAT(bad.out + bad.err, HasSubstr("invalid_argument"));
  EXPECT_THAT(bad.out + bad.err, HasSubstr("location.time_zone"));
}

using DirectoryDemoTest = EmptyDatabaseE2eTest;

TEST_F(DirectoryDemoTest, DemoDirectoryLoadsTwiceAndReadsBack) {
  ASSERT_EQ(RunServerCommand({"--migrate"}).exit_code, 0);
  for (int load = 0; load < 2; ++load) {
    const testing::RunResult loaded = RunServerCommand({"--load-demo-data"});
    ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  }
  EXPECT_EQ(db().Query("SELECT CONCAT_WS(' ', (SELECT COUNT(*) FROM "
                       "advisers), (SELECT COUNT(*) FROM locations))"),
            "4 4");
  ASSERT_TRUE(StartServer());
  v1::Adviser morag;
  const testing::RunResult got =
      Ctl({"--output", "json", "advisers", "get", "advisers/morag-campbell"});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  ParseJson(got.out, &morag);
  EXPECT_EQ(morag.subject(), "demo-adviser-morag-campbell");
  EXPECT_THAT(morag.language_codes(), ElementsAre("en", "gd"));
  EXPECT_THAT(morag.channels(),
              ElementsAre(v1::Adviser::IN_PERSON, v1::Adviser::VIDEO));
  EXPECT_THAT(morag.specialisms(),
              ElementsAre("Apprenticeships", "Subject choices"));

  v1::Location centre;
  const testing::RunResult location =
      Ctl({"--output", "json", "locations", "get",
           "locations/cardiff-careers-centre"});
  ASSERT_EQ(location.exit_code, 0) << location.err;
  ParseJson(location.out, &centre);
  EXPECT_EQ(centre.address().postcode(), "CF10 1AA");
  EXPECT_EQ(centre.address().town(), "Caerdydd / Cardiff");
  EXPECT_THAT(centre.accessibility(),
              ElementsAre(v1::Location::QUIET_ROOM, v1::Location::PARKING));

  const testing::RunResult welsh =
      Ctl({"advisers", "list", "--language", "cy"});
  ASSERT_EQ(welsh.exit_code, 0) << welsh.err;
  EXPECT_THAT(welsh.out, HasSubstr("advisers/rhys-evans"));
  EXPECT_THAT(welsh.out, HasSubstr("advisers/sian-hughes"));
  EXPECT_THAT(welsh.out, Not(HasSubstr("morag")));
}

}  // namespace
}  // namespace careers::e2e
