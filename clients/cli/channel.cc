#include "clients/cli/channel.h"

#include <fstream>
#include <iterator>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace careers::cli {
namespace {

// The content of the PEM file `path` given as `flag`.
absl::StatusOr<std::string> ReadPemFile(const std::string& flag,
                                        const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", flag, " file '", path, "'"));
  }
  std::string pem((std::istreambuf_iterator<char>(file)),
                  std::istreambuf_iterator<char>());
  if (!absl::StrContains(pem, "-----BEGIN ")) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " file '", path, "' is not a PEM file"));
  }
  return pem;
}

}  // namespace

absl::StatusOr<ChannelOptions> MakeChannelOptions(const std::string& address,
                                                  const TlsFlags& flags) {
  if (flags.cert_file.empty() != flags.key_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls-cert and --tls-key go together: give both or neither");
  }
  ChannelOptions options;
  options.address = address;
  options.tls = flags.tls || !flags.ca_file.empty() || !flags.cert_file.empty();
  if (!flags.ca_file.empty()) {
    absl::StatusOr<std::string> pem = ReadPemFile("--tls-ca", flags.ca_file);
    if (!pem.ok()) return pem.status();
    options.root_certs_pem = *std::move(pem);
  }
  if (!flags.cert_file.empty()) {
    absl::StatusOr<std::string> cert =
        ReadPemFile("--tls-cert", flags.cert_file);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPemFile("--tls-key", flags.key_file);
    if (!key.ok()) return key.status();
    options.cert_chain_pem = *std::move(cert);
    options.private_key_pem = *std::move(key);
  }
  return options;
}

std::shared_ptr<grpc::Channel> MakeChannel(const ChannelOptions& options) {
  if (!options.tls) {
    return grpc::CreateChannel(options.address,
                               grpc::InsecureChannelCredentials());
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = options.root_certs_pem;
  ssl.pem_private_key = options.private_key_pem;
  ssl.pem_cert_chain = options.cert_chain_pem;
  return grpc::CreateChannel(options.address, grpc::SslCredentials(ssl));
}

Stubs MakeStubs(const ChannelOptions& options) {
  std::shared_ptr<grpc::Channel> channel = MakeChannel(options);
  return Stubs{v1::ProfileService::NewStub(channel),
               v1::DirectoryService::NewStub(channel),
               v1::ConsentService::NewStub(channel),
               v1::BookingService::NewStub(channel),
               v1::SkillsService::NewStub(channel),
               v1::ChangeService::NewStub(channel)};
}

}  // namespace careers::cli
