#include "clients/cli/errors.h"

#include "absl/strings/str_cat.h"
#include "google/rpc/code.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace careers::cli {
namespace {

void PrintDetail(const std::string& subject, const std::string& description,
                 std::ostream& err) {
  err << "  " << subject << ": " << description << "\n";
}

}  // namespace

std::string StatusCodeName(grpc::StatusCode code) {
  // google.rpc.Code uses the same numbers and the canonical names.
  const int number = static_cast<int>(code);
  if (!google::rpc::Code_IsValid(number)) return absl::StrCat("CODE_", number);
  return google::rpc::Code_Name(static_cast<google::rpc::Code>(number));
}

void PrintRpcError(const grpc::Status& status, std::ostream& err) {
  err << "error: " << StatusCodeName(status.error_code()) << ": "
      << status.error_message() << "\n";
  google::rpc::Status details;
  if (status.error_details().empty() ||
      !details.ParseFromString(status.error_details())) {
    return;
  }
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::PreconditionFailure precondition;
    google::rpc::ResourceInfo resource;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) {
        PrintDetail(v.field(), v.description(), err);
      }
    } else if (any.UnpackTo(&precondition)) {
      for (const auto& v : precondition.violations()) {
        PrintDetail(v.subject(), v.description(), err);
      }
    } else if (any.UnpackTo(&resource)) {
      PrintDetail(resource.resource_name(), resource.description(), err);
    }
  }
}

}  // namespace careers::cli
