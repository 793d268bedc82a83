#ifndef CAREERS_SERVER_DOMAIN_REPOSITORY_H_
#define CAREERS_SERVER_DOMAIN_REPOSITORY_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"

// The vocabulary every repository interface shares: idempotency keys,
// in-transaction mutations and pages.
namespace careers::domain {

// Makes a create safe to retry (AIP-155). The store keeps the first
// response under (scope, request_id) and returns it for a retry whose
// request_hash matches; a different hash is INVALID_ARGUMENT on request_id.
struct IdempotencyKey {
  std::string scope;         // method and caller
  std::string request_id;    // the client's id
  std::string request_hash;  // SHA-256 of the request without request_id
};

// Changes a resource in place inside the store's transaction. It may run
// more than once (the store retries deadlocks), so it must not have side
// effects beyond its argument. A non-OK status rolls the transaction back.
template <typename T>
using Mutation = std::function<absl::Status(T&)>;

template <typename T>
struct Page {
  std::vector<T> items;
  bool has_more = false;  // more items follow the last one
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_REPOSITORY_H_
