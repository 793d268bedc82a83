// Signed, query-bound, expiring page tokens.
#include "server/domain/paging.h"

#include "absl/strings/escaping.h"
#include "gtest/gtest.h"
#include "tests/support/test_data.h"

namespace careers {
namespace {

const std::string kKey(32, 'k');

TEST(PageTokens, RoundTrip) {
  PageTokenCodec codec(kKey, absl::Hours(24));
  const std::string digest = PageTokenCodec::QueryDigest({"List", "filter"});
  const absl::Time now = testing::TestNow();
  const std::string token =
      codec.Encode(digest, {"Mac Donald", "Ei/lidh", "id-1"}, now);
  auto key = codec.Decode(token, digest, now + absl::Hours(1));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(*key, (std::vector<std::string>{"Mac Donald", "Ei/lidh", "id-1"}));
  // URL-safe: a token can go in a query string as it is.
  EXPECT_EQ(token.find_first_of("+/="), std::string::npos);
}

TEST(PageTokens, EveryAlteredByteIsRejected) {
  PageTokenCodec codec(kKey, absl::Hours(24));
  const std::string digest = PageTokenCodec::QueryDigest({"List", ""});
  const absl::Time now = testing::TestNow();
  std::string raw;
  ASSERT_TRUE(
      absl::WebSafeBase64Unescape(codec.Encode(digest, {"a", "b"}, now), &raw));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string tampered = raw;
    tampered[i] ^= 0x01;
    auto key = codec.Decode(absl::WebSafeBase64Escape(tampered), digest, now);
    EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument)
        << "byte " << i;
  }
  EXPECT_EQ(codec.Decode("not base64 !!", digest, now).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.Decode("", digest, now).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PageTokens, BoundToTheQueryTheKeyAndTheTime) {
  PageTokenCodec codec(kKey, absl::Hours(24));
  PageTokenCodec other_key(std::string(32, 'x'), absl::Hours(24));
  const absl::Time now = testing::TestNow();
  const std::string digest =
      PageTokenCodec::QueryDigest({"List", "life_stage = SCHOOL"});
  const std::string token = codec.Encode(digest, {"a"}, now);
  EXPECT_EQ(codec.Decode(token, PageTokenCodec::QueryDigest({"List", ""}), now)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(other_key.Decode(token, digest, now).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(codec.Decode(token, digest, now + absl::Hours(25)).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Digests of different splits of the same text differ.
  EXPECT_NE(PageTokenCodec::QueryDigest({"ab", "c"}),
            PageTokenCodec::QueryDigest({"a", "bc"}));
}

TEST(PageSize, DefaultsCapsAndRejectsNegative) {
  EXPECT_EQ(*ResolvePageSize(0, 50, 200), 50);
  EXPECT_EQ(*ResolvePageSize(7, 50, 200), 7);
  EXPECT_EQ(*ResolvePageSize(100000, 50, 200), 200);
  EXPECT_EQ(ResolvePageSize(-1, 50, 200).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace careers
