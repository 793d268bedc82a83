#include "server/domain/field_checks.h"

#include <cctype>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/proto_time.h"
#include "server/common/utf8.h"
#include "server/domain/resource_names.h"

namespace careers::checks {
namespace {

bool IsAsciiAlnum(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c));
}

bool IsDnsLabel(absl::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' ||
      label.back() == '-') {
    return false;
  }
  for (char c : label) {
    if (!IsAsciiAlnum(c) && c != '-') return false;
  }
  return true;
}

}  // namespace

void CheckText(errors::FieldViolations& v, absl::string_view field,
               absl::string_view value, TextLimits limits) {
  const std::optional<size_t> length = Utf8Length(value);
  if (!length) {
    v.Add(std::string(field), "must be valid UTF-8");
    return;
  }
  if (HasControlCharacters(value, limits.multiline)) {
    v.Add(std::string(field),
          limits.multiline ? "must not contain control characters"
                           : "must be one line without control characters");
    return;
  }
  if (TrimAsciiWhitespace(value).empty()) {
    if (limits.min_chars > 0) v.Add(std::string(field), "must not be empty");
    return;
  }
  if (*length < limits.min_chars) {
    v.Add(std::string(field),
          absl::StrCat("must be at least ", limits.min_chars, " characters"));
  } else if (*length > limits.max_chars) {
    v.Add(std::string(field),
          absl::StrCat("must be at most ", limits.max_chars,
                       " characters (it has ", *length, ")"));
  }
}

bool IsValidEmail(absl::string_view email) {
  if (email.size() > 254) return false;
  const size_t at = email.rfind('@');
  if (at == absl::string_view::npos || at == 0) return false;
  const absl::string_view local = email.substr(0, at);
  const absl::string_view domain = email.substr(at + 1);
  if (local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      absl::StrContains(local, "..")) {
    return false;
  }
  static constexpr absl::string_view kLocalSpecials = "!#$%&'*+/=?^_`{|}~.-";
  for (char c : local) {
    if (!IsAsciiAlnum(c) && kLocalSpecials.find(c) == absl::string_view::npos) {
      return false;
    }
  }
  std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (!IsDnsLabel(label)) return false;
  }
  const absl::string_view tld = labels.back();
  if (tld.size() < 2) return false;
  for (char c : tld) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::optional<std::string> NormalizeUkPhone(absl::string_view phone) {
  std::string s(TrimAsciiWhitespace(phone));
  // "+44 (0)20 ..." carries a national trunk 0 that must go.
  if (const size_t pos = s.find("(0)"); pos != std::string::npos) {
    s.erase(pos, 3);
  }
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+' && i == 0) {
      plus = true;
    } else if (absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      return std::nullopt;
    }
  }
  std::string national;  // the number without the trunk 0 or +44
  if (plus) {
    if (!absl::StartsWith(digits, "44")) return std::nullopt;
    national = digits.substr(2);
  } else if (absl::StartsWith(digits, "0044")) {
    national = digits.substr(4);
  } else if (absl::StartsWith(digits, "0")) {
    national = digits.substr(1);
  } else {
    return std::nullopt;
  }
  // UK national significant numbers have 9 or 10 digits and never start 0.
  if (national.size() < 9 || national.size() > 10 || national[0] == '0') {
    return std::nullopt;
  }
  return absl::StrCat("+44", national);
}

std::optional<std::string> NormalizeUkPostcode(absl::string_view postcode) {
  std::string s;
  for (char c : postcode) {
    if (c == ' ') continue;
    if (!IsAsciiAlnum(c)) return std::nullopt;
    s.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  if (s == "GIR0AA") return std::string("GIR 0AA");
  if (s.size() < 5 || s.size() > 7) return std::nullopt;
  const std::string inward = s.substr(s.size() - 3);
  const std::string outward = s.substr(0, s.size() - 3);
  auto alpha = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (!digit(inward[0]) || !alpha(inward[1]) || !alpha(inward[2])) {
    return std::nullopt;
  }
  // Outward code shapes: A9, A99, AA9, AA99, A9A, AA9A.
  std::string shape;
  for (char c : outward) shape.push_back(alpha(c) ? 'A' : '9');
  if (shape != "A9" && shape != "A99" && shape != "AA9" && shape != "AA99" &&
      shape != "A9A" && shape != "AA9A") {
    return std::nullopt;
  }
  return absl::StrCat(outward, " ", inward);
}

bool IsValidHttpUrl(absl::string_view url) {
  absl::string_view rest;
  if (absl::StartsWith(url, "https://")) {
    rest = url.substr(8);
  } else if (absl::StartsWith(url, "http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/' || !Utf8Length(url) ||
      HasControlCharacters(url, false)) {
    return false;
  }
  for (char c : url) {
    if (c == ' ' || c == '<' || c == '>' || c == '"') return false;
  }
  return true;
}

std::optional<absl::CivilDay> CheckDate(errors::FieldViolations& v,
                                        absl::string_view field,
                                        const google::type::Date* date,
                                        bool required) {
  if (date == nullptr) {
    if (required) v.Add(std::string(field), "is required");
    return std::nullopt;
  }
  const std::optional<absl::CivilDay> day = ToCivilDay(*date);
  if (!day) {
    v.Add(std::string(field),
          absl::StrCat("is not a real calendar date (", date->year(), "-",
                       date->month(), "-", date->day(), ")"));
    return std::nullopt;
  }
  if (day->year() < 1900 || day->year() > 2200) {
    v.Add(std::string(field), "must be between the years 1900 and 2200");
    return std::nullopt;
  }
  return day;
}

void CheckEnum(errors::FieldViolations& v, absl::string_view field,
               const google::protobuf::EnumDescriptor* type, int value,
               bool required) {
  if (value == 0) {
    if (required) v.Add(std::string(field), "is required");
    return;
  }
  if (type->FindValueByNumber(value) == nullptr) {
    v.Add(std::string(field), absl::StrCat("has no value ", value, " (see ",
                                           type->full_name(), ")"));
  }
}

void CheckOptionalName(errors::FieldViolations& v, absl::string_view field,
                       absl::string_view name, absl::string_view collection) {
  if (name.empty()) return;
  if (!names::ParseName(field, name, collection).ok()) {
    v.Add(std::string(field),
          absl::StrCat("must be a resource name of the form ", collection,
                       "/{id}"));
  }
}

void CheckCount(errors::FieldViolations& v, absl::string_view field, int count,
                int max) {
  if (count > max) {
    v.Add(std::string(field), absl::StrCat("must have at most ", max,
                                           " entries (it has ", count, ")"));
  }
}

void NormalizeAndCheckPostalAddress(errors::FieldViolations& v,
                                    absl::string_view field,
                                    v1::PostalAddress& address) {
  auto trim = [](std::string* s) {
    const absl::string_view t = TrimAsciiWhitespace(*s);
    if (t.size() != s->size()) *s = std::string(t);
  };
  CheckCount(v, absl::StrCat(field, ".lines"), address.lines_size(), 3);
  for (int i = 0; i < address.lines_size(); ++i) {
    trim(address.mutable_lines(i));
    CheckText(v, absl::StrCat(field, ".lines[", i, "]"), address.lines(i),
              {1, 100});
  }
  trim(address.mutable_town());
  CheckText(v, absl::StrCat(field, ".town"), address.town(), {0, 100});
  if (!address.postcode().empty()) {
    if (auto postcode = NormalizeUkPostcode(address.postcode())) {
      address.set_postcode(*postcode);
    } else {
      v.Add(absl::StrCat(field, ".postcode"),
            "is not a UK postcode (e.g. EH1 1YZ)");
    }
  }
}

}  // namespace careers::checks
