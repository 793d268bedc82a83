#include "server/api/skills_handler.h"

namespace careers::api {

grpc::Status SkillsHandler::CreateExperience(
    grpc::ServerContext* context, const v1::CreateExperienceRequest* request,
    v1::Experience* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/CreateExperience",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(experiences_.CreateExperience(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::GetExperience(
    grpc::ServerContext* context, const v1::GetExperienceRequest* request,
    v1::Experience* response) {
  return calls_.Run(context, *request, "careers.v1.SkillsService/GetExperience",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(experiences_.GetExperience(ctx, *request),
                                   response);
                    });
}

grpc::Status SkillsHandler::ListExperiences(
    grpc::ServerContext* context, const v1::ListExperiencesRequest* request,
    v1::ListExperiencesResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/ListExperiences",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(experiences_.ListExperiences(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::UpdateExperience(
    grpc::ServerContext* context, const v1::UpdateExperienceRequest* request,
    v1::Experience* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/UpdateExperience",
      request->experience().name(), [&](const RequestContext& ctx) {
        return Reply(experiences_.UpdateExperience(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::VoidExperience(
    grpc::ServerContext* context, const v1::VoidExperienceRequest* request,
    v1::Experience* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/VoidExperience",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(experiences_.VoidExperience(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::CreateSkill(grpc::ServerContext* context,
                                        const v1::CreateSkillRequest* request,
                                        v1::Skill* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/CreateSkill",
      request->skill().organisation(), [&](const RequestContext& ctx) {
        return Reply(skills_.CreateSkill(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::GetSkill(grpc::ServerContext* context,
                                     const v1::GetSkillRequest* request,
                                     v1::Skill* response) {
  return calls_.Run(context, *request, "careers.v1.SkillsService/GetSkill",
                    request->name(), [&](const RequestContext& ctx) {
                      return Reply(skills_.GetSkill(ctx, *request), response);
                    });
}

grpc::Status SkillsHandler::ListSkills(grpc::ServerContext* context,
                                       const v1::ListSkillsRequest* request,
                                       v1::ListSkillsResponse* response) {
  return calls_.Run(context, *request, "careers.v1.SkillsService/ListSkills",
                    "", [&](const RequestContext& ctx) {
                      return Reply(skills_.ListSkills(ctx, *request), response);
                    });
}

grpc::Status SkillsHandler::ImportSkills(grpc::ServerContext* context,
                                         const v1::ImportSkillsRequest* request,
                                         v1::ImportSkillsResponse* response) {
  return calls_.Run(context, *request, "careers.v1.SkillsService/ImportSkills",
                    "", [&](const RequestContext& ctx) {
                      return Reply(skills_.ImportSkills(ctx, *request),
                                   response);
                    });
}

grpc::Status SkillsHandler::RequestAttestation(
    grpc::ServerContext* context, const v1::RequestAttestationRequest* request,
    v1::Attestation* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/RequestAttestation",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(experiences_.RequestAttestation(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::GetAttestation(
    grpc::ServerContext* context, const v1::GetAttestationRequest* request,
    v1::Attestation* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/GetAttestation",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(experiences_.GetAttestation(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::ListAttestations(
    grpc::ServerContext* context, const v1::ListAttestationsRequest* request,
    v1::ListAttestationsResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/ListAttestations",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(experiences_.ListAttestations(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::DecideAttestation(
    grpc::ServerContext* context, const v1::DecideAttestationRequest* request,
    v1::Attestation* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/DecideAttestation",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(experiences_.DecideAttestation(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::GetSkillsSummary(
    grpc::ServerContext* context, const v1::GetSkillsSummaryRequest* request,
    v1::SkillsSummary* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/GetSkillsSummary",
      request->profile(), [&](const RequestContext& ctx) {
        return Reply(experiences_.GetSkillsSummary(ctx, *request), response);
      });
}

grpc::Status SkillsHandler::ExportSkillsRecord(
    grpc::ServerContext* context, const v1::ExportSkillsRecordRequest* request,
    google::api::HttpBody* response) {
  return calls_.Run(
      context, *request, "careers.v1.SkillsService/ExportSkillsRecord",
      request->profile(), [&](const RequestContext& ctx) {
        return Reply(experiences_.ExportSkillsRecord(ctx, *request), response);
      });
}

}  // namespace careers::api
