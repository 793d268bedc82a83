#ifndef CAREERS_SERVER_DOMAIN_SKILLS_EXPORT_H_
#define CAREERS_SERVER_DOMAIN_SKILLS_EXPORT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "careers/v1/profile_service.pb.h"
#include "careers/v1/skills_service.pb.h"

// A person's skills record in standard formats others can read. Pure
// functions: callers pass what they read (experiences that are not voided,
// in the order to show them). The same Record always gives the same bytes
// (UTF-8 JSON, two-space indents, keys in a fixed order). Thread-safe.
//
// tests/unit/skills_export_test.cc validates both formats against the
// public schemas (tests/schema/validate.js).
namespace careers::domain::skills_export {

struct Record {
  v1::Profile profile;                      // with its name
  std::vector<v1::Experience> experiences;  // not voided (VOIDED ones
                                            // passed anyway are skipped)
  std::map<std::string, v1::Skill> skills;  // by name "skills/x"
  std::map<std::string, v1::Attestation> attestations;  // by name
  // Required for xAPI: "https://careers.example" (accounts and IRIs).
  std::string service_home_page;
  // When the export is made. An end date after it does not count as
  // finished, and no xAPI timestamp is later than it (xAPI 1.0.3 Part Two
  // 2.4.7: no future timestamps). The default applies neither rule.
  absl::Time now = absl::InfiniteFuture();
};

// JSON Resume 1.0.0 (https://jsonresume.org/schema, the npm package
// resume-schema@1.0.0): `$schema`, basics (name, email, phone), work
// (WORK_EXPERIENCE, PART_TIME_JOB, APPRENTICESHIP), volunteer
// (VOLUNTEERING), education (COURSE), awards (AWARD), projects (PROJECT,
// SCHOOL_ACTIVITY) and skills (one per skill in order of first appearance,
// its highest level as a word: 1 "Beginner", 2 "Developing", 3 "Competent",
// 4 "Advanced"; keywords the titles of the experiences that showed it).
// Dates as YYYY-MM-DD (YYYY-MM or YYYY for partial dates); endDate left out
// while open. Only properties the schema declares; empty ones left out.
// Skill labels in the profile's preferred language, else English.
std::string ToJsonResume(const Record& record);

// A JSON array of xAPI 1.0.3 statements, one per experience: actor an
// Agent with an `account` (homePage = service_home_page, name = profile
// id), verb an ADL IRI (http://adlnet.gov/expapi/verbs/experienced, or
// completed for a finished course or award), object an Activity with a
// definition (name, description, type), result with duration (ISO 8601,
// from hours) and completion, context with extensions naming the skills,
// timestamp (the end, else start date, UTC), stored id a UUID derived
// from the experience name (stable across exports); `authority` names the
// attester of VERIFIED ones (an Agent with the adviser's account, or the
// referee's mbox).
//
// In detail (IRIs below written for service_home_page H):
// - id: an RFC 4122 version 5 UUID (SHA-1, URL namespace) of
//   "H/<experience name>", so the same experience keeps its statement id.
// - object.id: H/xapi/activities/experiences/<profile id>/<experience id>;
//   definition.type: http://adlnet.gov/expapi/activities/course for a
//   COURSE, else H/xapi/activity-types/<kind> (work-experience,
//   volunteering, part-time-job, project, award, school-activity,
//   apprenticeship). Title and reflection are tagged with the profile's
//   preferred language ("en" when not set).
// - context.extensions: H/xapi/extensions/skills (a list of {skill, label
//   (a language map), level, source, framework, code}),
//   H/xapi/extensions/organisation and H/xapi/extensions/evidence.
// - authority only when the experience is VERIFIED and `verified_by`
//   names a VERIFIED attestation in `attestations`: {account: {homePage H,
//   name "advisers/<id>"}} or {name, mbox "mailto:<email>"}.
// - timestamp: 00:00:00.000Z of the day, or `now` if that is earlier.
std::string ToXapiStatements(const Record& record);

}  // namespace careers::domain::skills_export

#endif  // CAREERS_SERVER_DOMAIN_SKILLS_EXPORT_H_
