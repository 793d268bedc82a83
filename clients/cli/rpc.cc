#include "clients/cli/rpc.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "absl/random/random.h"
#include "absl/strings/str_format.h"

namespace careers::cli {

void PrepareContext(const CallOptions& options, grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMilliseconds(options.timeout));
  PrepareStreamContext(options, context);
}

void PrepareStreamContext(const CallOptions& options,
                          grpc::ClientContext& context) {
  if (!options.token.empty()) {
    context.AddMetadata("authorization", "Bearer " + options.token);
  }
  if (!options.access_reason.empty()) {
    const bool printable_ascii =
        std::all_of(options.access_reason.begin(), options.access_reason.end(),
                    [](char c) { return c >= 0x20 && c <= 0x7E; });
    context.AddMetadata(printable_ascii ? "access-reason" : "access-reason-bin",
                        options.access_reason);
  }
}

grpc::Status CallWithRetry(
    const CallOptions& options, Retry retry,
    absl::FunctionRef<grpc::Status(grpc::ClientContext&)> attempt) {
  const int attempts = retry == Retry::kOnUnavailable ? kMaxAttempts : 1;
  absl::Duration backoff = absl::Milliseconds(100);
  grpc::Status status;
  for (int i = 1; i <= attempts; ++i) {
    // A ClientContext must not be reused across calls.
    grpc::ClientContext context;
    PrepareContext(options, context);
    status = attempt(context);
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    if (i < attempts) {
      absl::SleepFor(backoff);
      backoff *= 2;
    }
  }
  return status;
}

std::string NewRequestId() {
  absl::BitGen gen;
  uint64_t hi = absl::Uniform<uint64_t>(gen);
  uint64_t lo = absl::Uniform<uint64_t>(gen);
  // RFC 4122: version 4 in the top nibble of time_hi_and_version, variant
  // 10 in the top bits of clock_seq.
  hi = (hi & ~uint64_t{0xF000}) | uint64_t{0x4000};
  lo = (lo & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32,
                         (hi >> 16) & 0xFFFF, hi & 0xFFFF, lo >> 48,
                         lo & 0xFFFFFFFFFFFF);
}

}  // namespace careers::cli
