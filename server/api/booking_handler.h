#ifndef CAREERS_SERVER_API_BOOKING_HANDLER_H_
#define CAREERS_SERVER_API_BOOKING_HANDLER_H_

#include "careers/v1/booking_service.grpc.pb.h"
#include "server/api/call.h"
#include "server/domain/booking.h"

namespace careers::api {

// careers.v1.BookingService over gRPC: each method authorizes through the
// CallRunner (on the resource the call acts on: for creates and lists the
// profile, adviser or organisation they are for) and makes one call into
// domain::Booking. Thread-safe.
class BookingHandler final : public v1::BookingService::Service {
 public:
  BookingHandler(const CallRunner& calls, domain::Booking& booking)
      : calls_(calls), booking_(booking) {}

  grpc::Status CreateAppointmentType(
      grpc::ServerContext* context,
      const v1::CreateAppointmentTypeRequest* request,
      v1::AppointmentType* response) override;
  grpc::Status GetAppointmentType(grpc::ServerContext* context,
                                  const v1::GetAppointmentTypeRequest* request,
                                  v1::AppointmentType* response) override;
  grpc::Status ListAppointmentTypes(
      grpc::ServerContext* context,
      const v1::ListAppointmentTypesRequest* request,
      v1::ListAppointmentTypesResponse* response) override;
  grpc::Status UpdateAppointmentType(
      grpc::ServerContext* context,
      const v1::UpdateAppointmentTypeRequest* request,
      v1::AppointmentType* response) override;
  grpc::Status CreateAvailabilityRule(
      grpc::ServerContext* context,
      const v1::CreateAvailabilityRuleRequest* request,
      v1::AvailabilityRule* response) override;
  grpc::Status GetAvailabilityRule(
      grpc::ServerContext* context,
      const v1::GetAvailabilityRuleRequest* request,
      v1::AvailabilityRule* response) override;
  grpc::Status ListAvailabilityRules(
      grpc::ServerContext* context,
      const v1::ListAvailabilityRulesRequest* request,
      v1::ListAvailabilityRulesResponse* response) override;
  grpc::Status DeleteAvailabilityRule(
      grpc::ServerContext* context,
      const v1::DeleteAvailabilityRuleRequest* request,
      google::protobuf::Empty* response) override;
  grpc::Status SearchAvailability(
      grpc::ServerContext* context,
      const v1::SearchAvailabilityRequest* request,
      v1::SearchAvailabilityResponse* response) override;
  grpc::Status CreateAppointment(grpc::ServerContext* context,
                                 const v1::CreateAppointmentRequest* request,
                                 v1::Appointment* response) override;
  grpc::Status GetAppointment(grpc::ServerContext* context,
                              const v1::GetAppointmentRequest* request,
                              v1::Appointment* response) override;
  grpc::Status ListAppointments(
      grpc::ServerContext* context, const v1::ListAppointmentsRequest* request,
      v1::ListAppointmentsResponse* response) override;
  grpc::Status CancelAppointment(grpc::ServerContext* context,
                                 const v1::CancelAppointmentRequest* request,
                                 v1::Appointment* response) override;
  grpc::Status RescheduleAppointment(
      grpc::ServerContext* context,
      const v1::RescheduleAppointmentRequest* request,
      v1::Appointment* response) override;
  grpc::Status RecordAttendance(grpc::ServerContext* context,
                                const v1::RecordAttendanceRequest* request,
                                v1::Appointment* response) override;
  grpc::Status ExportCalendar(grpc::ServerContext* context,
                              const v1::ExportCalendarRequest* request,
                              google::api::HttpBody* response) override;
  grpc::Status CreateWaitlistEntry(
      grpc::ServerContext* context,
      const v1::CreateWaitlistEntryRequest* request,
      v1::WaitlistEntry* response) override;
  grpc::Status GetWaitlistEntry(grpc::ServerContext* context,
                                const v1::GetWaitlistEntryRequest* request,
                                v1::WaitlistEntry* response) override;
  grpc::Status ListWaitlistEntries(
      grpc::ServerContext* context,
      const v1::ListWaitlistEntriesRequest* request,
      v1::ListWaitlistEntriesResponse* response) override;
  grpc::Status AcceptWaitlistOffer(
      grpc::ServerContext* context,
      const v1::AcceptWaitlistOfferRequest* request,
      v1::WaitlistEntry* response) override;
  grpc::Status WithdrawWaitlistEntry(
      grpc::ServerContext* context,
      const v1::WithdrawWaitlistEntryRequest* request,
      v1::WaitlistEntry* response) override;

 private:
  const CallRunner& calls_;
  domain::Booking& booking_;
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_BOOKING_HANDLER_H_
