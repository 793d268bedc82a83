#include "clients/cli/esco_import.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "clients/cli/csv.h"
#include "clients/cli/errors.h"
#include "clients/cli/import_support.h"
#include "clients/cli/output.h"
#include "clients/cli/standard_commands.h"
#include "google/protobuf/struct.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace careers::cli {
namespace {

using Stub = v1::SkillsService::StubInterface;
using v1::Skill;

constexpr int kRequiredColumns = 2;  // the first of kEscoColumns
constexpr size_t kMaxLabelChars = 300;
constexpr int kMaxAlternativeLabels = 50;
constexpr size_t kMaxGroupChars = 200;
constexpr size_t kMaxDescriptionChars = 4000;
constexpr size_t kMaxCodeChars = 300;
// Times a batch is sent again without the rows the server refused.
constexpr int kMaxResends = 3;

size_t Utf8Chars(absl::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// One line of text: runs of white space (line breaks and tabs too) become
// one space, other control characters go, and the ends are trimmed.
std::string OneLine(absl::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (absl::ascii_isspace(byte)) {
      space = !out.empty();
      continue;
    }
    if (byte < 0x20 || byte == 0x7F) continue;
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// Multi-line text: CRLF and CR become LF, control characters but LF and
// tab go, and the ends are trimmed.
std::string Paragraphs(absl::string_view s) {
  std::string text = absl::StrReplaceAll(s, {{"\r\n", "\n"}, {"\r", "\n"}});
  text.erase(std::remove_if(text.begin(), text.end(),
                            [](char c) {
                              const auto byte = static_cast<unsigned char>(c);
                              return (byte < 0x20 && c != '\n' && c != '\t') ||
                                     byte == 0x7F;
                            }),
             text.end());
  return std::string(absl::StripAsciiWhitespace(text));
}

bool IsUuid(absl::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen ? s[i] != '-' : !absl::ascii_isxdigit(s[i])) return false;
  }
  return true;
}

// Fills `row` from a record whose fields line up with `columns` (the
// index of each of kEscoColumns, -1 when missing).
void ReadRow(const std::vector<int>& columns,
             const std::vector<std::string>& fields, EscoRow& row) {
  auto cell = [&](int column) -> absl::string_view {
    const int index = columns[column];
    return index < 0 ? absl::string_view() : absl::string_view(fields[index]);
  };
  Skill& skill = row.skill;
  const std::string uri(absl::StripAsciiWhitespace(cell(0)));
  const absl::string_view uuid =
      absl::string_view(uri).substr(uri.rfind('/') + 1);
  if (uri.empty()) {
    row.error = "conceptUri is empty";
    return;
  }
  if (!IsUuid(uuid) || uri.size() > kMaxCodeChars) {
    row.error = absl::StrCat("conceptUri \"", uri,
                             "\" does not end in a concept's UUID");
    return;
  }
  skill.set_name(absl::StrCat("skills/esco-", absl::AsciiStrToLower(uuid)));
  skill.set_framework(Skill::ESCO);
  skill.set_code(uri);

  const std::string label = OneLine(cell(1));
  if (label.empty()) {
    row.error = "preferredLabel is empty";
    return;
  }
  if (Utf8Chars(label) > kMaxLabelChars) {
    row.error = absl::StrCat("preferredLabel is longer than ", kMaxLabelChars,
                             " characters");
    return;
  }
  Skill::Label& english = *skill.add_labels();
  english.set_language_code("en");
  english.set_text(label);

  std::set<std::string> seen;
  for (absl::string_view line :
       absl::StrSplit(cell(2), absl::ByAnyChar("\r\n"))) {
    std::string alt = OneLine(line);
    if (alt.empty() || Utf8Chars(alt) > kMaxLabelChars) continue;
    if (skill.alternative_labels_size() == kMaxAlternativeLabels) break;
    if (seen.insert(alt).second) skill.add_alternative_labels(std::move(alt));
  }
  skill.set_group(TruncateUtf8(OneLine(cell(3)), kMaxGroupChars));
  skill.set_description(
      TruncateUtf8(Paragraphs(cell(4)), kMaxDescriptionChars));
}

// What the import did so far.
struct Tally {
  int created = 0;
  int updated = 0;
  int unchanged = 0;
  int failed = 0;  // rows of batches that could not be imported
  struct Skipped {
    int line;
    std::string reason;
  };
  std::vector<Skipped> skipped;
  std::string failure;  // the batch error that stopped the import
  std::vector<std::string> failure_details;
};

// The indexes of skills[i] the server's field violations name, with what
// it said about each.
std::map<int, std::string> RefusedSkills(const grpc::Status& status) {
  std::map<int, std::string> refused;
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return refused;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest bad;
    if (!any.UnpackTo(&bad)) continue;
    for (const auto& v : bad.field_violations()) {
      absl::string_view field = v.field();
      if (!absl::ConsumePrefix(&field, "skills[")) continue;
      const size_t close = field.find(']');
      int index = 0;
      if (close == absl::string_view::npos ||
          !absl::SimpleAtoi(field.substr(0, close), &index)) {
        continue;
      }
      std::string& reason = refused[index];
      if (!reason.empty()) reason += "; ";
      absl::StrAppend(&reason, v.field(), ": ", v.description());
    }
  }
  return refused;
}

// Imports one batch; rows the server refuses are skipped and the rest sent
// again. False if the batch failed.
bool ImportBatch(CommandEnv& env, std::vector<const EscoRow*> rows,
                 Tally& tally) {
  for (int attempt = 0; !rows.empty(); ++attempt) {
    v1::ImportSkillsRequest request;
    for (const EscoRow* row : rows) *request.add_skills() = row->skill;
    v1::ImportSkillsResponse response;
    const grpc::Status status = Call(env, &Stub::ImportSkills, request,
                                     Retry::kOnUnavailable, response);
    if (status.ok()) {
      tally.created += response.created_count();
      tally.updated += response.updated_count();
      tally.unchanged += response.unchanged_count();
      return true;
    }
    const std::map<int, std::string> refused =
        status.error_code() == grpc::StatusCode::INVALID_ARGUMENT
            ? RefusedSkills(status)
            : std::map<int, std::string>();
    if (refused.empty() || attempt == kMaxResends) {
      tally.failed += static_cast<int>(rows.size());
      tally.failure = absl::StrCat(StatusCodeName(status.error_code()), ": ",
                                   status.error_message());
      tally.failure_details = RpcErrorDetails(status);
      return false;
    }
    std::vector<const EscoRow*> rest;
    for (size_t i = 0; i < rows.size(); ++i) {
      auto it = refused.find(static_cast<int>(i));
      if (it == refused.end()) {
        rest.push_back(rows[i]);
      } else {
        tally.skipped.push_back(
            {rows[i]->line,
             absl::StrCat("refused by the server: ", it->second)});
      }
    }
    rows = std::move(rest);
  }
  return true;
}

void PrintSummary(CommandEnv& env, Tally& tally) {
  std::sort(tally.skipped.begin(), tally.skipped.end(),
            [](const Tally::Skipped& a, const Tally::Skipped& b) {
              return a.line < b.line;
            });
  ImportSummary summary;
  summary.counts = {
      {"created", "created", tally.created},
      {"updated", "updated", tally.updated},
      {"unchanged", "unchanged", tally.unchanged},
      {"skipped", "skipped", static_cast<int64_t>(tally.skipped.size())},
      {"failed", "failed", tally.failed}};
  summary.rows_key = "skippedRows";
  summary.row_details = false;
  for (const Tally::Skipped& s : tally.skipped) {
    summary.rows.push_back({s.line, "", s.reason, {}});
  }
  if (env.output == OutputFormat::kJson) {
    google::protobuf::Struct json = ImportSummaryJson(summary);
    if (!tally.failure.empty()) {
      (*json.mutable_fields())["error"].set_string_value(tally.failure);
    }
    PrintJson(json, env.out);
    return;
  }
  PrintImportSummaryText(summary, env.out);
  if (!tally.failure.empty()) {
    env.out << "stopped: " << tally.failure << "\n";
    for (const std::string& d : tally.failure_details) {
      env.out << "  " << d << "\n";
    }
  }
}

}  // namespace

std::string TruncateUtf8(absl::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return std::string(text.substr(0, i));
      ++chars;
    }
  }
  return std::string(text);
}

absl::StatusOr<std::vector<EscoRow>> ParseEscoCsv(absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError(
        "the file is empty: it needs ESCO's header row (conceptType, "
        "conceptUri, skillType, ..., preferredLabel, altLabels, ...)");
  }
  const std::vector<std::string>& header = records->front().fields;
  std::vector<int> columns;
  for (const char* wanted : kEscoColumns) {
    int found = -1;
    for (size_t i = 0; i < header.size(); ++i) {
      if (absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(header[i]),
                                 wanted)) {
        found = static_cast<int>(i);
        break;
      }
    }
    columns.push_back(found);
  }
  for (int i = 0; i < kRequiredColumns; ++i) {
    if (columns[i] < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("line 1: the header has no ", kEscoColumns[i],
                       " column; is this ESCO's skills CSV?"));
    }
  }
  std::vector<EscoRow> rows;
  std::map<std::string, int> lines;  // skill name → first line
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    EscoRow row;
    row.line = record.line;
    if (record.fields.size() != header.size()) {
      row.error = absl::StrCat("has ", record.fields.size(),
                               " fields; the header has ", header.size());
    } else {
      ReadRow(columns, record.fields, row);
    }
    if (row.error.empty()) {
      auto [it, inserted] = lines.emplace(row.skill.name(), row.line);
      if (!inserted) {
        row.error = absl::StrCat("repeats the concept of line ", it->second);
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

int RunEscoImport(CommandEnv& env, const std::string& path, int batch_size) {
  absl::StatusOr<std::vector<EscoRow>> rows =
      ReadImportFile(path, ParseEscoCsv);
  if (!rows.ok()) {
    return UsageError(std::string(rows.status().message()), env.err);
  }
  Tally tally;
  std::vector<const EscoRow*> importable;
  for (const EscoRow& row : *rows) {
    if (row.error.empty()) {
      importable.push_back(&row);
    } else {
      tally.skipped.push_back({row.line, row.error});
    }
  }
  ImportProgress progress(env.err, env.err_is_terminal, rows->size());
  size_t done = rows->size() - importable.size();
  progress.Start(done);
  bool ok = true;
  for (size_t begin = 0; begin < importable.size() && ok;
       begin += static_cast<size_t>(batch_size)) {
    const size_t end =
        std::min(importable.size(), begin + static_cast<size_t>(batch_size));
    ok = ImportBatch(env,
                     std::vector<const EscoRow*>(importable.begin() + begin,
                                                 importable.begin() + end),
                     tally);
    done += end - begin;
    progress.Update(done);
  }
  progress.Finish();
  PrintSummary(env, tally);
  return ok ? kExitOk : kExitRpcFailed;
}

}  // namespace careers::cli
