// The change feed on MariaDB: every write's unit of work appends its change
// records in the write's own transaction, who may see each change follows
// consent and guardian links as they stood when it committed, ListChanges
// pages in order, and pruning makes old tokens resync.
#include "server/domain/change_feed.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/domain/consents.h"
#include "server/domain/errors.h"
#include "server/domain/profiles.h"
#include "server/store/change_store.h"
#include "server/store/consent_store.h"
#include "server/store/directory_store.h"
#include "server/store/profile_store.h"
#include "server/store/unit_of_work.h"
#include "tests/support/test_data.h"
#include "tests/support/test_database.h"

namespace careers::store {
namespace {

using ::careers::testing::TestDatabase;
using ::careers::testing::ValidProfile;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ChangeFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::Create(/*migrate=*/true, /*pool_size=*/8);
    ASSERT_NE(test_db_, nullptr);
    test_db_->Exec(
        "INSERT INTO organisations (id, display_name, kind, create_time, "
        "update_time) VALUES ('school-a', 'School A', 'SCHOOL', "
        "UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)), ('school-b', 'School B', "
        "'SCHOOL', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))");
    profile_store_ = std::make_unique<ProfileStore>(test_db_->db());
    directory_ = std::make_unique<DirectoryStore>(test_db_->db());
    consent_store_ = std::make_unique<ConsentStore>(test_db_->db(), clock_);
    change_store_ = std::make_unique<ChangeStore>(test_db_->db());
    profiles_ = std::make_unique<domain::Profiles>(*profile_store_, *directory_,
                                                   clock_, tokens_);
    consents_ = std::make_unique<domain::Consents>(*consent_store_, *directory_,
                                                   clock_, tokens_);
    feed_ = std::make_unique<domain::ChangeFeed>(*change_store_);
    admin_ = As(auth::Role::kAdmin, "operator");
    for (const char* id : {"pupil", "other"}) {
      v1::CreateProfileRequest create;
      *create.mutable_profile() = ValidProfile();  // born 2011-04-12
      create.set_profile_id(id);
      ASSERT_TRUE(profiles_->CreateProfile(admin_, create).ok());
    }
  }

  RequestContext As(auth::Role role, const std::string& subject,
                    const std::string& organisation = "",
                    const std::string& profile = "") {
    RequestContext ctx;
    ctx.deadline = absl::Now() + absl::Seconds(30);
    ctx.principal.role = role;
    ctx.principal.subject = subject;
    ctx.principal.organisation = organisation;
    ctx.principal.profile = profile;
    ctx.method = "test";
    return ctx;
  }
  RequestContext Pupil() {
    return As(auth::Role::kPerson, "pupil-sub", "", "profiles/pupil");
  }

  absl::StatusOr<v1::Profile> Rename(const std::string& id,
                                     const std::string& preferred,
                                     const std::string& etag = "") {
    v1::UpdateProfileRequest req;
    req.mutable_profile()->set_name(absl::StrCat("profiles/", id));
    req.mutable_profile()->set_preferred_name(preferred);
    req.mutable_profile()->set_etag(etag);
    req.mutable_update_mask()->add_paths("preferred_name");
    return profiles_->UpdateProfile(admin_, req);
  }

  // Change records written so far (numbered or not).
  int64_t Written() {
    int64_t n = -1;
    EXPECT_TRUE(
        absl::SimpleAtoi(test_db_->Query("SELECT COUNT(*) FROM changes"), &n));
    return n;
  }
  // What the server's sequencer does after each write: number them.
  void Number() {
    absl::StatusOr<int> n =
        change_store_->Sequence(1000, absl::Now() + absl::Seconds(10));
    ASSERT_TRUE(n.ok()) << n.status();
  }
  int64_t Last() {
    int64_t n = -1;
    EXPECT_TRUE(absl::SimpleAtoi(
        test_db_->Query("SELECT last_sequence FROM change_sequence"), &n));
    return n;
  }

  // Every change `ctx`'s caller may see after `token`, paging with
  // `page_size`, as "KIND resource".
  std::vector<std::string> Seen(const RequestContext& ctx,
                                const std::string& token, int page_size = 3,
                                std::string* next = nullptr) {
    Number();
    std::vector<std::string> seen;
    v1::ListChangesRequest req;
    req.set_sync_token(token);
    req.set_page_size(page_size);
    for (int page = 0; page < 100; ++page) {
      absl::StatusOr<v1::ListChangesResponse> resp =
          feed_->ListChanges(ctx, req);
      EXPECT_TRUE(resp.ok()) << resp.status();
      if (!resp.ok()) break;
      EXPECT_LE(resp->changes_size(), page_size);
      for (const v1::Change& c : resp->changes()) {
        seen.push_back(
            absl::StrCat(v1::Change::Kind_Name(c.kind()), " ", c.resource()));
      }
      req.set_sync_token(resp->next_sync_token());
      if (!resp->more()) break;
    }
    if (next != nullptr) *next = req.sync_token();
    return seen;
  }

  std::string Head() {
    Number();
    v1::ListChangesRequest req;
    absl::StatusOr<v1::ListChangesResponse> resp =
        feed_->ListChanges(admin_, req);
    EXPECT_TRUE(resp.ok()) << resp.status();
    EXPECT_EQ(resp->changes_size(), 0);
    return resp->next_sync_token();
  }

  std::unique_ptr<TestDatabase> test_db_;
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 11, 23, 12, 0, 0),
                                   absl::UTCTimeZone())};
  PageTokenCodec tokens_{std::string(32, 'k'), absl::Hours(1)};
  std::unique_ptr<ProfileStore> profile_store_;
  std::unique_ptr<DirectoryStore> directory_;
  std::unique_ptr<ConsentStore> consent_store_;
  std::unique_ptr<ChangeStore> change_store_;
  std::unique_ptr<domain::Profiles> profiles_;
  std::unique_ptr<domain::Consents> consents_;
  std::unique_ptr<domain::ChangeFeed> feed_;
  RequestContext admin_;
};

TEST_F(ChangeFeedTest, AChangeIsInTheWritesTransactionOrNowhere) {
  const int64_t before = Written();
  // Recorded, then refused: the change goes with the rollback.
  absl::Status refused =
      Write(test_db_->db(), admin_, "test", [](UnitOfWork& unit) {
        v1::Profile p;
        p.set_name("profiles/pupil");
        unit.Created(p);
        return absl::FailedPreconditionError("changed my mind");
      });
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Written(), before);

  // An update names its fields; a stale etag changes and records nothing.
  absl::StatusOr<v1::Profile> renamed = Rename("pupil", "Pip");
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(Written(), before + 1);
  EXPECT_EQ(test_db_->Query("SELECT CONCAT(kind, ' ', resource, ' ', "
                            "field_paths, ' ', profile_id) FROM changes "
                            "ORDER BY id DESC LIMIT 1"),
            "UPDATED profiles/pupil preferred_name pupil");
  const std::string etag = renamed->etag();
  ASSERT_TRUE(Rename("pupil", "Pippa").ok());
  EXPECT_EQ(Rename("pupil", "Pipkin", etag).status().code(),
            absl::StatusCode::kAborted);
  EXPECT_EQ(Written(), before + 2);

  // A retried create replays its response and records nothing more.
  v1::CreateGoalRequest goal;
  goal.set_parent("profiles/pupil");
  goal.mutable_goal()->set_title("Choose my Highers");
  goal.mutable_goal()->set_goal_type(v1::Goal::SUBJECT_CHOICE);
  goal.set_request_id("goal-1");
  ASSERT_TRUE(profiles_->CreateGoal(admin_, goal).ok());
  ASSERT_TRUE(profiles_->CreateGoal(admin_, goal).ok());
  EXPECT_EQ(Written(), before + 3);
  // Numbered: dense, each once, in the order written.
  EXPECT_EQ(Last(), 0);
  Number();
  EXPECT_EQ(Last(), Written());
  EXPECT_EQ(test_db_->Query("SELECT COUNT(DISTINCT sequence) = COUNT(*) AND "
                            "MIN(sequence) = 1 AND MAX(sequence) = COUNT(*) "
                            "FROM changes"),
            "1");
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM changes a JOIN changes b "
                            "ON a.id < b.id AND a.sequence > b.sequence"),
            "0");
  Number();  // nothing left: nothing renumbered
  EXPECT_EQ(Last(), Written());
}

TEST_F(ChangeFeedTest, WhoSeesAChangeIsDecidedAsItCommitted) {
  const std::string start = Head();
  v1::CreateConsentRequest share;
  share.set_parent("profiles/pupil");
  share.mutable_consent()->set_purpose(v1::Consent::SHARE_WITH_ORGANISATION);
  share.mutable_consent()->set_organisation("organisations/school-a");
  absl::StatusOr<v1::Consent> consent =
      consents_->CreateConsent(Pupil(), share);
  ASSERT_TRUE(consent.ok()) << consent.status();
  ASSERT_TRUE(Rename("pupil", "While shared").ok());
  v1::CreateGuardianLinkRequest link;
  link.set_parent("profiles/pupil");
  link.mutable_guardian_link()->set_guardian_subject("parent-sub");
  link.mutable_guardian_link()->set_guardian_display_name("Mum");
  link.mutable_guardian_link()->set_relationship(v1::GuardianLink::PARENT);
  absl::StatusOr<v1::GuardianLink> linked =
      consents_->CreateGuardianLink(admin_, link);
  ASSERT_TRUE(linked.ok()) << linked.status();
  v1::WithdrawConsentRequest withdraw;
  withdraw.set_name(consent->name());
  ASSERT_TRUE(consents_->WithdrawConsent(Pupil(), withdraw).ok());
  ASSERT_TRUE(Rename("pupil", "After withdrawal").ok());
  v1::EndGuardianLinkRequest end;
  end.set_name(linked->name());
  ASSERT_TRUE(consents_->EndGuardianLink(Pupil(), end).ok());
  ASSERT_TRUE(Rename("pupil", "After the link").ok());
  ASSERT_TRUE(Rename("other", "Someone else").ok());

  const std::string c = consent->name(), l = linked->name();
  // The person: all of their own, none of another's.
  EXPECT_THAT(
      Seen(Pupil(), start),
      ElementsAre("CREATED " + c, "UPDATED profiles/pupil", "CREATED " + l,
                  "STATE_CHANGED " + c, "UPDATED profiles/pupil",
                  "STATE_CHANGED " + l, "UPDATED profiles/pupil"));
  // Staff of the organisation: while it was shared, and not after.
  EXPECT_THAT(
      Seen(As(auth::Role::kAdviser, "adviser-sub", "organisations/school-a"),
           start),
      ElementsAre("CREATED " + c, "UPDATED profiles/pupil", "CREATED " + l));
  EXPECT_THAT(
      Seen(As(auth::Role::kOrgAdmin, "manager-b", "organisations/school-b"),
           start),
      IsEmpty());
  // The guardian: while the link was in force (the pupil is under 16).
  EXPECT_THAT(Seen(As(auth::Role::kGuardian, "parent-sub"), start),
              ElementsAre("CREATED " + l, "STATE_CHANGED " + c,
                          "UPDATED profiles/pupil"));
  EXPECT_THAT(Seen(As(auth::Role::kGuardian, "stranger-sub"), start),
              IsEmpty());
  // Services by scope; administrators everything.
  RequestContext analytics = As(auth::Role::kService, "analytics");
  EXPECT_THAT(Seen(analytics, start), IsEmpty());
  analytics.principal.scopes = {"profiles.read"};
  EXPECT_EQ(Seen(analytics, start).size(), 8u);
  EXPECT_EQ(Seen(admin_, start, /*page_size=*/1).size(), 8u);

  // Only the types asked for.
  v1::ListChangesRequest req;
  req.set_sync_token(start);
  req.add_resource_types("GuardianLink");
  req.add_resource_types("careers.uk/Consent");
  absl::StatusOr<v1::ListChangesResponse> typed =
      feed_->ListChanges(admin_, req);
  ASSERT_TRUE(typed.ok()) << typed.status();
  EXPECT_EQ(typed->changes_size(), 4);
  req.add_resource_types("Appointments");
  const absl::Status bad = feed_->ListChanges(admin_, req).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.message()),
              ::testing::HasSubstr("resource_types[2]"));
}

TEST_F(ChangeFeedTest, PagesResumeWithNoGapAndNoDuplicate) {
  const std::string start = Head();
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(Rename("pupil", absl::StrCat("Name ", i)).ok());
  }
  std::string next;
  const std::vector<std::string> all = Seen(admin_, start, 2, &next);
  EXPECT_EQ(all.size(), 7u);
  EXPECT_THAT(Seen(admin_, next), IsEmpty());  // caught up
  ASSERT_TRUE(Rename("pupil", "One more").ok());
  EXPECT_THAT(Seen(admin_, next), ElementsAre("UPDATED profiles/pupil"));

  // Each change's own token resumes right after it.
  v1::ListChangesRequest req;
  req.set_sync_token(start);
  req.set_page_size(3);
  absl::StatusOr<v1::ListChangesResponse> first =
      feed_->ListChanges(admin_, req);
  ASSERT_TRUE(first.ok() && first->changes_size() == 3 && first->more());
  req.set_sync_token(first->changes(1).change_token());
  absl::StatusOr<v1::ListChangesResponse> again =
      feed_->ListChanges(admin_, req);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->changes(0).sequence(), first->changes(2).sequence());

  req.set_sync_token("not-a-token");
  const absl::Status bad = feed_->ListChanges(admin_, req).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.message()), ::testing::HasSubstr("sync_token"));
}

TEST_F(ChangeFeedTest, PruningInBatchesMakesOlderTokensResync) {
  const std::string start = Head();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(Rename("pupil", absl::StrCat("Old ", i)).ok());
  }
  std::string middle;
  Seen(admin_, start, 100, &middle);
  ASSERT_TRUE(Rename("pupil", "Recent").ok());
  Number();
  // All but the newest (two creates, five renames) are 40 days old.
  test_db_->Exec(
      "UPDATE changes SET commit_time = commit_time - INTERVAL 40 DAY WHERE "
      "sequence < (SELECT last_sequence FROM change_sequence)");
  const absl::Time cutoff = absl::Now() - absl::Hours(24 * 30);
  int pruned = 0;
  for (int round = 0; round < 10; ++round) {
    absl::StatusOr<int> n = change_store_->Prune(
        cutoff, /*limit=*/2, absl::Now() + absl::Seconds(10));
    ASSERT_TRUE(n.ok()) << n.status();
    if (*n == 0) break;
    EXPECT_LE(*n, 2);
    pruned += *n;
  }
  EXPECT_EQ(pruned, 7);
  EXPECT_EQ(test_db_->Query("SELECT COUNT(*) FROM changes"), "1");
  v1::ListChangesRequest req;
  req.set_sync_token(start);
  const absl::Status old = feed_->ListChanges(admin_, req).status();
  EXPECT_EQ(old.code(), absl::StatusCode::kFailedPrecondition) << old;
  auto info = old.GetPayload(errors::kErrorInfoType);
  ASSERT_TRUE(info.has_value());
  EXPECT_THAT(std::string(*info), ::testing::HasSubstr("RESYNC_REQUIRED"));
  // A token from after the pruned changes still works.
  EXPECT_THAT(Seen(admin_, middle), ElementsAre("UPDATED profiles/pupil"));
  // And one from the future (a restored database) resyncs too.
  req.set_sync_token(domain::EncodeChangeToken(Last() + 100));
  EXPECT_EQ(feed_->ListChanges(admin_, req).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace careers::store
