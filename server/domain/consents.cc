#include "server/domain/consents.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/common/crypto.h"
#include "server/common/ids.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/domain/access_summary.h"
#include "server/domain/errors.h"
#include "server/domain/field_checks.h"
#include "server/domain/filter.h"
#include "server/domain/resource_names.h"
#include "server/domain/standard_methods.h"

namespace careers::domain {
namespace {

using errors::FieldViolations;

constexpr absl::string_view kConsents = "consents";
constexpr absl::string_view kGuardianLinks = "guardianLinks";
constexpr absl::string_view kAccessEvents = "accessEvents";

}  // namespace

v1::Actor ActorOf(const auth::Principal& principal) {
  v1::Actor actor;
  actor.set_subject(principal.subject);
  actor.set_role(std::string(auth::RoleName(principal.role)));
  if (principal.IsStaff()) actor.set_organisation(principal.organisation);
  return actor;
}

bool GuardianLinkInForce(const v1::GuardianLink& link,
                         absl::CivilDay birth_date, absl::CivilDay today) {
  if (link.state() != v1::GuardianLink::ACTIVE) return false;
  const absl::CivilDay sixteenth(birth_date.year() + 16, birth_date.month(),
                                 birth_date.day());
  if (today < sixteenth) return true;
  // From 16 only if the person confirmed the link on or after that birthday.
  return link.has_confirm_time() &&
         absl::ToCivilDay(FromProtoTimestamp(link.confirm_time()),
                          absl::UTCTimeZone()) >= sixteenth;
}

Consents::Consents(ConsentRepository& repository, DirectoryLookup& directory,
                   const Clock& clock, const PageTokenCodec& page_tokens)
    : repository_(repository),
      directory_(directory),
      clock_(clock),
      page_tokens_(page_tokens) {}

absl::CivilDay Consents::Today() const {
  return absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone());
}

v1::GuardianLink Consents::WithEffect(const GuardianLinkRow& row) const {
  v1::GuardianLink link = row.link;
  link.set_effective(GuardianLinkInForce(link, row.person_birth_date, Today()));
  return link;
}

// ---------------------------------------------------------------- consents

absl::StatusOr<v1::Consent> Consents::CreateConsent(
    const RequestContext& ctx, const v1::CreateConsentRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  FieldViolations v;
  v1::Consent consent;
  consent.set_purpose(req.consent().purpose());
  consent.set_organisation(req.consent().organisation());
  checks::CheckEnum(v, "consent.purpose", v1::Consent::Purpose_descriptor(),
                    consent.purpose(), true);
  if (consent.purpose() == v1::Consent::SHARE_WITH_ORGANISATION) {
    if (consent.organisation().empty()) {
      v.Add("consent.organisation",
            "is required to share with an organisation");
    } else {
      checks::CheckOptionalName(v, "consent.organisation",
                                consent.organisation(), names::kOrganisations);
    }
  } else if (!consent.organisation().empty()) {
    v.Add("consent.organisation", "is only for SHARE_WITH_ORGANISATION");
  }
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateConsent", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  if (!consent.organisation().empty()) {
    const std::string org_id =
        consent.organisation().substr(consent.organisation().find('/') + 1);
    CAREERS_ASSIGN_OR_RETURN(bool exists,
                             directory_.OrganisationExists(ctx, org_id));
    if (!exists) {
      return errors::InvalidField(
          "consent.organisation",
          absl::StrCat(consent.organisation(), " does not exist"));
    }
  }
  const absl::Time now = clock_.Now();
  const std::string id = NewResourceId(now);
  consent.set_name(
      names::ChildName(names::kProfiles, profile_id, kConsents, id));
  consent.set_state(v1::Consent::ACTIVE);
  *consent.mutable_grant_time() = ToProtoTimestamp(now);
  *consent.mutable_granted_by() = ActorOf(ctx.principal);
  return repository_.CreateConsent(ctx, profile_id, id, consent,
                                   key ? &*key : nullptr);
}

absl::StatusOr<v1::Consent> Consents::GetConsent(
    const RequestContext& ctx, const v1::GetConsentRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", req.name(), names::kProfiles, kConsents));
  CAREERS_ASSIGN_OR_RETURN(v1::Consent consent,
                           repository_.GetConsent(ctx, id.parent_id, id.id));
  return consent;
}

absl::StatusOr<v1::ListConsentsResponse> Consents::ListConsents(
    const RequestContext& ctx, const v1::ListConsentsRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(
      std::vector<FilterTerm> terms,
      ParseFilter(req.filter(), {"state", "purpose", "organisation"}));
  ConsentQuery query;
  query.profile_id = profile_id;
  query.limit = page_size;
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "state") {
      if (auto value =
              EnumFilterValue(term, v1::Consent::State_descriptor(), v)) {
        query.state = static_cast<v1::Consent::State>(*value);
      }
    } else if (term.field == "purpose") {
      if (auto value =
              EnumFilterValue(term, v1::Consent::Purpose_descriptor(), v)) {
        query.purpose = static_cast<v1::Consent::Purpose>(*value);
      }
    } else {
      query.organisation_id = NameFilterValue(term, names::kOrganisations, v);
    }
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListConsents", req.parent(), req.filter()});
  CAREERS_ASSIGN_OR_RETURN(
      query.before,
      DecodeCreationCursor(page_tokens_, req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<v1::Consent> page,
                           repository_.ListConsents(ctx, query));
  v1::ListConsentsResponse resp;
  for (v1::Consent& c : page.items) *resp.add_consents() = std::move(c);
  if (page.has_more && resp.consents_size() > 0) {
    const v1::Consent& last = *resp.consents().rbegin();
    resp.set_next_page_token(EncodeCreationCursor(
        page_tokens_, digest, last.grant_time(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<v1::Consent> Consents::WithdrawConsent(
    const RequestContext& ctx, const v1::WithdrawConsentRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", req.name(), names::kProfiles, kConsents));
  const absl::Time now = clock_.Now();
  const v1::Actor actor = ActorOf(ctx.principal);
  return repository_.UpdateConsent(
      ctx, id.parent_id, id.id, [&](v1::Consent& consent) -> absl::Status {
        CAREERS_RETURN_IF_ERROR(CheckEtag(consent, req.etag()));
        if (consent.state() != v1::Consent::ACTIVE) {
          return errors::FailedPrecondition("STATE", consent.name(),
                                            "is already withdrawn");
        }
        consent.set_state(v1::Consent::WITHDRAWN);
        *consent.mutable_withdraw_time() = ToProtoTimestamp(now);
        *consent.mutable_withdrawn_by() = actor;
        return absl::OkStatus();
      });
}

// ------------------------------------------------------------ guardian links

absl::StatusOr<v1::GuardianLink> Consents::CreateGuardianLink(
    const RequestContext& ctx, const v1::CreateGuardianLinkRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  FieldViolations v;
  v1::GuardianLink link;
  link.set_guardian_subject(std::string(
      absl::StripAsciiWhitespace(req.guardian_link().guardian_subject())));
  link.set_guardian_display_name(std::string(
      absl::StripAsciiWhitespace(req.guardian_link().guardian_display_name())));
  link.set_relationship(req.guardian_link().relationship());
  checks::CheckText(v, "guardian_link.guardian_subject",
                    link.guardian_subject(), {1, 200});
  checks::CheckText(v, "guardian_link.guardian_display_name",
                    link.guardian_display_name(), {1, 100});
  checks::CheckEnum(v, "guardian_link.relationship",
                    v1::GuardianLink::Relationship_descriptor(),
                    link.relationship(), true);
  const std::optional<IdempotencyKey> key =
      IdempotencyKeyFor("CreateGuardianLink", ctx, req, v);
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const std::string id = NewResourceId(now);
  link.set_name(
      names::ChildName(names::kProfiles, profile_id, kGuardianLinks, id));
  link.set_state(v1::GuardianLink::ACTIVE);
  *link.mutable_create_time() = ToProtoTimestamp(now);
  *link.mutable_created_by() = ActorOf(ctx.principal);
  CAREERS_ASSIGN_OR_RETURN(
      GuardianLinkRow created,
      repository_.CreateGuardianLink(ctx, profile_id, id, link,
                                     key ? &*key : nullptr));
  return WithEffect(created);
}

absl::StatusOr<v1::GuardianLink> Consents::GetGuardianLink(
    const RequestContext& ctx, const v1::GetGuardianLinkRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", req.name(), names::kProfiles,
                            kGuardianLinks));
  CAREERS_ASSIGN_OR_RETURN(GuardianLinkRow row, repository_.GetGuardianLink(
                                                    ctx, id.parent_id, id.id));
  return WithEffect(row);
}

absl::StatusOr<v1::ListGuardianLinksResponse> Consents::ListGuardianLinks(
    const RequestContext& ctx, const v1::ListGuardianLinksRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      std::string profile_id,
      names::ParseName("parent", req.parent(), names::kProfiles));
  CAREERS_ASSIGN_OR_RETURN(
      const int page_size,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  GuardianLinkQuery query;
  query.profile_id = profile_id;
  query.limit = page_size;
  const absl::Time now = clock_.Now();
  const std::string digest =
      PageTokenCodec::QueryDigest({"ListGuardianLinks", req.parent()});
  CAREERS_ASSIGN_OR_RETURN(
      query.before,
      DecodeCreationCursor(page_tokens_, req.page_token(), digest, now));
  CAREERS_ASSIGN_OR_RETURN(Page<GuardianLinkRow> page,
                           repository_.ListGuardianLinks(ctx, query));
  v1::ListGuardianLinksResponse resp;
  for (const GuardianLinkRow& row : page.items)
    *resp.add_guardian_links() = WithEffect(row);
  if (page.has_more && resp.guardian_links_size() > 0) {
    const v1::GuardianLink& last = *resp.guardian_links().rbegin();
    resp.set_next_page_token(EncodeCreationCursor(
        page_tokens_, digest, last.create_time(), last.name(), now));
  }
  return resp;
}

absl::StatusOr<v1::GuardianLink> Consents::EndGuardianLink(
    const RequestContext& ctx, const v1::EndGuardianLinkRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", req.name(), names::kProfiles,
                            kGuardianLinks));
  const absl::Time now = clock_.Now();
  const v1::Actor actor = ActorOf(ctx.principal);
  CAREERS_ASSIGN_OR_RETURN(
      GuardianLinkRow row,
      repository_.UpdateGuardianLink(
          ctx, id.parent_id, id.id,
          [&](GuardianLinkRow& current) -> absl::Status {
            v1::GuardianLink& link = current.link;
            CAREERS_RETURN_IF_ERROR(CheckEtag(link, req.etag()));
            if (link.state() != v1::GuardianLink::ACTIVE) {
              return errors::FailedPrecondition("STATE", link.name(),
                                                "has already ended");
            }
            link.set_state(v1::GuardianLink::ENDED);
            *link.mutable_end_time() = ToProtoTimestamp(now);
            *link.mutable_ended_by() = actor;
            return absl::OkStatus();
          }));
  return WithEffect(row);
}

absl::StatusOr<v1::GuardianLink> Consents::ConfirmGuardianLink(
    const RequestContext& ctx, const v1::ConfirmGuardianLinkRequest& req) {
  CAREERS_ASSIGN_OR_RETURN(
      names::ChildId id,
      names::ParseChildName("name", req.name(), names::kProfiles,
                            kGuardianLinks));
  const absl::Time now = clock_.Now();
  const absl::CivilDay today = Today();
  CAREERS_ASSIGN_OR_RETURN(
      GuardianLinkRow row,
      repository_.UpdateGuardianLink(
          ctx, id.parent_id, id.id,
          [&](GuardianLinkRow& current) -> absl::Status {
            v1::GuardianLink& link = current.link;
            CAREERS_RETURN_IF_ERROR(CheckEtag(link, req.etag()));
            if (link.state() != v1::GuardianLink::ACTIVE) {
              return errors::FailedPrecondition("STATE", link.name(),
                                                "has ended");
            }
            if (YearsBetween(current.person_birth_date, today) < 16) {
              return errors::FailedPrecondition(
                  "AGE", link.name(),
                  "is in force until the person turns 16; confirming is for "
                  "people aged 16 or over");
            }
            *link.mutable_confirm_time() = ToProtoTimestamp(now);
            return absl::OkStatus();
          }));
  return WithEffect(row);
}

// ------------------------------------------------------------- access record

absl::StatusOr<v1::ListAccessEventsResponse> Consents::ListAccessEvents(
    const RequestContext& ctx, const v1::ListAccessEventsRequest& req) {
  AccessEventQuery query;
  if (req.parent() != "profiles/-") {
    CAREERS_ASSIGN_OR_RETURN(
        std::string profile_id,
        names::ParseName("parent", req.parent(), names::kProfiles));
    query.profile_id = profile_id;
  }
  CAREERS_ASSIGN_OR_RETURN(
      query.limit,
      ResolvePageSize(req.page_size(), kDefaultPageSize, kMaxPageSize));
  CAREERS_ASSIGN_OR_RETURN(std::vector<FilterTerm> terms,
                           ParseFilter(req.filter(), {"actor", "action"}));
  FieldViolations v;
  for (const FilterTerm& term : terms) {
    if (term.field == "actor") {
      query.actor_subject = term.value;
    } else if (auto value = EnumFilterValue(
                   term, v1::AccessEvent::Action_descriptor(), v)) {
      query.action = static_cast<v1::AccessEvent::Action>(*value);
    }
  }
  if (!query.profile_id && !query.actor_subject) {
    v.Add("filter",
          "listing across profiles (profiles/-) needs an actor filter");
  }
  CAREERS_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = clock_.Now();
  const std::string digest = PageTokenCodec::QueryDigest(
      {"ListAccessEvents", req.parent(), req.filter()});
  if (!req.page_token().empty()) {
    CAREERS_ASSIGN_OR_RETURN(
        std::vector<std::string> key,
        page_tokens_.Decode(req.page_token(), digest, now));
    if (key.size() != 1)
      return errors::InvalidField("page_token", "is malformed");
    query.before_id = key[0];
  }
  CAREERS_ASSIGN_OR_RETURN(Page<v1::AccessEvent> page,
                           repository_.ListAccessEvents(ctx, query));
  v1::ListAccessEventsResponse resp;
  for (v1::AccessEvent& e : page.items) {
    DescribeAccessEvent(e);
    *resp.add_access_events() = std::move(e);
  }
  if (page.has_more && resp.access_events_size() > 0) {
    const std::string& last = resp.access_events().rbegin()->name();
    resp.set_next_page_token(
        page_tokens_.Encode(digest, {last.substr(last.rfind('/') + 1)}, now));
  }
  return resp;
}

}  // namespace careers::domain
