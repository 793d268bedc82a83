#include "server/api/rpc_interceptor.h"

#include <grpcpp/server_context.h>

#include <deque>
#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/stubs/logging.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/common/logging.h"

namespace careers::api {
namespace {

using grpc::experimental::InterceptionHookPoints;

// Set by the protobuf log handler on the thread that parsed a request.
thread_local std::string invalid_utf8_field_on_this_thread;

void ProtobufLogHandler(google::protobuf::LogLevel level, const char* filename,
                        int line, const std::string& message) {
  static constexpr char kUtf8Prefix[] = "String field '";
  const size_t at = message.find(kUtf8Prefix);
  if (at != std::string::npos &&
      message.find("invalid UTF-8") != std::string::npos) {
    const size_t start = at + sizeof(kUtf8Prefix) - 1;
    const size_t end = message.find('\'', start);
    if (end != std::string::npos) {
      invalid_utf8_field_on_this_thread = message.substr(start, end - start);
      return;  // a client error, answered as INVALID_ARGUMENT: not worth a log
               // line
    }
  }
  if (level >= google::protobuf::LOGLEVEL_ERROR) {
    spdlog::error("protobuf {}:{}: {}", filename, line, message);
  } else {
    spdlog::warn("protobuf {}:{}: {}", filename, line, message);
  }
}

// "/careers.v1.ProfileService/GetProfile" → its input message type.
const google::protobuf::Descriptor* RequestType(absl::string_view method) {
  if (method.size() < 2 || method[0] != '/') return nullptr;
  std::string name(method.substr(1));
  const size_t slash = name.find('/');
  if (slash == std::string::npos) return nullptr;
  name[slash] = '.';
  const auto* m =
      google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
          name);
  return m == nullptr ? nullptr : m->input_type();
}

grpc::Status InvalidRequest(absl::string_view method,
                            absl::string_view bad_field) {
  const auto* type = RequestType(method);
  std::string field;
  std::string message;
  if (!bad_field.empty()) {
    field =
        type != nullptr ? FieldPathTo(type, bad_field) : std::string(bad_field);
    message = absl::StrCat("invalid ", field, ": must be valid UTF-8");
  } else {
    message = absl::StrCat("the request is not a valid ",
                           type != nullptr ? type->full_name() : "message",
                           " (malformed protobuf encoding)");
  }
  google::rpc::Status details;
  details.set_code(static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  details.set_message(message);
  if (!field.empty()) {
    google::rpc::BadRequest bad_request;
    auto* v = bad_request.add_field_violations();
    v->set_field(field);
    v->set_description("must be valid UTF-8");
    details.add_details()->PackFrom(bad_request);
  }
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message,
                      details.SerializeAsString());
}

}  // namespace

RpcInterceptor::RpcInterceptor(grpc::experimental::ServerRpcInfo* info)
    : context_(info->server_context()),
      method_(info->method()),
      start_(absl::Now()) {}

void RpcInterceptor::Intercept(
    grpc::experimental::InterceptorBatchMethods* methods) {
  if (methods->QueryInterceptionHookPoint(
          InterceptionHookPoints::POST_RECV_MESSAGE)) {
    if (methods->GetRecvMessage() == nullptr) {
      request_unparsable_ = true;
      invalid_utf8_field_ =
          std::exchange(invalid_utf8_field_on_this_thread, "");
    } else {
      invalid_utf8_field_on_this_thread.clear();
    }
  }
  if (methods->QueryInterceptionHookPoint(
          InterceptionHookPoints::PRE_SEND_STATUS)) {
    grpc::Status status = methods->GetSendStatus();
    if (request_unparsable_ &&
        status.error_code() == grpc::StatusCode::INTERNAL) {
      status = InvalidRequest(method_, invalid_utf8_field_);
      methods->ModifySendStatus(status);
    }
    // A call the client (or shutdown) cancelled is logged as such, whatever
    // status the handler would have sent.
    const auto code = !status.ok() && context_->IsCancelled()
                          ? absl::StatusCode::kCancelled
                          : static_cast<absl::StatusCode>(status.error_code());
    // Health probes come every second from every load balancer; only their
    // failures are worth a line.
    if (code != absl::StatusCode::kOk ||
        !absl::StartsWith(method_, "/grpc.health.v1.Health/")) {
      spdlog::info("rpc {} {} {:.3f}ms", method_,
                   absl::StatusCodeToString(code),
                   absl::ToDoubleMilliseconds(absl::Now() - start_));
    }
  }
  methods->Proceed();
}

void InstallProtobufLogHandler() {
  google::protobuf::SetLogHandler(&ProtobufLogHandler);
}

std::string FieldPathTo(const google::protobuf::Descriptor* request,
                        absl::string_view full_field_name) {
  // Breadth-first, so the shortest path wins.
  std::deque<std::pair<const google::protobuf::Descriptor*, std::string>> queue;
  std::set<const google::protobuf::Descriptor*> seen;
  queue.emplace_back(request, "");
  while (!queue.empty()) {
    auto [type, prefix] = queue.front();
    queue.pop_front();
    if (!seen.insert(type).second) continue;
    for (int i = 0; i < type->field_count(); ++i) {
      const auto* field = type->field(i);
      const std::string path = prefix.empty()
                                   ? field->name()
                                   : absl::StrCat(prefix, ".", field->name());
      if (field->full_name() == full_field_name) return path;
      if (field->message_type() != nullptr)
        queue.emplace_back(field->message_type(), path);
    }
  }
  const size_t dot = full_field_name.rfind('.');
  return std::string(dot == absl::string_view::npos
                         ? full_field_name
                         : full_field_name.substr(dot + 1));
}

}  // namespace careers::api
