#ifndef CAREERS_SERVER_DOMAIN_PROFILE_REPOSITORY_H_
#define CAREERS_SERVER_DOMAIN_PROFILE_REPOSITORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "careers/v1/profile_service.pb.h"
#include "server/domain/directory_lookup.h"
#include "server/domain/repository.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// Where a profile listing resumes: after this (family, given, id).
struct ProfileCursor {
  std::string family_name;
  std::string given_name;
  std::string id;
};

struct ProfileQuery {
  std::optional<std::string> home_organisation_id;
  std::optional<v1::Profile::LifeStage> life_stage;
  std::optional<v1::Profile::SupportLevel> support_level;
  std::optional<std::string> family_name;         // equal, ignoring case
  std::optional<std::string> family_name_prefix;  // starts with, ignoring case
  std::optional<ProfileCursor> after;
  int limit = 50;
};

// Where a goal or action listing resumes: after this (create_time, id).
struct CreationCursor {
  absl::Time create_time;
  std::string id;
};

struct GoalQuery {
  std::string profile_id;
  std::optional<v1::Goal::State> state;
  std::optional<v1::Goal::GoalType> goal_type;
  std::optional<CreationCursor> after;
  int limit = 50;
};

struct ActionQuery {
  std::string profile_id;
  std::optional<v1::Action::State> state;
  std::optional<v1::Action::Owner> owner;
  std::optional<std::string> goal_id;
  std::optional<CreationCursor> after;
  int limit = 50;
};

// Storage of profiles and their action plans. Resources go in with every
// field but etag set (name, times and state chosen by the domain) and come
// out with their etag. Missing resources are NOT_FOUND. Implementations are
// thread-safe.
class ProfileRepository {
 public:
  virtual ~ProfileRepository() = default;

  // ALREADY_EXISTS if the id is taken. With a key, a retry returns the
  // first response instead of creating again.
  virtual absl::StatusOr<v1::Profile> CreateProfile(
      const RequestContext& ctx, const std::string& id,
      const v1::Profile& profile, const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Profile> GetProfile(const RequestContext& ctx,
                                                 const std::string& id) = 0;
  // In (family name, given name, id) order.
  virtual absl::StatusOr<Page<v1::Profile>> ListProfiles(
      const RequestContext& ctx, const ProfileQuery& query) = 0;
  // Reads the profile under a row lock, applies `mutate`, writes it back as
  // a new version: one transaction.
  virtual absl::StatusOr<v1::Profile> UpdateProfile(
      const RequestContext& ctx, const std::string& id,
      const Mutation<v1::Profile>& mutate) = 0;

  // NOT_FOUND if the profile does not exist.
  virtual absl::StatusOr<v1::Goal> CreateGoal(const RequestContext& ctx,
                                              const std::string& profile_id,
                                              const std::string& id,
                                              const v1::Goal& goal,
                                              const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Goal> GetGoal(const RequestContext& ctx,
                                           const std::string& profile_id,
                                           const std::string& id) = 0;
  // In (create time, id) order.
  virtual absl::StatusOr<Page<v1::Goal>> ListGoals(const RequestContext& ctx,
                                                   const GoalQuery& query) = 0;
  virtual absl::StatusOr<v1::Goal> UpdateGoal(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const Mutation<v1::Goal>& mutate) = 0;

  virtual absl::StatusOr<v1::Action> CreateAction(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const v1::Action& action,
      const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::Action> GetAction(const RequestContext& ctx,
                                               const std::string& profile_id,
                                               const std::string& id) = 0;
  virtual absl::StatusOr<Page<v1::Action>> ListActions(
      const RequestContext& ctx, const ActionQuery& query) = 0;
  virtual absl::StatusOr<v1::Action> UpdateAction(
      const RequestContext& ctx, const std::string& profile_id,
      const std::string& id, const Mutation<v1::Action>& mutate) = 0;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_PROFILE_REPOSITORY_H_
