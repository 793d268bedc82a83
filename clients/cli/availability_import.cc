#include "clients/cli/availability_import.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/csv.h"
#include "clients/cli/errors.h"
#include "clients/cli/flags.h"
#include "clients/cli/import_support.h"
#include "clients/cli/output.h"
#include "clients/cli/standard_commands.h"

namespace careers::cli {
namespace {

using Stub = v1::BookingService::StubInterface;
using v1::Adviser;
using v1::AvailabilityRule;

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

void PrintSummary(CommandEnv& env, std::map<Outcome, int>& counts,
                  const std::vector<Failure>& failures) {
  ImportSummary summary;
  summary.counts = {
      {"created", "created", counts[Outcome::kCreated]},
      {"alreadyPresent", "already present", counts[Outcome::kAlreadyPresent]},
      {"failed", "failed", counts[Outcome::kFailed]}};
  for (const Failure& f : failures) {
    summary.rows.push_back({f.line, "", f.reason, f.details});
  }
  if (env.output == OutputFormat::kJson) {
    PrintJson(ImportSummaryJson(summary), env.out);
  } else {
    PrintImportSummaryText(summary, env.out);
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
  return RowRequestId("careersctl availability import", without_id);
}

absl::StatusOr<std::vector<RuleRow>> ParseAvailabilityCsv(
    absl::string_view text) {
  absl::StatusOr<std::vector<CsvRecord>> records = ParseCsv(text);
  if (!records.ok()) return records.status();
  const std::vector<std::string> known(std::begin(kAvailabilityImportColumns),
                                       std::end(kAvailabilityImportColumns));
  absl::StatusOr<std::vector<std::string>> header =
      ReadImportHeader(*records, known);
  if (!header.ok()) return header.status();
  const std::vector<std::string>& columns = *header;
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
  absl::StatusOr<std::vector<RuleRow>> rows =
      ReadImportFile(path, ParseAvailabilityCsv);
  if (!rows.ok()) {
    return UsageError(std::string(rows.status().message()), env.err);
  }

  const absl::Time started = absl::Now();
  std::map<Outcome, int> counts;
  std::vector<Failure> failures;
  std::map<std::string, int> request_ids;  // to the line that sent each
  ImportProgress progress(env.err, env.err_is_terminal, rows->size());
  progress.Start();
  for (size_t i = 0; i < rows->size(); ++i) {
    const RuleRow& row = (*rows)[i];
    Failure failure{row.line, row.error, {}};
    const Outcome outcome =
        row.error.empty() ? ImportRow(env, row, started, request_ids, failure)
                          : Outcome::kFailed;
    ++counts[outcome];
    if (outcome == Outcome::kFailed) failures.push_back(std::move(failure));
    progress.Update(i + 1);
  }
  progress.Finish();
  PrintSummary(env, counts, failures);
  return failures.empty() ? kExitOk : kExitRpcFailed;
}

}  // namespace careers::cli
