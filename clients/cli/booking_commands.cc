// `careersctl appointment-types|availability|slots|appointments|agenda|
// calendar|waitlist ...`: the BookingService commands.
#include <array>
#include <functional>
#include <iterator>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "careers/v1/booking_service.grpc.pb.h"
#include "clients/cli/availability_import.h"
#include "clients/cli/command.h"
#include "clients/cli/flags.h"
#include "clients/cli/resource_flags.h"
#include "clients/cli/standard_commands.h"
#include "google/protobuf/empty.pb.h"

namespace careers::cli {
namespace {

using google::protobuf::Timestamp;
using v1::Adviser;
using v1::Appointment;
using v1::AppointmentType;
using Stub = v1::BookingService::StubInterface;

constexpr char kDefaultTimeZone[] = "Europe/London";
// The reasons a person may give; RESCHEDULED is RescheduleAppointment's.
constexpr char kCancelReasons[] =
    "person-unavailable|adviser-unavailable|no-longer-needed|venue-closed|"
    "booked-in-error|other";

// ------------------------------------------------------------- values

Timestamp ToTimestamp(absl::Time time) {
  Timestamp ts;
  const int64_t seconds = absl::ToUnixSeconds(time);
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>((time - absl::FromUnixSeconds(seconds)) /
                                    absl::Nanoseconds(1)));
  return ts;
}

// RFC 3339, seconds optional: "2027-03-29T09:00:00Z", "2027-03-29T10:00+01:00".
absl::StatusOr<Timestamp> ParseTimestamp(const std::string& text) {
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &time, &error) &&
      !absl::ParseTime("%Y-%m-%d%ET%H:%M%Ez", text, &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text,
                     "' is not an RFC 3339 time such as 2027-03-29T09:00:00Z "
                     "or 2027-03-29T10:00:00+01:00"));
  }
  return ToTimestamp(time);
}

absl::StatusOr<absl::TimeZone> ParseTimeZone(const std::string& text) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(text, &zone)) {
    return absl::InvalidArgumentError(
        absl::StrCat("'", text, "' is not an IANA time zone"));
  }
  return zone;
}

// Adds `flag` taking one value, which `parse` checks and turns into what
// `set` stores while the command line is parsed: a bad value is a usage
// error.
template <typename T>
CLI::Option* AddParsedOption(
    CLI::App& cmd, const std::string& flag, const std::string& help,
    const std::string& type_name,
    std::function<absl::StatusOr<T>(const std::string&)> parse,
    std::function<void(T)> set) {
  return cmd.add_option(flag, help)
      ->type_name(type_name)
      ->check(CLI::Validator(
          [parse, set](std::string& value) {
            absl::StatusOr<T> parsed = parse(value);
            if (!parsed.ok()) return std::string(parsed.status().message());
            set(*std::move(parsed));
            return std::string();
          },
          ""));
}

// A check that `parse` accepts the value, reporting its error if not.
template <typename Parse>
CLI::Validator Accepts(Parse parse) {
  return CLI::Validator(
      [parse](std::string& value) {
        return std::string(parse(value).status().message());
      },
      "");
}

// `field` is called only when the flag is given, so an absent flag leaves
// the (optional) timestamp unset rather than set to the epoch.
CLI::Option* AddTimeOption(CLI::App& cmd, const std::string& flag,
                           std::function<Timestamp*()> field,
                           const std::string& help) {
  return AddParsedOption<Timestamp>(
      cmd, flag, help, "RFC3339", ParseTimestamp,
      [field](Timestamp value) { *field() = value; });
}

// An enum flag (lower case and '-' accepted); `set` gets the number.
CLI::Option* AddEnumOption(CLI::App& cmd, const std::string& flag,
                           const google::protobuf::EnumDescriptor& type,
                           std::function<void(int)> set,
                           const std::string& help) {
  return AddParsedOption<int>(
      cmd, flag, help, EnumChoices(type),
      [&type](const std::string& text) { return ParseEnumValue(type, text); },
      std::move(set));
}

CLI::Option* AddChannelOption(CLI::App& cmd, std::function<void(int)> set,
                              const std::string& help) {
  return AddEnumOption(cmd, "--channel", *Adviser::Channel_descriptor(),
                       std::move(set), help);
}

// Exactly one of the options `flags` of `cmd` must be given; help shows
// them as group `title`.
void RequireOneOf(CLI::App& cmd, const std::string& title,
                  const std::string& description,
                  const std::vector<std::string>& flags) {
  CLI::Option_group* group = cmd.add_option_group(title, description);
  for (const std::string& flag : flags) group->add_option(cmd.get_option(flag));
  group->require_option(1);
}

// ------------------------------------------------- command templates

template <typename Request, typename = void>
struct HasRequestId : std::false_type {};
template <typename Request>
struct HasRequestId<
    Request, std::void_t<decltype(std::declval<Request&>().request_id())>>
    : std::true_type {};

template <typename Request, typename = void>
struct HasName : std::false_type {};
template <typename Request>
struct HasName<Request,
               std::void_t<decltype(std::declval<Request&>().mutable_name())>>
    : std::true_type {};

// `verb [NAME]` for a method that is not a standard one (book, cancel,
// accept...), NAME when the request has one; the caller adds the method's
// flags. A request with a request_id is sent with a random UUID unless
// --request-id (which the caller adds) gives one, and retried on
// UNAVAILABLE; any other is never retried, as repeating it after a lost
// reply would fail on the new state.
template <typename Request, typename Resource>
AddedCommand<Request> AddMethodCommand(CLI::App& group,
                                       CommandSelection& selection,
                                       const std::string& verb,
                                       const std::string& description,
                                       Rpc<Stub, Request, Resource> rpc) {
  auto request = std::make_shared<Request>();
  CLI::App& cmd = AddCommand(group, verb, description);
  if constexpr (HasName<Request>::value) {
    AddNameArgument(cmd, *Resource::descriptor(), *request->mutable_name());
  }
  selection.Register(cmd, [request, rpc](CommandEnv& env) {
    Retry retry = Retry::kNever;
    if constexpr (HasRequestId<Request>::value) {
      if (request->request_id().empty()) {
        request->set_request_id(NewRequestId());
      }
      retry = Retry::kOnUnavailable;
    }
    return CallAndPrint(env, rpc, *request, retry);
  });
  return {cmd, *request};
}

// Calls a paged `rpc`, following next_page_token to the end when `all`;
// `combined` gets every page (and, when not `all`, the next page token).
template <typename Request, typename Response>
grpc::Status CallPages(CommandEnv& env, Rpc<Stub, Request, Response> rpc,
                       Request request, bool all, Response& combined) {
  combined.Clear();
  while (true) {
    Response page;
    const grpc::Status status =
        Call(env, rpc, request, Retry::kOnUnavailable, page);
    if (!status.ok()) return status;
    combined.MergeFrom(page);
    if (!all) return status;
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  combined.clear_next_page_token();
  return grpc::Status::OK;
}

// ---------------------------------------------------- appointment types

std::vector<FieldFlagSpec> TypeFieldFlags(bool create) {
  std::vector<FieldFlagSpec> flags;
  if (create) {
    flags.push_back({"--organisation", "organisation",
                     "Offered by organisations/{organisation} (cannot "
                     "change later)"});
  }
  const std::vector<FieldFlagSpec> rest = {
      {"--display-name", "display_name", "Name shown to people"},
      {"--description", "description", "What it is for"},
      {"--channels", "channels", "How it can take place, comma-separated"},
      {"--life-stages", "audience_life_stages",
       "Who it is for, comma-separated (default everyone)"},
      {"--school-stages", "audience_school_stages",
       "School stages it is for (S3, Year 10), comma-separated"},
      {"--languages",
       "language_codes",
       "Languages it is offered in, comma-separated",
       {"en", "cy", "gd"}},
  };
  flags.insert(flags.end(), rest.begin(), rest.end());
  return flags;
}

// The integer fields, which FieldFlags does not set.
struct NumberFlag {
  const char* flag;
  const char* path;
  const char* help;
  int min;
  int max;
};
constexpr NumberFlag kTypeNumberFlags[] = {
    {"--duration", "duration_minutes", "Length in minutes", 5, 480},
    {"--buffer-before", "buffer_before_minutes",
     "Minutes kept free before (preparation, travel)", 0, 240},
    {"--buffer-after", "buffer_after_minutes", "Minutes kept free after", 0,
     240},
    {"--minimum-notice", "minimum_notice_minutes",
     "Minutes needed between booking and the start", 0, 43200},
    {"--horizon-days", "booking_horizon_days",
     "How many days ahead it can be booked (default 60)", 1, 365},
    {"--seats", "seats", "1 for an interview, more for a group session", 1,
     500},
    {"--per-person-limit", "per_person_limit",
     "Upcoming appointments of the type one person may hold; 0 no limit", 0,
     1000},
};
constexpr size_t kNumberFlagCount = std::size(kTypeNumberFlags);

// The flags of `appointment-types create` and `update`: --json, the field
// flags, the numbers and --not-same-day.
struct TypeFlags {
  explicit TypeFlags(bool create)
      : fields(*AppointmentType::descriptor(), TypeFieldFlags(create)) {}

  void AddTo(CLI::App& cmd) {
    AddJsonOption(cmd, *AppointmentType::descriptor(), json_path);
    fields.AddTo(cmd);
    for (const char* flag :
         {"--channels", "--life-stages", "--school-stages", "--languages"}) {
      cmd.get_option(flag)->delimiter(',');
    }
    for (size_t i = 0; i < kNumberFlagCount; ++i) {
      const NumberFlag& spec = kTypeNumberFlags[i];
      number_options[i] =
          cmd.add_option(spec.flag, numbers[i], spec.help)
              ->check(CLI::Range(spec.min, spec.max).description(""))
              ->type_name(absl::StrCat(spec.min, "-", spec.max));
    }
    not_same_day_option = cmd.add_flag(
        "--not-same-day", not_same_day,
        "Not bookable on the day itself (--not-same-day=false to allow)");
  }

  // Reads --json into `type` and sets the given flags over it.
  bool Build(AppointmentType& type, std::ostream& err) const {
    if (!BuildResource(json_path, fields, type, err)) return false;
    for (size_t i = 0; i < kNumberFlagCount; ++i) {
      if (number_options[i]->count() == 0) continue;
      type.GetReflection()->SetInt32(
          &type,
          AppointmentType::descriptor()->FindFieldByName(
              kTypeNumberFlags[i].path),
          numbers[i]);
    }
    if (not_same_day_option->count() > 0) type.set_not_same_day(not_same_day);
    return true;
  }

  std::vector<std::string> GivenPaths() const {
    std::vector<std::string> paths = fields.GivenPaths();
    for (size_t i = 0; i < kNumberFlagCount; ++i) {
      if (number_options[i]->count() > 0) {
        paths.push_back(kTypeNumberFlags[i].path);
      }
    }
    if (not_same_day_option->count() > 0) paths.push_back("not_same_day");
    return paths;
  }

  FieldFlags fields;
  std::string json_path;
  std::array<int, kNumberFlagCount> numbers{};
  std::array<CLI::Option*, kNumberFlagCount> number_options{};
  bool not_same_day = false;
  CLI::Option* not_same_day_option = nullptr;
};

void AddTypeCreateCommand(CLI::App& group, CommandSelection& selection) {
  struct State {
    TypeFlags flags{/*create=*/true};
    v1::CreateAppointmentTypeRequest request;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd = AddCommand(group, "create", "Create an appointment type");
  state->flags.AddTo(cmd);
  cmd.add_option("--id", *state->request.mutable_appointment_type_id(),
                 "Id, becoming appointmentTypes/{id} (default: chosen by the "
                 "server)");
  AddRequestIdOption(cmd, *state->request.mutable_request_id());
  selection.Register(cmd, [state](CommandEnv& env) {
    v1::CreateAppointmentTypeRequest& request = state->request;
    if (!state->flags.Build(*request.mutable_appointment_type(), env.err)) {
      return kExitUsage;
    }
    if (request.request_id().empty()) request.set_request_id(NewRequestId());
    return CallAndPrint(env, &Stub::CreateAppointmentType, request,
                        Retry::kOnUnavailable);
  });
}

void AddTypeUpdateCommand(CLI::App& group, CommandSelection& selection) {
  struct State {
    TypeFlags flags{/*create=*/false};
    v1::UpdateAppointmentTypeRequest request;
    std::string name;
    std::string etag;
    std::vector<std::string> mask;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd =
      AddCommand(group, "update", "Update fields of an appointment type");
  AddNameArgument(cmd, *AppointmentType::descriptor(), state->name);
  state->flags.AddTo(cmd);
  AddUpdateMaskOption(cmd, state->mask);
  AddEtagOption(cmd, state->etag);
  selection.Register(cmd, [state](CommandEnv& env) {
    v1::UpdateAppointmentTypeRequest& request = state->request;
    AppointmentType& type = *request.mutable_appointment_type();
    if (!state->flags.Build(type, env.err)) return kExitUsage;
    type.set_name(state->name);
    if (!state->etag.empty()) type.set_etag(state->etag);
    std::vector<std::string> paths =
        MergePaths(state->mask, state->flags.GivenPaths());
    if (paths.empty() && state->flags.json_path.empty()) {
      return UsageError("nothing to update: give field flags or --json",
                        env.err);
    }
    for (std::string& path : paths) {
      request.mutable_update_mask()->add_paths(std::move(path));
    }
    return CallAndPrint(env, &Stub::UpdateAppointmentType, request,
                        Retry::kNever);
  });
}

// ------------------------------------------------------------- tables

std::string ChannelList(const google::protobuf::RepeatedField<int>& channels) {
  std::vector<std::string> names;
  for (int channel : channels) {
    names.push_back(EnumDisplayName(*Adviser::Channel_descriptor(), channel));
  }
  return absl::StrJoin(names, ",");
}

void PrintSlots(const v1::SearchAvailabilityResponse& response,
                OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::kJson) {
    PrintJson(response, out);
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"START", "END", "ADVISER", "CHANNELS", "LOCATION", "SEATS"}};
  for (const v1::Slot& slot : response.slots()) {
    const std::string zone =
        slot.time_zone().empty() ? "UTC" : slot.time_zone();
    rows.push_back(
        {absl::StrCat(
             FormatLocalTime(slot.start_time(), zone, "%a %Y-%m-%d %H:%M"), " ",
             zone),
         FormatLocalTime(slot.end_time(), zone, "%H:%M"),
         slot.adviser_display_name().empty() ? slot.adviser()
                                             : slot.adviser_display_name(),
         ChannelList(slot.channels()), slot.location(),
         absl::StrCat(slot.seats_remaining())});
  }
  PrintTable(rows, out);
  if (!response.next_page_token().empty()) {
    out << "next page: --page-token " << response.next_page_token() << "\n";
  }
}

// An appointment's local clock times in the agenda's zone with the zone's
// abbreviation, so the two 01:00s of an autumn clock-change night read
// "01:00–01:30 BST" and "01:00–01:30 GMT" ("01:30 BST–01:15 GMT" for one
// across the change). The server's own local times when the appointment is
// in that zone; else worked out here.
std::string AgendaTimes(const Appointment& a, const std::string& zone_name) {
  std::string start, end, start_abbr, end_abbr;
  // "2027-10-31T01:00:00+01:00": the clock time is at 11..16.
  if (a.time_zone() == zone_name && a.local_start().size() >= 16 &&
      a.local_end().size() >= 16) {
    start = a.local_start().substr(11, 5);
    end = a.local_end().substr(11, 5);
    start_abbr = a.local_start_abbreviation();
    end_abbr = a.local_end_abbreviation();
  } else {
    start = FormatLocalTime(a.start_time(), zone_name, "%H:%M");
    end = FormatLocalTime(a.end_time(), zone_name, "%H:%M");
    start_abbr = FormatLocalTime(a.start_time(), zone_name, "%Z");
    end_abbr = FormatLocalTime(a.end_time(), zone_name, "%Z");
  }
  if (start_abbr == end_abbr) {
    return absl::StrCat(start, "–", end, " ", start_abbr);
  }
  return absl::StrCat(start, " ", start_abbr, "–", end, " ", end_abbr);
}

// "Agenda of advisers/a for Monday 29 March 2027 (Europe/London)", then a
// row per appointment with its local times, or "No appointments.".
void PrintAgenda(const std::string& adviser, absl::CivilDay day,
                 absl::TimeZone zone, const std::string& zone_name,
                 const v1::ListAppointmentsResponse& response,
                 std::ostream& out) {
  const absl::Time start = absl::FromCivil(day, zone);
  out << "Agenda of " << adviser << " for "
      << absl::FormatTime("%A ", start, zone) << day.day()
      << absl::FormatTime(" %B %Y", start, zone) << " (" << zone_name << ")\n";
  if (response.appointments().empty()) {
    out << "No appointments.\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"TIME", "PERSON", "TYPE", "CHANNEL", "LOCATION", "STATE"}};
  for (const Appointment& a : response.appointments()) {
    rows.push_back(
        {AgendaTimes(a, zone_name), a.profile(), a.appointment_type(),
         EnumDisplayName(*Adviser::Channel_descriptor(), a.channel()),
         a.location(),
         EnumDisplayName(*Appointment::State_descriptor(), a.state())});
  }
  PrintTable(rows, out);
}

}  // namespace

void AddAppointmentTypeCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand(
      "appointment-types", "What can be booked: interviews, group sessions");
  group.require_subcommand(1);

  AddTypeCreateCommand(group, selection);
  AddGetCommand(group, selection, &Stub::GetAppointmentType);
  AddListCommand(group, selection, "appointment types",
                 {{"--organisation", "organisation",
                   "Only types of organisations/{organisation}"}},
                 &Stub::ListAppointmentTypes);
  AddTypeUpdateCommand(group, selection);
}

void AddAvailabilityCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand(
      "availability", "When advisers can be booked: rules and exceptions");
  group.require_subcommand(1);

  struct AddState {
    RuleText text;
    std::string request_id;
  };
  auto add = std::make_shared<AddState>();
  RuleText& text = add->text;
  CLI::App& add_cmd = AddCommand(
      group, "add", "Add an availability rule or exception to an adviser");
  add_cmd.add_option("--adviser", text.adviser, "advisers/{adviser}")
      ->required();
  add_cmd
      .add_option("--kind", text.kind,
                  "Weekly hours, extra time, or blocked time")
      ->type_name(EnumChoices(*v1::AvailabilityRule::Kind_descriptor()))
      ->check(Accepts([](const std::string& value) {
        return ParseEnumValue(*v1::AvailabilityRule::Kind_descriptor(), value);
      }))
      ->required();
  add_cmd.add_option("--days", text.days,
                     "Days it applies on: mon,tue,... (default every day)");
  add_cmd.add_option("--start", text.start, "Local start time")
      ->type_name("HH:MM")
      ->required();
  add_cmd.add_option("--end", text.end, "Local end time; 24:00 the day's end")
      ->type_name("HH:MM")
      ->required();
  add_cmd.add_option("--time-zone", text.time_zone,
                     "IANA zone of the times (server default Europe/London)");
  add_cmd.add_option("--from", text.valid_from, "First day it applies")
      ->type_name("YYYY-MM-DD")
      ->check(Accepts(ParseDate))
      ->required();
  add_cmd
      .add_option("--to", text.valid_to,
                  "Last day it applies (required for extra and blocked)")
      ->type_name("YYYY-MM-DD")
      ->check(Accepts(ParseDate));
  add_cmd.add_option("--location", text.location,
                     "locations/{location} of in-person appointments");
  add_cmd
      .add_option("--channels", text.channels,
                  "How the adviser meets people then, comma-separated "
                  "(default all the type allows)")
      ->type_name(EnumChoices(*Adviser::Channel_descriptor()));
  add_cmd.add_option("--types", text.appointment_types,
                     "appointmentTypes/{type} bookable then, comma-separated "
                     "(default all)");
  add_cmd.add_option("--description", text.description,
                     "A note for colleagues");
  AddRequestIdOption(add_cmd, add->request_id);
  selection.Register(add_cmd, [add](CommandEnv& env) {
    absl::StatusOr<v1::CreateAvailabilityRuleRequest> request =
        RuleRequestFor(add->text);
    if (!request.ok()) {
      return UsageError(std::string(request.status().message()), env.err);
    }
    request->set_request_id(add->request_id.empty() ? NewRequestId()
                                                    : add->request_id);
    return CallAndPrint(env, &Stub::CreateAvailabilityRule, *request,
                        Retry::kOnUnavailable);
  });

  auto list =
      AddListCommand(group, selection, "an adviser's availability rules", {},
                     &Stub::ListAvailabilityRules);
  list.cmd
      .add_option("--adviser", *list.request.mutable_parent(),
                  "advisers/{adviser}")
      ->required();
  AddGetCommand(group, selection, &Stub::GetAvailabilityRule);

  auto remove = std::make_shared<v1::DeleteAvailabilityRuleRequest>();
  CLI::App& delete_cmd = AddCommand(
      group, "delete",
      "Remove an availability rule (appointments booked stay booked)");
  AddNameArgument(delete_cmd, *v1::AvailabilityRule::descriptor(),
                  *remove->mutable_name());
  selection.Register(delete_cmd, [remove](CommandEnv& env) {
    google::protobuf::Empty empty;
    const grpc::Status status =
        Call(env, &Stub::DeleteAvailabilityRule, *remove, Retry::kNever, empty);
    if (!status.ok()) {
      PrintRpcError(status, env.err);
      return kExitRpcFailed;
    }
    if (env.output == OutputFormat::kJson) {
      PrintJson(empty, env.out);
    } else {
      env.out << "deleted " << remove->name() << "\n";
    }
    return kExitOk;
  });

  auto path = std::make_shared<std::string>();
  CLI::App& import = AddCommand(
      group, "import", "Add availability rules from a CSV file, one row each");
  import.add_option("FILE", *path, "The CSV file")->required();
  import.footer(
      "The first row names the columns: adviser, kind, start, end and "
      "valid_from, and any of days, time_zone, valid_to, location, channels, "
      "appointment_types, description. List cells separate values with ; or "
      "spaces. A re-run does not add a row's rule twice (each row's request "
      "id is a digest of the rule). Exit code 1 if any row failed. Global "
      "flags (--server, --token, --tls, --tls-ca, --output, --timeout...) "
      "may be given here too.");
  selection.Register(import, [path](CommandEnv& env) {
    return RunAvailabilityImport(env, *path);
  });
}

void AddSlotCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group =
      *root.add_subcommand("slots", "Bookable times of an appointment type");
  group.require_subcommand(1);

  struct State {
    v1::SearchAvailabilityRequest request;
    int page_size = 0;
    bool all = false;
  };
  auto state = std::make_shared<State>();
  v1::SearchAvailabilityRequest* request = &state->request;
  CLI::App& cmd = AddCommand(group, "search", "Find bookable slots");
  cmd.add_option("--type", *request->mutable_appointment_type(),
                 "appointmentTypes/{appointment_type}")
      ->required();
  AddTimeOption(
      cmd, "--from", [request] { return request->mutable_start_time(); },
      "Slots starting at or after this time")
      ->required();
  AddTimeOption(
      cmd, "--to", [request] { return request->mutable_end_time(); },
      "Slots starting before this time (at most 31 days on)")
      ->required();
  cmd.add_option("--adviser", *request->mutable_adviser(),
                 "Only this adviser's slots: advisers/{adviser}");
  cmd.add_option("--location", *request->mutable_location(),
                 "Only slots at locations/{location}");
  AddChannelOption(
      cmd,
      [request](int v) {
        request->set_channel(static_cast<Adviser::Channel>(v));
      },
      "Only slots that offer this channel");
  cmd.add_option("--language", *request->mutable_language_code(),
                 "Only advisers who work in this language (en, cy, gd)");
  AddPagingOptions(cmd, state->page_size, *request->mutable_page_token(),
                   state->all);
  cmd.get_option("--page-size")
      ->description("Slots per page (server default 50, at most 500)");
  selection.Register(cmd, [state](CommandEnv& env) {
    state->request.set_page_size(state->page_size);
    v1::SearchAvailabilityResponse slots;
    const grpc::Status status = CallPages(env, &Stub::SearchAvailability,
                                          state->request, state->all, slots);
    if (!status.ok()) {
      PrintRpcError(status, env.err);
      return kExitRpcFailed;
    }
    PrintSlots(slots, env.output, env.out);
    return kExitOk;
  });
}

void AddAppointmentCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand("appointments", "Booked appointments");
  group.require_subcommand(1);

  auto book = AddMethodCommand(group, selection, "book",
                               "Book an appointment in a slot",
                               &Stub::CreateAppointment);
  Appointment* appointment = book.request.mutable_appointment();
  book.cmd
      .add_option("--profile", *appointment->mutable_profile(),
                  "The person: profiles/{profile}")
      ->required();
  book.cmd
      .add_option("--adviser", *appointment->mutable_adviser(),
                  "advisers/{adviser}")
      ->required();
  book.cmd
      .add_option("--type", *appointment->mutable_appointment_type(),
                  "appointmentTypes/{appointment_type}")
      ->required();
  AddTimeOption(
      book.cmd, "--start",
      [appointment] { return appointment->mutable_start_time(); },
      "The slot's start")
      ->required();
  AddChannelOption(
      book.cmd,
      [appointment](int v) {
        appointment->set_channel(static_cast<Adviser::Channel>(v));
      },
      "How it takes place (one the slot offers)")
      ->required();
  book.cmd.add_option("--notes", *appointment->mutable_notes(),
                      "What the person would like to talk about");
  AddRequestIdOption(book.cmd, *book.request.mutable_request_id());

  AddGetCommand(group, selection, &Stub::GetAppointment);

  auto list = AddListCommand(
      group, selection,
      "a person's, an adviser's or an organisation's appointments",
      {{"--state", "state", "Only appointments in this state",
        Appointment::State_descriptor()},
       {"--type", "appointment_type",
        "Only appointments of appointmentTypes/{appointment_type}"}},
      &Stub::ListAppointments);
  v1::ListAppointmentsRequest* list_request = &list.request;
  list.cmd.add_option("--profile", *list_request->mutable_profile(),
                      "A person's: profiles/{profile}");
  list.cmd.add_option("--adviser", *list_request->mutable_adviser(),
                      "An adviser's: advisers/{adviser}");
  list.cmd.add_option("--organisation", *list_request->mutable_organisation(),
                      "An organisation's: organisations/{organisation}");
  RequireOneOf(list.cmd, "Whose", "Whose appointments to list",
               {"--profile", "--adviser", "--organisation"});
  CLI::Option* upcoming = list.cmd.add_flag_callback(
      "--upcoming",
      [list_request] {
        list_request->set_period(v1::ListAppointmentsRequest::UPCOMING);
      },
      "Only those starting now or later, soonest first");
  list.cmd
      .add_flag_callback(
          "--past",
          [list_request] {
            list_request->set_period(v1::ListAppointmentsRequest::PAST);
          },
          "Only those that started before now, most recent first")
      ->excludes(upcoming);
  AddTimeOption(
      list.cmd, "--from",
      [list_request] { return list_request->mutable_start_time_from(); },
      "Only those starting at or after this time");
  AddTimeOption(
      list.cmd, "--to",
      [list_request] { return list_request->mutable_start_time_to(); },
      "Only those starting before this time");

  auto cancel =
      AddMethodCommand(group, selection, "cancel",
                       "Cancel a booked appointment (BOOKED → CANCELLED)",
                       &Stub::CancelAppointment);
  v1::CancelAppointmentRequest* cancel_request = &cancel.request;
  AddParsedOption<int>(
      cancel.cmd, "--reason", "Why it is cancelled", kCancelReasons,
      [](const std::string& text) -> absl::StatusOr<int> {
        absl::StatusOr<int> reason =
            ParseEnumValue(*Appointment::CancelReason_descriptor(), text);
        if (reason.ok() && *reason != Appointment::RESCHEDULED) return reason;
        return absl::InvalidArgumentError(absl::StrCat(
            "'", text, "' is not one of ", kCancelReasons,
            reason.ok() ? " (rescheduled is set by `appointments reschedule`)"
                        : ""));
      },
      [cancel_request](int v) {
        cancel_request->set_reason(static_cast<Appointment::CancelReason>(v));
      })
      ->required();
  cancel.cmd.add_option("--note", *cancel_request->mutable_note(),
                        "A note (required for other)");
  AddEtagOption(cancel.cmd, *cancel_request->mutable_etag());

  auto reschedule = AddMethodCommand(
      group, selection, "reschedule",
      "Move a booked, future appointment to another slot (once); prints the "
      "new appointment",
      &Stub::RescheduleAppointment);
  v1::RescheduleAppointmentRequest* reschedule_request = &reschedule.request;
  AddTimeOption(
      reschedule.cmd, "--start",
      [reschedule_request] { return reschedule_request->mutable_start_time(); },
      "The new start: a slot of the same type")
      ->required();
  reschedule.cmd.add_option("--adviser", *reschedule_request->mutable_adviser(),
                            "The new adviser (default the same)");
  AddChannelOption(
      reschedule.cmd,
      [reschedule_request](int v) {
        reschedule_request->set_channel(static_cast<Adviser::Channel>(v));
      },
      "The new channel (default the same)");
  AddEtagOption(reschedule.cmd, *reschedule_request->mutable_etag());
  AddRequestIdOption(reschedule.cmd, *reschedule_request->mutable_request_id());

  auto attend = AddMethodCommand(
      group, selection, "attend",
      "Record whether the person came (BOOKED → ATTENDED or NO_SHOW)",
      &Stub::RecordAttendance);
  v1::RecordAttendanceRequest* attend_request = &attend.request;
  attend.cmd.add_flag_callback(
      "--attended",
      [attend_request] {
        attend_request->set_attendance(Appointment::ATTENDED);
      },
      "The person came");
  CLI::Option* no_show = attend.cmd.add_flag_callback(
      "--no-show",
      [attend_request] {
        attend_request->set_attendance(Appointment::NO_SHOW);
      },
      "The person did not come");
  AddEnumOption(
      attend.cmd, "--reason", *Appointment::NoShowReason_descriptor(),
      [attend_request](int v) {
        attend_request->set_no_show_reason(
            static_cast<Appointment::NoShowReason>(v));
      },
      "Why the person did not come, if known")
      ->needs(no_show);
  attend.cmd.add_option("--note", *attend_request->mutable_note(), "A note");
  AddEtagOption(attend.cmd, *attend_request->mutable_etag());
  RequireOneOf(attend.cmd, "Attendance", "Whether the person came",
               {"--attended", "--no-show"});
}

void AddAgendaCommand(CLI::App& root, CommandSelection& selection) {
  struct State {
    std::string adviser;
    google::type::Date date;
    std::string time_zone = kDefaultTimeZone;
  };
  auto state = std::make_shared<State>();
  CLI::App& cmd =
      AddCommand(root, "agenda", "An adviser's appointments on one day");
  cmd.add_option("--adviser", state->adviser, "advisers/{adviser}")->required();
  AddParsedOption<google::type::Date>(
      cmd, "--date", "The day, in --time-zone", "YYYY-MM-DD", ParseDate,
      [state](google::type::Date date) { state->date = date; })
      ->required();
  cmd.add_option("--time-zone", state->time_zone,
                 "IANA zone of the day and the times shown")
      ->check(Accepts(ParseTimeZone))
      ->capture_default_str();
  selection.Register(cmd, [state](CommandEnv& env) {
    const absl::TimeZone zone = *ParseTimeZone(state->time_zone);
    const absl::CivilDay day(state->date.year(), state->date.month(),
                             state->date.day());
    v1::ListAppointmentsRequest request;
    request.set_adviser(state->adviser);
    // The day's bounds in UTC: 23 or 25 hours apart on a DST change.
    *request.mutable_start_time_from() =
        ToTimestamp(absl::FromCivil(day, zone));
    *request.mutable_start_time_to() =
        ToTimestamp(absl::FromCivil(day + 1, zone));
    request.set_page_size(200);
    v1::ListAppointmentsResponse appointments;
    const grpc::Status status = CallPages(env, &Stub::ListAppointments, request,
                                          /*all=*/true, appointments);
    if (!status.ok()) {
      PrintRpcError(status, env.err);
      return kExitRpcFailed;
    }
    if (env.output == OutputFormat::kJson) {
      PrintJson(appointments, env.out);
    } else {
      PrintAgenda(state->adviser, day, zone, state->time_zone, appointments,
                  env.out);
    }
    return kExitOk;
  });
}

void AddCalendarCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group = *root.add_subcommand("calendar", "iCalendar feeds");
  group.require_subcommand(1);

  auto request = std::make_shared<v1::ExportCalendarRequest>();
  CLI::App& cmd =
      AddCommand(group, "export",
                 "Write a person's or an adviser's appointments as iCalendar "
                 "(text/calendar) to standard output");
  cmd.add_option("--profile", *request->mutable_profile(),
                 "A person's calendar: profiles/{profile}");
  cmd.add_option("--adviser", *request->mutable_adviser(),
                 "An adviser's calendar: advisers/{adviser}");
  RequireOneOf(cmd, "Whose", "Whose calendar to export",
               {"--profile", "--adviser"});
  AddTimeOption(
      cmd, "--from", [request] { return request->mutable_start_time_from(); },
      "Appointments starting at or after this time (default 90 "
      "days ago)");
  selection.Register(cmd, [request](CommandEnv& env) {
    google::api::HttpBody body;
    const grpc::Status status =
        Call(env, &Stub::ExportCalendar, *request, Retry::kOnUnavailable, body);
    if (!status.ok()) {
      PrintRpcError(status, env.err);
      return kExitRpcFailed;
    }
    env.out.write(body.data().data(),
                  static_cast<std::streamsize>(body.data().size()));
    env.out.flush();
    return kExitOk;
  });
}

void AddWaitlistCommands(CLI::App& root, CommandSelection& selection) {
  CLI::App& group =
      *root.add_subcommand("waitlist", "Waiting for a seat in a full session");
  group.require_subcommand(1);

  auto join = AddMethodCommand(group, selection, "join",
                               "Join the waitlist of a full group session",
                               &Stub::CreateWaitlistEntry);
  v1::WaitlistEntry* entry = join.request.mutable_waitlist_entry();
  join.cmd
      .add_option("--profile", *entry->mutable_profile(),
                  "The person: profiles/{profile}")
      ->required();
  join.cmd
      .add_option("--adviser", *entry->mutable_adviser(),
                  "The session's adviser: advisers/{adviser}")
      ->required();
  join.cmd
      .add_option("--type", *entry->mutable_appointment_type(),
                  "The session's appointmentTypes/{appointment_type}")
      ->required();
  AddTimeOption(
      join.cmd, "--start", [entry] { return entry->mutable_start_time(); },
      "The session's start")
      ->required();
  AddChannelOption(
      join.cmd,
      [entry](int v) { entry->set_channel(static_cast<Adviser::Channel>(v)); },
      "How the person will take part")
      ->required();
  AddRequestIdOption(join.cmd, *join.request.mutable_request_id());

  AddGetCommand(group, selection, &Stub::GetWaitlistEntry);
  auto list = AddListCommand(
      group, selection,
      "a person's waitlist entries, or a session's queue with each position",
      {}, &Stub::ListWaitlistEntries);
  v1::ListWaitlistEntriesRequest* list_request = &list.request;
  CLI::Option* profile =
      list.cmd.add_option("--profile", *list_request->mutable_profile(),
                          "A person's entries: profiles/{profile}");
  CLI::Option* adviser = list.cmd.add_option(
      "--adviser", *list_request->mutable_adviser(),
      "A session's queue (staff): its adviser, advisers/{adviser}");
  CLI::Option* type =
      list.cmd.add_option("--type", *list_request->mutable_appointment_type(),
                          "The session's appointmentTypes/{appointment_type}");
  CLI::Option* start = AddTimeOption(
      list.cmd, "--start",
      [list_request] { return list_request->mutable_start_time(); },
      "The session's start");
  profile->excludes(adviser)->excludes(type)->excludes(start);
  adviser->needs(type)->needs(start);
  RequireOneOf(list.cmd, "Whose", "A person's entries or a session's queue",
               {"--profile", "--adviser"});
  AddMethodCommand(group, selection, "accept",
                   "Take the offered seat (OFFERED → ACCEPTED)",
                   &Stub::AcceptWaitlistOffer);
  AddMethodCommand(group, selection, "withdraw",
                   "Leave the waitlist, or decline an offer",
                   &Stub::WithdrawWaitlistEntry);
}

}  // namespace careers::cli
