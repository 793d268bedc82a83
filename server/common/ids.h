#ifndef CAREERS_SERVER_COMMON_IDS_H_
#define CAREERS_SERVER_COMMON_IDS_H_

#include <string>

#include "absl/time/time.h"

namespace careers {

// A new opaque resource id: 26 characters of lower-case Crockford base32,
// 48 bits of millisecond time then 80 random bits (the ULID layout). Ids made
// later sort later, which keeps InnoDB's clustered index appends cheap; the
// random part makes them unguessable. Thread-safe.
std::string NewResourceId(absl::Time now);

// `n` cryptographically random bytes. Thread-safe.
std::string RandomBytes(size_t n);

}  // namespace careers

#endif  // CAREERS_SERVER_COMMON_IDS_H_
