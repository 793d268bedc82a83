#include "server/domain/resource_names.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "server/domain/errors.h"

namespace careers::names {
namespace {

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

absl::Status BadName(absl::string_view field, absl::string_view pattern) {
  return errors::InvalidField(
      std::string(field),
      absl::StrCat("must be a resource name of the form ", pattern));
}

}  // namespace

bool IsValidId(absl::string_view id) {
  if (id.empty() || id.size() > 63 || id.front() == '-') return false;
  for (char c : id) {
    if (!IsIdChar(c)) return false;
  }
  return true;
}

bool IsValidClientChosenId(absl::string_view id) {
  return IsValidId(id) && id.front() >= 'a' && id.front() <= 'z' &&
         id.back() != '-';
}

absl::StatusOr<std::string> ParseName(absl::string_view field,
                                      absl::string_view name,
                                      absl::string_view collection) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (name.empty()) {
    return errors::InvalidField(std::string(field), "is required");
  }
  if (parts.size() != 2 || parts[0] != collection || !IsValidId(parts[1])) {
    return BadName(field, absl::StrCat(collection, "/{id}"));
  }
  return std::string(parts[1]);
}

absl::StatusOr<ChildId> ParseChildName(absl::string_view field,
                                       absl::string_view name,
                                       absl::string_view parent_collection,
                                       absl::string_view collection) {
  if (name.empty()) {
    return errors::InvalidField(std::string(field), "is required");
  }
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != parent_collection ||
      !IsValidId(parts[1]) || parts[2] != collection || !IsValidId(parts[3])) {
    return BadName(
        field, absl::StrCat(parent_collection, "/{id}/", collection, "/{id}"));
  }
  return ChildId{std::string(parts[1]), std::string(parts[3])};
}

std::string Name(absl::string_view collection, absl::string_view id) {
  return absl::StrCat(collection, "/", id);
}

std::string ProfileIdOf(absl::string_view name) {
  if (!absl::ConsumePrefix(&name, "profiles/")) return "";
  return std::string(name.substr(0, name.find('/')));
}

std::string ChildName(absl::string_view parent_collection,
                      absl::string_view parent_id, absl::string_view collection,
                      absl::string_view id) {
  return absl::StrCat(parent_collection, "/", parent_id, "/", collection, "/",
                      id);
}

std::string SlotName(absl::string_view adviser_name, absl::Time start) {
  return absl::StrCat(
      adviser_name, "/", kSlots, "/",
      absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", start, absl::UTCTimeZone()));
}

}  // namespace careers::names
