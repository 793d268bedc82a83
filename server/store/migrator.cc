#include "server/store/migrator.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "server/common/crypto.h"
#include "server/common/logging.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

constexpr char kCreateTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version BIGINT NOT NULL PRIMARY KEY,"
    " name VARCHAR(200) NOT NULL,"
    " checksum CHAR(64) CHARACTER SET ascii NOT NULL,"
    " dirty BOOLEAN NOT NULL,"
    " applied_at DATETIME(6) NOT NULL"
    ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
constexpr int kNoSuchTable = 1146;
constexpr int kLockWaitSeconds = 120;

std::string Label(int64_t version, absl::string_view name) {
  return absl::StrCat(absl::StrFormat("%04d", version), "_", name);
}

// Runs each statement of `sql`; names the failing statement on error.
absl::Status RunScript(Connection& c, absl::string_view label,
                       absl::string_view sql) {
  const std::vector<std::string> statements = SplitSqlStatements(sql);
  for (size_t i = 0; i < statements.size(); ++i) {
    try {
      c.Execute(statements[i]);
    } catch (const sql::SQLException& e) {
      // Migration errors are about our own SQL: the message helps the
      // operator and holds no personal data.
      spdlog::error("migration {}: statement {} failed: error {}: {}", label,
                    i + 1, e.getErrorCode(), e.what());
      return absl::InternalError(
          absl::StrCat("migration ", label, " failed at statement ", i + 1,
                       " (error ", e.getErrorCode(), ": ", e.what(), ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status RunSqlScript(Database& db, absl::string_view label,
                          absl::string_view sql) {
  return db.WithConnection(
      label, [&](Connection& c) { return RunScript(c, label, sql); });
}

std::vector<Migrator::Applied> Migrator::ReadApplied(Connection& c) {
  std::vector<Applied> applied;
  auto rs = c.Query(
      "SELECT version, name, checksum, dirty FROM schema_migrations ORDER BY "
      "version");
  while (rs->next()) {
    applied.push_back(Applied{rs->getInt64(1), GetString(*rs, 2),
                              GetString(*rs, 3), rs->getBoolean(4)});
  }
  return applied;
}

absl::StatusOr<std::vector<Migration>> LoadMigrations(
    absl::Span<const db::EmbeddedFile> files) {
  std::map<int64_t, Migration> by_version;
  for (const db::EmbeddedFile& f : files) {
    absl::string_view name = f.name;
    bool up;
    if (absl::ConsumeSuffix(&name, ".up.sql")) {
      up = true;
    } else if (absl::ConsumeSuffix(&name, ".down.sql")) {
      up = false;
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration file ", f.name, " must end in .up.sql or .down.sql"));
    }
    const size_t underscore = name.find('_');
    int64_t version = 0;
    if (underscore != 4 || !absl::SimpleAtoi(name.substr(0, 4), &version) ||
        version <= 0 || underscore + 1 >= name.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration file ", f.name, " must be named NNNN_name"));
    }
    Migration& m = by_version[version];
    const std::string label(name.substr(underscore + 1));
    if (!m.name.empty() && m.name != label) {
      return absl::InvalidArgumentError(absl::StrCat(
          "migration ", version, " has two names: ", m.name, " and ", label));
    }
    m.version = version;
    m.name = label;
    (up ? m.up : m.down) = std::string(f.content);
  }
  std::vector<Migration> out;
  for (auto& [version, m] : by_version) {
    if (m.up.empty() || m.down.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("migration ", Label(version, m.name),
                       " needs both .up.sql and .down.sql"));
    }
    m.checksum = HexEncode(Sha256(m.up));
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> SplitSqlStatements(absl::string_view sql) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    const absl::string_view trimmed = absl::StripAsciiWhitespace(current);
    // Keep statements that hold something besides comments.
    bool has_code = false;
    for (absl::string_view rest = trimmed; !rest.empty();) {
      if (absl::StartsWith(rest, "--")) {
        const size_t nl = rest.find('\n');
        rest = nl == absl::string_view::npos ? "" : rest.substr(nl + 1);
      } else if (absl::ascii_isspace(static_cast<unsigned char>(rest[0]))) {
        rest.remove_prefix(1);
      } else {
        has_code = true;
        break;
      }
    }
    if (has_code) out.emplace_back(trimmed);
    current.clear();
  };
  char quote = 0;  // inside '...', "..." or `...`
  for (size_t i = 0; i < sql.size(); ++i) {
    const char ch = sql[i];
    if (quote != 0) {
      current.push_back(ch);
      if (ch == '\\' && quote != '`' && i + 1 < sql.size()) {
        current.push_back(sql[++i]);
      } else if (ch == quote) {
        quote = 0;
      }
      continue;
    }
    if (ch == '\'' || ch == '"' || ch == '`') {
      quote = ch;
      current.push_back(ch);
    } else if (ch == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t nl = sql.find('\n', i);
      const size_t end = nl == absl::string_view::npos ? sql.size() : nl;
      current.append(sql.data() + i, end - i);
      i = end - 1;
    } else if (ch == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      const size_t close = sql.find("*/", i + 2);
      const size_t end =
          close == absl::string_view::npos ? sql.size() : close + 2;
      current.append(sql.data() + i, end - i);
      i = end - 1;
    } else if (ch == ';') {
      flush();
    } else {
      current.push_back(ch);
    }
  }
  flush();
  return out;
}

Migrator::Migrator(Database& db, std::vector<Migration> migrations)
    : db_(db), migrations_(std::move(migrations)) {}

absl::StatusOr<std::vector<Migrator::Applied>> Migrator::ListApplied() {
  std::vector<Applied> applied;
  bool table_missing = false;
  absl::Status status =
      db_.WithConnection("ListMigrations", [&](Connection& c) {
        try {
          applied = ReadApplied(c);
        } catch (const sql::SQLException& e) {
          if (e.getErrorCode() != kNoSuchTable) throw;
          table_missing = true;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (table_missing)
    return absl::NotFoundError("schema_migrations does not exist");
  return applied;
}

absl::Status Migrator::CheckApplied(const std::vector<Applied>& applied) const {
  for (const Applied& a : applied) {
    auto known = std::find_if(
        migrations_.begin(), migrations_.end(),
        [&](const Migration& m) { return m.version == a.version; });
    if (a.dirty) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migration ", Label(a.version, a.name),
          " failed part-way and is marked dirty: repair the schema by hand, "
          "then delete its row from schema_migrations (or set dirty = 0 if it "
          "completed) and run --migrate again"));
    }
    if (known == migrations_.end()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the database has migration ", Label(a.version, a.name),
          " which this server does not know: it is older than the schema"));
    }
    if (known->checksum != a.checksum) {
      return absl::FailedPreconditionError(absl::StrCat(
          "migration ", Label(a.version, a.name),
          " was edited after it was applied (checksum differs); never edit an "
          "applied migration, add a new one"));
    }
  }
  return absl::OkStatus();
}

absl::Status Migrator::WithLock(
    absl::string_view what, absl::FunctionRef<absl::Status(Connection&)> fn) {
  return db_.WithConnection(what, [&](Connection& c) -> absl::Status {
    auto got =
        c.Prepare("SELECT GET_LOCK(CONCAT('careers.migrate.', DATABASE()), ?)")
            .Bind(static_cast<int64_t>(kLockWaitSeconds))
            .Query();
    if (!got->next() || got->getInt(1) != 1) {
      return absl::UnavailableError(
          "another migration kept the migration lock");
    }
    got.reset();
    absl::Status status;
    try {
      c.Execute(kCreateTable);
      status = fn(c);
    } catch (const sql::SQLException& e) {
      status = FromSqlException(e);
      spdlog::error("migration: error {}: {}", e.getErrorCode(), e.what());
    }
    c.Query("SELECT RELEASE_LOCK(CONCAT('careers.migrate.', DATABASE()))");
    return status;
  });
}

absl::StatusOr<int> Migrator::Up() {
  int count = 0;
  absl::Status status =
      WithLock("MigrateUp", [&](Connection& c) -> absl::Status {
        const std::vector<Applied> applied = ReadApplied(c);
        if (absl::Status s = CheckApplied(applied); !s.ok()) return s;
        const int64_t newest = applied.empty() ? 0 : applied.back().version;
        for (const Migration& m : migrations_) {
          const bool done = std::any_of(
              applied.begin(), applied.end(),
              [&](const Applied& a) { return a.version == m.version; });
          if (done) continue;
          if (m.version < newest) {
            return absl::FailedPreconditionError(
                absl::StrCat("migration ", Label(m.version, m.name),
                             " is not applied but the newer ", newest,
                             " is: migrations must be applied in order"));
          }
          spdlog::info("migration {}: applying", Label(m.version, m.name));
          c.Prepare(
               "INSERT INTO schema_migrations (version, name, checksum, dirty, "
               "applied_at) "
               "VALUES (?, ?, ?, TRUE, UTC_TIMESTAMP(6))")
              .Bind(m.version)
              .Bind(m.name)
              .Bind(m.checksum)
              .Execute();
          if (absl::Status s = RunScript(c, Label(m.version, m.name), m.up);
              !s.ok())
            return s;
          c.Prepare(
               "UPDATE schema_migrations SET dirty = FALSE WHERE version = ?")
              .Bind(m.version)
              .Execute();
          ++count;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return count;
}

absl::StatusOr<int> Migrator::DownTo(int64_t version) {
  int count = 0;
  absl::Status status =
      WithLock("MigrateDown", [&](Connection& c) -> absl::Status {
        const std::vector<Applied> applied = ReadApplied(c);
        if (absl::Status s = CheckApplied(applied); !s.ok()) return s;
        for (auto it = applied.rbegin(); it != applied.rend(); ++it) {
          if (it->version <= version) break;
          const Migration& m =
              *std::find_if(migrations_.begin(), migrations_.end(),
                            [&](const Migration& known) {
                              return known.version == it->version;
                            });
          spdlog::info("migration {}: reverting", Label(m.version, m.name));
          c.Prepare(
               "UPDATE schema_migrations SET dirty = TRUE WHERE version = ?")
              .Bind(m.version)
              .Execute();
          if (absl::Status s = RunScript(c, Label(m.version, m.name), m.down);
              !s.ok())
            return s;
          c.Prepare("DELETE FROM schema_migrations WHERE version = ?")
              .Bind(m.version)
              .Execute();
          ++count;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return count;
}

absl::Status Migrator::Verify() {
  absl::StatusOr<std::vector<Applied>> applied = ListApplied();
  if (absl::IsNotFound(applied.status())) {
    return absl::FailedPreconditionError(
        "the database has no schema yet: run careers-server --migrate");
  }
  if (!applied.ok()) return applied.status();
  if (absl::Status s = CheckApplied(*applied); !s.ok()) return s;
  for (const Migration& m : migrations_) {
    const bool done =
        std::any_of(applied->begin(), applied->end(),
                    [&](const Applied& a) { return a.version == m.version; });
    if (!done) {
      return absl::FailedPreconditionError(
          absl::StrCat("migration ", Label(m.version, m.name),
                       " is not applied: run careers-server --migrate"));
    }
  }
  return absl::OkStatus();
}

}  // namespace careers::store
