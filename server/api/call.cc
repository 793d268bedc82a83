#include "server/api/call.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/common/ids.h"
#include "server/common/logging.h"
#include "server/common/utf8.h"
#include "server/domain/access_reads.h"
#include "server/domain/errors.h"
#include "server/domain/method_access.h"
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
                       domain::AccessRecorder& recorder,
                       DeadlinePolicy deadlines)
    : authenticator_(authenticator),
      policy_(policy),
      recorder_(recorder),
      deadlines_(deadlines) {}

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

CallInputs CallRunner::Prepare(grpc::ServerContext& context,
                               absl::Time now) const {
  CallInputs in;
  const auto raw_deadline = context.deadline();
  const absl::Time client_deadline =
      raw_deadline == std::chrono::system_clock::time_point::max()
          ? absl::InfiniteFuture()
          : absl::FromChrono(raw_deadline);
  in.deadline = EffectiveDeadline(client_deadline, now, deadlines_);
  in.request_id = RequestIdOf(context, now);
  context.AddInitialMetadata("x-request-id", in.request_id);
  const auto& metadata = context.client_metadata();
  if (auto it = metadata.find("authorization"); it != metadata.end()) {
    in.authorization.assign(it->second.data(), it->second.size());
  }
  in.access_reason = AccessReasonFromMetadata(metadata);
  return in;
}

absl::StatusOr<RequestContext> CallRunner::Admit(
    const CallInputs& inputs, absl::string_view method,
    const google::protobuf::Message& request, ConsentInRead* consent) const {
  RequestContext ctx;
  ctx.deadline = inputs.deadline;
  ctx.method = std::string(method);
  ctx.request_id = inputs.request_id;
  absl::StatusOr<auth::Principal> principal =
      authenticator_.Authenticate(inputs.authorization, ctx.deadline);
  if (!principal.ok()) return principal.status();
  ctx.principal = *std::move(principal);
  if (!inputs.access_reason.ok()) return inputs.access_reason.status();
  ctx.access_reason = *inputs.access_reason;
  ctx.visibility = policy_.VisibilityFor(ctx.principal);

  const v1::MethodAccess* access = domain::MethodAccessOf(method);
  const std::string resource =
      access == nullptr ? "" : domain::ResourceOf(*access, request);
  ctx.consent_in_read = consent;
  absl::StatusOr<auth::AccessGrant> grant =
      policy_.Check(ctx, method, resource);
  if (!grant.ok()) return grant.status();
  ctx.record_access =
      grant->person_data && ctx.principal.role != auth::Role::kPerson;
  errors::FieldViolations violations;
  checks::CheckTimeRanges(request, violations);
  if (!violations.empty()) return violations.ToStatus();
  if (consent != nullptr && consent->organisation_id.empty()) {
    ctx.consent_in_read = nullptr;
  }
  return ctx;
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> CallRunner::Run(
    const CallInputs& inputs, const Rpc& rpc,
    const google::protobuf::Message& request) const {
  ConsentInRead consent;
  absl::StatusOr<RequestContext> admitted =
      Admit(inputs, rpc.name, request, &consent);
  if (!admitted.ok()) return admitted.status();
  RequestContext& ctx = *admitted;
  const v1::MethodAccess* access = domain::MethodAccessOf(rpc.name);
  const std::string resource =
      access == nullptr ? "" : domain::ResourceOf(*access, request);

  std::vector<domain::PersonalRead> noted;
  ctx.noted_reads = &noted;
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> response =
      rpc.invoke(ctx, request);
  if (!response.ok()) return response.status();
  if (ctx.consent_in_read != nullptr && !consent.enforced) {
    // The policy left the consent check to a read that did not make it:
    // refused, as a bug must never let a read through unchecked.
    spdlog::error("{}: the consent check left to the read was not made",
                  rpc.name);
    return consent.denied;
  }
  // A person reading their own data is not on their access record; writes
  // are recorded by the store in their transactions.
  if (ctx.record_access && access != nullptr && domain::ReadsOnly(*access)) {
    for (const domain::PersonalRead& read :
         domain::ReadsIn(**response, resource, noted)) {
      recorder_.RecordRead(ctx, read.profile_id, read.resource);
    }
  }
  return response;
}

}  // namespace careers::api
