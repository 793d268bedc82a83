// careersctl's directory commands and `advisers import` against the
// generated DirectoryService mock, and the CSV reader under them.
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "careers/v1/consent_service_mock.grpc.pb.h"
#include "careers/v1/directory_service_mock.grpc.pb.h"
#include "careers/v1/profile_service_mock.grpc.pb.h"
#include "clients/cli/adviser_import.h"
#include "clients/cli/app.h"
#include "clients/cli/csv.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace careers::cli {
namespace {

using ::testing::_;
using ::testing::DoAll;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Invoke;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::SetArgPointee;
using ::testing::StrictMock;
using v1::Adviser;

// ------------------------------------------------------------- CSV reader

std::vector<std::vector<std::string>> Fields(
    const std::vector<CsvRecord>& records) {
  std::vector<std::vector<std::string>> out;
  for (const CsvRecord& r : records) out.push_back(r.fields);
  return out;
}

TEST(CsvTest, PlainQuotedAndEmptyFields) {
  auto records = ParseCsv("a,b,c\n1,,\"x, y\"\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_THAT(Fields(*records), ElementsAre(ElementsAre("a", "b", "c"),
                                            ElementsAre("1", "", "x, y")));
}

TEST(CsvTest, DoubledQuotesAndLineBreaksInsideQuotes) {
  auto records = ParseCsv(
      "id,text\r\n1,\"She said "
      "\"\"hi\"\"\"\r\n2,\"two\r\nlines\nhere\"\r\n3,end");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[1].fields[1], "She said \"hi\"");
  EXPECT_EQ((*records)[2].fields[1], "two\r\nlines\nhere");
  // Line numbers count the line breaks inside quotes.
  EXPECT_EQ((*records)[0].line, 1);
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_EQ((*records)[2].line, 3);
  EXPECT_EQ((*records)[3].line, 6);
  EXPECT_THAT((*records)[3].fields, ElementsAre("3", "end"));
}

TEST(CsvTest, ByteOrderMarkEmptyLinesAndTrailingComma) {
  auto records = ParseCsv("\xEF\xBB\xBFname,x\n\n\r\nb,\n");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_THAT(Fields(*records),
              ElementsAre(ElementsAre("name", "x"), ElementsAre("b", "")));
  EXPECT_EQ((*records)[1].line, 4);
  EXPECT_THAT(*ParseCsv(""), IsEmpty());
}

TEST(CsvTest, MalformedQuotesNameTheirLine) {
  auto unclosed = ParseCsv("a,b\n1,\"never\nclosed\n");
  EXPECT_EQ(unclosed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unclosed.status().message()), HasSubstr("line 2"));
  auto inside = ParseCsv("a,b\n1,2\n3,x\"y\n");
  EXPECT_THAT(std::string(inside.status().message()), HasSubstr("line 3"));
  auto after = ParseCsv("a\n\"x\"y\n");
  EXPECT_THAT(std::string(after.status().message()), HasSubstr("line 2"));
}

// ------------------------------------------------------- import parsing

TEST(AdviserCsvTest, RowsBecomeAdvisersInTheServersForm) {
  auto rows = ParseAdviserCsv(
      "Display_Name,organisation,language_codes,channels,specialisms,active,"
      "adviser_id,email,subject\n"
      "  Morag Campbell ,sds,EN; gd;en,in-person;VIDEO,\"Apprenticeships\n"
      "STEM careers\",no,morag, morag@sds.example ,idp|morag\n"
      "Ewan,organisations/sds,en,,,,,,\n");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  const AdviserRow& morag = (*rows)[0];
  EXPECT_EQ(morag.line, 2);
  EXPECT_EQ(morag.error, "");
  EXPECT_EQ(morag.adviser_id, "morag");
  EXPECT_EQ(morag.adviser.organisation(), "organisations/sds");
  EXPECT_EQ(morag.adviser.display_name(), "Morag Campbell");
  EXPECT_THAT(morag.adviser.language_codes(), ElementsAre("en", "gd"));
  EXPECT_THAT(morag.adviser.channels(),
              ElementsAre(Adviser::IN_PERSON, Adviser::VIDEO));
  EXPECT_THAT(morag.adviser.specialisms(),
              ElementsAre("Apprenticeships", "STEM careers"));
  EXPECT_FALSE(morag.adviser.active());
  EXPECT_EQ(morag.adviser.email(), "morag@sds.example");
  EXPECT_EQ(morag.adviser.subject(), "idp|morag");

  const AdviserRow& ewan = (*rows)[1];
  EXPECT_EQ(ewan.line, 4);
  EXPECT_FALSE(ewan.adviser.has_active());  // blank: left to the server
  EXPECT_THAT(ewan.given_fields,
              ElementsAre("display_name", "language_codes", "channels",
                          "specialisms", "email", "subject"));
}

TEST(AdviserCsvTest, BadRowsCarryTheirErrorAndBadHeadersFailWhole) {
  auto rows = ParseAdviserCsv(
      "organisation,display_name,language_codes,channels,active\n"
      "sds,A,en,pigeon,yes\n"
      "sds,B,en,phone,perhaps\n"
      "sds,C,en\n");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_THAT((*rows)[0].error, HasSubstr("channels: 'pigeon'"));
  EXPECT_THAT((*rows)[1].error, HasSubstr("active: 'perhaps'"));
  EXPECT_THAT((*rows)[2].error, HasSubstr("has 3 fields; the header has 5"));

  EXPECT_THAT(
      std::string(
          ParseAdviserCsv("organisation,display_name\n").status().message()),
      HasSubstr("no language_codes"));
  EXPECT_THAT(std::string(ParseAdviserCsv("organisation,display_name,"
                                          "language_codes,phone\n")
                              .status()
                              .message()),
              HasSubstr("unknown column \"phone\""));
  EXPECT_THAT(std::string(ParseAdviserCsv("organisation,display_name,"
                                          "language_codes,email,EMAIL\n")
                              .status()
                              .message()),
              HasSubstr("appears twice"));
  EXPECT_FALSE(ParseAdviserCsv("").ok());
}

TEST(AdviserCsvTest, RequestIdsAreStableUuidsOfTheRowsMeaning) {
  auto rows = ParseAdviserCsv(
      "organisation,display_name,language_codes\n"
      "sds,Morag,en\n"
      "organisations/sds, Morag ,EN\n"
      "sds,Ewan,en\n");
  ASSERT_TRUE(rows.ok());
  const std::string id = CreateRequestFor((*rows)[0]).request_id();
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                     "[0-9a-f]{12}")))
      << id;
  EXPECT_EQ(CreateRequestFor((*rows)[0]).request_id(), id);
  EXPECT_EQ(CreateRequestFor((*rows)[1]).request_id(), id);  // same meaning
  EXPECT_NE(CreateRequestFor((*rows)[2]).request_id(), id);
}

// ---------------------------------------------------- commands on a mock

std::string WriteTempFile(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

grpc::Status InvalidEmail() {
  google::rpc::BadRequest bad_request;
  auto* v = bad_request.add_field_violations();
  v->set_field("adviser.email");
  v->set_description("is not a valid email address");
  google::rpc::Status details;
  details.set_code(3);
  details.set_message("invalid adviser.email: is not a valid email address");
  details.add_details()->PackFrom(bad_request);
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, details.message(),
                      details.SerializeAsString());
}

class DirectoryCliTest : public ::testing::Test {
 protected:
  int Run(const std::vector<std::string>& args, bool terminal = false) {
    return RunCli(
        args,
        [this](const ChannelOptions&) {
          return Stubs{std::make_unique<v1::MockProfileServiceStub>(),
                       std::move(owned_),
                       std::make_unique<v1::MockConsentServiceStub>(), nullptr};
        },
        out_, err_, terminal);
  }

  std::unique_ptr<StrictMock<v1::MockDirectoryServiceStub>> owned_ =
      std::make_unique<StrictMock<v1::MockDirectoryServiceStub>>();
  StrictMock<v1::MockDirectoryServiceStub>& stub_ = *owned_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(DirectoryCliTest, CreateAdviserFromFlags) {
  v1::CreateAdviserRequest request;
  EXPECT_CALL(stub_, CreateAdviser(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"advisers",       "create",
                 "--id",           "morag",
                 "--organisation", "organisations/sds",
                 "--display-name", "Morag Campbell",
                 "--language",     "EN",
                 "--language",     "gd",
                 "--channel",      "video",
                 "--channel",      "in-person",
                 "--active",       "false",
                 "--specialism",   "STEM"}),
            0)
      << err_.str();
  EXPECT_EQ(request.adviser_id(), "morag");
  EXPECT_FALSE(request.request_id().empty());
  EXPECT_THAT(request.adviser().language_codes(), ElementsAre("en", "gd"));
  EXPECT_THAT(request.adviser().channels(),
              ElementsAre(Adviser::VIDEO, Adviser::IN_PERSON));
  ASSERT_TRUE(request.adviser().has_active());
  EXPECT_FALSE(request.adviser().active());
  EXPECT_THAT(request.adviser().specialisms(), ElementsAre("STEM"));
}

TEST_F(DirectoryCliTest, ListAdvisersBuildsTheFilter) {
  v1::ListAdvisersRequest request;
  EXPECT_CALL(stub_, ListAdvisers(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"advisers", "list", "--organisation", "organisations/sds",
                 "--active", "yes", "--language", "cy", "--show-deleted"}),
            0)
      << err_.str();
  EXPECT_EQ(request.filter(),
            "organisation = \"organisations/sds\" AND active = true AND "
            "language_code = \"cy\"");
  EXPECT_TRUE(request.show_deleted());
}

TEST_F(DirectoryCliTest, UpdateCannotNameTheOrganisation) {
  EXPECT_EQ(Run({"advisers", "update", "advisers/morag", "--organisation",
                 "organisations/x"}),
            2);
  EXPECT_EQ(Run({"locations", "create", "--kind", "igloo"}), 2);
}

TEST_F(DirectoryCliTest, DeleteSendsTheEtagAndPrintsTheAdviser) {
  v1::DeleteAdviserRequest request;
  Adviser deleted;
  deleted.set_name("advisers/morag");
  deleted.mutable_delete_time()->set_seconds(1717147800);
  EXPECT_CALL(stub_, DeleteAdviser(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&request), SetArgPointee<2>(deleted),
                      Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"advisers", "delete", "advisers/morag", "--etag", "e1"}), 0);
  EXPECT_EQ(request.etag(), "e1");
  EXPECT_THAT(out_.str(), HasSubstr("delete time   2024-05-31T09:30:00Z"));
}

TEST_F(DirectoryCliTest, LocationTableShowsPostcodeAndZone) {
  v1::ListLocationsResponse response;
  v1::Location* l = response.add_locations();
  l->set_name("locations/leith");
  l->set_display_name("Leith centre");
  l->set_kind(v1::Location::CENTRE);
  l->set_organisation("organisations/sds");
  l->mutable_address()->set_postcode("EH6 5AB");
  l->set_time_zone("Europe/London");
  EXPECT_CALL(stub_, ListLocations(_, _, _))
      .WillOnce(DoAll(SetArgPointee<2>(response), Return(grpc::Status::OK)));
  ASSERT_EQ(Run({"locations", "list", "--kind", "centre"}), 0);
  EXPECT_EQ(out_.str(),
            "NAME             DISPLAY NAME  KIND    ORGANISATION       "
            "POSTCODE  TIME ZONE\n"
            "locations/leith  Leith centre  centre  organisations/sds  "
            "EH6 5AB   Europe/London\n");
}

// An import of four rows: an identical existing adviser, a changed one, a
// new one with an id, a new one without, a row the server refuses, and one
// that never leaves the client.
class ImportTest : public DirectoryCliTest {
 protected:
  static Adviser Existing(const std::string& id, const std::string& name) {
    Adviser a;
    a.set_name("advisers/" + id);
    a.set_organisation("organisations/sds");
    a.set_display_name(name);
    a.add_language_codes("en");
    a.set_active(true);
    a.set_etag("etag-" + id);
    return a;
  }

  std::string file_ = WriteTempFile(
      "advisers.csv",
      "adviser_id,organisation,display_name,language_codes,specialisms,email\n"
      "same,sds,Same Person,en,,\n"
      "changed,sds,Changed Person,en;gd,\"Apprenticeships\n"
      "STEM careers\",\n"
      "fresh,sds,Fresh Person,cy,,\n"
      ",sds,No Id,en,,\n"
      ",sds,Bad Email,en,,not-an-email\n"
      "x,sds\n");
};

TEST_F(ImportTest, CountsEachRowAndReportsFailuresByLine) {
  EXPECT_CALL(stub_, GetAdviser(_, _, _))
      .WillRepeatedly(
          Invoke([](grpc::ClientContext*, const v1::GetAdviserRequest& req,
                    Adviser* resp) {
            if (req.name() == "advisers/same") {
              *resp = Existing("same", "Same Person");
            } else if (req.name() == "advisers/changed") {
              *resp = Existing("changed", "Changed Person");
            } else {
              return grpc::Status(grpc::StatusCode::NOT_FOUND, "not found");
            }
            return grpc::Status::OK;
          }));
  v1::UpdateAdviserRequest update;
  EXPECT_CALL(stub_, UpdateAdviser(_, _, _))
      .WillOnce(DoAll(SaveArg<1>(&update), Return(grpc::Status::OK)));
  std::vector<v1::CreateAdviserRequest> creates;
  EXPECT_CALL(stub_, CreateAdviser(_, _, _))
      .Times(3)
      .WillRepeatedly(Invoke([&creates](grpc::ClientContext*,
                                        const v1::CreateAdviserRequest& req,
                                        Adviser* resp) {
        creates.push_back(req);
        if (req.adviser().display_name() == "Bad Email") return InvalidEmail();
        resp->set_name("advisers/" + req.adviser_id());
        resp->mutable_create_time()->set_seconds(
            absl::ToUnixSeconds(absl::Now()) + 1);
        return grpc::Status::OK;
      }));

  EXPECT_EQ(Run({"advisers", "import", file_}), 1);
  EXPECT_EQ(update.adviser().name(), "advisers/changed");
  EXPECT_EQ(update.adviser().etag(), "etag-changed");
  EXPECT_THAT(update.update_mask().paths(),
              ElementsAre("language_codes", "specialisms"));
  EXPECT_THAT(update.adviser().specialisms(),
              ElementsAre("Apprenticeships", "STEM careers"));
  ASSERT_EQ(creates.size(), 3u);
  EXPECT_EQ(creates[0].adviser_id(), "fresh");
  EXPECT_EQ(creates[1].adviser_id(), "");
  for (const auto& c : creates) EXPECT_FALSE(c.request_id().empty());
  EXPECT_EQ(out_.str(),
            "created    2\n"
            "updated    1\n"
            "unchanged  1\n"
            "failed     2\n"
            "line 7: INVALID_ARGUMENT: invalid adviser.email: is not a valid "
            "email address\n"
            "  adviser.email: is not a valid email address\n"
            "line 8: has 2 fields; the header has 6\n");
  EXPECT_EQ(err_.str(), "");  // not a terminal: no progress bar
}

TEST_F(ImportTest, AReplayedCreateCountsAsUnchangedAndProgressIsDrawn) {
  const std::string file = WriteTempFile(
      "replay.csv", "organisation,display_name,language_codes\nsds,No Id,en\n");
  EXPECT_CALL(stub_, CreateAdviser(_, _, _))
      .WillOnce(Invoke([](grpc::ClientContext*, const v1::CreateAdviserRequest&,
                          Adviser* resp) {
        resp->set_name("advisers/01hz");
        resp->mutable_create_time()->set_seconds(1717147800);  // long ago
        return grpc::Status::OK;
      }));
  EXPECT_EQ(Run({"--output", "json", "advisers", "import", file},
                /*terminal=*/true),
            0);
  google::protobuf::Struct summary;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(out_.str(), &summary).ok())
      << out_.str();
  EXPECT_EQ(summary.fields().at("unchanged").number_value(), 1);
  EXPECT_EQ(summary.fields().at("created").number_value(), 0);
  EXPECT_EQ(summary.fields().at("failed").number_value(), 0);
  EXPECT_THAT(err_.str(), HasSubstr("\r[##############################] 1/1"));
}

TEST_F(ImportTest, ADeletedOrMovedAdviserFailsWithoutAWrite) {
  const std::string file =
      WriteTempFile("moved.csv",
                    "adviser_id,organisation,display_name,language_codes\n"
                    "gone,sds,Gone,en\n"
                    "moved,careers-wales,Moved,en\n");
  EXPECT_CALL(stub_, GetAdviser(_, _, _))
      .WillRepeatedly(
          Invoke([](grpc::ClientContext*, const v1::GetAdviserRequest& req,
                    Adviser* resp) {
            *resp = Existing(req.name().substr(9), "x");
            if (req.name() == "advisers/gone") {
              resp->mutable_delete_time()->set_seconds(1);
            }
            return grpc::Status::OK;
          }));
  EXPECT_EQ(Run({"advisers", "import", file}), 1);
  EXPECT_THAT(out_.str(), HasSubstr("failed     2\n"));
  EXPECT_THAT(out_.str(), HasSubstr("line 2 (advisers/gone): the adviser is "
                                    "deleted"));
  EXPECT_THAT(out_.str(),
              HasSubstr("line 3 (advisers/moved): the adviser belongs to "
                        "organisations/sds, not organisations/careers-wales"));
}

TEST_F(ImportTest, AnUnreadableOrHeaderlessFileSendsNothing) {
  EXPECT_EQ(Run({"advisers", "import", "/nonexistent/advisers.csv"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("cannot read"));
  const std::string bad = WriteTempFile("bad.csv", "name,organisation\nx,y\n");
  EXPECT_EQ(Run({"advisers", "import", bad}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("unknown column \"name\""));
  EXPECT_THAT(out_.str(), Not(HasSubstr("created")));
}

}  // namespace
}  // namespace careers::cli
