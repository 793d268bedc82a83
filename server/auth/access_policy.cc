#include "server/auth/access_policy.h"

#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"

namespace careers::auth {
namespace {

// The kinds of access a method needs; every method has exactly one.
enum class Rule {
  kProfileCreate,        // create a profile (parent "")
  kProfileList,          // list profiles (filtered by visibility)
  kProfileRead,          // read a profile or its plan
  kProfileWrite,         // change a profile or its plan
  kConsentRead,          // read consents or guardian links
  kConsentGrant,         // grant or withdraw consent
  kGuardianLinkCreate,   // link a guardian
  kGuardianLinkEnd,      // end a guardian link
  kGuardianLinkConfirm,  // the person (16+) keeps a link
  kAccessEventsRead,     // read a person's access record
  kDirectoryRead,        // read the public directory
  kOrganisationCreate,   // create an organisation
  kOrganisationManage,   // change organisations/{x}
  kDirectoryCreate,      // create an adviser or location in organisations/{x}
  kAdviserManage,        // change advisers/{x}
  kLocationManage,       // change locations/{x}
  kPublicRead,           // appointment types and slots: anyone signed in
  kCatalogueCreate,      // create an appointment type or skill of orgs/{x}
  kTypeManage,           // change appointmentTypes/{x}
  kCalendarRead,         // read advisers/{x}'s availability rules
  kCalendarManage,       // change advisers/{x}'s availability rules
  kBook,                 // book or join a waitlist for profiles/{x}
  kBookingRead,          // read appointments/{x} or waitlistEntries/{x}
  kBookingChange,        // cancel, reschedule, accept, withdraw
  kAttendance,           // record attendance of appointments/{x}
  kAppointmentList,      // list or export profiles/advisers/organisations {x}
  kAdminOnly,            // administrators only
  kSkillsRead,           // read a person's experiences, summary, export
  kSkillsWrite,          // log, change or void experiences; ask attestation
  kAttestationDecide,    // decide an attestation
};

const std::map<std::string, Rule, std::less<>>& Rules() {
  static const auto* rules = new std::map<std::string, Rule, std::less<>>{
      {"careers.v1.ProfileService/CreateProfile", Rule::kProfileCreate},
      {"careers.v1.ProfileService/GetProfile", Rule::kProfileRead},
      {"careers.v1.ProfileService/ListProfiles", Rule::kProfileList},
      {"careers.v1.ProfileService/UpdateProfile", Rule::kProfileWrite},
      {"careers.v1.ProfileService/CreateGoal", Rule::kProfileWrite},
      {"careers.v1.ProfileService/GetGoal", Rule::kProfileRead},
      {"careers.v1.ProfileService/ListGoals", Rule::kProfileRead},
      {"careers.v1.ProfileService/UpdateGoal", Rule::kProfileWrite},
      {"careers.v1.ProfileService/AchieveGoal", Rule::kProfileWrite},
      {"careers.v1.ProfileService/DropGoal", Rule::kProfileWrite},
      {"careers.v1.ProfileService/ReopenGoal", Rule::kProfileWrite},
      {"careers.v1.ProfileService/CreateAction", Rule::kProfileWrite},
      {"careers.v1.ProfileService/GetAction", Rule::kProfileRead},
      {"careers.v1.ProfileService/ListActions", Rule::kProfileRead},
      {"careers.v1.ProfileService/UpdateAction", Rule::kProfileWrite},
      {"careers.v1.ProfileService/CompleteAction", Rule::kProfileWrite},
      {"careers.v1.ProfileService/CancelAction", Rule::kProfileWrite},
      {"careers.v1.ProfileService/ReopenAction", Rule::kProfileWrite},

      {"careers.v1.ConsentService/CreateConsent", Rule::kConsentGrant},
      {"careers.v1.ConsentService/GetConsent", Rule::kConsentRead},
      {"careers.v1.ConsentService/ListConsents", Rule::kConsentRead},
      {"careers.v1.ConsentService/WithdrawConsent", Rule::kConsentGrant},
      {"careers.v1.ConsentService/CreateGuardianLink",
       Rule::kGuardianLinkCreate},
      {"careers.v1.ConsentService/GetGuardianLink", Rule::kConsentRead},
      {"careers.v1.ConsentService/ListGuardianLinks", Rule::kConsentRead},
      {"careers.v1.ConsentService/EndGuardianLink", Rule::kGuardianLinkEnd},
      {"careers.v1.ConsentService/ConfirmGuardianLink",
       Rule::kGuardianLinkConfirm},
      {"careers.v1.ConsentService/ListAccessEvents", Rule::kAccessEventsRead},

      {"careers.v1.DirectoryService/CreateOrganisation",
       Rule::kOrganisationCreate},
      {"careers.v1.DirectoryService/GetOrganisation", Rule::kDirectoryRead},
      {"careers.v1.DirectoryService/ListOrganisations", Rule::kDirectoryRead},
      {"careers.v1.DirectoryService/UpdateOrganisation",
       Rule::kOrganisationManage},
      {"careers.v1.DirectoryService/CreateAdviser", Rule::kDirectoryCreate},
      {"careers.v1.DirectoryService/GetAdviser", Rule::kDirectoryRead},
      {"careers.v1.DirectoryService/ListAdvisers", Rule::kDirectoryRead},
      {"careers.v1.DirectoryService/UpdateAdviser", Rule::kAdviserManage},
      {"careers.v1.DirectoryService/DeleteAdviser", Rule::kAdviserManage},
      {"careers.v1.DirectoryService/UndeleteAdviser", Rule::kAdviserManage},
      {"careers.v1.DirectoryService/CreateLocation", Rule::kDirectoryCreate},
      {"careers.v1.DirectoryService/GetLocation", Rule::kDirectoryRead},
      {"careers.v1.DirectoryService/ListLocations", Rule::kDirectoryRead},
      {"careers.v1.DirectoryService/UpdateLocation", Rule::kLocationManage},

      {"careers.v1.BookingService/CreateAppointmentType",
       Rule::kCatalogueCreate},
      {"careers.v1.BookingService/GetAppointmentType", Rule::kPublicRead},
      {"careers.v1.BookingService/ListAppointmentTypes", Rule::kPublicRead},
      {"careers.v1.BookingService/UpdateAppointmentType", Rule::kTypeManage},
      {"careers.v1.BookingService/CreateAvailabilityRule",
       Rule::kCalendarManage},
      {"careers.v1.BookingService/GetAvailabilityRule", Rule::kCalendarRead},
      {"careers.v1.BookingService/ListAvailabilityRules", Rule::kCalendarRead},
      {"careers.v1.BookingService/DeleteAvailabilityRule",
       Rule::kCalendarManage},
      {"careers.v1.BookingService/SearchAvailability", Rule::kPublicRead},
      {"careers.v1.BookingService/CreateAppointment", Rule::kBook},
      {"careers.v1.BookingService/GetAppointment", Rule::kBookingRead},
      {"careers.v1.BookingService/ListAppointments", Rule::kAppointmentList},
      {"careers.v1.BookingService/CancelAppointment", Rule::kBookingChange},
      {"careers.v1.BookingService/RescheduleAppointment", Rule::kBookingChange},
      {"careers.v1.BookingService/RecordAttendance", Rule::kAttendance},
      {"careers.v1.BookingService/ExportCalendar", Rule::kAppointmentList},
      {"careers.v1.BookingService/CreateWaitlistEntry", Rule::kBook},
      {"careers.v1.BookingService/GetWaitlistEntry", Rule::kBookingRead},
      {"careers.v1.BookingService/ListWaitlistEntries", Rule::kAppointmentList},
      {"careers.v1.BookingService/AcceptWaitlistOffer", Rule::kBookingChange},
      {"careers.v1.BookingService/WithdrawWaitlistEntry", Rule::kBookingChange},

      {"careers.v1.SkillsService/CreateExperience", Rule::kSkillsWrite},
      {"careers.v1.SkillsService/GetExperience", Rule::kSkillsRead},
      {"careers.v1.SkillsService/ListExperiences", Rule::kSkillsRead},
      {"careers.v1.SkillsService/UpdateExperience", Rule::kSkillsWrite},
      {"careers.v1.SkillsService/VoidExperience", Rule::kSkillsWrite},
      {"careers.v1.SkillsService/CreateSkill", Rule::kCatalogueCreate},
      {"careers.v1.SkillsService/GetSkill", Rule::kPublicRead},
      {"careers.v1.SkillsService/ListSkills", Rule::kPublicRead},
      {"careers.v1.SkillsService/ImportSkills", Rule::kAdminOnly},
      {"careers.v1.SkillsService/RequestAttestation", Rule::kSkillsWrite},
      {"careers.v1.SkillsService/GetAttestation", Rule::kSkillsRead},
      {"careers.v1.SkillsService/ListAttestations", Rule::kSkillsRead},
      {"careers.v1.SkillsService/DecideAttestation", Rule::kAttestationDecide},
      {"careers.v1.SkillsService/GetSkillsSummary", Rule::kSkillsRead},
      {"careers.v1.SkillsService/ExportSkillsRecord", Rule::kSkillsRead},
  };
  return *rules;
}

bool IsPersonData(Rule rule) {
  switch (rule) {
    case Rule::kProfileCreate:
    case Rule::kProfileList:
    case Rule::kProfileRead:
    case Rule::kProfileWrite:
    case Rule::kConsentRead:
    case Rule::kConsentGrant:
    case Rule::kGuardianLinkCreate:
    case Rule::kGuardianLinkEnd:
    case Rule::kGuardianLinkConfirm:
    case Rule::kAccessEventsRead:
    case Rule::kBook:
    case Rule::kBookingRead:
    case Rule::kBookingChange:
    case Rule::kAttendance:
    case Rule::kAppointmentList:
    case Rule::kSkillsRead:
    case Rule::kSkillsWrite:
    case Rule::kAttestationDecide:
      return true;
    default:
      return false;
  }
}

// The id that follows `collection` in a resource name ("" if none):
// IdAfter("profiles/p/guardianLinks/g", "guardianLinks") is "g".
std::string IdAfter(absl::string_view resource, absl::string_view collection) {
  std::vector<absl::string_view> parts = absl::StrSplit(resource, '/');
  for (size_t i = 0; i + 1 < parts.size(); i += 2) {
    if (parts[i] == collection) return std::string(parts[i + 1]);
  }
  return "";
}

// "organisations/x" → "x".
std::string OrganisationId(const Principal& p) {
  return IdAfter(p.organisation, "organisations");
}

absl::Status Denied(const Principal& p, absl::string_view method,
                    absl::string_view resource) {
  return absl::PermissionDeniedError(
      absl::StrCat("a caller with role ", RoleName(p.role), " may not call ",
                   method.substr(method.find('/') + 1),
                   resource.empty() ? "" : absl::StrCat(" on ", resource)));
}

}  // namespace

ServicePolicy::ServicePolicy(domain::AccessFacts& facts,
                             domain::DirectoryLookup& directory,
                             domain::BookingLookup& booking,
                             domain::AttestationLookup& attestations)
    : facts_(facts),
      directory_(directory),
      booking_(booking),
      attestations_(attestations) {}

std::vector<std::string> ServicePolicy::MethodsWithRules() {
  std::vector<std::string> methods;
  for (const auto& [method, rule] : Rules()) methods.push_back(method);
  return methods;
}

ProfileVisibility ServicePolicy::VisibilityFor(const Principal& p) const {
  using Kind = ProfileVisibility::Kind;
  switch (p.role) {
    case Role::kAdmin:
      return {Kind::kAll, ""};
    case Role::kService:
      return p.HasScope("profiles.read") ? ProfileVisibility{Kind::kAll, ""}
                                         : ProfileVisibility{Kind::kNone, ""};
    case Role::kPerson:
      return {Kind::kOwn, IdAfter(p.profile, "profiles")};
    case Role::kGuardian:
      return {Kind::kGuardedBy, p.subject};
    case Role::kAdviser:
    case Role::kOrgAdmin:
      return {Kind::kSharedWith, OrganisationId(p)};
  }
  return {Kind::kNone, ""};
}

absl::StatusOr<AccessGrant> ServicePolicy::Check(
    const RequestContext& ctx, absl::string_view method,
    absl::string_view resource) const {
  const Principal& p = ctx.principal;
  const auto found = Rules().find(method);
  if (found == Rules().end()) {
    return absl::PermissionDeniedError(
        absl::StrCat("no access rule covers ", method, ": refused"));
  }
  const Rule rule = found->second;
  const AccessGrant grant{IsPersonData(rule)};
  if (p.role == Role::kAdmin) return grant;

  // Appointments and waitlist entries are top-level: whose they are, and
  // whose adviser, is looked up. A missing one is refused like a foreign
  // one (no existence leak).
  std::string profile_id = IdAfter(resource, "profiles");
  std::optional<domain::BookingParties> parties;
  if (const std::string id = IdAfter(resource, "appointments"); !id.empty()) {
    CAREERS_ASSIGN_OR_RETURN(parties, booking_.AppointmentParties(ctx, id));
    if (!parties) return Denied(p, method, resource);
  } else if (const std::string entry = IdAfter(resource, "waitlistEntries");
             !entry.empty()) {
    CAREERS_ASSIGN_OR_RETURN(parties,
                             booking_.WaitlistEntryParties(ctx, entry));
    if (!parties) return Denied(p, method, resource);
  }
  if (parties) profile_id = parties->profile_id;
  // Staff of the adviser's organisation are a party to its appointments.
  const bool staff_party =
      parties && p.IsStaff() && parties->organisation_id == OrganisationId(p);
  // The signed-in adviser's own id ("" for anyone else).
  auto adviser_self = [&]() -> absl::StatusOr<std::string> {
    if (p.role != Role::kAdviser) return std::string();
    CAREERS_ASSIGN_OR_RETURN(std::optional<domain::AdviserIdentity> self,
                             directory_.FindAdviserBySubject(ctx, p.subject));
    return self ? self->adviser_id : std::string();
  };
  // Staff of the organisation of advisers/{x} in the resource.
  auto adviser_colleague = [&]() -> absl::StatusOr<bool> {
    const std::string adviser_id = IdAfter(resource, "advisers");
    if (!p.IsStaff() || adviser_id.empty()) return false;
    CAREERS_ASSIGN_OR_RETURN(std::optional<std::string> org,
                             directory_.OrganisationOfAdviser(ctx, adviser_id));
    return org.has_value() && *org == OrganisationId(p);
  };
  const bool own = p.role == Role::kPerson && !profile_id.empty() &&
                   p.profile == absl::StrCat("profiles/", profile_id);
  // Lazily asked facts: most calls need at most one of them.
  auto shared = [&]() -> absl::StatusOr<bool> {
    if (!p.IsStaff() || profile_id.empty() || profile_id == "-") return false;
    return facts_.IsSharedWith(ctx, profile_id, OrganisationId(p));
  };
  auto guardian = [&]() -> absl::StatusOr<bool> {
    if (p.role != Role::kGuardian || profile_id.empty() || profile_id == "-")
      return false;
    return facts_.IsGuardianOf(ctx, profile_id, p.subject);
  };
  auto allow_if = [&](bool allowed) -> absl::StatusOr<AccessGrant> {
    if (allowed) return grant;
    return Denied(p, method, resource);
  };

  switch (rule) {
    case Rule::kProfileCreate:
      return allow_if(p.IsStaff() || (p.role == Role::kService &&
                                      p.HasScope("profiles.write")));
    case Rule::kProfileList:
      return allow_if(p.role != Role::kService || p.HasScope("profiles.read"));
    case Rule::kProfileRead: {
      if (own) return grant;
      if (p.role == Role::kService)
        return allow_if(p.HasScope("profiles.read"));
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (is_guardian) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Rule::kProfileWrite: {
      if (own) return grant;
      if (p.role == Role::kService)
        return allow_if(p.HasScope("profiles.write"));
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Rule::kConsentRead: {
      if (own) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (is_guardian) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Rule::kConsentGrant: {
      if (own) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (!is_guardian) return Denied(p, method, resource);
      CAREERS_ASSIGN_OR_RETURN(bool under_16,
                               facts_.IsUnder16(ctx, profile_id));
      return allow_if(under_16);
    }
    case Rule::kGuardianLinkCreate: {
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Rule::kGuardianLinkEnd: {
      if (own) return grant;
      if (p.role == Role::kGuardian && !profile_id.empty()) {
        const std::string link_id = IdAfter(resource, "guardianLinks");
        CAREERS_ASSIGN_OR_RETURN(
            std::optional<std::string> of,
            facts_.GuardianOfLink(ctx, profile_id, link_id));
        return allow_if(of.has_value() && *of == p.subject);
      }
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Rule::kGuardianLinkConfirm:
      return allow_if(own);
    case Rule::kAccessEventsRead: {
      if (own) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      return allow_if(is_guardian);
    }
    case Rule::kDirectoryRead:
      return grant;
    case Rule::kOrganisationCreate:
      return Denied(p, method, resource);
    case Rule::kOrganisationManage:
    case Rule::kDirectoryCreate:
      return allow_if(p.role == Role::kOrgAdmin && !OrganisationId(p).empty() &&
                      IdAfter(resource, "organisations") == OrganisationId(p));
    case Rule::kAdviserManage:
    case Rule::kLocationManage: {
      if (p.role != Role::kOrgAdmin) return Denied(p, method, resource);
      const bool adviser = rule == Rule::kAdviserManage;
      const std::string id =
          IdAfter(resource, adviser ? "advisers" : "locations");
      if (id.empty()) return Denied(p, method, resource);
      absl::StatusOr<std::optional<std::string>> org =
          adviser ? directory_.OrganisationOfAdviser(ctx, id)
                  : directory_.OrganisationOfLocation(ctx, id);
      if (!org.ok()) return org.status();
      return allow_if(org->has_value() && **org == OrganisationId(p));
    }
    case Rule::kPublicRead:
      return grant;
    case Rule::kCatalogueCreate:
      return allow_if(p.role == Role::kOrgAdmin && !OrganisationId(p).empty() &&
                      IdAfter(resource, "organisations") == OrganisationId(p));
    case Rule::kTypeManage: {
      if (p.role != Role::kOrgAdmin) return Denied(p, method, resource);
      CAREERS_ASSIGN_OR_RETURN(std::optional<std::string> org,
                               booking_.OrganisationOfAppointmentType(
                                   ctx, IdAfter(resource, "appointmentTypes")));
      return allow_if(org.has_value() && *org == OrganisationId(p));
    }
    case Rule::kCalendarRead: {
      CAREERS_ASSIGN_OR_RETURN(bool colleague, adviser_colleague());
      return allow_if(colleague);
    }
    case Rule::kCalendarManage: {
      CAREERS_ASSIGN_OR_RETURN(std::string self, adviser_self());
      if (!self.empty() && self == IdAfter(resource, "advisers")) return grant;
      if (p.role != Role::kOrgAdmin) return Denied(p, method, resource);
      CAREERS_ASSIGN_OR_RETURN(bool colleague, adviser_colleague());
      return allow_if(colleague);
    }
    case Rule::kBook: {
      if (own) return grant;
      if (p.role == Role::kService)
        return allow_if(p.HasScope("appointments.write"));
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (is_guardian) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Rule::kBookingRead:
    case Rule::kBookingChange: {
      if (own || staff_party) return grant;
      if (p.role == Role::kService) {
        return allow_if(p.HasScope(rule == Rule::kBookingRead
                                       ? "appointments.read"
                                       : "appointments.write"));
      }
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      return allow_if(is_guardian);
    }
    case Rule::kAttendance: {
      if (!parties) return Denied(p, method, resource);
      if (p.role == Role::kOrgAdmin) return allow_if(staff_party);
      CAREERS_ASSIGN_OR_RETURN(std::string self, adviser_self());
      return allow_if(!self.empty() && self == parties->adviser_id);
    }
    case Rule::kAppointmentList: {
      if (!profile_id.empty()) {  // a person's appointments
        if (own) return grant;
        if (p.role == Role::kService)
          return allow_if(p.HasScope("appointments.read"));
        CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
        if (is_guardian) return grant;
        CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
        return allow_if(is_shared);
      }
      if (!IdAfter(resource, "advisers").empty()) {  // an adviser's agenda
        CAREERS_ASSIGN_OR_RETURN(bool colleague, adviser_colleague());
        return allow_if(colleague);
      }
      return allow_if(p.IsStaff() && !OrganisationId(p).empty() &&
                      IdAfter(resource, "organisations") == OrganisationId(p));
    }
    case Rule::kAdminOnly:
      return Denied(p, method, resource);
    case Rule::kSkillsRead: {
      if (own) return grant;
      if (p.role == Role::kService) return allow_if(p.HasScope("skills.read"));
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (is_guardian) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Rule::kSkillsWrite: {
      if (own) return grant;
      if (p.role == Role::kService) return allow_if(p.HasScope("skills.write"));
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Rule::kAttestationDecide: {
      // The domain checks the referee's token; the policy only lets the
      // service that carries referees' answers through.
      if (p.role == Role::kService)
        return allow_if(p.HasScope("attestations.referee"));
      CAREERS_ASSIGN_OR_RETURN(std::string self, adviser_self());
      if (self.empty()) return Denied(p, method, resource);
      CAREERS_ASSIGN_OR_RETURN(
          std::optional<std::string> asked,
          attestations_.AdviserOfAttestation(
              ctx, profile_id, IdAfter(resource, "experiences"),
              IdAfter(resource, "attestations")));
      return allow_if(asked.has_value() && *asked == self);
    }
  }
  return Denied(p, method, resource);
}

}  // namespace careers::auth
