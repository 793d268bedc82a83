#include "server/domain/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "careers/internal/v1/page_token.pb.h"
#include "server/common/crypto.h"
#include "server/domain/errors.h"

namespace careers {

absl::StatusOr<int> ResolvePageSize(int32_t requested, int default_size,
                                    int max_size) {
  if (requested < 0) {
    return errors::InvalidField("page_size", "must not be negative");
  }
  if (requested == 0) return default_size;
  return requested > max_size ? max_size : static_cast<int>(requested);
}

PageTokenCodec::PageTokenCodec(std::string key, absl::Duration lifetime)
    : key_(std::move(key)), lifetime_(lifetime) {}

std::string PageTokenCodec::QueryDigest(
    std::initializer_list<absl::string_view> parts) {
  std::string joined;
  for (absl::string_view part : parts) {
    // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
    absl::StrAppend(&joined, part.size(), ":", part, ";");
  }
  return Sha256(joined).substr(0, 16);
}

std::string PageTokenCodec::Encode(absl::string_view query_digest,
                                   const std::vector<std::string>& last_key,
                                   absl::Time now) const {
  internal::v1::PageToken token;
  token.set_query_digest(std::string(query_digest));
  for (const std::string& k : last_key) token.add_last_key(k);
  token.set_issue_time_seconds(absl::ToUnixSeconds(now));
  std::string payload;
  token.SerializeToString(&payload);
  payload += HmacSha256(key_, payload).substr(0, kMacBytes);
  return absl::WebSafeBase64Escape(payload);
}

absl::StatusOr<std::vector<std::string>> PageTokenCodec::Decode(
    absl::string_view token, absl::string_view query_digest,
    absl::Time now) const {
  auto invalid = [] {
    return errors::InvalidField(
        "page_token",
        "is not a token this server issued for this query; start again "
        "without page_token");
  };
  std::string raw;
  if (!absl::WebSafeBase64Unescape(token, &raw) || raw.size() <= kMacBytes) {
    return invalid();
  }
  const absl::string_view payload(raw.data(), raw.size() - kMacBytes);
  const absl::string_view mac(raw.data() + payload.size(), kMacBytes);
  if (!ConstantTimeEquals(mac,
                          HmacSha256(key_, payload).substr(0, kMacBytes))) {
    return invalid();
  }
  internal::v1::PageToken parsed;
  if (!parsed.ParseFromArray(payload.data(),
                             static_cast<int>(payload.size())) ||
      parsed.query_digest() != query_digest) {
    return errors::InvalidField(
        "page_token",
        "belongs to a different query: keep filter and parent the same "
        "while paging, or start again without page_token");
  }
  if (absl::FromUnixSeconds(parsed.issue_time_seconds()) + lifetime_ < now) {
    return errors::InvalidField("page_token",
                                "has expired; start again without page_token");
  }
  return std::vector<std::string>(parsed.last_key().begin(),
                                  parsed.last_key().end());
}

}  // namespace careers
