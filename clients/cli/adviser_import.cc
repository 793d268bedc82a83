#include "clients/cli/adviser_import.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "clients/cli/csv.h"
#include "clients/cli/errors.h"
#include "clients/cli/flags.h"
#include "clients/cli/import_support.h"
#include "clients/cli/output.h"
#include "clients/cli/standard_commands.h"

namespace careers::cli {
namespace {

using Stub = v1::DirectoryService::StubInterface;
using v1::Adviser;

constexpr int kRequiredColumns = 3;  // the first of kAdviserImportColumns

std::string Trimmed(absl::string_view s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

// The values of a list cell: separated by semicolons or line breaks,
// trimmed, without blanks or repeats.
std::vector<std::string> ListCell(absl::string_view cell) {
  std::vector<std::string> values;
  for (absl::string_view part :
       absl::StrSplit(cell, absl::ByAnyChar(";\r\n"))) {
    std::string value = Trimmed(part);
    if (!value.empty() &&
        std::find(values.begin(), values.end(), value) == values.end()) {
      values.push_back(std::move(value));
    }
  }
  return values;
}

// Fills `row` from a record whose fields line up with `columns`.
void ReadRow(const std::vector<std::string>& columns,
             const std::vector<std::string>& fields, AdviserRow& row) {
  std::map<std::string, std::string> cells;
  for (size_t i = 0; i < columns.size(); ++i) cells[columns[i]] = fields[i];
  auto given = [&](const std::string& column) -> const std::string* {
    auto it = cells.find(column);
    return it == cells.end() ? nullptr : &it->second;
  };
  std::vector<std::string> problems;
  Adviser& a = row.adviser;

  if (const std::string* id = given("adviser_id"))
    row.adviser_id = Trimmed(*id);
  std::string organisation = Trimmed(*given("organisation"));
  if (!organisation.empty() && !absl::StrContains(organisation, '/')) {
    organisation = absl::StrCat("organisations/", organisation);
  }
  a.set_organisation(organisation);
  a.set_display_name(Trimmed(*given("display_name")));
  row.given_fields.push_back("display_name");
  for (std::string& code : ListCell(*given("language_codes"))) {
    code = absl::AsciiStrToLower(code);
    if (std::find(a.language_codes().begin(), a.language_codes().end(), code) ==
        a.language_codes().end()) {
      a.add_language_codes(code);
    }
  }
  row.given_fields.push_back("language_codes");
  if (const std::string* channels = given("channels")) {
    for (const std::string& text : ListCell(*channels)) {
      absl::StatusOr<int> channel =
          ParseEnumValue(*Adviser::Channel_descriptor(), text);
      if (!channel.ok()) {
        problems.push_back(
            absl::StrCat("channels: ", channel.status().message()));
      } else if (std::find(a.channels().begin(), a.channels().end(),
                           *channel) == a.channels().end()) {
        a.add_channels(static_cast<Adviser::Channel>(*channel));
      }
    }
    row.given_fields.push_back("channels");
  }
  if (const std::string* specialisms = given("specialisms")) {
    for (std::string& s : ListCell(*specialisms))
      a.add_specialisms(std::move(s));
    row.given_fields.push_back("specialisms");
  }
  if (const std::string* email = given("email")) {
    a.set_email(Trimmed(*email));
    row.given_fields.push_back("email");
  }
  if (const std::string* subject = given("subject")) {
    a.set_subject(Trimmed(*subject));
    row.given_fields.push_back("subject");
  }
  if (const std::string* active = given("active")) {
    const std::string text = Trimmed(*active);
    if (!text.empty()) {
      absl::StatusOr<bool> value = ParseBool(text);
      if (!value.ok()) {
        problems.push_back(absl::StrCat("active: ", value.status().message()));
      } else {
        a.set_active(*value);
        row.given_fields.push_back("active");
      }
    }
  }
  row.error = absl::StrJoin(problems, "; ");
}

int64_t UnixNanos(const google::protobuf::Timestamp& t) {
  return t.seconds() * 1000000000 + t.nanos();
}

// What became of one row.
struct Outcome {
  enum Kind { kCreated, kUpdated, kUnchanged, kFailed };
  Kind kind = kFailed;
  std::string adviser;  // its name, when known
  std::string reason;   // for kFailed
  std::vector<std::string> details;
};

Outcome Done(Outcome::Kind kind, std::string adviser) {
  Outcome outcome;
  outcome.kind = kind;
  outcome.adviser = std::move(adviser);
  return outcome;
}

Outcome Failed(std::string adviser, std::string reason,
               std::vector<std::string> details = {}) {
  Outcome outcome = Done(Outcome::kFailed, std::move(adviser));
  outcome.reason = std::move(reason);
  outcome.details = std::move(details);
  return outcome;
}

Outcome RpcFailed(std::string adviser, const grpc::Status& status) {
  return Failed(std::move(adviser),
                absl::StrCat(StatusCodeName(status.error_code()), ": ",
                             status.error_message()),
                RpcErrorDetails(status));
}

// The fields of `wanted` that `row` gives and `existing` does not have.
std::vector<std::string> ChangedFields(const AdviserRow& row,
                                       const Adviser& existing) {
  const Adviser& wanted = row.adviser;
  auto same = [](const auto& a, const auto& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  };
  std::vector<std::string> changed;
  for (const std::string& field : row.given_fields) {
    bool differs = false;
    if (field == "display_name") {
      differs = wanted.display_name() != existing.display_name();
    } else if (field == "language_codes") {
      differs = !same(wanted.language_codes(), existing.language_codes());
    } else if (field == "channels") {
      differs = !same(wanted.channels(), existing.channels());
    } else if (field == "specialisms") {
      differs = !same(wanted.specialisms(), existing.specialisms());
    } else if (field == "email") {
      differs = wanted.email() != existing.email();
    } else if (field == "subject") {
      differs = wanted.subject() != existing.subject();
    } else if (field == "active") {
      differs =
          wanted.active() != (!existing.has_active() || existing.active());
    }
    if (differs) changed.push_back(field);
  }
  return changed;
}

// Brings an existing adviser in line with its row: unchanged, or updated
// with its etag (one RPC).
Outcome Reconcile(CommandEnv& env, const AdviserRow& row,
                  const Adviser& existing) {
  if (existing.has_delete_time()) {
    return Failed(existing.name(),
                  "the adviser is deleted; undelete it first (careersctl "
                  "advisers undelete)");
  }
  if (existing.organisation() != row.adviser.organisation()) {
    return Failed(
        existing.name(),
        absl::StrCat("the adviser belongs to ", existing.organisation(),
                     ", not ", row.adviser.organisation(),
                     ", and an adviser's organisation cannot change"));
  }
  const std::vector<std::string> changed = ChangedFields(row, existing);
  if (changed.empty()) return Done(Outcome::kUnchanged, existing.name());
  v1::UpdateAdviserRequest update;
  *update.mutable_adviser() = row.adviser;
  update.mutable_adviser()->clear_organisation();
  update.mutable_adviser()->set_name(existing.name());
  update.mutable_adviser()->set_etag(existing.etag());
  for (const std::string& field : changed) {
    update.mutable_update_mask()->add_paths(field);
  }
  Adviser updated;
  const grpc::Status status =
      Call(env, &Stub::UpdateAdviser, update, Retry::kNever, updated);
  if (!status.ok()) return RpcFailed(existing.name(), status);
  return Done(Outcome::kUpdated, updated.name());
}

// Imports one row; `started` is when the import began, `earlier` the
// request ids of the rows before with their lines.
Outcome ImportRow(CommandEnv& env, const AdviserRow& row, absl::Time started,
                  std::map<std::string, int>& earlier) {
  if (!row.error.empty()) return Failed("", row.error);
  const v1::CreateAdviserRequest create = CreateRequestFor(row);
  const std::string name =
      row.adviser_id.empty() ? "" : absl::StrCat("advisers/", row.adviser_id);

  if (!name.empty()) {
    v1::GetAdviserRequest get;
    get.set_name(name);
    Adviser existing;
    grpc::Status status =
        Call(env, &Stub::GetAdviser, get, Retry::kOnUnavailable, existing);
    if (status.ok()) return Reconcile(env, row, existing);
    if (status.error_code() != grpc::StatusCode::NOT_FOUND) {
      return RpcFailed(name, status);
    }
    Adviser created;
    status =
        Call(env, &Stub::CreateAdviser, create, Retry::kOnUnavailable, created);
    if (status.ok()) return Done(Outcome::kCreated, created.name());
    if (status.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      return RpcFailed(name, status);
    }
    // Created since we looked, or the subject is taken: Get tells.
    const grpc::Status got =
        Call(env, &Stub::GetAdviser, get, Retry::kOnUnavailable, existing);
    if (got.ok()) return Reconcile(env, row, existing);
    return RpcFailed(
        name, got.error_code() == grpc::StatusCode::NOT_FOUND ? status : got);
  }

  // Without an id, the request id is what makes a re-run safe: the server
  // replays the first create. A replay shows by its create time.
  auto [first, inserted] = earlier.emplace(create.request_id(), row.line);
  if (!inserted) {
    return Failed("", absl::StrCat("repeats line ", first->second,
                                   " (give each adviser one row, or an "
                                   "adviser_id)"));
  }
  Adviser created;
  const grpc::Status status =
      Call(env, &Stub::CreateAdviser, create, Retry::kOnUnavailable, created);
  if (!status.ok()) return RpcFailed("", status);
  if (UnixNanos(created.create_time()) < absl::ToUnixNanos(started)) {
    return Done(Outcome::kUnchanged, created.name());
  }
  return Done(Outcome::kCreated, created.name());
}

struct Failure {
  int line;
  Outcome outcome;
};

void PrintSummary(CommandEnv& env, const std::map<Outcome::Kind, int>& counts,
                  const std::vector<Failure>& failures) {
  auto count = [&counts](Outcome::Kind kind) {
    auto it = counts.find(kind);
    return it == counts.end() ? 0 : it->second;
  };
  ImportSummary summary;
  summary.counts = {{"created", "created", count(Outcome::kCreated)},
                    {"updated", "updated", count(Outcome::kUpdated)},
                    {"unchanged", "unchanged", count(Outcome::kUnchanged)},
                    {"failed", "failed", count(Outcome::kFailed)}};
  summary.subject_key = "adviser";
  for (const Failure& f : failures) {
    summary.rows.push_back(
        {f.line, f.outcome.adviser, f.outcome.reason, f.outcome.details});
  }
  if (env.output == OutputFormat::kJson) {
    PrintJson(ImportSummaryJson(summary), env.out);
  } else {
    PrintImportSummaryText(summary, env.out);
  }
}

}  // namespace

absl::StatusOr<std::vector<AdviserRow>> ParseAdviserCsv(
    absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  if (!records.ok()) return records.status();
  const std::vector<std::string> known(std::begin(kAdviserImportColumns),
                                       std::end(kAdviserImportColumns));
  absl::StatusOr<std::vector<std::string>> header =
      ReadImportHeader(*records, known);
  if (!header.ok()) return header.status();
  const std::vector<std::string>& columns = *header;
  for (int i = 0; i < kRequiredColumns; ++i) {
    if (std::find(columns.begin(), columns.end(), known[i]) == columns.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line 1: the header needs the columns ",
          absl::StrJoin(known.begin(), known.begin() + kRequiredColumns, ", "),
          " (it has no ", known[i], ")"));
    }
  }
  std::vector<AdviserRow> rows;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    AdviserRow row;
    row.line = record.line;
    if (record.fields.size() != columns.size()) {
      row.error = absl::StrCat("has ", record.fields.size(),
                               " fields; the header has ", columns.size());
    } else {
      ReadRow(columns, record.fields, row);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

v1::CreateAdviserRequest CreateRequestFor(const AdviserRow& row) {
  v1::CreateAdviserRequest request;
  *request.mutable_adviser() = row.adviser;
  request.set_adviser_id(row.adviser_id);
  request.set_request_id(RowRequestId("careersctl advisers import", request));
  return request;
}

int RunAdviserImport(CommandEnv& env, const std::string& path) {
  absl::StatusOr<std::vector<AdviserRow>> rows =
      ReadImportFile(path, ParseAdviserCsv);
  if (!rows.ok()) {
    return UsageError(std::string(rows.status().message()), env.err);
  }

  const absl::Time started = absl::Now();
  std::map<Outcome::Kind, int> counts;
  std::vector<Failure> failures;
  std::map<std::string, int> request_ids;
  ImportProgress progress(env.err, env.err_is_terminal, rows->size());
  progress.Start();
  for (size_t i = 0; i < rows->size(); ++i) {
    const AdviserRow& row = (*rows)[i];
    Outcome outcome = ImportRow(env, row, started, request_ids);
    ++counts[outcome.kind];
    if (outcome.kind == Outcome::kFailed) {
      failures.push_back(Failure{row.line, std::move(outcome)});
    }
    progress.Update(i + 1);
  }
  progress.Finish();
  PrintSummary(env, counts, failures);
  return failures.empty() ? kExitOk : kExitRpcFailed;
}

}  // namespace careers::cli
