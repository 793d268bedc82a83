#include "server/store/skill_store.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/common/proto_time.h"
#include "server/domain/errors.h"
#include "server/domain/resource_names.h"
#include "server/store/request_log.h"
#include "server/store/row_helpers.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

using domain::Page;
using domain::SkillImportCounts;
using domain::SkillQuery;
using rows::DataError;
using rows::IdOf;
using rows::ListRows;
using rows::ReadOne;
using rows::Row;
using v1::Skill;

constexpr char kSkillType[] = "careers.uk/Skill";
constexpr absl::string_view kSkills = "skills";

constexpr char kColumns[] = "id, details, create_time, update_time";

// The skill as `details` holds it: without name and times.
Skill DetailsMessage(const Skill& skill) {
  Skill details = skill;
  details.clear_name();
  details.clear_create_time();
  details.clear_update_time();
  return details;
}

Row<Skill> SkillFromRow(sql::ResultSet& rs) {
  Row<Skill> row;
  if (!row.value.ParseFromString(GetString(rs, 2))) {
    throw DataError("Skill details");
  }
  row.value.set_name(names::Name(kSkills, GetString(rs, 1)));
  row.create_time = GetTime(rs, 3);
  *row.value.mutable_create_time() = ToProtoTimestamp(row.create_time);
  *row.value.mutable_update_time() = ToProtoTimestamp(GetTime(rs, 4));
  return row;
}

std::optional<std::string> LabelOf(const Skill& skill,
                                   absl::string_view language) {
  for (const Skill::Label& label : skill.labels()) {
    if (label.language_code() == language) return label.text();
  }
  return std::nullopt;
}

// Every label and alternative label, one a line: what the FULLTEXT index
// searches.
std::string SearchText(const Skill& skill) {
  std::vector<absl::string_view> parts;
  for (const Skill::Label& label : skill.labels())
    parts.push_back(label.text());
  for (const std::string& alt : skill.alternative_labels()) {
    parts.push_back(alt);
  }
  return absl::StrJoin(parts, "\n");
}

// The columns of kWriteColumns for `skill` (complete, with name and times).
constexpr char kWriteColumns[] =
    "(id, framework, organisation_id, skill_group, label_en, label_cy, "
    "label_gd, search_text, details, create_time, update_time)";
constexpr char kWritePlaceholders[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

void BindSkill(Statement& s, const Skill& skill) {
  const std::optional<std::string> cy = LabelOf(skill, "cy");
  const std::optional<std::string> gd = LabelOf(skill, "gd");
  s.Bind(IdOf(skill.name()))
      .Bind(Skill::Framework_Name(skill.framework()))
      .BindOrNull(absl::string_view(IdOf(skill.organisation())))
      .Bind(skill.group())
      .Bind(LabelOf(skill, "en").value_or(""));
  if (cy) {
    s.Bind(*cy);
  } else {
    s.BindNull();
  }
  if (gd) {
    s.Bind(*gd);
  } else {
    s.BindNull();
  }
  s.Bind(SearchText(skill))
      .Bind(DetailsMessage(skill).SerializeAsString())
      .Bind(FromProtoTimestamp(skill.create_time()))
      .Bind(FromProtoTimestamp(skill.update_time()));
}

// `IN (...)` lists: `n` ids are bound as the next power of two, the last id
// repeated.
size_t PaddedSize(size_t n) {
  size_t padded = 1;
  while (padded < n) padded <<= 1;
  return padded;
}

std::string InList(size_t n) {
  std::string out = "(";
  for (size_t i = 0; i < PaddedSize(n); ++i) {
    absl::StrAppend(&out, i ? ", ?" : "?");
  }
  out += ")";
  return out;
}

void BindInList(Statement& s, const std::vector<std::string>& ids, size_t begin,
                size_t end) {
  for (size_t i = begin; i < end; ++i) s.Bind(ids[i]);
  for (size_t i = end - begin; i < PaddedSize(end - begin); ++i) {
    s.Bind(ids[end - 1]);
  }
}

// The rows of the next INSERT when `left` remain: kMaxRowsPerInsert while
// there are that many, then the largest power of two not above `left`.
size_t InsertChunk(size_t left) {
  if (left >= SkillStore::kMaxRowsPerInsert) {
    return SkillStore::kMaxRowsPerInsert;
  }
  size_t chunk = 1;
  while (chunk * 2 <= left) chunk *= 2;
  return chunk;
}

// Writes `skills` (complete) with multi-row upserts; a row that exists
// keeps its create_time.
void UpsertSkills(Connection& c, const std::vector<const Skill*>& skills) {
  size_t done = 0;
  while (done < skills.size()) {
    const size_t n = InsertChunk(skills.size() - done);
    std::string sql = absl::StrCat("INSERT INTO skills ", kWriteColumns,
                                   " VALUES ", kWritePlaceholders);
    for (size_t i = 1; i < n; ++i)
      absl::StrAppend(&sql, ", ", kWritePlaceholders);
    sql +=
        " ON DUPLICATE KEY UPDATE framework = VALUES(framework), "
        "organisation_id = VALUES(organisation_id), "
        "skill_group = VALUES(skill_group), label_en = VALUES(label_en), "
        "label_cy = VALUES(label_cy), label_gd = VALUES(label_gd), "
        "search_text = VALUES(search_text), details = VALUES(details), "
        "version = version + 1, update_time = VALUES(update_time)";
    Statement insert = c.Prepare(sql);
    for (size_t i = done; i < done + n; ++i) BindSkill(insert, *skills[i]);
    insert.Execute();
    done += n;
  }
}

// The column a list in `language` is sorted by.
absl::string_view SortColumn(const std::string& language) {
  if (language == "cy") return "sort_cy";
  if (language == "gd") return "sort_gd";
  return "label_en";
}

// A boolean-mode FULLTEXT query asking for every word as a prefix.
std::string BooleanPrefixQuery(const std::vector<std::string>& words) {
  std::vector<std::string> terms;
  terms.reserve(words.size());
  for (const std::string& word : words) {
    terms.push_back(absl::StrCat("+", word, "*"));
  }
  return absl::StrJoin(terms, " ");
}

}  // namespace

absl::StatusOr<Skill> SkillStore::CreateSkill(
    const RequestContext& ctx, const std::string& id, const Skill& skill,
    const domain::IdempotencyKey* key) {
  return CreateOnce<Skill>(
      db_, ctx, "CreateSkill", key,
      [&](UnitOfWork& unit) -> absl::StatusOr<Skill> {
        Connection& c = unit.connection();
        Skill created = skill;
        created.set_name(names::Name(kSkills, id));
        Statement insert =
            c.Prepare(absl::StrCat("INSERT INTO skills ", kWriteColumns,
                                   " VALUES ", kWritePlaceholders));
        BindSkill(insert, created);
        try {
          insert.Execute();
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() == mysql_errors::kDuplicateKey) {
            return absl::AlreadyExistsError(
                absl::StrCat(created.name(), " already exists"));
          }
          if (e.getErrorCode() == mysql_errors::kNoReferencedRow) {
            return errors::FailedPrecondition(
                "ORGANISATION", created.organisation(),
                "does not exist; custom skills belong to an existing "
                "organisation");
          }
          throw;
        }
        // What a Get returns: times as the DATETIME(6) columns hold them.
        for (auto* t :
             {created.mutable_create_time(), created.mutable_update_time()}) {
          *t = ToProtoTimestamp(
              absl::UnixEpoch() +
              absl::Floor(FromProtoTimestamp(*t) - absl::UnixEpoch(),
                          absl::Microseconds(1)));
        }
        return created;
      });
}

absl::StatusOr<Skill> SkillStore::GetSkill(const RequestContext& ctx,
                                           const std::string& id) {
  return ReadOne<Skill>(
      db_, ctx, "GetSkill",
      [&](Connection& c) {
        return c
            .Prepare(
                absl::StrCat("SELECT ", kColumns, " FROM skills WHERE id = ?"))
            .Bind(id)
            .Query();
      },
      SkillFromRow, errors::NotFound(kSkillType, names::Name(kSkills, id)));
}

absl::StatusOr<Page<Skill>> SkillStore::ListSkills(const RequestContext& ctx,
                                                   const SkillQuery& q) {
  const absl::string_view sort = SortColumn(q.language_code);
  std::string sql =
      absl::StrCat("SELECT ", kColumns, " FROM skills WHERE TRUE");
  if (q.framework) sql += " AND framework = ?";
  if (q.group) sql += " AND skill_group = ?";
  if (q.organisation_id) sql += " AND organisation_id = ?";
  if (!q.words.empty()) {
    sql += " AND MATCH (search_text) AGAINST (? IN BOOLEAN MODE)";
  }
  if (q.after) {
    absl::StrAppend(&sql, " AND (", sort, " > ? OR (", sort,
                    " = ? AND id > ?))");
  }
  absl::StrAppend(&sql, " ORDER BY ", sort, ", id LIMIT ?");
  return ListRows<Skill>(
      db_, ctx, "ListSkills",
      [&](Connection& c) {
        Statement s = c.Prepare(sql);
        if (q.framework) s.Bind(Skill::Framework_Name(*q.framework));
        if (q.group) s.Bind(*q.group);
        if (q.organisation_id) s.Bind(*q.organisation_id);
        if (!q.words.empty()) s.Bind(BooleanPrefixQuery(q.words));
        if (q.after) {
          s.Bind(q.after->display_name)
              .Bind(q.after->display_name)
              .Bind(q.after->id);
        }
        s.Bind(static_cast<int64_t>(q.limit) + 1);
        return s.Query();
      },
      SkillFromRow, q.limit);
}

absl::StatusOr<SkillImportCounts> SkillStore::ImportSkills(
    const RequestContext& ctx, const std::vector<Skill>& skills,
    absl::Time now) {
  std::vector<std::string> ids;
  ids.reserve(skills.size());
  for (const Skill& skill : skills) ids.push_back(IdOf(skill.name()));
  SkillImportCounts counts;
  absl::Status status = Write(
      db_, ctx, "ImportSkills", [&](UnitOfWork& unit) -> absl::Status {
        Connection& c = unit.connection();
        counts = SkillImportCounts();
        struct Stored {
          std::string framework;
          Skill details;
          absl::Time create_time;
        };
        absl::flat_hash_map<std::string, Stored> stored;
        for (size_t begin = 0; begin < ids.size(); begin += kMaxInList) {
          const size_t end = std::min(ids.size(), begin + kMaxInList);
          Statement select = c.Prepare(absl::StrCat(
              "SELECT id, framework, details, create_time FROM skills "
              "WHERE id IN ",
              InList(end - begin), " FOR UPDATE"));
          BindInList(select, ids, begin, end);
          auto rs = select.Query();
          while (rs->next()) {
            Stored row;
            row.framework = GetString(*rs, 2);
            if (!row.details.ParseFromString(GetString(*rs, 3))) {
              throw DataError("Skill details");
            }
            row.create_time = GetTime(*rs, 4);
            stored.emplace(GetString(*rs, 1), std::move(row));
          }
        }
        std::vector<Skill> writes;
        writes.reserve(skills.size());
        for (const Skill& skill : skills) {
          const std::string id = IdOf(skill.name());
          auto it = stored.find(id);
          Skill wanted = DetailsMessage(skill);
          if (it == stored.end()) {
            ++counts.created;
            Skill write = skill;
            *write.mutable_create_time() = ToProtoTimestamp(now);
            *write.mutable_update_time() = ToProtoTimestamp(now);
            unit.Created(write);
            writes.push_back(std::move(write));
            continue;
          }
          if (it->second.framework !=
              Skill::Framework_Name(skill.framework())) {
            return errors::FailedPrecondition(
                "FRAMEWORK", skill.name(),
                absl::StrCat("is a ", it->second.framework,
                             " skill; an import cannot change a skill's "
                             "framework"));
          }
          if (google::protobuf::util::MessageDifferencer::Equals(
                  it->second.details, wanted)) {
            ++counts.unchanged;
            continue;
          }
          ++counts.updated;
          domain::ChangeNote note =
              domain::UpdatedChange(it->second.details, wanted);
          note.resource = skill.name();
          unit.Record(std::move(note));
          Skill write = skill;
          *write.mutable_create_time() =
              ToProtoTimestamp(it->second.create_time);
          *write.mutable_update_time() = ToProtoTimestamp(now);
          writes.push_back(std::move(write));
        }
        std::vector<const Skill*> pointers;
        pointers.reserve(writes.size());
        for (const Skill& s : writes) pointers.push_back(&s);
        UpsertSkills(c, pointers);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return counts;
}

absl::StatusOr<std::map<std::string, Skill>> SkillStore::FindSkills(
    const RequestContext& ctx, const std::vector<std::string>& ids) {
  std::map<std::string, Skill> found;
  if (ids.empty()) return found;
  absl::Status status =
      db_.Read("FindSkills", ctx.deadline, [&](Connection& c) {
        found.clear();
        for (size_t begin = 0; begin < ids.size(); begin += kMaxInList) {
          const size_t end = std::min(ids.size(), begin + kMaxInList);
          Statement select = c.Prepare(absl::StrCat("SELECT ", kColumns,
                                                    " FROM skills WHERE id IN ",
                                                    InList(end - begin)));
          BindInList(select, ids, begin, end);
          auto rs = select.Query();
          while (rs->next()) {
            Row<Skill> row = SkillFromRow(*rs);
            found.emplace(IdOf(row.value.name()), std::move(row.value));
          }
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return found;
}

}  // namespace careers::store
