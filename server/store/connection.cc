#include "server/store/connection.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace careers::store {
namespace {

const absl::TimeZone& Utc() {
  static const absl::TimeZone utc = absl::UTCTimeZone();
  return utc;
}

}  // namespace

absl::Duration QuantizeStatementTimeout(absl::Duration remaining) {
  if (remaining == absl::InfiniteDuration()) return absl::ZeroDuration();
  const double ms = absl::ToDoubleMilliseconds(remaining);
  if (ms < 1) return absl::Milliseconds(1);
  static const double kLogStep = std::log(1.1);
  const double k = std::floor(std::log(ms) / kLogStep + 1e-9);
  double grid = std::exp(k * kLogStep);
  if (grid > ms) grid = ms;  // guard against rounding above the remaining time
  return absl::Microseconds(static_cast<int64_t>(grid * 1000));
}

// ------------------------------------------------------------------ Statement

Statement::Statement(sql::PreparedStatement* statement)
    : statement_(statement) {
  statement_->clearParameters();
}

Statement& Statement::Bind(absl::string_view value) {
  statement_->setString(next_++, sql::SQLString(value.data(), value.size()));
  return *this;
}

Statement& Statement::Bind(int64_t value) {
  statement_->setInt64(next_++, value);
  return *this;
}

Statement& Statement::Bind(uint64_t value) {
  statement_->setUInt64(next_++, value);
  return *this;
}

Statement& Statement::Bind(bool value) {
  statement_->setBoolean(next_++, value);
  return *this;
}

Statement& Statement::Bind(absl::Time value) {
  return Bind(FormatDateTime(value));
}

Statement& Statement::Bind(absl::CivilDay value) {
  return Bind(FormatDate(value));
}

Statement& Statement::BindNull() {
  statement_->setNull(next_++, 0);
  return *this;
}

Statement& Statement::BindOrNull(const std::optional<absl::CivilDay>& value) {
  return value ? Bind(*value) : BindNull();
}

Statement& Statement::BindOrNull(absl::string_view value) {
  return value.empty() ? BindNull() : Bind(value);
}

std::unique_ptr<sql::ResultSet> Statement::Query() {
  return std::unique_ptr<sql::ResultSet>(statement_->executeQuery());
}

uint64_t Statement::Execute() {
  return static_cast<uint64_t>(statement_->executeUpdate());
}

// ------------------------------------------------------------------- readers

std::string GetString(sql::ResultSet& rs, int column) {
  return rs.getString(column).asStdString();
}

absl::Time GetTime(sql::ResultSet& rs, int column) {
  absl::Time t;
  std::string err;
  const std::string text = GetString(rs, column);
  if (!absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text, Utc(), &t, &err)) {
    throw sql::SQLException(
        absl::StrCat("unreadable DATETIME column ", column));
  }
  return t;
}

std::optional<absl::CivilDay> GetDay(sql::ResultSet& rs, int column) {
  if (rs.isNull(column)) return std::nullopt;
  absl::CivilDay day;
  if (!absl::ParseCivilTime(GetString(rs, column), &day)) {
    throw sql::SQLException(absl::StrCat("unreadable DATE column ", column));
  }
  return day;
}

uint64_t GetUint64(sql::ResultSet& rs, int column) {
  return rs.getUInt64(column);
}

std::string FormatDateTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%E6S", t, Utc());
}

std::string FormatDate(absl::CivilDay d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

// ---------------------------------------------------------------- Connection

Connection::Connection(std::unique_ptr<sql::Connection> connection,
                       ServerFlavor flavor)
    : connection_(std::move(connection)),
      plain_(connection_->createStatement()),
      flavor_(flavor) {}

Connection::~Connection() {
  // Statements belong to the connection: free them first.
  prepared_.clear();
  plain_.reset();
  connection_.reset();
}

Statement Connection::Prepare(const std::string& sql) {
  ++statements_sent_;
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::unique_ptr<sql::PreparedStatement> ps(
        connection_->prepareStatement(sql));
    it = prepared_.emplace(sql, std::move(ps)).first;
  }
  return Statement(it->second.get());
}

void Connection::Execute(const std::string& sql) {
  ++statements_sent_;
  plain_->execute(sql);
}

std::unique_ptr<sql::ResultSet> Connection::Query(const std::string& sql) {
  ++statements_sent_;
  return std::unique_ptr<sql::ResultSet>(plain_->executeQuery(sql));
}

void Connection::SetStatementTimeout(absl::Duration remaining) {
  const absl::Duration limit = QuantizeStatementTimeout(remaining);
  if (limit == statement_timeout_) return;
  if (flavor_ == ServerFlavor::kMariaDb) {
    Execute(absl::StrFormat("SET SESSION max_statement_time = %.6f",
                            absl::ToDoubleSeconds(limit)));
  } else {
    // MySQL limits only SELECTs, in whole milliseconds.
    Execute(absl::StrCat("SET SESSION max_execution_time = ",
                         absl::ToInt64Milliseconds(limit)));
  }
  statement_timeout_ = limit;
}

bool Connection::Ping() {
  try {
    return connection_->isValid();
  } catch (const sql::SQLException&) {
    return false;
  }
}

}  // namespace careers::store
