#ifndef CAREERS_SERVER_DOMAIN_STANDARD_METHODS_H_
#define CAREERS_SERVER_DOMAIN_STANDARD_METHODS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "server/domain/errors.h"
#include "server/domain/etag.h"
#include "server/domain/filter.h"
#include "server/domain/paging.h"
#include "server/domain/profile_repository.h"
#include "server/domain/repository.h"
#include "server/domain/request_context.h"

// The pieces every resource's standard methods share: AIP-155 request ids,
// AIP-122 client-chosen ids, AIP-154 etags, AIP-160 filter values and
// AIP-158 creation-order cursors. One implementation, used by Profiles,
// Consents and Directory alike.
namespace careers::domain {

// The key that makes a create safe to retry, or nullopt without a
// request_id. `body` is the request without its request_id; a malformed id
// is added to `v`.
std::optional<IdempotencyKey> MakeIdempotencyKey(
    absl::string_view method, const RequestContext& ctx,
    const std::string& request_id, const google::protobuf::Message& body,
    errors::FieldViolations& v);

template <typename Request>
std::optional<IdempotencyKey> IdempotencyKeyFor(absl::string_view method,
                                                const RequestContext& ctx,
                                                const Request& req,
                                                errors::FieldViolations& v) {
  if (req.request_id().empty()) return std::nullopt;
  Request body = req;
  body.clear_request_id();
  return MakeIdempotencyKey(method, ctx, req.request_id(), body, v);
}

inline const IdempotencyKey* KeyPtr(const std::optional<IdempotencyKey>& key) {
  return key ? &*key : nullptr;
}

// A client-chosen id, if given, follows AIP-122.
void CheckClientChosenId(absl::string_view field, const std::string& id,
                         errors::FieldViolations& v);

// The number of an enum filter value (`life_stage = SCHOOL`, any case).
std::optional<int> EnumFilterValue(const FilterTerm& term,
                                   const google::protobuf::EnumDescriptor* type,
                                   errors::FieldViolations& v);

// The id in a resource-name filter value (`organisation = "organisations/x"`).
std::optional<std::string> NameFilterValue(const FilterTerm& term,
                                           absl::string_view collection,
                                           errors::FieldViolations& v);

// "profiles/p/goals/g" → "g".
std::string LastSegment(const std::string& name);

// ABORTED if `etag` is given and is not the resource's current one, saying
// whether it is an older etag of the resource (someone else changed it) or
// not one of its etags at all.
template <typename Resource>
absl::Status CheckEtag(const Resource& current, const std::string& etag) {
  if (etag.empty() || etag == current.etag()) return absl::OkStatus();
  if (!SameResourceEtags(etag, current.etag())) {
    return errors::EtagOfAnotherResource(current.name());
  }
  return errors::EtagMismatch(current.name());
}

// Page tokens of lists in creation order: (time, id) of the last item.
absl::StatusOr<std::optional<CreationCursor>> DecodeCreationCursor(
    const PageTokenCodec& codec, const std::string& token,
    const std::string& digest, absl::Time now);
std::string EncodeCreationCursor(const PageTokenCodec& codec,
                                 const std::string& digest,
                                 const google::protobuf::Timestamp& time,
                                 const std::string& name, absl::Time now);

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_STANDARD_METHODS_H_
