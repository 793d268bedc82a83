#ifndef CAREERS_TESTS_UNIT_FAKE_REPOSITORY_H_
#define CAREERS_TESTS_UNIT_FAKE_REPOSITORY_H_

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "server/common/proto_time.h"
#include "server/domain/consent_repository.h"
#include "server/domain/errors.h"
#include "server/domain/etag.h"
#include "server/domain/profile_repository.h"
#include "tests/unit/fake_tables.h"

namespace careers::testing {

// In-memory ProfileRepository and DirectoryLookup for domain unit tests:
// the same contract as store::ProfileStore (etags from versions, NOT_FOUND,
// ALREADY_EXISTS, request-id replay), no SQL. Thread-safe.
class FakeRepository final : public domain::ProfileRepository,
                             public domain::DirectoryLookup,
                             public domain::AccessRecorder,
                             private FakeTables {
 public:
  std::set<std::string> organisations = {"org-a", "org-b"};
  std::set<std::string> advisers = {"adviser-a"};

  absl::StatusOr<v1::Profile> CreateProfile(
      const RequestContext&, const std::string& id, const v1::Profile& profile,
      const domain::IdempotencyKey* key) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Create(profiles_, id, profile, key);
  }
  absl::StatusOr<v1::Profile> GetProfile(const RequestContext&,
                                         const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Get(profiles_, id, "profiles/" + id);
  }
  absl::StatusOr<domain::Page<v1::Profile>> ListProfiles(
      const RequestContext&, const domain::ProfileQuery& q) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::map<std::tuple<std::string, std::string, std::string>, v1::Profile>
        sorted;
    for (const auto& [id, entry] : profiles_) {
      const v1::Profile& p = entry.value;
      if (q.life_stage && p.life_stage() != *q.life_stage) continue;
      if (q.support_level && p.support_level() != *q.support_level) continue;
      if (q.home_organisation_id &&
          p.home_organisation() != "organisations/" + *q.home_organisation_id) {
        continue;
      }
      if (q.family_name_prefix &&
          p.family_name().rfind(*q.family_name_prefix, 0) != 0)
        continue;
      if (q.family_name && p.family_name() != *q.family_name) continue;
      auto key = std::make_tuple(p.family_name(), p.given_name(), id);
      if (q.after && key <= std::make_tuple(q.after->family_name,
                                            q.after->given_name, q.after->id)) {
        continue;
      }
      sorted.emplace(key, WithEtag(entry));
    }
    return TakePage(sorted, q.limit);
  }
  absl::StatusOr<v1::Profile> UpdateProfile(
      const RequestContext&, const std::string& id,
      const domain::Mutation<v1::Profile>& m) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Update(profiles_, id, "profiles/" + id, m);
  }

  absl::StatusOr<v1::Goal> CreateGoal(
      const RequestContext&, const std::string& profile_id,
      const std::string& id, const v1::Goal& goal,
      const domain::IdempotencyKey* key) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!profiles_.count(profile_id))
      return errors::NotFound("Profile", "profiles/" + profile_id);
    return Create(goals_, profile_id + "/" + id, goal, key);
  }
  absl::StatusOr<v1::Goal> GetGoal(const RequestContext&,
                                   const std::string& profile_id,
                                   const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Get(goals_, profile_id + "/" + id, "goal");
  }
  absl::StatusOr<domain::Page<v1::Goal>> ListGoals(
      const RequestContext&, const domain::GoalQuery& q) override {
    std::lock_guard<std::mutex> lock(mu_);
    return ListChildren(
        goals_, q.profile_id, q.after, q.limit, [&](const v1::Goal& g) {
          return (!q.state || g.state() == *q.state) &&
                 (!q.goal_type || g.goal_type() == *q.goal_type);
        });
  }
  absl::StatusOr<v1::Goal> UpdateGoal(
      const RequestContext&, const std::string& profile_id,
      const std::string& id, const domain::Mutation<v1::Goal>& m) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Update(goals_, profile_id + "/" + id, "goal", m);
  }

  absl::StatusOr<v1::Action> CreateAction(
      const RequestContext&, const std::string& profile_id,
      const std::string& id, const v1::Action& action,
      const domain::IdempotencyKey* key) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!profiles_.count(profile_id))
      return errors::NotFound("Profile", "profiles/" + profile_id);
    return Create(actions_, profile_id + "/" + id, action, key);
  }
  absl::StatusOr<v1::Action> GetAction(const RequestContext&,
                                       const std::string& profile_id,
                                       const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Get(actions_, profile_id + "/" + id, "action");
  }
  absl::StatusOr<domain::Page<v1::Action>> ListActions(
      const RequestContext&, const domain::ActionQuery& q) override {
    std::lock_guard<std::mutex> lock(mu_);
    return ListChildren(actions_, q.profile_id, q.after, q.limit,
                        [&](const v1::Action& a) {
                          return (!q.state || a.state() == *q.state) &&
                                 (!q.owner || a.owner() == *q.owner);
                        });
  }
  absl::StatusOr<v1::Action> UpdateAction(
      const RequestContext&, const std::string& profile_id,
      const std::string& id, const domain::Mutation<v1::Action>& m) override {
    std::lock_guard<std::mutex> lock(mu_);
    return Update(actions_, profile_id + "/" + id, "action", m);
  }

  absl::StatusOr<bool> OrganisationExists(const RequestContext&,
                                          const std::string& id) override {
    return organisations.count(id) > 0;
  }
  absl::StatusOr<bool> AdviserExists(const RequestContext&,
                                     const std::string& id) override {
    return advisers.count(id) > 0;
  }

  absl::StatusOr<std::optional<domain::AdviserIdentity>> FindAdviserBySubject(
      const RequestContext&, const std::string&) override {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<std::string>> OrganisationOfAdviser(
      const RequestContext&, const std::string& id) override {
    if (!advisers.count(id)) return std::nullopt;
    return std::string("org-a");
  }
  absl::StatusOr<std::optional<std::string>> OrganisationOfLocation(
      const RequestContext&, const std::string&) override {
    return std::nullopt;
  }
  absl::StatusOr<std::optional<std::string>> TimeZoneOfLocation(
      const RequestContext&, const std::string&) override {
    return std::nullopt;
  }

  void RecordRead(const RequestContext& ctx, absl::string_view,
                  absl::string_view resource) override {
    std::lock_guard<std::mutex> lock(mu_);
    reads_.emplace_back(resource);
    read_reasons_.push_back(ctx.access_reason);
  }
  std::vector<std::string> reads() {
    std::lock_guard<std::mutex> lock(mu_);
    return reads_;
  }
  // The access reason of each read, in the order of reads().
  std::vector<std::string> read_reasons() {
    std::lock_guard<std::mutex> lock(mu_);
    return read_reasons_;
  }

  int profile_count() {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(profiles_.size());
  }

 private:
  template <typename T, typename Pred>
  domain::Page<T> ListChildren(
      Table<T>& table, const std::string& profile_id,
      const std::optional<domain::CreationCursor>& after, int limit,
      Pred keep) {
    std::map<std::pair<int64_t, std::string>, T> sorted;
    for (const auto& [key, entry] : table) {
      if (key.rfind(profile_id + "/", 0) != 0 || !keep(entry.value)) continue;
      const std::string id = key.substr(profile_id.size() + 1);
      const int64_t micros =
          absl::ToUnixMicros(FromProtoTimestamp(entry.value.create_time()));
      if (after && std::make_pair(micros, id) <=
                       std::make_pair(absl::ToUnixMicros(after->create_time),
                                      after->id)) {
        continue;
      }
      sorted.emplace(std::make_pair(micros, id), WithEtag(entry));
    }
    return TakePage(sorted, limit);
  }

  std::mutex mu_;
  std::vector<std::string> reads_;
  std::vector<std::string> read_reasons_;
  Table<v1::Profile> profiles_;
  Table<v1::Goal> goals_;
  Table<v1::Action> actions_;
};

}  // namespace careers::testing

#endif  // CAREERS_TESTS_UNIT_FAKE_REPOSITORY_H_
