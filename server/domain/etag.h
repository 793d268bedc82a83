#ifndef CAREERS_SERVER_DOMAIN_ETAG_H_
#define CAREERS_SERVER_DOMAIN_ETAG_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace careers {

// The etag of one version of a resource (AIP-154): opaque to clients, the
// same on every replica, different for every version, and different for a
// resource re-created under the same id. It is two digests: of the
// resource's identity (`id` and `create_time`), then of that version, so a
// server can tell an older etag of the same resource from one of another.
std::string MakeEtag(absl::string_view id, absl::Time create_time,
                     uint64_t version);

// Whether two etags are of the same resource (any versions).
bool SameResourceEtags(absl::string_view a, absl::string_view b);

}  // namespace careers

#endif  // CAREERS_SERVER_DOMAIN_ETAG_H_
