#include "clients/cli/errors.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/rpc/code.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace careers::cli {

std::string StatusCodeName(grpc::StatusCode code) {
  // google.rpc.Code uses the same numbers and the canonical names.
  const int number = static_cast<int>(code);
  if (!google::rpc::Code_IsValid(number)) return absl::StrCat("CODE_", number);
  return google::rpc::Code_Name(static_cast<google::rpc::Code>(number));
}

std::vector<std::string> RpcErrorDetails(const grpc::Status& status) {
  std::vector<std::string> lines;
  google::rpc::Status details;
  if (status.error_details().empty() ||
      !details.ParseFromString(status.error_details())) {
    return lines;
  }
  auto add = [&lines](const std::string& subject,
                      const std::string& description) {
    lines.push_back(absl::StrCat(subject, ": ", description));
  };
  for (const google::protobuf::Any& any : details.details()) {
    google::rpc::BadRequest bad_request;
    google::rpc::PreconditionFailure precondition;
    google::rpc::ResourceInfo resource;
    if (any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) {
        add(v.field(), v.description());
      }
    } else if (any.UnpackTo(&precondition)) {
      for (const auto& v : precondition.violations()) {
        add(v.subject(), v.description());
      }
    } else if (any.UnpackTo(&resource)) {
      add(resource.resource_name(), resource.description());
    } else if (google::rpc::ErrorInfo info; any.UnpackTo(&info)) {
      // What a client can act on, e.g. "earliest_start: 2027-01-05T00:00Z".
      std::map<std::string, std::string> sorted(info.metadata().begin(),
                                                info.metadata().end());
      for (const auto& [key, value] : sorted) add(key, value);
    }
  }
  return lines;
}

void PrintRpcError(const grpc::Status& status, std::ostream& err) {
  err << "error: " << StatusCodeName(status.error_code()) << ": "
      << status.error_message() << "\n";
  for (const std::string& line : RpcErrorDetails(status)) {
    err << "  " << line << "\n";
  }
}

}  // namespace careers::cli
