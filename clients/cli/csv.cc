#include "clients/cli/csv.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace careers::cli {
namespace {

// Reads one record at a time; tracks the line number across line breaks,
// quoted ones included.
class CsvReader {
 public:
  explicit CsvReader(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::vector<CsvRecord>> ReadAll() {
    absl::ConsumePrefix(&text_, "\xEF\xBB\xBF");  // UTF-8 byte order mark
    std::vector<CsvRecord> records;
    while (pos_ < text_.size()) {
      CsvRecord record;
      record.line = line_;
      while (true) {
        absl::StatusOr<std::string> field = Field();
        if (!field.ok()) return field.status();
        record.fields.push_back(*std::move(field));
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        break;
      }
      ConsumeLineBreak();
      const bool empty_line =
          record.fields.size() == 1 && record.fields[0].empty();
      if (!empty_line) records.push_back(std::move(record));
    }
    return records;
  }

 private:
  bool AtLineBreak() const {
    return pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r');
  }

  // CRLF, LF or CR; nothing at the end of the text.
  void ConsumeLineBreak() {
    if (!AtLineBreak()) return;
    if (text_[pos_] == '\r' && pos_ + 1 < text_.size() &&
        text_[pos_ + 1] == '\n') {
      ++pos_;
    }
    ++pos_;
    ++line_;
  }

  absl::StatusOr<std::string> Field() {
    std::string field;
    if (pos_ < text_.size() && text_[pos_] == '"') {
      const int opened_on = line_;
      ++pos_;
      while (true) {
        if (pos_ >= text_.size()) {
          return absl::InvalidArgumentError(absl::StrCat(
              "line ", opened_on, ": a quoted field is never closed with \""));
        }
        const char c = text_[pos_];
        if (c == '"') {
          if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
            field.push_back('"');
            pos_ += 2;
            continue;
          }
          ++pos_;
          break;
        }
        if (c == '\n' || (c == '\r' && (pos_ + 1 >= text_.size() ||
                                        text_[pos_ + 1] != '\n'))) {
          ++line_;
        }
        field.push_back(c);
        ++pos_;
      }
      if (pos_ < text_.size() && text_[pos_] != ',' && !AtLineBreak()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", line_,
            ": only a comma or the end of the line may follow a closing \""));
      }
      return field;
    }
    while (pos_ < text_.size() && text_[pos_] != ',' && !AtLineBreak()) {
      if (text_[pos_] == '"') {
        return absl::InvalidArgumentError(absl::StrCat(
            "line ", line_,
            ": a \" inside a field that does not start with one (quote the "
            "whole field and write the quote twice: \"a \"\"b\"\" c\")"));
      }
      field.push_back(text_[pos_++]);
    }
    return field;
  }

  absl::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

absl::StatusOr<std::vector<CsvRecord>> ParseCsv(absl::string_view text) {
  return CsvReader(text).ReadAll();
}

}  // namespace careers::cli
