#ifndef CAREERS_SERVER_DOMAIN_DIRECTORY_RULES_H_
#define CAREERS_SERVER_DOMAIN_DIRECTORY_RULES_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "careers/v1/directory_service.pb.h"
#include "server/auth/principal.h"
#include "server/domain/errors.h"

// What makes an organisation, adviser or location valid, the normal form
// they are stored in, and who may see an adviser's contact details. Pure
// functions: no I/O (parents are looked up through the function passed in).
namespace careers::rules {

// At most this many organisations above any organisation.
inline constexpr int kMaxParentChain = 10;
inline constexpr absl::string_view kDefaultTimeZone = "Europe/London";

// Each brings a resource to its stored form (trimmed text, lower-case
// language codes, upper-case postcode, no repeated values, defaults for
// `active` and `time_zone`) and adds every rule it breaks to `v`, with
// field paths under `prefix` ("adviser"). Output-only fields are not looked
// at, nor whether referenced organisations exist.
void NormalizeAndCheckOrganisation(v1::Organisation& organisation,
                                   absl::string_view prefix,
                                   errors::FieldViolations& v);
void NormalizeAndCheckAdviser(v1::Adviser& adviser, absl::string_view prefix,
                              errors::FieldViolations& v);
void NormalizeAndCheckLocation(v1::Location& location, absl::string_view prefix,
                               errors::FieldViolations& v);

// True if `name` is an IANA time zone the server's time zone database has
// ("Europe/London", "UTC"). Names that are not of the IANA form (paths,
// "localtime", "Fixed/...") are refused before anything is loaded.
bool IsKnownTimeZone(absl::string_view name);

// The parent id of an organisation: "" when it has none, nullopt when there
// is no such organisation.
using ParentOf = absl::FunctionRef<absl::StatusOr<std::optional<std::string>>(
    const std::string& id)>;

// The parent rule for organisation `id` getting parent `parent_id` (ids,
// "" for none): the parent exists, the organisation is not its own
// ancestor, and at most kMaxParentChain organisations are above it. Breaks
// go to `v` under `field`; the status is a lookup's error.
absl::Status CheckParent(absl::string_view id, const std::string& parent_id,
                         ParentOf parent_of, absl::string_view field,
                         errors::FieldViolations& v);

// Whether `caller` may see an adviser's email and subject: the adviser
// themself (same subject), an adviser or organisation administrator of the
// adviser's organisation, or an administrator.
bool MaySeeAdviserContact(const auth::Principal& caller,
                          const v1::Adviser& adviser);

// Clears email and subject unless MaySeeAdviserContact.
void RedactAdviser(const auth::Principal& caller, v1::Adviser& adviser);

}  // namespace careers::rules

#endif  // CAREERS_SERVER_DOMAIN_DIRECTORY_RULES_H_
