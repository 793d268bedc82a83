#ifndef CAREERS_SERVER_API_RPC_INTERCEPTOR_H_
#define CAREERS_SERVER_API_RPC_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"

namespace careers::api {

// Wraps every RPC, including health and reflection:
// - writes one log line when the status is sent: method, code, latency —
//   never request content, so no personal data reaches the logs;
// - turns a request that fails to parse (gRPC says INTERNAL) into
//   INVALID_ARGUMENT with a google.rpc.BadRequest naming the field whose
//   string is not valid UTF-8, when protobuf reported one.
class RpcInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit RpcInterceptor(grpc::experimental::ServerRpcInfo* info);
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override;

 private:
  grpc::ServerContextBase* const context_;
  const std::string method_;
  const absl::Time start_;
  bool request_unparsable_ = false;
  std::string invalid_utf8_field_;  // full field name, e.g.
                                    // careers.v1.Profile.given_name
};

class RpcInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RpcInterceptor(info);
  }
};

// Routes protobuf's log messages to spdlog and notes, per thread, which
// string field failed UTF-8 validation while a request was parsed (protobuf
// reports it only through its log). Call once at startup.
void InstallProtobufLogHandler();

// The path from `request` to the field named `full_field_name`
// ("profile.contact.email"), or the bare field name if it is not reachable.
std::string FieldPathTo(const google::protobuf::Descriptor* request,
                        absl::string_view full_field_name);

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_RPC_INTERCEPTOR_H_
