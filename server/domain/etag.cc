#include "server/domain/etag.h"

#include "absl/strings/str_cat.h"
#include "server/common/crypto.h"

namespace careers {

std::string MakeEtag(absl::string_view id, absl::Time create_time,
                     uint64_t version) {
  const std::string digest = Sha256(
      absl::StrCat(id, "\n", absl::ToUnixMicros(create_time), "\n", version));
  return HexEncode(digest.substr(0, 8));
}

}  // namespace careers
