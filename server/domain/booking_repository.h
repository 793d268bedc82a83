#ifndef CAREERS_SERVER_DOMAIN_BOOKING_REPOSITORY_H_
#define CAREERS_SERVER_DOMAIN_BOOKING_REPOSITORY_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "careers/v1/booking_service.pb.h"
#include "server/domain/booking_rules.h"
#include "server/domain/directory_repository.h"
#include "server/domain/profile_repository.h"
#include "server/domain/repository.h"
#include "server/domain/request_context.h"
#include "server/domain/schedule.h"

namespace careers::domain {

struct AppointmentTypeQuery {
  std::optional<std::string> organisation_id;
  std::optional<NameCursor> after;  // (display_name, id) of the last served
  int limit = 50;
};

struct AvailabilityRuleQuery {
  std::string adviser_id;
  std::optional<CreationCursor> after;  // oldest first
  int limit = 50;
};

// Exactly one of profile_id, adviser_id and organisation_id is set.
struct AppointmentQuery {
  std::optional<std::string> profile_id;
  std::optional<std::string> adviser_id;
  std::optional<std::string> organisation_id;
  std::optional<absl::Time> start_from;  // start_time >= this
  std::optional<absl::Time> start_to;    // start_time < this
  bool newest_first = false;             // order by (start_time, id) desc
  std::optional<v1::Appointment::State> state;
  std::optional<std::string> appointment_type_id;
  // (start_time, id) of the last served: resume after it in the order.
  std::optional<CreationCursor> after;
  int limit = 50;
};

// A group session: an adviser's seats of a type at a start.
struct Session {
  std::string adviser_id;
  std::string appointment_type_id;
  absl::Time start;
};

// Exactly one of profile_id (newest first, resumed `before` the cursor) and
// session (in queue order, resumed `after` it) is set.
struct WaitlistQuery {
  std::optional<std::string> profile_id;
  std::optional<Session> session;
  std::optional<CreationCursor> before;
  std::optional<CreationCursor> after;
  int limit = 50;
};

// What SearchAvailability reads: the calendars of the active advisers of
// the type's organisation that match, around [from, to).
struct CalendarQuery {
  std::string organisation_id;
  std::optional<std::string> adviser_id;
  std::optional<std::string> language_code;
  absl::Time from;
  absl::Time to;
  absl::Time now;  // offers that expired before it hold no seat
};

// The person a booking is for, as the booking transaction read them.
struct BookingPerson {
  v1::Profile::LifeStage life_stage = {};
  std::string school_stage;
};

// What a booking decision rests on, read in the booking transaction after
// the person's and the adviser's rows were locked: nothing in it can change
// until the transaction ends.
struct BookingFacts {
  BookingPerson person;
  v1::AppointmentType type;  // with its name
  bool adviser_active = false;
  std::string adviser_organisation_id;
  // The adviser's rules, and their live appointments and held seats within
  // a day either side of the start (leaving out `replacing`).
  schedule::AdviserCalendar calendar;
  // Seat numbers taken in the session (same adviser, type and start).
  std::vector<int> session_seats_taken;
  // The person's live appointments of the type that start after `now`, and
  // whether one of their live appointments overlaps the new one's time
  // (both leaving out `replacing`).
  int person_upcoming_of_type = 0;
  bool person_busy = false;
  bool person_in_session = false;  // holds a seat of this very session
  std::optional<v1::Appointment> replacing;    // RescheduleAppointment
  std::optional<v1::WaitlistEntry> accepting;  // AcceptWaitlistOffer
};

// A reminder row of the outbox.
struct Reminder {
  std::string kind;  // "24h", "1h"
  absl::Time due;
};

// What the domain decided a booking writes.
struct BookingPlan {
  v1::Appointment appointment;  // complete but for its etag
  int seats = 1;                // of the session
  absl::Time block_start;
  absl::Time block_end;
  std::vector<Reminder> reminders;
  std::optional<v1::Appointment> replaced;    // cancelled, rescheduled_to set
  std::optional<v1::WaitlistEntry> accepted;  // ACCEPTED, appointment set
};

// Whether a waiting person can take a freed seat of `type` (the domain's
// rule, given what the store read about them).
using OfferEligibility = std::function<bool(const v1::AppointmentType& type,
                                            const rules::PersonAtTime& person)>;

// When a freed group seat is offered to the waitlist, and to whom: the
// first waiting person, in queue order, whom `may_take` lets take it (the
// others are passed over and keep their place).
struct OfferTerms {
  absl::Time now;
  absl::Duration ttl;                   // capped at the session's start
  OfferEligibility may_take = nullptr;  // none: anyone waiting may
};

// What to book; the store locks the profile, then the adviser, and reads
// the facts.
struct BookingTarget {
  std::string profile_id;
  std::string adviser_id;
  std::string appointment_type_id;
  absl::Time start;
  absl::Time end;
  absl::Time now;
  std::optional<std::string> replacing_id;        // appointment to replace
  std::optional<std::string> accepting_entry_id;  // waitlist offer taken
  // How a group seat freed by `replacing` is offered to the waitlist.
  OfferTerms offer;
};

using BookingDecision =
    std::function<absl::StatusOr<BookingPlan>(const BookingFacts&)>;

// Decides whether the person may join the waitlist, given what they hold
// (read after their row was locked): OK or the refusal.
using WaitlistJoinDecision =
    std::function<absl::Status(const rules::PersonAtTime& person)>;

// Storage of appointment types, availability rules, appointments, their
// reminders and waitlists. Resources go in complete and come out with
// their etag. Writes to a person's data go on their access record in the
// same transaction. Thread-safe.
class BookingRepository {
 public:
  virtual ~BookingRepository() = default;

  // ALREADY_EXISTS if the id is taken; FAILED_PRECONDITION if the
  // organisation does not exist.
  virtual absl::StatusOr<v1::AppointmentType> CreateAppointmentType(
      const RequestContext& ctx, const std::string& id,
      const v1::AppointmentType& type, const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::AppointmentType> GetAppointmentType(
      const RequestContext& ctx, const std::string& id) = 0;
  virtual absl::StatusOr<Page<v1::AppointmentType>> ListAppointmentTypes(
      const RequestContext& ctx, const AppointmentTypeQuery& query) = 0;
  virtual absl::StatusOr<v1::AppointmentType> UpdateAppointmentType(
      const RequestContext& ctx, const std::string& id,
      const Mutation<v1::AppointmentType>& mutate) = 0;

  // NOT_FOUND if the adviser does not exist.
  virtual absl::StatusOr<v1::AvailabilityRule> CreateAvailabilityRule(
      const RequestContext& ctx, const std::string& adviser_id,
      const std::string& id, const v1::AvailabilityRule& rule,
      const IdempotencyKey* key) = 0;
  virtual absl::StatusOr<v1::AvailabilityRule> GetAvailabilityRule(
      const RequestContext& ctx, const std::string& adviser_id,
      const std::string& id) = 0;
  virtual absl::StatusOr<Page<v1::AvailabilityRule>> ListAvailabilityRules(
      const RequestContext& ctx, const AvailabilityRuleQuery& query) = 0;
  virtual absl::Status DeleteAvailabilityRule(const RequestContext& ctx,
                                              const std::string& adviser_id,
                                              const std::string& id) = 0;

  // The calendars SearchAvailability expands, ordered by adviser id.
  virtual absl::StatusOr<std::vector<schedule::AdviserCalendar>> ReadCalendars(
      const RequestContext& ctx, const CalendarQuery& query) = 0;

  // One transaction: lock the person and the adviser (and `replacing` or
  // `accepting`), read the facts, let `decide` rule, then write what it
  // decided (the appointment, its reminders, the replaced appointment with
  // its reminders cancelled, the accepted entry). A concurrent booking that
  // got the seat first is FAILED_PRECONDITION, never a duplicate. With a
  // key, a retry returns the first response. NOT_FOUND if the profile,
  // adviser or type does not exist.
  virtual absl::StatusOr<BookingPlan> Book(const RequestContext& ctx,
                                           const BookingTarget& target,
                                           const IdempotencyKey* key,
                                           const BookingDecision& decide) = 0;

  virtual absl::StatusOr<v1::Appointment> GetAppointment(
      const RequestContext& ctx, const std::string& id) = 0;
  virtual absl::StatusOr<Page<v1::Appointment>> ListAppointments(
      const RequestContext& ctx, const AppointmentQuery& query) = 0;
  // Lock, mutate, write. If the mutation cancels a live appointment, its
  // pending reminders are cancelled and, for a group seat, the first
  // waiting person of the session is offered it on `offer`'s terms, all in
  // the same transaction.
  virtual absl::StatusOr<v1::Appointment> UpdateAppointment(
      const RequestContext& ctx, const std::string& id,
      const Mutation<v1::Appointment>& mutate, const OfferTerms& offer) = 0;

  // One transaction: lock the person's row, read what they hold of the
  // session and around it, let `decide` rule, then insert. ALREADY_EXISTS
  // if the person already waits for the session. Entries come out with
  // their position.
  virtual absl::StatusOr<v1::WaitlistEntry> CreateWaitlistEntry(
      const RequestContext& ctx, const std::string& id,
      const v1::WaitlistEntry& entry, const IdempotencyKey* key,
      const WaitlistJoinDecision& decide) = 0;
  virtual absl::StatusOr<v1::WaitlistEntry> GetWaitlistEntry(
      const RequestContext& ctx, const std::string& id) = 0;
  virtual absl::StatusOr<Page<v1::WaitlistEntry>> ListWaitlistEntries(
      const RequestContext& ctx, const WaitlistQuery& query) = 0;
  // Lock, mutate, write; a withdrawn offer moves on as in UpdateAppointment.
  virtual absl::StatusOr<v1::WaitlistEntry> UpdateWaitlistEntry(
      const RequestContext& ctx, const std::string& id,
      const Mutation<v1::WaitlistEntry>& mutate, const OfferTerms& offer) = 0;
  // Offers that expired by `offer.now` become EXPIRED and their seats are
  // offered to the next waiting person (while the session is in the
  // future). Returns how many expired.
  virtual absl::StatusOr<int> ExpireOffers(const RequestContext& ctx,
                                           const OfferTerms& offer,
                                           int limit) = 0;
};

// Who an appointment or waitlist entry concerns: what the access policy
// decides on.
struct BookingParties {
  std::string profile_id;
  std::string adviser_id;
  std::string organisation_id;  // the adviser's
};

// The lookups the access policy makes for booking calls. Thread-safe.
class BookingLookup {
 public:
  virtual ~BookingLookup() = default;
  // nullopt if there is no such appointment / entry / type.
  virtual absl::StatusOr<std::optional<BookingParties>> AppointmentParties(
      const RequestContext& ctx, const std::string& appointment_id) = 0;
  virtual absl::StatusOr<std::optional<BookingParties>> WaitlistEntryParties(
      const RequestContext& ctx, const std::string& entry_id) = 0;
  virtual absl::StatusOr<std::optional<std::string>>
  OrganisationOfAppointmentType(const RequestContext& ctx,
                                const std::string& type_id) = 0;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_BOOKING_REPOSITORY_H_
