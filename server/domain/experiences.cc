#include "server/domain/experiences.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "server/common/crypto.h"
#include "server/common/ids.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/domain/consents.h"
#include "server/domain/errors.h"
#include "server/domain/field_checks.h"
#include "server/domain/field_mask.h"
#include "server/domain/filter.h"
#include "server/domain/resource_names.h"
#include "server/domain/skills_export.h"
#include "server/domain/standard_methods.h"

namespace careers::domain {
namespace {

using errors::FieldViolations;
using v1::Attestation;
using v1::Experience;
using v1::SkillClaim;

constexpr absl::string_view kExperiences = "experiences";
constexpr absl::string_view kAttestations = "attestations";
constexpr absl::string_view kSkills = "skills";

constexpr int kMaxSkills = 20;
constexpr int kMaxEvidence = 10;
constexpr double kMaxHours = 20000;
constexpr size_t kTokenBytes = 32;
constexpr absl::Duration kRateWindow = absl::Hours(24);
constexpr int kExportBatch = 500;
constexpr int kExpireBatch = 100;

std::string Strip(const std::string& s) {
  return std::string(absl::StripAsciiWhitespace(s));
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// "profiles/{p}/experiences/{e}/attestations/{a}" → its three ids.
struct AttestationId {
  std::string profile_id;
  std::string experience_id;
  std::string id;
};

absl::StatusOr<AttestationId> ParseAttestationName(absl::string_view field,
                                                   absl::string_view name) {
  if (name.empty())
    return errors::InvalidField(std::string(field), "is required");
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 6 || parts[0] != names::kProfiles ||
      !names::IsValidId(parts[1]) || parts[2] != kExperiences ||
      !names::IsValidId(parts[3]) || parts[4] != kAttestations ||
      !names::IsValidId(parts[5])) {
    return errors::InvalidField(
        std::string(field),
        "must be a resource name of the form "
        "profiles/{id}/experiences/{id}/attestations/{id}");
  }
  return AttestationId{std::string(parts[1]), std::string(parts[3]),
                       std::string(parts[5])};
}

bool IsLowerHex(absl::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

// Checks the fields a client sets (normalizing text first). Pure: whether
// the skills exist is asked separately.
void CheckFields(Experience& e, const std::string& prefix, absl::CivilDay today,
                 FieldViolations& v) {
  auto field = [&](absl::string_view name) {
    return absl::StrCat(prefix, ".", name);
  };
  checks::CheckEnum(v, field("kind"), v1::ExperienceKind_descriptor(), e.kind(),
                    true);
  e.set_title(Strip(e.title()));
  checks::CheckText(v, field("title"), e.title(), {1, 200});
  e.set_organisation_name(Strip(e.organisation_name()));
  checks::CheckText(v, field("organisation_name"), e.organisation_name(),
                    {0, 200});
  const std::optional<absl::CivilDay> start =
      checks::CheckDate(v, field("start_date"),
                        e.has_start_date() ? &e.start_date() : nullptr, true);
  const std::optional<absl::CivilDay> end = checks::CheckDate(
      v, field("end_date"), e.has_end_date() ? &e.end_date() : nullptr, false);
  const absl::CivilDay latest_start(today.year() + 1, today.month(),
                                    today.day());
  if (start && *start > latest_start) {
    v.Add(field("start_date"),
          absl::StrCat("must be no later than a year from today (",
                       DayText(latest_start), ")"));
  }
  if (start && end && *end < *start) {
    v.Add(field("end_date"), absl::StrCat("must be on or after start_date (",
                                          DayText(*start), ")"));
  }
  const double hours = e.hours();
  if (!std::isfinite(hours) || hours < 0 || hours > kMaxHours) {
    v.Add(field("hours"), "must be a number from 0 to 20000");
  } else if (std::floor(hours * 4) != hours * 4) {
    v.Add(field("hours"), "must be whole hours or quarters (7.25, 7.5, 7.75)");
  }
  e.set_reflection(Strip(e.reflection()));
  checks::CheckText(v, field("reflection"), e.reflection(),
                    {0, 5000, /*multiline=*/true});

  checks::CheckCount(v, field("skills"), e.skills_size(), kMaxSkills);
  std::map<std::string, int> seen;
  for (int i = 0; i < e.skills_size(); ++i) {
    const SkillClaim& claim = e.skills(i);
    const std::string at = field(absl::StrCat("skills[", i, "]"));
    if (claim.skill().empty()) {
      v.Add(at + ".skill", "is required");
    } else if (!names::ParseName(at + ".skill", claim.skill(), kSkills).ok()) {
      v.Add(at + ".skill", "must be a resource name of the form skills/{id}");
    } else if (auto [it, inserted] = seen.emplace(claim.skill(), i);
               !inserted) {
      v.Add(at + ".skill",
            absl::StrCat(claim.skill(), " is already claimed (skills[",
                         it->second, "]); claim each skill once"));
    }
    if (claim.level() < 1 || claim.level() > 4) {
      v.Add(at + ".level", "must be from 1 to 4");
    }
    checks::CheckEnum(v, at + ".source", v1::SkillSource_descriptor(),
                      claim.source(), false);
  }

  checks::CheckCount(v, field("evidence"), e.evidence_size(), kMaxEvidence);
  for (int i = 0; i < e.evidence_size(); ++i) {
    v1::Evidence& ev = *e.mutable_evidence(i);
    const std::string at = field(absl::StrCat("evidence[", i, "]"));
    ev.set_uri(Strip(ev.uri()));
    if (ev.uri().empty()) {
      v.Add(at + ".uri", "is required");
    } else if (ev.uri().size() > 2000) {
      v.Add(at + ".uri", "must be at most 2000 characters");
    } else if (!absl::StartsWith(ev.uri(), "https://") ||
               !checks::IsValidHttpUrl(ev.uri())) {
      v.Add(at + ".uri", "must be an https:// URL");
    }
    ev.set_content_type(Strip(ev.content_type()));
    checks::CheckText(v, at + ".content_type", ev.content_type(), {0, 100});
    if (!ev.content_type().empty() &&
        !absl::StrContains(ev.content_type(), '/')) {
      v.Add(at + ".content_type",
            "must be a media type such as application/pdf");
    }
    if (!ev.sha256().empty() &&
        (ev.sha256().size() != 64 || !IsLowerHex(ev.sha256()))) {
      v.Add(at + ".sha256", "must be 64 lower-case hex digits");
    }
  }
}

// Fills unset sources and checks set ones for the caller: the person
// claims SELF; anyone else ADVISER or EMPLOYER. A claim unchanged from
// `before` (same skill and level) keeps its source.
void AssignSources(const RequestContext& ctx, Experience& e,
                   const Experience* before, const std::string& prefix,
                   FieldViolations& v) {
  const bool person = ctx.principal.role == auth::Role::kPerson;
  for (int i = 0; i < e.skills_size(); ++i) {
    SkillClaim& claim = *e.mutable_skills(i);
    if (before != nullptr) {
      const auto& old_claims = before->skills();
      auto old = std::find_if(
          old_claims.begin(), old_claims.end(),
          [&](const SkillClaim& c) { return c.skill() == claim.skill(); });
      if (old != old_claims.end() && old->level() == claim.level() &&
          (claim.source() == v1::SKILL_SOURCE_UNSPECIFIED ||
           claim.source() == old->source())) {
        claim.set_source(old->source());
        continue;
      }
    }
    const std::string at = absl::StrCat(prefix, ".skills[", i, "].source");
    if (claim.source() == v1::SKILL_SOURCE_UNSPECIFIED) {
      claim.set_source(person ? v1::SELF : v1::ADVISER);
    } else if (person && claim.source() != v1::SELF) {
      v.Add(at,
            "a person claims skills as SELF; advisers and employers "
            "add their own claims");
    } else if (!person && claim.source() == v1::SELF) {
      v.Add(at, "only the person claims SELF; use ADVISER or EMPLOYER");
    }
  }
}

// A pending referee attestation whose link has expired.
bool LinkExpired(const Attestation& a, absl::Time now) {
  return a.has_expire_time() && now >= FromProtoTimestamp(a.expire_time());
}

// The attestation lapses; the experience goes back to its state before the
// request. True if anything changed.
bool Lapse(ExperienceChange& change, absl::Time expire_time, absl::Time now) {
  if (!change.attestation) return false;
  StoredAttestation& stored = *change.attestation;
  if (stored.attestation.state() != Attestation::PENDING) return false;
  stored.attestation.set_state(Attestation::EXPIRED);
  *stored.attestation.mutable_expire_time() = ToProtoTimestamp(expire_time);
  if (change.experience.state() == Experience::ATTESTATION_PENDING) {
    change.experience.set_state(stored.prior_state);
    *change.experience.mutable_update_time() = ToProtoTimestamp(now);
  }
  return true;
}

// Every skill claimed in `e` must exist in the taxonomy.
absl::Status CheckSkillsExist(SkillLookup& skills, const RequestContext& ctx,
                              const Experience& e, const std::string& prefix) {
  std::vector<std::string> ids;
  for (const SkillClaim& claim : e.skills()) {
    absl::StatusOr<std::string> id =
        names::ParseName("skill", claim.skill(), kSkills);
    if (id.ok()) ids.push_back(*std::move(id));
  }
  if (ids.empty()) return absl::OkStatus();
  CAREERS_ASSIGN_OR_RETURN(auto found, skills.FindSkills(ctx, ids));
  FieldViolations v;
  for (int i = 0; i < e.skills_size(); ++i) {
    const std::string& name = e.skills(i).skill();
    absl::StatusOr<std::string> id = names::ParseName("skill", name, kSkills);
    if (id.ok() && found.count(*id) == 0) {
      v.Add(absl::StrCat(prefix, ".skills[", i, "].skill"),
            absl::StrCat(name, " is not a skill of the taxonomy"));
    }
  }
  return v.ToStatus();
}

absl::Status WrongToken() {
  return absl::PermissionDeniedError(
      "referee_token does not match this attestation");
}

}  // namespace

Experiences::Experiences(ExperienceRepository& repository, SkillLookup& skills,
                         ProfileRepository& profiles,
                         DirectoryLookup& directory,
                         AttestationNotifier& notifier, const Clock& clock,
                         const PageTokenCodec& page_tokens,
                         ExperienceOptions options)
    : repository_(repository),
      skills_(skills),
      profiles_(profiles),
      directory_(directory),
      notifier_(notifier),
      clock_(clock),
      page_tokens_(page_tokens),
      options_(std::move(options)) {}

absl::CivilDay Experiences::Today() const {
  return absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
}

absl::Status Experiences::NormalizeAndCheck(const RequestContext& ctx,
                                            Experience& e,
                                            const std::string& prefix,
                                            const Experience* before) {
  FieldViolations v;
  CheckFields(e, prefix, Today(), v);
  AssignSources(ctx, e, before, prefix, v);
  return v.ToStatus();
}

// ------------------------------------------------------------ experiences

absl::StatusOr<Experience> Experiences::CreateExperience(
    const RequestContext& ctx, const v1::CreateExperienceRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  Experience e = req.experience();
  ClearOutputOnlyFields(e);
  FieldViolations v;
  CheckFields(e, "experience", Today(), v);
  AssignSources(ctx, e, nullptr, "experience", v);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateExperience", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  CAREERS_RETURN_IF_ERROR(CheckSkillsExist(skills_, ctx, e, "experience"));
  const absl::Time now = clock_.Now();
  const std::string id = NewResourceId(now);
  e.set_name(names::ChildName(names::kProfiles, profile_id, kExperiences, id));
  e.set_state(Experience::SELF_DECLARED);
  *e.mutable_created_by() = ActorOf(ctx.principal);
  *e.mutable_create_time() = ToProtoTimestamp(now);
  *e.mutable_update_time() = ToProtoTimestamp(now);
  return repository_.CreateExperience(ctx, profile_id, id, e, KeyPtr(key));
}

absl::StatusOr<Experience> Experiences::GetExperience(
    const RequestContext& ctx, const v1::GetExperienceRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id, names::ParseChildName("name", req.name(),
                                               names::kProfiles, kExperiences));
  CAREERS_ASSIGN_OR_RETURN(Experience e,
                           repository_.GetExperience(ctx, id.parent_id, id.id));
  return e;
}

absl::StatusOr<v1::ListExperiencesResponse> Experiences::ListExperiences(
    const RequestContext& ctx, const v1::ListExperiencesRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(
      std::vector<FilterTerm> terms,
      ParseFilter(req.filter(), {"kind", "state", "skill"}));
  ExperienceQuery query;
  query.profile_id = profile_id;
  query.limit = page_size;
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "kind") {
      if (auto value =
              EnumFilterValue(term, v1::ExperienceKind_descriptor(), v)) {
        query.kind = static_cast<v1::ExperienceKind>(*value);
      }
    } else if (term.field == "state") {
      if (auto value =
              EnumFilterValue(term, Experience::State_descriptor(), v)) {
        query.state = static_cast<Experience::State>(*value);
      }
    } else {
      query.skill_id = NameFilterValue(term, kSkills, v);
    }
  }
  query.start_from = checks::CheckDate(
      v, "start_date_from",
      req.has_start_date_from() ? &req.start_date_from() : nullptr, false);
  query.start_to = checks::CheckDate(
      v, "start_date_to",
      req.has_start_date_to() ? &req.start_date_to() : nullptr, false);
  if (query.start_from && query.start_to &&
      *query.start_to < *query.start_from) {
    v.Add("start_date_to", "must be on or after start_date_from");
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const std::string digest = PageTokenCodec::QueryDigest(
      {"ListExperiences", req.parent(), req.filter(),
       query.start_from ? DayText(*query.start_from) : "",
       query.start_to ? DayText(*query.start_to) : ""});
  if (!req.page_token().empty()) {
    CAREERS_ASSIGN_OR_RETURN(
        std::vector<std::string> key,
        page_tokens_.Decode(req.page_token(), digest, now));
    absl::CivilDay day;
    if (key.size() != 2 || !absl::ParseCivilTime(key[0], &day)) {
      return errors::InvalidField("page_token", "is malformed");
    }
    query.after = ExperienceCursor{day, key[1]};
  }
  CAREERS_ASSIGN_OR_RETURN(Page<Experience> page,
                           repository_.ListExperiences(ctx, query));
  v1::ListExperiencesResponse resp;
  for (Experience& e : page.items) *resp.add_experiences() = std::move(e);
  if (page.has_more && resp.experiences_size() > 0) {
    const Experience& last = *resp.experiences().rbegin();
    const absl::CivilDay day =
        ToCivilDay(last.start_date()).value_or(absl::CivilDay());
    resp.set_next_page_token(page_tokens_.Encode(
        digest, {DayText(day), LastSegment(last.name())}, now));
  }
  return resp;
}

absl::StatusOr<Experience> Experiences::UpdateExperience(
    const RequestContext& ctx, const v1::UpdateExperienceRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("experience.name", req.experience().name(),
                            names::kProfiles, kExperiences));
  // What the mask takes from the request, to check the mask and look the
  // new skills up before the transaction.
  Experience patch;
  CAREERS_RETURN_IF_ERROR(ApplyFieldMask(req.update_mask(), req.experience(),
                                         patch, "update_mask"));
  CAREERS_RETURN_IF_ERROR(CheckSkillsExist(skills_, ctx, patch, "experience"));
  const absl::Time now = clock_.Now();
  CAREERS_ASSIGN_OR_RETURN(
      ExperienceChange change,
      repository_.UpdateExperience(
          ctx, id.parent_id, id.id,
          [&](ExperienceChange& current) -> absl::Status {
            Experience& e = current.experience;
            CAREERS_RETURN_IF_ERROR(CheckEtag(e, req.experience().etag()));
            switch (e.state()) {
              case Experience::VERIFIED:
                return errors::FailedPrecondition(
                    "STATE", e.name(),
                    "is verified and can no longer be changed; void it and "
                    "log it again");
              case Experience::VOIDED:
                return errors::FailedPrecondition(
                    "STATE", e.name(),
                    "is voided and can no longer be changed; log it again");
              case Experience::ATTESTATION_PENDING:
                return errors::FailedPrecondition(
                    "STATE", e.name(),
                    "has an attestation pending and cannot be changed until "
                    "it is decided or expires (or void it and log it again)");
              default:
                break;
            }
            const Experience before = e;
            CAREERS_RETURN_IF_ERROR(ApplyFieldMask(
                req.update_mask(), req.experience(), e, "update_mask"));
            CAREERS_RETURN_IF_ERROR(
                NormalizeAndCheck(ctx, e, "experience", &before));
            *e.mutable_update_time() = ToProtoTimestamp(now);
            return absl::OkStatus();
          }));
  return change.experience;
}

absl::StatusOr<Experience> Experiences::VoidExperience(
    const RequestContext& ctx, const v1::VoidExperienceRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id, names::ParseChildName("name", req.name(),
                                               names::kProfiles, kExperiences));
  const std::string reason = Strip(req.reason());
  FieldViolations v;
  checks::CheckText(v, "reason", reason, {1, 500, /*multiline=*/true});
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const v1::Actor actor = ActorOf(ctx.principal);
  CAREERS_ASSIGN_OR_RETURN(
      ExperienceChange change,
      repository_.UpdateExperience(
          ctx, id.parent_id, id.id,
          [&](ExperienceChange& current) -> absl::Status {
            Experience& e = current.experience;
            CAREERS_RETURN_IF_ERROR(CheckEtag(e, req.etag()));
            if (e.state() == Experience::VOIDED) {
              return errors::FailedPrecondition("STATE", e.name(),
                                                "is already voided");
            }
            // A request pending for it lapses.
            Lapse(current, now, now);
            e.set_state(Experience::VOIDED);
            e.set_void_reason(reason);
            *e.mutable_void_time() = ToProtoTimestamp(now);
            *e.mutable_voided_by() = actor;
            *e.mutable_update_time() = ToProtoTimestamp(now);
            return absl::OkStatus();
          }));
  return change.experience;
}

// ------------------------------------------------------------ attestations

absl::StatusOr<Attestation> Experiences::RequestAttestation(
    const RequestContext& ctx, const v1::RequestAttestationRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId experience_id,
      names::ParseChildName("parent", req.parent(), names::kProfiles,
                            kExperiences));
  Attestation a = req.attestation();
  ClearOutputOnlyFields(a);
  FieldViolations v;
  std::string adviser_id;
  switch (a.attester_case()) {
    case Attestation::kAdviser:
      if (a.adviser().empty()) {
        v.Add("attestation.adviser", "is required");
      } else {
        checks::CheckOptionalName(v, "attestation.adviser", a.adviser(),
                                  names::kAdvisers);
        adviser_id = LastSegment(a.adviser());
      }
      break;
    case Attestation::kReferee: {
      Attestation::Referee& r = *a.mutable_referee();
      r.set_display_name(Strip(r.display_name()));
      r.set_email(Strip(r.email()));
      r.set_organisation_name(Strip(r.organisation_name()));
      checks::CheckText(v, "attestation.referee.display_name", r.display_name(),
                        {1, 200});
      if (r.email().empty()) {
        v.Add("attestation.referee.email", "is required");
      } else if (!checks::IsValidEmail(r.email())) {
        v.Add("attestation.referee.email", "is not an email address");
      }
      checks::CheckText(v, "attestation.referee.organisation_name",
                        r.organisation_name(), {0, 200});
      break;
    }
    case Attestation::ATTESTER_NOT_SET:
      v.Add("attestation",
            "must name an adviser (advisers/{id}) or an outside referee");
      break;
  }
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("RequestAttestation", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  if (!adviser_id.empty()) {
    CAREERS_ASSIGN_OR_RETURN(bool exists,
                             directory_.AdviserExists(ctx, adviser_id));
    if (!exists) {
      return errors::InvalidField("attestation.adviser",
                                  absl::StrCat(a.adviser(), " does not exist"));
    }
  }
  const absl::Time now = clock_.Now();
  const std::string id = NewResourceId(now);
  a.set_name(absl::StrCat(req.parent(), "/", kAttestations, "/", id));
  a.set_state(Attestation::PENDING);
  *a.mutable_requested_by() = ActorOf(ctx.principal);
  *a.mutable_create_time() = ToProtoTimestamp(now);
  std::string token;
  std::string token_hash;
  if (a.has_referee()) {
    *a.mutable_expire_time() = ToProtoTimestamp(now + options_.attestation_ttl);
    token = absl::WebSafeBase64Escape(RandomBytes(kTokenBytes));
    token_hash = Sha256(token);
  }
  Experience asked;  // the experience as the request left it
  const int limit = options_.max_attestation_requests_per_day;
  CAREERS_ASSIGN_OR_RETURN(
      Attestation created,
      repository_.CreateAttestation(
          ctx, experience_id.parent_id, experience_id.id, now - kRateWindow,
          KeyPtr(key),
          [&](const AttestationRequestFacts& facts)
              -> absl::StatusOr<AttestationPlan> {
            const Experience& e = facts.experience;
            if (e.state() == Experience::VERIFIED) {
              return errors::FailedPrecondition("STATE", e.name(),
                                                "is already verified");
            }
            if (e.state() == Experience::VOIDED) {
              return errors::FailedPrecondition("STATE", e.name(), "is voided");
            }
            if (facts.has_pending ||
                e.state() == Experience::ATTESTATION_PENDING) {
              return errors::FailedPrecondition(
                  "STATE", e.name(),
                  "already has an attestation pending; wait for its "
                  "decision or for it to expire");
            }
            if (facts.recent_requests >= limit) {
              return absl::ResourceExhaustedError(
                  absl::StrCat("a profile may request at most ", limit,
                               " attestations in 24 hours; try again later"));
            }
            AttestationPlan plan;
            plan.attestation.attestation = a;
            plan.attestation.token_hash = token_hash;
            plan.attestation.prior_state = e.state();
            plan.experience = e;
            plan.experience.set_state(Experience::ATTESTATION_PENDING);
            *plan.experience.mutable_update_time() = ToProtoTimestamp(now);
            asked = plan.experience;
            return plan;
          }));
  // A retry with the same request_id gets the first response; the referee
  // was told then.
  if (created.name() == a.name() && created.has_referee()) {
    notifier_.RefereeAsked(created, asked, token);
  }
  return created;
}

absl::StatusOr<Attestation> Experiences::GetAttestation(
    const RequestContext& ctx, const v1::GetAttestationRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(AttestationId id,
                           ParseAttestationName("name", req.name()));
  CAREERS_ASSIGN_OR_RETURN(
      StoredAttestation stored,
      repository_.GetAttestation(ctx, id.profile_id, id.experience_id, id.id));
  return stored.attestation;
}

absl::StatusOr<v1::ListAttestationsResponse> Experiences::ListAttestations(
    const RequestContext& ctx, const v1::ListAttestationsRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id, names::ParseChildName("parent", req.parent(),
                                               names::kProfiles, kExperiences));
  AttestationQuery query;
  query.profile_id = id.parent_id;
  query.experience_id = id.id;
  CAREERS_ASSIGN_OR_RETURN(
      query.limit,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListAttestations", req.parent()});
  CAREERS_ASSIGN_OR_RETURN(
      query.before,
      DecodeCreationCursor(page_tokens_, req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<Attestation> page,
                           repository_.ListAttestations(ctx, query));
  v1::ListAttestationsResponse resp;
  for (Attestation& a : page.items) *resp.add_attestations() = std::move(a);
  if (page.has_more && resp.attestations_size() > 0) {
    const Attestation& last = *resp.attestations().rbegin();
    resp.set_next_page_token(EncodeCreationCursor(
        page_tokens_, digest, last.create_time(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<Attestation> Experiences::DecideAttestation(
    const RequestContext& ctx, const v1::DecideAttestationRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(AttestationId id,
                           ParseAttestationName("name", req.name()));
  FieldViolations v;
  if (req.decision() != Attestation::VERIFIED &&
      req.decision() != Attestation::REJECTED) {
    v.Add("decision", "must be VERIFIED or REJECTED");
  }
  const std::string comment = Strip(req.comment());
  checks::CheckText(v, "comment", comment, {0, 2000, /*multiline=*/true});
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const bool with_token = !req.referee_token().empty();

  // The token is checked before anything else about the attestation is
  // told: a wrong one learns nothing, not even whether it exists.
  absl::StatusOr<StoredAttestation> stored =
      repository_.GetAttestation(ctx, id.profile_id, id.experience_id, id.id);
  if (!stored.ok()) {
    if (with_token && absl::IsNotFound(stored.status())) return WrongToken();
    return stored.status();
  }
  const bool referee = stored->attestation.has_referee();
  if (referee) {
    if (!with_token) {
      return errors::InvalidField(
          "referee_token",
          "is required to decide an outside referee's attestation");
    }
    if (!ConstantTimeEquals(Sha256(req.referee_token()), stored->token_hash)) {
      return WrongToken();
    }
  } else if (with_token) {
    return errors::InvalidField(
        "referee_token",
        "is only for outside referees; the adviser asked decides without one");
  }
  const std::string& name = stored->attestation.name();
  auto already_decided = [&name](Attestation::State state) {
    return errors::FailedPrecondition(
        "STATE", name,
        absl::StrCat("is already ", Attestation::State_Name(state),
                     "; a decision is final"));
  };
  if (stored->attestation.state() != Attestation::PENDING) {
    return already_decided(stored->attestation.state());
  }
  const absl::Time now = clock_.Now();
  auto expired = [&name]() {
    return errors::FailedPrecondition(
        "EXPIRED", name, "the referee's link has expired; ask again");
  };
  if (LinkExpired(stored->attestation, now)) {
    // Record the lapse (its own transaction), then refuse.
    const absl::Time expire_time =
        FromProtoTimestamp(stored->attestation.expire_time());
    CAREERS_RETURN_IF_ERROR(
        repository_
            .UpdateAttestation(ctx, id.profile_id, id.experience_id, id.id,
                               [&](ExperienceChange& change) {
                                 Lapse(change, expire_time, now);
                                 return absl::OkStatus();
                               })
            .status());
    return expired();
  }
  const v1::Actor actor = ActorOf(ctx.principal);
  CAREERS_ASSIGN_OR_RETURN(
      ExperienceChange change,
      repository_.UpdateAttestation(
          ctx, id.profile_id, id.experience_id, id.id,
          [&](ExperienceChange& current) -> absl::Status {
            Attestation& a = current.attestation->attestation;
            if (a.state() != Attestation::PENDING) {
              return already_decided(a.state());
            }
            if (LinkExpired(a, now)) return expired();
            Experience& e = current.experience;
            if (e.state() != Experience::ATTESTATION_PENDING) {
              return errors::FailedPrecondition(
                  "STATE", e.name(),
                  absl::StrCat("is ", Experience::State_Name(e.state()),
                               ", not waiting for an attestation"));
            }
            a.set_state(req.decision());
            a.set_comment(comment);
            *a.mutable_decide_time() = ToProtoTimestamp(now);
            *a.mutable_decided_by() = actor;
            if (req.decision() == Attestation::VERIFIED) {
              e.set_state(Experience::VERIFIED);
              e.set_verified_by(a.name());
            } else {
              e.set_state(Experience::REJECTED);
            }
            *e.mutable_update_time() = ToProtoTimestamp(now);
            return absl::OkStatus();
          }));
  return change.attestation->attestation;
}

absl::StatusOr<int> Experiences::ExpireAttestations(const RequestContext& ctx) {
  const absl::Time now = clock_.Now();
  int expired = 0;
  while (true) {
    CAREERS_ASSIGN_OR_RETURN(
        std::vector<std::string> due,
        repository_.ListDueAttestations(ctx, now, kExpireBatch));
    int lapsed_now = 0;
    for (const std::string& name : due) {
      CAREERS_ASSIGN_OR_RETURN(AttestationId id,
                               ParseAttestationName("name", name));
      bool lapsed = false;
      absl::StatusOr<ExperienceChange> change = repository_.UpdateAttestation(
          ctx, id.profile_id, id.experience_id, id.id,
          [&](ExperienceChange& current) {
            lapsed = false;
            if (current.attestation &&
                LinkExpired(current.attestation->attestation, now)) {
              lapsed =
                  Lapse(current,
                        FromProtoTimestamp(
                            current.attestation->attestation.expire_time()),
                        now);
            }
            return absl::OkStatus();
          });
      if (!change.ok() && !absl::IsNotFound(change.status())) {
        return change.status();
      }
      if (change.ok() && lapsed) ++lapsed_now;
    }
    expired += lapsed_now;
    // Stop when the batch was the last, or nothing moved (no endless loop
    // over rows that cannot lapse).
    if (static_cast<int>(due.size()) < kExpireBatch || lapsed_now == 0) break;
  }
  return expired;
}

// ------------------------------------------------------ summary and export

absl::StatusOr<v1::SkillsSummary> Experiences::GetSkillsSummary(
    const RequestContext& ctx, const v1::GetSkillsSummaryRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("profile", req.profile(), names::kProfiles));
  CAREERS_ASSIGN_OR_RETURN(std::vector<SkillTally> tallies,
                           repository_.SummarizeSkills(ctx, profile_id));
  std::vector<std::string> ids;
  ids.reserve(tallies.size());
  for (const SkillTally& t : tallies) ids.push_back(t.skill_id);
  std::map<std::string, v1::Skill> skills;
  if (!ids.empty()) {
    CAREERS_ASSIGN_OR_RETURN(skills, skills_.FindSkills(ctx, ids));
  }
  v1::SkillsSummary summary;
  summary.set_profile(req.profile());
  for (const SkillTally& t : tallies) {
    v1::SkillsSummary::Entry& entry = *summary.add_entries();
    entry.set_skill(names::Name(kSkills, t.skill_id));
    entry.set_label(t.skill_id);
    if (auto it = skills.find(t.skill_id); it != skills.end()) {
      const auto& labels = it->second.labels();
      auto en = std::find_if(labels.begin(), labels.end(), [](const auto& l) {
        return l.language_code() == "en";
      });
      if (en != labels.end()) {
        entry.set_label(en->text());
      } else if (!labels.empty()) {
        entry.set_label(labels.begin()->text());
      }
    }
    entry.set_experience_count(t.experience_count);
    entry.set_total_hours(t.total_hours);
    entry.set_verified_count(t.verified_count);
    entry.set_max_level(t.max_level);
    *entry.mutable_first_evidenced() = FromCivilDay(t.first_evidenced);
    *entry.mutable_last_evidenced() = FromCivilDay(t.last_evidenced);
  }
  std::sort(
      summary.mutable_entries()->begin(), summary.mutable_entries()->end(),
      [](const v1::SkillsSummary::Entry& a, const v1::SkillsSummary::Entry& b) {
        if (a.experience_count() != b.experience_count()) {
          return a.experience_count() > b.experience_count();
        }
        if (a.label() != b.label()) return a.label() < b.label();
        return a.skill() < b.skill();
      });
  return summary;
}

absl::StatusOr<google::api::HttpBody> Experiences::ExportSkillsRecord(
    const RequestContext& ctx, const v1::ExportSkillsRecordRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("profile", req.profile(), names::kProfiles));
  if (req.format() != v1::ExportSkillsRecordRequest::JSON_RESUME &&
      req.format() != v1::ExportSkillsRecordRequest::XAPI) {
    return errors::InvalidField("format", "must be JSON_RESUME or XAPI");
  }
  skills_export::Record record;
  record.service_home_page = options_.service_home_page;
  record.now = clock_.Now();
  CAREERS_ASSIGN_OR_RETURN(record.profile,
                           profiles_.GetProfile(ctx, profile_id));
  ExperienceQuery query;
  query.profile_id = profile_id;
  query.exclude_voided = true;
  query.limit = kExportBatch;
  std::set<std::string> skill_ids;
  std::set<std::string> verifying;
  while (true) {
    CAREERS_ASSIGN_OR_RETURN(Page<Experience> page,
                             repository_.ListExperiences(ctx, query));
    for (Experience& e : page.items) {
      for (const SkillClaim& claim : e.skills()) {
        skill_ids.insert(LastSegment(claim.skill()));
      }
      if (e.state() == Experience::VERIFIED && !e.verified_by().empty()) {
        verifying.insert(e.verified_by());
      }
      record.experiences.push_back(std::move(e));
    }
    if (!page.has_more || record.experiences.empty()) break;
    const Experience& last = record.experiences.back();
    query.after = ExperienceCursor{
        ToCivilDay(last.start_date()).value_or(absl::CivilDay()),
        LastSegment(last.name())};
  }
  if (!skill_ids.empty()) {
    CAREERS_ASSIGN_OR_RETURN(
        auto found,
        skills_.FindSkills(
            ctx, std::vector<std::string>(skill_ids.begin(), skill_ids.end())));
    for (auto& [id, skill] : found) {
      record.skills[names::Name(kSkills, id)] = std::move(skill);
    }
  }
  if (!verifying.empty()) {
    CAREERS_ASSIGN_OR_RETURN(
        std::vector<Attestation> verified,
        repository_.ListVerifiedAttestations(ctx, profile_id));
    for (Attestation& a : verified) {
      if (verifying.count(a.name()) > 0) {
        const std::string name = a.name();
        record.attestations[name] = std::move(a);
      }
    }
  }
  google::api::HttpBody body;
  body.set_content_type("application/json");
  body.set_data(req.format() == v1::ExportSkillsRecordRequest::JSON_RESUME
                    ? skills_export::ToJsonResume(record)
                    : skills_export::ToXapiStatements(record));
  return body;
}

}  // namespace careers::domain
