#ifndef CAREERS_SERVER_DOMAIN_BOOKING_H_
#define CAREERS_SERVER_DOMAIN_BOOKING_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "careers/v1/booking_service.pb.h"
#include "google/api/httpbody.pb.h"
#include "server/common/clock.h"
#include "server/domain/booking_repository.h"
#include "server/domain/consent_repository.h"
#include "server/domain/directory_lookup.h"
#include "server/domain/paging.h"

namespace careers::domain {

// A reminder written `before` an appointment's start.
struct ReminderOffset {
  std::string kind;
  absl::Duration before;
};

struct BookingOptions {
  // How long a waitlist offer holds a seat (never beyond the session's
  // start).
  absl::Duration offer_ttl = absl::Hours(24);
  // Reminders written with each booking, before its start; those already
  // due at booking time are left out.
  std::vector<ReminderOffset> reminder_offsets = {{"24h", absl::Hours(24)},
                                                  {"1h", absl::Hours(1)}};
};

// The rules of booking: valid appointment types and availability rules,
// slots, what makes a booking acceptable (the slot is offered and free, the
// notice, horizon, audience and per-person limit are met), state changes
// of appointments and waitlist entries as compare-and-set, and the
// calendar export. Who may call what is the access policy's business.
// Every booking decision is taken inside the store's transaction, on facts
// read under its locks. Thread-safe; collaborators must outlive it.
class Booking {
 public:
  Booking(BookingRepository& repository, DirectoryLookup& directory,
          const Clock& clock, const PageTokenCodec& page_tokens,
          BookingOptions options = {});
  Booking(const Booking&) = delete;
  Booking& operator=(const Booking&) = delete;

  absl::StatusOr<v1::AppointmentType> CreateAppointmentType(
      const RequestContext& ctx, const v1::CreateAppointmentTypeRequest& req);
  absl::StatusOr<v1::AppointmentType> GetAppointmentType(
      const RequestContext& ctx, const v1::GetAppointmentTypeRequest& req);
  absl::StatusOr<v1::ListAppointmentTypesResponse> ListAppointmentTypes(
      const RequestContext& ctx, const v1::ListAppointmentTypesRequest& req);
  absl::StatusOr<v1::AppointmentType> UpdateAppointmentType(
      const RequestContext& ctx, const v1::UpdateAppointmentTypeRequest& req);

  absl::StatusOr<v1::AvailabilityRule> CreateAvailabilityRule(
      const RequestContext& ctx, const v1::CreateAvailabilityRuleRequest& req);
  absl::StatusOr<v1::AvailabilityRule> GetAvailabilityRule(
      const RequestContext& ctx, const v1::GetAvailabilityRuleRequest& req);
  absl::StatusOr<v1::ListAvailabilityRulesResponse> ListAvailabilityRules(
      const RequestContext& ctx, const v1::ListAvailabilityRulesRequest& req);
  absl::Status DeleteAvailabilityRule(
      const RequestContext& ctx, const v1::DeleteAvailabilityRuleRequest& req);

  absl::StatusOr<v1::SearchAvailabilityResponse> SearchAvailability(
      const RequestContext& ctx, const v1::SearchAvailabilityRequest& req);

  absl::StatusOr<v1::Appointment> CreateAppointment(
      const RequestContext& ctx, const v1::CreateAppointmentRequest& req);
  absl::StatusOr<v1::Appointment> GetAppointment(
      const RequestContext& ctx, const v1::GetAppointmentRequest& req);
  absl::StatusOr<v1::ListAppointmentsResponse> ListAppointments(
      const RequestContext& ctx, const v1::ListAppointmentsRequest& req);
  absl::StatusOr<v1::Appointment> CancelAppointment(
      const RequestContext& ctx, const v1::CancelAppointmentRequest& req);
  absl::StatusOr<v1::Appointment> RescheduleAppointment(
      const RequestContext& ctx, const v1::RescheduleAppointmentRequest& req);
  absl::StatusOr<v1::Appointment> RecordAttendance(
      const RequestContext& ctx, const v1::RecordAttendanceRequest& req);
  absl::StatusOr<google::api::HttpBody> ExportCalendar(
      const RequestContext& ctx, const v1::ExportCalendarRequest& req);

  absl::StatusOr<v1::WaitlistEntry> CreateWaitlistEntry(
      const RequestContext& ctx, const v1::CreateWaitlistEntryRequest& req);
  absl::StatusOr<v1::WaitlistEntry> GetWaitlistEntry(
      const RequestContext& ctx, const v1::GetWaitlistEntryRequest& req);
  absl::StatusOr<v1::ListWaitlistEntriesResponse> ListWaitlistEntries(
      const RequestContext& ctx, const v1::ListWaitlistEntriesRequest& req);
  absl::StatusOr<v1::WaitlistEntry> AcceptWaitlistOffer(
      const RequestContext& ctx, const v1::AcceptWaitlistOfferRequest& req);
  absl::StatusOr<v1::WaitlistEntry> WithdrawWaitlistEntry(
      const RequestContext& ctx, const v1::WithdrawWaitlistEntryRequest& req);

  // Moves expired waitlist offers on (the maintenance loop calls it; so do
  // calls that depend on offers being current). Returns how many expired.
  absl::StatusOr<int> ExpireOffers(const RequestContext& ctx);

  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 200;
  static constexpr int kMaxSlotPageSize = 500;

 private:
  // What is being booked, after validation.
  struct SlotChoice {
    std::string profile_id;
    std::string adviser_id;
    v1::AppointmentType type;
    v1::Adviser::Channel channel = {};
    absl::Time start;
    std::string notes;
  };
  // The booking of `choice` if the facts allow it: the rules every way of
  // booking (create, reschedule, accepting an offer) shares.
  absl::StatusOr<BookingPlan> Decide(const RequestContext& ctx,
                                     const BookingFacts& facts,
                                     const SlotChoice& choice,
                                     absl::Time now) const;
  BookingTarget TargetOf(const SlotChoice& choice, absl::Time now) const;
  OfferTerms Offer() const;

  BookingRepository& repository_;
  DirectoryLookup& directory_;
  const Clock& clock_;
  const PageTokenCodec& page_tokens_;
  const BookingOptions options_;
};

}  // namespace careers::domain

#endif  // CAREERS_SERVER_DOMAIN_BOOKING_H_
