#include "server/store/consent_store.h"

#include "absl/strings/str_cat.h"
#include "server/domain/errors.h"
#include "server/domain/resource_names.h"
#include "server/store/request_log.h"
#include "server/store/row_helpers.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

using domain::GuardianLinkRow;
using rows::BindOptionalTime;
using rows::EnumOf;
using rows::NullableString;
using rows::NullableTime;
using rows::Row;

constexpr char kConsentType[] = "careers.uk/Consent";
constexpr char kGuardianLinkType[] = "careers.uk/GuardianLink";
constexpr char kProfileType[] = "careers.uk/Profile";

// Actors are stored as (subject, role, organisation id) column triples.
v1::Actor ActorFrom(sql::ResultSet& rs, int first) {
  v1::Actor actor;
  actor.set_subject(NullableString(rs, first));
  actor.set_role(NullableString(rs, first + 1));
  const std::string org = NullableString(rs, first + 2);
  if (!org.empty())
    actor.set_organisation(names::Name(names::kOrganisations, org));
  return actor;
}

void BindActor(Statement& s, const v1::Actor& actor) {
  s.Bind(actor.subject())
      .Bind(actor.role())
      .BindOrNull(rows::IdOf(actor.organisation()));
}

void BindOptionalActor(Statement& s, bool has, const v1::Actor& actor) {
  if (has) {
    BindActor(s, actor);
  } else {
    s.BindNull().BindNull().BindNull();
  }
}


// --------------------------------------------------------------- consents

constexpr char kConsentColumns[] =
    "profile_id, id, purpose, organisation_id, state, grant_time, "
    "granted_by_subject, granted_by_role, granted_by_organisation_id, "
    "withdraw_time, withdrawn_by_subject, withdrawn_by_role, "
    "withdrawn_by_organisation_id, version";

Row<v1::Consent> ConsentFromRow(sql::ResultSet& rs) {
  Row<v1::Consent> row;
  v1::Consent& c = row.value;
  c.set_name(names::ChildName(names::kProfiles, GetString(rs, 1), "consents",
                              GetString(rs, 2)));
  c.set_purpose(EnumOf<v1::Consent::Purpose>(GetString(rs, 3),
                                             v1::Consent::Purpose_Parse));
  const std::string org = NullableString(rs, 4);
  if (!org.empty()) c.set_organisation(names::Name(names::kOrganisations, org));
  c.set_state(
      EnumOf<v1::Consent::State>(GetString(rs, 5), v1::Consent::State_Parse));
  row.create_time = GetTime(rs, 6);
  *c.mutable_grant_time() = ToProtoTimestamp(row.create_time);
  *c.mutable_granted_by() = ActorFrom(rs, 7);
  if (auto t = NullableTime(rs, 10)) {
    *c.mutable_withdraw_time() = ToProtoTimestamp(*t);
    *c.mutable_withdrawn_by() = ActorFrom(rs, 11);
  }
  row.version = GetUint64(rs, 14);
  c.set_etag(MakeEtag(c.name(), row.create_time, row.version));
  return row;
}

// ---------------------------------------------------------- guardian links

constexpr char kLinkColumns[] =
    "l.profile_id, l.id, l.guardian_subject, l.display_name, l.relationship, "
    "l.state, l.create_time, l.created_by_subject, l.created_by_role, "
    "l.created_by_organisation_id, l.confirm_time, l.end_time, "
    "l.ended_by_subject, l.ended_by_role, l.ended_by_organisation_id, "
    "l.version, p.birth_date";
constexpr char kLinkFrom[] =
    " FROM guardian_links l JOIN profiles p ON p.id = l.profile_id";

Row<GuardianLinkRow> LinkFromRow(sql::ResultSet& rs) {
  Row<GuardianLinkRow> row;
  v1::GuardianLink& l = row.value.link;
  l.set_name(names::ChildName(names::kProfiles, GetString(rs, 1),
                              "guardianLinks", GetString(rs, 2)));
  l.set_guardian_subject(GetString(rs, 3));
  l.set_guardian_display_name(GetString(rs, 4));
  l.set_relationship(EnumOf<v1::GuardianLink::Relationship>(
      GetString(rs, 5), v1::GuardianLink::Relationship_Parse));
  l.set_state(EnumOf<v1::GuardianLink::State>(GetString(rs, 6),
                                              v1::GuardianLink::State_Parse));
  row.create_time = GetTime(rs, 7);
  *l.mutable_create_time() = ToProtoTimestamp(row.create_time);
  *l.mutable_created_by() = ActorFrom(rs, 8);
  if (auto t = NullableTime(rs, 11))
    *l.mutable_confirm_time() = ToProtoTimestamp(*t);
  if (auto t = NullableTime(rs, 12)) {
    *l.mutable_end_time() = ToProtoTimestamp(*t);
    *l.mutable_ended_by() = ActorFrom(rs, 13);
  }
  row.version = GetUint64(rs, 16);
  row.value.person_birth_date = GetDay(rs, 17).value_or(absl::CivilDay());
  l.set_etag(MakeEtag(l.name(), row.create_time, row.version));
  return row;
}

// ----------------------------------------------------------- access events

// An event as stored, with the names the listing resolves in the same
// SELECT: the adviser whose subject the actor signed in with (staff only;
// deleted advisers too), the actor's organisation and, for a guardian, the
// name their latest link to the person shows. None of them has a foreign
// key: each is a LEFT JOIN (or a subquery) that may find nothing. The
// adviser is looked up through advisers_by_subject in its own character set
// (ascii), then compared again as stored, so an event subject that is not
// ASCII can never match one whose characters were replaced in conversion.
constexpr char kEventSelect[] =
    "SELECT e.profile_id, e.id, e.time, e.actor_subject, e.actor_role, "
    "e.actor_organisation_id, e.action, e.method, e.resource, e.request_id, "
    "e.reason, a.id, a.display_name, o.display_name, "
    "CASE WHEN e.actor_role = 'guardian' THEN ("
    "SELECT g.display_name FROM guardian_links g "
    "WHERE g.profile_id = e.profile_id AND g.guardian_subject = "
    "e.actor_subject ORDER BY g.create_time DESC, g.id DESC LIMIT 1) END "
    "FROM access_events e "
    "LEFT JOIN advisers a ON e.actor_role IN ('adviser', 'org_admin') "
    "AND a.subject = CONVERT(e.actor_subject USING ascii) COLLATE ascii_bin "
    "AND a.subject = e.actor_subject "
    "LEFT JOIN organisations o ON o.id = e.actor_organisation_id "
    "WHERE TRUE";

Row<v1::AccessEvent> EventFromRow(sql::ResultSet& rs) {
  Row<v1::AccessEvent> row;
  v1::AccessEvent& e = row.value;
  e.set_name(names::ChildName(names::kProfiles, GetString(rs, 1),
                              "accessEvents", GetString(rs, 2)));
  *e.mutable_time() = ToProtoTimestamp(GetTime(rs, 3));
  *e.mutable_actor() = ActorFrom(rs, 4);
  e.set_action(EnumOf<v1::AccessEvent::Action>(GetString(rs, 7),
                                               v1::AccessEvent::Action_Parse));
  e.set_method(GetString(rs, 8));
  e.set_resource(GetString(rs, 9));
  e.set_request_id(GetString(rs, 10));
  e.set_reason(NullableString(rs, 11));
  if (const std::string adviser = NullableString(rs, 12); !adviser.empty()) {
    e.set_adviser(names::Name(names::kAdvisers, adviser));
    e.set_actor_display_name(NullableString(rs, 13));
  }
  e.set_organisation_display_name(NullableString(rs, 14));
  if (e.actor_display_name().empty()) {
    e.set_actor_display_name(NullableString(rs, 15));  // a guardian's
  }
  return row;
}

}  // namespace

// ----------------------------------------------------------------- consents

absl::StatusOr<v1::Consent> ConsentStore::CreateConsent(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const v1::Consent& consent,
    const domain::IdempotencyKey* key) {
  return CreateOnce<v1::Consent>(
      db_, ctx, "CreateConsent", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::Consent> {
        Connection& c = unit.connection();
        if (!rows::LockProfileForChild(c, profile_id)) {
          return errors::NotFound(kProfileType,
                                  names::Name(names::kProfiles, profile_id));
        }
        Statement insert = c.Prepare(
            absl::StrCat("INSERT INTO consents (profile_id, id, purpose, "
                         "organisation_id, state, "
                         "grant_time, granted_by_subject, granted_by_role, "
                         "granted_by_organisation_id) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        insert.Bind(profile_id)
            .Bind(id)
            .Bind(v1::Consent::Purpose_Name(consent.purpose()))
            .BindOrNull(rows::IdOf(consent.organisation()))
            .Bind(v1::Consent::State_Name(consent.state()))
            .Bind(FromProtoTimestamp(consent.grant_time()));
        BindActor(insert, consent.granted_by());
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
          return absl::AlreadyExistsError(absl::StrCat(
              "an active consent for this purpose",
              consent.organisation().empty() ? "" : " and organisation",
              " already exists; withdraw it first to grant again"));
        }
        v1::Consent created = consent;
        created.set_etag(MakeEtag(created.name(),
                                  FromProtoTimestamp(created.grant_time()), 1));
        return created;
      });
}

absl::StatusOr<v1::Consent> ConsentStore::GetConsent(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id) {
  return rows::ReadOne<v1::Consent>(
      db_, ctx, "GetConsent",
      [&](Connection& c) {
        return c
            .Prepare(
                absl::StrCat("SELECT ", kConsentColumns,
                             " FROM consents WHERE profile_id = ? AND id = ?"))
            .Bind(profile_id)
            .Bind(id)
            .Query();
      },
      ConsentFromRow,
      errors::NotFound(
          kConsentType,
          names::ChildName(names::kProfiles, profile_id, "consents", id)));
}

absl::StatusOr<domain::Page<v1::Consent>> ConsentStore::ListConsents(
    const RequestContext& ctx, const domain::ConsentQuery& q) {
  std::string sql = absl::StrCat("SELECT ", kConsentColumns,
                                 " FROM consents WHERE profile_id = ?");
  if (q.state) sql += " AND state = ?";
  if (q.purpose) sql += " AND purpose = ?";
  if (q.organisation_id) sql += " AND organisation_id = ?";
  if (q.before) sql += " AND (grant_time < ? OR (grant_time = ? AND id < ?))";
  sql += " ORDER BY grant_time DESC, id DESC LIMIT ?";
  return rows::ListRows<v1::Consent>(
      db_, ctx, "ListConsents",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        s.Bind(q.profile_id);
        if (q.state) s.Bind(v1::Consent::State_Name(*q.state));
        if (q.purpose) s.Bind(v1::Consent::Purpose_Name(*q.purpose));
        if (q.organisation_id) s.Bind(*q.organisation_id);
        if (q.before) {
          s.Bind(q.before->create_time)
              .Bind(q.before->create_time)
              .Bind(q.before->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      ConsentFromRow, q.limit);
}

absl::StatusOr<v1::Consent> ConsentStore::UpdateConsent(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const domain::Mutation<v1::Consent>& mutate) {
  return rows::UpdateOne<v1::Consent>(
      db_, ctx, "UpdateConsent",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat(
                "SELECT ", kConsentColumns,
                " FROM consents WHERE profile_id = ? AND id = ? FOR UPDATE"))
            .Bind(profile_id)
            .Bind(id)
            .Query();
      },
      ConsentFromRow, rows::WithoutConnection<v1::Consent>(mutate),
      [&](UnitOfWork& unit, const v1::Consent& consent) {
        Connection& c = unit.connection();
        Statement update = c.Prepare(
            "UPDATE consents SET state = ?, withdraw_time = ?, "
            "withdrawn_by_subject = ?, "
            "withdrawn_by_role = ?, withdrawn_by_organisation_id = ?, "
            "version = version + 1 WHERE profile_id = ? AND id = ?");
        update.Bind(v1::Consent::State_Name(consent.state()));
        BindOptionalTime(update, consent.has_withdraw_time(),
                         consent.withdraw_time());
        BindOptionalActor(update, consent.has_withdrawn_by(),
                          consent.withdrawn_by());
        update.Bind(profile_id).Bind(id).Execute();
        return absl::OkStatus();
      },
      errors::NotFound(
          kConsentType,
          names::ChildName(names::kProfiles, profile_id, "consents", id)));
}

// ----------------------------------------------------------- guardian links

absl::StatusOr<GuardianLinkRow> ConsentStore::CreateGuardianLink(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const v1::GuardianLink& link,
    const domain::IdempotencyKey* key) {
  // The birth date travels outside the stored response (it is not part of
  // the resource), so a replay reads it again.
  absl::CivilDay birth_date;
  bool inserted = false;
  absl::StatusOr<v1::GuardianLink> created = CreateOnce<v1::GuardianLink>(
      db_, ctx, "CreateGuardianLink", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::GuardianLink> {
        Connection& c = unit.connection();
        const std::optional<absl::CivilDay> born =
            rows::LockProfileForChild(c, profile_id);
        if (!born) {
          return errors::NotFound(kProfileType,
                                  names::Name(names::kProfiles, profile_id));
        }
        birth_date = *born;
        Statement insert = c.Prepare(
            "INSERT INTO guardian_links (profile_id, id, guardian_subject, "
            "display_name, "
            "relationship, state, create_time, created_by_subject, "
            "created_by_role, "
            "created_by_organisation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?)");
        insert.Bind(profile_id)
            .Bind(id)
            .Bind(link.guardian_subject())
            .Bind(link.guardian_display_name())
            .Bind(v1::GuardianLink::Relationship_Name(link.relationship()))
            .Bind(v1::GuardianLink::State_Name(link.state()))
            .Bind(FromProtoTimestamp(link.create_time()));
        BindActor(insert, link.created_by());
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
          return absl::AlreadyExistsError(
              "this guardian already has an active link to the person");
        }
        inserted = true;
        v1::GuardianLink out = link;
        out.set_etag(
            MakeEtag(out.name(), FromProtoTimestamp(out.create_time()), 1));
        return out;
      });
  if (!created.ok()) return created.status();
  if (!inserted) {  // a replayed request: read the link as it is
    const std::string replayed_id = rows::IdOf(created->name());
    return GetGuardianLink(ctx, profile_id, replayed_id);
  }
  return GuardianLinkRow{*created, birth_date};
}

absl::StatusOr<GuardianLinkRow> ConsentStore::GetGuardianLink(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id) {
  return rows::ReadOne<GuardianLinkRow>(
      db_, ctx, "GetGuardianLink",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kLinkColumns, kLinkFrom,
                                  " WHERE l.profile_id = ? AND l.id = ?"))
            .Bind(profile_id)
            .Bind(id)
            .Query();
      },
      LinkFromRow,
      errors::NotFound(
          kGuardianLinkType,
          names::ChildName(names::kProfiles, profile_id, "guardianLinks", id)));
}

absl::StatusOr<domain::Page<GuardianLinkRow>> ConsentStore::ListGuardianLinks(
    const RequestContext& ctx, const domain::GuardianLinkQuery& q) {
  std::string sql = absl::StrCat("SELECT ", kLinkColumns, kLinkFrom,
                                 " WHERE l.profile_id = ?");
  if (q.before)
    sql += " AND (l.create_time < ? OR (l.create_time = ? AND l.id < ?))";
  sql += " ORDER BY l.create_time DESC, l.id DESC LIMIT ?";
  return rows::ListRows<GuardianLinkRow>(
      db_, ctx, "ListGuardianLinks",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        s.Bind(q.profile_id);
        if (q.before) {
          s.Bind(q.before->create_time)
              .Bind(q.before->create_time)
              .Bind(q.before->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      LinkFromRow, q.limit);
}

absl::StatusOr<GuardianLinkRow> ConsentStore::UpdateGuardianLink(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const domain::Mutation<GuardianLinkRow>& mutate) {
  GuardianLinkRow result;
  absl::Status status = Write(
      db_, ctx, "UpdateGuardianLink", [&](UnitOfWork& unit) -> absl::Status {
        Connection& c = unit.connection();
        std::optional<Row<GuardianLinkRow>> row;
        {
          auto rs =
              c.Prepare(absl::StrCat("SELECT ", kLinkColumns, kLinkFrom,
                                     " WHERE l.profile_id = ? AND l.id = ? "
                                     "FOR UPDATE"))
                  .Bind(profile_id)
                  .Bind(id)
                  .Query();
          if (rs->next()) row = LinkFromRow(*rs);
        }
        if (!row) {
          return errors::NotFound(kGuardianLinkType,
                                  names::ChildName(names::kProfiles, profile_id,
                                                   "guardianLinks", id));
        }
        GuardianLinkRow updated = row->value;
        if (absl::Status s = mutate(updated); !s.ok()) return s;
        const v1::GuardianLink& l = updated.link;
        Statement update = c.Prepare(
            "UPDATE guardian_links SET state = ?, confirm_time = ?, end_time = "
            "?, "
            "ended_by_subject = ?, ended_by_role = ?, ended_by_organisation_id "
            "= ?, "
            "version = version + 1 WHERE profile_id = ? AND id = ?");
        update.Bind(v1::GuardianLink::State_Name(l.state()));
        BindOptionalTime(update, l.has_confirm_time(), l.confirm_time());
        BindOptionalTime(update, l.has_end_time(), l.end_time());
        BindOptionalActor(update, l.has_ended_by(), l.ended_by());
        update.Bind(profile_id).Bind(id).Execute();
        updated.link.set_name(row->value.link.name());
        unit.Updated(row->value.link, updated.link);
        updated.link.set_etag(
            MakeEtag(updated.link.name(), row->create_time, row->version + 1));
        result = std::move(updated);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

// ------------------------------------------------------------ access events

absl::StatusOr<domain::Page<v1::AccessEvent>> ConsentStore::ListAccessEvents(
    const RequestContext& ctx, const domain::AccessEventQuery& q) {
  // By (profile_id, id), the primary key, or (actor_subject, id),
  // access_events_by_actor; the joins are one unique-key lookup per row.
  std::string sql = kEventSelect;
  if (q.profile_id) sql += " AND e.profile_id = ?";
  if (q.actor_subject) sql += " AND e.actor_subject = ?";
  if (q.action) sql += " AND e.action = ?";
  if (q.before_id) sql += " AND e.id < ?";
  sql += " ORDER BY e.id DESC LIMIT ?";
  return rows::ListRows<v1::AccessEvent>(
      db_, ctx, "ListAccessEvents",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        if (q.profile_id) s.Bind(*q.profile_id);
        if (q.actor_subject) s.Bind(*q.actor_subject);
        if (q.action) s.Bind(v1::AccessEvent::Action_Name(*q.action));
        if (q.before_id) s.Bind(*q.before_id);
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      EventFromRow, q.limit);
}

// ------------------------------------------------------------- access facts

absl::StatusOr<bool> ConsentStore::IsSharedWith(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& organisation_id) {
  bool shared = false;
  absl::Status status =
      db_.Read("IsSharedWith", ctx.deadline, [&](Connection& c) {
        shared = c.Prepare(
                      "SELECT 1 FROM consents WHERE profile_id = ? AND "
                      "active_key = ?")
                     .Bind(profile_id)
                     .Bind(rows::ShareKey(organisation_id))
                     .Query()
                     ->next();
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return shared;
}

absl::StatusOr<bool> ConsentStore::IsGuardianOf(const RequestContext& ctx,
                                                const std::string& profile_id,
                                                const std::string& subject) {
  std::optional<GuardianLinkRow> link;
  absl::Status status =
      db_.Read("IsGuardianOf", ctx.deadline, [&](Connection& c) {
        auto rs =
            c.Prepare(absl::StrCat(
                          "SELECT ", kLinkColumns, kLinkFrom,
                          " WHERE l.profile_id = ? AND l.active_subject = ?"))
                .Bind(profile_id)
                .Bind(subject)
                .Query();
        if (rs->next()) link = LinkFromRow(*rs).value;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return link.has_value() &&
         domain::GuardianLinkInForce(
             link->link, link->person_birth_date,
             absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone()));
}

absl::StatusOr<bool> ConsentStore::IsUnder16(const RequestContext& ctx,
                                             const std::string& profile_id) {
  std::optional<absl::CivilDay> birth;
  absl::Status status = db_.Read("IsUnder16", ctx.deadline, [&](Connection& c) {
    auto rs = c.Prepare("SELECT birth_date FROM profiles WHERE id = ?")
                  .Bind(profile_id)
                  .Query();
    if (rs->next()) birth = GetDay(*rs, 1);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return birth.has_value() &&
         YearsBetween(*birth,
                      absl::ToCivilDay(clock_.Now(), absl::UTCTimeZone())) < 16;
}

absl::StatusOr<std::optional<std::string>> ConsentStore::GuardianOfLink(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& link_id) {
  std::optional<std::string> subject;
  absl::Status status =
      db_.Read("GuardianOfLink", ctx.deadline, [&](Connection& c) {
        auto rs = c.Prepare(
                       "SELECT guardian_subject FROM guardian_links WHERE "
                       "profile_id = ? AND id = ?")
                      .Bind(profile_id)
                      .Bind(link_id)
                      .Query();
        if (rs->next()) subject = GetString(*rs, 1);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return subject;
}

}  // namespace careers::store
