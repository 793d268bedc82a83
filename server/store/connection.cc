#include "server/store/connection.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "server/store/sql_error.h"

namespace careers::store {
namespace {

const absl::TimeZone& Utc() {
  static const absl::TimeZone utc = absl::UTCTimeZone();
  return utc;
}

// A statement whose call has no time left is not sent: it fails as if the
// server had ended it (MariaDB's statement timeout, so DEADLINE_EXCEEDED).
[[noreturn]] void ThrowDeadlinePassed() {
  throw sql::SQLException(
      "the call's deadline passed before the statement was sent", "70100",
      mysql_errors::kStatementTimeoutMariaDb);
}

// "1.234567": seconds with microseconds, for max_statement_time.
std::string SecondsText(absl::Duration d) {
  const int64_t us = absl::ToInt64Microseconds(d);
  return absl::StrFormat("%d.%06d", us / 1000000, us % 1000000);
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

Statement::Statement(Connection* connection, sql::PreparedStatement* statement)
    : connection_(connection), statement_(statement) {
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
  connection_->BeforeStatement();
  ++connection_->round_trips_;
  return std::unique_ptr<sql::ResultSet>(statement_->executeQuery());
}

uint64_t Statement::Execute() {
  connection_->BeforeStatement();
  ++connection_->round_trips_;
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
    ++round_trips_;
    std::unique_ptr<sql::PreparedStatement> ps(
        connection_->prepareStatement(sql));
    it = prepared_.emplace(sql, std::move(ps)).first;
  }
  return Statement(this, it->second.get());
}

void Connection::BeforeStatement() {
  if (deadline_ == absl::InfiniteFuture()) {
    SetStatementTimeout(absl::InfiniteDuration());
    return;
  }
  const absl::Duration remaining = deadline_ - absl::Now();
  if (remaining <= absl::ZeroDuration()) ThrowDeadlinePassed();
  SetStatementTimeout(remaining);
}

std::string Connection::LimitedText(const std::string& sql) {
  if (flavor_ != ServerFlavor::kMariaDb ||
      deadline_ == absl::InfiniteFuture()) {
    BeforeStatement();
    return sql;
  }
  const absl::Duration remaining = deadline_ - absl::Now();
  if (remaining <= absl::ZeroDuration()) ThrowDeadlinePassed();
  return absl::StrCat("SET STATEMENT max_statement_time = ",
                      SecondsText(remaining), " FOR ", sql);
}

void Connection::Execute(const std::string& sql) {
  ++statements_sent_;
  const std::string limited = LimitedText(sql);
  ++round_trips_;
  plain_->execute(limited);
}

std::unique_ptr<sql::ResultSet> Connection::Query(const std::string& sql) {
  ++statements_sent_;
  const std::string limited = LimitedText(sql);
  ++round_trips_;
  return std::unique_ptr<sql::ResultSet>(plain_->executeQuery(limited));
}

void Connection::Control(const std::string& sql) {
  ++round_trips_;
  plain_->execute(sql);
}

void Connection::SetStatementTimeout(absl::Duration remaining) {
  const absl::Duration limit = QuantizeStatementTimeout(remaining);
  if (limit == statement_timeout_) return;
  if (flavor_ == ServerFlavor::kMariaDb) {
    Control(
        absl::StrCat("SET SESSION max_statement_time = ", SecondsText(limit)));
  } else {
    // MySQL limits only SELECTs, in whole milliseconds.
    Control(absl::StrCat("SET SESSION max_execution_time = ",
                         absl::ToInt64Milliseconds(limit)));
  }
  statement_timeout_ = limit;
}

bool Connection::Ping() {
  ++round_trips_;
  try {
    return connection_->isValid();
  } catch (const sql::SQLException&) {
    return false;
  }
}

}  // namespace careers::store
