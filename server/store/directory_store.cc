#include "server/store/directory_store.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "server/common/proto_time.h"
#include "server/common/status_macros.h"
#include "server/domain/errors.h"
#include "server/domain/etag.h"
#include "server/domain/resource_names.h"
#include "server/store/request_log.h"
#include "server/store/row_helpers.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

using domain::Mutation;
using domain::NameCursor;
using domain::Page;

constexpr char kOrganisationType[] = "careers.uk/Organisation";
constexpr char kAdviserType[] = "careers.uk/Adviser";
constexpr char kLocationType[] = "careers.uk/Location";

using rows::DataError;
using rows::ParseDetails;
using rows::EnumOf;
using rows::IdOf;
using rows::ListRows;
using rows::NullableString;
using rows::ReadOne;
using rows::Row;
using rows::UpdateOne;

template <typename T>
using FromRow = Row<T> (*)(sql::ResultSet&);
using Query = absl::FunctionRef<std::unique_ptr<sql::ResultSet>(Connection&)>;


template <typename T>
void SetTimes(T& resource, const Row<T>& row, sql::ResultSet& rs,
              int update_col) {
  *resource.mutable_create_time() = ToProtoTimestamp(row.create_time);
  *resource.mutable_update_time() = ToProtoTimestamp(GetTime(rs, update_col));
  resource.set_etag(MakeEtag(resource.name(), row.create_time, row.version));
}

// Resumes a listing in (display_name, id) order after a cursor.
constexpr char kAfterName[] =
    " AND (display_name > ? OR (display_name = ? AND id > ?))";

void BindAfter(Statement& s, const std::optional<NameCursor>& after) {
  if (after) {
    s.Bind(after->display_name).Bind(after->display_name).Bind(after->id);
  }
}

absl::StatusOr<std::optional<std::string>> ReadOptionalString(
    Database& db, const RequestContext& ctx, absl::string_view what,
    const std::string& sql, const std::string& key) {
  std::optional<std::string> value;
  absl::Status status = db.Read(what, ctx.deadline, [&](Connection& c) {
    auto rs = c.Prepare(sql).Bind(key).Query();
    value.reset();
    if (rs->next()) value = NullableString(*rs, 1);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return value;
}

// ----------------------------------------------------------- organisations

constexpr char kOrganisationColumns[] =
    "id, display_name, kind, region, parent_id, website_uri, version, "
    "create_time, update_time";

Row<v1::Organisation> OrganisationFromRow(sql::ResultSet& rs) {
  Row<v1::Organisation> row;
  v1::Organisation& o = row.value;
  o.set_name(names::Name(names::kOrganisations, GetString(rs, 1)));
  o.set_display_name(GetString(rs, 2));
  o.set_kind(EnumOf<v1::Organisation::Kind>(GetString(rs, 3),
                                            v1::Organisation::Kind_Parse));
  o.set_region(GetString(rs, 4));
  if (!rs.isNull(5)) {
    o.set_parent(names::Name(names::kOrganisations, GetString(rs, 5)));
  }
  o.set_website_uri(GetString(rs, 6));
  row.version = GetUint64(rs, 7);
  row.create_time = GetTime(rs, 8);
  SetTimes(o, row, rs, 9);
  return row;
}

// display_name .. website_uri, in kOrganisationColumns order.
void BindOrganisationColumns(Statement& s, const v1::Organisation& o) {
  s.Bind(o.display_name())
      .Bind(v1::Organisation::Kind_Name(o.kind()))
      .Bind(o.region())
      .BindOrNull(IdOf(o.parent()))
      .Bind(o.website_uri());
}

// ---------------------------------------------------------------- advisers

constexpr char kAdviserColumns[] =
    "id, organisation_id, display_name, language_codes, active, email, "
    "subject, details, version, create_time, update_time, delete_time";

Row<v1::Adviser> AdviserFromRow(sql::ResultSet& rs) {
  Row<v1::Adviser> row;
  v1::Adviser& a = row.value;
  ParseDetails(rs, 8, a);
  a.set_name(names::Name(names::kAdvisers, GetString(rs, 1)));
  a.set_organisation(names::Name(names::kOrganisations, GetString(rs, 2)));
  a.set_display_name(GetString(rs, 3));
  for (absl::string_view code :
       absl::StrSplit(GetString(rs, 4), ',', absl::SkipEmpty())) {
    a.add_language_codes(std::string(code));
  }
  a.set_active(rs.getBoolean(5));
  a.set_email(NullableString(rs, 6));
  a.set_subject(NullableString(rs, 7));
  row.version = GetUint64(rs, 9);
  row.create_time = GetTime(rs, 10);
  SetTimes(a, row, rs, 11);
  if (!rs.isNull(12))
    *a.mutable_delete_time() = ToProtoTimestamp(GetTime(rs, 12));
  return row;
}

// organisation_id .. details, in kAdviserColumns order.
void BindAdviserColumns(Statement& s, const v1::Adviser& a) {
  v1::Adviser details = a;
  details.clear_name();
  details.clear_organisation();
  details.clear_display_name();
  details.clear_language_codes();
  details.clear_active();
  details.clear_email();
  details.clear_subject();
  details.clear_create_time();
  details.clear_update_time();
  details.clear_delete_time();
  details.clear_etag();
  s.Bind(IdOf(a.organisation()))
      .Bind(a.display_name())
      .Bind(absl::StrJoin(a.language_codes(), ","))
      .Bind(!a.has_active() || a.active())
      .BindOrNull(a.email())
      .BindOrNull(a.subject())
      .Bind(details.SerializeAsString());
}

absl::Status SubjectTaken() {
  return absl::AlreadyExistsError(
      "another adviser already has this subject (each sign-in belongs to one "
      "adviser)");
}

// --------------------------------------------------------------- locations

constexpr char kLocationColumns[] =
    "id, organisation_id, display_name, kind, time_zone, details, version, "
    "create_time, update_time";

Row<v1::Location> LocationFromRow(sql::ResultSet& rs) {
  Row<v1::Location> row;
  v1::Location& l = row.value;
  ParseDetails(rs, 6, l);
  l.set_name(names::Name(names::kLocations, GetString(rs, 1)));
  l.set_organisation(names::Name(names::kOrganisations, GetString(rs, 2)));
  l.set_display_name(GetString(rs, 3));
  l.set_kind(
      EnumOf<v1::Location::Kind>(GetString(rs, 4), v1::Location::Kind_Parse));
  l.set_time_zone(GetString(rs, 5));
  row.version = GetUint64(rs, 7);
  row.create_time = GetTime(rs, 8);
  SetTimes(l, row, rs, 9);
  return row;
}

// organisation_id .. details, in kLocationColumns order.
void BindLocationColumns(Statement& s, const v1::Location& l) {
  v1::Location details = l;
  details.clear_name();
  details.clear_organisation();
  details.clear_display_name();
  details.clear_kind();
  details.clear_time_zone();
  details.clear_create_time();
  details.clear_update_time();
  details.clear_etag();
  s.Bind(IdOf(l.organisation()))
      .Bind(l.display_name())
      .Bind(v1::Location::Kind_Name(l.kind()))
      .Bind(l.time_zone())
      .Bind(details.SerializeAsString());
}

}  // namespace

// ------------------------------------------------------------------ lookup

absl::StatusOr<bool> DirectoryStore::OrganisationExists(
    const RequestContext& ctx, const std::string& id) {
  CAREERS_ASSIGN_OR_RETURN(
      std::optional<std::string> found,
      ReadOptionalString(db_, ctx, "OrganisationExists",
                         "SELECT id FROM organisations WHERE id = ?", id));
  return found.has_value();
}

absl::StatusOr<bool> DirectoryStore::AdviserExists(const RequestContext& ctx,
                                                   const std::string& id) {
  CAREERS_ASSIGN_OR_RETURN(
      std::optional<std::string> found,
      ReadOptionalString(
          db_, ctx, "AdviserExists",
          "SELECT id FROM advisers WHERE id = ? AND delete_time IS NULL", id));
  return found.has_value();
}

absl::StatusOr<std::optional<domain::AdviserIdentity>>
DirectoryStore::FindAdviserBySubject(const RequestContext& ctx,
                                     const std::string& subject) {
  const absl::Time now = absl::Now();
  {
    absl::MutexLock lock(&cache_mu_);
    auto it = advisers_by_subject_.find(subject);
    if (it != advisers_by_subject_.end() && it->second.expires > now) {
      return it->second.identity;
    }
  }
  std::optional<domain::AdviserIdentity> identity;
  absl::Status status =
      db_.Read("FindAdviserBySubject", ctx.deadline, [&](Connection& c) {
        auto rs = c.Prepare(
                       "SELECT id, organisation_id, active, delete_time IS NOT "
                       "NULL FROM advisers WHERE subject = ?")
                      .Bind(subject)
                      .Query();
        identity.reset();
        if (rs->next()) {
          identity =
              domain::AdviserIdentity{GetString(*rs, 1), GetString(*rs, 2),
                                      rs->getBoolean(3), rs->getBoolean(4)};
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (identity && adviser_ttl_ > absl::ZeroDuration()) {
    absl::MutexLock lock(&cache_mu_);
    // Bounded: far more advisers than sign in within a TTL is a reset.
    if (advisers_by_subject_.size() >= 100000) advisers_by_subject_.clear();
    advisers_by_subject_[subject] = {*identity, now + adviser_ttl_};
  }
  return identity;
}

void DirectoryStore::ForgetAdvisers() {
  absl::MutexLock lock(&cache_mu_);
  advisers_by_subject_.clear();
}

absl::StatusOr<std::optional<std::string>>
DirectoryStore::OrganisationOfAdviser(const RequestContext& ctx,
                                      const std::string& adviser_id) {
  return ReadOptionalString(db_, ctx, "OrganisationOfAdviser",
                            "SELECT organisation_id FROM advisers WHERE id = ?",
                            adviser_id);
}

absl::StatusOr<std::optional<std::string>>
DirectoryStore::OrganisationOfLocation(const RequestContext& ctx,
                                       const std::string& location_id) {
  return ReadOptionalString(
      db_, ctx, "OrganisationOfLocation",
      "SELECT organisation_id FROM locations WHERE id = ?", location_id);
}

absl::StatusOr<std::optional<std::string>> DirectoryStore::TimeZoneOfLocation(
    const RequestContext& ctx, const std::string& location_id) {
  return ReadOptionalString(db_, ctx, "TimeZoneOfLocation",
                            "SELECT time_zone FROM locations WHERE id = ?",
                            location_id);
}

// ----------------------------------------------------------- organisations

absl::StatusOr<v1::Organisation> DirectoryStore::CreateOrganisation(
    const RequestContext& ctx, const std::string& id,
    const v1::Organisation& organisation, const domain::IdempotencyKey* key) {
  return CreateOnce<v1::Organisation>(
      db_, ctx, "CreateOrganisation", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::Organisation> {
        Connection& c = unit.connection();
        Statement insert = c.Prepare(
            absl::StrCat("INSERT INTO organisations (", kOrganisationColumns,
                         ") VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)"));
        insert.Bind(id);
        BindOrganisationColumns(insert, organisation);
        const absl::Time create =
            FromProtoTimestamp(organisation.create_time());
        insert.Bind(create).Bind(
            FromProtoTimestamp(organisation.update_time()));
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
          return absl::AlreadyExistsError(
              absl::StrCat(organisation.name(), " already exists"));
        }
        v1::Organisation created = organisation;
        created.set_etag(MakeEtag(created.name(), create, 1));
        return created;
      });
}

absl::StatusOr<v1::Organisation> DirectoryStore::GetOrganisation(
    const RequestContext& ctx, const std::string& id) {
  return ReadOne<v1::Organisation>(
      db_, ctx, "GetOrganisation",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kOrganisationColumns,
                                  " FROM organisations WHERE id = ?"))
            .Bind(id)
            .Query();
      },
      OrganisationFromRow,
      errors::NotFound(kOrganisationType,
                       names::Name(names::kOrganisations, id)));
}

absl::StatusOr<Page<v1::Organisation>> DirectoryStore::ListOrganisations(
    const RequestContext& ctx, const domain::OrganisationQuery& q) {
  std::string sql = absl::StrCat("SELECT ", kOrganisationColumns,
                                 " FROM organisations WHERE TRUE");
  if (q.kind) sql += " AND kind = ?";
  if (q.region) sql += " AND region = ?";
  if (q.parent_id) sql += " AND parent_id = ?";
  if (q.after) sql += kAfterName;
  sql += " ORDER BY display_name, id LIMIT ?";
  return ListRows<v1::Organisation>(
      db_, ctx, "ListOrganisations",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        if (q.kind) s.Bind(v1::Organisation::Kind_Name(*q.kind));
        if (q.region) s.Bind(*q.region);
        if (q.parent_id) s.Bind(*q.parent_id);
        BindAfter(s, q.after);
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      OrganisationFromRow, q.limit);
}

absl::StatusOr<v1::Organisation> DirectoryStore::UpdateOrganisation(
    const RequestContext& ctx, const std::string& id,
    const domain::OrganisationMutation& mutate) {
  return UpdateOne<v1::Organisation>(
      db_, ctx, "UpdateOrganisation",
      [&](Connection& c) {
        return c
            .Prepare(
                absl::StrCat("SELECT ", kOrganisationColumns,
                             " FROM organisations WHERE id = ? FOR UPDATE"))
            .Bind(id)
            .Query();
      },
      OrganisationFromRow,
      [&](Connection& c, v1::Organisation& o) {
        // Shared locks on the ancestors: a concurrent change of one of them
        // waits for this transaction (or deadlocks with it and is re-run).
        const domain::ParentLookup parents = [&c](const std::string& ancestor)
            -> absl::StatusOr<std::optional<std::string>> {
          auto rs = c.Prepare(
                         "SELECT parent_id FROM organisations WHERE id = ? "
                         "LOCK IN SHARE MODE")
                        .Bind(ancestor)
                        .Query();
          if (!rs->next()) return std::nullopt;
          return NullableString(*rs, 1);
        };
        return mutate(o, parents);
      },
      [&](UnitOfWork& unit, const v1::Organisation& o) {
        Connection& c = unit.connection();
        Statement update = c.Prepare(
            "UPDATE organisations SET display_name = ?, kind = ?, region = ?, "
            "parent_id = ?, website_uri = ?, version = version + 1, "
            "update_time = ? WHERE id = ?");
        BindOrganisationColumns(update, o);
        update.Bind(FromProtoTimestamp(o.update_time())).Bind(id).Execute();
        return absl::OkStatus();
      },
      errors::NotFound(kOrganisationType,
                       names::Name(names::kOrganisations, id)));
}

// ---------------------------------------------------------------- advisers

absl::StatusOr<v1::Adviser> DirectoryStore::CreateAdviser(
    const RequestContext& ctx, const std::string& id,
    const v1::Adviser& adviser, const domain::IdempotencyKey* key) {
  struct ForgetOnReturn {
    DirectoryStore* store;
    ~ForgetOnReturn() { store->ForgetAdvisers(); }
  } forget{this};
  return CreateOnce<v1::Adviser>(
      db_, ctx, "CreateAdviser", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::Adviser> {
        Connection& c = unit.connection();
        Statement insert = c.Prepare(
            absl::StrCat("INSERT INTO advisers (", kAdviserColumns,
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, NULL)"));
        insert.Bind(id);
        BindAdviserColumns(insert, adviser);
        const absl::Time create = FromProtoTimestamp(adviser.create_time());
        insert.Bind(create).Bind(FromProtoTimestamp(adviser.update_time()));
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
          // The id or the subject: the only unique keys.
          const bool id_taken = c.Prepare("SELECT 1 FROM advisers WHERE id = ?")
                                    .Bind(id)
                                    .Query()
                                    ->next();
          if (!id_taken) return SubjectTaken();
          return absl::AlreadyExistsError(
              absl::StrCat(adviser.name(), " already exists"));
        }
        v1::Adviser created = adviser;
        created.set_etag(MakeEtag(created.name(), create, 1));
        return created;
      });
}

absl::StatusOr<v1::Adviser> DirectoryStore::GetAdviser(
    const RequestContext& ctx, const std::string& id) {
  return ReadOne<v1::Adviser>(
      db_, ctx, "GetAdviser",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kAdviserColumns,
                                  " FROM advisers WHERE id = ?"))
            .Bind(id)
            .Query();
      },
      AdviserFromRow,
      errors::NotFound(kAdviserType, names::Name(names::kAdvisers, id)));
}

absl::StatusOr<Page<v1::Adviser>> DirectoryStore::ListAdvisers(
    const RequestContext& ctx, const domain::AdviserQuery& q) {
  std::string sql =
      absl::StrCat("SELECT ", kAdviserColumns, " FROM advisers WHERE TRUE");
  if (!q.show_deleted) sql += " AND delete_time IS NULL";
  if (q.organisation_id) sql += " AND organisation_id = ?";
  if (q.active) sql += " AND active = ?";
  if (q.language_code) sql += " AND FIND_IN_SET(?, language_codes) > 0";
  if (q.after) sql += kAfterName;
  sql += " ORDER BY display_name, id LIMIT ?";
  return ListRows<v1::Adviser>(
      db_, ctx, "ListAdvisers",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        if (q.organisation_id) s.Bind(*q.organisation_id);
        if (q.active) s.Bind(*q.active);
        if (q.language_code) s.Bind(*q.language_code);
        BindAfter(s, q.after);
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      AdviserFromRow, q.limit);
}

absl::StatusOr<v1::Adviser> DirectoryStore::UpdateAdviser(
    const RequestContext& ctx, const std::string& id,
    const Mutation<v1::Adviser>& mutate) {
  // Forgotten after the change commits, so no call between sees the old
  // account once this one has returned.
  struct ForgetOnReturn {
    DirectoryStore* store;
    ~ForgetOnReturn() { store->ForgetAdvisers(); }
  } forget{this};
  return UpdateOne<v1::Adviser>(
      db_, ctx, "UpdateAdviser",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kAdviserColumns,
                                  " FROM advisers WHERE id = ? FOR UPDATE"))
            .Bind(id)
            .Query();
      },
      AdviserFromRow, [&](Connection&, v1::Adviser& a) { return mutate(a); },
      [&](UnitOfWork& unit, const v1::Adviser& a) -> absl::Status {
        Connection& c = unit.connection();
        Statement update = c.Prepare(
            "UPDATE advisers SET organisation_id = ?, display_name = ?, "
            "language_codes = ?, active = ?, email = ?, subject = ?, "
            "details = ?, version = version + 1, update_time = ?, "
            "delete_time = ? WHERE id = ?");
        BindAdviserColumns(update, a);
        update.Bind(FromProtoTimestamp(a.update_time()));
        if (a.has_delete_time()) {
          update.Bind(FromProtoTimestamp(a.delete_time()));
        } else {
          update.BindNull();
        }
        update.Bind(id);
        try {
          update.Execute();
        } catch (const sql::SQLException& e) {
          // The subject is the only unique key an update can collide on.
          if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
          return SubjectTaken();
        }
        return absl::OkStatus();
      },
      errors::NotFound(kAdviserType, names::Name(names::kAdvisers, id)));
}

// --------------------------------------------------------------- locations

absl::StatusOr<v1::Location> DirectoryStore::CreateLocation(
    const RequestContext& ctx, const std::string& id,
    const v1::Location& location, const domain::IdempotencyKey* key) {
  return CreateOnce<v1::Location>(
      db_, ctx, "CreateLocation", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::Location> {
        Connection& c = unit.connection();
        Statement insert =
            c.Prepare(absl::StrCat("INSERT INTO locations (", kLocationColumns,
                                   ") VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)"));
        insert.Bind(id);
        BindLocationColumns(insert, location);
        const absl::Time create = FromProtoTimestamp(location.create_time());
        insert.Bind(create).Bind(FromProtoTimestamp(location.update_time()));
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
          return absl::AlreadyExistsError(
              absl::StrCat(location.name(), " already exists"));
        }
        v1::Location created = location;
        created.set_etag(MakeEtag(created.name(), create, 1));
        return created;
      });
}

absl::StatusOr<v1::Location> DirectoryStore::GetLocation(
    const RequestContext& ctx, const std::string& id) {
  return ReadOne<v1::Location>(
      db_, ctx, "GetLocation",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kLocationColumns,
                                  " FROM locations WHERE id = ?"))
            .Bind(id)
            .Query();
      },
      LocationFromRow,
      errors::NotFound(kLocationType, names::Name(names::kLocations, id)));
}

absl::StatusOr<Page<v1::Location>> DirectoryStore::ListLocations(
    const RequestContext& ctx, const domain::LocationQuery& q) {
  std::string sql =
      absl::StrCat("SELECT ", kLocationColumns, " FROM locations WHERE TRUE");
  if (q.organisation_id) sql += " AND organisation_id = ?";
  if (q.kind) sql += " AND kind = ?";
  if (q.after) sql += kAfterName;
  sql += " ORDER BY display_name, id LIMIT ?";
  return ListRows<v1::Location>(
      db_, ctx, "ListLocations",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        if (q.organisation_id) s.Bind(*q.organisation_id);
        if (q.kind) s.Bind(v1::Location::Kind_Name(*q.kind));
        BindAfter(s, q.after);
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      LocationFromRow, q.limit);
}

absl::StatusOr<v1::Location> DirectoryStore::UpdateLocation(
    const RequestContext& ctx, const std::string& id,
    const Mutation<v1::Location>& mutate) {
  return UpdateOne<v1::Location>(
      db_, ctx, "UpdateLocation",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kLocationColumns,
                                  " FROM locations WHERE id = ? FOR UPDATE"))
            .Bind(id)
            .Query();
      },
      LocationFromRow, [&](Connection&, v1::Location& l) { return mutate(l); },
      [&](UnitOfWork& unit, const v1::Location& l) {
        Connection& c = unit.connection();
        Statement update = c.Prepare(
            "UPDATE locations SET organisation_id = ?, display_name = ?, "
            "kind = ?, time_zone = ?, details = ?, version = version + 1, "
            "update_time = ? WHERE id = ?");
        BindLocationColumns(update, l);
        update.Bind(FromProtoTimestamp(l.update_time())).Bind(id).Execute();
        return absl::OkStatus();
      },
      errors::NotFound(kLocationType, names::Name(names::kLocations, id)));
}

}  // namespace careers::store
