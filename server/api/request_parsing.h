#ifndef CAREERS_SERVER_API_REQUEST_PARSING_H_
#define CAREERS_SERVER_API_REQUEST_PARSING_H_

#include <grpcpp/support/byte_buffer.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace careers::api {

// Routes protobuf's log messages to spdlog and notes, per thread, which
// string field failed UTF-8 validation while a request was parsed (protobuf
// reports it only through its log). Call once at startup.
void InstallProtobufLogHandler();

// `bytes` parsed as a message like `prototype` (consumed). A request that
// does not parse is INVALID_ARGUMENT: with a google.rpc.BadRequest naming
// the field whose string is not valid UTF-8 when protobuf reported one,
// else saying the encoding is malformed.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ParseRequest(
    grpc::ByteBuffer& bytes, const google::protobuf::Message& prototype);

// The path from `request` to the field named `full_field_name`
// ("profile.contact.email"), or the bare field name if it is not reachable.
std::string FieldPathTo(const google::protobuf::Descriptor* request,
                        absl::string_view full_field_name);

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_REQUEST_PARSING_H_
