// Organisations, advisers and locations through the domain rules on the
// MariaDB store: round trips, filters and paging in SQL, soft delete, the
// unique subject, the lookups other parts of the server use, parents under
// concurrency, and migration 0004 reverting exactly.
#include "server/store/directory_store.h"

#include <thread>

#include "db/embedded_files.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/domain/directory.h"
#include "server/store/migrator.h"
#include "tests/support/test_data.h"
#include "tests/support/test_database.h"

namespace careers::store {
namespace {

using ::careers::testing::TestDatabase;
using ::careers::testing::ViolatedFields;
using ::google::protobuf::util::MessageDifferencer;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class DirectoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create(/*migrate=*/true, /*pool_size=*/8);
    ASSERT_NE(test_db_, nullptr);
    store_ = std::make_unique<DirectoryStore>(test_db_->db());
    directory_ = std::make_unique<domain::Directory>(*store_, clock_, tokens_);
    ctx_.deadline = absl::Now() + absl::Seconds(30);
    ctx_.principal.subject = "tester";
    ctx_.principal.role = auth::Role::kAdmin;
    ASSERT_TRUE(CreateOrganisation("sds", "Skills Development Scotland",
                                   v1::Organisation::CAREERS_SERVICE, "",
                                   "Scotland")
                    .ok());
    ASSERT_TRUE(CreateOrganisation("careers-wales", "Careers Wales",
                                   v1::Organisation::CAREERS_SERVICE, "",
                                   "Wales")
                    .ok());
  }

  absl::StatusOr<v1::Organisation> CreateOrganisation(
      const std::string& id, const std::string& display_name,
      v1::Organisation::Kind kind, const std::string& parent = "",
      const std::string& region = "") {
    v1::CreateOrganisationRequest req;
    req.set_organisation_id(id);
    req.mutable_organisation()->set_display_name(display_name);
    req.mutable_organisation()->set_kind(kind);
    req.mutable_organisation()->set_region(region);
    if (!parent.empty()) {
      req.mutable_organisation()->set_parent("organisations/" + parent);
    }
    return directory_->CreateOrganisation(ctx_, req);
  }

  absl::StatusOr<v1::Organisation> SetParent(const std::string& id,
                                             const std::string& parent) {
    v1::UpdateOrganisationRequest req;
    req.mutable_organisation()->set_name("organisations/" + id);
    req.mutable_organisation()->set_parent(
        parent.empty() ? "" : "organisations/" + parent);
    req.mutable_update_mask()->add_paths("parent");
    return directory_->UpdateOrganisation(ctx_, req);
  }

  static v1::Adviser NewAdviser(const std::string& display_name,
                                const std::string& organisation = "sds") {
    v1::Adviser a;
    a.set_organisation("organisations/" + organisation);
    a.set_display_name(display_name);
    a.add_language_codes("en");
    return a;
  }

  absl::StatusOr<v1::Adviser> CreateAdviser(v1::Adviser a,
                                            const std::string& id = "") {
    v1::CreateAdviserRequest req;
    *req.mutable_adviser() = std::move(a);
    req.set_adviser_id(id);
    return directory_->CreateAdviser(ctx_, req);
  }

  std::vector<std::string> AdviserNames(const std::string& filter,
                                        bool show_deleted = false) {
    std::vector<std::string> names;
    v1::ListAdvisersRequest req;
    req.set_filter(filter);
    req.set_show_deleted(show_deleted);
    req.set_page_size(2);
    do {
      auto page = directory_->ListAdvisers(ctx_, req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& a : page->advisers()) names.push_back(a.display_name());
      req.set_page_token(page->next_page_token());
    } while (!req.page_token().empty());
    return names;
  }

  std::unique_ptr<TestDatabase> test_db_;
  SystemClock clock_;
  PageTokenCodec tokens_{std::string(32, 'k'), absl::Hours(1)};
  std::unique_ptr<DirectoryStore> store_;
  std::unique_ptr<domain::Directory> directory_;
  RequestContext ctx_;
};

TEST_F(DirectoryStoreTest, OrganisationsFilterAndPageByDisplayName) {
  ASSERT_TRUE(CreateOrganisation("leith", "Leith Academy",
                                 v1::Organisation::SCHOOL, "sds",
                                 "City of Edinburgh")
                  .ok());
  ASSERT_TRUE(CreateOrganisation("boroughmuir", "boroughmuir High",
                                 v1::Organisation::SCHOOL, "sds",
                                 "City of Edinburgh")
                  .ok());
  ASSERT_TRUE(CreateOrganisation("glantaf", "Ysgol Gyfun Glantaf",
                                 v1::Organisation::SCHOOL, "careers-wales",
                                 "Cardiff")
                  .ok());
  auto college =
      CreateOrganisation("edinburgh-college", "Edinburgh College",
                         v1::Organisation::COLLEGE, "", "City of Edinburgh");
  ASSERT_TRUE(college.ok()) << college.status();

  v1::GetOrganisationRequest get;
  get.set_name("organisations/edinburgh-college");
  auto read = directory_->GetOrganisation(ctx_, get);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*college, *read))
      << read->DebugString();

  auto names = [&](const std::string& filter) {
    std::vector<std::string> out;
    v1::ListOrganisationsRequest req;
    req.set_filter(filter);
    req.set_page_size(1);
    do {
      auto page = directory_->ListOrganisations(ctx_, req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& o : page->organisations()) out.push_back(o.name());
      req.set_page_token(page->next_page_token());
    } while (!req.page_token().empty());
    return out;
  };
  // Display name order ignores case ("boroughmuir" before "Careers").
  EXPECT_THAT(
      names(""),
      ElementsAre("organisations/boroughmuir", "organisations/careers-wales",
                  "organisations/edinburgh-college", "organisations/leith",
                  "organisations/sds", "organisations/glantaf"));
  EXPECT_THAT(names("kind = SCHOOL AND region = \"city of edinburgh\""),
              ElementsAre("organisations/boroughmuir", "organisations/leith"));
  EXPECT_THAT(names("parent = \"organisations/careers-wales\""),
              ElementsAre("organisations/glantaf"));
  EXPECT_THAT(names("kind = EMPLOYER"), IsEmpty());
}

TEST_F(DirectoryStoreTest, ParentsCannotMakeACycle) {
  ASSERT_TRUE(CreateOrganisation("lothian", "Lothian",
                                 v1::Organisation::LOCAL_AUTHORITY, "sds")
                  .ok());
  ASSERT_TRUE(
      CreateOrganisation("leith", "Leith", v1::Organisation::SCHOOL, "lothian")
          .ok());
  EXPECT_THAT(ViolatedFields(SetParent("sds", "leith").status()),
              ElementsAre("organisation.parent"));
  EXPECT_THAT(ViolatedFields(SetParent("sds", "nowhere").status()),
              ElementsAre("organisation.parent"));
  EXPECT_EQ(
      test_db_->Query("SELECT COUNT(*) FROM organisations WHERE id = 'sds' AND "
                      "parent_id IS NULL"),
      "1");
  auto moved = SetParent("leith", "careers-wales");
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->parent(), "organisations/careers-wales");
}

TEST_F(DirectoryStoreTest, ConcurrentCrossParentingLetsExactlyOneWin) {
  for (int round = 0; round < 5; ++round) {
    const std::string a = "a" + std::to_string(round);
    const std::string b = "b" + std::to_string(round);
    ASSERT_TRUE(CreateOrganisation(a, a, v1::Organisation::SCHOOL).ok());
    ASSERT_TRUE(CreateOrganisation(b, b, v1::Organisation::SCHOOL).ok());
    absl::Status first;
    absl::Status second;
    std::thread t1([&] { first = SetParent(a, b).status(); });
    std::thread t2([&] { second = SetParent(b, a).status(); });
    t1.join();
    t2.join();
    EXPECT_NE(first.ok(), second.ok()) << first << " / " << second;
    for (const absl::Status& s : {first, second}) {
      if (!s.ok()) {
        EXPECT_TRUE(s.code() == absl::StatusCode::kInvalidArgument ||
                    s.code() == absl::StatusCode::kAborted)
            << s;
      }
    }
    EXPECT_EQ(test_db_->Query(absl::StrCat(
                  "SELECT COUNT(*) FROM organisations WHERE id IN ('", a,
                  "', '", b, "') AND parent_id IS NOT NULL")),
              "1");
  }
}

TEST_F(DirectoryStoreTest, AdviserRoundTripUpdateAndSoftDelete) {
  v1::Adviser a = NewAdviser("Siân Hughes", "careers-wales");
  a.clear_language_codes();
  a.add_language_codes("cy");
  a.add_language_codes("en");
  a.add_channels(v1::Adviser::VIDEO);
  a.add_channels(v1::Adviser::IN_PERSON);
  a.add_specialisms("Prentisiaethau");
  a.add_specialisms("STEM careers");
  a.set_email("sian@careerswales.example");
  a.set_subject("idp|sian");
  a.set_active(false);
  auto created = CreateAdviser(a, "sian");
  ASSERT_TRUE(created.ok()) << created.status();
  v1::GetAdviserRequest get;
  get.set_name("advisers/sian");
  auto read = directory_->GetAdviser(ctx_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(*created, *read)) << diff;
  EXPECT_FALSE(read->active());

  v1::UpdateAdviserRequest update;
  update.mutable_adviser()->set_name("advisers/sian");
  update.mutable_adviser()->set_active(true);
  update.mutable_adviser()->add_channels(v1::Adviser::PHONE);
  update.mutable_adviser()->set_etag(read->etag());
  update.mutable_update_mask()->add_paths("active");
  update.mutable_update_mask()->add_paths("channels");
  auto updated = directory_->UpdateAdviser(ctx_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_TRUE(updated->active());
  EXPECT_THAT(updated->channels(), ElementsAre(v1::Adviser::PHONE));
  EXPECT_THAT(updated->specialisms(),
              ElementsAre("Prentisiaethau", "STEM careers"));
  EXPECT_EQ(directory_->UpdateAdviser(ctx_, update).status().code(),
            absl::StatusCode::kAborted);

  v1::DeleteAdviserRequest del;
  del.set_name("advisers/sian");
  del.set_etag(updated->etag());
  auto deleted = directory_->DeleteAdviser(ctx_, del);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(deleted->has_delete_time());
  auto after = directory_->GetAdviser(ctx_, get);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(*deleted, *after));
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM advisers"), "1");
  EXPECT_THAT(AdviserNames(""), IsEmpty());
  EXPECT_THAT(AdviserNames("", /*show_deleted=*/true),
              ElementsAre("Siân Hughes"));
  EXPECT_EQ(directory_->DeleteAdviser(ctx_, del).status().code(),
            absl::StatusCode::kAborted);  // stale etag first
  del.clear_etag();
  EXPECT_EQ(directory_->DeleteAdviser(ctx_, del).status().code(),
            absl::StatusCode::kNotFound);

  v1::UndeleteAdviserRequest undelete;
  undelete.set_name("advisers/sian");
  auto restored = directory_->UndeleteAdviser(ctx_, undelete);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_FALSE(restored->has_delete_time());
  EXPECT_THAT(AdviserNames(""), ElementsAre("Siân Hughes"));
  EXPECT_EQ(test_db_->Query(
                "SELECT COUNT(*) FROM advisers WHERE delete_time IS NULL"),
            "1");
}

TEST_F(DirectoryStoreTest, AdviserFiltersAndPagesInSql) {
  struct Person {
    const char* name;
    const char* org;
    std::vector<std::string> languages;
    bool active;
  };
  const Person people[] = {
      {"Siân Hughes", "careers-wales", {"cy", "en"}, true},
      {"Rhys Evans", "careers-wales", {"en"}, false},
      {"Morag Campbell", "sds", {"en", "gd"}, true},
      {"ewan MacLeod", "sds", {"en"}, true},
      {"Catrin Jones", "careers-wales", {"cy"}, true},
      {"Gwen Cymraeg-Only", "careers-wales", {"cy"}, false},
  };
  for (const Person& p : people) {
    v1::Adviser a = NewAdviser(p.name, p.org);
    a.clear_language_codes();
    for (const auto& code : p.languages) a.add_language_codes(code);
    a.set_active(p.active);
    ASSERT_TRUE(CreateAdviser(a).ok());
  }
  EXPECT_THAT(AdviserNames(""),
              ElementsAre("Catrin Jones", "ewan MacLeod", "Gwen Cymraeg-Only",
                          "Morag Campbell", "Rhys Evans", "Siân Hughes"));
  EXPECT_THAT(AdviserNames("language_code = \"cy\" AND active = true"),
              ElementsAre("Catrin Jones", "Siân Hughes"));
  EXPECT_THAT(AdviserNames("language_code = \"en\" AND organisation = "
                           "\"organisations/careers-wales\""),
              ElementsAre("Rhys Evans", "Siân Hughes"));
  EXPECT_THAT(AdviserNames("language_code = gd"),
              ElementsAre("Morag Campbell"));
  EXPECT_THAT(AdviserNames("active = false"),
              ElementsAre("Gwen Cymraeg-Only", "Rhys Evans"));
}

TEST_F(DirectoryStoreTest, SubjectsAreUniqueAndIdsTooWithClearMessages) {
  v1::Adviser morag = NewAdviser("Morag Campbell");
  morag.set_subject("idp|morag");
  ASSERT_TRUE(CreateAdviser(morag, "morag").ok());
  v1::Adviser other = NewAdviser("Other");
  other.set_subject("idp|morag");
  const absl::Status taken = CreateAdviser(other, "other").status();
  EXPECT_EQ(taken.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(taken.message()), HasSubstr("subject"));
  const absl::Status same_id = CreateAdviser(NewAdviser("X"), "morag").status();
  EXPECT_EQ(same_id.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(same_id.message()), HasSubstr("advisers/morag"));

  // Advisers without a subject do not collide (NULLs).
  ASSERT_TRUE(CreateAdviser(NewAdviser("No Subject 1")).ok());
  ASSERT_TRUE(CreateAdviser(NewAdviser("No Subject 2")).ok());

  // Nor may an update take a subject.
  ASSERT_TRUE(CreateAdviser(NewAdviser("Ewan"), "ewan").ok());
  v1::UpdateAdviserRequest update;
  update.mutable_adviser()->set_name("advisers/ewan");
  update.mutable_adviser()->set_subject("idp|morag");
  const absl::Status stolen = directory_->UpdateAdviser(ctx_, update).status();
  EXPECT_EQ(stolen.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(stolen.message()), HasSubstr("subject"));
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM advisers WHERE subject = "
                            "'idp|morag'"),
            "1");
}

TEST_F(DirectoryStoreTest, LookupsForTheRestOfTheServer) {
  v1::Adviser morag = NewAdviser("Morag Campbell");
  morag.set_subject("idp|morag");
  ASSERT_TRUE(CreateAdviser(morag, "morag").ok());
  v1::Adviser rhys = NewAdviser("Rhys Evans", "careers-wales");
  rhys.set_subject("idp|rhys");
  rhys.set_active(false);
  ASSERT_TRUE(CreateAdviser(rhys, "rhys").ok());

  auto found = store_->FindAdviserBySubject(ctx_, "idp|morag");
  ASSERT_TRUE(found.ok()) << found.status();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->adviser_id, "morag");
  EXPECT_EQ((*found)->organisation_id, "sds");
  EXPECT_TRUE((*found)->active);
  EXPECT_FALSE((*found)->deleted);
  auto inactive = store_->FindAdviserBySubject(ctx_, "idp|rhys");
  ASSERT_TRUE(inactive.ok() && inactive->has_value());
  EXPECT_FALSE((*inactive)->active);
  EXPECT_FALSE(store_->FindAdviserBySubject(ctx_, "idp|nobody")->has_value());
  EXPECT_FALSE(store_->FindAdviserBySubject(ctx_, "")->has_value());

  v1::DeleteAdviserRequest del;
  del.set_name("advisers/morag");
  ASSERT_TRUE(directory_->DeleteAdviser(ctx_, del).ok());
  auto deleted = store_->FindAdviserBySubject(ctx_, "idp|morag");
  ASSERT_TRUE(deleted.ok() && deleted->has_value());
  EXPECT_TRUE((*deleted)->deleted);
  EXPECT_FALSE(*store_->AdviserExists(ctx_, "morag"));
  EXPECT_TRUE(*store_->AdviserExists(ctx_, "rhys"));
  EXPECT_EQ(*store_->OrganisationOfAdviser(ctx_, "morag"), "sds");
  EXPECT_EQ(*store_->OrganisationOfAdviser(ctx_, "rhys"), "careers-wales");
  EXPECT_FALSE(store_->OrganisationOfAdviser(ctx_, "nobody")->has_value());
  EXPECT_TRUE(*store_->OrganisationExists(ctx_, "sds"));
  EXPECT_FALSE(*store_->OrganisationExists(ctx_, "nowhere"));

  v1::CreateLocationRequest req;
  req.set_location_id("online");
  req.mutable_location()->set_organisation("organisations/careers-wales");
  req.mutable_location()->set_display_name("Careers Wales online");
  req.mutable_location()->set_kind(v1::Location::VIRTUAL);
  ASSERT_TRUE(directory_->CreateLocation(ctx_, req).ok());
  EXPECT_EQ(*store_->OrganisationOfLocation(ctx_, "online"), "careers-wales");
  EXPECT_FALSE(store_->OrganisationOfLocation(ctx_, "nowhere")->has_value());
}

TEST_F(DirectoryStoreTest, LocationsRoundTripAndFilter) {
  v1::CreateLocationRequest req;
  req.set_location_id("leith-centre");
  v1::Location& l = *req.mutable_location();
  l.set_organisation("organisations/sds");
  l.set_display_name("Leith careers centre");
  l.set_kind(v1::Location::CENTRE);
  l.mutable_address()->add_lines("1 Great Junction Street");
  l.mutable_address()->set_town("Edinburgh");
  l.mutable_address()->set_postcode("eh6 5ab");
  l.set_time_zone("Europe/London");
  l.add_accessibility(v1::Location::STEP_FREE_ACCESS);
  l.add_accessibility(v1::Location::HEARING_LOOP);
  req.set_request_id("3c1d9a52-7a1e-4f3b-8a0e-6b2f1c9d0e11");
  auto created = directory_->CreateLocation(ctx_, req);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->address().postcode(), "EH6 5AB");
  // A retry replays.
  auto retried = directory_->CreateLocation(ctx_, req);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*created, *retried));

  v1::GetLocationRequest get;
  get.set_name("locations/leith-centre");
  auto read = directory_->GetLocation(ctx_, get);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(MessageDifferencer::Equals(*created, *read))
      << read->DebugString();

  v1::CreateLocationRequest online;
  online.mutable_location()->set_organisation("organisations/careers-wales");
  online.mutable_location()->set_display_name("Ar-lein");
  online.mutable_location()->set_kind(v1::Location::VIRTUAL);
  online.mutable_location()->set_time_zone("Europe/London");
  ASSERT_TRUE(directory_->CreateLocation(ctx_, online).ok());

  v1::ListLocationsRequest list;
  list.set_filter("kind = CENTRE");
  auto centres = directory_->ListLocations(ctx_, list);
  ASSERT_TRUE(centres.ok()) << centres.status();
  ASSERT_EQ(centres->locations_size(), 1);
  EXPECT_EQ(centres->locations(0).name(), "locations/leith-centre");
  list.set_filter("organisation = \"organisations/careers-wales\"");
  auto welsh = directory_->ListLocations(ctx_, list);
  ASSERT_TRUE(welsh.ok());
  ASSERT_EQ(welsh->locations_size(), 1);
  EXPECT_EQ(welsh->locations(0).display_name(), "Ar-lein");

  v1::UpdateLocationRequest update;
  update.mutable_location()->set_name("locations/leith-centre");
  update.mutable_location()->add_accessibility(v1::Location::QUIET_ROOM);
  update.mutable_location()->set_etag(read->etag());
  auto updated = directory_->UpdateLocation(ctx_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_THAT(updated->accessibility(), ElementsAre(v1::Location::QUIET_ROOM));
  EXPECT_EQ(updated->address().town(), "Edinburgh");
}

// Migration 0004 on its own: down leaves the directory tables exactly as 0003
// left them, so up → down → up is safe.
TEST(DirectoryMigrationTest, DownRevertsExactly) {
  auto test_db = TestDatabase::Create(/*migrate=*/false);
  ASSERT_NE(test_db, nullptr);
  auto all = LoadMigrations(db::MigrationFiles());
  ASSERT_TRUE(all.ok()) << all.status();
  std::vector<Migration> upto3;
  for (const Migration& m : *all) {
    if (m.version <= 3) upto3.push_back(m);
  }
  ASSERT_EQ(upto3.size(), 3u);
  auto schema = [&] {
    std::string out;
    auto c = test_db->Connect();
    for (const char* table : {"organisations", "advisers"}) {
      auto rs = c->Query(absl::StrCat("SHOW CREATE TABLE ", table));
      EXPECT_TRUE(rs->next());
      out += GetString(*rs, 2) + "\n";
    }
    return out;
  };
  ASSERT_TRUE(Migrator(test_db->db(), upto3).Up().ok());
  const std::string before = schema();
  Migrator migrator(test_db->db(), *all);
  ASSERT_TRUE(migrator.Up().ok());
  EXPECT_THAT(schema(), HasSubstr("advisers_by_subject"));
  ASSERT_TRUE(migrator.DownTo(3).ok());
  EXPECT_EQ(schema(), before);
  EXPECT_EQ(test_db->Query("SELECT COUNT(*) FROM information_schema.tables "
                           "WHERE table_schema = DATABASE() AND table_name = "
                           "'locations'"),
            "0");
  ASSERT_TRUE(migrator.Up().ok());
  EXPECT_TRUE(migrator.Verify().ok());
}

}  // namespace
}  // namespace careers::store
