#ifndef CAREERS_CLIENTS_CLI_OUTPUT_H_
#define CAREERS_CLIENTS_CLI_OUTPUT_H_

#include <ostream>
#include <string>
#include <vector>

#include "careers/v1/booking_service.pb.h"
#include "careers/v1/change_service.pb.h"
#include "careers/v1/consent_service.pb.h"
#include "careers/v1/directory_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"
#include "google/type/timeofday.pb.h"

// How careersctl prints resources and lists: protobuf JSON for scripts, or
// aligned text tables for people. Stateless; thread-safe.
namespace careers::cli {

enum class OutputFormat { kTable, kJson };

// Protobuf JSON mapping (camelCase names), pretty-printed, ending in '\n'.
void PrintJson(const google::protobuf::Message& message, std::ostream& out);

// Protobuf JSON mapping on one line, then '\n': JSON Lines, for streams
// that a script reads a record at a time.
void PrintJsonLine(const google::protobuf::Message& message, std::ostream& out);

// Rows of cells with every column but the last padded to its widest cell
// (counted in code points) plus two spaces; no trailing spaces.
void PrintTable(const std::vector<std::vector<std::string>>& rows,
                std::ostream& out);

// "2024-05-31"; "" when the date is unset.
std::string FormatDate(const google::type::Date& date);

// RFC 3339 in UTC ("2024-05-31T09:30:00Z"); "" when unset (the epoch).
std::string FormatTimestamp(const google::protobuf::Timestamp& ts);

// "09:30"; "24:00" for the end of the day.
std::string FormatTimeOfDay(const google::type::TimeOfDay& time);

// `ts` as wall time in the IANA zone `time_zone` (UTC when empty or
// unknown), in absl::FormatTime's `format` ("%Y-%m-%d %H:%M"); "" when unset.
std::string FormatLocalTime(const google::protobuf::Timestamp& ts,
                            const std::string& time_zone,
                            const std::string& format);

// One resource: JSON, or a table of `field  value` rows.
void PrintResource(const v1::Profile& profile, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::Goal& goal, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::Action& action, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::Organisation& organisation, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::Adviser& adviser, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::Location& location, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::Consent& consent, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::GuardianLink& link, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::AppointmentType& type, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::AvailabilityRule& rule, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::Appointment& appointment, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::WaitlistEntry& entry, OutputFormat format,
                   std::ostream& out);

void PrintResource(const v1::Experience& experience, OutputFormat format,
                   std::ostream& out);
void PrintResource(const v1::Attestation& attestation, OutputFormat format,
                   std::ostream& out);

// A page (or, after --all, every page) of a list: the whole response as
// JSON, or a table with a header row followed, when there is a next page, by
// `next page: --page-token TOKEN`.
void PrintList(const v1::ListProfilesResponse& response, OutputFormat format,
               std::ostream& out);
void PrintList(const v1::ListGoalsResponse& response, OutputFormat format,
               std::ostream& out);
void PrintList(const v1::ListActionsResponse& response, OutputFormat format,
               std::ostream& out);
void PrintList(const v1::ListOrganisationsResponse& response,
               OutputFormat format, std::ostream& out);
void PrintList(const v1::ListAdvisersResponse& response, OutputFormat format,
               std::ostream& out);
void PrintList(const v1::ListLocationsResponse& response, OutputFormat format,
               std::ostream& out);
void PrintList(const v1::ListConsentsResponse& response, OutputFormat format,
               std::ostream& out);
void PrintList(const v1::ListGuardianLinksResponse& response,
               OutputFormat format, std::ostream& out);
void PrintList(const v1::ListAccessEventsResponse& response,
               OutputFormat format, std::ostream& out);
void PrintList(const v1::ListAppointmentTypesResponse& response,
               OutputFormat format, std::ostream& out);
void PrintList(const v1::ListAvailabilityRulesResponse& response,
               OutputFormat format, std::ostream& out);
void PrintList(const v1::ListAppointmentsResponse& response,
               OutputFormat format, std::ostream& out);
void PrintList(const v1::ListWaitlistEntriesResponse& response,
               OutputFormat format, std::ostream& out);
void PrintList(const v1::ListExperiencesResponse& response, OutputFormat format,
               std::ostream& out);
void PrintList(const v1::ListAttestationsResponse& response,
               OutputFormat format, std::ostream& out);

// A page (or, after --all, every page) of the change feed: the whole
// response as JSON, or a table of the changes followed by `next sync token:
// --since TOKEN` (always: it is where the next sync starts), with a line
// before it when `more` says changes are already waiting.
void PrintList(const v1::ListChangesResponse& response, OutputFormat format,
               std::ostream& out);

// A person's skills summary: JSON, or a row per skill (its label, or its
// name when it has none) with its experiences, hours, verified count,
// highest level and first and last evidenced dates; "No skills evidenced."
// when there are none.
void PrintSkillsSummary(const v1::SkillsSummary& summary, OutputFormat format,
                        std::ostream& out);

// Hours as people write them: "7.5", "12", "0.25"; never an exponent.
std::string FormatHours(double hours);

}  // namespace careers::cli

#endif  // CAREERS_CLIENTS_CLI_OUTPUT_H_
