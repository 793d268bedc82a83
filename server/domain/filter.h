#ifndef CAREERS_SERVER_DOMAIN_FILTER_H_
#define CAREERS_SERVER_DOMAIN_FILTER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace careers {

// One `field = value` comparison of a filter.
struct FilterTerm {
  std::string field;
  std::string value;    // unescaped
  bool quoted = false;  // "value" rather than a bare word such as SCHOOL
};

// Parses the subset of AIP-160 that list methods accept: comparisons
// `field = value` joined by AND, where value is a "double-quoted string"
// (with \" and \\ escapes) or a bare word; each field at most once and only
// fields in `allowed`. Errors are INVALID_ARGUMENT naming `filter`.
absl::StatusOr<std::vector<FilterTerm>> ParseFilter(
    absl::string_view filter, const std::vector<absl::string_view>& allowed);

}  // namespace careers

#endif  // CAREERS_SERVER_DOMAIN_FILTER_H_
