#include "server/api/profile_handler.h"

#include <utility>

namespace careers::api {
grpc::Status ProfileHandler::CreateProfile(
    grpc::ServerContext* context, const v1::CreateProfileRequest* request,
    v1::Profile* response) {
  return calls_.Run(
      context, *request, "careers.v1.ProfileService/CreateProfile", "",
      [&](const RequestContext& ctx) {
        return Reply(profiles_.CreateProfile(ctx, *request), response);
      });
}

grpc::Status ProfileHandler::GetProfile(grpc::ServerContext* context,
                                        const v1::GetProfileRequest* request,
                                        v1::Profile* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/GetProfile",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.GetProfile(ctx, *request),
                                   response);
                    });
}

grpc::Status ProfileHandler::ListProfiles(
    grpc::ServerContext* context, const v1::ListProfilesRequest* request,
    v1::ListProfilesResponse* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/ListProfiles",
                    "", [&](const RequestContext& ctx) {
                      return Reply(profiles_.ListProfiles(ctx, *request),
                                   response);
                    });
}

grpc::Status ProfileHandler::UpdateProfile(
    grpc::ServerContext* context, const v1::UpdateProfileRequest* request,
    v1::Profile* response) {
  return calls_.Run(
      context, *request, "careers.v1.ProfileService/UpdateProfile",
      request->profile().name(), [&](const RequestContext& ctx) {
        return Reply(profiles_.UpdateProfile(ctx, *request), response);
      });
}

grpc::Status ProfileHandler::CreateGoal(grpc::ServerContext* context,
                                        const v1::CreateGoalRequest* request,
                                        v1::Goal* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/CreateGoal",
                    request->parent(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.CreateGoal(ctx, *request),
                                   response);
                    });
}

grpc::Status ProfileHandler::GetGoal(grpc::ServerContext* context,
                                     const v1::GetGoalRequest* request,
                                     v1::Goal* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/GetGoal",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.GetGoal(ctx, *request), response);
                    });
}

grpc::Status ProfileHandler::ListGoals(grpc::ServerContext* context,
                                       const v1::ListGoalsRequest* request,
                                       v1::ListGoalsResponse* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/ListGoals",
                    request->parent(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.ListGoals(ctx, *request),
                                   response);
                    });
}

grpc::Status ProfileHandler::UpdateGoal(grpc::ServerContext* context,
                                        const v1::UpdateGoalRequest* request,
                                        v1::Goal* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/UpdateGoal",
                    request->goal().name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.UpdateGoal(ctx, *request),
                                   response);
                    });
}

grpc::Status ProfileHandler::AchieveGoal(grpc::ServerContext* context,
                                         const v1::AchieveGoalRequest* request,
                                         v1::Goal* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/AchieveGoal",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.ChangeGoalState(
                                       ctx, request->name(), request->etag(),
                                       v1::Goal::ACHIEVED),
                                   response);
                    });
}

grpc::Status ProfileHandler::DropGoal(grpc::ServerContext* context,
                                      const v1::DropGoalRequest* request,
                                      v1::Goal* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/DropGoal",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.ChangeGoalState(
                                       ctx, request->name(), request->etag(),
                                       v1::Goal::NO_LONGER_RELEVANT),
                                   response);
                    });
}

grpc::Status ProfileHandler::ReopenGoal(grpc::ServerContext* context,
                                        const v1::ReopenGoalRequest* request,
                                        v1::Goal* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/ReopenGoal",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.ChangeGoalState(
                                       ctx, request->name(), request->etag(),
                                       v1::Goal::IN_PROGRESS),
                                   response);
                    });
}

grpc::Status ProfileHandler::CreateAction(
    grpc::ServerContext* context, const v1::CreateActionRequest* request,
    v1::Action* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/CreateAction",
                    request->parent(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.CreateAction(ctx, *request),
                                   response);
                    });
}

grpc::Status ProfileHandler::GetAction(grpc::ServerContext* context,
                                       const v1::GetActionRequest* request,
                                       v1::Action* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/GetAction",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.GetAction(ctx, *request),
                                   response);
                    });
}

grpc::Status ProfileHandler::ListActions(grpc::ServerContext* context,
                                         const v1::ListActionsRequest* request,
                                         v1::ListActionsResponse* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/ListActions",
                    request->parent(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.ListActions(ctx, *request),
                                   response);
                    });
}

grpc::Status ProfileHandler::UpdateAction(
    grpc::ServerContext* context, const v1::UpdateActionRequest* request,
    v1::Action* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/UpdateAction",
                    request->action().name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.UpdateAction(ctx, *request),
                                   response);
                    });
}

grpc::Status ProfileHandler::CompleteAction(
    grpc::ServerContext* context, const v1::CompleteActionRequest* request,
    v1::Action* response) {
  return calls_.Run(
      context, *request, "careers.v1.ProfileService/CompleteAction",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(
            profiles_.ChangeActionState(ctx, request->name(), request->etag(),
                                        v1::Action::DONE),
            response);
      });
}

grpc::Status ProfileHandler::CancelAction(
    grpc::ServerContext* context, const v1::CancelActionRequest* request,
    v1::Action* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/CancelAction",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.ChangeActionState(
                                       ctx, request->name(), request->etag(),
                                       v1::Action::CANCELLED),
                                   response);
                    });
}

grpc::Status ProfileHandler::ReopenAction(
    grpc::ServerContext* context, const v1::ReopenActionRequest* request,
    v1::Action* response) {
  return calls_.Run(context, *request, "careers.v1.ProfileService/ReopenAction",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(profiles_.ChangeActionState(
                                       ctx, request->name(), request->etag(),
                                       v1::Action::OPEN),
                                   response);
                    });
}

}  // namespace careers::api
