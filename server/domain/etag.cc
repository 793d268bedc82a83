#include "server/domain/etag.h"

#include "absl/strings/str_cat.h"
#include "server/common/crypto.h"

namespace careers {

namespace {
constexpr size_t kIdentityHexChars = 8;
}  // namespace

std::string MakeEtag(absl::string_view id, absl::Time create_time,
                     uint64_t version) {
  const std::string identity =
      absl::StrCat(id, "\n", absl::ToUnixMicros(create_time));
  const std::string of_identity = Sha256(identity);
  const std::string of_version = Sha256(absl::StrCat(identity, "\n", version));
  return absl::StrCat(HexEncode(of_identity.substr(0, kIdentityHexChars / 2)),
                      HexEncode(of_version.substr(0, 8)));
}

bool SameResourceEtags(absl::string_view a, absl::string_view b) {
  return a.size() > kIdentityHexChars && b.size() > kIdentityHexChars &&
         a.substr(0, kIdentityHexChars) == b.substr(0, kIdentityHexChars);
}

}  // namespace careers
