#ifndef CAREERS_SERVER_AUTH_ACCESS_POLICY_H_
#define CAREERS_SERVER_AUTH_ACCESS_POLICY_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "server/auth/principal.h"

namespace careers::auth {

// Decides whether a principal may call a method on a resource. Every handler
// asks before touching data. Implementations are thread-safe.
class AccessPolicy {
 public:
  virtual ~AccessPolicy() = default;
  // `method` is the full gRPC method ("careers.v1.ProfileService/GetProfile");
  // `resource` the resource name or, for create and list, the parent ("" for
  // top-level collections). OK, or PERMISSION_DENIED.
  virtual absl::Status Check(const Principal& principal,
                             absl::string_view method,
                             absl::string_view resource) const = 0;
};

// Allows everything: the policy until consent-scoped access lands (issue 3).
class AllowAllPolicy final : public AccessPolicy {
 public:
  absl::Status Check(const Principal&, absl::string_view,
                     absl::string_view) const override {
    return absl::OkStatus();
  }
};

}  // namespace careers::auth

#endif  // CAREERS_SERVER_AUTH_ACCESS_POLICY_H_
