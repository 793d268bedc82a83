#include "clients/cli/import_support.h"

#include <openssl/sha.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli/output.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace careers::cli {
namespace {

constexpr size_t kProgressWidth = 30;

// SHA-256 of `data`: 32 raw bytes.
std::string Sha256(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

// `message` serialized with map entries in key order, so the same message
// always gives the same bytes.
std::string DeterministicBytes(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&out);
  }
  return bytes;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ReadImportHeader(
    const std::vector<CsvRecord>& records,
    const std::vector<std::string>& known) {
  if (records.empty()) {
    return absl::InvalidArgumentError(
        "the file is empty: it needs a header row naming the columns");
  }
  std::vector<std::string> columns;
  for (const std::string& field : records.front().fields) {
    std::string column =
        absl::AsciiStrToLower(std::string(absl::StripAsciiWhitespace(field)));
    if (std::find(known.begin(), known.end(), column) == known.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line 1: unknown column \"", column,
                       "\"; the columns are ", absl::StrJoin(known, ", ")));
    }
    if (std::find(columns.begin(), columns.end(), column) != columns.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("line 1: column \"", column, "\" appears twice"));
    }
    columns.push_back(std::move(column));
  }
  return columns;
}

std::string RowRequestId(absl::string_view purpose,
                         const google::protobuf::Message& request) {
  const std::string digest =
      Sha256(absl::StrCat(purpose, "\n", DeterministicBytes(request)));
  unsigned char b[16];
  std::copy(digest.begin(), digest.begin() + 16, b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x80);  // version 8
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC variant
  std::string hex;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
    absl::StrAppend(&hex, absl::Hex(b[i], absl::kZeroPad2));
  }
  return hex;
}

ImportProgress::ImportProgress(std::ostream& err, bool enabled, size_t total,
                               size_t every)
    : err_(err),
      enabled_(enabled),
      total_(total),
      every_(std::max<size_t>(every, 1)) {}

void ImportProgress::Start(size_t done) { Draw(done); }

void ImportProgress::Update(size_t done) {
  if (done >= drawn_ + every_ || done == total_) Draw(done);
}

void ImportProgress::Finish() {
  if (enabled_) err_ << "\n";
}

void ImportProgress::Draw(size_t done) {
  drawn_ = done;
  if (!enabled_) return;
  const size_t filled =
      total_ == 0 ? kProgressWidth : done * kProgressWidth / total_;
  err_ << "\r[" << std::string(filled, '#')
       << std::string(kProgressWidth - filled, '.') << "] " << done << "/"
       << total_ << " rows" << std::flush;
}

google::protobuf::Struct ImportSummaryJson(const ImportSummary& summary) {
  google::protobuf::Struct json;
  auto& fields = *json.mutable_fields();
  for (const ImportCount& c : summary.counts) {
    fields[c.json_key].set_number_value(static_cast<double>(c.count));
  }
  auto& list = *fields[summary.rows_key].mutable_list_value();
  for (const ImportRowProblem& row : summary.rows) {
    auto& item = *list.add_values()->mutable_struct_value()->mutable_fields();
    item["line"].set_number_value(row.line);
    if (summary.subject_key != nullptr && !row.subject.empty()) {
      item[summary.subject_key].set_string_value(row.subject);
    }
    item["reason"].set_string_value(row.reason);
    if (summary.row_details) {
      auto& details = *item["details"].mutable_list_value();
      for (const std::string& d : row.details) {
        details.add_values()->set_string_value(d);
      }
    }
  }
  return json;
}

void PrintImportSummaryText(const ImportSummary& summary, std::ostream& out) {
  std::vector<std::vector<std::string>> table;
  for (const ImportCount& c : summary.counts) {
    table.push_back({c.label, absl::StrCat(c.count)});
  }
  PrintTable(table, out);
  for (const ImportRowProblem& row : summary.rows) {
    out << "line " << row.line;
    if (!row.subject.empty()) out << " (" << row.subject << ")";
    out << ": " << row.reason << "\n";
    for (const std::string& d : row.details) out << "  " << d << "\n";
  }
}

}  // namespace careers::cli
