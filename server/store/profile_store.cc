#include "server/store/profile_store.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "server/common/proto_time.h"
#include "server/domain/errors.h"
#include "server/domain/etag.h"
#include "server/domain/resource_names.h"
#include "server/store/request_log.h"
#include "server/store/row_helpers.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

using domain::Mutation;
using domain::Page;

constexpr char kProfileType[] = "careers.uk/Profile";
constexpr char kGoalType[] = "careers.uk/Goal";
constexpr char kActionType[] = "careers.uk/Action";

using rows::DataError;
using rows::DayOf;
using rows::EnumOf;
using rows::IdOf;
using rows::LikePrefix;
using rows::ListRows;
using rows::LockProfileForChild;
using rows::NullableString;
using rows::ReadOne;
using rows::Row;
using rows::UpdateOne;

template <typename T>
void SetTimes(T& resource, absl::Time create, sql::ResultSet& rs,
              int update_col) {
  *resource.mutable_create_time() = ToProtoTimestamp(create);
  *resource.mutable_update_time() = ToProtoTimestamp(GetTime(rs, update_col));
}

// ---------------------------------------------------------------- profiles

constexpr char kProfileColumns[] =
    "id, given_name, family_name, birth_date, preferred_language, life_stage, "
    "school_stage, support_level, home_organisation_id, details, version, "
    "create_time, update_time";

Row<v1::Profile> ProfileFromRow(sql::ResultSet& rs) {
  Row<v1::Profile> row;
  v1::Profile& p = row.value;
  if (!p.ParseFromString(GetString(rs, 10))) throw DataError("profile details");
  p.set_name(names::Name(names::kProfiles, GetString(rs, 1)));
  p.set_given_name(GetString(rs, 2));
  p.set_family_name(GetString(rs, 3));
  if (auto day = GetDay(rs, 4)) *p.mutable_birth_date() = FromCivilDay(*day);
  p.set_preferred_language_code(GetString(rs, 5));
  p.set_life_stage(EnumOf<v1::Profile::LifeStage>(
      GetString(rs, 6), v1::Profile::LifeStage_Parse));
  p.set_school_stage(NullableString(rs, 7));
  p.set_support_level(EnumOf<v1::Profile::SupportLevel>(
      GetString(rs, 8), v1::Profile::SupportLevel_Parse));
  if (!rs.isNull(9)) {
    p.set_home_organisation(
        names::Name(names::kOrganisations, GetString(rs, 9)));
  }
  row.version = GetUint64(rs, 11);
  row.create_time = GetTime(rs, 12);
  SetTimes(p, row.create_time, rs, 13);
  p.set_etag(MakeEtag(p.name(), row.create_time, row.version));
  return row;
}

// The columns from given_name to details, in kProfileColumns order.
void BindProfileColumns(Statement& s, const v1::Profile& p) {
  v1::Profile details = p;
  details.clear_name();
  details.clear_given_name();
  details.clear_family_name();
  details.clear_birth_date();
  details.clear_preferred_language_code();
  details.clear_life_stage();
  details.clear_school_stage();
  details.clear_support_level();
  details.clear_home_organisation();
  details.clear_create_time();
  details.clear_update_time();
  details.clear_etag();
  s.Bind(p.given_name())
      .Bind(p.family_name())
      .BindOrNull(DayOf(p.has_birth_date(), p.birth_date()))
      .Bind(p.preferred_language_code())
      .Bind(v1::Profile::LifeStage_Name(p.life_stage()))
      .BindOrNull(p.school_stage())
      .Bind(v1::Profile::SupportLevel_Name(p.support_level()))
      .BindOrNull(IdOf(p.home_organisation()))
      .Bind(details.SerializeAsString());
}

// ------------------------------------------------------------------- goals

constexpr char kGoalColumns[] =
    "profile_id, id, title, description, goal_type, state, target_date, "
    "version, create_time, update_time, state_time";

Row<v1::Goal> GoalFromRow(sql::ResultSet& rs) {
  Row<v1::Goal> row;
  v1::Goal& g = row.value;
  g.set_name(names::ChildName(names::kProfiles, GetString(rs, 1), names::kGoals,
                              GetString(rs, 2)));
  g.set_title(GetString(rs, 3));
  g.set_description(GetString(rs, 4));
  g.set_goal_type(
      EnumOf<v1::Goal::GoalType>(GetString(rs, 5), v1::Goal::GoalType_Parse));
  g.set_state(EnumOf<v1::Goal::State>(GetString(rs, 6), v1::Goal::State_Parse));
  if (auto day = GetDay(rs, 7)) *g.mutable_target_date() = FromCivilDay(*day);
  row.version = GetUint64(rs, 8);
  row.create_time = GetTime(rs, 9);
  SetTimes(g, row.create_time, rs, 10);
  *g.mutable_state_time() = ToProtoTimestamp(GetTime(rs, 11));
  g.set_etag(MakeEtag(g.name(), row.create_time, row.version));
  return row;
}

// title .. target_date, in kGoalColumns order.
void BindGoalColumns(Statement& s, const v1::Goal& g) {
  s.Bind(g.title())
      .Bind(g.description())
      .Bind(v1::Goal::GoalType_Name(g.goal_type()))
      .Bind(v1::Goal::State_Name(g.state()))
      .BindOrNull(DayOf(g.has_target_date(), g.target_date()));
}

// ----------------------------------------------------------------- actions

constexpr char kActionColumns[] =
    "profile_id, id, title, description, goal_id, owner, owner_adviser_id, "
    "due_date, state, signpost_title, signpost_organisation_id, signpost_uri, "
    "version, create_time, update_time, state_time";

Row<v1::Action> ActionFromRow(sql::ResultSet& rs) {
  Row<v1::Action> row;
  v1::Action& a = row.value;
  const std::string profile_id = GetString(rs, 1);
  a.set_name(names::ChildName(names::kProfiles, profile_id, names::kActions,
                              GetString(rs, 2)));
  a.set_title(GetString(rs, 3));
  a.set_description(GetString(rs, 4));
  if (!rs.isNull(5)) {
    a.set_goal(names::ChildName(names::kProfiles, profile_id, names::kGoals,
                                GetString(rs, 5)));
  }
  a.set_owner(
      EnumOf<v1::Action::Owner>(GetString(rs, 6), v1::Action::Owner_Parse));
  if (!rs.isNull(7))
    a.set_owner_adviser(names::Name(names::kAdvisers, GetString(rs, 7)));
  if (auto day = GetDay(rs, 8)) *a.mutable_due_date() = FromCivilDay(*day);
  a.set_state(
      EnumOf<v1::Action::State>(GetString(rs, 9), v1::Action::State_Parse));
  if (!rs.isNull(10)) {
    v1::Signpost& s = *a.mutable_signposted_to();
    s.set_title(GetString(rs, 10));
    if (!rs.isNull(11)) {
      s.set_organisation(names::Name(names::kOrganisations, GetString(rs, 11)));
    }
    s.set_uri(NullableString(rs, 12));
  }
  row.version = GetUint64(rs, 13);
  row.create_time = GetTime(rs, 14);
  SetTimes(a, row.create_time, rs, 15);
  *a.mutable_state_time() = ToProtoTimestamp(GetTime(rs, 16));
  a.set_etag(MakeEtag(a.name(), row.create_time, row.version));
  return row;
}

// title .. signpost_uri, in kActionColumns order.
void BindActionColumns(Statement& s, const v1::Action& a) {
  s.Bind(a.title())
      .Bind(a.description())
      .BindOrNull(IdOf(a.goal()))
      .Bind(v1::Action::Owner_Name(a.owner()))
      .BindOrNull(IdOf(a.owner_adviser()))
      .BindOrNull(DayOf(a.has_due_date(), a.due_date()))
      .Bind(v1::Action::State_Name(a.state()));
  if (a.has_signposted_to()) {
    s.Bind(a.signposted_to().title())
        .BindOrNull(IdOf(a.signposted_to().organisation()))
        .BindOrNull(a.signposted_to().uri());
  } else {
    s.BindNull().BindNull().BindNull();
  }
}

}  // namespace

// ---------------------------------------------------------------- profiles

absl::StatusOr<v1::Profile> ProfileStore::CreateProfile(
    const RequestContext& ctx, const std::string& id,
    const v1::Profile& profile, const domain::IdempotencyKey* key) {
  return CreateOnce<v1::Profile>(
      db_, ctx, "CreateProfile", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::Profile> {
        Connection& c = unit.connection();
        Statement insert = c.Prepare(
            absl::StrCat("INSERT INTO profiles (", kProfileColumns,
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"));
        insert.Bind(id);
        BindProfileColumns(insert, profile);
        const absl::Time create = FromProtoTimestamp(profile.create_time());
        insert.Bind(create).Bind(FromProtoTimestamp(profile.update_time()));
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != mysql_errors::kDuplicateKey) throw;
          return absl::AlreadyExistsError(
              absl::StrCat(profile.name(), " already exists"));
        }
        v1::Profile created = profile;
        created.set_etag(MakeEtag(created.name(), create, 1));
        return created;
      });
}

absl::StatusOr<v1::Profile> ProfileStore::GetProfile(const RequestContext& ctx,
                                                     const std::string& id) {
  if (ConsentInRead* consent = ctx.consent_in_read; consent != nullptr) {
    // The staff member's consent check in the same statement: a profile not
    // shared with their organisation, or none at all, is the same refusal.
    consent->enforced = true;
    return ReadOne<v1::Profile>(
        db_, ctx, "GetProfile",
        [&](Connection& c) {
          return c
              .Prepare(absl::StrCat("SELECT ", kProfileColumns,
                                    " FROM profiles WHERE id = ? AND ",
                                    rows::kSharedWithOrganisation))
              .Bind(id)
              .Bind(rows::ShareKey(consent->organisation_id))
              .Query();
        },
        ProfileFromRow, consent->denied);
  }
  return ReadOne<v1::Profile>(
      db_, ctx, "GetProfile",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kProfileColumns,
                                  " FROM profiles WHERE id = ?"))
            .Bind(id)
            .Query();
      },
      ProfileFromRow,
      errors::NotFound(kProfileType, names::Name(names::kProfiles, id)));
}

// How many rows a walk of the name index for a shared list may examine
// before the other plan answers (see ListProfiles).
constexpr int kSharedScanRows = 5000;

absl::StatusOr<Page<v1::Profile>> ProfileStore::ListProfiles(
    const RequestContext& ctx, const domain::ProfileQuery& q) {
  // The conditions after WHERE; the statement is put together in `run`.
  std::string where = "TRUE";
  // Only what the caller may see (see ProfileVisibility).
  using Kind = ProfileVisibility::Kind;
  const ProfileVisibility& seen = ctx.visibility;
  const absl::CivilDay today =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  switch (seen.kind) {
    case Kind::kAll:
      break;
    case Kind::kOwn:
      where += " AND id = ?";
      break;
    case Kind::kSharedWith:
      where = absl::StrCat(where, " AND ", rows::kSharedWithOrganisation);
      break;
    case Kind::kGuardedBy:
      // In force: under 16 today, or confirmed on or after the 16th birthday.
      where +=
          " AND EXISTS (SELECT 1 FROM guardian_links g WHERE g.profile_id = "
          "profiles.id AND g.active_subject = ? AND (profiles.birth_date > ? "
          "OR "
          "g.confirm_time >= DATE_ADD(profiles.birth_date, INTERVAL 16 YEAR)))";
      break;
    case Kind::kNone:
      where += " AND FALSE";
      break;
  }
  if (q.home_organisation_id) where += " AND home_organisation_id = ?";
  if (q.life_stage) where += " AND life_stage = ?";
  if (q.support_level) where += " AND support_level = ?";
  if (q.family_name) where += " AND family_name = ?";
  if (q.family_name_prefix) where += " AND family_name LIKE ? ESCAPE '\\\\'";
  if (q.after) {
    where +=
        " AND (family_name > ? OR (family_name = ? AND (given_name > ? OR "
        "(given_name = ? AND id > ?))))";
  }
  // The statement with its parameters bound, as given or with a prefix, an
  // index hint and a suffix.
  auto run = [&](const std::string& prefix, const std::string& hint,
                 const std::string& suffix) {
    return ListRows<v1::Profile>(
        db_, ctx, "ListProfiles",
        [&](Connection& c) {
          Statement s = c.Prepare(absl::StrCat(
              prefix, "SELECT ", kProfileColumns, " FROM profiles", hint,
              " WHERE ", where, " ORDER BY family_name, given_name, id LIMIT ?",
              suffix));
          if (seen.kind == Kind::kOwn) s.Bind(seen.id);
          if (seen.kind == Kind::kSharedWith) {
            s.Bind(rows::ShareKey(seen.id));
          }
          if (seen.kind == Kind::kGuardedBy) {
            s.Bind(seen.id).Bind(
                absl::CivilDay(today.year() - 16, today.month(), today.day()));
          }
          if (q.home_organisation_id) s.Bind(*q.home_organisation_id);
          if (q.life_stage) s.Bind(v1::Profile::LifeStage_Name(*q.life_stage));
          if (q.support_level)
            s.Bind(v1::Profile::SupportLevel_Name(*q.support_level));
          if (q.family_name) s.Bind(*q.family_name);
          if (q.family_name_prefix) s.Bind(LikePrefix(*q.family_name_prefix));
          if (q.after) {
            s.Bind(q.after->family_name)
                .Bind(q.after->family_name)
                .Bind(q.after->given_name)
                .Bind(q.after->given_name)
                .Bind(q.after->id);
          }
          s.Bind(static_cast<int64_t>(q.limit) + 1);
          return s.Query();
        },
        ProfileFromRow, q.limit);
  };
  // Profiles shared with an organisation, by name. MariaDB's semi-join
  // reads every shared profile and sorts them all for one page (440 ms at
  // 10,000, growing with the organisation), the right plan only when few
  // profiles are shared. So first walk the name index, checking each
  // profile's consent, for at most kSharedScanRows rows: a page of an
  // organisation with many profiles fills long before that. If it did not
  // fill, the organisation has few profiles (or the list ends here), and
  // the semi-join plan answers, sorting only those few.
  const bool by_name_only = !q.home_organisation_id && !q.life_stage &&
                            !q.support_level && !q.family_name &&
                            !q.family_name_prefix;
  if (seen.kind == Kind::kSharedWith && by_name_only &&
      db_.flavor() == ServerFlavor::kMariaDb) {
    absl::StatusOr<Page<v1::Profile>> walked =
        run("SET STATEMENT optimizer_switch='semijoin=off,materialization=off'"
            " FOR ",
            " FORCE INDEX (profiles_by_name)",
            absl::StrCat(" ROWS EXAMINED ", kSharedScanRows));
    if (!walked.ok() || walked->has_more) return walked;
  }
  return run("", "", "");
}

absl::StatusOr<v1::Profile> ProfileStore::UpdateProfile(
    const RequestContext& ctx, const std::string& id,
    const Mutation<v1::Profile>& mutate) {
  return UpdateOne<v1::Profile>(
      db_, ctx, "UpdateProfile",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat("SELECT ", kProfileColumns,
                                  " FROM profiles WHERE id = ? FOR UPDATE"))
            .Bind(id)
            .Query();
      },
      ProfileFromRow, rows::WithoutConnection<v1::Profile>(mutate),
      [&](UnitOfWork& unit, const v1::Profile& p) {
        Connection& c = unit.connection();
        Statement update = c.Prepare(
            "UPDATE profiles SET given_name = ?, family_name = ?, birth_date = "
            "?, "
            "preferred_language = ?, life_stage = ?, school_stage = ?, "
            "support_level = ?, home_organisation_id = ?, details = ?, "
            "version = version + 1, update_time = ? WHERE id = ?");
        BindProfileColumns(update, p);
        update.Bind(FromProtoTimestamp(p.update_time())).Bind(id).Execute();
        return absl::OkStatus();
      },
      errors::NotFound(kProfileType, names::Name(names::kProfiles, id)));
}

// ------------------------------------------------------------------- goals

absl::StatusOr<v1::Goal> ProfileStore::CreateGoal(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const v1::Goal& goal,
    const domain::IdempotencyKey* key) {
  return CreateOnce<v1::Goal>(
      db_, ctx, "CreateGoal", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::Goal> {
        Connection& c = unit.connection();
        if (!LockProfileForChild(c, profile_id)) {
          return errors::NotFound(kProfileType,
                                  names::Name(names::kProfiles, profile_id));
        }
        Statement insert = c.Prepare(
            absl::StrCat("INSERT INTO goals (", kGoalColumns,
                         ") VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"));
        insert.Bind(profile_id).Bind(id);
        BindGoalColumns(insert, goal);
        const absl::Time create = FromProtoTimestamp(goal.create_time());
        insert.Bind(create)
            .Bind(FromProtoTimestamp(goal.update_time()))
            .Bind(FromProtoTimestamp(goal.state_time()))
            .Execute();
        v1::Goal created = goal;
        created.set_etag(MakeEtag(created.name(), create, 1));
        return created;
      });
}

absl::StatusOr<v1::Goal> ProfileStore::GetGoal(const RequestContext& ctx,
                                               const std::string& profile_id,
                                               const std::string& id) {
  return ReadOne<v1::Goal>(
      db_, ctx, "GetGoal",
      [&](Connection& c) {
        return c
            .Prepare(
                absl::StrCat("SELECT ", kGoalColumns,
                             " FROM goals WHERE profile_id = ? AND id = ?"))
            .Bind(profile_id)
            .Bind(id)
            .Query();
      },
      GoalFromRow,
      errors::NotFound(kGoalType, names::ChildName(names::kProfiles, profile_id,
                                                   names::kGoals, id)));
}

absl::StatusOr<Page<v1::Goal>> ProfileStore::ListGoals(
    const RequestContext& ctx, const domain::GoalQuery& q) {
  std::string sql =
      absl::StrCat("SELECT ", kGoalColumns, " FROM goals WHERE profile_id = ?");
  if (q.state) sql += " AND state = ?";
  if (q.goal_type) sql += " AND goal_type = ?";
  if (q.after) sql += " AND (create_time > ? OR (create_time = ? AND id > ?))";
  sql += " ORDER BY create_time, id LIMIT ?";
  return ListRows<v1::Goal>(
      db_, ctx, "ListGoals",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        s.Bind(q.profile_id);
        if (q.state) s.Bind(v1::Goal::State_Name(*q.state));
        if (q.goal_type) s.Bind(v1::Goal::GoalType_Name(*q.goal_type));
        if (q.after) {
          s.Bind(q.after->create_time)
              .Bind(q.after->create_time)
              .Bind(q.after->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      GoalFromRow, q.limit);
}

absl::StatusOr<v1::Goal> ProfileStore::UpdateGoal(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const Mutation<v1::Goal>& mutate) {
  return UpdateOne<v1::Goal>(
      db_, ctx, "UpdateGoal",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat(
                "SELECT ", kGoalColumns,
                " FROM goals WHERE profile_id = ? AND id = ? FOR UPDATE"))
            .Bind(profile_id)
            .Bind(id)
            .Query();
      },
      GoalFromRow, rows::WithoutConnection<v1::Goal>(mutate),
      [&](UnitOfWork& unit, const v1::Goal& g) {
        Connection& c = unit.connection();
        Statement update = c.Prepare(
            "UPDATE goals SET title = ?, description = ?, goal_type = ?, state "
            "= ?, "
            "target_date = ?, version = version + 1, update_time = ?, "
            "state_time = ? "
            "WHERE profile_id = ? AND id = ?");
        BindGoalColumns(update, g);
        update.Bind(FromProtoTimestamp(g.update_time()))
            .Bind(FromProtoTimestamp(g.state_time()))
            .Bind(profile_id)
            .Bind(id)
            .Execute();
        return absl::OkStatus();
      },
      errors::NotFound(kGoalType, names::ChildName(names::kProfiles, profile_id,
                                                   names::kGoals, id)));
}

// ----------------------------------------------------------------- actions

absl::StatusOr<v1::Action> ProfileStore::CreateAction(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const v1::Action& action,
    const domain::IdempotencyKey* key) {
  return CreateOnce<v1::Action>(
      db_, ctx, "CreateAction", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<v1::Action> {
        Connection& c = unit.connection();
        if (!LockProfileForChild(c, profile_id)) {
          return errors::NotFound(kProfileType,
                                  names::Name(names::kProfiles, profile_id));
        }
        Statement insert = c.Prepare(absl::StrCat(
            "INSERT INTO actions (", kActionColumns,
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"));
        insert.Bind(profile_id).Bind(id);
        BindActionColumns(insert, action);
        const absl::Time create = FromProtoTimestamp(action.create_time());
        insert.Bind(create)
            .Bind(FromProtoTimestamp(action.update_time()))
            .Bind(FromProtoTimestamp(action.state_time()))
            .Execute();
        v1::Action created = action;
        created.set_etag(MakeEtag(created.name(), create, 1));
        return created;
      });
}

absl::StatusOr<v1::Action> ProfileStore::GetAction(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id) {
  return ReadOne<v1::Action>(
      db_, ctx, "GetAction",
      [&](Connection& c) {
        return c
            .Prepare(
                absl::StrCat("SELECT ", kActionColumns,
                             " FROM actions WHERE profile_id = ? AND id = ?"))
            .Bind(profile_id)
            .Bind(id)
            .Query();
      },
      ActionFromRow,
      errors::NotFound(
          kActionType,
          names::ChildName(names::kProfiles, profile_id, names::kActions, id)));
}

absl::StatusOr<Page<v1::Action>> ProfileStore::ListActions(
    const RequestContext& ctx, const domain::ActionQuery& q) {
  std::string sql = absl::StrCat("SELECT ", kActionColumns,
                                 " FROM actions WHERE profile_id = ?");
  if (q.state) sql += " AND state = ?";
  if (q.owner) sql += " AND owner = ?";
  if (q.goal_id) sql += " AND goal_id = ?";
  if (q.after) sql += " AND (create_time > ? OR (create_time = ? AND id > ?))";
  sql += " ORDER BY create_time, id LIMIT ?";
  return ListRows<v1::Action>(
      db_, ctx, "ListActions",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        s.Bind(q.profile_id);
        if (q.state) s.Bind(v1::Action::State_Name(*q.state));
        if (q.owner) s.Bind(v1::Action::Owner_Name(*q.owner));
        if (q.goal_id) s.Bind(*q.goal_id);
        if (q.after) {
          s.Bind(q.after->create_time)
              .Bind(q.after->create_time)
              .Bind(q.after->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      ActionFromRow, q.limit);
}

absl::StatusOr<v1::Action> ProfileStore::UpdateAction(
    const RequestContext& ctx, const std::string& profile_id,
    const std::string& id, const Mutation<v1::Action>& mutate) {
  return UpdateOne<v1::Action>(
      db_, ctx, "UpdateAction",
      [&](Connection& c) {
        return c
            .Prepare(absl::StrCat(
                "SELECT ", kActionColumns,
                " FROM actions WHERE profile_id = ? AND id = ? FOR UPDATE"))
            .Bind(profile_id)
            .Bind(id)
            .Query();
      },
      ActionFromRow, rows::WithoutConnection<v1::Action>(mutate),
      [&](UnitOfWork& unit, const v1::Action& a) {
        Connection& c = unit.connection();
        Statement update = c.Prepare(
            "UPDATE actions SET title = ?, description = ?, goal_id = ?, owner "
            "= ?, "
            "owner_adviser_id = ?, due_date = ?, state = ?, signpost_title = "
            "?, "
            "signpost_organisation_id = ?, signpost_uri = ?, version = version "
            "+ 1, "
            "update_time = ?, state_time = ? WHERE profile_id = ? AND id = ?");
        BindActionColumns(update, a);
        update.Bind(FromProtoTimestamp(a.update_time()))
            .Bind(FromProtoTimestamp(a.state_time()))
            .Bind(profile_id)
            .Bind(id)
            .Execute();
        return absl::OkStatus();
      },
      errors::NotFound(
          kActionType,
          names::ChildName(names::kProfiles, profile_id, names::kActions, id)));
}

}  // namespace careers::store
