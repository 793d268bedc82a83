#include "server/store/experience_store.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/common/proto_time.h"
#include "server/domain/errors.h"
#include "server/domain/etag.h"
#include "server/domain/resource_names.h"
#include "server/store/request_log.h"
#include "server/store/row_helpers.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

using domain::ExperienceChange;
using domain::Page;
using domain::StoredAttestation;
using google::protobuf::util::MessageDifferencer;
using rows::DataError;
using rows::DetailsOf;
using rows::ParseDetails;
using rows::EnumOf;
using rows::NullableString;
using rows::Row;
using v1::Attestation;
using v1::Experience;

constexpr char kExperienceType[] = "careers.uk/Experience";
constexpr char kAttestationType[] = "careers.uk/Attestation";
constexpr char kProfileType[] = "careers.uk/Profile";
constexpr absl::string_view kExperiences = "experiences";
constexpr absl::string_view kAttestations = "attestations";

std::string ExperienceName(const std::string& profile_id,
                           const std::string& id) {
  return names::ChildName(names::kProfiles, profile_id, kExperiences, id);
}

std::string AttestationName(const std::string& profile_id,
                            const std::string& experience_id,
                            const std::string& id) {
  return absl::StrCat(ExperienceName(profile_id, experience_id), "/",
                      kAttestations, "/", id);
}



bool SameContent(const google::protobuf::Message& a,
                 const google::protobuf::Message& b) {
  return MessageDifferencer::Equals(a, b);
}

bool SameSkills(const Experience& a, const Experience& b) {
  if (a.skills_size() != b.skills_size()) return false;
  for (int i = 0; i < a.skills_size(); ++i) {
    if (!SameContent(a.skills(i), b.skills(i))) return false;
  }
  return true;
}

// ------------------------------------------------------------ experiences

constexpr char kExperienceColumns[] = "details, version, create_time";

Row<Experience> ExperienceFromRow(sql::ResultSet& rs) {
  Row<Experience> row;
  ParseDetails(rs, 1, row.value);
  row.version = GetUint64(rs, 2);
  row.create_time = GetTime(rs, 3);
  row.value.set_etag(MakeEtag(row.value.name(), row.create_time, row.version));
  return row;
}

std::string HoursText(double hours) { return absl::StrFormat("%.2f", hours); }

// Binds kind, state, start_date, end_date, hours, details.
void BindExperienceColumns(Statement& s, const Experience& e) {
  s.Bind(v1::ExperienceKind_Name(e.kind()))
      .Bind(Experience::State_Name(e.state()))
      .Bind(ToCivilDay(e.start_date()).value_or(absl::CivilDay()))
      .BindOrNull(rows::DayOf(e.has_end_date(), e.end_date()))
      .Bind(HoursText(e.hours()))
      .Bind(DetailsOf(e));
}

// Replaces the experience's rows in experience_skills with its claims.
void WriteSkills(Connection& c, const std::string& profile_id,
                 const std::string& id, const Experience& e,
                 bool replace_existing) {
  if (replace_existing) {
    c.Prepare(
         "DELETE FROM experience_skills WHERE profile_id = ? AND "
         "experience_id = ?")
        .Bind(profile_id)
        .Bind(id)
        .Execute();
  }
  if (e.skills_size() == 0) return;
  std::string sql =
      "INSERT INTO experience_skills (profile_id, experience_id, skill_id, "
      "level, source) VALUES ";
  for (int i = 0; i < e.skills_size(); ++i) {
    absl::StrAppend(&sql, i ? ", " : "", "(?, ?, ?, ?, ?)");
  }
  Statement s = c.Prepare(sql);
  for (const v1::SkillClaim& claim : e.skills()) {
    s.Bind(profile_id)
        .Bind(id)
        .Bind(rows::IdOf(claim.skill()))
        .Bind(claim.level())
        .Bind(v1::SkillSource_Name(claim.source()));
  }
  s.Execute();
}

void UpdateExperienceRow(Connection& c, const std::string& profile_id,
                         const std::string& id, const Experience& e) {
  Statement s = c.Prepare(
      "UPDATE experiences SET kind = ?, state = ?, start_date = ?, end_date "
      "= ?, hours = ?, details = ?, version = version + 1, update_time = ? "
      "WHERE profile_id = ? AND id = ?");
  BindExperienceColumns(s, e);
  s.Bind(FromProtoTimestamp(e.update_time())).Bind(profile_id).Bind(id);
  s.Execute();
}

// ----------------------------------------------------------- attestations

constexpr char kAttestationColumns[] =
    "token_hash, prior_state, details, version, create_time";

Row<StoredAttestation> AttestationFromRow(sql::ResultSet& rs) {
  Row<StoredAttestation> row;
  row.value.token_hash = NullableString(rs, 1);
  row.value.prior_state =
      EnumOf<Experience::State>(GetString(rs, 2), Experience::State_Parse);
  ParseDetails(rs, 3, row.value.attestation);
  row.version = GetUint64(rs, 4);
  row.create_time = GetTime(rs, 5);
  row.value.attestation.set_etag(
      MakeEtag(row.value.attestation.name(), row.create_time, row.version));
  return row;
}

Row<Attestation> PlainAttestationFromRow(sql::ResultSet& rs) {
  Row<StoredAttestation> stored = AttestationFromRow(rs);
  return Row<Attestation>{std::move(stored.value.attestation), stored.version,
                          stored.create_time};
}

// When an attestation last changed: its decision, or lapse, or creation.
absl::Time ChangeTime(const Attestation& a) {
  if (a.has_decide_time()) return FromProtoTimestamp(a.decide_time());
  if (a.state() == Attestation::EXPIRED && a.has_expire_time()) {
    return std::max(FromProtoTimestamp(a.create_time()),
                    FromProtoTimestamp(a.expire_time()));
  }
  return FromProtoTimestamp(a.create_time());
}

void UpdateAttestationRow(Connection& c, const std::string& profile_id,
                          const std::string& experience_id,
                          const std::string& id, const Attestation& a) {
  Statement s = c.Prepare(
      "UPDATE attestations SET state = ?, expire_time = ?, details = ?, "
      "version = version + 1, update_time = ? WHERE profile_id = ? AND "
      "experience_id = ? AND id = ?");
  s.Bind(Attestation::State_Name(a.state()));
  if (a.has_expire_time()) {
    s.Bind(FromProtoTimestamp(a.expire_time()));
  } else {
    s.BindNull();
  }
  s.Bind(DetailsOf(a))
      .Bind(ChangeTime(a))
      .Bind(profile_id)
      .Bind(experience_id)
      .Bind(id)
      .Execute();
}

std::unique_ptr<sql::ResultSet> LockExperience(Connection& c,
                                               const std::string& profile_id,
                                               const std::string& id) {
  return c
      .Prepare(absl::StrCat("SELECT ", kExperienceColumns,
                            " FROM experiences WHERE profile_id = ? AND id = "
                            "? FOR UPDATE"))
      .Bind(profile_id)
      .Bind(id)
      .Query();
}

}  // namespace

// ------------------------------------------------------------ experiences

absl::StatusOr<Experience> ExperienceStore::CreateExperience(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const Experience& experience,
    const domain::IdempotencyKey* key) {
  return CreateOnce<Experience>(
      db_, ctx, "CreateExperience", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<Experience> {
        Connection& c = unit.connection();
        if (!rows::LockProfileForChild(c, profile_id)) {
          return errors::NotFound(kProfileType,
                                  names::Name(names::kProfiles, profile_id));
        }
        Experience created = experience;
        created.set_name(ExperienceName(profile_id, id));
        created.clear_etag();
        const absl::Time create = FromProtoTimestamp(created.create_time());
        Statement insert = c.Prepare(
            "INSERT INTO experiences (profile_id, id, kind, state, "
            "start_date, end_date, hours, details, version, create_time, "
            "update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
        insert.Bind(profile_id).Bind(id);
        BindExperienceColumns(insert, created);
        insert.Bind(create).Bind(FromProtoTimestamp(created.update_time()));
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
          return absl::AlreadyExistsError(
              absl::StrCat(created.name(), " already exists"));
        }
        WriteSkills(c, profile_id, id, created, /*replace_existing=*/false);
        created.set_etag(MakeEtag(created.name(), create, 1));
        return created;
      });
}

absl::StatusOr<Experience> ExperienceStore::GetExperience(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id) {
  return rows::ReadOne<Experience>(
      db_, ctx, "GetExperience",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat(
                "SELECT ", kExperienceColumns,
                " FROM experiences WHERE profile_id = ? AND id = ?"))
            .Bind(profile_id)
            .Bind(id)
            .Query();
      },
      ExperienceFromRow,
      errors::NotFound(kExperienceType, ExperienceName(profile_id, id)));
}

absl::StatusOr<Page<Experience>> ExperienceStore::ListExperiences(
    const RequestContext& ctx, const domain::ExperienceQuery& q) {
  std::string sql = absl::StrCat("SELECT e.details, e.version, e.create_time ",
                                 "FROM experiences e WHERE e.profile_id = ?");
  if (q.kind) sql += " AND e.kind = ?";
  if (q.state) sql += " AND e.state = ?";
  if (q.exclude_voided) sql += " AND e.state <> 'VOIDED'";
  if (q.skill_id) {
    sql +=
        " AND EXISTS (SELECT 1 FROM experience_skills s WHERE s.profile_id = "
        "e.profile_id AND s.experience_id = e.id AND s.skill_id = ?)";
  }
  if (q.start_from) sql += " AND e.start_date >= ?";
  if (q.start_to) sql += " AND e.start_date <= ?";
  if (q.after) {
    sql += " AND (e.start_date < ? OR (e.start_date = ? AND e.id < ?))";
  }
  sql += " ORDER BY e.start_date DESC, e.id DESC LIMIT ?";
  return rows::ListRows<Experience>(
      db_, ctx, "ListExperiences",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        s.Bind(q.profile_id);
        if (q.kind) s.Bind(v1::ExperienceKind_Name(*q.kind));
        if (q.state) s.Bind(Experience::State_Name(*q.state));
        if (q.skill_id) s.Bind(*q.skill_id);
        if (q.start_from) s.Bind(*q.start_from);
        if (q.start_to) s.Bind(*q.start_to);
        if (q.after) {
          s.Bind(q.after->start_date)
              .Bind(q.after->start_date)
              .Bind(q.after->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      ExperienceFromRow, q.limit);
}

absl::StatusOr<ExperienceChange> ExperienceStore::Change(
    const RequestContext& ctx, absl::string_view what,
    const std::string& profile_id, const std::string& experience_id,
    const std::optional<std::string>& attestation_id,
    const domain::Mutation<ExperienceChange>& mutate) {
  ExperienceChange result;
  absl::Status status =
      Write(db_, ctx, what, [&](UnitOfWork& unit) -> absl::Status {
        Connection& c = unit.connection();
        std::optional<Row<Experience>> experience;
        {
          auto rs = LockExperience(c, profile_id, experience_id);
          if (rs->next()) experience = ExperienceFromRow(*rs);
        }
        if (!experience) {
          return errors::NotFound(kExperienceType,
                                  ExperienceName(profile_id, experience_id));
        }
        std::optional<Row<StoredAttestation>> attestation;
        {
          std::unique_ptr<sql::ResultSet> rs;
          if (attestation_id) {
            rs = c.Prepare(absl::StrCat("SELECT ", kAttestationColumns,
                                        " FROM attestations WHERE profile_id "
                                        "= ? AND experience_id = ? AND id = ? "
                                        "FOR UPDATE"))
                     .Bind(profile_id)
                     .Bind(experience_id)
                     .Bind(*attestation_id)
                     .Query();
          } else {
            rs = c.Prepare(absl::StrCat(
                               "SELECT ", kAttestationColumns,
                               " FROM attestations WHERE profile_id = ? AND "
                               "experience_id = ? AND state = 'PENDING' "
                               "ORDER BY create_time DESC, id DESC LIMIT 1 "
                               "FOR UPDATE"))
                     .Bind(profile_id)
                     .Bind(experience_id)
                     .Query();
          }
          if (rs->next()) attestation = AttestationFromRow(*rs);
        }
        if (attestation_id && !attestation) {
          return errors::NotFound(
              kAttestationType,
              AttestationName(profile_id, experience_id, *attestation_id));
        }

        ExperienceChange change;
        change.experience = experience->value;
        if (attestation) change.attestation = attestation->value;
        if (absl::Status s = mutate(change); !s.ok()) return s;

        // Names and what only the store keeps do not change.
        Experience& e = change.experience;
        e.set_name(experience->value.name());
        e.set_etag(experience->value.etag());
        if (!SameContent(e, experience->value)) {
          UpdateExperienceRow(c, profile_id, experience_id, e);
          if (!SameSkills(e, experience->value)) {
            WriteSkills(c, profile_id, experience_id, e,
                        /*replace_existing=*/true);
          }
          unit.Updated(experience->value, e);
          e.set_etag(MakeEtag(e.name(), experience->create_time,
                              experience->version + 1));
        }
        if (attestation) {
          if (!change.attestation) {
            return absl::InternalError("an attestation must not be dropped");
          }
          StoredAttestation& after = *change.attestation;
          const StoredAttestation& before = attestation->value;
          after.token_hash = before.token_hash;
          after.prior_state = before.prior_state;
          Attestation& a = after.attestation;
          a.set_name(before.attestation.name());
          a.set_etag(before.attestation.etag());
          if (!SameContent(a, before.attestation)) {
            UpdateAttestationRow(c, profile_id, experience_id,
                                 rows::IdOf(a.name()), a);
            unit.Updated(before.attestation, a);
            a.set_etag(MakeEtag(a.name(), attestation->create_time,
                                attestation->version + 1));
          }
        }
        result = std::move(change);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<ExperienceChange> ExperienceStore::UpdateExperience(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const domain::Mutation<ExperienceChange>& mutate) {
  return Change(ctx, "UpdateExperience", profile_id, id, std::nullopt, mutate);
}

// ----------------------------------------------------------- attestations

absl::StatusOr<Attestation> ExperienceStore::CreateAttestation(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& experience_id, absl::Time since,
    const domain::IdempotencyKey* key,
    const domain::AttestationDecision& decide) {
  return CreateOnce<Attestation>(
      db_, ctx, "CreateAttestation", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<Attestation> {
        Connection& c = unit.connection();
        {
          auto rs = c.Prepare("SELECT id FROM profiles WHERE id = ? FOR UPDATE")
                        .Bind(profile_id)
                        .Query();
          if (!rs->next()) {
            return errors::NotFound(kProfileType,
                                    names::Name(names::kProfiles, profile_id));
          }
        }
        domain::AttestationRequestFacts facts;
        std::optional<Row<Experience>> experience;
        {
          auto rs = LockExperience(c, profile_id, experience_id);
          if (rs->next()) experience = ExperienceFromRow(*rs);
        }
        if (!experience) {
          return errors::NotFound(kExperienceType,
                                  ExperienceName(profile_id, experience_id));
        }
        facts.experience = experience->value;
        {
          auto rs = c.Prepare(
                         "SELECT COUNT(*) FROM attestations WHERE profile_id "
                         "= ? AND experience_id = ? AND state = 'PENDING'")
                        .Bind(profile_id)
                        .Bind(experience_id)
                        .Query();
          facts.has_pending = rs->next() && rs->getInt(1) > 0;
        }
        {
          auto rs = c.Prepare(
                         "SELECT COUNT(*) FROM attestations WHERE profile_id "
                         "= ? AND create_time > ?")
                        .Bind(profile_id)
                        .Bind(since)
                        .Query();
          facts.recent_requests = rs->next() ? rs->getInt(1) : 0;
        }
        absl::StatusOr<domain::AttestationPlan> plan = decide(facts);
        if (!plan.ok()) return plan.status();

        Attestation created = plan->attestation.attestation;
        const std::string id = rows::IdOf(created.name());
        created.set_name(AttestationName(profile_id, experience_id, id));
        created.clear_etag();
        const absl::Time create = FromProtoTimestamp(created.create_time());
        Statement insert = c.Prepare(
            "INSERT INTO attestations (profile_id, experience_id, id, "
            "adviser_id, token_hash, state, prior_state, expire_time, "
            "details, version, create_time, update_time) VALUES (?, ?, ?, ?, "
            "?, ?, ?, ?, ?, 1, ?, ?)");
        insert.Bind(profile_id)
            .Bind(experience_id)
            .Bind(id)
            .BindOrNull(rows::IdOf(created.adviser()))
            .BindOrNull(plan->attestation.token_hash)
            .Bind(Attestation::State_Name(created.state()))
            .Bind(Experience::State_Name(plan->attestation.prior_state));
        if (created.has_expire_time()) {
          insert.Bind(FromProtoTimestamp(created.expire_time()));
        } else {
          insert.BindNull();
        }
        insert.Bind(DetailsOf(created)).Bind(create).Bind(create);
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() == mysql_errors::kDuplicateKey) {
            return absl::AlreadyExistsError(
                absl::StrCat(created.name(), " already exists"));
          }
          if (e.getErrorCode() == mysql_errors::kNoReferencedRow) {
            return errors::FailedPrecondition(
                "NOT_FOUND", created.name(),
                "asks an adviser that does not exist");
          }
          throw;
        }

        Experience e = plan->experience;
        e.set_name(experience->value.name());
        e.set_etag(experience->value.etag());
        if (!SameContent(e, experience->value)) {
          UpdateExperienceRow(c, profile_id, experience_id, e);
          if (!SameSkills(e, experience->value)) {
            WriteSkills(c, profile_id, experience_id, e,
                        /*replace_existing=*/true);
          }
          unit.Updated(experience->value, e);
        }
        created.set_etag(MakeEtag(created.name(), create, 1));
        return created;
      });
}

absl::StatusOr<StoredAttestation> ExperienceStore::GetAttestation(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& experience_id, const std::string& id) {
  return rows::ReadOne<StoredAttestation>(
      db_, ctx, "GetAttestation",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kAttestationColumns,
                                  " FROM attestations WHERE profile_id = ? "
                                  "AND experience_id = ? AND id = ?"))
            .Bind(profile_id)
            .Bind(experience_id)
            .Bind(id)
            .Query();
      },
      AttestationFromRow,
      errors::NotFound(kAttestationType,
                       AttestationName(profile_id, experience_id, id)));
}

absl::StatusOr<Page<Attestation>> ExperienceStore::ListAttestations(
    const RequestContext& ctx, const domain::AttestationQuery& q) {
  std::string sql = absl::StrCat("SELECT ", kAttestationColumns,
                                 " FROM attestations WHERE profile_id = ? AND "
                                 "experience_id = ?");
  if (q.before) sql += " AND (create_time < ? OR (create_time = ? AND id < ?))";
  sql += " ORDER BY create_time DESC, id DESC LIMIT ?";
  return rows::ListRows<Attestation>(
      db_, ctx, "ListAttestations",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        s.Bind(q.profile_id).Bind(q.experience_id);
        if (q.before) {
          s.Bind(q.before->create_time)
              .Bind(q.before->create_time)
              .Bind(q.before->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      PlainAttestationFromRow, q.limit);
}

absl::StatusOr<std::vector<Attestation>>
ExperienceStore::ListVerifiedAttestations(const RequestContext& ctx,
                                          const std::string& profile_id) {
  std::vector<Attestation> out;
  absl::Status status =
      db_.Read("ListVerifiedAttestations", ctx.deadline, [&](Connection& c) {
        out.clear();
        auto rs = c.Prepare(absl::StrCat("SELECT ", kAttestationColumns,
                                         " FROM attestations WHERE "
                                         "profile_id = ? AND state = "
                                         "'VERIFIED' ORDER BY create_time, id"))
                      .Bind(profile_id)
                      .Query();
        while (rs->next()) out.push_back(PlainAttestationFromRow(*rs).value);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return out;
}

absl::StatusOr<ExperienceChange> ExperienceStore::UpdateAttestation(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& experience_id, const std::string& id,
    const domain::Mutation<ExperienceChange>& mutate) {
  return Change(ctx, "UpdateAttestation", profile_id, experience_id, id,
                mutate);
}

absl::StatusOr<std::vector<std::string>> ExperienceStore::ListDueAttestations(
    const RequestContext& ctx, absl::Time now, int limit) {
  std::vector<std::string> due;
  absl::Status status =
      db_.Read("ListDueAttestations", ctx.deadline, [&](Connection& c) {
        due.clear();
        auto rs = c.Prepare(
                       "SELECT profile_id, experience_id, id FROM "
                       "attestations WHERE state = 'PENDING' AND expire_time "
                       "<= ? ORDER BY expire_time, id LIMIT ?")
                      .Bind(now)
                      .Bind(static_cast<int64_t>(limit))
                      .Query();
        while (rs->next()) {
          due.push_back(AttestationName(GetString(*rs, 1), GetString(*rs, 2),
                                        GetString(*rs, 3)));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return due;
}

// ---------------------------------------------------------------- summary

absl::StatusOr<std::vector<domain::SkillTally>>
ExperienceStore::SummarizeSkills(const RequestContext& ctx,
                                 const std::string& profile_id) {
  std::vector<domain::SkillTally> tallies;
  bool profile_exists = true;
  absl::Status status =
      db_.Read("SummarizeSkills", ctx.deadline, [&](Connection& c) {
        tallies.clear();
        {
          auto rs =
              c.Prepare(
                   "SELECT s.skill_id, COUNT(*), SUM(e.hours), "
                   "SUM(e.state = 'VERIFIED'), MAX(s.level), "
                   "MIN(e.start_date), "
                   "MAX(COALESCE(e.end_date, e.start_date)) "
                   "FROM experience_skills s JOIN experiences e "
                   "ON e.profile_id = s.profile_id AND e.id = s.experience_id "
                   "WHERE s.profile_id = ? AND e.state <> 'VOIDED' "
                   "GROUP BY s.skill_id ORDER BY COUNT(*) DESC, s.skill_id")
                  .Bind(profile_id)
                  .Query();
          while (rs->next()) {
            domain::SkillTally t;
            t.skill_id = GetString(*rs, 1);
            t.experience_count = rs->getInt(2);
            if (!absl::SimpleAtod(GetString(*rs, 3), &t.total_hours)) {
              throw DataError("summed hours");
            }
            t.verified_count = rs->getInt(4);
            t.max_level = rs->getInt(5);
            t.first_evidenced = GetDay(*rs, 6).value_or(absl::CivilDay());
            t.last_evidenced = GetDay(*rs, 7).value_or(absl::CivilDay());
            tallies.push_back(std::move(t));
          }
        }
        if (tallies.empty()) {
          auto rs = c.Prepare("SELECT 1 FROM profiles WHERE id = ?")
                        .Bind(profile_id)
                        .Query();
          profile_exists = rs->next();
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!profile_exists) {
    return errors::NotFound(kProfileType,
                            names::Name(names::kProfiles, profile_id));
  }
  return tallies;
}

// ------------------------------------------------------------------ lookup

absl::StatusOr<std::optional<std::string>>
ExperienceStore::AdviserOfAttestation(const RequestContext& ctx,
                                      const std::string& profile_id,
                                      const std::string& experience_id,
                                      const std::string& attestation_id) {
  std::optional<std::string> adviser;
  absl::Status status =
      db_.Read("AdviserOfAttestation", ctx.deadline, [&](Connection& c) {
        adviser.reset();
        auto rs = c.Prepare(
                       "SELECT adviser_id FROM attestations WHERE profile_id "
                       "= ? AND experience_id = ? AND id = ?")
                      .Bind(profile_id)
                      .Bind(experience_id)
                      .Bind(attestation_id)
                      .Query();
        if (rs->next()) adviser = NullableString(*rs, 1);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return adviser;
}

}  // namespace careers::store
