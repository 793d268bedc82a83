#include "server/domain/field_mask.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/api/field_behavior.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "server/domain/errors.h"

namespace careers {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::FieldMask;
using google::protobuf::Message;
using google::protobuf::util::FieldMaskUtil;

bool HasBehavior(const FieldDescriptor& field,
                 google::api::FieldBehavior wanted) {
  const auto& options = field.options();
  for (int i = 0; i < options.ExtensionSize(google::api::field_behavior); ++i) {
    if (options.GetExtension(google::api::field_behavior, i) == wanted) {
      return true;
    }
  }
  return false;
}

bool IsUpdatable(const FieldDescriptor& field) {
  return !HasBehavior(field, google::api::OUTPUT_ONLY) &&
         !HasBehavior(field, google::api::IMMUTABLE);
}

}  // namespace

absl::Status ApplyFieldMask(const FieldMask& mask, const Message& patch,
                            Message& target, absl::string_view mask_field) {
  const Descriptor* descriptor = target.GetDescriptor();
  FieldMask effective;
  errors::FieldViolations violations;

  const bool wildcard = mask.paths_size() == 1 && mask.paths(0) == "*";
  if (wildcard) {
    for (int i = 0; i < descriptor->field_count(); ++i) {
      if (IsUpdatable(*descriptor->field(i))) {
        effective.add_paths(descriptor->field(i)->name());
      }
    }
  } else if (mask.paths_size() == 0) {
    std::vector<const FieldDescriptor*> set_fields;
    patch.GetReflection()->ListFields(patch, &set_fields);
    for (const FieldDescriptor* field : set_fields) {
      if (IsUpdatable(*field)) effective.add_paths(field->name());
    }
  } else {
    for (const std::string& path : mask.paths()) {
      if (path == "*") {
        violations.Add(std::string(mask_field),
                       "\"*\" must be the only path when it is used");
        continue;
      }
      if (!FieldMaskUtil::GetFieldDescriptors(descriptor, path, nullptr)) {
        violations.Add(std::string(mask_field),
                       absl::StrCat("\"", path, "\" is not a field of ",
                                    descriptor->name()));
        continue;
      }
      const std::string top(*absl::StrSplit(path, '.').begin());
      if (!IsUpdatable(*descriptor->FindFieldByName(top))) {
        violations.Add(std::string(mask_field),
                       absl::StrCat("\"", top, "\" cannot be updated"));
        continue;
      }
      effective.add_paths(path);
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, effective, options, &target);
  return absl::OkStatus();
}

void ClearOutputOnlyFields(Message& resource) {
  const Descriptor* descriptor = resource.GetDescriptor();
  const google::protobuf::Reflection* reflection = resource.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    if (HasBehavior(*descriptor->field(i), google::api::OUTPUT_ONLY)) {
      reflection->ClearField(&resource, descriptor->field(i));
    }
  }
}

}  // namespace careers
