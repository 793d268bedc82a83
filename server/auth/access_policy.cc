#include "server/auth/access_policy.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/status_macros.h"
#include "server/domain/method_access.h"

namespace careers::auth {
namespace {

// The kinds of access a method needs, declared on each method in the
// protos (protos/careers/v1/annotations.proto, MethodAccess.Rule).
using Access = v1::MethodAccess;

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
  const Access* access = domain::MethodAccessOf(method);
  if (access == nullptr || access->rule() == Access::RULE_UNSPECIFIED) {
    return absl::PermissionDeniedError(
        absl::StrCat("no access rule covers ", method, ": refused"));
  }
  const Access::Rule rule = access->rule();
  const AccessGrant grant{access->person_data()};
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
    if (access->consent_in_read() && ctx.consent_in_read != nullptr) {
      // The read checks the consent in its own statement (one round trip
      // instead of two), refusing as this policy would.
      ctx.consent_in_read->organisation_id = OrganisationId(p);
      ctx.consent_in_read->denied = Denied(p, method, resource);
      return true;
    }
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
    case Access::PROFILE_CREATE:
      return allow_if(p.IsStaff() || (p.role == Role::kService &&
                                      p.HasScope("profiles.write")));
    case Access::PROFILE_LIST:
      return allow_if(p.role != Role::kService || p.HasScope("profiles.read"));
    case Access::PROFILE_READ: {
      if (own) return grant;
      if (p.role == Role::kService)
        return allow_if(p.HasScope("profiles.read"));
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (is_guardian) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Access::PROFILE_WRITE: {
      if (own) return grant;
      if (p.role == Role::kService)
        return allow_if(p.HasScope("profiles.write"));
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Access::CONSENT_READ: {
      if (own) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (is_guardian) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Access::CONSENT_GRANT: {
      if (own) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (!is_guardian) return Denied(p, method, resource);
      CAREERS_ASSIGN_OR_RETURN(bool under_16,
                               facts_.IsUnder16(ctx, profile_id));
      return allow_if(under_16);
    }
    case Access::GUARDIAN_LINK_CREATE: {
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Access::GUARDIAN_LINK_END: {
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
    case Access::GUARDIAN_LINK_CONFIRM:
      return allow_if(own);
    case Access::ACCESS_EVENTS_READ: {
      if (own) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      return allow_if(is_guardian);
    }
    case Access::DIRECTORY_READ:
      return grant;
    case Access::ORGANISATION_CREATE:
      return Denied(p, method, resource);
    case Access::ORGANISATION_MANAGE:
    case Access::DIRECTORY_CREATE:
      return allow_if(p.role == Role::kOrgAdmin && !OrganisationId(p).empty() &&
                      IdAfter(resource, "organisations") == OrganisationId(p));
    case Access::ADVISER_MANAGE:
    case Access::LOCATION_MANAGE: {
      if (p.role != Role::kOrgAdmin) return Denied(p, method, resource);
      const bool adviser = rule == Access::ADVISER_MANAGE;
      const std::string id =
          IdAfter(resource, adviser ? "advisers" : "locations");
      if (id.empty()) return Denied(p, method, resource);
      absl::StatusOr<std::optional<std::string>> org =
          adviser ? directory_.OrganisationOfAdviser(ctx, id)
                  : directory_.OrganisationOfLocation(ctx, id);
      if (!org.ok()) return org.status();
      return allow_if(org->has_value() && **org == OrganisationId(p));
    }
    case Access::PUBLIC_READ:
      return grant;
    case Access::CATALOGUE_CREATE:
      return allow_if(p.role == Role::kOrgAdmin && !OrganisationId(p).empty() &&
                      IdAfter(resource, "organisations") == OrganisationId(p));
    case Access::TYPE_MANAGE: {
      if (p.role != Role::kOrgAdmin) return Denied(p, method, resource);
      CAREERS_ASSIGN_OR_RETURN(std::optional<std::string> org,
                               booking_.OrganisationOfAppointmentType(
                                   ctx, IdAfter(resource, "appointmentTypes")));
      return allow_if(org.has_value() && *org == OrganisationId(p));
    }
    case Access::CALENDAR_READ: {
      CAREERS_ASSIGN_OR_RETURN(bool colleague, adviser_colleague());
      return allow_if(colleague);
    }
    case Access::CALENDAR_MANAGE: {
      CAREERS_ASSIGN_OR_RETURN(std::string self, adviser_self());
      if (!self.empty() && self == IdAfter(resource, "advisers")) return grant;
      if (p.role != Role::kOrgAdmin) return Denied(p, method, resource);
      CAREERS_ASSIGN_OR_RETURN(bool colleague, adviser_colleague());
      return allow_if(colleague);
    }
    case Access::BOOK: {
      if (own) return grant;
      if (p.role == Role::kService)
        return allow_if(p.HasScope("appointments.write"));
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (is_guardian) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Access::BOOKING_READ:
    case Access::BOOKING_CHANGE: {
      if (own || staff_party) return grant;
      if (p.role == Role::kService) {
        return allow_if(p.HasScope(rule == Access::BOOKING_READ
                                       ? "appointments.read"
                                       : "appointments.write"));
      }
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      return allow_if(is_guardian);
    }
    case Access::ATTENDANCE: {
      if (!parties) return Denied(p, method, resource);
      if (p.role == Role::kOrgAdmin) return allow_if(staff_party);
      CAREERS_ASSIGN_OR_RETURN(std::string self, adviser_self());
      return allow_if(!self.empty() && self == parties->adviser_id);
    }
    case Access::APPOINTMENT_LIST: {
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
    case Access::ADMIN_ONLY:
      return Denied(p, method, resource);
    case Access::SKILLS_READ: {
      if (own) return grant;
      if (p.role == Role::kService) return allow_if(p.HasScope("skills.read"));
      CAREERS_ASSIGN_OR_RETURN(bool is_guardian, guardian());
      if (is_guardian) return grant;
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Access::SKILLS_WRITE: {
      if (own) return grant;
      if (p.role == Role::kService) return allow_if(p.HasScope("skills.write"));
      CAREERS_ASSIGN_OR_RETURN(bool is_shared, shared());
      return allow_if(is_shared);
    }
    case Access::ATTESTATION_DECIDE: {
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
    case Access::CHANGES_READ:
      return grant;
    default:  // a value this server does not know: refused
      break;
  }
  return Denied(p, method, resource);
}

}  // namespace careers::auth
