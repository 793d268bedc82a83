// The authorization matrix: every RPC of every careers.v1 service (found
// from the descriptors, each with the rule its `(careers.v1.access)` option
// declares, so a new RPC without a rule fails here) × every role × a
// resource that is the caller's own, another's, or unshared, checked
// against what this test specifies for each rule.
#include "server/auth/access_policy.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
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
#include "server/domain/method_access.h"
#include "tests/unit/api_methods.h"

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

// The kinds of access each method declares it needs, in its option
// `(careers.v1.access)`; what each allows, as the product says who may do
// it (docs/product.md#roles), is specified by this test below.
using Access = v1::MethodAccess;
using Rule = v1::MethodAccess::Rule;

enum class Relation { kOwn, kOther, kUnshared };
constexpr Relation kRelations[] = {Relation::kOwn, Relation::kOther,
                                   Relation::kUnshared};
const char* Name(Relation r) {
  return r == Relation::kOwn     ? "own"
         : r == Relation::kOther ? "other"
                                 : "unshared";
}

// The resource a call names, for a relation.
std::string ResourceFor(Rule rule, absl::string_view method, Relation r) {
  const std::string profile =
      absl::StrCat("profiles/", r == Relation::kOwn     ? "p1"
                                : r == Relation::kOther ? "p2"
                                                        : "p3");
  const std::string org = r == Relation::kOwn     ? "organisations/org-a"
                          : r == Relation::kOther ? "organisations/org-b"
                                                  : "organisations/nowhere";
  const absl::string_view rpc = method.substr(method.find('/') + 1);
  const char* n = r == Relation::kOwn ? "1" : r == Relation::kOther ? "2" : "3";
  switch (rule) {
    case Access::PROFILE_CREATE:
    case Access::PROFILE_LIST:
    case Access::ORGANISATION_CREATE:
      return "";
    case Access::GUARDIAN_LINK_END:
    case Access::GUARDIAN_LINK_CONFIRM:
      return absl::StrCat(profile, "/guardianLinks/",
                          r == Relation::kOwn     ? "l1"
                          : r == Relation::kOther ? "l2"
                                                  : "l3");
    case Access::DIRECTORY_READ:
    case Access::ORGANISATION_MANAGE:
    case Access::DIRECTORY_CREATE:
      return absl::StrContains(rpc, "List") ? "" : org;
    case Access::ADVISER_MANAGE:
      return absl::StrCat("advisers/", r == Relation::kOwn     ? "a1"
                                       : r == Relation::kOther ? "a2"
                                                               : "a9");
    case Access::LOCATION_MANAGE:
      return absl::StrCat("locations/", r == Relation::kOwn     ? "x1"
                                        : r == Relation::kOther ? "x2"
                                                                : "x9");
    case Access::PUBLIC_READ:
      return absl::StrContains(rpc, "List") ? "" : "appointmentTypes/t1";
    case Access::CATALOGUE_CREATE:
      return org;
    case Access::TYPE_MANAGE:
      return absl::StrCat("appointmentTypes/t", n);
    case Access::CALENDAR_READ:
    case Access::CALENDAR_MANAGE:
      return absl::StrCat(
          "advisers/a", n,
          absl::StartsWith(rpc, "Create") || absl::StartsWith(rpc, "List")
              ? ""
              : "/availabilityRules/r1");
    case Access::BOOK:
    case Access::APPOINTMENT_LIST:
      return profile;
    case Access::ATTESTATION_DECIDE:
      return absl::StrCat(profile, "/experiences/e", n, "/attestations/a", n);
    case Access::ADMIN_ONLY:
    case Access::CHANGES_READ:
      return "";
    case Access::BOOKING_READ:
    case Access::BOOKING_CHANGE:
    case Access::ATTENDANCE:
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

// Who may, per the product: the expected answer; nullopt for a rule this
// test does not know (RULE_UNSPECIFIED, or a new one), which fails it.
std::optional<bool> Expected(Rule rule, Role role, Relation r) {
  const bool own = r == Relation::kOwn;
  const bool staff = role == Role::kAdviser || role == Role::kOrgAdmin;
  bool others = false;  // all but administrators, who may do anything
  switch (rule) {
    case Access::PROFILE_CREATE:
      others = staff;  // the service in this world can only read
      break;
    case Access::PROFILE_LIST:
    case Access::DIRECTORY_READ:
      others = true;
      break;
    case Access::PROFILE_READ:
      others = role == Role::kService || (own && role != Role::kService);
      break;
    case Access::PROFILE_WRITE:
      others = own && (role == Role::kPerson || staff);
      break;
    case Access::CONSENT_READ:
      others = own && role != Role::kService;
      break;
    case Access::CONSENT_GRANT:
      others = own && (role == Role::kPerson || role == Role::kGuardian);
      break;
    case Access::GUARDIAN_LINK_CREATE:
      others = own && staff;
      break;
    case Access::GUARDIAN_LINK_END:
      others = own && role != Role::kService;
      break;
    case Access::GUARDIAN_LINK_CONFIRM:
      others = own && role == Role::kPerson;
      break;
    case Access::ACCESS_EVENTS_READ:
      others = own && (role == Role::kPerson || role == Role::kGuardian);
      break;
    case Access::ORGANISATION_CREATE:
      others = false;
      break;
    case Access::ORGANISATION_MANAGE:
    case Access::DIRECTORY_CREATE:
    case Access::ADVISER_MANAGE:
    case Access::LOCATION_MANAGE:
      others = own && role == Role::kOrgAdmin;
      break;
    case Access::PUBLIC_READ:
      others = true;
      break;
    case Access::CATALOGUE_CREATE:
    case Access::TYPE_MANAGE:
      others = own && role == Role::kOrgAdmin;
      break;
    case Access::CALENDAR_READ:
    case Access::CALENDAR_MANAGE:
    case Access::ATTENDANCE:
      others = own && staff;
      break;
    case Access::BOOK:
    case Access::BOOKING_READ:
    case Access::BOOKING_CHANGE:
    case Access::APPOINTMENT_LIST:
    case Access::SKILLS_READ:
      others = own && role != Role::kService;
      break;
    case Access::SKILLS_WRITE:
      others = own && (role == Role::kPerson || staff);
      break;
    case Access::ATTESTATION_DECIDE:
      others = own && role == Role::kAdviser;
      break;
    case Access::ADMIN_ONLY:
      others = false;
      break;
    case Access::CHANGES_READ:
      // Anyone signed in; each change is then filtered (domain::MaySee).
      others = true;
      break;
    default:
      return std::nullopt;
  }
  return role == Role::kAdmin || others;
}

// Whether each kind of access reads or changes a person's data, so that
// callers other than the person go on the access record: everything about
// profiles, their plans, consents, guardian links, the access record,
// bookings and the skills log; not the directory, the catalogues or
// calendars.
bool IsPersonData(Rule rule) {
  switch (rule) {
    case Access::PROFILE_CREATE:
    case Access::PROFILE_LIST:
    case Access::PROFILE_READ:
    case Access::PROFILE_WRITE:
    case Access::CONSENT_READ:
    case Access::CONSENT_GRANT:
    case Access::GUARDIAN_LINK_CREATE:
    case Access::GUARDIAN_LINK_END:
    case Access::GUARDIAN_LINK_CONFIRM:
    case Access::ACCESS_EVENTS_READ:
    case Access::BOOK:
    case Access::BOOKING_READ:
    case Access::BOOKING_CHANGE:
    case Access::ATTENDANCE:
    case Access::APPOINTMENT_LIST:
    case Access::SKILLS_READ:
    case Access::SKILLS_WRITE:
    case Access::ATTESTATION_DECIDE:
      return true;
    default:
      return false;
  }
}

// Whether each kind of access only reads: the rules of Get, List, Search
// and Export methods (AIP-131, 132 and custom reads), and only theirs.
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

// Every method of every service in the API's proto files.
std::vector<const google::protobuf::MethodDescriptor*> AllMethods() {
  return testing::ApiMethods(CAREERS_API_PROTO_FILES);
}

// "careers.v1.ProfileService/GetProfile", as the policy is asked.
std::string MethodName(const google::protobuf::MethodDescriptor& method) {
  return absl::StrCat(method.service()->full_name(), "/", method.name());
}

// The method's option as its proto declares it (read here from the
// descriptor itself; the policy reads it with domain::MethodAccessOf).
const Access& OptionOf(const google::protobuf::MethodDescriptor& method) {
  return method.options().GetExtension(v1::access);
}

TEST(AccessPolicy, EveryMethodHasARuleAndAnExpectation) {
  const std::vector<const google::protobuf::MethodDescriptor*> methods =
      AllMethods();
  ASSERT_GE(methods.size(), 78u);
  for (const auto* method : methods) {
    EXPECT_TRUE(method->options().HasExtension(v1::access))
        << MethodName(*method)
        << " has no option (careers.v1.access) = {rule: ...}";
    const Rule rule = OptionOf(*method).rule();
    EXPECT_NE(rule, Access::RULE_UNSPECIFIED)
        << MethodName(*method) << " has no access rule";
    EXPECT_TRUE(Expected(rule, Role::kPerson, Relation::kOwn).has_value())
        << MethodName(*method) << ": rule " << Access::Rule_Name(rule)
        << " has no expectation in this test";
  }
}

// Every kind of access the protos can name is specified here.
TEST(AccessPolicy, EveryRuleHasAnExpectation) {
  const google::protobuf::EnumDescriptor* rules = Access::Rule_descriptor();
  ASSERT_GE(rules->value_count(), 30);
  for (int i = 0; i < rules->value_count(); ++i) {
    const auto rule = static_cast<Rule>(rules->value(i)->number());
    EXPECT_EQ(Expected(rule, Role::kAdmin, Relation::kOwn).has_value(),
              rule != Access::RULE_UNSPECIFIED)
        << rules->value(i)->name();
  }
}

// The matrix checks each rule, not which rule a method declares; this
// catches the mistake that matters most, a method that changes something
// declaring a rule that only lets callers read (which would let readers,
// such as guardians and services with `profiles.read`, write).
TEST(AccessPolicy, OnlyReadingMethodsHaveReadRules) {
  int reads = 0;
  for (const auto* method : AllMethods()) {
    const std::string& rpc = method->name();
    const bool reads_only =
        absl::StartsWith(rpc, "Get") || absl::StartsWith(rpc, "List") ||
        absl::StartsWith(rpc, "Search") || absl::StartsWith(rpc, "Export") ||
        absl::StartsWith(rpc, "Watch");
    reads += reads_only;
    EXPECT_EQ(domain::ReadsOnly(OptionOf(*method)), reads_only)
        << MethodName(*method) << " has rule "
        << Access::Rule_Name(OptionOf(*method).rule());
  }
  EXPECT_GE(reads, 30);
}

// Every method says whether it touches a person's data as its kind of
// access does, the policy grants it so (asked as an administrator, who
// passes every rule), and exactly those methods say, in the person's
// words, what they do.
TEST(AccessPolicy, EveryPersonDataMethodHasAnAccessSummary) {
  WorldFacts world;
  ServicePolicy policy(world, world, world, world);
  RequestContext admin;
  admin.principal = PrincipalFor(Role::kAdmin);
  int person_data = 0;
  for (const auto* method : AllMethods()) {
    const std::string name = MethodName(*method);
    const Access& option = OptionOf(*method);
    EXPECT_EQ(option.person_data(), IsPersonData(option.rule()))
        << name << ": person_data disagrees with rule "
        << Access::Rule_Name(option.rule());
    const absl::StatusOr<AccessGrant> grant = policy.Check(admin, name, "");
    EXPECT_TRUE(grant.ok()) << name << ": " << grant.status();
    if (grant.ok()) {
      EXPECT_EQ(grant->person_data, option.person_data()) << name;
    }
    if (!option.person_data()) {
      EXPECT_EQ(option.summary(), "")
          << name << " touches no person's data: no access record to word";
      continue;
    }
    ++person_data;
    EXPECT_FALSE(option.summary().empty())
        << name
        << " touches a person's data but has no "
           "option (careers.v1.access) = {summary: \"...\"}";
    for (auto action : {v1::AccessEvent::READ, v1::AccessEvent::WRITE}) {
      EXPECT_EQ(domain::AccessSummary(name, action), option.summary()) << name;
    }
  }
  EXPECT_GE(person_data, 50);
}

TEST(AccessPolicy, Matrix) {
  WorldFacts world;
  ServicePolicy policy(world, world, world, world);
  int checked = 0;
  for (const auto* descriptor : AllMethods()) {
    const std::string method = MethodName(*descriptor);
    const Rule rule = OptionOf(*descriptor).rule();
    for (Role role : kAllRoles) {
      for (Relation r : kRelations) {
        const std::optional<bool> expected = Expected(rule, role, r);
        if (!expected) continue;  // reported by the tests above
        RequestContext ctx;
        ctx.principal = PrincipalFor(role);
        const std::string resource = ResourceFor(rule, method, r);
        const absl::StatusOr<AccessGrant> got =
            policy.Check(ctx, method, resource);
        EXPECT_EQ(got.ok(), *expected)
            << method << " (" << Access::Rule_Name(rule) << ") as "
            << RoleName(role) << " on " << Name(r) << " (" << resource
            << "): " << got.status();
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
