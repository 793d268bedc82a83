#ifndef CAREERS_SERVER_API_PROFILE_HANDLER_H_
#define CAREERS_SERVER_API_PROFILE_HANDLER_H_

#include "careers/v1/profile_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/domain/profiles.h"

namespace careers::api {

// careers.v1.ProfileService over gRPC: each method authorizes through the
// CallRunner and makes one call into domain::Profiles. Thread-safe.
class ProfileHandler final : public v1::ProfileService::Service {
 public:
  ProfileHandler(const CallRunner& calls, domain::Profiles& profiles)
      : calls_(calls), profiles_(profiles) {}

  grpc::Status CreateProfile(grpc::ServerContext* context,
                             const v1::CreateProfileRequest* request,
                             v1::Profile* response) override;
  grpc::Status GetProfile(grpc::ServerContext* context,
                          const v1::GetProfileRequest* request,
                          v1::Profile* response) override;
  grpc::Status ListProfiles(grpc::ServerContext* context,
                            const v1::ListProfilesRequest* request,
                            v1::ListProfilesResponse* response) override;
  grpc::Status UpdateProfile(grpc::ServerContext* context,
                             const v1::UpdateProfileRequest* request,
                             v1::Profile* response) override;

  grpc::Status CreateGoal(grpc::ServerContext* context,
                          const v1::CreateGoalRequest* request,
                          v1::Goal* response) override;
  grpc::Status GetGoal(grpc::ServerContext* context,
                       const v1::GetGoalRequest* request,
                       v1::Goal* response) override;
  grpc::Status ListGoals(grpc::ServerContext* context,
                         const v1::ListGoalsRequest* request,
                         v1::ListGoalsResponse* response) override;
  grpc::Status UpdateGoal(grpc::ServerContext* context,
                          const v1::UpdateGoalRequest* request,
                          v1::Goal* response) override;
  grpc::Status AchieveGoal(grpc::ServerContext* context,
                           const v1::AchieveGoalRequest* request,
                           v1::Goal* response) override;
  grpc::Status DropGoal(grpc::ServerContext* context,
                        const v1::DropGoalRequest* request,
                        v1::Goal* response) override;
  grpc::Status ReopenGoal(grpc::ServerContext* context,
                          const v1::ReopenGoalRequest* request,
                          v1::Goal* response) override;

  grpc::Status CreateAction(grpc::ServerContext* context,
                            const v1::CreateActionRequest* request,
                            v1::Action* response) override;
  grpc::Status GetAction(grpc::ServerContext* context,
                         const v1::GetActionRequest* request,
                         v1::Action* response) override;
  grpc::Status ListActions(grpc::ServerContext* context,
                           const v1::ListActionsRequest* request,
                           v1::ListActionsResponse* response) override;
  grpc::Status UpdateAction(grpc::ServerContext* context,
                            const v1::UpdateActionRequest* request,
                            v1::Action* response) override;
  grpc::Status CompleteAction(grpc::ServerContext* context,
                              const v1::CompleteActionRequest* request,
                              v1::Action* response) override;
  grpc::Status CancelAction(grpc::ServerContext* context,
                            const v1::CancelActionRequest* request,
                            v1::Action* response) override;
  grpc::Status ReopenAction(grpc::ServerContext* context,
                            const v1::ReopenActionRequest* request,
                            v1::Action* response) override;

 private:
  const CallRunner& calls_;
  domain::Profiles& profiles_;
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_PROFILE_HANDLER_H_
