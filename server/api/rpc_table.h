#ifndef CAREERS_SERVER_API_RPC_TABLE_H_
#define CAREERS_SERVER_API_RPC_TABLE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/message.h"
#include "server/domain/request_context.h"

namespace careers::api {

// One RPC the server answers through its workers: the method (from the
// generated descriptors, which also carry its access option) and the one
// domain call that serves it.
struct Rpc {
  using Invoke =
      std::function<absl::StatusOr<std::unique_ptr<google::protobuf::Message>>(
          const RequestContext&, const google::protobuf::Message&)>;

  const google::protobuf::MethodDescriptor* method = nullptr;
  std::string name;  // "careers.v1.ProfileService/GetProfile"
  std::string path;  // "/careers.v1.ProfileService/GetProfile"
  const google::protobuf::Message* request_prototype = nullptr;
  Invoke invoke;
};

// Which domain function serves each RPC of a set of services. A binding
// names only the domain member function: its request type picks the
// method (every method has a request message of its own, AIP style), so
// a method string is never written by hand. Complete() checks that every
// method of every service is bound exactly once. Build it, then share it
// read-only (thread-safe once built); the domain objects must outlive it.
class RpcTable {
 public:
  explicit RpcTable(
      std::vector<const google::protobuf::ServiceDescriptor*> services);
  RpcTable(const RpcTable&) = delete;
  RpcTable& operator=(const RpcTable&) = delete;

  // `fn` answers the method whose input type is Req.
  template <typename Domain, typename Req, typename Resp>
  RpcTable& Bind(Domain& domain,
                 absl::StatusOr<Resp> (Domain::*fn)(const RequestContext&,
                                                    const Req&)) {
    Add(Req::descriptor(), Resp::descriptor(), &Req::default_instance(),
        [&domain, fn](const RequestContext& ctx,
                      const google::protobuf::Message& request)
            -> absl::StatusOr<std::unique_ptr<google::protobuf::Message>> {
          absl::StatusOr<Resp> result =
              (domain.*fn)(ctx, static_cast<const Req&>(request));
          if (!result.ok()) return result.status();
          return std::make_unique<Resp>(*std::move(result));
        });
    return *this;
  }
  // A method that returns google.protobuf.Empty: the domain says only OK.
  template <typename Domain, typename Req>
  RpcTable& Bind(Domain& domain,
                 absl::Status (Domain::*fn)(const RequestContext&,
                                            const Req&)) {
    Add(Req::descriptor(), google::protobuf::Empty::descriptor(),
        &Req::default_instance(),
        [&domain, fn](const RequestContext& ctx,
                      const google::protobuf::Message& request)
            -> absl::StatusOr<std::unique_ptr<google::protobuf::Message>> {
          absl::Status status =
              (domain.*fn)(ctx, static_cast<const Req&>(request));
          if (!status.ok()) return status;
          return std::make_unique<google::protobuf::Empty>();
        });
    return *this;
  }

  // OK when every method of the services is bound exactly once and each
  // binding's types are its method's; otherwise what is wrong (a bug: the
  // server refuses to start, and a unit test fails).
  absl::Status Complete() const;

  // nullptr for a method that is not bound.
  const Rpc* Find(absl::string_view name) const;
  const std::vector<std::unique_ptr<Rpc>>& rpcs() const { return rpcs_; }
  const std::vector<const google::protobuf::ServiceDescriptor*>& services()
      const {
    return services_;
  }

 private:
  void Add(const google::protobuf::Descriptor* request,
           const google::protobuf::Descriptor* response,
           const google::protobuf::Message* prototype, Rpc::Invoke invoke);

  const std::vector<const google::protobuf::ServiceDescriptor*> services_;
  std::vector<std::unique_ptr<Rpc>> rpcs_;
  absl::flat_hash_map<std::string, const Rpc*> by_name_;
  std::vector<std::string> problems_;  // found while binding
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_RPC_TABLE_H_
