#ifndef CAREERS_SERVER_API_SKILLS_HANDLER_H_
#define CAREERS_SERVER_API_SKILLS_HANDLER_H_

#include "careers/v1/skills_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/domain/experiences.h"
#include "server/domain/skills.h"

namespace careers::api {

// careers.v1.SkillsService over gRPC: each method authorizes through the
// CallRunner and makes one call into domain::Experiences (a person's log,
// attestations, summary, exports) or domain::Skills (the taxonomy).
// Thread-safe.
class SkillsHandler final : public v1::SkillsService::Service {
 public:
  SkillsHandler(const CallRunner& calls, domain::Experiences& experiences,
                domain::Skills& skills)
      : calls_(calls), experiences_(experiences), skills_(skills) {}

  grpc::Status CreateExperience(grpc::ServerContext* context,
                                const v1::CreateExperienceRequest* request,
                                v1::Experience* response) override;
  grpc::Status GetExperience(grpc::ServerContext* context,
                             const v1::GetExperienceRequest* request,
                             v1::Experience* response) override;
  grpc::Status ListExperiences(grpc::ServerContext* context,
                               const v1::ListExperiencesRequest* request,
                               v1::ListExperiencesResponse* response) override;
  grpc::Status UpdateExperience(grpc::ServerContext* context,
                                const v1::UpdateExperienceRequest* request,
                                v1::Experience* response) override;
  grpc::Status VoidExperience(grpc::ServerContext* context,
                              const v1::VoidExperienceRequest* request,
                              v1::Experience* response) override;
  grpc::Status CreateSkill(grpc::ServerContext* context,
                           const v1::CreateSkillRequest* request,
                           v1::Skill* response) override;
  grpc::Status GetSkill(grpc::ServerContext* context,
                        const v1::GetSkillRequest* request,
                        v1::Skill* response) override;
  grpc::Status ListSkills(grpc::ServerContext* context,
                          const v1::ListSkillsRequest* request,
                          v1::ListSkillsResponse* response) override;
  grpc::Status ImportSkills(grpc::ServerContext* context,
                            const v1::ImportSkillsRequest* request,
                            v1::ImportSkillsResponse* response) override;
  grpc::Status RequestAttestation(grpc::ServerContext* context,
                                  const v1::RequestAttestationRequest* request,
                                  v1::Attestation* response) override;
  grpc::Status GetAttestation(grpc::ServerContext* context,
                              const v1::GetAttestationRequest* request,
                              v1::Attestation* response) override;
  grpc::Status ListAttestations(
      grpc::ServerContext* context, const v1::ListAttestationsRequest* request,
      v1::ListAttestationsResponse* response) override;
  grpc::Status DecideAttestation(grpc::ServerContext* context,
                                 const v1::DecideAttestationRequest* request,
                                 v1::Attestation* response) override;
  grpc::Status GetSkillsSummary(grpc::ServerContext* context,
                                const v1::GetSkillsSummaryRequest* request,
                                v1::SkillsSummary* response) override;
  grpc::Status ExportSkillsRecord(grpc::ServerContext* context,
                                  const v1::ExportSkillsRecordRequest* request,
                                  google::api::HttpBody* response) override;

 private:
  const CallRunner& calls_;
  domain::Experiences& experiences_;
  domain::Skills& skills_;
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_SKILLS_HANDLER_H_
