// The authorization matrix: every RPC of every careers.v1 service (found
// from the descriptors, so a new RPC without a rule fails here) × every
// role × a resource that is the caller's own, another's, or unshared.
#include "server/auth/access_policy.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "careers/v1/annotations.pb.h"
#include "careers/v1/booking_service.pb.h"
#include "careers/v1/consent_service.pb.h"
#include "careers/v1/directory_service.pb.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "server/domain/access_summary.h"

namespace careers::auth {
namespace {

// The facts of a small world: profile p1 is the person's own, the
// guardian's ward (under 16, link l1) and shared with org-a; p2 is shared
// with org-b only (its link l2 belongs to someone else); p3 with nobody.
// Adviser a1 and location x1 are in org-a, a2 and x2 in org-b; the
// adviser principal is a1. Appointment apN and waitlist entry wN are pN's
// with adviser aN (a3 in no organisation); appointment type tN is org-a's,
// org-b's, nobody's.
class WorldFacts final : public domain::AccessFacts,
                         public domain::DirectoryLookup,
                         public domain::BookingLookup,
                         public domain::AttestationLookup {
 public:
  // Attestation aN of experience eN of pN was asked of adviser aN.
  absl::StatusOr<std::optional<std::string>> AdviserOfAttestation(
      const RequestContext&, const std::string& profile,
      const std::string& experience, const std::string& attestation) override {
    if (profile == "p1" && experience == "e1" && attestation == "a1")
      return std::string("a1");
    if (profile == "p2" && experience == "e2" && attestation == "a2")
      return std::string("a2");
    return std::nullopt;
  }
  static std::optional<domain::BookingParties> PartiesOf(
      absl::string_view id, absl::string_view prefix) {
    if (!absl::StartsWith(id, prefix) || id.size() != prefix.size() + 1)
      return std::nullopt;
    const char n = id.back();
    if (n < '1' || n > '3') return std::nullopt;
    return domain::BookingParties{absl::StrCat("p", std::string(1, n)),
                                  absl::StrCat("a", std::string(1, n)),
                                  n == '1'   ? "org-a"
                                  : n == '2' ? "org-b"
                                             : "nowhere"};
  }
  absl::StatusOr<std::optional<domain::BookingParties>> AppointmentParties(
      const RequestContext&, const std::string& id) override {
    return PartiesOf(id, "ap");
  }
  absl::StatusOr<std::optional<domain::BookingParties>> WaitlistEntryParties(
      const RequestContext&, const std::string& id) override {
    return PartiesOf(id, "w");
  }
  absl::StatusOr<std::optional<std::string>> OrganisationOfAppointmentType(
      const RequestContext&, const std::string& id) override {
    if (id == "t1") return std::string("org-a");
    if (id == "t2") return std::string("org-b");
    return std::nullopt;
  }
  absl::StatusOr<bool> IsSharedWith(const RequestContext&,
                                    const std::string& profile,
                                    const std::string& org) override {
    return (profile == "p1" && org == "org-a") ||
           (profile == "p2" && org == "org-b");
  }
  absl::StatusOr<bool> IsGuardianOf(const RequestContext&,
                                    const std::string& profile,
                                    const std::string& subject) override {
    return profile == "p1" && subject == "guardian-sub";
  }
  absl::StatusOr<bool> IsUnder16(const RequestContext&,
                                 const std::string& profile) override {
    return profile == "p1";
  }
  absl::StatusOr<std::optional<std::string>> GuardianOfLink(
      const RequestContext&, const std::string& profile,
      const std::string& link) override {
    if (profile == "p1" && link == "l1") return std::string("guardian-sub");
    if (profile == "p2" && link == "l2") return std::string("someone-else");
    return std::nullopt;
  }
  absl::StatusOr<bool> OrganisationExists(const RequestContext&,
                                          const std::string&) override {
    return true;
  }
  absl::StatusOr<bool> AdviserExists(const RequestContext&,
                                     const std::string&) override {
    return true;
  }
  absl::StatusOr<std::optional<domain::AdviserIdentity>> FindAdviserBySubject(
      const RequestContext&, const std::string& subject) override {
    if (subject != "staff-sub") return std::nullopt;
    return domain::AdviserIdentity{"a1", "org-a", true, false};
  }
  absl::StatusOr<std::optional<std::string>> OrganisationOfAdviser(
      const RequestContext&, const std::string& id) override {
    if (id == "a1") return std::string("org-a");
    if (id == "a2") return std::string("org-b");
    return std::nullopt;
  }
  absl::StatusOr<std::optional<std::string>> TimeZoneOfLocation(
      const RequestContext&, const std::string&) override {
    return std::string("Europe/London");
  }
  absl::StatusOr<std::optional<std::string>> OrganisationOfLocation(
      const RequestContext&, const std::string& id) override {
    if (id == "x1") return std::string("org-a");
    if (id == "x2") return std::string("org-b");
    return std::nullopt;
  }
};

// What each method does, as the product says who may do it
// (docs/product.md#roles).
// This table is the specification the policy is checked against.
enum class Kind {
  kProfileCreate,
  kProfileList,
  kProfileRead,
  kProfileWrite,
  kConsentRead,
  kConsentGrant,
  kLinkCreate,
  kLinkEnd,
  kLinkConfirm,
  kAccessRecord,
  kDirectoryRead,
  kOrganisationCreate,
  kOrganisationChange,
  kDirectoryCreate,
  kAdviserChange,
  kLocationChange,
  kPublicRead,
  kTypeCreate,
  kTypeChange,
  kCalendarRead,
  kCalendarChange,
  kBook,
  kBooking,  // read or change an appointment or waitlist entry
  kAttendance,
  kBookingList,
  kAdminOnly,
  kSkillsRead,
  kSkillsWrite,
  kAttestationDecide,
};

const std::map<std::string, Kind>& Spec() {
  static const auto* spec = new std::map<std::string, Kind>{
      {"ProfileService/CreateProfile", Kind::kProfileCreate},
      {"ProfileService/GetProfile", Kind::kProfileRead},
      {"ProfileService/ListProfiles", Kind::kProfileList},
      {"ProfileService/UpdateProfile", Kind::kProfileWrite},
      {"ProfileService/CreateGoal", Kind::kProfileWrite},
      {"ProfileService/GetGoal", Kind::kProfileRead},
      {"ProfileService/ListGoals", Kind::kProfileRead},
      {"ProfileService/UpdateGoal", Kind::kProfileWrite},
      {"ProfileService/AchieveGoal", Kind::kProfileWrite},
      {"ProfileService/DropGoal", Kind::kProfileWrite},
      {"ProfileService/ReopenGoal", Kind::kProfileWrite},
      {"ProfileService/CreateAction", Kind::kProfileWrite},
      {"ProfileService/GetAction", Kind::kProfileRead},
      {"ProfileService/ListActions", Kind::kProfileRead},
      {"ProfileService/UpdateAction", Kind::kProfileWrite},
      {"ProfileService/CompleteAction", Kind::kProfileWrite},
      {"ProfileService/CancelAction", Kind::kProfileWrite},
      {"ProfileService/ReopenAction", Kind::kProfileWrite},
      {"ConsentService/CreateConsent", Kind::kConsentGrant},
      {"ConsentService/GetConsent", Kind::kConsentRead},
      {"ConsentService/ListConsents", Kind::kConsentRead},
      {"ConsentService/WithdrawConsent", Kind::kConsentGrant},
      {"ConsentService/CreateGuardianLink", Kind::kLinkCreate},
      {"ConsentService/GetGuardianLink", Kind::kConsentRead},
      {"ConsentService/ListGuardianLinks", Kind::kConsentRead},
      {"ConsentService/EndGuardianLink", Kind::kLinkEnd},
      {"ConsentService/ConfirmGuardianLink", Kind::kLinkConfirm},
      {"ConsentService/ListAccessEvents", Kind::kAccessRecord},
      {"DirectoryService/CreateOrganisation", Kind::kOrganisationCreate},
      {"DirectoryService/GetOrganisation", Kind::kDirectoryRead},
      {"DirectoryService/ListOrganisations", Kind::kDirectoryRead},
      {"DirectoryService/UpdateOrganisation", Kind::kOrganisationChange},
      {"DirectoryService/CreateAdviser", Kind::kDirectoryCreate},
      {"DirectoryService/GetAdviser", Kind::kDirectoryRead},
      {"DirectoryService/ListAdvisers", Kind::kDirectoryRead},
      {"DirectoryService/UpdateAdviser", Kind::kAdviserChange},
      {"DirectoryService/DeleteAdviser", Kind::kAdviserChange},
      {"DirectoryService/UndeleteAdviser", Kind::kAdviserChange},
      {"DirectoryService/CreateLocation", Kind::kDirectoryCreate},
      {"DirectoryService/GetLocation", Kind::kDirectoryRead},
      {"DirectoryService/ListLocations", Kind::kDirectoryRead},
      {"DirectoryService/UpdateLocation", Kind::kLocationChange},
      {"BookingService/CreateAppointmentType", Kind::kTypeCreate},
      {"BookingService/GetAppointmentType", Kind::kPublicRead},
      {"BookingService/ListAppointmentTypes", Kind::kPublicRead},
      {"BookingService/UpdateAppointmentType", Kind::kTypeChange},
      {"BookingService/CreateAvailabilityRule", Kind::kCalendarChange},
      {"BookingService/GetAvailabilityRule", Kind::kCalendarRead},
      {"BookingService/ListAvailabilityRules", Kind::kCalendarRead},
      {"BookingService/DeleteAvailabilityRule", Kind::kCalendarChange},
      {"BookingService/SearchAvailability", Kind::kPublicRead},
      {"BookingService/CreateAppointment", Kind::kBook},
      {"BookingService/GetAppointment", Kind::kBooking},
      {"BookingService/ListAppointments", Kind::kBookingList},
      {"BookingService/CancelAppointment", Kind::kBooking},
      {"BookingService/RescheduleAppointment", Kind::kBooking},
      {"BookingService/RecordAttendance", Kind::kAttendance},
      {"BookingService/ExportCalendar", Kind::kBookingList},
      {"BookingService/CreateWaitlistEntry", Kind::kBook},
      {"BookingService/GetWaitlistEntry", Kind::kBooking},
      {"BookingService/ListWaitlistEntries", Kind::kBookingList},
      {"BookingService/AcceptWaitlistOffer", Kind::kBooking},
      {"BookingService/WithdrawWaitlistEntry", Kind::kBooking},
      {"SkillsService/CreateExperience", Kind::kSkillsWrite},
      {"SkillsService/GetExperience", Kind::kSkillsRead},
      {"SkillsService/ListExperiences", Kind::kSkillsRead},
      {"SkillsService/UpdateExperience", Kind::kSkillsWrite},
      {"SkillsService/VoidExperience", Kind::kSkillsWrite},
      {"SkillsService/CreateSkill", Kind::kTypeCreate},
      {"SkillsService/GetSkill", Kind::kPublicRead},
      {"SkillsService/ListSkills", Kind::kPublicRead},
      {"SkillsService/ImportSkills", Kind::kAdminOnly},
      {"SkillsService/RequestAttestation", Kind::kSkillsWrite},
      {"SkillsService/GetAttestation", Kind::kSkillsRead},
      {"SkillsService/ListAttestations", Kind::kSkillsRead},
      {"SkillsService/DecideAttestation", Kind::kAttestationDecide},
      {"SkillsService/GetSkillsSummary", Kind::kSkillsRead},
      {"SkillsService/ExportSkillsRecord", Kind::kSkillsRead},
  };
  return *spec;
}

enum class Relation { kOwn, kOther, kUnshared };
constexpr Relation kRelations[] = {Relation::kOwn, Relation::kOther,
                                   Relation::kUnshared};
const char* Name(Relation r) {
  return r == Relation::kOwn     ? "own"
         : r == Relation::kOther ? "other"
                                 : "unshared";
}

// The resource a call names, for a relation.
std::string ResourceFor(Kind kind, absl::string_view method, Relation r) {
  const std::string profile =
      absl::StrCat("profiles/", r == Relation::kOwn     ? "p1"
                                : r == Relation::kOther ? "p2"
                                                        : "p3");
  const std::string org = r == Relation::kOwn     ? "organisations/org-a"
                          : r == Relation::kOther ? "organisations/org-b"
                                                  : "organisations/nowhere";
  const absl::string_view rpc = method.substr(method.find('/') + 1);
  const char* n = r == Relation::kOwn ? "1" : r == Relation::kOther ? "2" : "3";
  switch (kind) {
    case Kind::kProfileCreate:
    case Kind::kProfileList:
    case Kind::kOrganisationCreate:
      return "";
    case Kind::kLinkEnd:
    case Kind::kLinkConfirm:
      return absl::StrCat(profile, "/guardianLinks/",
                          r == Relation::kOwn     ? "l1"
                          : r == Relation::kOther ? "l2"
                                                  : "l3");
    case Kind::kDirectoryRead:
    case Kind::kOrganisationChange:
    case Kind::kDirectoryCreate:
      return absl::StrContains(rpc, "List") ? "" : org;
    case Kind::kAdviserChange:
      return absl::StrCat("advisers/", r == Relation::kOwn     ? "a1"
                                       : r == Relation::kOther ? "a2"
                                                               : "a9");
    case Kind::kLocationChange:
      return absl::StrCat("locations/", r == Relation::kOwn     ? "x1"
                                        : r == Relation::kOther ? "x2"
                                                                : "x9");
    case Kind::kPublicRead:
      return absl::StrContains(rpc, "List") ? "" : "appointmentTypes/t1";
    case Kind::kTypeCreate:
      return org;
    case Kind::kTypeChange:
      return absl::StrCat("appointmentTypes/t", n);
    case Kind::kCalendarRead:
    case Kind::kCalendarChange:
      return absl::StrCat(
          "advisers/a", n,
          absl::StartsWith(rpc, "Create") || absl::StartsWith(rpc, "List")
              ? ""
              : "/availabilityRules/r1");
    case Kind::kBook:
    case Kind::kBookingList:
      return profile;
    case Kind::kAttestationDecide:
      return absl::StrCat(profile, "/experiences/e", n, "/attestations/a", n);
    case Kind::kAdminOnly:
      return "";
    case Kind::kBooking:
    case Kind::kAttendance:
      return absl::StrCat(absl::StrContains(rpc, "Waitlist")
                              ? "waitlistEntries/w"
                              : "appointments/ap",
                          n);
    default:
      // Creates and lists name the profile; others something in it.
      if (absl::StartsWith(rpc, "Create") || absl::StartsWith(rpc, "List"))
        return profile;
      return absl::StrCat(profile, "/goals/g1");
  }
}

// Who may, per the product: the expected answer.
bool Expected(Kind kind, Role role, Relation r) {
  if (role == Role::kAdmin) return true;
  const bool own = r == Relation::kOwn;
  const bool staff = role == Role::kAdviser || role == Role::kOrgAdmin;
  switch (kind) {
    case Kind::kProfileCreate:
      return staff;  // the service in this world can only read
    case Kind::kProfileList:
    case Kind::kDirectoryRead:
      return true;
    case Kind::kProfileRead:
      return role == Role::kService || (own && role != Role::kService);
    case Kind::kProfileWrite:
      return own && (role == Role::kPerson || staff);
    case Kind::kConsentRead:
      return own && role != Role::kService;
    case Kind::kConsentGrant:
      return own && (role == Role::kPerson || role == Role::kGuardian);
    case Kind::kLinkCreate:
      return own && staff;
    case Kind::kLinkEnd:
      return own && role != Role::kService;
    case Kind::kLinkConfirm:
      return own && role == Role::kPerson;
    case Kind::kAccessRecord:
      return own && (role == Role::kPerson || role == Role::kGuardian);
    case Kind::kOrganisationCreate:
      return false;
    case Kind::kOrganisationChange:
    case Kind::kDirectoryCreate:
    case Kind::kAdviserChange:
    case Kind::kLocationChange:
      return own && role == Role::kOrgAdmin;
    case Kind::kPublicRead:
      return true;
    case Kind::kTypeCreate:
    case Kind::kTypeChange:
      return own && role == Role::kOrgAdmin;
    case Kind::kCalendarRead:
    case Kind::kCalendarChange:
    case Kind::kAttendance:
      return own && staff;
    case Kind::kBook:
    case Kind::kBooking:
    case Kind::kBookingList:
    case Kind::kSkillsRead:
      return own && role != Role::kService;
    case Kind::kSkillsWrite:
      return own && (role == Role::kPerson || staff);
    case Kind::kAttestationDecide:
      return own && role == Role::kAdviser;
    case Kind::kAdminOnly:
      return false;
  }
  return false;
}

Principal PrincipalFor(Role role) {
  Principal p;
  p.role = role;
  switch (role) {
    case Role::kPerson:
      p.subject = "pupil-sub";
      p.profile = "profiles/p1";
      break;
    case Role::kGuardian:
      p.subject = "guardian-sub";
      break;
    case Role::kAdviser:
    case Role::kOrgAdmin:
      p.subject = "staff-sub";
      p.organisation = "organisations/org-a";
      break;
    case Role::kService:
      p.subject = "analytics";
      p.scopes = {"profiles.read"};
      break;
    case Role::kAdmin:
      p.subject = "operator";
      break;
  }
  return p;
}

// Every method of every service in the API's proto files (CMake lists
// them). A file is only in the binary if something refers to it: one
// message per file is named here, and a new file fails this test until it
// is added.
std::vector<std::string> AllMethods() {
  const google::protobuf::Descriptor* linked[] = {
      v1::Appointment::descriptor(), v1::Consent::descriptor(),
      v1::Organisation::descriptor(), v1::Profile::descriptor(),
      v1::Experience::descriptor()};
  (void)linked;
  std::vector<std::string> methods;
  for (absl::string_view file : absl::StrSplit(CAREERS_API_PROTO_FILES, ',')) {
    const auto* fd =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(
            std::string(file));
    EXPECT_NE(fd, nullptr) << file << " is not linked into the test";
    if (fd == nullptr) continue;
    for (int s = 0; s < fd->service_count(); ++s) {
      const auto* service = fd->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.push_back(absl::StrCat(service->full_name(), "/",
                                       service->method(m)->name()));
      }
    }
  }
  return methods;
}

TEST(AccessPolicy, EveryMethodHasARuleAndAnExpectation) {
  const std::vector<std::string> methods = AllMethods();
  ASSERT_GE(methods.size(), 40u);
  const std::vector<std::string> ruled = ServicePolicy::MethodsWithRules();
  const std::set<std::string> with_rules(ruled.begin(), ruled.end());
  for (const std::string& method : methods) {
    EXPECT_TRUE(with_rules.count(method)) << method << " has no access rule";
    EXPECT_TRUE(Spec().count(method.substr(std::string("careers.v1.").size())))
        << method << " has no expectation in this test";
  }
  const std::set<std::string> all(methods.begin(), methods.end());
  for (const std::string& method : ruled) {
    EXPECT_TRUE(all.count(method))
        << "rule for a method that does not exist: " << method;
  }
}

// Every method whose calls go on a person's access record declares, in its
// proto, what it does in the person's words: the policy says which methods
// touch a person's data (asked as an administrator, who passes every rule).
TEST(AccessPolicy, EveryPersonDataMethodHasAnAccessSummary) {
  WorldFacts world;
  ServicePolicy policy(world, world, world, world);
  RequestContext admin;
  admin.principal = PrincipalFor(Role::kAdmin);
  int person_data = 0;
  for (const std::string& method : AllMethods()) {
    const absl::StatusOr<AccessGrant> grant = policy.Check(admin, method, "");
    ASSERT_TRUE(grant.ok()) << method << ": " << grant.status();
    if (!grant->person_data) continue;
    ++person_data;
    const std::string full_name =
        absl::StrReplaceAll(method, {{"/", "."}});  // package.Service.Method
    const auto* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(
            full_name);
    ASSERT_NE(descriptor, nullptr) << full_name;
    EXPECT_FALSE(
        descriptor->options().GetExtension(v1::access).summary().empty())
        << method
        << " touches a person's data but has no "
           "option (careers.v1.access) = {summary: \"...\"}";
    for (auto action : {v1::AccessEvent::READ, v1::AccessEvent::WRITE}) {
      const std::string summary = domain::AccessSummary(method, action);
      EXPECT_NE(summary, domain::kReadSummary) << method;
      EXPECT_NE(summary, domain::kWriteSummary) << method;
    }
  }
  EXPECT_GE(person_data, 50);
}

TEST(AccessPolicy, Matrix) {
  WorldFacts world;
  ServicePolicy policy(world, world, world, world);
  int checked = 0;
  for (const std::string& method : AllMethods()) {
    const auto spec =
        Spec().find(method.substr(std::string("careers.v1.").size()));
    if (spec == Spec().end()) continue;  // reported by the test above
    for (Role role : kAllRoles) {
      for (Relation r : kRelations) {
        RequestContext ctx;
        ctx.principal = PrincipalFor(role);
        const std::string resource = ResourceFor(spec->second, method, r);
        const absl::StatusOr<AccessGrant> got =
            policy.Check(ctx, method, resource);
        const bool expected = Expected(spec->second, role, r);
        EXPECT_EQ(got.ok(), expected)
            << method << " as " << RoleName(role) << " on " << Name(r) << " ("
            << resource << "): " << got.status();
        if (!got.ok()) {
          EXPECT_EQ(got.status().code(), absl::StatusCode::kPermissionDenied)
              << method;
        }
        ++checked;
      }
    }
  }
  EXPECT_GE(checked, 78 * 6 * 3);
}

// Beyond the matrix: agendas, colleagues and services with booking scopes.
TEST(AccessPolicy, BookingAgendasColleaguesAndScopes) {
  WorldFacts world;
  ServicePolicy policy(world, world, world, world);
  auto allowed = [&](Role role, absl::string_view method,
                     absl::string_view resource,
                     std::vector<std::string> scopes = {}) {
    RequestContext ctx;
    ctx.principal = PrincipalFor(role);
    if (!scopes.empty()) ctx.principal.scopes = scopes;
    return policy
        .Check(ctx, absl::StrCat("careers.v1.BookingService/", method),
               resource)
        .ok();
  };
  // An organisation's staff see its advisers' agendas and its listing.
  EXPECT_TRUE(allowed(Role::kAdviser, "ListAppointments", "advisers/a1"));
  EXPECT_FALSE(allowed(Role::kAdviser, "ListAppointments", "advisers/a2"));
  EXPECT_TRUE(allowed(Role::kOrgAdmin, "ExportCalendar", "advisers/a1"));
  EXPECT_FALSE(allowed(Role::kPerson, "ListAppointments", "advisers/a1"));
  EXPECT_TRUE(
      allowed(Role::kOrgAdmin, "ListAppointments", "organisations/org-a"));
  EXPECT_FALSE(
      allowed(Role::kAdviser, "ListAppointments", "organisations/org-b"));
  // Staff of the adviser's organisation handle its appointments even when
  // the profile is not shared with them: ap3 is p3's with a3 (nowhere);
  // the missing appointment ap9 is refused like a foreign one.
  EXPECT_FALSE(allowed(Role::kAdviser, "GetAppointment", "appointments/ap3"));
  EXPECT_FALSE(allowed(Role::kPerson, "GetAppointment", "appointments/ap9"));
  // Services only with the booking scopes.
  EXPECT_TRUE(allowed(Role::kService, "GetAppointment", "appointments/ap3",
                      {"appointments.read"}));
  EXPECT_FALSE(allowed(Role::kService, "CancelAppointment", "appointments/ap3",
                       {"appointments.read"}));
  EXPECT_TRUE(allowed(Role::kService, "CreateAppointment", "profiles/p3",
                      {"appointments.write"}));
  // Attendance: the appointment's own adviser, not a colleague's person.
  EXPECT_TRUE(allowed(Role::kAdviser, "RecordAttendance", "appointments/ap1"));
  EXPECT_FALSE(allowed(Role::kPerson, "RecordAttendance", "appointments/ap1"));
}

// Beyond the matrix: the skills log's scopes and attesters.
TEST(AccessPolicy, SkillsScopesAndAttesters) {
  WorldFacts world;
  ServicePolicy policy(world, world, world, world);
  auto allowed = [&](Role role, absl::string_view method,
                     absl::string_view resource,
                     std::vector<std::string> scopes = {}) {
    RequestContext ctx;
    ctx.principal = PrincipalFor(role);
    if (!scopes.empty()) ctx.principal.scopes = scopes;
    return policy
        .Check(ctx, absl::StrCat("careers.v1.SkillsService/", method), resource)
        .ok();
  };
  // Services read or write only with the skills scopes, on any profile.
  EXPECT_FALSE(allowed(Role::kService, "ListExperiences", "profiles/p3"));
  EXPECT_TRUE(allowed(Role::kService, "ListExperiences", "profiles/p3",
                      {"skills.read"}));
  EXPECT_FALSE(allowed(Role::kService, "CreateExperience", "profiles/p3",
                       {"skills.read"}));
  EXPECT_TRUE(allowed(Role::kService, "CreateExperience", "profiles/p3",
                      {"skills.write"}));
  // A guardian reads but does not write.
  EXPECT_TRUE(allowed(Role::kGuardian, "GetSkillsSummary", "profiles/p1"));
  EXPECT_FALSE(
      allowed(Role::kGuardian, "VoidExperience", "profiles/p1/experiences/e1"));
  // Referees' answers come through a service with the referee scope (the
  // domain checks the token); an adviser decides only what they were asked;
  // the person never decides their own.
  const std::string a1 = "profiles/p1/experiences/e1/attestations/a1";
  const std::string a2 = "profiles/p2/experiences/e2/attestations/a2";
  EXPECT_TRUE(allowed(Role::kService, "DecideAttestation", a2,
                      {"attestations.referee"}));
  EXPECT_FALSE(
      allowed(Role::kService, "DecideAttestation", a2, {"skills.write"}));
  EXPECT_TRUE(allowed(Role::kAdviser, "DecideAttestation", a1));
  EXPECT_FALSE(allowed(Role::kAdviser, "DecideAttestation", a2));
  EXPECT_FALSE(allowed(Role::kPerson, "DecideAttestation", a1));
  // Only administrators import a framework.
  EXPECT_FALSE(allowed(Role::kOrgAdmin, "ImportSkills", ""));
  EXPECT_TRUE(allowed(Role::kAdmin, "ImportSkills", ""));
}

TEST(AccessPolicy, UnknownMethodsAreDenied) {
  WorldFacts world;
  ServicePolicy policy(world, world, world, world);
  RequestContext ctx;
  ctx.principal = PrincipalFor(Role::kAdmin);
  EXPECT_EQ(policy.Check(ctx, "careers.v1.ProfileService/DeleteEverything", "")
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
}

TEST(AccessPolicy, PersonDataIsMarkedForTheRecord) {
  WorldFacts world;
  ServicePolicy policy(world, world, world, world);
  RequestContext ctx;
  ctx.principal = PrincipalFor(Role::kAdviser);
  EXPECT_TRUE(
      policy.Check(ctx, "careers.v1.ProfileService/GetProfile", "profiles/p1")
          ->person_data);
  EXPECT_FALSE(policy
                   .Check(ctx, "careers.v1.DirectoryService/GetOrganisation",
                          "organisations/org-a")
                   ->person_data);
}

TEST(AccessPolicy, VisibilityFollowsTheRole) {
  WorldFacts world;
  ServicePolicy policy(world, world, world, world);
  using Seen = ProfileVisibility::Kind;
  EXPECT_EQ(policy.VisibilityFor(PrincipalFor(Role::kAdmin)).kind, Seen::kAll);
  EXPECT_EQ(policy.VisibilityFor(PrincipalFor(Role::kPerson)).kind, Seen::kOwn);
  EXPECT_EQ(policy.VisibilityFor(PrincipalFor(Role::kPerson)).id, "p1");
  EXPECT_EQ(policy.VisibilityFor(PrincipalFor(Role::kAdviser)).kind,
            Seen::kSharedWith);
  EXPECT_EQ(policy.VisibilityFor(PrincipalFor(Role::kAdviser)).id, "org-a");
  EXPECT_EQ(policy.VisibilityFor(PrincipalFor(Role::kGuardian)).kind,
            Seen::kGuardedBy);
  Principal no_scope = PrincipalFor(Role::kService);
  no_scope.scopes.clear();
  EXPECT_EQ(policy.VisibilityFor(no_scope).kind, Seen::kNone);
}

}  // namespace
}  // namespace careers::auth
