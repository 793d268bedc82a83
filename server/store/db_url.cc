#include "server/store/db_url.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace careers::store {
namespace {

absl::StatusOr<std::string> PercentDecode(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    int value = 0;
    if (i + 2 >= s.size()) {
      return absl::InvalidArgumentError(
          "database URL has a truncated %-escape");
    }
    for (int k = 1; k <= 2; ++k) {
      const char c = s[i + k];
      value <<= 4;
      if (c >= '0' && c <= '9')
        value |= c - '0';
      else if (c >= 'a' && c <= 'f')
        value |= c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        value |= c - 'A' + 10;
      else
        return absl::InvalidArgumentError("database URL has a bad %-escape");
    }
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

}  // namespace

std::string DbTarget::Redacted() const {
  std::string url =
      absl::StrCat("mysql://", user, password.empty() ? "" : ":***", "@");
  if (socket.empty()) {
    absl::StrAppend(&url, host, ":", port);
  }
  absl::StrAppend(&url, "/", database);
  if (!socket.empty()) absl::StrAppend(&url, "?socket=", socket);
  return url;
}

absl::StatusOr<DbTarget> ParseDbUrl(absl::string_view url) {
  DbTarget t;
  absl::string_view rest;
  if (absl::StartsWith(url, "mysql://")) {
    rest = url.substr(8);
  } else if (absl::StartsWith(url, "mariadb://")) {
    rest = url.substr(10);
  } else {
    return absl::InvalidArgumentError(
        "database URL must start with mysql:// or mariadb:// "
        "(mysql://USER:PASSWORD@HOST:PORT/DATABASE)");
  }
  absl::string_view query;
  if (const size_t q = rest.find('?'); q != absl::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  const size_t at = rest.rfind('@');
  if (at == absl::string_view::npos) {
    return absl::InvalidArgumentError("database URL needs a user (USER@HOST)");
  }
  absl::string_view userinfo = rest.substr(0, at);
  rest = rest.substr(at + 1);
  if (const size_t colon = userinfo.find(':');
      colon != absl::string_view::npos) {
    auto password = PercentDecode(userinfo.substr(colon + 1));
    if (!password.ok()) return password.status();
    t.password = *std::move(password);
    userinfo = userinfo.substr(0, colon);
  }
  auto user = PercentDecode(userinfo);
  if (!user.ok()) return user.status();
  t.user = *std::move(user);
  if (t.user.empty())
    return absl::InvalidArgumentError("database URL has an empty user");

  const size_t slash = rest.find('/');
  if (slash == absl::string_view::npos || slash + 1 >= rest.size()) {
    return absl::InvalidArgumentError(
        "database URL needs a database name (.../DATABASE)");
  }
  auto database = PercentDecode(rest.substr(slash + 1));
  if (!database.ok()) return database.status();
  t.database = *std::move(database);
  absl::string_view hostport = rest.substr(0, slash);
  if (const size_t colon = hostport.rfind(':');
      colon != absl::string_view::npos &&
      hostport.find(']') == absl::string_view::npos) {
    if (!absl::SimpleAtoi(hostport.substr(colon + 1), &t.port) || t.port <= 0 ||
        t.port > 65535) {
      return absl::InvalidArgumentError("database URL has a bad port");
    }
    hostport = hostport.substr(0, colon);
  }
  if (!hostport.empty()) t.host = std::string(hostport);

  while (!query.empty()) {
    const size_t amp = query.find('&');
    absl::string_view param = query.substr(0, amp);
    query = amp == absl::string_view::npos ? absl::string_view()
                                           : query.substr(amp + 1);
    if (absl::StartsWith(param, "socket=")) {
      auto socket = PercentDecode(param.substr(7));
      if (!socket.ok()) return socket.status();
      t.socket = *std::move(socket);
    } else if (!param.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "database URL has an unknown parameter \"",
          param.substr(0, param.find('=')), "\" (only socket= is known)"));
    }
  }
  return t;
}

}  // namespace careers::store
