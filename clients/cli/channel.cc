#include "clients/cli/channel.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace careers::cli {

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

std::unique_ptr<v1::ProfileService::StubInterface> MakeStub(
    const std::string& address) {
  return v1::ProfileService::NewStub(MakeChannel(address));
}

}  // namespace careers::cli
