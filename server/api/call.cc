#include "server/api/call.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/api/grpc_status.h"
#include "server/common/ids.h"
#include "server/common/utf8.h"
#include "server/domain/errors.h"
#include "server/domain/time_ranges.h"

namespace careers::api {

absl::Time EffectiveDeadline(absl::Time client_deadline, absl::Time now,
                             const DeadlinePolicy& policy) {
  const absl::Time latest = now + policy.max_deadline;
  if (client_deadline == absl::InfiniteFuture()) {
    return std::min(now + policy.default_deadline, latest);
  }
  return std::min(client_deadline, latest);
}

CallRunner::CallRunner(const auth::Authenticator& authenticator,
                       const auth::AccessPolicy& policy,
                       DeadlinePolicy deadlines)
    : authenticator_(authenticator), policy_(policy), deadlines_(deadlines) {}

namespace {

// A request id from the caller's x-request-id metadata if it is a sensible
// one (so their logs and ours line up), else a new one.
std::string RequestIdOf(const grpc::ServerContext& context, absl::Time now) {
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("x-request-id"); it != metadata.end()) {
    const absl::string_view id(it->second.data(), it->second.size());
    const bool sensible =
        !id.empty() && id.size() <= 64 &&
        std::all_of(id.begin(), id.end(), [](char c) {
          return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                 c == '-' || c == '_' || c == '.';
        });
    if (sensible) return std::string(id);
  }
  return NewResourceId(now);
}

}  // namespace

absl::StatusOr<std::string> AccessReasonFromMetadata(
    const std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
  constexpr absl::string_view kField = "access-reason";
  for (const char* key :
       {"access-reason", "access_reason", "access-reason-bin"}) {
    const auto it = metadata.find(key);
    if (it == metadata.end()) continue;
    const absl::string_view reason = TrimAsciiWhitespace(
        absl::string_view(it->second.data(), it->second.size()));
    const std::optional<size_t> length = Utf8Length(reason);
    if (!length) {
      return errors::InvalidField(std::string(kField), "must be valid UTF-8");
    }
    if (*length > kMaxAccessReasonLength) {
      return errors::InvalidField(
          std::string(kField),
          absl::StrCat("must be at most ", kMaxAccessReasonLength,
                       " characters (it has ", *length, ")"));
    }
    if (HasControlCharacters(reason, /*allow_newlines=*/false)) {
      return errors::InvalidField(std::string(kField),
                                  "must not contain control characters");
    }
    return std::string(reason);
  }
  return std::string();
}

grpc::Status CallRunner::Run(
    grpc::ServerContext* context, const google::protobuf::Message& request,
    absl::string_view method, absl::string_view resource,
    absl::FunctionRef<absl::Status(const RequestContext&)> body) const {
  const absl::Time now = absl::Now();
  RequestContext ctx;
  const auto raw_deadline = context->deadline();
  const absl::Time client_deadline =
      raw_deadline == std::chrono::system_clock::time_point::max()
          ? absl::InfiniteFuture()
          : absl::FromChrono(raw_deadline);
  ctx.deadline = EffectiveDeadline(client_deadline, now, deadlines_);
  ctx.method = std::string(method);
  ctx.request_id = RequestIdOf(*context, now);
  context->AddInitialMetadata("x-request-id", ctx.request_id);

  absl::string_view authorization;
  const auto& metadata = context->client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    authorization = absl::string_view(it->second.data(), it->second.size());
  }
  absl::StatusOr<auth::Principal> principal =
      authenticator_.Authenticate(authorization, ctx.deadline);
  if (!principal.ok()) return ToGrpcStatus(principal.status());
  ctx.principal = *std::move(principal);
  absl::StatusOr<std::string> reason =
      AccessReasonFromMetadata(context->client_metadata());
  if (!reason.ok()) return ToGrpcStatus(reason.status());
  ctx.access_reason = *std::move(reason);
  ctx.visibility = policy_.VisibilityFor(ctx.principal);

  absl::StatusOr<auth::AccessGrant> grant =
      policy_.Check(ctx, method, resource);
  if (!grant.ok()) return ToGrpcStatus(grant.status());
  ctx.record_access =
      grant->person_data && ctx.principal.role != auth::Role::kPerson;
  errors::FieldViolations violations;
  checks::CheckTimeRanges(request, violations);
  if (!violations.empty()) return ToGrpcStatus(violations.ToStatus());
  return ToGrpcStatus(body(ctx));
}

}  // namespace careers::api
