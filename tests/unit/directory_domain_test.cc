// The directory's rules on an in-memory repository: names, times and etags,
// references and the parent hierarchy, immutable organisations, soft delete,
// filters and paging, and email and subject hidden from who may not see
// them.
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/directory.h"
#include "tests/support/test_data.h"
#include "tests/unit/fake_directory.h"

namespace careers::domain {
namespace {

using ::careers::testing::FakeDirectory;
using ::careers::testing::TestNow;
using ::careers::testing::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class DirectoryTest : public ::testing::Test {
 protected:
  DirectoryTest()
      : clock_(TestNow()),
        tokens_(std::string(32, 'k'), absl::Hours(24)),
        directory_(repo_, clock_, tokens_) {
    admin_.deadline = absl::InfiniteFuture();
    admin_.principal.subject = "admin-1";
    admin_.principal.role = auth::Role::kAdmin;
    repo_.AddOrganisation("sds", "", "Skills Development Scotland");
    repo_.AddOrganisation("careers-wales", "", "Careers Wales");
  }

  static RequestContext As(auth::Role role, const std::string& organisation,
                           const std::string& subject = "caller") {
    RequestContext ctx;
    ctx.principal.role = role;
    ctx.principal.organisation = organisation;
    ctx.principal.subject = subject;
    return ctx;
  }

  v1::Adviser NewAdviser(const std::string& display_name,
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
    return directory_.CreateAdviser(admin_, req);
  }

  absl::StatusOr<v1::Adviser> GetAdviser(const std::string& name,
                                         const RequestContext& ctx) {
    v1::GetAdviserRequest req;
    req.set_name(name);
    return directory_.GetAdviser(ctx, req);
  }

  std::vector<std::string> AdviserNames(const std::string& filter,
                                        bool show_deleted = false,
                                        int page_size = 2) {
    std::vector<std::string> names;
    v1::ListAdvisersRequest req;
    req.set_filter(filter);
    req.set_show_deleted(show_deleted);
    req.set_page_size(page_size);
    do {
      auto page = directory_.ListAdvisers(admin_, req);
      EXPECT_TRUE(page.ok()) << page.status();
      if (!page.ok()) break;
      for (const auto& a : page->advisers()) names.push_back(a.display_name());
      req.set_page_token(page->next_page_token());
    } while (!req.page_token().empty());
    return names;
  }

  FakeDirectory repo_;
  FakeClock clock_;
  PageTokenCodec tokens_;
  Directory directory_;
  RequestContext admin_;
};

// ----------------------------------------------------------- organisations

TEST_F(DirectoryTest, CreateOrganisationAssignsNameTimesAndEtag) {
  v1::CreateOrganisationRequest req;
  req.set_organisation_id("leith-academy");
  req.mutable_organisation()->set_name("organisations/forged");
  req.mutable_organisation()->set_display_name("Leith Academy");
  req.mutable_organisation()->set_kind(v1::Organisation::SCHOOL);
  req.mutable_organisation()->set_parent("organisations/sds");
  auto created = directory_.CreateOrganisation(admin_, req);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "organisations/leith-academy");
  EXPECT_EQ(FromProtoTimestamp(created->create_time()), TestNow());
  EXPECT_FALSE(created->etag().empty());

  EXPECT_EQ(directory_.CreateOrganisation(admin_, req).status().code(),
            absl::StatusCode::kAlreadyExists);
  req.set_organisation_id("Bad Id");
  EXPECT_THAT(
      ViolatedFields(directory_.CreateOrganisation(admin_, req).status()),
      ElementsAre("organisation_id"));
}

TEST_F(DirectoryTest, ParentMustExist) {
  v1::CreateOrganisationRequest req;
  req.mutable_organisation()->set_display_name("Orphan School");
  req.mutable_organisation()->set_kind(v1::Organisation::SCHOOL);
  req.mutable_organisation()->set_parent("organisations/nowhere");
  EXPECT_THAT(
      ViolatedFields(directory_.CreateOrganisation(admin_, req).status()),
      ElementsAre("organisation.parent"));
}

TEST_F(DirectoryTest, UpdatingAParentRefusesCyclesAndKeepsTheOldOne) {
  repo_.AddOrganisation("lothian", "sds");
  repo_.AddOrganisation("leith", "lothian");
  v1::GetOrganisationRequest get;
  get.set_name("organisations/sds");
  const v1::Organisation sds = *directory_.GetOrganisation(admin_, get);

  v1::UpdateOrganisationRequest req;
  req.mutable_organisation()->set_name("organisations/sds");
  req.mutable_organisation()->set_parent("organisations/leith");
  req.mutable_organisation()->set_etag(sds.etag());
  req.mutable_update_mask()->add_paths("parent");
  const absl::Status cycle =
      directory_.UpdateOrganisation(admin_, req).status();
  EXPECT_THAT(ViolatedFields(cycle), ElementsAre("organisation.parent"));
  EXPECT_THAT(std::string(cycle.message()), HasSubstr("cycle"));
  EXPECT_EQ(directory_.GetOrganisation(admin_, get)->parent(), "");

  // Under another root is fine, and the etag moves on.
  req.mutable_organisation()->set_parent("organisations/careers-wales");
  auto moved = directory_.UpdateOrganisation(admin_, req);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->parent(), "organisations/careers-wales");
  EXPECT_EQ(moved->display_name(), "Skills Development Scotland");
  EXPECT_EQ(directory_.UpdateOrganisation(admin_, req).status().code(),
            absl::StatusCode::kAborted);  // the etag is stale now
}

TEST_F(DirectoryTest, OrganisationFiltersAndPagesByDisplayName) {
  for (const char* name : {"Zeta College", "Alpha School", "Mid School"}) {
    v1::CreateOrganisationRequest req;
    req.mutable_organisation()->set_display_name(name);
    req.mutable_organisation()->set_kind(absl::StrContains(name, "College")
                                             ? v1::Organisation::COLLEGE
                                             : v1::Organisation::SCHOOL);
    req.mutable_organisation()->set_region("Fife");
    ASSERT_TRUE(directory_.CreateOrganisation(admin_, req).ok());
  }
  v1::ListOrganisationsRequest req;
  req.set_filter("kind = SCHOOL AND region = \"Fife\"");
  req.set_page_size(1);
  std::vector<std::string> names;
  do {
    auto page = directory_.ListOrganisations(admin_, req);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& o : page->organisations()) {
      names.push_back(o.display_name());
    }
    req.set_page_token(page->next_page_token());
  } while (!req.page_token().empty());
  EXPECT_THAT(names, ElementsAre("Alpha School", "Mid School"));

  req.set_filter("kind = PLANET");
  EXPECT_THAT(
      ViolatedFields(directory_.ListOrganisations(admin_, req).status()),
      ElementsAre("filter"));
}

// ---------------------------------------------------------------- advisers

TEST_F(DirectoryTest, AdviserNeedsAnExistingOrganisation) {
  EXPECT_THAT(
      ViolatedFields(CreateAdviser(NewAdviser("A", "nowhere")).status()),
      ElementsAre("adviser.organisation"));
  auto created = CreateAdviser(NewAdviser("Morag Campbell"), "morag");
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name(), "advisers/morag");
  EXPECT_TRUE(created->active());
}

TEST_F(DirectoryTest, OrganisationCannotChangeAfterCreate) {
  auto a = CreateAdviser(NewAdviser("Morag Campbell"), "morag");
  ASSERT_TRUE(a.ok());
  v1::UpdateAdviserRequest req;
  req.mutable_adviser()->set_name("advisers/morag");
  req.mutable_adviser()->set_organisation("organisations/careers-wales");
  req.mutable_update_mask()->add_paths("organisation");
  EXPECT_THAT(ViolatedFields(directory_.UpdateAdviser(admin_, req).status()),
              ElementsAre("update_mask"));

  req.clear_update_mask();  // every field set: organisation differs
  EXPECT_THAT(ViolatedFields(directory_.UpdateAdviser(admin_, req).status()),
              ElementsAre("adviser.organisation"));

  // Repeating the same organisation is fine.
  req.mutable_adviser()->set_organisation("organisations/sds");
  req.mutable_adviser()->set_display_name("Morag C. Campbell");
  auto updated = directory_.UpdateAdviser(admin_, req);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name(), "Morag C. Campbell");
  EXPECT_EQ(updated->organisation(), "organisations/sds");
}

TEST_F(DirectoryTest, SubjectsAreUnique) {
  v1::Adviser first = NewAdviser("First");
  first.set_subject("idp|1");
  ASSERT_TRUE(CreateAdviser(first, "first").ok());
  v1::Adviser second = NewAdviser("Second");
  second.set_subject("idp|1");
  EXPECT_EQ(CreateAdviser(second).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(DirectoryTest, EmailAndSubjectOnlyForThoseWhoMaySeeThem) {
  v1::Adviser a = NewAdviser("Morag Campbell");
  a.set_email("morag@sds.example");
  a.set_subject("idp|morag");
  ASSERT_TRUE(CreateAdviser(a, "morag").ok());

  const auto colleague = As(auth::Role::kAdviser, "organisations/sds");
  const auto other_org =
      As(auth::Role::kOrgAdmin, "organisations/careers-wales");
  const auto person = As(auth::Role::kPerson, "");
  const auto herself = As(auth::Role::kAdviser, "", "idp|morag");

  EXPECT_EQ(GetAdviser("advisers/morag", colleague)->email(),
            "morag@sds.example");
  EXPECT_EQ(GetAdviser("advisers/morag", herself)->subject(), "idp|morag");
  for (const RequestContext& ctx : {other_org, person}) {
    auto seen = GetAdviser("advisers/morag", ctx);
    ASSERT_TRUE(seen.ok());
    EXPECT_EQ(seen->email(), "");
    EXPECT_EQ(seen->subject(), "");
    EXPECT_EQ(seen->display_name(), "Morag Campbell");

    v1::ListAdvisersRequest list;
    auto listed = directory_.ListAdvisers(ctx, list);
    ASSERT_TRUE(listed.ok());
    ASSERT_EQ(listed->advisers_size(), 1);
    EXPECT_EQ(listed->advisers(0).email(), "");
    EXPECT_EQ(listed->advisers(0).subject(), "");
  }
  // Responses to writes are redacted the same way.
  v1::UpdateAdviserRequest update;
  update.mutable_adviser()->set_name("advisers/morag");
  update.mutable_adviser()->add_specialisms("apprenticeships");
  auto updated = directory_.UpdateAdviser(other_org, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->email(), "");
  EXPECT_EQ(GetAdviser("advisers/morag", admin_)->email(), "morag@sds.example");
}

TEST_F(DirectoryTest, SoftDeleteAndUndelete) {
  auto a = CreateAdviser(NewAdviser("Ewan MacLeod"), "ewan");
  ASSERT_TRUE(CreateAdviser(NewAdviser("Morag Campbell"), "morag").ok());
  ASSERT_TRUE(a.ok());
  clock_.Advance(absl::Minutes(5));

  v1::DeleteAdviserRequest del;
  del.set_name("advisers/ewan");
  del.set_etag("stale");
  EXPECT_EQ(directory_.DeleteAdviser(admin_, del).status().code(),
            absl::StatusCode::kAborted);
  del.set_etag(a->etag());
  auto deleted = directory_.DeleteAdviser(admin_, del);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(FromProtoTimestamp(deleted->delete_time()),
            TestNow() + absl::Minutes(5));

  // Still there for Get, gone from lists and from new references.
  auto got = GetAdviser("advisers/ewan", admin_);
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->has_delete_time());
  EXPECT_EQ(got->display_name(), "Ewan MacLeod");
  EXPECT_THAT(AdviserNames(""), ElementsAre("Morag Campbell"));
  EXPECT_THAT(AdviserNames("", /*show_deleted=*/true),
              ElementsAre("Ewan MacLeod", "Morag Campbell"));
  EXPECT_FALSE(*repo_.AdviserExists(admin_, "ewan"));

  del.clear_etag();
  EXPECT_EQ(directory_.DeleteAdviser(admin_, del).status().code(),
            absl::StatusCode::kNotFound);
  v1::UpdateAdviserRequest update;
  update.mutable_adviser()->set_name("advisers/ewan");
  update.mutable_adviser()->set_display_name("Ewan");
  EXPECT_EQ(directory_.UpdateAdviser(admin_, update).status().code(),
            absl::StatusCode::kFailedPrecondition);

  v1::UndeleteAdviserRequest undelete;
  undelete.set_name("advisers/ewan");
  auto restored = directory_.UndeleteAdviser(admin_, undelete);
  ASSERT_TRUE(restored.ok()) << restored.status();
  EXPECT_FALSE(restored->has_delete_time());
  EXPECT_TRUE(*repo_.AdviserExists(admin_, "ewan"));
  EXPECT_THAT(AdviserNames(""), ElementsAre("Ewan MacLeod", "Morag Campbell"));
  EXPECT_EQ(directory_.UndeleteAdviser(admin_, undelete).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(DirectoryTest, AdviserFiltersAndPages) {
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
      {"Ewan MacLeod", "sds", {"en"}, true},
      {"Catrin Jones", "careers-wales", {"cy"}, true},
  };
  for (const Person& p : people) {
    v1::Adviser a = NewAdviser(p.name, p.org);
    a.clear_language_codes();
    for (const auto& code : p.languages) a.add_language_codes(code);
    a.set_active(p.active);
    ASSERT_TRUE(CreateAdviser(a).ok());
  }
  EXPECT_THAT(AdviserNames(""),
              ElementsAre("Catrin Jones", "Ewan MacLeod", "Morag Campbell",
                          "Rhys Evans", "Siân Hughes"));
  EXPECT_THAT(AdviserNames("language_code = \"cy\""),
              ElementsAre("Catrin Jones", "Siân Hughes"));
  EXPECT_THAT(AdviserNames("language_code = GD AND active = true"),
              ElementsAre("Morag Campbell"));
  EXPECT_THAT(AdviserNames("organisation = \"organisations/careers-wales\" "
                           "AND active = false"),
              ElementsAre("Rhys Evans"));

  v1::ListAdvisersRequest bad;
  bad.set_filter("active = maybe AND language_code = \"fr\"");
  const absl::Status status = directory_.ListAdvisers(admin_, bad).status();
  EXPECT_THAT(ViolatedFields(status), ElementsAre("filter", "filter"));

  // A page token belongs to its query.
  v1::ListAdvisersRequest first;
  first.set_page_size(1);
  auto page = directory_.ListAdvisers(admin_, first);
  ASSERT_TRUE(page.ok());
  first.set_page_token(page->next_page_token());
  first.set_show_deleted(true);
  EXPECT_THAT(ViolatedFields(directory_.ListAdvisers(admin_, first).status()),
              ElementsAre("page_token"));
}

TEST_F(DirectoryTest, CreateAdviserRequestIdsReplay) {
  v1::CreateAdviserRequest req;
  *req.mutable_adviser() = NewAdviser("Morag Campbell");
  req.set_request_id("5f0c1f7e-7f2a-4c3e-9a51-3b9f3e2d1c00");
  auto first = directory_.CreateAdviser(admin_, req);
  ASSERT_TRUE(first.ok());
  auto again = directory_.CreateAdviser(admin_, req);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->name(), first->name());
  EXPECT_EQ(repo_.adviser_count(), 1);
  req.mutable_adviser()->set_display_name("Someone Else");
  EXPECT_THAT(ViolatedFields(directory_.CreateAdviser(admin_, req).status()),
              ElementsAre("request_id"));
}

// --------------------------------------------------------------- locations

TEST_F(DirectoryTest, LocationsCheckTimeZonesAndKeepTheirOrganisation) {
  v1::CreateLocationRequest req;
  req.set_location_id("leith-centre");
  v1::Location& l = *req.mutable_location();
  l.set_organisation("organisations/sds");
  l.set_display_name("Leith careers centre");
  l.set_kind(v1::Location::CENTRE);
  l.mutable_address()->set_postcode("EH6 5AB");
  l.set_time_zone("Europe/Londres");
  EXPECT_THAT(ViolatedFields(directory_.CreateLocation(admin_, req).status()),
              ElementsAre("location.time_zone"));
  l.clear_time_zone();
  auto created = directory_.CreateLocation(admin_, req);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->time_zone(), "Europe/London");

  v1::UpdateLocationRequest update;
  update.mutable_location()->set_name("locations/leith-centre");
  update.mutable_location()->set_organisation("organisations/careers-wales");
  update.mutable_location()->set_time_zone("Europe/Dublin");
  EXPECT_THAT(
      ViolatedFields(directory_.UpdateLocation(admin_, update).status()),
      ElementsAre("location.organisation"));
  update.mutable_location()->clear_organisation();
  auto updated = directory_.UpdateLocation(admin_, update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->time_zone(), "Europe/Dublin");
  EXPECT_EQ(updated->address().postcode(), "EH6 5AB");

  // A centre cannot lose its postcode; a virtual location needs none.
  v1::UpdateLocationRequest clear_address;
  clear_address.mutable_location()->set_name("locations/leith-centre");
  clear_address.mutable_update_mask()->add_paths("address");
  EXPECT_THAT(
      ViolatedFields(directory_.UpdateLocation(admin_, clear_address).status()),
      ElementsAre("location.address.postcode"));
  clear_address.mutable_location()->set_kind(v1::Location::VIRTUAL);
  clear_address.mutable_update_mask()->add_paths("kind");
  EXPECT_TRUE(directory_.UpdateLocation(admin_, clear_address).ok());

  v1::ListLocationsRequest list;
  list.set_filter("kind = VIRTUAL AND organisation = \"organisations/sds\"");
  auto listed = directory_.ListLocations(admin_, list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->locations_size(), 1);
  list.set_filter("kind = CENTRE");
  EXPECT_THAT(directory_.ListLocations(admin_, list)->locations(), IsEmpty());
}

TEST_F(DirectoryTest, BadNamesAreInvalidArguments) {
  EXPECT_THAT(ViolatedFields(GetAdviser("organisations/sds", admin_).status()),
              ElementsAre("name"));
  v1::GetLocationRequest get;
  get.set_name("locations/");
  EXPECT_THAT(ViolatedFields(directory_.GetLocation(admin_, get).status()),
              ElementsAre("name"));
  EXPECT_EQ(GetAdviser("advisers/nobody", admin_).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace careers::domain
