#include "clients/cli/output.h"

#include <algorithm>
#include <cstddef>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "clients/cli/flags.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"

namespace careers::cli {
namespace {

using v1::AccessEvent;
using v1::Action;
using v1::Adviser;
using v1::Appointment;
using v1::AppointmentType;
using v1::AvailabilityRule;
using v1::Consent;
using v1::Goal;
using v1::GuardianLink;
using v1::Location;
using v1::Organisation;
using v1::Profile;
using v1::WaitlistEntry;
using Rows = std::vector<std::vector<std::string>>;

// Display width of UTF-8 text: one column per code point.
size_t Width(const std::string& text) {
  return static_cast<size_t>(std::count_if(
      text.begin(), text.end(),
      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

template <typename Enum>
std::string EnumText(const google::protobuf::EnumDescriptor* type, Enum value) {
  return EnumDisplayName(*type, static_cast<int>(value));
}

Rows ProfileFields(const Profile& p) {
  const v1::PostalAddress& address = p.contact().address();
  std::vector<std::string> address_parts(address.lines().begin(),
                                         address.lines().end());
  if (!address.town().empty()) address_parts.push_back(address.town());
  std::vector<std::string> needs;
  for (const v1::AccessibilityNeed& need : p.accessibility_needs()) {
    needs.push_back(
        EnumText(v1::AccessibilityNeed::Kind_descriptor(), need.kind()));
  }
  return {
      {"name", p.name()},
      {"given name", p.given_name()},
      {"family name", p.family_name()},
      {"preferred name", p.preferred_name()},
      {"birth date", FormatDate(p.birth_date())},
      {"life stage", EnumText(Profile::LifeStage_descriptor(), p.life_stage())},
      {"school stage", p.school_stage()},
      {"support level",
       EnumText(Profile::SupportLevel_descriptor(), p.support_level())},
      {"language", p.preferred_language_code()},
      {"email", p.contact().email()},
      {"phone", p.contact().phone()},
      {"address", absl::StrJoin(address_parts, ", ")},
      {"postcode", address.postcode()},
      {"home organisation", p.home_organisation()},
      {"education", absl::StrCat(p.education_size())},
      {"qualifications", absl::StrCat(p.qualifications_size())},
      {"employment", absl::StrCat(p.employment_history_size())},
      {"interests", absl::StrJoin(p.career_interests(), ", ")},
      {"accessibility needs", absl::StrJoin(needs, ", ")},
      {"create time", FormatTimestamp(p.create_time())},
      {"update time", FormatTimestamp(p.update_time())},
      {"etag", p.etag()},
  };
}

Rows GoalFields(const Goal& g) {
  return {
      {"name", g.name()},
      {"title", g.title()},
      {"description", g.description()},
      {"type", EnumText(Goal::GoalType_descriptor(), g.goal_type())},
      {"state", EnumText(Goal::State_descriptor(), g.state())},
      {"target date", FormatDate(g.target_date())},
      {"create time", FormatTimestamp(g.create_time())},
      {"update time", FormatTimestamp(g.update_time())},
      {"state time", FormatTimestamp(g.state_time())},
      {"etag", g.etag()},
  };
}

Rows ActionFields(const Action& a) {
  return {
      {"name", a.name()},
      {"title", a.title()},
      {"description", a.description()},
      {"goal", a.goal()},
      {"owner", EnumText(Action::Owner_descriptor(), a.owner())},
      {"owner adviser", a.owner_adviser()},
      {"due date", FormatDate(a.due_date())},
      {"state", EnumText(Action::State_descriptor(), a.state())},
      {"signpost", a.signposted_to().title()},
      {"signpost organisation", a.signposted_to().organisation()},
      {"signpost uri", a.signposted_to().uri()},
      {"create time", FormatTimestamp(a.create_time())},
      {"update time", FormatTimestamp(a.update_time())},
      {"state time", FormatTimestamp(a.state_time())},
      {"etag", a.etag()},
  };
}

Rows OrganisationFields(const Organisation& o) {
  return {
      {"name", o.name()},
      {"display name", o.display_name()},
      {"kind", EnumText(Organisation::Kind_descriptor(), o.kind())},
      {"region", o.region()},
      {"parent", o.parent()},
      {"website", o.website_uri()},
      {"create time", FormatTimestamp(o.create_time())},
      {"update time", FormatTimestamp(o.update_time())},
      {"etag", o.etag()},
  };
}

std::string Channels(const Adviser& a) {
  std::vector<std::string> channels;
  for (int channel : a.channels()) {
    channels.push_back(EnumText(Adviser::Channel_descriptor(), channel));
  }
  return absl::StrJoin(channels, ", ");
}

std::string Active(const Adviser& a) {
  return !a.has_active() || a.active() ? "yes" : "no";
}

Rows AdviserFields(const Adviser& a) {
  return {
      {"name", a.name()},
      {"organisation", a.organisation()},
      {"display name", a.display_name()},
      {"languages", absl::StrJoin(a.language_codes(), ", ")},
      {"channels", Channels(a)},
      {"specialisms", absl::StrJoin(a.specialisms(), "; ")},
      {"active", Active(a)},
      {"email", a.email()},
      {"subject", a.subject()},
      {"create time", FormatTimestamp(a.create_time())},
      {"update time", FormatTimestamp(a.update_time())},
      {"delete time", FormatTimestamp(a.delete_time())},
      {"etag", a.etag()},
  };
}

Rows LocationFields(const Location& l) {
  const v1::PostalAddress& address = l.address();
  std::vector<std::string> address_parts(address.lines().begin(),
                                         address.lines().end());
  if (!address.town().empty()) address_parts.push_back(address.town());
  std::vector<std::string> features;
  for (int feature : l.accessibility()) {
    features.push_back(
        EnumText(Location::AccessibilityFeature_descriptor(), feature));
  }
  return {
      {"name", l.name()},
      {"organisation", l.organisation()},
      {"display name", l.display_name()},
      {"kind", EnumText(Location::Kind_descriptor(), l.kind())},
      {"address", absl::StrJoin(address_parts, ", ")},
      {"postcode", address.postcode()},
      {"time zone", l.time_zone()},
      {"accessibility", absl::StrJoin(features, ", ")},
      {"create time", FormatTimestamp(l.create_time())},
      {"update time", FormatTimestamp(l.update_time())},
      {"etag", l.etag()},
  };
}

// "subject (role)", or "subject (role, organisations/x)" for staff; "" when
// unset.
std::string FormatActor(const v1::Actor& actor) {
  if (actor.subject().empty() && actor.role().empty()) return "";
  std::vector<std::string> about;
  if (!actor.role().empty()) about.push_back(actor.role());
  if (!actor.organisation().empty()) about.push_back(actor.organisation());
  if (about.empty()) return actor.subject();
  return absl::StrCat(actor.subject(), " (", absl::StrJoin(about, ", "), ")");
}

Rows ConsentFields(const Consent& c) {
  return {
      {"name", c.name()},
      {"purpose", EnumText(Consent::Purpose_descriptor(), c.purpose())},
      {"organisation", c.organisation()},
      {"state", EnumText(Consent::State_descriptor(), c.state())},
      {"grant time", FormatTimestamp(c.grant_time())},
      {"granted by", FormatActor(c.granted_by())},
      {"withdraw time", FormatTimestamp(c.withdraw_time())},
      {"withdrawn by", FormatActor(c.withdrawn_by())},
      {"etag", c.etag()},
  };
}

Rows GuardianLinkFields(const GuardianLink& g) {
  return {
      {"name", g.name()},
      {"guardian subject", g.guardian_subject()},
      {"display name", g.guardian_display_name()},
      {"relationship",
       EnumText(GuardianLink::Relationship_descriptor(), g.relationship())},
      {"state", EnumText(GuardianLink::State_descriptor(), g.state())},
      {"effective", g.effective() ? "yes" : "no"},
      {"create time", FormatTimestamp(g.create_time())},
      {"created by", FormatActor(g.created_by())},
      {"confirm time", FormatTimestamp(g.confirm_time())},
      {"end time", FormatTimestamp(g.end_time())},
      {"ended by", FormatActor(g.ended_by())},
      {"etag", g.etag()},
  };
}

// The values of a repeated enum field, as the CLI spells them, joined.
template <typename Values>
std::string EnumList(const google::protobuf::EnumDescriptor* type,
                     const Values& values, const char* separator = ", ") {
  std::vector<std::string> names;
  for (int value : values) names.push_back(EnumText(type, value));
  return absl::StrJoin(names, separator);
}

std::string Minutes(int minutes) { return absl::StrCat(minutes, " min"); }

Rows AppointmentTypeFields(const AppointmentType& t) {
  return {
      {"name", t.name()},
      {"organisation", t.organisation()},
      {"display name", t.display_name()},
      {"description", t.description()},
      {"duration", Minutes(t.duration_minutes())},
      {"buffer before", Minutes(t.buffer_before_minutes())},
      {"buffer after", Minutes(t.buffer_after_minutes())},
      {"minimum notice", Minutes(t.minimum_notice_minutes())},
      {"not same day", t.not_same_day() ? "yes" : "no"},
      {"booking horizon",
       t.booking_horizon_days() == 0
           ? ""
           : absl::StrCat(t.booking_horizon_days(), " days")},
      {"seats", t.seats() == 0 ? "" : absl::StrCat(t.seats())},
      {"channels", EnumList(Adviser::Channel_descriptor(), t.channels())},
      {"life stages",
       EnumList(v1::Profile::LifeStage_descriptor(), t.audience_life_stages())},
      {"school stages", absl::StrJoin(t.audience_school_stages(), ", ")},
      {"per person limit",
       t.per_person_limit() == 0 ? "" : absl::StrCat(t.per_person_limit())},
      {"languages", absl::StrJoin(t.language_codes(), ", ")},
      {"create time", FormatTimestamp(t.create_time())},
      {"update time", FormatTimestamp(t.update_time())},
      {"etag", t.etag()},
  };
}

std::string Days(const AvailabilityRule& r) {
  std::vector<std::string> days;
  for (int day : r.days()) {
    days.push_back(
        EnumText(google::type::DayOfWeek_descriptor(), day).substr(0, 3));
  }
  return days.empty() ? "every day" : absl::StrJoin(days, ",");
}

// "09:00–12:00".
std::string Hours(const AvailabilityRule& r) {
  return absl::StrCat(FormatTimeOfDay(r.start_time()), "–",
                      FormatTimeOfDay(r.end_time()));
}

Rows AvailabilityRuleFields(const AvailabilityRule& r) {
  return {
      {"name", r.name()},
      {"kind", EnumText(AvailabilityRule::Kind_descriptor(), r.kind())},
      {"days", Days(r)},
      {"hours", Hours(r)},
      {"time zone", r.time_zone()},
      {"valid from", FormatDate(r.valid_from())},
      {"valid to", FormatDate(r.valid_to())},
      {"location", r.location()},
      {"channels", EnumList(Adviser::Channel_descriptor(), r.channels())},
      {"appointment types", absl::StrJoin(r.appointment_types(), ", ")},
      {"description", r.description()},
      {"create time", FormatTimestamp(r.create_time())},
      {"created by", FormatActor(r.created_by())},
  };
}

// "Mon 29 Mar 2027 10:00–10:45 Europe/London", in the appointment's zone.
std::string LocalTimes(const Appointment& a) {
  if (a.start_time().seconds() == 0) return "";
  return absl::StrCat(
      FormatLocalTime(a.start_time(), a.time_zone(), "%a %d %b %Y %H:%M"), "–",
      FormatLocalTime(a.end_time(), a.time_zone(), "%H:%M"), " ",
      a.time_zone().empty() ? "UTC" : a.time_zone());
}

Rows AppointmentFields(const Appointment& a) {
  return {
      {"name", a.name()},
      {"profile", a.profile()},
      {"adviser", a.adviser()},
      {"appointment type", a.appointment_type()},
      {"channel", EnumText(Adviser::Channel_descriptor(), a.channel())},
      {"location", a.location()},
      {"start time", FormatTimestamp(a.start_time())},
      {"end time", FormatTimestamp(a.end_time())},
      {"local time", LocalTimes(a)},
      {"state", EnumText(Appointment::State_descriptor(), a.state())},
      {"notes", a.notes()},
      {"seat", a.seat() == 0 ? "" : absl::StrCat(a.seat())},
      {"booked by", FormatActor(a.booked_by())},
      {"create time", FormatTimestamp(a.create_time())},
      {"cancel reason",
       EnumText(Appointment::CancelReason_descriptor(), a.cancel_reason())},
      {"cancel note", a.cancel_note()},
      {"cancelled by", FormatActor(a.cancelled_by())},
      {"cancel time", FormatTimestamp(a.cancel_time())},
      {"rescheduled from", a.rescheduled_from()},
      {"rescheduled to", a.rescheduled_to()},
      {"no-show reason",
       EnumText(Appointment::NoShowReason_descriptor(), a.no_show_reason())},
      {"attendance note", a.attendance_note()},
      {"attendance by", FormatActor(a.attendance_recorded_by())},
      {"attendance time", FormatTimestamp(a.attendance_time())},
      {"sequence", absl::StrCat(a.sequence())},
      {"etag", a.etag()},
  };
}

Rows WaitlistEntryFields(const WaitlistEntry& w) {
  return {
      {"name", w.name()},
      {"profile", w.profile()},
      {"adviser", w.adviser()},
      {"appointment type", w.appointment_type()},
      {"start time", FormatTimestamp(w.start_time())},
      {"channel", EnumText(Adviser::Channel_descriptor(), w.channel())},
      {"state", EnumText(WaitlistEntry::State_descriptor(), w.state())},
      {"position", w.position() > 0 ? absl::StrCat(w.position()) : ""},
      {"offer time", FormatTimestamp(w.offer_time())},
      {"offer expire time", FormatTimestamp(w.offer_expire_time())},
      {"appointment", w.appointment()},
      {"create time", FormatTimestamp(w.create_time())},
      {"created by", FormatActor(w.created_by())},
      {"etag", w.etag()},
  };
}

// List columns: a header, then one row per resource.
std::vector<std::string> Header(const Profile*) {
  return {"NAME",       "FAMILY NAME",  "GIVEN NAME", "BIRTH DATE",
          "LIFE STAGE", "SCHOOL STAGE", "SUPPORT"};
}
std::vector<std::string> Row(const Profile& p) {
  return {p.name(),
          p.family_name(),
          p.given_name(),
          FormatDate(p.birth_date()),
          EnumText(Profile::LifeStage_descriptor(), p.life_stage()),
          p.school_stage(),
          EnumText(Profile::SupportLevel_descriptor(), p.support_level())};
}
std::vector<std::string> Header(const Goal*) {
  return {"NAME", "TITLE", "TYPE", "STATE", "TARGET DATE"};
}
std::vector<std::string> Row(const Goal& g) {
  return {g.name(), g.title(),
          EnumText(Goal::GoalType_descriptor(), g.goal_type()),
          EnumText(Goal::State_descriptor(), g.state()),
          FormatDate(g.target_date())};
}
std::vector<std::string> Header(const Action*) {
  return {"NAME", "TITLE", "OWNER", "STATE", "DUE DATE"};
}
std::vector<std::string> Row(const Action& a) {
  return {a.name(), a.title(), EnumText(Action::Owner_descriptor(), a.owner()),
          EnumText(Action::State_descriptor(), a.state()),
          FormatDate(a.due_date())};
}

std::vector<std::string> Header(const Organisation*) {
  return {"NAME", "DISPLAY NAME", "KIND", "REGION", "PARENT"};
}
std::vector<std::string> Row(const Organisation& o) {
  return {o.name(), o.display_name(),
          EnumText(Organisation::Kind_descriptor(), o.kind()), o.region(),
          o.parent()};
}
std::vector<std::string> Header(const Adviser*) {
  return {"NAME",     "DISPLAY NAME", "ORGANISATION", "LANGUAGES",
          "CHANNELS", "ACTIVE",       "DELETED"};
}
std::vector<std::string> Row(const Adviser& a) {
  return {a.name(),
          a.display_name(),
          a.organisation(),
          absl::StrJoin(a.language_codes(), ","),
          Channels(a),
          Active(a),
          FormatTimestamp(a.delete_time())};
}
std::vector<std::string> Header(const Location*) {
  return {"NAME",         "DISPLAY NAME", "KIND",
          "ORGANISATION", "POSTCODE",     "TIME ZONE"};
}
std::vector<std::string> Row(const Location& l) {
  return {l.name(),
          l.display_name(),
          EnumText(Location::Kind_descriptor(), l.kind()),
          l.organisation(),
          l.address().postcode(),
          l.time_zone()};
}

std::vector<std::string> Header(const Consent*) {
  return {"NAME", "PURPOSE", "ORGANISATION", "STATE", "GRANTED", "BY"};
}
std::vector<std::string> Row(const Consent& c) {
  return {c.name(),
          EnumText(Consent::Purpose_descriptor(), c.purpose()),
          c.organisation(),
          EnumText(Consent::State_descriptor(), c.state()),
          FormatTimestamp(c.grant_time()),
          c.granted_by().subject()};
}
std::vector<std::string> Header(const GuardianLink*) {
  return {"NAME",         "GUARDIAN", "DISPLAY NAME",
          "RELATIONSHIP", "STATE",    "EFFECTIVE"};
}
std::vector<std::string> Row(const GuardianLink& g) {
  return {g.name(),
          g.guardian_subject(),
          g.guardian_display_name(),
          EnumText(GuardianLink::Relationship_descriptor(), g.relationship()),
          EnumText(GuardianLink::State_descriptor(), g.state()),
          g.effective() ? "yes" : "no"};
}
// The access record as the person reads it: when (UTC), who (by name, with
// their organisation), in what role, what they did, to what, and why.
std::vector<std::string> Header(const AccessEvent*) {
  return {"WHEN", "WHO", "ROLE", "WHAT", "RESOURCE", "WHY"};
}
std::string RoleText(const std::string& role) {
  if (role == "org_admin") return "organisation admin";
  if (role == "admin") return "administrator";
  if (role == "guardian") return "parent or carer";
  return role;
}
// "Fiona Reid (Leith Academy)"; the subject from servers that name no one.
std::string WhoText(const AccessEvent& e) {
  const std::string who = e.actor_display_name().empty()
                              ? e.actor().subject()
                              : e.actor_display_name();
  const std::string& organisation = e.organisation_display_name().empty()
                                        ? e.actor().organisation()
                                        : e.organisation_display_name();
  if (organisation.empty()) return who;
  return absl::StrCat(who, " (", organisation, ")");
}
std::vector<std::string> Row(const AccessEvent& e) {
  return {FormatLocalTime(e.time(), "UTC", "%Y-%m-%d %H:%M UTC"),
          WhoText(e),
          RoleText(e.actor().role()),
          e.summary().empty()
              ? std::string(absl::StripPrefix(e.method(), "careers.v1."))
              : e.summary(),
          e.resource(),
          e.reason()};
}

std::vector<std::string> Header(const AppointmentType*) {
  return {"NAME",     "DISPLAY NAME", "ORGANISATION",
          "DURATION", "SEATS",        "CHANNELS"};
}
std::vector<std::string> Row(const AppointmentType& t) {
  return {t.name(),
          t.display_name(),
          t.organisation(),
          Minutes(t.duration_minutes()),
          absl::StrCat(t.seats() == 0 ? 1 : t.seats()),
          EnumList(Adviser::Channel_descriptor(), t.channels(), ",")};
}
std::vector<std::string> Header(const AvailabilityRule*) {
  return {"NAME",      "KIND", "DAYS", "HOURS",
          "TIME ZONE", "FROM", "TO",   "LOCATION"};
}
std::vector<std::string> Row(const AvailabilityRule& r) {
  return {r.name(),
          EnumText(AvailabilityRule::Kind_descriptor(), r.kind()),
          Days(r),
          Hours(r),
          r.time_zone(),
          FormatDate(r.valid_from()),
          FormatDate(r.valid_to()),
          r.location()};
}
std::vector<std::string> Header(const Appointment*) {
  return {"NAME", "START", "PROFILE", "ADVISER", "TYPE", "CHANNEL", "STATE"};
}
std::vector<std::string> Row(const Appointment& a) {
  return {a.name(),
          FormatLocalTime(a.start_time(), a.time_zone(), "%Y-%m-%d %H:%M"),
          a.profile(),
          a.adviser(),
          a.appointment_type(),
          EnumText(Adviser::Channel_descriptor(), a.channel()),
          EnumText(Appointment::State_descriptor(), a.state())};
}
std::vector<std::string> Header(const WaitlistEntry*) {
  return {"NAME",    "PROFILE", "START",    "ADVISER",      "TYPE",
          "CHANNEL", "STATE",   "POSITION", "OFFER EXPIRES"};
}
std::vector<std::string> Row(const WaitlistEntry& w) {
  return {w.name(),
          w.profile(),
          FormatTimestamp(w.start_time()),
          w.adviser(),
          w.appointment_type(),
          EnumText(Adviser::Channel_descriptor(), w.channel()),
          EnumText(WaitlistEntry::State_descriptor(), w.state()),
          w.position() > 0 ? absl::StrCat(w.position()) : "",
          FormatTimestamp(w.offer_expire_time())};
}

// ---------------------------------------------- experiences and skills

// "skills/focusing level 3 (self)".
std::string SkillClaimText(const v1::SkillClaim& claim) {
  std::string text = absl::StrCat(claim.skill(), " level ", claim.level());
  if (claim.source() != v1::SKILL_SOURCE_UNSPECIFIED) {
    absl::StrAppend(&text, " (",
                    EnumText(v1::SkillSource_descriptor(), claim.source()),
                    ")");
  }
  return text;
}

// "https://x/cert.pdf (application/pdf)".
std::string EvidenceText(const v1::Evidence& evidence) {
  if (evidence.content_type().empty()) return evidence.uri();
  return absl::StrCat(evidence.uri(), " (", evidence.content_type(), ")");
}

Rows ExperienceFields(const v1::Experience& e) {
  std::vector<std::string> skills;
  for (const v1::SkillClaim& claim : e.skills()) {
    skills.push_back(SkillClaimText(claim));
  }
  std::vector<std::string> evidence;
  for (const v1::Evidence& item : e.evidence()) {
    evidence.push_back(EvidenceText(item));
  }
  return {
      {"name", e.name()},
      {"kind", EnumText(v1::ExperienceKind_descriptor(), e.kind())},
      {"title", e.title()},
      {"organisation", e.organisation_name()},
      {"start date", FormatDate(e.start_date())},
      {"end date", FormatDate(e.end_date())},
      {"hours", e.hours() == 0 ? "" : FormatHours(e.hours())},
      {"skills", absl::StrJoin(skills, ", ")},
      {"evidence", absl::StrJoin(evidence, ", ")},
      {"reflection", e.reflection()},
      {"state", EnumText(v1::Experience::State_descriptor(), e.state())},
      {"verified by", e.verified_by()},
      {"void reason", e.void_reason()},
      {"voided by", FormatActor(e.voided_by())},
      {"void time", FormatTimestamp(e.void_time())},
      {"created by", FormatActor(e.created_by())},
      {"create time", FormatTimestamp(e.create_time())},
      {"update time", FormatTimestamp(e.update_time())},
      {"etag", e.etag()},
  };
}

// The adviser's name, or "Name <email>, Organisation" for a referee.
std::string AttesterText(const v1::Attestation& a) {
  if (!a.has_referee()) return a.adviser();
  const v1::Attestation::Referee& referee = a.referee();
  std::string text =
      absl::StrCat(referee.display_name(), " <", referee.email(), ">");
  if (!referee.organisation_name().empty()) {
    absl::StrAppend(&text, ", ", referee.organisation_name());
  }
  return text;
}

Rows AttestationFields(const v1::Attestation& a) {
  return {
      {"name", a.name()},
      {"attester", AttesterText(a)},
      {"state", EnumText(v1::Attestation::State_descriptor(), a.state())},
      {"comment", a.comment()},
      {"requested by", FormatActor(a.requested_by())},
      {"create time", FormatTimestamp(a.create_time())},
      {"expire time", FormatTimestamp(a.expire_time())},
      {"decide time", FormatTimestamp(a.decide_time())},
      {"decided by", FormatActor(a.decided_by())},
      {"etag", a.etag()},
  };
}

std::vector<std::string> Header(const v1::Experience*) {
  return {"NAME", "KIND", "TITLE", "START", "END", "HOURS", "SKILLS", "STATE"};
}
std::vector<std::string> Row(const v1::Experience& e) {
  return {e.name(),
          EnumText(v1::ExperienceKind_descriptor(), e.kind()),
          e.title(),
          FormatDate(e.start_date()),
          FormatDate(e.end_date()),
          e.hours() == 0 ? "" : FormatHours(e.hours()),
          absl::StrCat(e.skills_size()),
          EnumText(v1::Experience::State_descriptor(), e.state())};
}
std::vector<std::string> Header(const v1::Attestation*) {
  return {"NAME", "ATTESTER", "STATE", "REQUESTED", "DECIDED"};
}
std::vector<std::string> Row(const v1::Attestation& a) {
  return {a.name(), AttesterText(a),
          EnumText(v1::Attestation::State_descriptor(), a.state()),
          FormatTimestamp(a.create_time()), FormatTimestamp(a.decide_time())};
}

std::vector<std::string> Header(const v1::Change*) {
  return {"SEQUENCE", "COMMITTED", "KIND", "RESOURCE", "FIELDS", "BY"};
}
std::vector<std::string> Row(const v1::Change& c) {
  return {absl::StrCat(c.sequence()),
          FormatTimestamp(c.commit_time()),
          EnumText(v1::Change::Kind_descriptor(), c.kind()),
          c.resource(),
          absl::StrJoin(c.field_paths(), ","),
          FormatActor(c.actor())};
}

void PrintFields(const google::protobuf::Message& resource, const Rows& rows,
                 OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::kJson) {
    PrintJson(resource, out);
  } else {
    PrintTable(rows, out);
  }
}

template <typename Resource>
void PrintItems(const google::protobuf::Message& response,
                const google::protobuf::RepeatedPtrField<Resource>& items,
                const std::string& next_page_token, OutputFormat format,
                std::ostream& out) {
  if (format == OutputFormat::kJson) {
    PrintJson(response, out);
    return;
  }
  Rows rows = {Header(static_cast<const Resource*>(nullptr))};
  for (const Resource& item : items) rows.push_back(Row(item));
  PrintTable(rows, out);
  if (!next_page_token.empty()) {
    out << "next page: --page-token " << next_page_token << "\n";
  }
}

}  // namespace

void PrintJson(const google::protobuf::Message& message, std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  // Printing a generated message with no Any fields cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  out << json;
  if (json.empty() || json.back() != '\n') out << "\n";
}

void PrintJsonLine(const google::protobuf::Message& message,
                   std::ostream& out) {
  std::string json;
  // Without whitespace the mapping has no line breaks: strings escape
  // theirs. Printing a generated message with no Any fields cannot fail.
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  out << json << "\n";
}

void PrintTable(const std::vector<std::vector<std::string>>& rows,
                std::ostream& out) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (row.size() > widths.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) {
        line.append(widths[i] - Width(row[i]) + 2, ' ');
      }
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  }
}

std::string FormatDate(const google::type::Date& date) {
  if (date.year() == 0 && date.month() == 0 && date.day() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  return google::protobuf::util::TimeUtil::ToString(ts);
}

std::string FormatTimeOfDay(const google::type::TimeOfDay& time) {
  return absl::StrFormat("%02d:%02d", time.hours(), time.minutes());
}

std::string FormatLocalTime(const google::protobuf::Timestamp& ts,
                            const std::string& time_zone,
                            const std::string& format) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!time_zone.empty() && !absl::LoadTimeZone(time_zone, &zone)) {
    zone = absl::UTCTimeZone();
  }
  return absl::FormatTime(
      format,
      absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos()),
      zone);
}

void PrintResource(const Profile& profile, OutputFormat format,
                   std::ostream& out) {
  PrintFields(profile, ProfileFields(profile), format, out);
}

void PrintResource(const Goal& goal, OutputFormat format, std::ostream& out) {
  PrintFields(goal, GoalFields(goal), format, out);
}

void PrintResource(const Action& action, OutputFormat format,
                   std::ostream& out) {
  PrintFields(action, ActionFields(action), format, out);
}

void PrintResource(const Organisation& organisation, OutputFormat format,
                   std::ostream& out) {
  PrintFields(organisation, OrganisationFields(organisation), format, out);
}

void PrintResource(const Adviser& adviser, OutputFormat format,
                   std::ostream& out) {
  PrintFields(adviser, AdviserFields(adviser), format, out);
}

void PrintResource(const Location& location, OutputFormat format,
                   std::ostream& out) {
  PrintFields(location, LocationFields(location), format, out);
}

void PrintResource(const Consent& consent, OutputFormat format,
                   std::ostream& out) {
  PrintFields(consent, ConsentFields(consent), format, out);
}

void PrintResource(const GuardianLink& link, OutputFormat format,
                   std::ostream& out) {
  PrintFields(link, GuardianLinkFields(link), format, out);
}

void PrintList(const v1::ListProfilesResponse& response, OutputFormat format,
               std::ostream& out) {
  PrintItems(response, response.profiles(), response.next_page_token(), format,
             out);
}

void PrintList(const v1::ListGoalsResponse& response, OutputFormat format,
               std::ostream& out) {
  PrintItems(response, response.goals(), response.next_page_token(), format,
             out);
}

void PrintList(const v1::ListActionsResponse& response, OutputFormat format,
               std::ostream& out) {
  PrintItems(response, response.actions(), response.next_page_token(), format,
             out);
}

void PrintList(const v1::ListOrganisationsResponse& response,
               OutputFormat format, std::ostream& out) {
  PrintItems(response, response.organisations(), response.next_page_token(),
             format, out);
}

void PrintList(const v1::ListAdvisersResponse& response, OutputFormat format,
               std::ostream& out) {
  PrintItems(response, response.advisers(), response.next_page_token(), format,
             out);
}

void PrintList(const v1::ListLocationsResponse& response, OutputFormat format,
               std::ostream& out) {
  PrintItems(response, response.locations(), response.next_page_token(), format,
             out);
}

void PrintList(const v1::ListConsentsResponse& response, OutputFormat format,
               std::ostream& out) {
  PrintItems(response, response.consents(), response.next_page_token(), format,
             out);
}

void PrintList(const v1::ListGuardianLinksResponse& response,
               OutputFormat format, std::ostream& out) {
  PrintItems(response, response.guardian_links(), response.next_page_token(),
             format, out);
}

void PrintList(const v1::ListAccessEventsResponse& response,
               OutputFormat format, std::ostream& out) {
  PrintItems(response, response.access_events(), response.next_page_token(),
             format, out);
}

void PrintResource(const AppointmentType& type, OutputFormat format,
                   std::ostream& out) {
  PrintFields(type, AppointmentTypeFields(type), format, out);
}

void PrintResource(const AvailabilityRule& rule, OutputFormat format,
                   std::ostream& out) {
  PrintFields(rule, AvailabilityRuleFields(rule), format, out);
}

void PrintResource(const Appointment& appointment, OutputFormat format,
                   std::ostream& out) {
  PrintFields(appointment, AppointmentFields(appointment), format, out);
}

void PrintResource(const WaitlistEntry& entry, OutputFormat format,
                   std::ostream& out) {
  PrintFields(entry, WaitlistEntryFields(entry), format, out);
}

void PrintList(const v1::ListAppointmentTypesResponse& response,
               OutputFormat format, std::ostream& out) {
  PrintItems(response, response.appointment_types(), response.next_page_token(),
             format, out);
}

void PrintList(const v1::ListAvailabilityRulesResponse& response,
               OutputFormat format, std::ostream& out) {
  PrintItems(response, response.availability_rules(),
             response.next_page_token(), format, out);
}

void PrintList(const v1::ListAppointmentsResponse& response,
               OutputFormat format, std::ostream& out) {
  PrintItems(response, response.appointments(), response.next_page_token(),
             format, out);
}

void PrintList(const v1::ListWaitlistEntriesResponse& response,
               OutputFormat format, std::ostream& out) {
  PrintItems(response, response.waitlist_entries(), response.next_page_token(),
             format, out);
}

void PrintResource(const v1::Experience& experience, OutputFormat format,
                   std::ostream& out) {
  PrintFields(experience, ExperienceFields(experience), format, out);
}

void PrintResource(const v1::Attestation& attestation, OutputFormat format,
                   std::ostream& out) {
  PrintFields(attestation, AttestationFields(attestation), format, out);
}

void PrintList(const v1::ListExperiencesResponse& response, OutputFormat format,
               std::ostream& out) {
  PrintItems(response, response.experiences(), response.next_page_token(),
             format, out);
}

void PrintList(const v1::ListAttestationsResponse& response,
               OutputFormat format, std::ostream& out) {
  PrintItems(response, response.attestations(), response.next_page_token(),
             format, out);
}

void PrintList(const v1::ListChangesResponse& response, OutputFormat format,
               std::ostream& out) {
  if (format == OutputFormat::kJson) {
    PrintJson(response, out);
    return;
  }
  Rows rows = {Header(static_cast<const v1::Change*>(nullptr))};
  for (const v1::Change& change : response.changes()) {
    rows.push_back(Row(change));
  }
  PrintTable(rows, out);
  if (response.more()) {
    out << "more changes are waiting: run again from the token below, or "
           "use --all\n";
  }
  out << "next sync token: --since " << response.next_sync_token() << "\n";
}

void PrintSkillsSummary(const v1::SkillsSummary& summary, OutputFormat format,
                        std::ostream& out) {
  if (format == OutputFormat::kJson) {
    PrintJson(summary, out);
    return;
  }
  if (summary.entries().empty()) {
    out << "No skills evidenced.\n";
    return;
  }
  Rows rows = {{"SKILL", "EXPERIENCES", "HOURS", "VERIFIED", "MAX LEVEL",
                "FIRST", "LAST"}};
  for (const v1::SkillsSummary::Entry& entry : summary.entries()) {
    rows.push_back(
        {entry.label().empty() ? entry.skill() : entry.label(),
         absl::StrCat(entry.experience_count()),
         FormatHours(entry.total_hours()), absl::StrCat(entry.verified_count()),
         absl::StrCat(entry.max_level()), FormatDate(entry.first_evidenced()),
         FormatDate(entry.last_evidenced())});
  }
  PrintTable(rows, out);
}

std::string FormatHours(double hours) {
  std::string text = absl::StrFormat("%.2f", hours);
  text.erase(text.find_last_not_of('0') + 1);
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

}  // namespace careers::cli
