#include "server/domain/filter.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/domain/errors.h"

namespace careers {
namespace {

constexpr size_t kMaxFilterLength = 2000;

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<FilterTerm>> Parse(
      const std::vector<absl::string_view>& allowed) {
    std::vector<FilterTerm> terms;
    SkipSpace();
    if (AtEnd()) return terms;
    while (true) {
      FilterTerm term;
      term.field = Word();
      if (term.field.empty()) return Error("expected a field name");
      if (std::find(allowed.begin(), allowed.end(), term.field) ==
          allowed.end()) {
        return Error(absl::StrCat("cannot filter on \"", term.field,
                                  "\"; filterable fields are ",
                                  absl::StrJoin(allowed, ", ")));
      }
      for (const FilterTerm& t : terms) {
        if (t.field == term.field) {
          return Error(
              absl::StrCat("\"", term.field, "\" appears more than once"));
        }
      }
      SkipSpace();
      if (!Consume('=')) {
        return Error(absl::StrCat(
            "expected = after \"", term.field,
            "\" (only = comparisons joined by AND are supported)"));
      }
      SkipSpace();
      if (Peek() == '"') {
        auto value = QuotedString();
        if (!value.ok()) return value.status();
        term.value = *std::move(value);
        term.quoted = true;
      } else {
        term.value = Word();
        if (term.value.empty()) {
          return Error(
              absl::StrCat("expected a value for \"", term.field, "\""));
        }
      }
      terms.push_back(std::move(term));
      SkipSpace();
      if (AtEnd()) return terms;
      if (Word() != "AND") {
        return Error(
            "expected AND between comparisons (OR, NOT and brackets are not "
            "supported)");
      }
      SkipSpace();
    }
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void SkipSpace() {
    while (!AtEnd() &&
           absl::ascii_isspace(static_cast<unsigned char>(text_[pos_])))
      ++pos_;
  }
  // [A-Za-z0-9_.-]+
  std::string Word() {
    const size_t start = pos_;
    while (!AtEnd()) {
      const char c = text_[pos_];
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' &&
          c != '.' && c != '-') {
        break;
      }
      ++pos_;
    }
    return std::string(text_.substr(start, pos_ - start));
  }
  absl::StatusOr<std::string> QuotedString() {
    ++pos_;  // opening quote
    std::string out;
    while (!AtEnd()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (AtEnd()) break;
        const char escaped = text_[pos_++];
        if (escaped != '"' && escaped != '\\') {
          return Error("only \\\" and \\\\ escapes are allowed in strings");
        }
        out.push_back(escaped);
      } else {
        out.push_back(c);
      }
    }
    return Error("a string is not closed with \"");
  }
  absl::Status Error(absl::string_view what) const {
    return errors::InvalidField(
        "filter", absl::StrCat(what, " (at character ", pos_ + 1, ")"));
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<FilterTerm>> ParseFilter(
    absl::string_view filter, const std::vector<absl::string_view>& allowed) {
  if (filter.size() > kMaxFilterLength) {
    return errors::InvalidField(
        "filter",
        absl::StrCat("must be at most ", kMaxFilterLength, " characters"));
  }
  return Parser(filter).Parse(allowed);
}

}  // namespace careers
