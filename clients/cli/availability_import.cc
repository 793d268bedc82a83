#include "clients/cli/availability_import.h"

#include <openssl/sha.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/csv.h"
#include "clients/cli/errors.h"
#include "clients/cli/flags.h"
#include "clients/cli/output.h"
#include "clients/cli/standard_commands.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/struct.pb.h"

namespace careers::cli {
namespace {

using Stub = v1::BookingService::StubInterface;
using v1::Adviser;
using v1::AvailabilityRule;

constexpr int kProgressWidth = 30;

std::string Trimmed(absl::string_view s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

// The values of a list: separated by commas, semicolons or white space,
// without blanks or repeats.
std::vector<std::string> ListValues(absl::string_view text) {
  std::vector<std::string> values;
  for (absl::string_view part :
       absl::StrSplit(text, absl::ByAnyChar(",; \t\r\n"), absl::SkipEmpty())) {
    if (std::find(values.begin(), values.end(), part) == values.end()) {
      values.emplace_back(part);
    }
  }
  return values;
}

// `name` with `collection/` in front unless it has a slash already.
std::string FullName(const std::string& collection, std::string name) {
  if (name.empty() || absl::StrContains(name, '/')) return name;
  return absl::StrCat(collection, "/", name);
}

// "mon" or "monday", any case.
absl::StatusOr<google::type::DayOfWeek> ParseDay(const std::string& text) {
  const std::string lower = absl::AsciiStrToLower(text);
  const google::protobuf::EnumDescriptor& days =
      *google::type::DayOfWeek_descriptor();
  for (int i = 0; i < days.value_count(); ++i) {
    if (days.value(i)->number() == 0) continue;
    const std::string name = absl::AsciiStrToLower(days.value(i)->name());
    if (lower == name || lower == name.substr(0, 3)) {
      return static_cast<google::type::DayOfWeek>(days.value(i)->number());
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "'", text, "' is not a day of the week (mon, tue, ... sun)"));
}

// "9:00", "09:30"; "24:00" too when `end`.
absl::StatusOr<google::type::TimeOfDay> ParseTimeOfDay(const std::string& text,
                                                       bool end) {
  const std::vector<std::string> parts = absl::StrSplit(text, ':');
  int hours = -1;
  int minutes = -1;
  const bool ok =
      parts.size() == 2 && !parts[0].empty() && parts[0].size() <= 2 &&
      parts[1].size() == 2 &&
      std::all_of(text.begin(), text.end(),
                  [](char c) {
                    return c == ':' ||
                           absl::ascii_isdigit(static_cast<unsigned char>(c));
                  }) &&
      absl::SimpleAtoi(parts[0], &hours) &&
      absl::SimpleAtoi(parts[1], &minutes) && minutes < 60 &&
      (hours < 24 || (end && hours == 24 && minutes == 0));
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not a time of day HH:MM",
                     end ? " (24:00 for the end of the day)" : ""));
  }
  google::type::TimeOfDay time;
  time.set_hours(hours);
  time.set_minutes(minutes);
  return time;
}

std::string Sha256(const std::string& data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(),
         digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

// What became of one row.
enum class Outcome { kCreated, kAlreadyPresent, kFailed };

struct Failure {
  int line = 0;
  std::string reason;
  std::vector<std::string> details;
};

// Sends one row's create; `earlier` maps the request ids sent to their
// lines. Fills `failure` when the row fails.
Outcome ImportRow(CommandEnv& env, const RuleRow& row, absl::Time started,
                  std::map<std::string, int>& earlier, Failure& failure) {
  auto [first, inserted] = earlier.emplace(row.request.request_id(), row.line);
  if (!inserted) {
    failure.reason = absl::StrCat("repeats line ", first->second);
    return Outcome::kFailed;
  }
  AvailabilityRule created;
  const grpc::Status status = Call(env, &Stub::CreateAvailabilityRule,
                                   row.request, Retry::kOnUnavailable, created);
  if (status.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
    return Outcome::kAlreadyPresent;
  }
  if (!status.ok()) {
    failure.reason = absl::StrCat(StatusCodeName(status.error_code()), ": ",
                                  status.error_message());
    failure.details = RpcErrorDetails(status);
    return Outcome::kFailed;
  }
  // A replay of an earlier run's create shows by its create time.
  const absl::Time create_time =
      absl::FromUnixSeconds(created.create_time().seconds()) +
      absl::Nanoseconds(created.create_time().nanos());
  return create_time < started ? Outcome::kAlreadyPresent : Outcome::kCreated;
}

void DrawProgress(std::ostream& err, size_t done, size_t total) {
  const size_t filled =
      total == 0 ? kProgressWidth : done * kProgressWidth / total;
  err << "\r[" << std::string(filled, '#')
      << std::string(kProgressWidth - filled, '.') << "] " << done << "/"
      << total << " rows" << std::flush;
}

void PrintSummary(CommandEnv& env, std::map<Outcome, int>& counts,
                  const std::vector<Failure>& failures) {
  if (env.output == OutputFormat::kJson) {
    google::protobuf::Struct summary;
    auto& fields = *summary.mutable_fields();
    fields["created"].set_number_value(counts[Outcome::kCreated]);
    fields["alreadyPresent"].set_number_value(counts[Outcome::kAlreadyPresent]);
    fields["failed"].set_number_value(counts[Outcome::kFailed]);
    auto& list = *fields["failures"].mutable_list_value();
    for (const Failure& f : failures) {
      auto& item = *list.add_values()->mutable_struct_value()->mutable_fields();
      item["line"].set_number_value(f.line);
      item["reason"].set_string_value(f.reason);
      auto& details = *item["details"].mutable_list_value();
      for (const std::string& d : f.details) {
        details.add_values()->set_string_value(d);
      }
    }
    PrintJson(summary, env.out);
    return;
  }
  PrintTable(
      {{"created", absl::StrCat(counts[Outcome::kCreated])},
       {"already present", absl::StrCat(counts[Outcome::kAlreadyPresent])},
       {"failed", absl::StrCat(counts[Outcome::kFailed])}},
      env.out);
  for (const Failure& f : failures) {
    env.out << "line " << f.line << ": " << f.reason << "\n";
    for (const std::string& d : f.details) env.out << "  " << d << "\n";
  }
}

}  // namespace

absl::StatusOr<v1::CreateAvailabilityRuleRequest> RuleRequestFor(
    const RuleText& text) {
  std::vector<std::string> problems;
  auto problem = [&problems](const char* field, const absl::Status& status) {
    problems.push_back(absl::StrCat(field, ": ", status.message()));
  };
  auto required = [&problems](const char* field, const std::string& value) {
    if (Trimmed(value).empty())
      problems.push_back(absl::StrCat(field, ": required"));
    return !Trimmed(value).empty();
  };
  v1::CreateAvailabilityRuleRequest request;
  AvailabilityRule& rule = *request.mutable_availability_rule();

  if (required("adviser", text.adviser)) {
    request.set_parent(FullName("advisers", Trimmed(text.adviser)));
  }
  if (required("kind", text.kind)) {
    absl::StatusOr<int> kind = ParseEnumValue(
        *AvailabilityRule::Kind_descriptor(), Trimmed(text.kind));
    if (kind.ok()) {
      rule.set_kind(static_cast<AvailabilityRule::Kind>(*kind));
    } else {
      problem("kind", kind.status());
    }
  }
  for (const std::string& value : ListValues(text.days)) {
    absl::StatusOr<google::type::DayOfWeek> day = ParseDay(value);
    if (!day.ok()) {
      problem("days", day.status());
    } else if (std::find(rule.days().begin(), rule.days().end(), *day) ==
               rule.days().end()) {
      rule.add_days(*day);
    }
  }
  if (required("start", text.start)) {
    auto start = ParseTimeOfDay(Trimmed(text.start), /*end=*/false);
    if (start.ok()) {
      *rule.mutable_start_time() = *start;
    } else {
      problem("start", start.status());
    }
  }
  if (required("end", text.end)) {
    auto end = ParseTimeOfDay(Trimmed(text.end), /*end=*/true);
    if (end.ok()) {
      *rule.mutable_end_time() = *end;
    } else {
      problem("end", end.status());
    }
  }
  const std::string zone = Trimmed(text.time_zone);
  absl::TimeZone loaded;
  if (!zone.empty() && !absl::LoadTimeZone(zone, &loaded)) {
    problem("time_zone", absl::InvalidArgumentError(absl::StrCat(
                             "'", zone, "' is not an IANA time zone")));
  }
  rule.set_time_zone(zone);
  if (required("valid_from", text.valid_from)) {
    auto from = ParseDate(Trimmed(text.valid_from));
    if (from.ok()) {
      *rule.mutable_valid_from() = *from;
    } else {
      problem("valid_from", from.status());
    }
  }
  if (!Trimmed(text.valid_to).empty()) {
    auto to = ParseDate(Trimmed(text.valid_to));
    if (to.ok()) {
      *rule.mutable_valid_to() = *to;
    } else {
      problem("valid_to", to.status());
    }
  }
  rule.set_location(FullName("locations", Trimmed(text.location)));
  for (const std::string& value : ListValues(text.channels)) {
    absl::StatusOr<int> channel =
        ParseEnumValue(*Adviser::Channel_descriptor(), value);
    if (!channel.ok()) {
      problem("channels", channel.status());
    } else if (std::find(rule.channels().begin(), rule.channels().end(),
                         *channel) == rule.channels().end()) {
      rule.add_channels(static_cast<Adviser::Channel>(*channel));
    }
  }
  for (const std::string& value : ListValues(text.appointment_types)) {
    rule.add_appointment_types(FullName("appointmentTypes", value));
  }
  rule.set_description(Trimmed(text.description));
  if (!problems.empty()) {
    return absl::InvalidArgumentError(absl::StrJoin(problems, "; "));
  }
  return request;
}

std::string StableRequestId(const v1::CreateAvailabilityRuleRequest& request) {
  v1::CreateAvailabilityRuleRequest without_id = request;
  without_id.clear_request_id();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    without_id.SerializeToCodedStream(&out);
  }
  const std::string digest =
      Sha256(absl::StrCat("careersctl availability import\n", bytes));
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

absl::StatusOr<std::vector<RuleRow>> ParseAvailabilityCsv(
    absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError(
        "the file is empty: it needs a header row naming the columns");
  }
  const std::vector<std::string> known(std::begin(kAvailabilityImportColumns),
                                       std::end(kAvailabilityImportColumns));
  std::vector<std::string> columns;
  for (const std::string& field : records->front().fields) {
    std::string column = absl::AsciiStrToLower(Trimmed(field));
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
  for (const char* needed : {"adviser", "kind", "start", "end", "valid_from"}) {
    if (std::find(columns.begin(), columns.end(), needed) == columns.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "line 1: the header needs the columns adviser, kind, start, end "
          "and valid_from (it has no ",
          needed, ")"));
    }
  }
  // Where each column's cell goes.
  const std::map<std::string, std::string RuleText::*> members = {
      {"adviser", &RuleText::adviser},
      {"kind", &RuleText::kind},
      {"days", &RuleText::days},
      {"start", &RuleText::start},
      {"end", &RuleText::end},
      {"time_zone", &RuleText::time_zone},
      {"valid_from", &RuleText::valid_from},
      {"valid_to", &RuleText::valid_to},
      {"location", &RuleText::location},
      {"channels", &RuleText::channels},
      {"appointment_types", &RuleText::appointment_types},
      {"description", &RuleText::description}};
  std::vector<RuleRow> rows;
  for (size_t r = 1; r < records->size(); ++r) {
    const CsvRecord& record = (*records)[r];
    RuleRow row;
    row.line = record.line;
    if (record.fields.size() != columns.size()) {
      row.error = absl::StrCat("has ", record.fields.size(),
                               " fields; the header has ", columns.size());
    } else {
      RuleText cells;
      for (size_t i = 0; i < columns.size(); ++i) {
        cells.*(members.at(columns[i])) = record.fields[i];
      }
      absl::StatusOr<v1::CreateAvailabilityRuleRequest> request =
          RuleRequestFor(cells);
      if (request.ok()) {
        row.request = *std::move(request);
        row.request.set_request_id(StableRequestId(row.request));
      } else {
        row.error = std::string(request.status().message());
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

int RunAvailabilityImport(CommandEnv& env, const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return UsageError(absl::StrCat("cannot read '", path, "'"), env.err);
  }
  const std::string text((std::istreambuf_iterator<char>(file)),
                         std::istreambuf_iterator<char>());
  absl::StatusOr<std::vector<RuleRow>> rows = ParseAvailabilityCsv(text);
  if (!rows.ok()) {
    return UsageError(absl::StrCat(path, ": ", rows.status().message()),
                      env.err);
  }

  const absl::Time started = absl::Now();
  std::map<Outcome, int> counts;
  std::vector<Failure> failures;
  std::map<std::string, int> request_ids;  // to the line that sent each
  if (env.err_is_terminal) DrawProgress(env.err, 0, rows->size());
  for (size_t i = 0; i < rows->size(); ++i) {
    const RuleRow& row = (*rows)[i];
    Failure failure{row.line, row.error, {}};
    const Outcome outcome =
        row.error.empty() ? ImportRow(env, row, started, request_ids, failure)
                          : Outcome::kFailed;
    ++counts[outcome];
    if (outcome == Outcome::kFailed) failures.push_back(std::move(failure));
    if (env.err_is_terminal) DrawProgress(env.err, i + 1, rows->size());
  }
  if (env.err_is_terminal) env.err << "\n";
  PrintSummary(env, counts, failures);
  return failures.empty() ? kExitOk : kExitRpcFailed;
}

}  // namespace careers::cli
