#ifndef CAREERS_CLIENTS_CLI_STUBS_H_
#define CAREERS_CLIENTS_CLI_STUBS_H_

#include <memory>

#include "careers/v1/booking_service.grpc.pb.h"
#include "careers/v1/change_service.grpc.pb.h"
#include "careers/v1/consent_service.grpc.pb.h"
#include "careers/v1/directory_service.grpc.pb.h"
#include "careers/v1/profile_service.grpc.pb.h"
#include "careers/v1/skills_service.grpc.pb.h"

namespace careers::cli {

// The stubs careersctl commands call, one per service, usually on one
// channel (MakeStubs in channel.h); tests put the generated mocks in.
struct Stubs {
  std::unique_ptr<v1::ProfileService::StubInterface> profiles;
  std::unique_ptr<v1::DirectoryService::StubInterface> directory;
  std::unique_ptr<v1::ConsentService::StubInterface> consents;
  std::unique_ptr<v1::BookingService::StubInterface> booking;
  // Defaulted, so a test that lists only the stubs before it still builds
  // (-Wmissing-field-initializers).
  std::unique_ptr<v1::SkillsService::StubInterface> skills = nullptr;
  std::unique_ptr<v1::ChangeService::StubInterface> changes = nullptr;
};

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_STUBS_H_
