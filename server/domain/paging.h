#ifndef CAREERS_SERVER_DOMAIN_PAGING_H_
#define CAREERS_SERVER_DOMAIN_PAGING_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace careers {

// Page sizes of list methods (AIP-158): 0 means `default_size`, larger than
// `max_size` is treated as `max_size`, negative is INVALID_ARGUMENT.
absl::StatusOr<int> ResolvePageSize(int32_t requested, int default_size,
                                    int max_size);

// Opaque, tamper-evident page tokens (AIP-158). A token carries the sort key
// of the last item served and a digest of the query it belongs to, signed
// with HMAC-SHA-256 under a server key: a client can neither forge a
// position nor reuse a token with another filter. Tokens expire after
// `lifetime`. Replicas behind one load balancer must share the key.
// Thread-safe (immutable after construction).
class PageTokenCodec {
 public:
  PageTokenCodec(std::string key, absl::Duration lifetime);

  // A digest identifying a query: the method and every request field that
  // shapes the result (parent, filter, order).
  static std::string QueryDigest(
      std::initializer_list<absl::string_view> parts);

  std::string Encode(absl::string_view query_digest,
                     const std::vector<std::string>& last_key,
                     absl::Time now) const;

  // The last key a token carries. INVALID_ARGUMENT naming `page_token` if it
  // was not issued by a server with this key, was altered, belongs to a
  // different query, or has expired.
  absl::StatusOr<std::vector<std::string>> Decode(
      absl::string_view token, absl::string_view query_digest,
      absl::Time now) const;

 private:
  static constexpr size_t kMacBytes = 16;  // truncated HMAC-SHA-256
  std::string key_;
  absl::Duration lifetime_;
};

}  // namespace careers

#endif  // CAREERS_SERVER_DOMAIN_PAGING_H_
