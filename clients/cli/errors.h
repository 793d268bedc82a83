#ifndef CAREERS_CLIENTS_CLI_ERRORS_H_
#define CAREERS_CLIENTS_CLI_ERRORS_H_

#include <ostream>
#include <string>
#include <vector>

#include "grpcpp/support/status.h"

// How careersctl reports a failed RPC: the code, the message and the
// google.rpc error details (AIP-193) a person needs to fix the request.
namespace careers::cli {

// UPPER_SNAKE name of a gRPC status code ("DEADLINE_EXCEEDED").
std::string StatusCodeName(grpc::StatusCode code);

// The details a person needs from the status's binary details (a
// serialized google.rpc.Status), one line each: BadRequest field violations
// as `field: description`, PreconditionFailure violations as
// `subject: description` and ResourceInfo as `resource_name: description`.
// Other details are skipped.
std::vector<std::string> RpcErrorDetails(const grpc::Status& status);

// Prints `error: CODE: message`, then each of RpcErrorDetails indented by
// two spaces.
void PrintRpcError(const grpc::Status& status, std::ostream& err);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_ERRORS_H_
