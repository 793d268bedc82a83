#include "server/api/careers_rpcs.h"

#include "careers/v1/booking_service.pb.h"
#include "careers/v1/change_service.pb.h"
#include "careers/v1/consent_service.pb.h"
#include "careers/v1/directory_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"

namespace careers::api {

std::vector<const google::protobuf::ServiceDescriptor*> CareersServices() {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  // Linking the generated files registers them with the pool.
  (void)v1::GetProfileRequest::descriptor();
  (void)v1::GetOrganisationRequest::descriptor();
  (void)v1::GetConsentRequest::descriptor();
  (void)v1::GetAppointmentRequest::descriptor();
  (void)v1::GetExperienceRequest::descriptor();
  (void)v1::ListChangesRequest::descriptor();
  return {pool->FindServiceByName("careers.v1.ProfileService"),
          pool->FindServiceByName("careers.v1.DirectoryService"),
          pool->FindServiceByName("careers.v1.ConsentService"),
          pool->FindServiceByName("careers.v1.BookingService"),
          pool->FindServiceByName("careers.v1.SkillsService"),
          pool->FindServiceByName("careers.v1.ChangeService")};
}

void BindProfileService(RpcTable& table, domain::Profiles& profiles) {
  table.Bind(profiles, &domain::Profiles::CreateProfile)
      .Bind(profiles, &domain::Profiles::GetProfile)
      .Bind(profiles, &domain::Profiles::ListProfiles)
      .Bind(profiles, &domain::Profiles::UpdateProfile)
      .Bind(profiles, &domain::Profiles::CreateGoal)
      .Bind(profiles, &domain::Profiles::GetGoal)
      .Bind(profiles, &domain::Profiles::ListGoals)
      .Bind(profiles, &domain::Profiles::UpdateGoal)
      .Bind(profiles, &domain::Profiles::CreateAction)
      .Bind(profiles, &domain::Profiles::GetAction)
      .Bind(profiles, &domain::Profiles::ListActions)
      .Bind(profiles, &domain::Profiles::UpdateAction)
      .Bind(profiles, &domain::Profiles::AchieveGoal)
      .Bind(profiles, &domain::Profiles::DropGoal)
      .Bind(profiles, &domain::Profiles::ReopenGoal)
      .Bind(profiles, &domain::Profiles::CompleteAction)
      .Bind(profiles, &domain::Profiles::CancelAction)
      .Bind(profiles, &domain::Profiles::ReopenAction);
}

void BindDirectoryService(RpcTable& table, domain::Directory& directory) {
  table.Bind(directory, &domain::Directory::CreateOrganisation)
      .Bind(directory, &domain::Directory::GetOrganisation)
      .Bind(directory, &domain::Directory::ListOrganisations)
      .Bind(directory, &domain::Directory::UpdateOrganisation)
      .Bind(directory, &domain::Directory::CreateAdviser)
      .Bind(directory, &domain::Directory::GetAdviser)
      .Bind(directory, &domain::Directory::ListAdvisers)
      .Bind(directory, &domain::Directory::UpdateAdviser)
      .Bind(directory, &domain::Directory::DeleteAdviser)
      .Bind(directory, &domain::Directory::UndeleteAdviser)
      .Bind(directory, &domain::Directory::CreateLocation)
      .Bind(directory, &domain::Directory::GetLocation)
      .Bind(directory, &domain::Directory::ListLocations)
      .Bind(directory, &domain::Directory::UpdateLocation);
}

void BindConsentService(RpcTable& table, domain::Consents& consents) {
  table.Bind(consents, &domain::Consents::CreateConsent)
      .Bind(consents, &domain::Consents::GetConsent)
      .Bind(consents, &domain::Consents::ListConsents)
      .Bind(consents, &domain::Consents::WithdrawConsent)
      .Bind(consents, &domain::Consents::CreateGuardianLink)
      .Bind(consents, &domain::Consents::GetGuardianLink)
      .Bind(consents, &domain::Consents::ListGuardianLinks)
      .Bind(consents, &domain::Consents::EndGuardianLink)
      .Bind(consents, &domain::Consents::ConfirmGuardianLink)
      .Bind(consents, &domain::Consents::ListAccessEvents);
}

void BindBookingService(RpcTable& table, domain::Booking& booking) {
  table.Bind(booking, &domain::Booking::CreateAppointmentType)
      .Bind(booking, &domain::Booking::GetAppointmentType)
      .Bind(booking, &domain::Booking::ListAppointmentTypes)
      .Bind(booking, &domain::Booking::UpdateAppointmentType)
      .Bind(booking, &domain::Booking::CreateAvailabilityRule)
      .Bind(booking, &domain::Booking::GetAvailabilityRule)
      .Bind(booking, &domain::Booking::ListAvailabilityRules)
      .Bind(booking, &domain::Booking::SearchAvailability)
      .Bind(booking, &domain::Booking::CreateAppointment)
      .Bind(booking, &domain::Booking::GetAppointment)
      .Bind(booking, &domain::Booking::ListAppointments)
      .Bind(booking, &domain::Booking::CancelAppointment)
      .Bind(booking, &domain::Booking::RescheduleAppointment)
      .Bind(booking, &domain::Booking::RecordAttendance)
      .Bind(booking, &domain::Booking::ExportCalendar)
      .Bind(booking, &domain::Booking::CreateWaitlistEntry)
      .Bind(booking, &domain::Booking::GetWaitlistEntry)
      .Bind(booking, &domain::Booking::ListWaitlistEntries)
      .Bind(booking, &domain::Booking::AcceptWaitlistOffer)
      .Bind(booking, &domain::Booking::WithdrawWaitlistEntry)
      .Bind(booking, &domain::Booking::DeleteAvailabilityRule);
}

void BindSkillsService(RpcTable& table, domain::Experiences& experiences,
                       domain::Skills& skills) {
  table.Bind(experiences, &domain::Experiences::CreateExperience)
      .Bind(experiences, &domain::Experiences::GetExperience)
      .Bind(experiences, &domain::Experiences::ListExperiences)
      .Bind(experiences, &domain::Experiences::UpdateExperience)
      .Bind(experiences, &domain::Experiences::VoidExperience)
      .Bind(experiences, &domain::Experiences::RequestAttestation)
      .Bind(experiences, &domain::Experiences::GetAttestation)
      .Bind(experiences, &domain::Experiences::ListAttestations)
      .Bind(experiences, &domain::Experiences::DecideAttestation)
      .Bind(experiences, &domain::Experiences::GetSkillsSummary)
      .Bind(experiences, &domain::Experiences::ExportSkillsRecord)
      .Bind(skills, &domain::Skills::CreateSkill)
      .Bind(skills, &domain::Skills::GetSkill)
      .Bind(skills, &domain::Skills::ListSkills)
      .Bind(skills, &domain::Skills::ImportSkills);
}

void BindChangeService(RpcTable& table, domain::ChangeFeed& changes) {
  table.Bind(changes, &domain::ChangeFeed::ListChanges);
}

std::unique_ptr<RpcTable> CareersRpcs(const CareersDomain& domain) {
  auto table = std::make_unique<RpcTable>(CareersServices());
  BindProfileService(*table, domain.profiles);
  BindDirectoryService(*table, domain.directory);
  BindConsentService(*table, domain.consents);
  BindBookingService(*table, domain.booking);
  BindSkillsService(*table, domain.experiences, domain.skills);
  BindChangeService(*table, domain.changes);
  return table;
}

}  // namespace careers::api
