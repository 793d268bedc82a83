#include "server/api/rpc_table.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace careers::api {

RpcTable::RpcTable(
    std::vector<const google::protobuf::ServiceDescriptor*> services)
    : services_(std::move(services)) {}

void RpcTable::Add(const google::protobuf::Descriptor* request,
                   const google::protobuf::Descriptor* response,
                   const google::protobuf::Message* prototype,
                   Rpc::Invoke invoke) {
  const google::protobuf::MethodDescriptor* found = nullptr;
  for (const auto* service : services_) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      if (method->input_type() != request) continue;
      if (found != nullptr) {
        problems_.push_back(absl::StrCat(request->full_name(),
                                         " is the request of two methods"));
      }
      found = method;
    }
  }
  if (found == nullptr) {
    problems_.push_back(absl::StrCat("no method takes ", request->full_name()));
    return;
  }
  if (found->output_type() != response) {
    problems_.push_back(absl::StrCat(found->full_name(), " returns ",
                                     found->output_type()->full_name(),
                                     ", not ", response->full_name()));
    return;
  }
  if (found->client_streaming() || found->server_streaming()) {
    problems_.push_back(absl::StrCat(found->full_name(), " is streaming"));
    return;
  }
  auto rpc = std::make_unique<Rpc>();
  rpc->method = found;
  rpc->name = absl::StrCat(found->service()->full_name(), "/", found->name());
  rpc->path = absl::StrCat("/", rpc->name);
  rpc->request_prototype = prototype;
  rpc->invoke = std::move(invoke);
  if (!by_name_.emplace(rpc->name, rpc.get()).second) {
    problems_.push_back(absl::StrCat(rpc->name, " is bound twice"));
    return;
  }
  rpcs_.push_back(std::move(rpc));
}

absl::Status RpcTable::Complete() const {
  std::vector<std::string> problems = problems_;
  for (const auto* service : services_) {
    for (int i = 0; i < service->method_count(); ++i) {
      const auto* method = service->method(i);
      // Streams are answered by the server's stream handlers, not workers.
      if (method->server_streaming()) continue;
      const std::string name =
          absl::StrCat(service->full_name(), "/", method->name());
      if (by_name_.find(name) == by_name_.end()) {
        problems.push_back(absl::StrCat(name, " has no domain function"));
      }
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::InternalError(
      absl::StrCat("the RPC table is wrong: ", absl::StrJoin(problems, "; ")));
}

const Rpc* RpcTable::Find(absl::string_view name) const {
  const auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace careers::api
