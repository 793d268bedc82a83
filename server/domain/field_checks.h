#ifndef CAREERS_SERVER_DOMAIN_FIELD_CHECKS_H_
#define CAREERS_SERVER_DOMAIN_FIELD_CHECKS_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "careers/v1/profile_service.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/type/date.pb.h"
#include "server/domain/errors.h"

// Checks for single fields, shared by every resource's rules. Each adds what
// is wrong to a FieldViolations under the given field path.
namespace careers::checks {

struct TextLimits {
  size_t min_chars = 0;  // 1 makes the field required
  size_t max_chars = 0;
  bool multiline = false;  // allow line feeds and tabs
};

// Valid UTF-8, no control characters (but newlines when multiline), length
// in code points within the limits. Blank text counts as empty.
void CheckText(errors::FieldViolations& v, absl::string_view field,
               absl::string_view value, TextLimits limits);

// A plausible ASCII email address (RFC 5321 limits, dotted domain).
bool IsValidEmail(absl::string_view email);

// A UK phone number in E.164 (+441234567890), from national (01234 567890),
// international (+44 1234 567890, 0044..., +44 (0)1234...) forms; spaces,
// hyphens, dots and brackets allowed. nullopt if it is not one.
std::optional<std::string> NormalizeUkPhone(absl::string_view phone);

// A UK postcode in upper case with one space ("EH1 1YZ"); nullopt if the
// shape is not a UK postcode's.
std::optional<std::string> NormalizeUkPostcode(absl::string_view postcode);

// An absolute http:// or https:// URL without spaces or control characters.
bool IsValidHttpUrl(absl::string_view url);

// The day `date` names if it is a full, real date between 1900 and 2200;
// adds a violation and returns nullopt otherwise. An unset date is nullopt
// and a violation only when `required`.
std::optional<absl::CivilDay> CheckDate(errors::FieldViolations& v,
                                        absl::string_view field,
                                        const google::type::Date* date,
                                        bool required);

// `value` is one of `type`'s values; UNSPECIFIED (0) only when not required.
void CheckEnum(errors::FieldViolations& v, absl::string_view field,
               const google::protobuf::EnumDescriptor* type, int value,
               bool required);

// `name` is empty or "{collection}/{valid id}".
void CheckOptionalName(errors::FieldViolations& v, absl::string_view field,
                       absl::string_view name, absl::string_view collection);

// At most `max` entries in a repeated field.
void CheckCount(errors::FieldViolations& v, absl::string_view field, int count,
                int max);

// Brings a postal address at `field` to its stored form (trimmed lines and
// town, upper-case postcode) and checks it: at most 3 lines of 1–100
// characters, a town of up to 100, and a UK postcode when there is one.
void NormalizeAndCheckPostalAddress(errors::FieldViolations& v,
                                    absl::string_view field,
                                    v1::PostalAddress& address);

}  // namespace careers::checks

#endif  // CAREERS_SERVER_DOMAIN_FIELD_CHECKS_H_
