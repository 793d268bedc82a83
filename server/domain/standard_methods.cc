#include "server/domain/standard_methods.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "server/common/crypto.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/domain/resource_names.h"

namespace careers::domain {

std::optional<IdempotencyKey> MakeIdempotencyKey(
    absl::string_view method, const RequestContext& ctx,
    const std::string& request_id, const google::protobuf::Message& body,
    errors::FieldViolations& v) {
  // What AIP-155 suggests (a UUID) and a little more.
  const bool valid =
      !request_id.empty() && request_id.size() <= 64 &&
      std::all_of(request_id.begin(), request_id.end(), [](char c) {
        return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' ||
               c == '_';
      });
  if (!valid) {
    v.Add(
        "request_id",
        "must be 1-64 characters of A-Z, a-z, 0-9, - and _ (a UUID is ideal)");
    return std::nullopt;
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    body.SerializeToCodedStream(&out);
  }
  return IdempotencyKey{absl::StrCat(method, "|", ctx.principal.subject),
                        request_id, Sha256(bytes)};
}

void CheckClientChosenId(absl::string_view field, const std::string& id,
                         errors::FieldViolations& v) {
  if (!id.empty() && !names::IsValidClientChosenId(id)) {
    v.Add(std::string(field),
          "must be 1-63 characters of a-z, 0-9 and -, starting with a letter "
          "and not ending with -");
  }
}

std::optional<int> EnumFilterValue(const FilterTerm& term,
                                   const google::protobuf::EnumDescriptor* type,
                                   errors::FieldViolations& v) {
  const auto* value = type->FindValueByName(absl::AsciiStrToUpper(term.value));
  if (value == nullptr || value->number() == 0) {
    std::vector<std::string> names;
    for (int i = 1; i < type->value_count(); ++i) {
      names.push_back(type->value(i)->name());
    }
    v.Add("filter",
          absl::StrCat(term.field, " has no value \"", term.value,
                       "\"; use one of ", absl::StrJoin(names, ", ")));
    return std::nullopt;
  }
  return value->number();
}

std::optional<std::string> NameFilterValue(const FilterTerm& term,
                                           absl::string_view collection,
                                           errors::FieldViolations& v) {
  auto id = names::ParseName("filter", term.value, collection);
  if (!id.ok()) {
    v.Add("filter", absl::StrCat(term.field, " must be a resource name like \"",
                                 collection, "/{id}\""));
    return std::nullopt;
  }
  return *std::move(id);
}

std::string LastSegment(const std::string& name) {
  return name.substr(name.rfind('/') + 1);
}

absl::StatusOr<std::optional<CreationCursor>> DecodeCreationCursor(
    const PageTokenCodec& codec, const std::string& token,
    const std::string& digest, absl::Time now) {
  if (token.empty()) return std::nullopt;
  CAREERS_ASSIGN_OR_RETURN(std::vector<std::string> key,
                           codec.Decode(token, digest, now));
  int64_t micros = 0;
  if (key.size() != 2 || !absl::SimpleAtoi(key[0], &micros)) {
    return errors::InvalidField("page_token", "is malformed");
  }
  return CreationCursor{absl::FromUnixMicros(micros), key[1]};
}

std::string EncodeCreationCursor(const PageTokenCodec& codec,
                                 const std::string& digest,
                                 const google::protobuf::Timestamp& time,
                                 const std::string& name, absl::Time now) {
  return codec.Encode(
      digest,
      {absl::StrCat(absl::ToUnixMicros(FromProtoTimestamp(time))),
       LastSegment(name)},
      now);
}

}  // namespace careers::domain
