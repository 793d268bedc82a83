#ifndef CAREERS_SERVER_STORE_PROFILE_STORE_H_
#define CAREERS_SERVER_STORE_PROFILE_STORE_H_

#include "server/domain/profile_repository.h"
#include "server/store/database.h"

namespace careers::store {

// Profiles, goals and actions on MariaDB/MySQL (db/migrations/0002). The
// columns hold what is filtered and sorted on; the rest of a profile is a
// serialized careers.v1.Profile in `details`. Thread-safe; `db` must
// outlive it.
class ProfileStore final : public domain::ProfileRepository {
 public:
  explicit ProfileStore(Database& db) : db_(db) {}

  absl::StatusOr<v1::Profile> CreateProfile(
      const RequestContext& ctx, const std::string& id,
      const v1::Profile& profile, const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::Profile> GetProfile(const RequestContext& ctx,
                                         const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Profile>> ListProfiles(
      const RequestContext& ctx, const domain::ProfileQuery& query) override;
  absl::StatusOr<v1::Profile> UpdateProfile(
      const RequestContext& ctx, const std::string& id,
      const domain::Mutation<v1::Profile>& mutate) override;

  absl::StatusOr<v1::Goal> CreateGoal(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const v1::Goal& goal,
      const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::Goal> GetGoal(const RequestContext& ctx,
                                   const std::string& profile_id,
                                   const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Goal>> ListGoals(
      const RequestContext& ctx, const domain::GoalQuery& query) override;
  absl::StatusOr<v1::Goal> UpdateGoal(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const domain::Mutation<v1::Goal>& mutate) override;

  absl::StatusOr<v1::Action> CreateAction(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const v1::Action& action,
      const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::Action> GetAction(const RequestContext& ctx,
                                       const std::string& profile_id,
                                       const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Action>> ListActions(
      const RequestContext& ctx, const domain::ActionQuery& query) override;
  absl::StatusOr<v1::Action> UpdateAction(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id,
      const domain::Mutation<v1::Action>& mutate) override;

 private:
  Database& db_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_PROFILE_STORE_H_
