#ifndef CAREERS_SERVER_API_GRPC_STATUS_H_
#define CAREERS_SERVER_API_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace careers::api {

// The one conversion from a domain status to the wire: same code and
// message, and every payload (google.rpc.BadRequest and friends, keyed by
// type URL) as a detail of a google.rpc.Status in grpc-status-details-bin.
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_GRPC_STATUS_H_
