#ifndef CAREERS_CLIENTS_CLI_CHANNEL_H_
#define CAREERS_CLIENTS_CLI_CHANNEL_H_

#include <memory>
#include <string>

#include "clients/cli/stubs.h"
#include "grpcpp/channel.h"

// The one place careersctl opens connections, so transport security is
// decided here and nowhere else.
namespace careers::cli {

// A channel to `address` ("host:port"). Plain text for now; TLS credentials
// will be chosen here when the server offers them.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address);

// Stubs of every service on one MakeChannel(address); the StubFactory
// main.cc gives RunCli.
Stubs MakeStubs(const std::string& address);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_CHANNEL_H_
