#ifndef CAREERS_SERVER_DOMAIN_PROFILES_H_
#define CAREERS_SERVER_DOMAIN_PROFILES_H_

#include "absl/status/statusor.h"
#include "careers/v1/profile_service.pb.h"
#include "server/common/clock.h"
#include "server/domain/consent_repository.h"
#include "server/domain/paging.h"
#include "server/domain/profile_repository.h"
#include "server/domain/request_context.h"

namespace careers::domain {

// The rules of lifelong profiles and their action plans: validation and
// normal forms, ids and times, idempotent creates, field-mask updates with
// etags, filters and page tokens, and goal and action state machines.
// Takes requests as the API defines them and returns resources or errors as
// values. Who may call what is the access policy's business; this records
// the reads it serves for the access record. Thread-safe; collaborators
// must outlive it.
class Profiles {
 public:
  // Writes to a person's data go on their access record through the
  // repository; reads are recorded by the API layer from what a call
  // returns.
  Profiles(ProfileRepository& repository, DirectoryLookup& directory,
           const Clock& clock, const PageTokenCodec& page_tokens);
  Profiles(const Profiles&) = delete;
  Profiles& operator=(const Profiles&) = delete;

  absl::StatusOr<v1::Profile> CreateProfile(
      const RequestContext& ctx, const v1::CreateProfileRequest& req);
  absl::StatusOr<v1::Profile> GetProfile(const RequestContext& ctx,
                                         const v1::GetProfileRequest& req);
  absl::StatusOr<v1::ListProfilesResponse> ListProfiles(
      const RequestContext& ctx, const v1::ListProfilesRequest& req);
  absl::StatusOr<v1::Profile> UpdateProfile(
      const RequestContext& ctx, const v1::UpdateProfileRequest& req);

  absl::StatusOr<v1::Goal> CreateGoal(const RequestContext& ctx,
                                      const v1::CreateGoalRequest& req);
  absl::StatusOr<v1::Goal> GetGoal(const RequestContext& ctx,
                                   const v1::GetGoalRequest& req);
  absl::StatusOr<v1::ListGoalsResponse> ListGoals(
      const RequestContext& ctx, const v1::ListGoalsRequest& req);
  absl::StatusOr<v1::Goal> UpdateGoal(const RequestContext& ctx,
                                      const v1::UpdateGoalRequest& req);
  // Moves a goal to `to`, allowed only from the states the transition names
  // (see the proto); FAILED_PRECONDITION otherwise.
  absl::StatusOr<v1::Goal> ChangeGoalState(const RequestContext& ctx,
                                           const std::string& name,
                                           const std::string& etag,
                                           v1::Goal::State to);
  absl::StatusOr<v1::Goal> AchieveGoal(const RequestContext& ctx,
                                       const v1::AchieveGoalRequest& req) {
    return ChangeGoalState(ctx, req.name(), req.etag(), v1::Goal::ACHIEVED);
  }
  absl::StatusOr<v1::Goal> DropGoal(const RequestContext& ctx,
                                    const v1::DropGoalRequest& req) {
    return ChangeGoalState(ctx, req.name(), req.etag(),
                           v1::Goal::NO_LONGER_RELEVANT);
  }
  absl::StatusOr<v1::Goal> ReopenGoal(const RequestContext& ctx,
                                      const v1::ReopenGoalRequest& req) {
    return ChangeGoalState(ctx, req.name(), req.etag(), v1::Goal::IN_PROGRESS);
  }

  absl::StatusOr<v1::Action> CreateAction(const RequestContext& ctx,
                                          const v1::CreateActionRequest& req);
  absl::StatusOr<v1::Action> GetAction(const RequestContext& ctx,
                                       const v1::GetActionRequest& req);
  absl::StatusOr<v1::ListActionsResponse> ListActions(
      const RequestContext& ctx, const v1::ListActionsRequest& req);
  absl::StatusOr<v1::Action> UpdateAction(const RequestContext& ctx,
                                          const v1::UpdateActionRequest& req);
  absl::StatusOr<v1::Action> ChangeActionState(const RequestContext& ctx,
                                               const std::string& name,
                                               const std::string& etag,
                                               v1::Action::State to);
  absl::StatusOr<v1::Action> CompleteAction(
      const RequestContext& ctx, const v1::CompleteActionRequest& req) {
    return ChangeActionState(ctx, req.name(), req.etag(), v1::Action::DONE);
  }
  absl::StatusOr<v1::Action> CancelAction(const RequestContext& ctx,
                                          const v1::CancelActionRequest& req) {
    return ChangeActionState(ctx, req.name(), req.etag(),
                             v1::Action::CANCELLED);
  }
  absl::StatusOr<v1::Action> ReopenAction(const RequestContext& ctx,
                                          const v1::ReopenActionRequest& req) {
    return ChangeActionState(ctx, req.name(), req.etag(), v1::Action::OPEN);
  }

  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;

 private:
  // Checks that the organisation and adviser names a resource refers to
  // exist, adding violations under their field paths.
  absl::Status CheckReferences(
      const RequestContext& ctx,
      std::vector<std::pair<std::string, std::string>> organisation_refs,
      std::vector<std::pair<std::string, std::string>> adviser_refs);
  absl::Status CheckGoalExists(const RequestContext& ctx,
                               const std::string& field,
                               const std::string& goal_name);
  absl::Status CheckActionReferences(const RequestContext& ctx,
                                     const v1::Action& action,
                                     const std::string& prefix);
  absl::CivilDay Today() const;

  ProfileRepository& repository_;
  DirectoryLookup& directory_;
  const Clock& clock_;
  const PageTokenCodec& page_tokens_;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_PROFILES_H_
