#include "server/domain/errors.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/rpc/error_details.pb.h"

namespace careers::errors {

void FieldViolations::Add(std::string field, std::string description) {
  violations_.emplace_back(std::move(field), std::move(description));
}

absl::Status FieldViolations::ToStatus() const {
  if (violations_.empty()) return absl::OkStatus();
  google::rpc::BadRequest detail;
  for (const auto& [field, description] : violations_) {
    auto* v = detail.add_field_violations();
    v->set_field(field);
    v->set_description(description);
  }
  std::string message = absl::StrCat("invalid ", violations_[0].first, ": ",
                                     violations_[0].second);
  if (violations_.size() > 1) {
    absl::StrAppend(&message, " (and ", violations_.size() - 1, " more)");
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kBadRequestType, absl::Cord(detail.SerializeAsString()));
  return status;
}

absl::Status InvalidField(std::string field, std::string description) {
  FieldViolations v;
  v.Add(std::move(field), std::move(description));
  return v.ToStatus();
}

absl::Status NotFound(absl::string_view resource_type, absl::string_view name) {
  google::rpc::ResourceInfo info;
  info.set_resource_type(std::string(resource_type));
  info.set_resource_name(std::string(name));
  info.set_description("not found");
  absl::Status status = absl::NotFoundError(absl::StrCat(name, " not found"));
  status.SetPayload(kResourceInfoType, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::Status FailedPrecondition(
    absl::string_view type, absl::string_view subject,
    absl::string_view description,
    const std::map<std::string, std::string>& metadata) {
  google::rpc::PreconditionFailure detail;
  auto* v = detail.add_violations();
  v->set_type(std::string(type));
  v->set_subject(std::string(subject));
  v->set_description(std::string(description));
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(type));
  info.set_domain(kErrorDomain);
  for (const auto& [key, value] : metadata) {
    (*info.mutable_metadata())[key] = value;
  }
  absl::Status status =
      absl::FailedPreconditionError(absl::StrCat(subject, ": ", description));
  status.SetPayload(kPreconditionFailureType,
                    absl::Cord(detail.SerializeAsString()));
  status.SetPayload(kErrorInfoType, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::Status EtagMismatch(absl::string_view name) {
  return absl::AbortedError(absl::StrCat(
      name,
      " was changed by someone else (etag mismatch): read it again, "
      "reapply your change and retry"));
}

absl::Status EtagOfAnotherResource(absl::string_view name) {
  return absl::AbortedError(absl::StrCat(
      "the etag given is not one of ", name,
      " (it belongs to another resource, or is not an etag): nothing was "
      "changed; read ",
      name, " and use its etag"));
}

}  // namespace careers::errors
