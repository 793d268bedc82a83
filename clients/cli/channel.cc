#include "clients/cli/channel.h"

#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace careers::cli {

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address) {
  return grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
}

Stubs MakeStubs(const std::string& address) {
  std::shared_ptr<grpc::Channel> channel = MakeChannel(address);
  return Stubs{v1::ProfileService::NewStub(channel),
               v1::DirectoryService::NewStub(channel)};
}

}  // namespace careers::cli
