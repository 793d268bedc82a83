#ifndef CAREERS_SERVER_DOMAIN_FIELD_MASK_H_
#define CAREERS_SERVER_DOMAIN_FIELD_MASK_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace careers {

// Applies an AIP-134 update: copies the fields `mask` names from `patch`
// onto `target` (same type). Message and repeated fields named in the mask
// are replaced, not merged. An empty mask means every field set in `patch`;
// "*" means every updatable field. A field is updatable unless it is marked
// OUTPUT_ONLY or IMMUTABLE with google.api.field_behavior.
//
// Errors are INVALID_ARGUMENT naming `mask_field` ("update_mask") for
// unknown paths and naming the field for ones that cannot be changed.
absl::Status ApplyFieldMask(const google::protobuf::FieldMask& mask,
                            const google::protobuf::Message& patch,
                            google::protobuf::Message& target,
                            absl::string_view mask_field);

// Clears the top-level fields marked OUTPUT_ONLY with
// google.api.field_behavior (name, times, state, etag): on create, what a
// client sends in them is ignored (AIP-203).
void ClearOutputOnlyFields(google::protobuf::Message& resource);

}  // namespace careers

#endif  // CAREERS_SERVER_DOMAIN_FIELD_MASK_H_
