#ifndef CAREERS_SERVER_STORE_BOOKING_STORE_H_
#define CAREERS_SERVER_STORE_BOOKING_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "server/domain/booking_repository.h"
#include "server/store/database.h"

namespace careers::store {

// Appointment types, availability rules, appointments, reminders and
// waitlists on MariaDB/MySQL (db/migrations/0006), and the lookups the
// access policy makes about them. Columns hold what is filtered, sorted,
// locked on or constrained; `details` holds the whole resource (without its
// etag) as its serialized careers.v1 message, always written together with
// the columns. Thread-safe; `db` must outlive it.
//
// Lock order, in every transaction that takes more than one of them:
// profile, appointment, waitlist entry, adviser(s) by id. Book takes them
// in that order; updates take one appointment or entry and then the
// waitlist entries of its session.
class BookingStore final : public domain::BookingRepository,
                           public domain::BookingLookup {
 public:
  explicit BookingStore(Database& db) : db_(db) {}
  BookingStore(const BookingStore&) = delete;
  BookingStore& operator=(const BookingStore&) = delete;

  // domain::BookingRepository.
  absl::StatusOr<v1::AppointmentType> CreateAppointmentType(
      const RequestContext& ctx, const std::string& id,
      const v1::AppointmentType& type,
      const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::AppointmentType> GetAppointmentType(
      const RequestContext& ctx, const std::string& id) override;
  absl::StatusOr<domain::Page<v1::AppointmentType>> ListAppointmentTypes(
      const RequestContext& ctx,
      const domain::AppointmentTypeQuery& query) override;
  absl::StatusOr<v1::AppointmentType> UpdateAppointmentType(
      const RequestContext& ctx, const std::string& id,
      const domain::Mutation<v1::AppointmentType>& mutate) override;

  absl::StatusOr<v1::AvailabilityRule> CreateAvailabilityRule(
      const RequestContext& ctx, const std::string& adviser_id,
      const std::string& id, const v1::AvailabilityRule& rule,
      const domain::IdempotencyKey* key) override;
  absl::StatusOr<v1::AvailabilityRule> GetAvailabilityRule(
      const RequestContext& ctx, const std::string& adviser_id,
      const std::string& id) override;
  absl::StatusOr<domain::Page<v1::AvailabilityRule>> ListAvailabilityRules(
      const RequestContext& ctx,
      const domain::AvailabilityRuleQuery& query) override;
  absl::Status DeleteAvailabilityRule(const RequestContext& ctx,
                                      const std::string& adviser_id,
                                      const std::string& id) override;

  // Four queries (advisers, then rules, appointments and held seats of all
  // of them at once), more only beyond kMaxInList advisers.
  absl::StatusOr<std::vector<domain::schedule::AdviserCalendar>> ReadCalendars(
      const RequestContext& ctx, const domain::CalendarQuery& query) override;

  absl::StatusOr<domain::BookingPlan> Book(
      const RequestContext& ctx, const domain::BookingTarget& target,
      const domain::IdempotencyKey* key,
      const domain::BookingDecision& decide) override;

  absl::StatusOr<v1::Appointment> GetAppointment(
      const RequestContext& ctx, const std::string& id) override;
  absl::StatusOr<domain::Page<v1::Appointment>> ListAppointments(
      const RequestContext& ctx,
      const domain::AppointmentQuery& query) override;
  absl::StatusOr<v1::Appointment> UpdateAppointment(
      const RequestContext& ctx, const std::string& id,
      const domain::Mutation<v1::Appointment>& mutate,
      const domain::OfferTerms& offer) override;

  absl::StatusOr<v1::WaitlistEntry> CreateWaitlistEntry(
      const RequestContext& ctx, const std::string& id,
      const v1::WaitlistEntry& entry, const domain::IdempotencyKey* key,
      const domain::WaitlistJoinDecision& decide) override;
  absl::StatusOr<v1::WaitlistEntry> GetWaitlistEntry(
      const RequestContext& ctx, const std::string& id) override;
  absl::StatusOr<domain::Page<v1::WaitlistEntry>> ListWaitlistEntries(
      const RequestContext& ctx, const domain::WaitlistQuery& query) override;
  absl::StatusOr<v1::WaitlistEntry> UpdateWaitlistEntry(
      const RequestContext& ctx, const std::string& id,
      const domain::Mutation<v1::WaitlistEntry>& mutate,
      const domain::OfferTerms& offer) override;
  absl::StatusOr<int> ExpireOffers(const RequestContext& ctx,
                                   const domain::OfferTerms& offer,
                                   int limit) override;

  // domain::BookingLookup.
  absl::StatusOr<std::optional<domain::BookingParties>> AppointmentParties(
      const RequestContext& ctx, const std::string& appointment_id) override;
  absl::StatusOr<std::optional<domain::BookingParties>> WaitlistEntryParties(
      const RequestContext& ctx, const std::string& entry_id) override;
  absl::StatusOr<std::optional<std::string>> OrganisationOfAppointmentType(
      const RequestContext& ctx, const std::string& type_id) override;

  // Ids bound in one `IN (...)` list; lists are padded to a power of two so
  // a connection caches few statement shapes.
  static constexpr int kMaxInList = 512;

 private:
  Database& db_;
};

}  // namespace careers::store

#endif  // CAREERS_SERVER_STORE_BOOKING_STORE_H_
