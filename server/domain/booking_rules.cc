#include "server/domain/booking_rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "server/common/status_macros.h"
#include "server/domain/directory_rules.h"
#include "server/domain/field_checks.h"
#include "server/domain/resource_names.h"

namespace careers::rules {
namespace {

using checks::CheckEnum;
using checks::CheckText;

constexpr absl::string_view kLanguages[] = {"en", "cy", "gd"};

std::string Path(absl::string_view prefix, absl::string_view field) {
  return prefix.empty() ? std::string(field) : absl::StrCat(prefix, ".", field);
}

std::string Indexed(absl::string_view prefix, absl::string_view field, int i) {
  return absl::StrCat(Path(prefix, field), "[", i, "]");
}

void Trim(std::string* s) {
  const absl::string_view t = absl::StripAsciiWhitespace(*s);
  if (t.size() != s->size()) *s = std::string(t);
}

void CheckRange(errors::FieldViolations& v, absl::string_view prefix,
                absl::string_view field, int value, int min, int max) {
  if (value < min || value > max) {
    v.Add(Path(prefix, field),
          absl::StrCat("must be between ", min, " and ", max, ", not ", value));
  }
}

// Drops repeated enum values, keeping the first; checks each.
void CheckEnums(errors::FieldViolations& v, absl::string_view prefix,
                absl::string_view field,
                const google::protobuf::EnumDescriptor* type,
                google::protobuf::RepeatedField<int>& values) {
  std::set<int> seen;
  google::protobuf::RepeatedField<int> kept;
  for (int i = 0; i < values.size(); ++i) {
    CheckEnum(v, Indexed(prefix, field, i), type, values.Get(i), true);
    if (seen.insert(values.Get(i)).second) kept.Add(values.Get(i));
  }
  values.Swap(&kept);
}

void DropRepeats(google::protobuf::RepeatedPtrField<std::string>& values) {
  std::set<std::string> seen;
  google::protobuf::RepeatedPtrField<std::string> kept;
  for (std::string& s : values) {
    if (seen.insert(s).second) *kept.Add() = std::move(s);
  }
  values.Swap(&kept);
}

void CheckTime(errors::FieldViolations& v, absl::string_view prefix,
               absl::string_view field, const google::type::TimeOfDay& t,
               bool has, bool end) {
  const std::string path = Path(prefix, field);
  if (!has) {
    v.Add(path, "is required");
    return;
  }
  if (t.seconds() != 0 || t.nanos() != 0) {
    v.Add(path, "must be on a whole minute");
  }
  const bool midnight_end = end && t.hours() == 24 && t.minutes() == 0;
  if (!midnight_end && (t.hours() < 0 || t.hours() > 23 || t.minutes() < 0 ||
                        t.minutes() > 59)) {
    v.Add(path, end ? "must be a time from 00:00 to 24:00"
                    : "must be a time from 00:00 to 23:59");
  }
}

}  // namespace

int MinuteOfDay(const google::type::TimeOfDay& time) {
  return time.hours() * 60 + time.minutes();
}

void NormalizeAndCheckAppointmentType(v1::AppointmentType& t,
                                      absl::string_view prefix,
                                      errors::FieldViolations& v) {
  Trim(t.mutable_display_name());
  Trim(t.mutable_description());
  CheckText(v, Path(prefix, "display_name"), t.display_name(), {1, 200});
  CheckText(v, Path(prefix, "description"), t.description(),
            {0, 2000, /*multiline=*/true});
  CheckRange(v, prefix, "duration_minutes", t.duration_minutes(), 5, 480);
  CheckRange(v, prefix, "buffer_before_minutes", t.buffer_before_minutes(), 0,
             240);
  CheckRange(v, prefix, "buffer_after_minutes", t.buffer_after_minutes(), 0,
             240);
  CheckRange(v, prefix, "minimum_notice_minutes", t.minimum_notice_minutes(), 0,
             43200);
  if (t.booking_horizon_days() == 0) {
    t.set_booking_horizon_days(kDefaultBookingHorizonDays);
  }
  CheckRange(v, prefix, "booking_horizon_days", t.booking_horizon_days(), 1,
             365);
  if (t.seats() == 0) t.set_seats(1);
  CheckRange(v, prefix, "seats", t.seats(), 1, 500);
  CheckRange(v, prefix, "per_person_limit", t.per_person_limit(), 0, 100);
  if (t.channels_size() == 0) {
    v.Add(Path(prefix, "channels"), "needs at least one channel");
  }
  CheckEnums(v, prefix, "channels", v1::Adviser::Channel_descriptor(),
             *t.mutable_channels());
  CheckEnums(v, prefix, "audience_life_stages",
             v1::Profile::LifeStage_descriptor(),
             *t.mutable_audience_life_stages());
  for (int i = 0; i < t.audience_school_stages_size(); ++i) {
    std::string* stage = t.mutable_audience_school_stages(i);
    Trim(stage);
    CheckText(v, Indexed(prefix, "audience_school_stages", i), *stage, {1, 16});
  }
  DropRepeats(*t.mutable_audience_school_stages());
  for (int i = 0; i < t.language_codes_size(); ++i) {
    std::string* code = t.mutable_language_codes(i);
    *code = absl::AsciiStrToLower(absl::StripAsciiWhitespace(*code));
    if (std::find(std::begin(kLanguages), std::end(kLanguages), *code) ==
        std::end(kLanguages)) {
      v.Add(Indexed(prefix, "language_codes", i), "must be one of en, cy, gd");
    }
  }
  DropRepeats(*t.mutable_language_codes());
}

void NormalizeAndCheckAvailabilityRule(v1::AvailabilityRule& r,
                                       absl::string_view prefix,
                                       errors::FieldViolations& v) {
  CheckEnum(v, Path(prefix, "kind"), v1::AvailabilityRule::Kind_descriptor(),
            r.kind(), true);
  CheckEnums(v, prefix, "days", google::type::DayOfWeek_descriptor(),
             *r.mutable_days());
  CheckTime(v, prefix, "start_time", r.start_time(), r.has_start_time(), false);
  CheckTime(v, prefix, "end_time", r.end_time(), r.has_end_time(), true);
  if (r.has_start_time() && r.has_end_time() &&
      MinuteOfDay(r.end_time()) <= MinuteOfDay(r.start_time())) {
    v.Add(Path(prefix, "end_time"), "must be after start_time");
  }
  Trim(r.mutable_time_zone());
  if (r.time_zone().empty()) r.set_time_zone(std::string(kDefaultTimeZone));
  if (!IsKnownTimeZone(r.time_zone())) {
    v.Add(
        Path(prefix, "time_zone"),
        absl::StrCat("\"", r.time_zone(), "\" is not a known IANA time zone"));
  }
  const std::optional<absl::CivilDay> from =
      checks::CheckDate(v, Path(prefix, "valid_from"),
                        r.has_valid_from() ? &r.valid_from() : nullptr, true);
  const std::optional<absl::CivilDay> to =
      checks::CheckDate(v, Path(prefix, "valid_to"),
                        r.has_valid_to() ? &r.valid_to() : nullptr, false);
  const bool exception = r.kind() == v1::AvailabilityRule::EXTRA ||
                         r.kind() == v1::AvailabilityRule::BLOCKED;
  if (from && to && *to < *from) {
    v.Add(Path(prefix, "valid_to"), "must not be before valid_from");
  } else if (exception && !r.has_valid_to()) {
    v.Add(Path(prefix, "valid_to"), "is required for EXTRA and BLOCKED rules");
  } else if (exception && from && to && *to - *from > 366) {
    v.Add(Path(prefix, "valid_to"),
          "must be at most 366 days after valid_from for an exception");
  }
  Trim(r.mutable_location());
  checks::CheckOptionalName(v, Path(prefix, "location"), r.location(),
                            names::kLocations);
  CheckEnums(v, prefix, "channels", v1::Adviser::Channel_descriptor(),
             *r.mutable_channels());
  for (int i = 0; i < r.appointment_types_size(); ++i) {
    checks::CheckOptionalName(v, Indexed(prefix, "appointment_types", i),
                              r.appointment_types(i), names::kAppointmentTypes);
  }
  DropRepeats(*r.mutable_appointment_types());
  Trim(r.mutable_description());
  CheckText(v, Path(prefix, "description"), r.description(), {0, 200});
  if (r.kind() == v1::AvailabilityRule::BLOCKED) {
    if (!r.location().empty()) {
      v.Add(Path(prefix, "location"), "is not for a BLOCKED rule");
    }
    if (r.channels_size() > 0) {
      v.Add(Path(prefix, "channels"), "are not for a BLOCKED rule");
    }
    if (r.appointment_types_size() > 0) {
      v.Add(Path(prefix, "appointment_types"), "are not for a BLOCKED rule");
    }
  } else if (r.location().empty() &&
             std::find(r.channels().begin(), r.channels().end(),
                       v1::Adviser::IN_PERSON) != r.channels().end()) {
    v.Add(Path(prefix, "location"), "is required to offer IN_PERSON");
  }
}

absl::Status CheckMayJoinWaitlist(const PersonAtTime& person) {
  if (person.holds_seat_in_session) {
    return errors::FailedPrecondition("ALREADY_BOOKED", person.profile,
                                      "already holds a seat in this session");
  }
  return absl::OkStatus();
}

absl::Status CheckPersonCanTake(const v1::AppointmentType& type,
                                const PersonAtTime& person) {
  CAREERS_RETURN_IF_ERROR(CheckMayJoinWaitlist(person));
  if (type.per_person_limit() > 0 &&
      person.upcoming_of_type >= type.per_person_limit()) {
    return errors::FailedPrecondition(
        "PER_PERSON_LIMIT", person.profile,
        absl::StrCat("already has ", person.upcoming_of_type, " upcoming ",
                     type.name(), " appointment(s), the most it allows"));
  }
  if (person.busy) {
    return errors::FailedPrecondition(
        "PERSON_BUSY", person.profile,
        "already has an appointment at that time");
  }
  return absl::OkStatus();
}

}  // namespace careers::rules
