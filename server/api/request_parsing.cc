#include "server/api/request_parsing.h"

#include <grpcpp/support/proto_buffer_reader.h>

#include <deque>
#include <set>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/stubs/logging.h"
#include "server/common/logging.h"
#include "server/domain/errors.h"

namespace careers::api {
namespace {

// Set by the protobuf log handler on the thread that parsed a request.
thread_local std::string invalid_utf8_field_on_this_thread;

void ProtobufLogHandler(google::protobuf::LogLevel level, const char* filename,
                        int line, const std::string& message) {
  static constexpr char kUtf8Prefix[] = "String field '";
  const size_t at = message.find(kUtf8Prefix);
  if (at != std::string::npos &&
      message.find("invalid UTF-8") != std::string::npos) {
    const size_t start = at + sizeof(kUtf8Prefix) - 1;
    const size_t end = message.find('\'', start);
    if (end != std::string::npos) {
      invalid_utf8_field_on_this_thread = message.substr(start, end - start);
      return;  // a client error, answered as INVALID_ARGUMENT: not worth a
               // log line
    }
  }
  if (level >= google::protobuf::LOGLEVEL_ERROR) {
    spdlog::error("protobuf {}:{}: {}", filename, line, message);
  } else {
    spdlog::warn("protobuf {}:{}: {}", filename, line, message);
  }
}

}  // namespace

void InstallProtobufLogHandler() {
  google::protobuf::SetLogHandler(&ProtobufLogHandler);
}

absl::StatusOr<std::unique_ptr<google::protobuf::Message>> ParseRequest(
    grpc::ByteBuffer& bytes, const google::protobuf::Message& prototype) {
  std::unique_ptr<google::protobuf::Message> message(prototype.New());
  invalid_utf8_field_on_this_thread.clear();
  bool parsed = false;
  {
    grpc::ProtoBufferReader reader(&bytes);
    if (reader.status().ok()) {
      google::protobuf::io::CodedInputStream input(&reader);
      parsed = message->ParseFromCodedStream(&input) &&
               input.ConsumedEntireMessage();
    }
  }
  bytes.Clear();
  if (parsed) return message;
  const std::string bad_field =
      std::exchange(invalid_utf8_field_on_this_thread, "");
  const google::protobuf::Descriptor* type = prototype.GetDescriptor();
  if (!bad_field.empty()) {
    return errors::InvalidField(FieldPathTo(type, bad_field),
                                "must be valid UTF-8");
  }
  return absl::InvalidArgumentError(
      absl::StrCat("the request is not a valid ", type->full_name(),
                   " (malformed protobuf encoding)"));
}

std::string FieldPathTo(const google::protobuf::Descriptor* request,
                        absl::string_view full_field_name) {
  // Breadth-first, so the shortest path wins.
  std::deque<std::pair<const google::protobuf::Descriptor*, std::string>> queue;
  std::set<const google::protobuf::Descriptor*> seen;
  queue.emplace_back(request, "");
  while (!queue.empty()) {
    auto [type, prefix] = queue.front();
    queue.pop_front();
    if (!seen.insert(type).second) continue;
    for (int i = 0; i < type->field_count(); ++i) {
      const auto* field = type->field(i);
      const std::string path = prefix.empty()
                                   ? field->name()
                                   : absl::StrCat(prefix, ".", field->name());
      if (field->full_name() == full_field_name) return path;
      if (field->message_type() != nullptr)
        queue.emplace_back(field->message_type(), path);
    }
  }
  const size_t dot = full_field_name.rfind('.');
  return std::string(dot == absl::string_view::npos
                         ? full_field_name
                         : full_field_name.substr(dot + 1));
}

}  // namespace careers::api
