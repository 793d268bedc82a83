#include "server/store/booking_store.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/common/proto_time.h"
#include "server/domain/errors.h"
#include "server/domain/etag.h"
#include "server/domain/resource_names.h"
#include "server/store/request_log.h"
#include "server/store/row_helpers.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

using domain::BookingFacts;
using domain::BookingPlan;
using domain::BookingTarget;
using domain::CreationCursor;
using domain::Mutation;
using domain::NameCursor;
using domain::OfferTerms;
using domain::Page;
using domain::schedule::AdviserCalendar;
using rows::DataError;
using rows::DetailsOf;
using rows::ParseDetails;
using rows::BindOptionalTime;
using rows::EnumOf;
using rows::IdOf;
using rows::ListRows;
using rows::NullableString;
using rows::ReadOne;
using rows::Row;
using rows::UpdateOne;
using v1::Appointment;
using v1::WaitlistEntry;

constexpr char kAppointmentTypeType[] = "careers.uk/AppointmentType";
constexpr char kAvailabilityRuleType[] = "careers.uk/AvailabilityRule";
constexpr char kAppointmentType[] = "careers.uk/Appointment";
constexpr char kWaitlistEntryType[] = "careers.uk/WaitlistEntry";
constexpr char kAdviserType[] = "careers.uk/Adviser";
constexpr char kProfileType[] = "careers.uk/Profile";

constexpr absl::string_view kAppointmentTypes = "appointmentTypes";
constexpr absl::string_view kAvailabilityRules = "availabilityRules";
constexpr absl::string_view kAppointments = "appointments";
constexpr absl::string_view kWaitlistEntries = "waitlistEntries";

// A CHECK constraint failed: MariaDB's ER_CONSTRAINT_FAILED, MySQL's
// ER_CHECK_CONSTRAINT_VIOLATED.
constexpr int kCheckFailedMariaDb = 4025;
constexpr int kCheckFailedMySql = 3819;

// The longest an appointment's blocked time can be (480 minutes plus two
// buffers of 240, rounded up): lets overlap queries bound their index range
// from below as well as from above.
constexpr absl::Duration kMaxBlock = absl::Hours(24);
// Calendars are read a day either side of the time asked about, so that
// rules in any zone and appointments next to the window are seen.
constexpr absl::Duration kCalendarMargin = absl::Hours(24);

bool IsCheckViolation(const sql::SQLException& e) {
  return e.getErrorCode() == kCheckFailedMariaDb ||
         e.getErrorCode() == kCheckFailedMySql;
}




// The latest time an appointment records a change at: what its row's
// update_time says (the message has no update_time of its own).
absl::Time ChangeTime(const Appointment& a) {
  absl::Time t = FromProtoTimestamp(a.create_time());
  if (a.has_cancel_time()) t = std::max(t, FromProtoTimestamp(a.cancel_time()));
  if (a.has_attendance_time()) {
    t = std::max(t, FromProtoTimestamp(a.attendance_time()));
  }
  return t;
}

bool IsLive(Appointment::State state) {
  return state != Appointment::CANCELLED;
}

// `IN (...)` lists: `n` ids are bound as the next power of two, the last id
// repeated, so a connection prepares few shapes of each statement.
size_t PaddedSize(size_t n) {
  size_t padded = 1;
  while (padded < n) padded <<= 1;
  return padded;
}

std::string InList(size_t n) {
  std::string out = "(";
  for (size_t i = 0; i < PaddedSize(n); ++i)
    absl::StrAppend(&out, i ? ", ?" : "?");
  out += ")";
  return out;
}

void BindInList(Statement& s, const std::vector<std::string>& ids, size_t begin,
                size_t end) {
  for (size_t i = begin; i < end; ++i) s.Bind(ids[i]);
  for (size_t i = end - begin; i < PaddedSize(end - begin); ++i) {
    s.Bind(ids[end - 1]);
  }
}

// Resumes a listing in (display_name, id) order after a cursor.
constexpr char kAfterName[] =
    " AND (display_name > ? OR (display_name = ? AND id > ?))";

void BindAfter(Statement& s, const std::optional<NameCursor>& after) {
  if (after) {
    s.Bind(after->display_name).Bind(after->display_name).Bind(after->id);
  }
}

// ------------------------------------------------------- appointment types

constexpr char kTypeColumns[] = "id, details, version, create_time";

Row<v1::AppointmentType> TypeFromRow(sql::ResultSet& rs) {
  Row<v1::AppointmentType> row;
  ParseDetails(rs, 2, row.value);
  row.value.set_name(names::Name(kAppointmentTypes, GetString(rs, 1)));
  row.version = GetUint64(rs, 3);
  row.create_time = GetTime(rs, 4);
  row.value.set_etag(MakeEtag(row.value.name(), row.create_time, row.version));
  return row;
}

// organisation_id, display_name, details.
void BindTypeColumns(Statement& s, const v1::AppointmentType& t) {
  s.Bind(IdOf(t.organisation())).Bind(t.display_name()).Bind(DetailsOf(t));
}

absl::Status OrganisationMissing(const v1::AppointmentType& t) {
  return errors::FailedPrecondition(
      "ORGANISATION", t.organisation(),
      "does not exist; appointment types belong to an existing organisation");
}

// ------------------------------------------------------ availability rules

constexpr char kRuleColumns[] = "adviser_id, id, details, create_time";

Row<v1::AvailabilityRule> RuleFromRow(sql::ResultSet& rs) {
  Row<v1::AvailabilityRule> row;
  ParseDetails(rs, 3, row.value);
  row.value.set_name(names::ChildName(names::kAdvisers, GetString(rs, 1),
                                      kAvailabilityRules, GetString(rs, 2)));
  row.version = 1;  // rules are created and deleted, never changed
  row.create_time = GetTime(rs, 4);
  return row;
}

// ------------------------------------------------------------ appointments

constexpr char kAppointmentColumns[] =
    "id, details, version, create_time, seats";

Row<Appointment> AppointmentFromRow(sql::ResultSet& rs) {
  Row<Appointment> row;
  ParseDetails(rs, 2, row.value);
  row.value.set_name(names::Name(kAppointments, GetString(rs, 1)));
  row.version = GetUint64(rs, 3);
  row.create_time = GetTime(rs, 4);
  row.value.set_etag(MakeEtag(row.value.name(), row.create_time, row.version));
  // Worked out afresh on every read, so they follow tzdata updates.
  domain::schedule::SetLocalTimes(row.value);
  return row;
}

// The fields a change must leave alone: their columns are written once.
bool SameBooking(const Appointment& a, const Appointment& b) {
  return a.profile() == b.profile() && a.adviser() == b.adviser() &&
         a.appointment_type() == b.appointment_type() &&
         FromProtoTimestamp(a.start_time()) ==
             FromProtoTimestamp(b.start_time()) &&
         FromProtoTimestamp(a.end_time()) == FromProtoTimestamp(b.end_time()) &&
         a.seat() == b.seat() && a.rescheduled_from() == b.rescheduled_from();
}

// Writes a changed appointment's state, sequence and details.
void WriteAppointment(Connection& c, const Appointment& a) {
  c.Prepare(
       "UPDATE appointments SET state = ?, sequence = ?, details = ?, "
       "version = version + 1, update_time = ? WHERE id = ?")
      .Bind(Appointment::State_Name(a.state()))
      .Bind(static_cast<int64_t>(a.sequence()))
      .Bind(DetailsOf(a))
      .Bind(ChangeTime(a))
      .Bind(IdOf(a.name()))
      .Execute();
}

void CancelReminders(Connection& c, const std::string& appointment_id,
                     absl::Time when) {
  c.Prepare(
       "UPDATE appointment_reminders SET state = 'CANCELLED', update_time = ? "
       "WHERE appointment_id = ? AND state = 'PENDING'")
      .Bind(when)
      .Bind(appointment_id)
      .Execute();
}

// -------------------------------------------------------- waitlist entries

constexpr char kEntryColumns[] = "id, details, version, create_time";

Row<WaitlistEntry> EntryFromRow(sql::ResultSet& rs) {
  Row<WaitlistEntry> row;
  ParseDetails(rs, 2, row.value);
  row.value.set_name(names::Name(kWaitlistEntries, GetString(rs, 1)));
  row.version = GetUint64(rs, 3);
  row.create_time = GetTime(rs, 4);
  row.value.set_etag(MakeEtag(row.value.name(), row.create_time, row.version));
  return row;
}

bool SameSession(const WaitlistEntry& a, const WaitlistEntry& b) {
  return a.profile() == b.profile() && a.adviser() == b.adviser() &&
         a.appointment_type() == b.appointment_type() &&
         FromProtoTimestamp(a.start_time()) ==
             FromProtoTimestamp(b.start_time());
}

// Writes a changed entry's state, offer expiry and details.
void WriteEntry(Connection& c, const WaitlistEntry& e) {
  Statement s = c.Prepare(
      "UPDATE waitlist_entries SET state = ?, offer_expire_time = ?, "
      "details = ?, version = version + 1 WHERE id = ?");
  s.Bind(WaitlistEntry::State_Name(e.state()));
  BindOptionalTime(s, e.has_offer_expire_time(), e.offer_expire_time());
  s.Bind(DetailsOf(e)).Bind(IdOf(e.name())).Execute();
}

// An entry's place in its session's queue: 1 + the WAITING entries of the
// session that joined before it (by create_time, id), for a WAITING entry;
// 0 otherwise. A column expression over `waitlist_entries w` (the
// waitlist_queue index answers it).
constexpr char kEntryPosition[] =
    "CASE WHEN w.state = 'WAITING' THEN 1 + (SELECT COUNT(*) FROM "
    "waitlist_entries q WHERE q.adviser_id = w.adviser_id AND q.start_time = "
    "w.start_time AND q.appointment_type_id = w.appointment_type_id AND "
    "q.state = 'WAITING' AND (q.create_time < w.create_time OR "
    "(q.create_time = w.create_time AND q.id < w.id))) ELSE 0 END";

// kEntryColumns of `w`, then its position.
const std::string& EntryColumnsWithPosition() {
  static const std::string* columns = new std::string(absl::StrCat(
      "w.id, w.details, w.version, w.create_time, ", kEntryPosition));
  return *columns;
}

Row<WaitlistEntry> EntryWithPositionFromRow(sql::ResultSet& rs) {
  Row<WaitlistEntry> row = EntryFromRow(rs);
  row.value.set_position(rs.getInt(5));
  return row;
}

// The bookable time of a session or slot, as the person checks see it.
struct SessionTime {
  std::string adviser_id;
  std::string type_id;
  absl::Time start;
  absl::Time end;
};

// What the person holds around `at` (leaving out `skip_id`): their live
// appointments of the type ahead of `now`, whether one overlaps
// [start, end), and whether one is a seat of that very session. One
// query.
rules::PersonAtTime ReadPersonAtTime(Connection& c,
                                     const std::string& profile_id,
                                     const SessionTime& at, absl::Time now,
                                     const std::string& skip_id) {
  rules::PersonAtTime person;
  person.profile = names::Name(names::kProfiles, profile_id);
  auto rs = c.Prepare(
                 "SELECT CAST(COALESCE(SUM(appointment_type_id = ? AND "
                 "start_time > ?), 0) AS SIGNED), CAST(COALESCE(MAX("
                 "start_time < ? AND end_time > ?), 0) AS SIGNED), "
                 "CAST(COALESCE(MAX(adviser_id = ? AND appointment_type_id = "
                 "? AND start_time = ?), 0) AS SIGNED) "
                 "FROM appointments WHERE profile_id = ? "
                 "AND state <> 'CANCELLED' AND id <> ? AND start_time > ?")
                .Bind(at.type_id)
                .Bind(now)
                .Bind(at.end)
                .Bind(at.start)
                .Bind(at.adviser_id)
                .Bind(at.type_id)
                .Bind(at.start)
                .Bind(profile_id)
                .Bind(skip_id)
                .Bind(std::min(now, at.start - kMaxBlock))
                .Query();
  if (rs->next()) {
    person.upcoming_of_type = rs->getInt(1);
    person.busy = rs->getInt(2) != 0;
    person.holds_seat_in_session = rs->getInt(3) != 0;
  }
  return person;
}

// How many waiting people an offer looks at before giving up: those passed
// over keep their place, so a long queue of people who cannot come costs
// one freed seat at most this many checks.
constexpr int kMaxOfferCandidates = 50;

// A group seat of the session (adviser, type, start) came free: the first
// person waiting for it, by (create_time, id), whom `offer.may_take` lets
// take it is offered it until min(now + ttl, start); those it passes over
// (busy then, or at their limit) keep waiting. Nothing while the session is
// not in the future. The queue's rows are locked; the people's own
// appointments are read as committed (a booking racing the offer is caught
// when the offer is accepted, by the booking's own checks).
void OfferFreedSeat(UnitOfWork& unit, const std::string& adviser_id,
                    const std::string& type_id, absl::Time start,
                    const OfferTerms& offer) {
  if (start <= offer.now) return;
  Connection& c = unit.connection();
  std::vector<WaitlistEntry> waiting;
  {
    auto rs = c.Prepare(absl::StrCat(
                            "SELECT ", kEntryColumns,
                            " FROM waitlist_entries WHERE adviser_id = ? AND "
                            "start_time = ? AND appointment_type_id = ? AND "
                            "state = 'WAITING' ORDER BY create_time, id "
                            "LIMIT ? FOR UPDATE"))
                  .Bind(adviser_id)
                  .Bind(start)
                  .Bind(type_id)
                  .Bind(int64_t{kMaxOfferCandidates})
                  .Query();
    while (rs->next()) waiting.push_back(EntryFromRow(*rs).value);
  }
  if (waiting.empty()) return;
  v1::AppointmentType type;
  {
    auto rs = c.Prepare(absl::StrCat("SELECT ", kTypeColumns,
                                     " FROM appointment_types WHERE id = ?"))
                  .Bind(type_id)
                  .Query();
    if (!rs->next()) return;  // a session's type cannot go (foreign keys)
    type = TypeFromRow(*rs).value;
  }
  const SessionTime at{adviser_id, type_id, start,
                       start + absl::Minutes(type.duration_minutes())};
  for (WaitlistEntry& next : waiting) {
    if (offer.may_take &&
        !offer.may_take(type, ReadPersonAtTime(c, IdOf(next.profile()), at,
                                               offer.now, ""))) {
      continue;
    }
    const WaitlistEntry waiting_entry = next;
    next.set_state(WaitlistEntry::OFFERED);
    *next.mutable_offer_time() = ToProtoTimestamp(offer.now);
    *next.mutable_offer_expire_time() =
        ToProtoTimestamp(std::min(offer.now + offer.ttl, start));
    WriteEntry(c, next);
    unit.Updated(waiting_entry, next);
    return;
  }
}

// --------------------------------------------------------------- calendars

// What to read into calendars, and what to leave out.
struct CalendarWindow {
  absl::Time from;
  absl::Time to;
  absl::Time now;                   // offers expired by then hold nothing
  std::string skip_appointment_id;  // "" or the one being replaced
  std::string skip_entry_id;        // "" or the offer being taken
};

// A live appointment near the window, as read for the calendars.
struct BookedRow {
  std::string id;
  int seat = 0;
};

// Fills the rules, live appointments and held seats of `calendars` (one per
// adviser id in `ids`, same order): three queries per kMaxInList advisers.
// `session`, if set, collects the seats of the live appointments of one
// session (type id, start) of the first adviser.
void FillCalendars(Connection& c, const std::vector<std::string>& ids,
                   std::vector<AdviserCalendar*>& calendars,
                   const CalendarWindow& w,
                   const std::pair<std::string, absl::Time>* session = nullptr,
                   std::vector<int>* session_seats = nullptr) {
  absl::flat_hash_map<std::string, AdviserCalendar*> by_id;
  for (size_t i = 0; i < ids.size(); ++i) by_id[ids[i]] = calendars[i];
  const absl::Time from = w.from - kCalendarMargin;
  const absl::Time to = w.to + kCalendarMargin;
  const absl::CivilDay first_day =
      absl::ToCivilDay(w.from, absl::UTCTimeZone()) - 1;
  const absl::CivilDay last_day =
      absl::ToCivilDay(w.to, absl::UTCTimeZone()) + 1;
  const size_t max_in_list = BookingStore::kMaxInList;
  for (size_t begin = 0; begin < ids.size(); begin += max_in_list) {
    const size_t end = std::min(ids.size(), begin + max_in_list);
    const std::string in = InList(end - begin);
    {
      Statement s = c.Prepare(absl::StrCat(
          "SELECT ", kRuleColumns,
          " FROM availability_rules WHERE adviser_id IN ", in,
          " AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) "
          "ORDER BY adviser_id, create_time, id"));
      BindInList(s, ids, begin, end);
      auto rs = s.Bind(last_day).Bind(first_day).Query();
      while (rs->next()) {
        auto it = by_id.find(GetString(*rs, 1));
        if (it == by_id.end()) continue;
        it->second->rules.push_back(RuleFromRow(*rs).value);
      }
    }
    {
      Statement s = c.Prepare(absl::StrCat(
          "SELECT adviser_id, id, appointment_type_id, start_time, "
          "block_start, block_end, seats, seat FROM appointments "
          "WHERE adviser_id IN ",
          in,
          " AND state <> 'CANCELLED' AND block_start >= ? AND block_start < ? "
          "AND block_end > ? ORDER BY adviser_id, block_start, id"));
      BindInList(s, ids, begin, end);
      auto rs = s.Bind(from - kMaxBlock).Bind(to).Bind(from).Query();
      while (rs->next()) {
        const std::string adviser_id = GetString(*rs, 1);
        auto it = by_id.find(adviser_id);
        if (it == by_id.end()) continue;
        const std::string id = GetString(*rs, 2);
        if (id == w.skip_appointment_id) continue;
        domain::schedule::Booked b;
        const std::string type_id = GetString(*rs, 3);
        b.appointment_type = names::Name(kAppointmentTypes, type_id);
        b.start = GetTime(*rs, 4);
        b.block_start = GetTime(*rs, 5);
        b.block_end = GetTime(*rs, 6);
        b.seats = rs->getInt(7);
        if (session != nullptr && adviser_id == ids.front() &&
            type_id == session->first &&
            absl::ToUnixMicros(b.start) ==
                absl::ToUnixMicros(session->second)) {
          session_seats->push_back(rs->getInt(8));
        }
        it->second->booked.push_back(std::move(b));
      }
    }
    {
      Statement s = c.Prepare(
          absl::StrCat("SELECT adviser_id, id, appointment_type_id, start_time "
                       "FROM waitlist_entries WHERE adviser_id IN ",
                       in,
                       " AND state = 'OFFERED' AND offer_expire_time > ? "
                       "AND start_time >= ? AND start_time < ? "
                       "ORDER BY adviser_id, start_time, id"));
      BindInList(s, ids, begin, end);
      auto rs = s.Bind(w.now).Bind(from).Bind(to).Query();
      while (rs->next()) {
        auto it = by_id.find(GetString(*rs, 1));
        if (it == by_id.end()) continue;
        if (GetString(*rs, 2) == w.skip_entry_id) continue;
        domain::schedule::HeldSeat held;
        held.appointment_type =
            names::Name(kAppointmentTypes, GetString(*rs, 3));
        held.start = GetTime(*rs, 4);
        it->second->held.push_back(std::move(held));
      }
    }
  }
}

// An adviser's channels, from their `details` (a v1::Adviser with the
// column fields cleared; NULL when there is nothing more).
std::vector<v1::Adviser::Channel> ChannelsOf(sql::ResultSet& rs, int column) {
  std::vector<v1::Adviser::Channel> channels;
  if (rs.isNull(column)) return channels;
  v1::Adviser details;
  ParseDetails(rs, column, details);
  for (int channel : details.channels()) {
    channels.push_back(static_cast<v1::Adviser::Channel>(channel));
  }
  return channels;
}

// ---------------------------------------------------------------- lookups

absl::StatusOr<std::optional<domain::BookingParties>> ReadParties(
    Database& db, const RequestContext& ctx, absl::string_view what,
    const std::string& sql, const std::string& id) {
  std::optional<domain::BookingParties> parties;
  absl::Status status = db.Read(what, ctx.deadline, [&](Connection& c) {
    parties.reset();
    auto rs = c.Prepare(sql).Bind(id).Query();
    if (rs->next()) {
      parties = domain::BookingParties{GetString(*rs, 1), GetString(*rs, 2),
                                       GetString(*rs, 3)};
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return parties;
}

}  // namespace

// ------------------------------------------------------- appointment types

absl::StatusOr<v1::AppointmentType> BookingStore::CreateAppointmentType(
    const RequestContext& ctx, const std::string& id,
    const v1::AppointmentType& type, const domain::IdempotencyKey* key) {
  return CreateOnce<v1::AppointmentType>(
      db_, ctx, "CreateAppointmentType", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::AppointmentType> {
        Connection& c = unit.connection();
        v1::AppointmentType created = type;
        created.set_name(names::Name(kAppointmentTypes, id));
        created.clear_etag();
        const absl::Time create = FromProtoTimestamp(created.create_time());
        Statement insert = c.Prepare(
            "INSERT INTO appointment_types (id, organisation_id, display_name, "
            "details, version, create_time, update_time) "
            "VALUES (?, ?, ?, ?, 1, ?, ?)");
        insert.Bind(id);
        BindTypeColumns(insert, created);
        insert.Bind(create).Bind(FromProtoTimestamp(created.update_time()));
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() == mysql_errors::kDuplicateKey) {
            return absl::AlreadyExistsError(
                absl::StrCat(created.name(), " already exists"));
          }
          if (e.getErrorCode() == mysql_errors::kNoReferencedRow) {
            return OrganisationMissing(created);
          }
          throw;
        }
        created.set_etag(MakeEtag(created.name(), create, 1));
        return created;
      });
}

absl::StatusOr<v1::AppointmentType> BookingStore::GetAppointmentType(
    const RequestContext& ctx, const std::string& id) {
  return ReadOne<v1::AppointmentType>(
      db_, ctx, "GetAppointmentType",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kTypeColumns,
                                  " FROM appointment_types WHERE id = ?"))
            .Bind(id)
            .Query();
      },
      TypeFromRow,
      errors::NotFound(kAppointmentTypeType,
                       names::Name(kAppointmentTypes, id)));
}

absl::StatusOr<Page<v1::AppointmentType>> BookingStore::ListAppointmentTypes(
    const RequestContext& ctx, const domain::AppointmentTypeQuery& q) {
  std::string sql = absl::StrCat("SELECT ", kTypeColumns,
                                 " FROM appointment_types WHERE TRUE");
  if (q.organisation_id) sql += " AND organisation_id = ?";
  if (q.after) sql += kAfterName;
  sql += " ORDER BY display_name, id LIMIT ?";
  return ListRows<v1::AppointmentType>(
      db_, ctx, "ListAppointmentTypes",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        if (q.organisation_id) s.Bind(*q.organisation_id);
        BindAfter(s, q.after);
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      TypeFromRow, q.limit);
}

absl::StatusOr<v1::AppointmentType> BookingStore::UpdateAppointmentType(
    const RequestContext& ctx, const std::string& id,
    const Mutation<v1::AppointmentType>& mutate) {
  return UpdateOne<v1::AppointmentType>(
      db_, ctx, "UpdateAppointmentType",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kTypeColumns,
                                  " FROM appointment_types WHERE id = ? "
                                  "FOR UPDATE"))
            .Bind(id)
            .Query();
      },
      TypeFromRow, rows::WithoutConnection<v1::AppointmentType>(mutate),
      [&](UnitOfWork& unit, const v1::AppointmentType& t) -> absl::Status {
        Connection& c = unit.connection();
        Statement update = c.Prepare(
            "UPDATE appointment_types SET organisation_id = ?, "
            "display_name = ?, details = ?, version = version + 1, "
            "update_time = ? WHERE id = ?");
        BindTypeColumns(update, t);
        update.Bind(FromProtoTimestamp(t.update_time())).Bind(id);
        try {
          update.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != mysql_errors::kNoReferencedRow) throw;
          return OrganisationMissing(t);
        }
        return absl::OkStatus();
      },
      errors::NotFound(kAppointmentTypeType,
                       names::Name(kAppointmentTypes, id)));
}

// ------------------------------------------------------ availability rules

absl::StatusOr<v1::AvailabilityRule> BookingStore::CreateAvailabilityRule(
    const RequestContext& ctx, const std::string& adviser_id,
    const std::string& id, const v1::AvailabilityRule& rule,
    const domain::IdempotencyKey* key) {
  return CreateOnce<v1::AvailabilityRule>(
      db_, ctx, "CreateAvailabilityRule", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::AvailabilityRule> {
        Connection& c = unit.connection();
        // The adviser's row lock orders this with bookings, which read the
        // rules under it.
        if (!c.Prepare("SELECT id FROM advisers WHERE id = ? AND "
                       "delete_time IS NULL FOR UPDATE")
                 .Bind(adviser_id)
                 .Query()
                 ->next()) {
          return errors::NotFound(kAdviserType,
                                  names::Name(names::kAdvisers, adviser_id));
        }
        const std::optional<absl::CivilDay> valid_from =
            rule.has_valid_from() ? ToCivilDay(rule.valid_from())
                                  : std::nullopt;
        if (!valid_from) {
          return errors::InvalidField("availability_rule.valid_from",
                                      "must be a date");
        }
        const std::optional<absl::CivilDay> valid_to =
            rows::DayOf(rule.has_valid_to(), rule.valid_to());
        if (rule.has_valid_to() && !valid_to) {
          return errors::InvalidField("availability_rule.valid_to",
                                      "must be a date");
        }
        v1::AvailabilityRule created = rule;
        created.set_name(names::ChildName(names::kAdvisers, adviser_id,
                                          kAvailabilityRules, id));
        try {
          c.Prepare(
               "INSERT INTO availability_rules (adviser_id, id, kind, "
               "valid_from, valid_to, details, create_time) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)")
              .Bind(adviser_id)
              .Bind(id)
              .Bind(v1::AvailabilityRule::Kind_Name(created.kind()))
              .Bind(*valid_from)
              .BindOrNull(valid_to)
              .Bind(DetailsOf(created))
              .Bind(FromProtoTimestamp(created.create_time()))
              .Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
          return absl::AlreadyExistsError(
              absl::StrCat(created.name(), " already exists"));
        }
        return created;
      });
}

absl::StatusOr<v1::AvailabilityRule> BookingStore::GetAvailabilityRule(
    const RequestContext& ctx, const std::string& adviser_id,
    const std::string& id) {
  return ReadOne<v1::AvailabilityRule>(
      db_, ctx, "GetAvailabilityRule",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kRuleColumns,
                                  " FROM availability_rules WHERE "
                                  "adviser_id = ? AND id = ?"))
            .Bind(adviser_id)
            .Bind(id)
            .Query();
      },
      RuleFromRow,
      errors::NotFound(kAvailabilityRuleType,
                       names::ChildName(names::kAdvisers, adviser_id,
                                        kAvailabilityRules, id)));
}

absl::StatusOr<Page<v1::AvailabilityRule>> BookingStore::ListAvailabilityRules(
    const RequestContext& ctx, const domain::AvailabilityRuleQuery& q) {
  std::string sql = absl::StrCat(
      "SELECT ", kRuleColumns, " FROM availability_rules WHERE adviser_id = ?");
  if (q.after) sql += " AND (create_time > ? OR (create_time = ? AND id > ?))";
  sql += " ORDER BY create_time, id LIMIT ?";
  return ListRows<v1::AvailabilityRule>(
      db_, ctx, "ListAvailabilityRules",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        s.Bind(q.adviser_id);
        if (q.after) {
          s.Bind(q.after->create_time)
              .Bind(q.after->create_time)
              .Bind(q.after->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      RuleFromRow, q.limit);
}

absl::Status BookingStore::DeleteAvailabilityRule(const RequestContext& ctx,
                                                  const std::string& adviser_id,
                                                  const std::string& id) {
  uint64_t deleted = 0;
  absl::Status status =
      Write(db_, ctx, "DeleteAvailabilityRule", [&](UnitOfWork& unit) {
        deleted = unit.connection()
                      .Prepare(
                          "DELETE FROM availability_rules WHERE adviser_id = "
                          "? AND id = ?")
                      .Bind(adviser_id)
                      .Bind(id)
                      .Execute();
        if (deleted > 0) {
          v1::AvailabilityRule rule;
          rule.set_name(names::ChildName(names::kAdvisers, adviser_id,
                                         kAvailabilityRules, id));
          unit.Deleted(rule);
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (deleted == 0) {
    return errors::NotFound(
        kAvailabilityRuleType,
        names::ChildName(names::kAdvisers, adviser_id, kAvailabilityRules, id));
  }
  return absl::OkStatus();
}

// --------------------------------------------------------------- calendars

absl::StatusOr<std::vector<AdviserCalendar>> BookingStore::ReadCalendars(
    const RequestContext& ctx, const domain::CalendarQuery& q) {
  std::string sql =
      "SELECT id, display_name, details FROM advisers WHERE "
      "organisation_id = ? AND active AND delete_time IS NULL";
  if (q.adviser_id) sql += " AND id = ?";
  if (q.language_code) sql += " AND FIND_IN_SET(?, language_codes) > 0";
  sql += " ORDER BY id";
  std::vector<AdviserCalendar> calendars;
  absl::Status status =
      db_.Read("ReadCalendars", ctx.deadline, [&](Connection& c) {
        calendars.clear();
        std::vector<std::string> ids;
        {
          Statement s = c.Prepare(sql);
          s.Bind(q.organisation_id);
          if (q.adviser_id) s.Bind(*q.adviser_id);
          if (q.language_code) s.Bind(*q.language_code);
          auto rs = s.Query();
          while (rs->next()) {
            ids.push_back(GetString(*rs, 1));
            AdviserCalendar& calendar = calendars.emplace_back();
            calendar.adviser = names::Name(names::kAdvisers, ids.back());
            calendar.display_name = GetString(*rs, 2);
            calendar.channels = ChannelsOf(*rs, 3);
          }
        }
        if (ids.empty()) return absl::OkStatus();
        std::vector<AdviserCalendar*> targets;
        for (AdviserCalendar& calendar : calendars)
          targets.push_back(&calendar);
        FillCalendars(c, ids, targets,
                      CalendarWindow{q.from, q.to, q.now, "", ""});
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return calendars;
}

// ---------------------------------------------------------------- booking

absl::StatusOr<BookingPlan> BookingStore::Book(
    const RequestContext& ctx, const BookingTarget& target,
    const domain::IdempotencyKey* key, const domain::BookingDecision& decide) {
  BookingPlan result;
  absl::Status status =
      Write(db_, ctx, "Book", [&](UnitOfWork& unit) -> absl::Status {
        Connection& c = unit.connection();
        result = BookingPlan{};
        if (key != nullptr) {
          absl::StatusOr<std::optional<std::string>> replay =
              unit.Claim(*key);
          if (!replay.ok()) return replay.status();
          if (replay->has_value()) {
            if (!result.appointment.ParseFromString(**replay)) {
              return absl::InternalError("stored response is unreadable");
            }
            return absl::OkStatus();
          }
        }
        BookingFacts facts;

        // 1. The person.
        {
          auto rs = c.Prepare(
                         "SELECT life_stage, school_stage FROM profiles "
                         "WHERE id = ? FOR UPDATE")
                        .Bind(target.profile_id)
                        .Query();
          if (!rs->next()) {
            return errors::NotFound(
                kProfileType, names::Name(names::kProfiles, target.profile_id));
          }
          facts.person.life_stage = EnumOf<v1::Profile::LifeStage>(
              GetString(*rs, 1), v1::Profile::LifeStage_Parse);
          facts.person.school_stage = NullableString(*rs, 2);
        }

        // 2. The appointment it replaces.
        std::optional<Row<Appointment>> replacing;
        int replacing_seats = 1;
        if (target.replacing_id) {
          {
            auto rs = c.Prepare(absl::StrCat("SELECT ", kAppointmentColumns,
                                             " FROM appointments WHERE id = ? "
                                             "FOR UPDATE"))
                          .Bind(*target.replacing_id)
                          .Query();
            if (rs->next()) {
              replacing = AppointmentFromRow(*rs);
              replacing_seats = rs->getInt(5);
            }
          }
          if (!replacing) {
            return errors::NotFound(
                kAppointmentType,
                names::Name(kAppointments, *target.replacing_id));
          }
          facts.replacing = replacing->value;
        }

        // 3. The waitlist offer it takes.
        std::optional<Row<WaitlistEntry>> accepting;
        if (target.accepting_entry_id) {
          {
            auto rs = c.Prepare(absl::StrCat("SELECT ", kEntryColumns,
                                             " FROM waitlist_entries WHERE "
                                             "id = ? FOR UPDATE"))
                          .Bind(*target.accepting_entry_id)
                          .Query();
            if (rs->next()) accepting = EntryFromRow(*rs);
          }
          if (!accepting) {
            return errors::NotFound(
                kWaitlistEntryType,
                names::Name(kWaitlistEntries, *target.accepting_entry_id));
          }
          facts.accepting = accepting->value;
        }

        // 4. The adviser (and the replaced appointment's, if another), in id
        // order.
        std::vector<std::string> lock_ids = {target.adviser_id};
        if (replacing) {
          const std::string old_adviser = IdOf(replacing->value.adviser());
          if (old_adviser != target.adviser_id) lock_ids.push_back(old_adviser);
        }
        std::sort(lock_ids.begin(), lock_ids.end());
        bool adviser_found = false;
        for (const std::string& adviser_id : lock_ids) {
          auto rs = c.Prepare(
                         "SELECT organisation_id, active, delete_time IS NULL, "
                         "display_name, details FROM advisers WHERE id = ? "
                         "FOR UPDATE")
                        .Bind(adviser_id)
                        .Query();
          const bool found = rs->next();
          if (adviser_id != target.adviser_id) continue;
          if (!found || !rs->getBoolean(3)) break;  // missing or deleted
          adviser_found = true;
          facts.adviser_organisation_id = GetString(*rs, 1);
          facts.adviser_active = rs->getBoolean(2);
          facts.calendar.adviser =
              names::Name(names::kAdvisers, target.adviser_id);
          facts.calendar.display_name = GetString(*rs, 4);
          facts.calendar.channels = ChannelsOf(*rs, 5);
        }
        if (!adviser_found) {
          return errors::NotFound(
              kAdviserType, names::Name(names::kAdvisers, target.adviser_id));
        }

        // 5. The type.
        {
          auto rs = c.Prepare(absl::StrCat("SELECT ", kTypeColumns,
                                           " FROM appointment_types WHERE "
                                           "id = ?"))
                        .Bind(target.appointment_type_id)
                        .Query();
          if (!rs->next()) {
            return errors::NotFound(
                kAppointmentTypeType,
                names::Name(kAppointmentTypes, target.appointment_type_id));
          }
          facts.type = TypeFromRow(*rs).value;
        }

        // 6. The adviser's calendar around the start and the session's
        // seats (three queries), and the person's other appointments (one).
        const std::string skip_id = target.replacing_id.value_or("");
        {
          std::vector<std::string> ids = {target.adviser_id};
          std::vector<AdviserCalendar*> calendars = {&facts.calendar};
          const std::pair<std::string, absl::Time> session = {
              target.appointment_type_id, target.start};
          FillCalendars(
              c, ids, calendars,
              CalendarWindow{target.start, target.end, target.now, skip_id,
                             target.accepting_entry_id.value_or("")},
              &session, &facts.session_seats_taken);
        }
        {
          const rules::PersonAtTime person =
              ReadPersonAtTime(c, target.profile_id,
                               {target.adviser_id, target.appointment_type_id,
                                target.start, target.end},
                               target.now, skip_id);
          facts.person_upcoming_of_type = person.upcoming_of_type;
          facts.person_busy = person.busy;
          facts.person_in_session = person.holds_seat_in_session;
        }

        // 7. The decision.
        absl::StatusOr<BookingPlan> decided = decide(facts);
        if (!decided.ok()) return decided.status();
        BookingPlan& plan = *decided;
        Appointment& a = plan.appointment;
        a.clear_etag();
        if (IdOf(a.profile()) != target.profile_id ||
            IdOf(a.adviser()) != target.adviser_id ||
            IdOf(a.appointment_type()) != target.appointment_type_id ||
            plan.replaced.has_value() != replacing.has_value() ||
            (plan.replaced &&
             plan.replaced->name() != replacing->value.name()) ||
            (plan.accepted && (!accepting || plan.accepted->name() !=
                                                 accepting->value.name()))) {
          return absl::InternalError(
              "the booking decided does not match what was locked for it");
        }
        const std::string id = IdOf(a.name());

        // 8. The writes: the replaced appointment first, so that its seat is
        // free for the new one.
        if (plan.replaced) {
          plan.replaced->clear_etag();
          if (!SameBooking(*plan.replaced, replacing->value)) {
            return absl::InternalError(
                "a rescheduled appointment's booking must not change");
          }
          WriteAppointment(c, *plan.replaced);
          if (IsLive(replacing->value.state()) &&
              !IsLive(plan.replaced->state())) {
            CancelReminders(c, IdOf(plan.replaced->name()),
                            ChangeTime(*plan.replaced));
            // A group seat left by a reschedule goes to the waitlist, as
            // on a cancellation.
            if (replacing_seats > 1) {
              OfferFreedSeat(unit, IdOf(plan.replaced->adviser()),
                             IdOf(plan.replaced->appointment_type()),
                             FromProtoTimestamp(plan.replaced->start_time()),
                             target.offer);
            }
          }
        }
        const absl::Time create = FromProtoTimestamp(a.create_time());
        Statement insert = c.Prepare(
            "INSERT INTO appointments (id, profile_id, adviser_id, "
            "organisation_id, appointment_type_id, start_time, end_time, "
            "block_start, block_end, seats, seat, state, rescheduled_from_id, "
            "details, sequence, version, create_time, update_time) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.Bind(id)
            .Bind(target.profile_id)
            .Bind(target.adviser_id)
            .Bind(facts.adviser_organisation_id)
            .Bind(target.appointment_type_id)
            .Bind(FromProtoTimestamp(a.start_time()))
            .Bind(FromProtoTimestamp(a.end_time()))
            .Bind(plan.block_start)
            .Bind(plan.block_end)
            .Bind(plan.seats)
            .Bind(a.seat())
            .Bind(Appointment::State_Name(a.state()))
            .BindOrNull(IdOf(a.rescheduled_from()))
            .Bind(DetailsOf(a))
            .Bind(static_cast<int64_t>(a.sequence()))
            .Bind(create)
            .Bind(ChangeTime(a));
        const std::string slot =
            names::SlotName(a.adviser(), FromProtoTimestamp(a.start_time()));
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() == mysql_errors::kDuplicateKey) {
            // The message names the key; it never leaves the store.
            const std::string message = e.what();
            if (absl::StrContains(message, "appointments_rescheduled_once")) {
              return errors::FailedPrecondition(
                  "RESCHEDULED", a.rescheduled_from(),
                  "was already rescheduled; cancel it and book again");
            }
            if (absl::StrContains(message, "PRIMARY")) {
              return absl::AlreadyExistsError(
                  absl::StrCat(a.name(), " already exists"));
            }
            return errors::FailedPrecondition("SLOT_TAKEN", slot,
                                              "was just taken; choose another");
          }
          if (IsCheckViolation(e)) {
            return errors::FailedPrecondition(
                "SEAT", slot,
                absl::StrCat("has no seat ", a.seat(), " (the session has ",
                             plan.seats, ", and the times must be in order)"));
          }
          if (e.getErrorCode() == mysql_errors::kNoReferencedRow) {
            return errors::FailedPrecondition(
                "NOT_FOUND", a.name(),
                "refers to a profile, adviser or type that does not exist");
          }
          throw;
        }
        if (!plan.reminders.empty()) {
          std::string sql =
              "INSERT INTO appointment_reminders (appointment_id, kind, "
              "due_time, state, create_time, update_time) VALUES ";
          for (size_t i = 0; i < plan.reminders.size(); ++i) {
            absl::StrAppend(&sql, i ? ", " : "", "(?, ?, ?, 'PENDING', ?, ?)");
          }
          Statement s = c.Prepare(sql);
          for (const domain::Reminder& r : plan.reminders) {
            s.Bind(id).Bind(r.kind).Bind(r.due).Bind(create).Bind(create);
          }
          s.Execute();
        }
        if (plan.accepted) {
          plan.accepted->clear_etag();
          if (!SameSession(*plan.accepted, accepting->value)) {
            return absl::InternalError(
                "an accepted waitlist entry's session must not change");
          }
          WriteEntry(c, *plan.accepted);
        }

        a.set_etag(MakeEtag(a.name(), create, 1));
        if (plan.replaced) {
          plan.replaced->set_etag(MakeEtag(plan.replaced->name(),
                                           replacing->create_time,
                                           replacing->version + 1));
        }
        if (plan.accepted) {
          plan.accepted->set_etag(MakeEtag(plan.accepted->name(),
                                           accepting->create_time,
                                           accepting->version + 1));
        }
        if (key != nullptr) unit.RecordResponse(*key, a);
        unit.Created(a);
        if (plan.replaced) unit.Updated(replacing->value, *plan.replaced);
        if (plan.accepted) unit.Updated(accepting->value, *plan.accepted);
        result = std::move(plan);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

// ------------------------------------------------------------ appointments

absl::StatusOr<Appointment> BookingStore::GetAppointment(
    const RequestContext& ctx, const std::string& id) {
  return ReadOne<Appointment>(
      db_, ctx, "GetAppointment",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kAppointmentColumns,
                                  " FROM appointments WHERE id = ?"))
            .Bind(id)
            .Query();
      },
      AppointmentFromRow,
      errors::NotFound(kAppointmentType, names::Name(kAppointments, id)));
}

absl::StatusOr<Page<Appointment>> BookingStore::ListAppointments(
    const RequestContext& ctx, const domain::AppointmentQuery& q) {
  const int owners = q.profile_id.has_value() + q.adviser_id.has_value() +
                     q.organisation_id.has_value();
  if (owners != 1) {
    return absl::InvalidArgumentError(
        "exactly one of profile, adviser and organisation is required");
  }
  const char* column = q.profile_id   ? "profile_id"
                       : q.adviser_id ? "adviser_id"
                                      : "organisation_id";
  const std::string& owner =
      q.profile_id ? *q.profile_id
                   : (q.adviser_id ? *q.adviser_id : *q.organisation_id);
  std::string sql = absl::StrCat("SELECT ", kAppointmentColumns,
                                 " FROM appointments WHERE ", column, " = ?");
  if (q.start_from) sql += " AND start_time >= ?";
  if (q.start_to) sql += " AND start_time < ?";
  if (q.state) sql += " AND state = ?";
  if (q.appointment_type_id) sql += " AND appointment_type_id = ?";
  if (q.after) {
    sql += q.newest_first
               ? " AND (start_time < ? OR (start_time = ? AND id < ?))"
               : " AND (start_time > ? OR (start_time = ? AND id > ?))";
  }
  sql += q.newest_first ? " ORDER BY start_time DESC, id DESC LIMIT ?"
                        : " ORDER BY start_time, id LIMIT ?";
  return ListRows<Appointment>(
      db_, ctx, "ListAppointments",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        s.Bind(owner);
        if (q.start_from) s.Bind(*q.start_from);
        if (q.start_to) s.Bind(*q.start_to);
        if (q.state) s.Bind(Appointment::State_Name(*q.state));
        if (q.appointment_type_id) s.Bind(*q.appointment_type_id);
        if (q.after) {
          s.Bind(q.after->create_time)
              .Bind(q.after->create_time)
              .Bind(q.after->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      AppointmentFromRow, q.limit);
}

absl::StatusOr<Appointment> BookingStore::UpdateAppointment(
    const RequestContext& ctx, const std::string& id,
    const Mutation<Appointment>& mutate, const OfferTerms& offer) {
  Appointment before;
  int seats = 1;
  return UpdateOne<Appointment>(
      db_, ctx, "UpdateAppointment",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kAppointmentColumns,
                                  " FROM appointments WHERE id = ? FOR UPDATE"))
            .Bind(id)
            .Query();
      },
      [&](sql::ResultSet& rs) {
        Row<Appointment> row = AppointmentFromRow(rs);
        before = row.value;
        seats = rs.getInt(5);
        return row;
      },
      rows::WithoutConnection<Appointment>(mutate),
      [&](UnitOfWork& unit, const Appointment& a) -> absl::Status {
        Connection& c = unit.connection();
        if (!SameBooking(a, before)) {
          return absl::InternalError(
              "an appointment's booking must not change; cancel and book");
        }
        Appointment stored = a;
        stored.clear_etag();
        WriteAppointment(c, stored);
        if (IsLive(before.state()) && !IsLive(a.state())) {
          CancelReminders(c, id, ChangeTime(a));
          if (seats > 1) {
            OfferFreedSeat(unit, IdOf(a.adviser()),
                           IdOf(a.appointment_type()),
                           FromProtoTimestamp(a.start_time()), offer);
          }
        }
        return absl::OkStatus();
      },
      errors::NotFound(kAppointmentType, names::Name(kAppointments, id)));
}

// -------------------------------------------------------- waitlist entries

absl::StatusOr<WaitlistEntry> BookingStore::CreateWaitlistEntry(
    const RequestContext& ctx, const std::string& id,
    const WaitlistEntry& entry, const domain::IdempotencyKey* key,
    const domain::WaitlistJoinDecision& decide) {
  return CreateOnce<WaitlistEntry>(
      db_, ctx, "CreateWaitlistEntry", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<WaitlistEntry> {
        Connection& c = unit.connection();
        const std::string profile_id = names::ProfileIdOf(entry.profile());
        if (!rows::LockProfileForChild(c, profile_id)) {
          return errors::NotFound(kProfileType, entry.profile());
        }
        // Under the person's lock, no booking of theirs can slip in before
        // the entry is written.
        const absl::Time start = FromProtoTimestamp(entry.start_time());
        const absl::Time now = FromProtoTimestamp(entry.create_time());
        const rules::PersonAtTime person = ReadPersonAtTime(
            c, profile_id,
            {IdOf(entry.adviser()), IdOf(entry.appointment_type()), start,
             start + absl::Microseconds(1)},
            now, "");
        if (absl::Status decided = decide(person); !decided.ok()) {
          return decided;
        }
        WaitlistEntry created = entry;
        created.set_name(names::Name(kWaitlistEntries, id));
        created.clear_etag();
        const absl::Time create = FromProtoTimestamp(created.create_time());
        Statement insert = c.Prepare(
            "INSERT INTO waitlist_entries (id, profile_id, adviser_id, "
            "appointment_type_id, start_time, state, offer_expire_time, "
            "details, version, create_time) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)");
        insert.Bind(id)
            .Bind(profile_id)
            .Bind(IdOf(created.adviser()))
            .Bind(IdOf(created.appointment_type()))
            .Bind(FromProtoTimestamp(created.start_time()))
            .Bind(WaitlistEntry::State_Name(created.state()));
        BindOptionalTime(insert, created.has_offer_expire_time(),
                         created.offer_expire_time());
        insert.Bind(DetailsOf(created)).Bind(create);
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() == mysql_errors::kDuplicateKey) {
            if (absl::StrContains(e.what(), "PRIMARY")) {
              return absl::AlreadyExistsError(
                  absl::StrCat(created.name(), " already exists"));
            }
            return absl::AlreadyExistsError(
                "the person already waits for this session");
          }
          if (e.getErrorCode() == mysql_errors::kNoReferencedRow) {
            return errors::FailedPrecondition(
                "NOT_FOUND", created.name(),
                "refers to an adviser or appointment type that does not "
                "exist");
          }
          throw;
        }
        created.set_etag(MakeEtag(created.name(), create, 1));
        auto rs = c.Prepare(absl::StrCat("SELECT ", kEntryPosition,
                                         " FROM waitlist_entries w WHERE "
                                         "w.id = ?"))
                      .Bind(id)
                      .Query();
        if (rs->next()) created.set_position(rs->getInt(1));
        return created;
      });
}

absl::StatusOr<WaitlistEntry> BookingStore::GetWaitlistEntry(
    const RequestContext& ctx, const std::string& id) {
  return ReadOne<WaitlistEntry>(
      db_, ctx, "GetWaitlistEntry",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", EntryColumnsWithPosition(),
                                  " FROM waitlist_entries w WHERE w.id = ?"))
            .Bind(id)
            .Query();
      },
      EntryWithPositionFromRow,
      errors::NotFound(kWaitlistEntryType, names::Name(kWaitlistEntries, id)));
}

absl::StatusOr<Page<WaitlistEntry>> BookingStore::ListWaitlistEntries(
    const RequestContext& ctx, const domain::WaitlistQuery& q) {
  if (q.profile_id.has_value() == q.session.has_value()) {
    return absl::InvalidArgumentError(
        "exactly one of a profile and a session is required");
  }
  std::string sql = absl::StrCat("SELECT ", EntryColumnsWithPosition(),
                                 " FROM waitlist_entries w WHERE ");
  if (q.profile_id) {
    sql += "w.profile_id = ?";
    if (q.before) {
      sql += " AND (w.create_time < ? OR (w.create_time = ? AND w.id < ?))";
    }
    sql += " ORDER BY w.create_time DESC, w.id DESC LIMIT ?";
  } else {
    // The queue's order, as OfferFreedSeat takes it.
    sql +=
        "w.adviser_id = ? AND w.start_time = ? AND w.appointment_type_id = ?";
    if (q.after) {
      sql += " AND (w.create_time > ? OR (w.create_time = ? AND w.id > ?))";
    }
    sql += " ORDER BY w.create_time, w.id LIMIT ?";
  }
  const std::optional<domain::CreationCursor>& cursor =
      q.profile_id ? q.before : q.after;
  return ListRows<WaitlistEntry>(
      db_, ctx, "ListWaitlistEntries",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        if (q.profile_id) {
          s.Bind(*q.profile_id);
        } else {
          s.Bind(q.session->adviser_id)
              .Bind(q.session->start)
              .Bind(q.session->appointment_type_id);
        }
        if (cursor) {
          s.Bind(cursor->create_time)
              .Bind(cursor->create_time)
              .Bind(cursor->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      EntryWithPositionFromRow, q.limit);
}

absl::StatusOr<WaitlistEntry> BookingStore::UpdateWaitlistEntry(
    const RequestContext& ctx, const std::string& id,
    const Mutation<WaitlistEntry>& mutate, const OfferTerms& offer) {
  WaitlistEntry before;
  return UpdateOne<WaitlistEntry>(
      db_, ctx, "UpdateWaitlistEntry",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kEntryColumns,
                                  " FROM waitlist_entries WHERE id = ? "
                                  "FOR UPDATE"))
            .Bind(id)
            .Query();
      },
      [&](sql::ResultSet& rs) {
        Row<WaitlistEntry> row = EntryFromRow(rs);
        before = row.value;
        return row;
      },
      rows::WithoutConnection<WaitlistEntry>(mutate),
      [&](UnitOfWork& unit, const WaitlistEntry& e) -> absl::Status {
        Connection& c = unit.connection();
        if (!SameSession(e, before)) {
          return absl::InternalError(
              "a waitlist entry's person and session must not change");
        }
        WaitlistEntry stored = e;
        stored.clear_etag();
        WriteEntry(c, stored);
        if (before.state() == WaitlistEntry::OFFERED &&
            e.state() != WaitlistEntry::OFFERED &&
            e.state() != WaitlistEntry::ACCEPTED) {
          OfferFreedSeat(unit, IdOf(e.adviser()), IdOf(e.appointment_type()),
                         FromProtoTimestamp(e.start_time()), offer);
        }
        return absl::OkStatus();
      },
      errors::NotFound(kWaitlistEntryType, names::Name(kWaitlistEntries, id)));
}

absl::StatusOr<int> BookingStore::ExpireOffers(const RequestContext& ctx,
                                               const OfferTerms& offer,
                                               int limit) {
  if (limit <= 0) return 0;
  int expired = 0;
  absl::Status status = Write(
      db_, ctx, "ExpireOffers", [&](UnitOfWork& unit) -> absl::Status {
        Connection& c = unit.connection();
        std::vector<WaitlistEntry> due;
        {
          auto rs =
              c.Prepare(absl::StrCat("SELECT ", kEntryColumns,
                                     " FROM waitlist_entries WHERE state = "
                                     "'OFFERED' AND offer_expire_time <= ? "
                                     "ORDER BY offer_expire_time, id LIMIT ? "
                                     "FOR UPDATE"))
                  .Bind(offer.now)
                  .Bind(static_cast<int64_t>(limit))
                  .Query();
          while (rs->next()) due.push_back(EntryFromRow(*rs).value);
        }
        for (WaitlistEntry& e : due) {
          const WaitlistEntry offered = e;
          e.set_state(WaitlistEntry::EXPIRED);
          e.clear_etag();
          WriteEntry(c, e);
          unit.Updated(offered, e);
          OfferFreedSeat(unit, IdOf(e.adviser()), IdOf(e.appointment_type()),
                         FromProtoTimestamp(e.start_time()), offer);
        }
        expired = static_cast<int>(due.size());
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return expired;
}

// ------------------------------------------------------------------ lookups

absl::StatusOr<std::optional<domain::BookingParties>>
BookingStore::AppointmentParties(const RequestContext& ctx,
                                 const std::string& appointment_id) {
  return ReadParties(db_, ctx, "AppointmentParties",
                     "SELECT a.profile_id, a.adviser_id, v.organisation_id "
                     "FROM appointments a JOIN advisers v ON v.id = "
                     "a.adviser_id WHERE a.id = ?",
                     appointment_id);
}

absl::StatusOr<std::optional<domain::BookingParties>>
BookingStore::WaitlistEntryParties(const RequestContext& ctx,
                                   const std::string& entry_id) {
  return ReadParties(db_, ctx, "WaitlistEntryParties",
                     "SELECT w.profile_id, w.adviser_id, v.organisation_id "
                     "FROM waitlist_entries w JOIN advisers v ON v.id = "
                     "w.adviser_id WHERE w.id = ?",
                     entry_id);
}

absl::StatusOr<std::optional<std::string>>
BookingStore::OrganisationOfAppointmentType(const RequestContext& ctx,
                                            const std::string& type_id) {
  std::optional<std::string> organisation;
  absl::Status status = db_.Read(
      "OrganisationOfAppointmentType", ctx.deadline, [&](Connection& c) {
        organisation.reset();
        auto rs = c.Prepare(
                       "SELECT organisation_id FROM appointment_types WHERE "
                       "id = ?")
                      .Bind(type_id)
                      .Query();
        if (rs->next()) organisation = GetString(*rs, 1);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return organisation;
}

}  // namespace careers::store
