#include "server/api/booking_handler.h"

#include <initializer_list>

namespace careers::api {
namespace {

// The first non-empty of several alternative fields ("" if none).
std::string FirstSet(std::initializer_list<std::string> values) {
  for (const std::string& v : values) {
    if (!v.empty()) return v;
  }
  return "";
}

}  // namespace

grpc::Status BookingHandler::CreateAppointmentType(
    grpc::ServerContext* context,
    const v1::CreateAppointmentTypeRequest* request,
    v1::AppointmentType* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/CreateAppointmentType",
      request->appointment_type().organisation(),
      [&](const RequestContext& ctx) {
        return Reply(booking_.CreateAppointmentType(ctx, *request), response);
      });
}

grpc::Status BookingHandler::GetAppointmentType(
    grpc::ServerContext* context, const v1::GetAppointmentTypeRequest* request,
    v1::AppointmentType* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/GetAppointmentType",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(booking_.GetAppointmentType(ctx, *request), response);
      });
}

grpc::Status BookingHandler::ListAppointmentTypes(
    grpc::ServerContext* context,
    const v1::ListAppointmentTypesRequest* request,
    v1::ListAppointmentTypesResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/ListAppointmentTypes", "",
      [&](const RequestContext& ctx) {
        return Reply(booking_.ListAppointmentTypes(ctx, *request), response);
      });
}

grpc::Status BookingHandler::UpdateAppointmentType(
    grpc::ServerContext* context,
    const v1::UpdateAppointmentTypeRequest* request,
    v1::AppointmentType* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/UpdateAppointmentType",
      request->appointment_type().name(), [&](const RequestContext& ctx) {
        return Reply(booking_.UpdateAppointmentType(ctx, *request), response);
      });
}

grpc::Status BookingHandler::CreateAvailabilityRule(
    grpc::ServerContext* context,
    const v1::CreateAvailabilityRuleRequest* request,
    v1::AvailabilityRule* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/CreateAvailabilityRule",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(booking_.CreateAvailabilityRule(ctx, *request), response);
      });
}

grpc::Status BookingHandler::GetAvailabilityRule(
    grpc::ServerContext* context, const v1::GetAvailabilityRuleRequest* request,
    v1::AvailabilityRule* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/GetAvailabilityRule",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(booking_.GetAvailabilityRule(ctx, *request), response);
      });
}

grpc::Status BookingHandler::ListAvailabilityRules(
    grpc::ServerContext* context,
    const v1::ListAvailabilityRulesRequest* request,
    v1::ListAvailabilityRulesResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/ListAvailabilityRules",
      request->parent(), [&](const RequestContext& ctx) {
        return Reply(booking_.ListAvailabilityRules(ctx, *request), response);
      });
}

grpc::Status BookingHandler::DeleteAvailabilityRule(
    grpc::ServerContext* context,
    const v1::DeleteAvailabilityRuleRequest* request,
    google::protobuf::Empty* /*response*/) {
  return calls_.Run(context, *request,
                    "careers.v1.BookingService/DeleteAvailabilityRule",
                    request->name(), [&](const RequestContext& ctx) {
                      return booking_.DeleteAvailabilityRule(ctx, *request);
                    });
}

grpc::Status BookingHandler::SearchAvailability(
    grpc::ServerContext* context, const v1::SearchAvailabilityRequest* request,
    v1::SearchAvailabilityResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/SearchAvailability",
      request->appointment_type(), [&](const RequestContext& ctx) {
        return Reply(booking_.SearchAvailability(ctx, *request), response);
      });
}

grpc::Status BookingHandler::CreateAppointment(
    grpc::ServerContext* context, const v1::CreateAppointmentRequest* request,
    v1::Appointment* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/CreateAppointment",
      request->appointment().profile(), [&](const RequestContext& ctx) {
        return Reply(booking_.CreateAppointment(ctx, *request), response);
      });
}

grpc::Status BookingHandler::GetAppointment(
    grpc::ServerContext* context, const v1::GetAppointmentRequest* request,
    v1::Appointment* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/GetAppointment",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(booking_.GetAppointment(ctx, *request), response);
      });
}

grpc::Status BookingHandler::ListAppointments(
    grpc::ServerContext* context, const v1::ListAppointmentsRequest* request,
    v1::ListAppointmentsResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/ListAppointments",
      FirstSet(
          {request->profile(), request->adviser(), request->organisation()}),
      [&](const RequestContext& ctx) {
        return Reply(booking_.ListAppointments(ctx, *request), response);
      });
}

grpc::Status BookingHandler::CancelAppointment(
    grpc::ServerContext* context, const v1::CancelAppointmentRequest* request,
    v1::Appointment* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/CancelAppointment",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(booking_.CancelAppointment(ctx, *request), response);
      });
}

grpc::Status BookingHandler::RescheduleAppointment(
    grpc::ServerContext* context,
    const v1::RescheduleAppointmentRequest* request,
    v1::Appointment* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/RescheduleAppointment",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(booking_.RescheduleAppointment(ctx, *request), response);
      });
}

grpc::Status BookingHandler::RecordAttendance(
    grpc::ServerContext* context, const v1::RecordAttendanceRequest* request,
    v1::Appointment* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/RecordAttendance",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(booking_.RecordAttendance(ctx, *request), response);
      });
}

grpc::Status BookingHandler::ExportCalendar(
    grpc::ServerContext* context, const v1::ExportCalendarRequest* request,
    google::api::HttpBody* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/ExportCalendar",
      FirstSet({request->profile(), request->adviser()}),
      [&](const RequestContext& ctx) {
        return Reply(booking_.ExportCalendar(ctx, *request), response);
      });
}

grpc::Status BookingHandler::CreateWaitlistEntry(
    grpc::ServerContext* context, const v1::CreateWaitlistEntryRequest* request,
    v1::WaitlistEntry* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/CreateWaitlistEntry",
      request->waitlist_entry().profile(), [&](const RequestContext& ctx) {
        return Reply(booking_.CreateWaitlistEntry(ctx, *request), response);
      });
}

grpc::Status BookingHandler::GetWaitlistEntry(
    grpc::ServerContext* context, const v1::GetWaitlistEntryRequest* request,
    v1::WaitlistEntry* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/GetWaitlistEntry",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(booking_.GetWaitlistEntry(ctx, *request), response);
      });
}

grpc::Status BookingHandler::ListWaitlistEntries(
    grpc::ServerContext* context, const v1::ListWaitlistEntriesRequest* request,
    v1::ListWaitlistEntriesResponse* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/ListWaitlistEntries",
      FirstSet({request->profile(), request->adviser()}),
      [&](const RequestContext& ctx) {
        return Reply(booking_.ListWaitlistEntries(ctx, *request), response);
      });
}

grpc::Status BookingHandler::AcceptWaitlistOffer(
    grpc::ServerContext* context, const v1::AcceptWaitlistOfferRequest* request,
    v1::WaitlistEntry* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/AcceptWaitlistOffer",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(booking_.AcceptWaitlistOffer(ctx, *request), response);
      });
}

grpc::Status BookingHandler::WithdrawWaitlistEntry(
    grpc::ServerContext* context,
    const v1::WithdrawWaitlistEntryRequest* request,
    v1::WaitlistEntry* response) {
  return calls_.Run(
      context, *request, "careers.v1.BookingService/WithdrawWaitlistEntry",
      request->name(), [&](const RequestContext& ctx) {
        return Reply(booking_.WithdrawWaitlistEntry(ctx, *request), response);
      });
}

}  // namespace careers::api
