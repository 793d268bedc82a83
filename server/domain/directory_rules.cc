#include "server/domain/directory_rules.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "server/common/utf8.h"
#include "server/domain/field_checks.h"
#include "server/domain/resource_names.h"

namespace careers::rules {
namespace {

using checks::CheckCount;
using checks::CheckEnum;
using checks::CheckOptionalName;
using checks::CheckText;
using checks::TextLimits;

constexpr TextLimits kDisplayName{1, 200};
constexpr TextLimits kRegion{0, 100};
constexpr TextLimits kSpecialism{1, 100};
constexpr int kMaxSpecialisms = 20;
constexpr size_t kMaxSubject = 255;
constexpr size_t kMaxUri = 2000;
constexpr size_t kMaxTimeZoneName = 64;
constexpr absl::string_view kLanguages[] = {"en", "cy", "gd"};

std::string Path(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

std::string Indexed(absl::string_view prefix, absl::string_view field, int i) {
  return absl::StrCat(Path(prefix, field), "[", i, "]");
}

void Trim(std::string* s) {
  const absl::string_view t = TrimAsciiWhitespace(*s);
  if (t.size() != s->size()) *s = std::string(t);
}

// `name` is "{collection}/{id}"; "is required" when empty.
void CheckRequiredName(errors::FieldViolations& v, absl::string_view field,
                       absl::string_view name, absl::string_view collection) {
  if (name.empty()) {
    v.Add(std::string(field), "is required");
  } else {
    CheckOptionalName(v, field, name, collection);
  }
}

// Drops the second and later copies of each value, keeping the order.
void RemoveRepeats(google::protobuf::RepeatedPtrField<std::string>& values) {
  std::set<std::string> seen;
  google::protobuf::RepeatedPtrField<std::string> kept;
  for (const std::string& value : values) {
    if (seen.insert(value).second) *kept.Add() = value;
  }
  if (kept.size() != values.size()) values.Swap(&kept);
}

void RemoveRepeats(google::protobuf::RepeatedField<int>& values) {
  std::set<int> seen;
  google::protobuf::RepeatedField<int> kept;
  for (int value : values) {
    if (seen.insert(value).second) kept.Add(value);
  }
  if (kept.size() != values.size()) values.Swap(&kept);
}

// Every entry is a known, non-zero value of `type`.
void CheckEnums(errors::FieldViolations& v, absl::string_view prefix,
                absl::string_view field,
                const google::protobuf::EnumDescriptor* type,
                const google::protobuf::RepeatedField<int>& values) {
  for (int i = 0; i < values.size(); ++i) {
    CheckEnum(v, Indexed(prefix, field, i), type, values.Get(i), true);
  }
}

bool IsTimeZoneNameChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         c == '-' || c == '+';
}

}  // namespace

bool IsKnownTimeZone(absl::string_view name) {
  // Only the IANA shape: letters first, then letters, digits, _ - + in parts
  // separated by single slashes ("America/Argentina/Buenos_Aires",
  // "Etc/GMT+1"). This keeps out what the loader would otherwise treat as a
  // file path ("/dev/stdin", "file:...", "../x") or a special name.
  if (name.empty() || name.size() > kMaxTimeZoneName ||
      !absl::ascii_isalpha(static_cast<unsigned char>(name.front())) ||
      name.back() == '/' || name == "localtime") {
    return false;
  }
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (c == '/') {
      if (name[i - 1] == '/') return false;
    } else if (!IsTimeZoneNameChar(c)) {
      return false;
    }
  }
  absl::TimeZone zone;
  return absl::LoadTimeZone(std::string(name), &zone);
}

void NormalizeAndCheckOrganisation(v1::Organisation& o,
                                   absl::string_view prefix,
                                   errors::FieldViolations& v) {
  Trim(o.mutable_display_name());
  CheckText(v, Path(prefix, "display_name"), o.display_name(), kDisplayName);
  CheckEnum(v, Path(prefix, "kind"), v1::Organisation::Kind_descriptor(),
            o.kind(), true);
  Trim(o.mutable_region());
  CheckText(v, Path(prefix, "region"), o.region(), kRegion);
  CheckOptionalName(v, Path(prefix, "parent"), o.parent(),
                    names::kOrganisations);
  Trim(o.mutable_website_uri());
  if (!o.website_uri().empty() && (o.website_uri().size() > kMaxUri ||
                                   !checks::IsValidHttpUrl(o.website_uri()))) {
    v.Add(Path(prefix, "website_uri"),
          absl::StrCat("must be an http:// or https:// address of at most ",
                       kMaxUri, " characters"));
  }
}

void NormalizeAndCheckAdviser(v1::Adviser& a, absl::string_view prefix,
                              errors::FieldViolations& v) {
  CheckRequiredName(v, Path(prefix, "organisation"), a.organisation(),
                    names::kOrganisations);
  Trim(a.mutable_display_name());
  CheckText(v, Path(prefix, "display_name"), a.display_name(), kDisplayName);

  bool languages_ok = true;
  for (int i = 0; i < a.language_codes_size(); ++i) {
    std::string code =
        absl::AsciiStrToLower(TrimAsciiWhitespace(a.language_codes(i)));
    if (std::find(std::begin(kLanguages), std::end(kLanguages), code) ==
        std::end(kLanguages)) {
      v.Add(Indexed(prefix, "language_codes", i),
            "must be \"en\", \"cy\" or \"gd\"");
      languages_ok = false;
    } else {
      *a.mutable_language_codes(i) = std::move(code);
    }
  }
  if (languages_ok) RemoveRepeats(*a.mutable_language_codes());
  if (a.language_codes_size() == 0) {
    v.Add(Path(prefix, "language_codes"),
          "must have at least one of \"en\", \"cy\" and \"gd\"");
  }

  CheckEnums(v, prefix, "channels", v1::Adviser::Channel_descriptor(),
             a.channels());
  RemoveRepeats(*a.mutable_channels());

  CheckCount(v, Path(prefix, "specialisms"), a.specialisms_size(),
             kMaxSpecialisms);
  for (int i = 0; i < a.specialisms_size(); ++i) {
    Trim(a.mutable_specialisms(i));
    CheckText(v, Indexed(prefix, "specialisms", i), a.specialisms(i),
              kSpecialism);
  }
  RemoveRepeats(*a.mutable_specialisms());

  if (!a.has_active()) a.set_active(true);

  Trim(a.mutable_email());
  if (!a.email().empty() && !checks::IsValidEmail(a.email())) {
    v.Add(Path(prefix, "email"),
          "is not a valid email address of at most 254 characters");
  }

  Trim(a.mutable_subject());
  const std::string& subject = a.subject();
  if (subject.size() > kMaxSubject ||
      !std::all_of(subject.begin(), subject.end(),
                   [](char c) { return c > ' ' && c <= '~'; })) {
    v.Add(Path(prefix, "subject"),
          absl::StrCat("must be at most ", kMaxSubject,
                       " printable ASCII characters without spaces"));
  }
}

void NormalizeAndCheckLocation(v1::Location& l, absl::string_view prefix,
                               errors::FieldViolations& v) {
  CheckRequiredName(v, Path(prefix, "organisation"), l.organisation(),
                    names::kOrganisations);
  Trim(l.mutable_display_name());
  CheckText(v, Path(prefix, "display_name"), l.display_name(), kDisplayName);
  CheckEnum(v, Path(prefix, "kind"), v1::Location::Kind_descriptor(), l.kind(),
            true);
  if (l.has_address()) {
    checks::NormalizeAndCheckPostalAddress(v, Path(prefix, "address"),
                                           *l.mutable_address());
  }
  if (l.kind() != v1::Location::VIRTUAL && l.address().postcode().empty()) {
    v.Add(Path(prefix, "address.postcode"),
          "is required unless the location is VIRTUAL");
  }

  Trim(l.mutable_time_zone());
  if (l.time_zone().empty()) l.set_time_zone(std::string(kDefaultTimeZone));
  if (!IsKnownTimeZone(l.time_zone())) {
    v.Add(Path(prefix, "time_zone"),
          "is not a known IANA time zone name (such as Europe/London)");
  }

  CheckEnums(v, prefix, "accessibility",
             v1::Location::AccessibilityFeature_descriptor(),
             l.accessibility());
  RemoveRepeats(*l.mutable_accessibility());
}

absl::Status CheckParent(absl::string_view id, const std::string& parent_id,
                         ParentOf parent_of, absl::string_view field,
                         errors::FieldViolations& v) {
  if (parent_id.empty()) return absl::OkStatus();
  const std::string parent_name = names::Name(names::kOrganisations, parent_id);
  if (parent_id == id) {
    v.Add(std::string(field), "an organisation cannot be its own parent");
    return absl::OkStatus();
  }
  std::string current = parent_id;
  int above = 1;  // organisations above `id`: the parent so far
  while (true) {
    absl::StatusOr<std::optional<std::string>> up = parent_of(current);
    if (!up.ok()) return up.status();
    if (!up->has_value()) {
      v.Add(std::string(field),
            current == parent_id
                ? absl::StrCat(parent_name, " does not exist")
                : absl::StrCat(names::Name(names::kOrganisations, current),
                               ", above ", parent_name, ", does not exist"));
      return absl::OkStatus();
    }
    if ((*up)->empty()) return absl::OkStatus();
    if (**up == id) {
      v.Add(std::string(field),
            absl::StrCat(
                "would make a cycle: ", names::Name(names::kOrganisations, id),
                " is already above ", parent_name));
      return absl::OkStatus();
    }
    if (++above > kMaxParentChain) {
      v.Add(std::string(field),
            absl::StrCat("would put more than ", kMaxParentChain,
                         " organisations above this one"));
      return absl::OkStatus();
    }
    current = **up;
  }
}

bool MaySeeAdviserContact(const auth::Principal& caller,
                          const v1::Adviser& adviser) {
  if (caller.role == auth::Role::kAdmin) return true;
  if (!caller.subject.empty() && caller.subject == adviser.subject()) {
    return true;
  }
  const bool staff = caller.role == auth::Role::kAdviser ||
                     caller.role == auth::Role::kOrgAdmin;
  return staff && !caller.organisation.empty() &&
         caller.organisation == adviser.organisation();
}

void RedactAdviser(const auth::Principal& caller, v1::Adviser& adviser) {
  if (MaySeeAdviserContact(caller, adviser)) return;
  adviser.clear_email();
  adviser.clear_subject();
}

}  // namespace careers::rules
