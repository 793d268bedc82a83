#ifndef CAREERS_CLIENTS_CLI_CHANNEL_H_
#define CAREERS_CLIENTS_CLI_CHANNEL_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "clients/cli/stubs.h"
#include "grpcpp/channel.h"

// The one place careersctl opens connections, so transport security is
// decided here and nowhere else.
namespace careers::cli {

// The TLS flags as given on the command line (or from the environment):
// file paths, "" when not given.
struct TlsFlags {
  bool tls = false;       // --tls: TLS with the system's root certificates
  std::string ca_file;    // --tls-ca: verify the server against this CA
  std::string cert_file;  // --tls-cert: client certificate chain (mTLS)
  std::string key_file;   // --tls-key: its private key
};

// Where the server is and how to talk to it, with the PEM files read.
struct ChannelOptions {
  std::string address;  // "host:port"
  // TLS when true, plain text otherwise.
  bool tls = false;
  // The CA the server's certificate must chain to; "" = the system roots.
  std::string root_certs_pem;
  // A client certificate chain and its key (mTLS), both or neither.
  std::string cert_chain_pem;
  std::string private_key_pem;
};

// Checks `flags` and reads their files. Any of --tls, --tls-ca and
// --tls-cert turns TLS on; --tls-cert and --tls-key go together. A file
// that cannot be read or holds no PEM block is InvalidArgument naming the
// flag.
absl::StatusOr<ChannelOptions> MakeChannelOptions(const std::string& address,
                                                  const TlsFlags& flags);

// A channel to `options.address`: TLS (grpc::SslCredentials) when
// `options.tls`, plain text otherwise.
std::shared_ptr<grpc::Channel> MakeChannel(const ChannelOptions& options);

// Stubs of every service on one MakeChannel(options); the StubFactory
// main.cc gives RunCli.
Stubs MakeStubs(const ChannelOptions& options);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_CHANNEL_H_
