#include "server/domain/booking.h"

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <map>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "server/common/ids.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/domain/booking_rules.h"
#include "server/domain/consents.h"
#include "server/domain/errors.h"
#include "server/domain/field_checks.h"
#include "server/domain/field_mask.h"
#include "server/domain/filter.h"
#include "server/domain/icalendar.h"
#include "server/domain/resource_names.h"
#include "server/domain/schedule.h"
#include "server/domain/standard_methods.h"

namespace careers::domain {
namespace {

using errors::FieldViolations;
using v1::Appointment;
using v1::WaitlistEntry;

constexpr absl::Duration kMaxSearchWindow = absl::Hours(24 * 31);
// SearchAvailability expands the rules this much of the window at a time.
constexpr absl::Duration kSearchChunk = absl::Hours(24);
constexpr int kMaxCalendarEvents = 2000;

std::string IdOf(const std::string& name) { return LastSegment(name); }

// "2027-03-29T08:00:00Z", for messages.
std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// A required resource name in a request, with its id.
std::string RequiredId(FieldViolations& v, absl::string_view field,
                       const std::string& name, absl::string_view collection) {
  if (name.empty()) {
    v.Add(std::string(field), "is required");
    return "";
  }
  checks::CheckOptionalName(v, field, name, collection);
  return IdOf(name);
}

// Whether exactly one of the alternative fields (name, value) is set; if
// not, a violation names each field concerned: every one that is set when
// several are, all of them when none is.
bool ExactlyOneOf(
    FieldViolations& v,
    std::initializer_list<std::pair<absl::string_view, absl::string_view>>
        fields) {
  std::vector<std::string> names;
  int set = 0;
  for (const auto& [name, value] : fields) {
    names.emplace_back(name);
    set += !value.empty();
  }
  if (set == 1) return true;
  const std::string which = absl::StrJoin(names, ", ");
  for (const auto& [name, value] : fields) {
    if (set == 0 || !value.empty()) {
      v.Add(std::string(name),
            set == 0 ? absl::StrCat("one of ", which, " is required")
                     : absl::StrCat("only one of ", which, " may be given"));
    }
  }
  return false;
}

absl::Time RequiredTime(FieldViolations& v, absl::string_view field, bool has,
                        const google::protobuf::Timestamp& t) {
  if (!has) {
    v.Add(std::string(field), "is required");
    return absl::InfinitePast();
  }
  return FromProtoTimestamp(t);
}

bool AudienceAdmits(const v1::AppointmentType& type,
                    const BookingPerson& person) {
  const auto& stages = type.audience_life_stages();
  if (!stages.empty() && std::find(stages.begin(), stages.end(),
                                   person.life_stage) == stages.end()) {
    return false;
  }
  const auto& school = type.audience_school_stages();
  if (school.empty()) return true;
  return person.life_stage == v1::Profile::SCHOOL &&
         std::find(school.begin(), school.end(), person.school_stage) !=
             school.end();
}

// "Video call", "Phone call", "In person at locations/x".
std::string WhereText(const Appointment& a) {
  switch (a.channel()) {
    case v1::Adviser::VIDEO:
      return "Video call";
    case v1::Adviser::PHONE:
      return "Phone call";
    default:
      return a.location().empty() ? "In person"
                                  : absl::StrCat("In person at ", a.location());
  }
}

// Why `query`'s start is not one of the calendar's slots, as the most
// specific refusal: taken by a booking or a held seat (SLOT_TAKEN), outside
// the booking window (MINIMUM_NOTICE, SAME_DAY_NOT_ALLOWED, BEYOND_HORIZON,
// with the times an app can offer instead), or not in the adviser's hours
// for the type and channel at all (OUTSIDE_HOURS).
absl::Status WhyNotBookable(const BookingFacts& facts,
                            const schedule::SlotQuery& query,
                            const std::string& slot) {
  const v1::AppointmentType& type = *query.type;
  schedule::AdviserCalendar unbooked = facts.calendar;
  unbooked.booked.clear();
  unbooked.held.clear();
  if (!schedule::SlotsFor(unbooked, query).empty()) {
    return errors::FailedPrecondition("SLOT_TAKEN", slot,
                                      "was just taken; choose another");
  }
  schedule::SlotQuery any_time = query;
  any_time.ignore_booking_window = true;
  const std::vector<v1::Slot> in_hours = schedule::SlotsFor(unbooked, any_time);
  if (in_hours.empty()) {
    return errors::FailedPrecondition(
        "OUTSIDE_HOURS", slot,
        absl::StrCat("is not a slot of ", facts.calendar.adviser,
                     "'s hours for ", type.name(), " by ",
                     v1::Adviser::Channel_Name(query.channel),
                     "; search for slots to see the times offered"));
  }
  absl::TimeZone tz = absl::UTCTimeZone();
  absl::LoadTimeZone(in_hours.front().time_zone(), &tz);
  const schedule::BookingWindow window =
      schedule::CheckBookingWindow(type, tz, query.from, query.now);
  using Verdict = schedule::BookingWindow::Verdict;
  switch (window.verdict) {
    case Verdict::kMinimumNotice:
      return errors::FailedPrecondition(
          "MINIMUM_NOTICE", slot,
          absl::StrCat("needs ", type.minimum_notice_minutes(),
                       " minutes' notice; the earliest start bookable now is ",
                       Rfc3339(window.earliest_start)),
          {{"earliest_start", Rfc3339(window.earliest_start)}});
    case Verdict::kSameDay:
      return errors::FailedPrecondition(
          "SAME_DAY_NOT_ALLOWED", slot,
          absl::StrCat(type.name(),
                       " cannot be booked on the day itself; the earliest "
                       "start bookable now is ",
                       Rfc3339(window.earliest_start)),
          {{"earliest_start", Rfc3339(window.earliest_start)}});
    case Verdict::kBeyondHorizon:
      return errors::FailedPrecondition(
          "BEYOND_HORIZON", slot,
          absl::StrCat("is more than ", type.booking_horizon_days(),
                       " days ahead; it can be booked from ",
                       Rfc3339(window.bookable_from)),
          {{"bookable_from", Rfc3339(window.bookable_from)},
           {"bookable_until", Rfc3339(window.bookable_until)}});
    case Verdict::kOpen:
      break;
  }
  // In the hours and the window but still not a slot: its time is blocked
  // next to another appointment's buffers.
  return errors::FailedPrecondition("SLOT_TAKEN", slot,
                                    "was just taken; choose another");
}

}  // namespace

Booking::Booking(BookingRepository& repository, DirectoryLookup& directory,
                 const Clock& clock, const PageTokenCodec& page_tokens,
                 BookingOptions options)
    : repository_(repository),
      directory_(directory),
      clock_(clock),
      page_tokens_(page_tokens),
      options_(std::move(options)) {}

OfferTerms Booking::Offer() const {
  return {
      clock_.Now(), options_.offer_ttl,
      [](const v1::AppointmentType& type, const rules::PersonAtTime& person) {
        return rules::CheckPersonCanTake(type, person).ok();
      }};
}

// ------------------------------------------------------ appointment types

absl::StatusOr<v1::AppointmentType> Booking::CreateAppointmentType(
    const RequestContext& ctx, const v1::CreateAppointmentTypeRequest& req) {
  v1::AppointmentType type = req.appointment_type();
  ClearOutputOnlyFields(type);
  FieldViolations v;
  const std::string org_id =
      RequiredId(v, "appointment_type.organisation", type.organisation(),
                 names::kOrganisations);
  rules::NormalizeAndCheckAppointmentType(type, "appointment_type", v);
  CheckClientChosenId("appointment_type_id", req.appointment_type_id(), v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateAppointmentType", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_ASSIGN_OR_RETURN(bool org_exists,
                           directory_.OrganisationExists(ctx, org_id));
  if (!org_exists) {
    return errors::InvalidField(
        "appointment_type.organisation",
        absl::StrCat(type.organisation(), " does not exist"));
  }
  const absl::Time now = clock_.Now();
  const std::string id = req.appointment_type_id().empty()
                             ? NewResourceId(now)
                             : req.appointment_type_id();
  type.set_name(names::Name(names::kAppointmentTypes, id));
  *type.mutable_create_time() = ToProtoTimestamp(now);
  *type.mutable_update_time() = ToProtoTimestamp(now);
  return repository_.CreateAppointmentType(ctx, id, type, KeyPtr(key));
}

absl::StatusOr<v1::AppointmentType> Booking::GetAppointmentType(
    const RequestContext& ctx, const v1::GetAppointmentTypeRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("name", req.name(), names::kAppointmentTypes));
  return repository_.GetAppointmentType(ctx, id);
}

absl::StatusOr<v1::ListAppointmentTypesResponse> Booking::ListAppointmentTypes(
    const RequestContext& ctx, const v1::ListAppointmentTypesRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms,
                           ParseFilter(req.filter(), {"organisation"}));
  AppointmentTypeQuery query;
  query.limit = page_size;
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    query.organisation_id = NameFilterValue(term, names::kOrganisations, v);
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListAppointmentTypes", req.filter()});
  if (!req.page_token().empty()) {
    CAREERS_ASSIGN_OR_RETURN(
        std::vector<std::string> key,
        page_tokens_.Decode(req.page_token(), digest, now));
    if (key.size() != 2) {
      return errors::InvalidField("page_token", "is not a valid page token");
    }
    query.after = NameCursor{key[0], key[1]};
  }
  CAREERS_ASSIGN_OR_RETURN(Page<v1::AppointmentType> page,
                           repository_.ListAppointmentTypes(ctx, query));
  v1::ListAppointmentTypesResponse resp;
  for (v1::AppointmentType& t : page.items) {
    *resp.add_appointment_types() = std::move(t);
  }
  if (page.has_more && resp.appointment_types_size() > 0) {
    const v1::AppointmentType& last = *resp.appointment_types().rbegin();
    resp.set_next_page_token(page_tokens_.Encode(
        digest, {last.display_name(), IdOf(last.name())}, now));
  }
  return resp;
}

absl::StatusOr<v1::AppointmentType> Booking::UpdateAppointmentType(
    const RequestContext& ctx, const v1::UpdateAppointmentTypeRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("appointment_type.name", req.appointment_type().name(),
                       names::kAppointmentTypes));
  v1::AppointmentType scratch;
  CAREERS_RETURN_IF_ERROR(ApplyFieldMask(
      req.update_mask(), req.appointment_type(), scratch, "update_mask"));
  const absl::Time now = clock_.Now();
  return repository_.UpdateAppointmentType(
      ctx, id, [&](v1::AppointmentType& current) -> absl::Status {
        CAREERS_RETURN_IF_ERROR(
            CheckEtag(current, req.appointment_type().etag()));
        const std::string& org = req.appointment_type().organisation();
        if (!org.empty() && org != current.organisation()) {
          return errors::InvalidField("appointment_type.organisation",
                                      "cannot be changed");
        }
        CAREERS_RETURN_IF_ERROR(ApplyFieldMask(
            req.update_mask(), req.appointment_type(), current, "update_mask"));
        FieldViolations v;
        rules::NormalizeAndCheckAppointmentType(current, "appointment_type", v);
        CAREERS_RETURN_IF_ERROR(v.ToStatus());
        *current.mutable_update_time() = ToProtoTimestamp(now);
        return absl::OkStatus();
      });
}

// ----------------------------------------------------- availability rules

absl::StatusOr<v1::AvailabilityRule> Booking::CreateAvailabilityRule(
    const RequestContext& ctx, const v1::CreateAvailabilityRuleRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string adviser_id,
      names::ParseName("parent", req.parent(), names::kAdvisers));
  v1::AvailabilityRule rule = req.availability_rule();
  ClearOutputOnlyFields(rule);
  FieldViolations v;
  rules::NormalizeAndCheckAvailabilityRule(rule, "availability_rule", v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateAvailabilityRule", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  // What the rule refers to belongs to the adviser's organisation.
  CAREERS_ASSIGN_OR_RETURN(std::optional<std::string> org,
                           directory_.OrganisationOfAdviser(ctx, adviser_id));
  if (!org) {
    return errors::NotFound("careers.uk/Adviser", req.parent());
  }
  if (!rule.location().empty()) {
    const std::string location_id = IdOf(rule.location());
    CAREERS_ASSIGN_OR_RETURN(
        std::optional<std::string> location_org,
        directory_.OrganisationOfLocation(ctx, location_id));
    CAREERS_ASSIGN_OR_RETURN(std::optional<std::string> location_zone,
                             directory_.TimeZoneOfLocation(ctx, location_id));
    if (location_org != org) {
      v.Add("availability_rule.location",
            absl::StrCat(rule.location(),
                         " is not a location of the adviser's organisation"));
    } else if (location_zone && !location_zone->empty()) {
      // Local times at a place are in its zone: the rule takes the
      // location's zone, and appointments there are shown in it.
      if (!req.availability_rule().time_zone().empty() &&
          rule.time_zone() != *location_zone) {
        v.Add("availability_rule.time_zone",
              absl::StrCat("must be the location's zone, ", *location_zone,
                           ", or left out"));
      }
      rule.set_time_zone(*location_zone);
    }
  }
  for (int i = 0; i < rule.appointment_types_size(); ++i) {
    absl::StatusOr<v1::AppointmentType> type =
        repository_.GetAppointmentType(ctx, IdOf(rule.appointment_types(i)));
    if (absl::IsNotFound(type.status()) ||
        (type.ok() && IdOf(type->organisation()) != *org)) {
      v.Add(absl::StrCat("availability_rule.appointment_types[", i, "]"),
            absl::StrCat(rule.appointment_types(i),
                         " is not a type of the adviser's organisation"));
    } else if (!type.ok()) {
      return type.status();
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const std::string id = NewResourceId(now);
  rule.set_name(names::ChildName(names::kAdvisers, adviser_id,
                                 names::kAvailabilityRules, id));
  *rule.mutable_create_time() = ToProtoTimestamp(now);
  *rule.mutable_created_by() = ActorOf(ctx.principal);
  return repository_.CreateAvailabilityRule(ctx, adviser_id, id, rule,
                                            KeyPtr(key));
}

absl::StatusOr<v1::AvailabilityRule> Booking::GetAvailabilityRule(
    const RequestContext& ctx, const v1::GetAvailabilityRuleRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", req.name(), names::kAdvisers,
                            names::kAvailabilityRules));
  return repository_.GetAvailabilityRule(ctx, id.parent_id, id.id);
}

absl::StatusOr<v1::ListAvailabilityRulesResponse>
Booking::ListAvailabilityRules(const RequestContext& ctx,
                               const v1::ListAvailabilityRulesRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string adviser_id,
      names::ParseName("parent", req.parent(), names::kAdvisers));
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  AvailabilityRuleQuery query{adviser_id, std::nullopt, page_size};
  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListAvailabilityRules", req.parent()});
  CAREERS_ASSIGN_OR_RETURN(
      query.after,
      DecodeCreationCursor(page_tokens_, req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<v1::AvailabilityRule> page,
                           repository_.ListAvailabilityRules(ctx, query));
  v1::ListAvailabilityRulesResponse resp;
  for (v1::AvailabilityRule& r : page.items) {
    *resp.add_availability_rules() = std::move(r);
  }
  if (page.has_more && resp.availability_rules_size() > 0) {
    const v1::AvailabilityRule& last = *resp.availability_rules().rbegin();
    resp.set_next_page_token(EncodeCreationCursor(
        page_tokens_, digest, last.create_time(), last.name(), now));
  }
  return resp;
}

absl::Status Booking::DeleteAvailabilityRule(
    const RequestContext& ctx, const v1::DeleteAvailabilityRuleRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", req.name(), names::kAdvisers,
                            names::kAvailabilityRules));
  return repository_.DeleteAvailabilityRule(ctx, id.parent_id, id.id);
}

// ----------------------------------------------------------------- slots

absl::StatusOr<v1::SearchAvailabilityResponse> Booking::SearchAvailability(
    const RequestContext& ctx, const v1::SearchAvailabilityRequest& req) {
  FieldViolations v;
  const std::string type_id = RequiredId(
      v, "appointment_type", req.appointment_type(), names::kAppointmentTypes);
  const absl::Time from =
      RequiredTime(v, "start_time", req.has_start_time(), req.start_time());
  const absl::Time to =
      RequiredTime(v, "end_time", req.has_end_time(), req.end_time());
  if (req.has_start_time() && req.has_end_time()) {
    if (to <= from) {
      v.Add("end_time", "must be after start_time");
    } else if (to - from > kMaxSearchWindow) {
      v.Add("end_time", "must be at most 31 days after start_time");
    }
  }
  checks::CheckOptionalName(v, "adviser", req.adviser(), names::kAdvisers);
  checks::CheckOptionalName(v, "location", req.location(), names::kLocations);
  checks::CheckEnum(v, "channel", v1::Adviser::Channel_descriptor(),
                    req.channel(), false);
  checks::CheckText(v, "language_code", req.language_code(), {0, 8});
  absl::StatusOr<int> page_size =
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxSlotPageSize);
  if (!page_size.ok()) v.Add("page_size", "must not be negative");
  CAREERS_RETURN_IF_ERROR(v.ToStatus());

  const absl::Time now = clock_.Now();
  v1::SearchAvailabilityRequest shape = req;
  shape.clear_page_size();
  shape.clear_page_token();
  const std::string digest = PageTokenCodec::QueryDigest(
      {"SearchAvailability", shape.SerializeAsString()});
  std::optional<std::pair<absl::Time, std::string>> after;
  if (!req.page_token().empty()) {
    CAREERS_ASSIGN_OR_RETURN(
        std::vector<std::string> key,
        page_tokens_.Decode(req.page_token(), digest, now));
    int64_t micros = 0;
    if (key.size() != 2 || !absl::SimpleAtoi(key[0], &micros)) {
      return errors::InvalidField("page_token", "is not a valid page token");
    }
    after.emplace(absl::FromUnixMicros(micros), key[1]);
  }

  CAREERS_ASSIGN_OR_RETURN(v1::AppointmentType type,
                           repository_.GetAppointmentType(ctx, type_id));
  CalendarQuery query;
  query.organisation_id = IdOf(type.organisation());
  if (!req.adviser().empty()) query.adviser_id = IdOf(req.adviser());
  if (!req.language_code().empty()) query.language_code = req.language_code();
  query.from = from;
  query.to = to;
  query.now = now;
  CAREERS_ASSIGN_OR_RETURN(std::vector<schedule::AdviserCalendar> calendars,
                           repository_.ReadCalendars(ctx, query));
  schedule::SlotQuery slot_query;
  slot_query.type = &type;
  slot_query.now = now;
  slot_query.location = req.location();
  slot_query.channel = req.channel();
  // Slots come in (start, adviser) order. Slots of a later day all sort
  // after those of an earlier one, so the window is expanded a day at a
  // time, from the cursor on, until a page is full: the first page of a
  // week across hundreds of advisers costs one day of slots, not seven.
  // Of a day's slots only those the page still needs are put in order.
  // Only the slots on the page become v1::Slots.
  struct Keyed {
    schedule::FreeSlot free;
    const schedule::AdviserCalendar* calendar;
    bool operator<(const Keyed& o) const {
      return free.start != o.free.start
                 ? free.start < o.free.start
                 : calendar->adviser < o.calendar->adviser;
    }
  };
  const size_t wanted =
      static_cast<size_t>(*page_size) + 1;  // one more: a next page?
  std::vector<v1::Slot> slots;              // after the cursor, in order
  for (absl::Time chunk_from = after ? std::max(from, after->first) : from;
       chunk_from < to && slots.size() < wanted; chunk_from += kSearchChunk) {
    slot_query.from = chunk_from;
    slot_query.to = std::min(to, chunk_from + kSearchChunk);
    std::vector<Keyed> keys;
    for (const schedule::AdviserCalendar& calendar : calendars) {
      for (const schedule::FreeSlot& free :
           schedule::FreeSlots(calendar, slot_query)) {
        if (after && (free.start < after->first ||
                      (free.start == after->first &&
                       calendar.adviser <= after->second))) {
          continue;
        }
        keys.push_back({free, &calendar});
      }
    }
    const size_t need = std::min(wanted - slots.size(), keys.size());
    std::partial_sort(keys.begin(), keys.begin() + static_cast<long>(need),
                      keys.end());
    for (size_t i = 0; i < need; ++i) {
      slots.push_back(
          schedule::MakeSlot(*keys[i].calendar, slot_query, keys[i].free));
    }
  }
  v1::SearchAvailabilityResponse resp;
  for (v1::Slot& slot : slots) {
    if (resp.slots_size() == *page_size) {
      const v1::Slot& last = *resp.slots().rbegin();
      resp.set_next_page_token(page_tokens_.Encode(
          digest,
          {absl::StrCat(
               absl::ToUnixMicros(FromProtoTimestamp(last.start_time()))),
           last.adviser()},
          now));
      break;
    }
    *resp.add_slots() = std::move(slot);
  }
  return resp;
}

// ------------------------------------------------------------ appointments

BookingTarget Booking::TargetOf(const SlotChoice& choice,
                                absl::Time now) const {
  BookingTarget target;
  target.profile_id = choice.profile_id;
  target.adviser_id = choice.adviser_id;
  target.appointment_type_id = IdOf(choice.type.name());
  target.start = choice.start;
  target.end = choice.start + absl::Minutes(choice.type.duration_minutes());
  target.now = now;
  target.offer = Offer();
  target.offer.now = now;
  return target;
}

absl::StatusOr<BookingPlan> Booking::Decide(const RequestContext& ctx,
                                            const BookingFacts& facts,
                                            const SlotChoice& choice,
                                            absl::Time now) const {
  const v1::AppointmentType& type = facts.type;
  const std::string adviser = names::Name(names::kAdvisers, choice.adviser_id);
  const std::string slot = names::SlotName(adviser, choice.start);
  if (!facts.adviser_active) {
    return errors::FailedPrecondition("ADVISER_INACTIVE", adviser,
                                      "is not taking appointments");
  }
  if (facts.adviser_organisation_id != IdOf(type.organisation())) {
    return errors::FailedPrecondition(
        "NOT_OFFERED", type.name(),
        absl::StrCat("is not offered by ", adviser, "'s organisation"));
  }
  if (!AudienceAdmits(type, facts.person)) {
    return errors::FailedPrecondition(
        "AUDIENCE", type.name(),
        "is not for this person's life stage or school stage");
  }
  if (choice.start < now) {
    return errors::FailedPrecondition(
        "PAST", slot,
        absl::StrCat("starts at ", Rfc3339(choice.start),
                     ", which is in the past"));
  }
  schedule::SlotQuery query;
  query.type = &type;
  query.from = choice.start;
  query.to = choice.start + absl::Microseconds(1);
  query.now = now;
  query.channel = choice.channel;
  const std::vector<v1::Slot> slots = schedule::SlotsFor(facts.calendar, query);
  if (slots.empty()) return WhyNotBookable(facts, query, slot);
  if (type.seats() > 1 && slots.front().seats_remaining() <= 0) {
    return errors::FailedPrecondition("SESSION_FULL", slot,
                                      "is full; join its waitlist");
  }
  CAREERS_RETURN_IF_ERROR(rules::CheckPersonCanTake(
      type, {names::Name(names::kProfiles, choice.profile_id),
             facts.person_upcoming_of_type, facts.person_busy,
             facts.person_in_session}));
  int seat = 0;
  for (int s = 1; s <= std::max(1, type.seats()) && seat == 0; ++s) {
    if (std::find(facts.session_seats_taken.begin(),
                  facts.session_seats_taken.end(),
                  s) == facts.session_seats_taken.end()) {
      seat = s;
    }
  }
  if (seat == 0) {
    return errors::FailedPrecondition("SESSION_FULL", slot,
                                      "is full; join its waitlist");
  }

  BookingPlan plan;
  Appointment& a = plan.appointment;
  const absl::Time end = choice.start + absl::Minutes(type.duration_minutes());
  a.set_name(names::Name(names::kAppointments, NewResourceId(now)));
  a.set_profile(names::Name(names::kProfiles, choice.profile_id));
  a.set_adviser(adviser);
  a.set_appointment_type(type.name());
  a.set_channel(choice.channel);
  if (choice.channel == v1::Adviser::IN_PERSON) {
    a.set_location(slots.front().location());
  }
  *a.mutable_start_time() = ToProtoTimestamp(choice.start);
  *a.mutable_end_time() = ToProtoTimestamp(end);
  a.set_time_zone(slots.front().time_zone());
  schedule::SetLocalTimes(a);
  a.set_state(Appointment::BOOKED);
  a.set_notes(choice.notes);
  a.set_seat(seat);
  *a.mutable_booked_by() = ActorOf(ctx.principal);
  *a.mutable_create_time() = ToProtoTimestamp(now);
  plan.seats = std::max(1, type.seats());
  plan.block_start = choice.start - absl::Minutes(type.buffer_before_minutes());
  plan.block_end = end + absl::Minutes(type.buffer_after_minutes());
  for (const ReminderOffset& r : options_.reminder_offsets) {
    const absl::Time due = choice.start - r.before;
    if (due > now) plan.reminders.push_back({r.kind, due});
  }
  return plan;
}

absl::StatusOr<Appointment> Booking::CreateAppointment(
    const RequestContext& ctx, const v1::CreateAppointmentRequest& req) {
  const Appointment& in = req.appointment();
  FieldViolations v;
  SlotChoice choice;
  choice.profile_id =
      RequiredId(v, "appointment.profile", in.profile(), names::kProfiles);
  choice.adviser_id =
      RequiredId(v, "appointment.adviser", in.adviser(), names::kAdvisers);
  const std::string type_id =
      RequiredId(v, "appointment.appointment_type", in.appointment_type(),
                 names::kAppointmentTypes);
  checks::CheckEnum(v, "appointment.channel", v1::Adviser::Channel_descriptor(),
                    in.channel(), true);
  choice.channel = in.channel();
  choice.start = RequiredTime(v, "appointment.start_time", in.has_start_time(),
                              in.start_time());
  choice.notes = std::string(absl::StripAsciiWhitespace(in.notes()));
  checks::CheckText(v, "appointment.notes", choice.notes,
                    {0, 1000, /*multiline=*/true});
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateAppointment", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  absl::StatusOr<v1::AppointmentType> type =
      repository_.GetAppointmentType(ctx, type_id);
  if (absl::IsNotFound(type.status())) {
    return errors::InvalidField(
        "appointment.appointment_type",
        absl::StrCat(in.appointment_type(), " does not exist"));
  }
  CAREERS_RETURN_IF_ERROR(type.status());
  choice.type = *std::move(type);
  const absl::Time now = clock_.Now();
  CAREERS_ASSIGN_OR_RETURN(
      BookingPlan plan,
      repository_.Book(ctx, TargetOf(choice, now), KeyPtr(key),
                       [&](const BookingFacts& facts) {
                         return Decide(ctx, facts, choice, now);
                       }));
  return std::move(plan.appointment);
}

absl::StatusOr<Appointment> Booking::GetAppointment(
    const RequestContext& ctx, const v1::GetAppointmentRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("name", req.name(), names::kAppointments));
  CAREERS_ASSIGN_OR_RETURN(Appointment a, repository_.GetAppointment(ctx, id));
  return a;
}

absl::StatusOr<v1::ListAppointmentsResponse> Booking::ListAppointments(
    const RequestContext& ctx, const v1::ListAppointmentsRequest& req) {
  FieldViolations v;
  AppointmentQuery query;
  const bool one_owner =
      ExactlyOneOf(v, {{"profile", req.profile()},
                       {"adviser", req.adviser()},
                       {"organisation", req.organisation()}});
  if (one_owner && !req.profile().empty()) {
    query.profile_id =
        RequiredId(v, "profile", req.profile(), names::kProfiles);
  } else if (one_owner && !req.adviser().empty()) {
    query.adviser_id =
        RequiredId(v, "adviser", req.adviser(), names::kAdvisers);
  } else if (one_owner) {
    query.organisation_id = RequiredId(v, "organisation", req.organisation(),
                                       names::kOrganisations);
  }
  checks::CheckEnum(v, "period",
                    v1::ListAppointmentsRequest::Period_descriptor(),
                    req.period(), false);
  absl::StatusOr<int> page_size =
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) v.Add("page_size", "must not be negative");
  absl::StatusOr<std::vector<FilterTerm>> terms =
      ParseFilter(req.filter(), {"state", "appointment_type"});
  if (!terms.ok()) return terms.status();
  for (const FilterTerm& term : *terms) {
    if (term.field == "state") {
      if (auto value =
              EnumFilterValue(term, Appointment::State_descriptor(), v)) {
        query.state = static_cast<Appointment::State>(*value);
      }
    } else {
      query.appointment_type_id =
          NameFilterValue(term, names::kAppointmentTypes, v);
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  query.limit = *page_size;
  if (req.has_start_time_from()) {
    query.start_from = FromProtoTimestamp(req.start_time_from());
  }
  if (req.has_start_time_to()) {
    query.start_to = FromProtoTimestamp(req.start_time_to());
  }
  if (req.period() == v1::ListAppointmentsRequest::UPCOMING) {
    query.start_from = std::max(query.start_from.value_or(now), now);
  } else if (req.period() == v1::ListAppointmentsRequest::PAST) {
    query.start_to = std::min(query.start_to.value_or(now), now);
    query.newest_first = true;
  }
  // The period is resolved against the time of the first page.
  v1::ListAppointmentsRequest shape = req;
  shape.clear_page_size();
  shape.clear_page_token();
  const std::string digest = PageTokenCodec::QueryDigest(
      {"ListAppointments", shape.SerializeAsString()});
  CAREERS_ASSIGN_OR_RETURN(
      query.after,
      DecodeCreationCursor(page_tokens_, req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<Appointment> page,
                           repository_.ListAppointments(ctx, query));
  v1::ListAppointmentsResponse resp;
  for (Appointment& a : page.items) {
    *resp.add_appointments() = std::move(a);
  }
  if (page.has_more && resp.appointments_size() > 0) {
    const Appointment& last = *resp.appointments().rbegin();
    resp.set_next_page_token(EncodeCreationCursor(
        page_tokens_, digest, last.start_time(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<Appointment> Booking::CancelAppointment(
    const RequestContext& ctx, const v1::CancelAppointmentRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("name", req.name(), names::kAppointments));
  FieldViolations v;
  checks::CheckEnum(v, "reason", Appointment::CancelReason_descriptor(),
                    req.reason(), true);
  if (req.reason() == Appointment::RESCHEDULED) {
    v.Add("reason", "RESCHEDULED is set by RescheduleAppointment only");
  }
  const std::string note(absl::StripAsciiWhitespace(req.note()));
  checks::CheckText(v, "note", note, {0, 500, /*multiline=*/true});
  if (req.reason() == Appointment::OTHER && note.empty()) {
    v.Add("note", "is required when the reason is OTHER");
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const v1::Actor actor = ActorOf(ctx.principal);
  return repository_.UpdateAppointment(
      ctx, id,
      [&](Appointment& a) -> absl::Status {
        CAREERS_RETURN_IF_ERROR(CheckEtag(a, req.etag()));
        if (a.state() != Appointment::BOOKED) {
          return errors::FailedPrecondition(
              "STATE", a.name(),
              absl::StrCat("is ", Appointment::State_Name(a.state()),
                           "; only a BOOKED appointment can be cancelled"));
        }
        if (FromProtoTimestamp(a.start_time()) <= now) {
          return errors::FailedPrecondition(
              "STARTED", a.name(),
              "has started; record attendance instead of cancelling");
        }
        a.set_state(Appointment::CANCELLED);
        a.set_cancel_reason(req.reason());
        a.set_cancel_note(note);
        *a.mutable_cancelled_by() = actor;
        *a.mutable_cancel_time() = ToProtoTimestamp(now);
        a.set_sequence(a.sequence() + 1);
        return absl::OkStatus();
      },
      Offer());
}

absl::StatusOr<Appointment> Booking::RescheduleAppointment(
    const RequestContext& ctx, const v1::RescheduleAppointmentRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("name", req.name(), names::kAppointments));
  FieldViolations v;
  const absl::Time start =
      RequiredTime(v, "start_time", req.has_start_time(), req.start_time());
  checks::CheckOptionalName(v, "adviser", req.adviser(), names::kAdvisers);
  checks::CheckEnum(v, "channel", v1::Adviser::Channel_descriptor(),
                    req.channel(), false);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("RescheduleAppointment", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_ASSIGN_OR_RETURN(Appointment current,
                           repository_.GetAppointment(ctx, id));
  SlotChoice choice;
  choice.profile_id = IdOf(current.profile());
  choice.adviser_id =
      IdOf(req.adviser().empty() ? current.adviser() : req.adviser());
  choice.channel = req.channel() == v1::Adviser::CHANNEL_UNSPECIFIED
                       ? current.channel()
                       : req.channel();
  choice.start = start;
  choice.notes = current.notes();
  CAREERS_ASSIGN_OR_RETURN(
      choice.type,
      repository_.GetAppointmentType(ctx, IdOf(current.appointment_type())));
  const absl::Time now = clock_.Now();
  BookingTarget target = TargetOf(choice, now);
  target.replacing_id = id;
  const v1::Actor actor = ActorOf(ctx.principal);
  CAREERS_ASSIGN_OR_RETURN(
      BookingPlan plan,
      repository_.Book(
          ctx, target, KeyPtr(key),
          [&](const BookingFacts& facts) -> absl::StatusOr<BookingPlan> {
            if (!facts.replacing) {
              return errors::NotFound("careers.uk/Appointment", req.name());
            }
            Appointment old = *facts.replacing;
            CAREERS_RETURN_IF_ERROR(CheckEtag(old, req.etag()));
            if (old.state() != Appointment::BOOKED) {
              return errors::FailedPrecondition(
                  "STATE", old.name(),
                  absl::StrCat("is ", Appointment::State_Name(old.state()),
                               "; only a BOOKED appointment can be "
                               "rescheduled"));
            }
            if (FromProtoTimestamp(old.start_time()) <= now) {
              return errors::FailedPrecondition("STARTED", old.name(),
                                                "has started or is past");
            }
            if (!old.rescheduled_from().empty()) {
              return errors::FailedPrecondition(
                  "RESCHEDULED", old.name(),
                  "was rescheduled once already; cancel it and book again");
            }
            CAREERS_ASSIGN_OR_RETURN(BookingPlan p,
                                     Decide(ctx, facts, choice, now));
            p.appointment.set_rescheduled_from(old.name());
            old.set_state(Appointment::CANCELLED);
            old.set_cancel_reason(Appointment::RESCHEDULED);
            *old.mutable_cancelled_by() = actor;
            *old.mutable_cancel_time() = ToProtoTimestamp(now);
            old.set_rescheduled_to(p.appointment.name());
            old.set_sequence(old.sequence() + 1);
            p.replaced = std::move(old);
            return p;
          }));
  return std::move(plan.appointment);
}

absl::StatusOr<Appointment> Booking::RecordAttendance(
    const RequestContext& ctx, const v1::RecordAttendanceRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("name", req.name(), names::kAppointments));
  FieldViolations v;
  if (req.attendance() != Appointment::ATTENDED &&
      req.attendance() != Appointment::NO_SHOW) {
    v.Add("attendance", "must be ATTENDED or NO_SHOW");
  }
  checks::CheckEnum(v, "no_show_reason", Appointment::NoShowReason_descriptor(),
                    req.no_show_reason(), false);
  if (req.attendance() == Appointment::ATTENDED &&
      req.no_show_reason() != Appointment::NO_SHOW_REASON_UNSPECIFIED) {
    v.Add("no_show_reason", "is only for NO_SHOW");
  }
  const std::string note(absl::StripAsciiWhitespace(req.note()));
  checks::CheckText(v, "note", note, {0, 500, /*multiline=*/true});
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const v1::Actor actor = ActorOf(ctx.principal);
  return repository_.UpdateAppointment(
      ctx, id,
      [&](Appointment& a) -> absl::Status {
        CAREERS_RETURN_IF_ERROR(CheckEtag(a, req.etag()));
        if (a.state() != Appointment::BOOKED) {
          return errors::FailedPrecondition(
              "STATE", a.name(),
              absl::StrCat("is ", Appointment::State_Name(a.state()),
                           "; attendance is recorded once, for a BOOKED "
                           "appointment"));
        }
        if (now < FromProtoTimestamp(a.start_time())) {
          return errors::FailedPrecondition(
              "NOT_STARTED", a.name(),
              "has not started; attendance can be recorded from its start");
        }
        a.set_state(req.attendance());
        a.set_no_show_reason(req.no_show_reason());
        a.set_attendance_note(note);
        *a.mutable_attendance_recorded_by() = actor;
        *a.mutable_attendance_time() = ToProtoTimestamp(now);
        return absl::OkStatus();
      },
      Offer());
}

absl::StatusOr<google::api::HttpBody> Booking::ExportCalendar(
    const RequestContext& ctx, const v1::ExportCalendarRequest& req) {
  FieldViolations v;
  AppointmentQuery query;
  std::string owner;
  const bool one_owner =
      ExactlyOneOf(v, {{"profile", req.profile()}, {"adviser", req.adviser()}});
  if (one_owner && !req.profile().empty()) {
    query.profile_id =
        RequiredId(v, "profile", req.profile(), names::kProfiles);
    owner = req.profile();
  } else if (one_owner) {
    query.adviser_id =
        RequiredId(v, "adviser", req.adviser(), names::kAdvisers);
    owner = req.adviser();
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  query.start_from = req.has_start_time_from()
                         ? FromProtoTimestamp(req.start_time_from())
                         : now - absl::Hours(24 * 90);
  query.limit = kMaxPageSize;
  std::vector<ical::CalendarEvent> events;
  std::map<std::string, std::string> type_names;
  while (static_cast<int>(events.size()) < kMaxCalendarEvents) {
    CAREERS_ASSIGN_OR_RETURN(Page<Appointment> page,
                             repository_.ListAppointments(ctx, query));
    for (Appointment& a : page.items) {
      auto [it, inserted] = type_names.try_emplace(a.appointment_type());
      if (inserted) {
        absl::StatusOr<v1::AppointmentType> type =
            repository_.GetAppointmentType(ctx, IdOf(a.appointment_type()));
        it->second = type.ok() ? type->display_name() : "Careers appointment";
      }
      // The file shows the appointments but not as resources: noted, so
      // they go on their people's access records.
      if (ctx.noted_reads != nullptr) {
        ctx.noted_reads->push_back({IdOf(a.profile()), a.name()});
      }
      ical::CalendarEvent event;
      // No names of people in a file that leaves the service.
      event.summary = it->second;
      event.location = WhereText(a);
      event.description = absl::StrCat("Careers appointment ", a.name());
      query.after =
          CreationCursor{FromProtoTimestamp(a.start_time()), IdOf(a.name())};
      event.appointment = std::move(a);
      events.push_back(std::move(event));
    }
    if (!page.has_more) break;
  }
  google::api::HttpBody body;
  body.set_content_type("text/calendar; charset=utf-8");
  body.set_data(ical::ToICalendar(
      events, absl::StrCat("Careers appointments of ", owner), now));
  return body;
}

// --------------------------------------------------------------- waitlist

absl::StatusOr<WaitlistEntry> Booking::CreateWaitlistEntry(
    const RequestContext& ctx, const v1::CreateWaitlistEntryRequest& req) {
  const WaitlistEntry& in = req.waitlist_entry();
  FieldViolations v;
  WaitlistEntry entry;
  const std::string profile_id =
      RequiredId(v, "waitlist_entry.profile", in.profile(), names::kProfiles);
  const std::string adviser_id =
      RequiredId(v, "waitlist_entry.adviser", in.adviser(), names::kAdvisers);
  const std::string type_id =
      RequiredId(v, "waitlist_entry.appointment_type", in.appointment_type(),
                 names::kAppointmentTypes);
  const absl::Time start = RequiredTime(v, "waitlist_entry.start_time",
                                        in.has_start_time(), in.start_time());
  checks::CheckEnum(v, "waitlist_entry.channel",
                    v1::Adviser::Channel_descriptor(), in.channel(), true);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateWaitlistEntry", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_ASSIGN_OR_RETURN(v1::AppointmentType type,
                           repository_.GetAppointmentType(ctx, type_id));
  const std::string session =
      names::SlotName(names::Name(names::kAdvisers, adviser_id), start);
  if (type.seats() <= 1) {
    return errors::FailedPrecondition(
        "NOT_A_SESSION", type.name(),
        "is not a group session; only full group sessions have waitlists");
  }
  // Only a full session has a waitlist: with a seat free, book it.
  const absl::Time now = clock_.Now();
  CalendarQuery calendars_query{
      IdOf(type.organisation()),     adviser_id, std::nullopt, start,
      start + absl::Microseconds(1), now};
  CAREERS_ASSIGN_OR_RETURN(std::vector<schedule::AdviserCalendar> calendars,
                           repository_.ReadCalendars(ctx, calendars_query));
  schedule::SlotQuery query;
  query.type = &type;
  query.from = start;
  query.to = start + absl::Microseconds(1);
  query.now = now;
  query.channel = in.channel();
  std::vector<v1::Slot> slots;
  if (!calendars.empty()) slots = schedule::SlotsFor(calendars[0], query);
  if (slots.empty()) {
    return errors::FailedPrecondition(
        "NOT_A_SESSION", session,
        absl::StrCat("is not a session of ", type.name(), " by ",
                     v1::Adviser::Channel_Name(in.channel()),
                     " that can be booked now"));
  }
  if (slots.front().seats_remaining() > 0) {
    return errors::FailedPrecondition("SEATS_FREE", session,
                                      "has free seats; book one instead");
  }
  entry.set_name(names::Name(names::kWaitlistEntries, NewResourceId(now)));
  entry.set_profile(names::Name(names::kProfiles, profile_id));
  entry.set_adviser(names::Name(names::kAdvisers, adviser_id));
  entry.set_appointment_type(type.name());
  *entry.mutable_start_time() = ToProtoTimestamp(start);
  entry.set_channel(in.channel());
  entry.set_state(WaitlistEntry::WAITING);
  *entry.mutable_create_time() = ToProtoTimestamp(now);
  *entry.mutable_created_by() = ActorOf(ctx.principal);
  return repository_.CreateWaitlistEntry(
      ctx, IdOf(entry.name()), entry, KeyPtr(key),
      [](const rules::PersonAtTime& person) {
        return rules::CheckMayJoinWaitlist(person);
      });
}

absl::StatusOr<WaitlistEntry> Booking::GetWaitlistEntry(
    const RequestContext& ctx, const v1::GetWaitlistEntryRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("name", req.name(), names::kWaitlistEntries));
  CAREERS_ASSIGN_OR_RETURN(WaitlistEntry entry,
                           repository_.GetWaitlistEntry(ctx, id));
  return entry;
}

absl::StatusOr<v1::ListWaitlistEntriesResponse> Booking::ListWaitlistEntries(
    const RequestContext& ctx, const v1::ListWaitlistEntriesRequest& req) {
  FieldViolations v;
  WaitlistQuery query;
  const bool by_profile = !req.profile().empty();
  const bool by_session = !req.adviser().empty() ||
                          !req.appointment_type().empty() ||
                          req.has_start_time();
  if (by_profile && by_session) {
    const std::string why =
        "give either profile or a session (adviser, appointment_type and "
        "start_time), not both";
    v.Add("profile", why);
    v.Add("adviser", why);
  } else if (!by_profile && !by_session) {
    v.Add("profile",
          "is required, unless a session (adviser, appointment_type and "
          "start_time) is given");
  } else if (!by_session) {
    query.profile_id =
        RequiredId(v, "profile", req.profile(), names::kProfiles);
  } else {
    Session session;
    session.adviser_id =
        RequiredId(v, "adviser", req.adviser(), names::kAdvisers);
    session.appointment_type_id =
        RequiredId(v, "appointment_type", req.appointment_type(),
                   names::kAppointmentTypes);
    session.start =
        RequiredTime(v, "start_time", req.has_start_time(), req.start_time());
    query.session = std::move(session);
  }
  absl::StatusOr<int> page_size =
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize);
  if (!page_size.ok()) v.Add("page_size", "must not be negative");
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  query.limit = *page_size;
  const absl::Time now = clock_.Now();
  v1::ListWaitlistEntriesRequest shape = req;
  shape.clear_page_size();
  shape.clear_page_token();
  const std::string digest = PageTokenCodec::QueryDigest(
      {"ListWaitlistEntries", shape.SerializeAsString()});
  CAREERS_ASSIGN_OR_RETURN(
      std::optional<CreationCursor> cursor,
      DecodeCreationCursor(page_tokens_, req.page_token(), digest, now));
  (query.session ? query.after : query.before) = cursor;
  CAREERS_ASSIGN_OR_RETURN(Page<WaitlistEntry> page,
                           repository_.ListWaitlistEntries(ctx, query));
  v1::ListWaitlistEntriesResponse resp;
  for (WaitlistEntry& e : page.items) {
    *resp.add_waitlist_entries() = std::move(e);
  }
  if (page.has_more && resp.waitlist_entries_size() > 0) {
    const WaitlistEntry& last = *resp.waitlist_entries().rbegin();
    resp.set_next_page_token(EncodeCreationCursor(
        page_tokens_, digest, last.create_time(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<WaitlistEntry> Booking::AcceptWaitlistOffer(
    const RequestContext& ctx, const v1::AcceptWaitlistOfferRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("name", req.name(), names::kWaitlistEntries));
  // Offers due to expire go first, so an expired one is never accepted.
  CAREERS_RETURN_IF_ERROR(ExpireOffers(ctx).status());
  CAREERS_ASSIGN_OR_RETURN(WaitlistEntry entry,
                           repository_.GetWaitlistEntry(ctx, id));
  if (entry.state() == WaitlistEntry::ACCEPTED) return entry;  // a retry
  SlotChoice choice;
  choice.profile_id = IdOf(entry.profile());
  choice.adviser_id = IdOf(entry.adviser());
  choice.channel = entry.channel();
  choice.start = FromProtoTimestamp(entry.start_time());
  CAREERS_ASSIGN_OR_RETURN(
      choice.type,
      repository_.GetAppointmentType(ctx, IdOf(entry.appointment_type())));
  const absl::Time now = clock_.Now();
  BookingTarget target = TargetOf(choice, now);
  target.accepting_entry_id = id;
  CAREERS_ASSIGN_OR_RETURN(
      BookingPlan plan,
      repository_.Book(
          ctx, target, nullptr,
          [&](const BookingFacts& facts) -> absl::StatusOr<BookingPlan> {
            if (!facts.accepting) {
              return errors::NotFound("careers.uk/WaitlistEntry", req.name());
            }
            WaitlistEntry offered = *facts.accepting;
            if (offered.state() != WaitlistEntry::OFFERED ||
                FromProtoTimestamp(offered.offer_expire_time()) <= now) {
              return errors::FailedPrecondition(
                  offered.state() == WaitlistEntry::EXPIRED ? "OFFER_EXPIRED"
                                                            : "STATE",
                  offered.name(),
                  absl::StrCat("is ",
                               WaitlistEntry::State_Name(offered.state()),
                               "; only an OFFERED entry can be accepted, "
                               "before its offer expires"));
            }
            CAREERS_ASSIGN_OR_RETURN(BookingPlan p,
                                     Decide(ctx, facts, choice, now));
            offered.set_state(WaitlistEntry::ACCEPTED);
            offered.set_appointment(p.appointment.name());
            p.accepted = std::move(offered);
            return p;
          }));
  return std::move(*plan.accepted);
}

absl::StatusOr<WaitlistEntry> Booking::WithdrawWaitlistEntry(
    const RequestContext& ctx, const v1::WithdrawWaitlistEntryRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string id,
      names::ParseName("name", req.name(), names::kWaitlistEntries));
  return repository_.UpdateWaitlistEntry(
      ctx, id,
      [&](WaitlistEntry& e) -> absl::Status {
        if (e.state() != WaitlistEntry::WAITING &&
            e.state() != WaitlistEntry::OFFERED) {
          return errors::FailedPrecondition(
              "STATE", e.name(),
              absl::StrCat("is ", WaitlistEntry::State_Name(e.state()),
                           "; only a WAITING or OFFERED entry can be "
                           "withdrawn"));
        }
        e.set_state(WaitlistEntry::WITHDRAWN);
        return absl::OkStatus();
      },
      Offer());
}

absl::StatusOr<int> Booking::ExpireOffers(const RequestContext& ctx) {
  return repository_.ExpireOffers(ctx, Offer(), 100);
}

}  // namespace careers::domain
