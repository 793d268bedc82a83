#ifndef CAREERS_SERVER_STORE_ROW_HELPERS_H_
#define CAREERS_SERVER_STORE_ROW_HELPERS_H_

#include <cppconn/resultset.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "server/common/proto_time.h"
#include "server/domain/etag.h"
#include "server/domain/profile_repository.h"
#include "server/store/access_log.h"
#include "server/store/connection.h"
#include "server/store/database.h"
#include "server/store/unit_of_work.h"

// The shapes every repository repeats: read one row, lock-mutate-write one
// row, read a page of rows; and small conversions between columns and
// fields. Only for code inside server/store.
namespace careers::store::rows {

// A profile is shared with an organisation while one of its consents is an
// active SHARE_WITH_ORGANISATION for it (the `active_key` column of
// consents, unique per profile). The condition on a query over `profiles`,
// with ShareKey(organisation_id) bound to its one parameter.
inline constexpr char kSharedWithOrganisation[] =
    "EXISTS (SELECT 1 FROM consents c WHERE c.profile_id = profiles.id AND "
    "c.active_key = ?)";
inline std::string ShareKey(absl::string_view organisation_id) {
  return absl::StrCat("SHARE_WITH_ORGANISATION:", organisation_id);
}

// A row that could not be turned back into a resource (never expected).
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A resource read from its row, with what its etag is made of.
template <typename T>
struct Row {
  T value;
  uint64_t version = 0;
  absl::Time create_time;
};

// The id at the end of a resource name ("" for "").
inline std::string IdOf(const std::string& name) {
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

inline std::optional<absl::CivilDay> DayOf(bool has,
                                           const google::type::Date& date) {
  if (!has) return std::nullopt;
  return ToCivilDay(date);
}

inline std::string NullableString(sql::ResultSet& rs, int column) {
  return rs.isNull(column) ? std::string() : GetString(rs, column);
}

inline std::optional<absl::Time> NullableTime(sql::ResultSet& rs, int column) {
  if (rs.isNull(column)) return std::nullopt;
  return GetTime(rs, column);
}

// An enum from its stored name; the zero value for names it does not know.
template <typename Enum, typename ParseFn>
Enum EnumOf(const std::string& text, ParseFn parse) {
  Enum value{};
  if (!parse(text, &value)) value = Enum{};
  return value;
}

// The `details` column: the whole resource but its etag (which is made from
// the row's version when read).
template <typename T>
std::string DetailsOf(const T& resource) {
  const auto* etag = T::descriptor()->FindFieldByName("etag");
  if (etag == nullptr) return resource.SerializeAsString();
  T details = resource;
  details.GetReflection()->ClearField(&details, etag);
  return details.SerializeAsString();
}

// Reads a `details` column into `resource`; NULL leaves it as it is.
template <typename T>
void ParseDetails(sql::ResultSet& rs, int column, T& resource) {
  if (!rs.isNull(column) && !resource.ParseFromString(GetString(rs, column))) {
    throw DataError(absl::StrCat(T::descriptor()->name(), " details"));
  }
}

// Binds a Timestamp field, or NULL when it is not set.
inline void BindOptionalTime(Statement& s, bool has,
                             const google::protobuf::Timestamp& t) {
  if (has) {
    s.Bind(FromProtoTimestamp(t));
  } else {
    s.BindNull();
  }
}

// Escapes LIKE wildcards so a prefix matches literally.
inline std::string LikePrefix(absl::string_view prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

// Reads one resource; `not_found` if there is no row.
template <typename T>
absl::StatusOr<T> ReadOne(
    Database& db, const RequestContext& ctx, absl::string_view what,
    absl::FunctionRef<std::unique_ptr<sql::ResultSet>(Connection&)> query,
    absl::FunctionRef<Row<T>(sql::ResultSet&)> from_row,
    absl::Status not_found) {
  std::optional<T> found;
  absl::Status status = db.Read(what, ctx.deadline, [&](Connection& c) {
    auto rs = query(c);
    if (rs->next()) found = from_row(*rs).value;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!found) return not_found;
  return *std::move(found);
}

// Locks one row, applies `mutate` to its resource (on the same connection,
// so it may read more under the transaction), writes it back with `write`
// (which may still refuse with a status) and notes the change (access
// record, change feed), all in one unit of work. The resource's name stays
// what the row says; its etag is made for the new version.
template <typename T>
absl::StatusOr<T> UpdateOne(
    Database& db, const RequestContext& ctx, absl::string_view what,
    absl::FunctionRef<std::unique_ptr<sql::ResultSet>(Connection&)> lock_row,
    absl::FunctionRef<Row<T>(sql::ResultSet&)> from_row,
    absl::FunctionRef<absl::Status(Connection&, T&)> mutate,
    absl::FunctionRef<absl::Status(UnitOfWork&, const T&)> write,
    absl::Status not_found) {
  T result;
  absl::Status status =
      Write(db, ctx, what, [&](UnitOfWork& unit) -> absl::Status {
        Connection& c = unit.connection();
        std::optional<Row<T>> row;
        {
          auto rs = lock_row(c);
          if (rs->next()) row = from_row(*rs);
        }
        if (!row) return not_found;
        T updated = row->value;
        if (absl::Status s = mutate(c, updated); !s.ok()) return s;
        updated.set_name(row->value.name());
        if (absl::Status s = write(unit, updated); !s.ok()) return s;
        unit.Updated(row->value, updated);
        updated.set_etag(
            MakeEtag(updated.name(), row->create_time, row->version + 1));
        result = std::move(updated);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return result;
}

// A domain mutation that needs no connection, for UpdateOne.
template <typename T>
auto WithoutConnection(const domain::Mutation<T>& mutate) {
  return [&mutate](Connection&, T& resource) { return mutate(resource); };
}

// Runs a list query for limit + 1 rows.
template <typename T>
absl::StatusOr<domain::Page<T>> ListRows(
    Database& db, const RequestContext& ctx, absl::string_view what,
    absl::FunctionRef<std::unique_ptr<sql::ResultSet>(Connection&)> query,
    absl::FunctionRef<Row<T>(sql::ResultSet&)> from_row, int limit) {
  domain::Page<T> page;
  absl::Status status = db.Read(what, ctx.deadline, [&](Connection& c) {
    page.items.clear();
    auto rs = query(c);
    while (rs->next()) page.items.push_back(from_row(*rs).value);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(limit);
    page.has_more = true;
  }
  return page;
}

// The parent check of a child create. The shared lock keeps the profile
// from changing identity until the child is in. Returns the person's date
// of birth, or nullopt if there is no such profile.
inline std::optional<absl::CivilDay> LockProfileForChild(
    Connection& c, const std::string& profile_id) {
  auto rs =
      c.Prepare(
           "SELECT birth_date FROM profiles WHERE id = ? LOCK IN SHARE MODE")
          .Bind(profile_id)
          .Query();
  if (!rs->next()) return std::nullopt;
  return GetDay(*rs, 1);
}

}  // namespace careers::store::rows

#endif  // CAREERS_SERVER_STORE_ROW_HELPERS_H_
