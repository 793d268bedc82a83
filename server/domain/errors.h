#ifndef CAREERS_SERVER_DOMAIN_ERRORS_H_
#define CAREERS_SERVER_DOMAIN_ERRORS_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

// Errors as values (AIP-193). Each helper returns an absl::Status whose
// payloads are the google.rpc error details a client needs (BadRequest,
// PreconditionFailure, ResourceInfo), keyed by their type URLs; the API layer
// copies them into the gRPC status without looking inside.
namespace careers::errors {

inline constexpr char kBadRequestType[] =
    "type.googleapis.com/google.rpc.BadRequest";
inline constexpr char kPreconditionFailureType[] =
    "type.googleapis.com/google.rpc.PreconditionFailure";
inline constexpr char kResourceInfoType[] =
    "type.googleapis.com/google.rpc.ResourceInfo";
inline constexpr char kErrorInfoType[] =
    "type.googleapis.com/google.rpc.ErrorInfo";
// google.rpc.ErrorInfo.domain of our errors.
inline constexpr char kErrorDomain[] = "careers.uk";

// Collects what is wrong with a request, one entry per field, so a client can
// show every problem at once. Not thread-safe.
class FieldViolations {
 public:
  // `field` is a path into the request ("profile.birth_date").
  void Add(std::string field, std::string description);
  bool empty() const { return violations_.empty(); }
  size_t size() const { return violations_.size(); }
  const std::vector<std::pair<std::string, std::string>>& list() const {
    return violations_;
  }

  // OK when empty; otherwise INVALID_ARGUMENT with a google.rpc.BadRequest
  // and a message naming the first violation (and how many more there are).
  absl::Status ToStatus() const;

 private:
  std::vector<std::pair<std::string, std::string>> violations_;
};

// INVALID_ARGUMENT for one field.
absl::Status InvalidField(std::string field, std::string description);

// NOT_FOUND for a resource name, with google.rpc.ResourceInfo.
absl::Status NotFound(absl::string_view resource_type, absl::string_view name);

// FAILED_PRECONDITION with google.rpc.PreconditionFailure and
// google.rpc.ErrorInfo: `type` is a short code such as "STATE" (also the
// ErrorInfo reason), `subject` what it is about — a resource name, never
// prose — and `description` the prose. `metadata` (ErrorInfo.metadata)
// carries values a client can act on, such as "earliest_start".
absl::Status FailedPrecondition(
    absl::string_view type, absl::string_view subject,
    absl::string_view description,
    const std::map<std::string, std::string>& metadata = {});

// ABORTED: the caller's etag is an older one of the resource `name`
// (AIP-154): someone else changed it since.
absl::Status EtagMismatch(absl::string_view name);

// ABORTED: the caller's etag is not one of the resource `name` at all (it
// belongs to another resource, or to one deleted and made again under the
// same name, or is not an etag).
absl::Status EtagOfAnotherResource(absl::string_view name);

}  // namespace careers::errors

#endif  // CAREERS_SERVER_DOMAIN_ERRORS_H_
