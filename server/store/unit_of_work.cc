#include "server/store/unit_of_work.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/store/access_log.h"
#include "server/store/request_log.h"

namespace careers::store {
namespace {

constexpr int kChunk = 50;  // rows per multi-row INSERT

// One row of `changes`. Who may see it is read by the statement itself,
// as the facts stand in this transaction: the organisations with an active
// sharing consent for the profile and the organisation of the
// appointment's adviser; and, if the person has active guardian links,
// their birth date and the links (the domain decides which are in force,
// for the commit time). No temporary table on disk: the guardians' part is
// only evaluated when there are some.
constexpr char kRow[] =
    "(NOW(6), ?, ?, ?, ?, ?, "
    "CONCAT_WS(' ', (SELECT GROUP_CONCAT(organisation_id SEPARATOR ' ') FROM "
    "consents WHERE profile_id = ? AND active_key LIKE "
    "'SHARE\\_WITH\\_ORGANISATION:%'), (SELECT organisation_id FROM "
    "advisers WHERE id = ?)), "
    "IF(EXISTS(SELECT 1 FROM guardian_links WHERE profile_id = ? AND "
    "active_subject IS NOT NULL), JSON_OBJECT('birth_date', (SELECT "
    "birth_date FROM profiles WHERE id = ?), 'links', (SELECT "
    "JSON_ARRAYAGG(JSON_OBJECT('subject', guardian_subject, 'confirm_time', "
    "confirm_time)) FROM guardian_links WHERE profile_id = ? AND "
    "active_subject IS NOT NULL)), NULL), ?, ?, ?, ?)";

std::string OrganisationIdOf(const auth::Principal& p) {
  if (!p.IsStaff()) return "";
  return p.organisation.substr(p.organisation.find('/') + 1);
}

}  // namespace

UnitOfWork::UnitOfWork(Connection& c, const RequestContext& ctx)
    : c_(c), ctx_(ctx) {}

absl::StatusOr<std::optional<std::string>> UnitOfWork::Claim(
    const domain::IdempotencyKey& key) {
  return ClaimRequestId(c_, key, absl::Now());
}

void UnitOfWork::RecordResponse(const domain::IdempotencyKey& key,
                                const google::protobuf::Message& response) {
  store::RecordResponse(c_, key, response);
}

void UnitOfWork::Record(domain::ChangeNote note) {
  if (!note.profile_id.empty()) {
    WriteAccessEvent(c_, ctx_, note.profile_id, note.resource);
  }
  notes_.push_back(std::move(note));
}

size_t UnitOfWork::Finish() {
  AppendChanges(c_, ctx_, notes_);
  return notes_.size();
}

void AppendChanges(Connection& c, const RequestContext& ctx,
                   const std::vector<domain::ChangeNote>& notes) {
  const int64_t n = static_cast<int64_t>(notes.size());
  const std::string subject = ctx.principal.subject;
  const std::string role(auth::RoleName(ctx.principal.role));
  const std::string organisation = OrganisationIdOf(ctx.principal);
  for (int64_t start = 0; start < n; start += kChunk) {
    const int64_t rows = std::min<int64_t>(kChunk, n - start);
    std::vector<std::string> values(rows, kRow);
    Statement s = c.Prepare(absl::StrCat(
        "INSERT INTO changes (commit_time, resource, resource_type, kind, "
        "field_paths, profile_id, organisations, guardians, actor_subject, "
        "actor_role, actor_organisation_id, method) VALUES ",
        absl::StrJoin(values, ", ")));
    for (int64_t i = start; i < start + rows; ++i) {
      const domain::ChangeNote& note = notes[i];
      s.Bind(note.resource)
          .Bind(note.resource_type)
          .Bind(v1::Change::Kind_Name(note.kind))
          .Bind(absl::StrJoin(note.field_paths, ","))
          .BindOrNull(note.profile_id)
          .Bind(note.profile_id)
          .Bind(note.adviser_id)
          .Bind(note.profile_id)
          .Bind(note.profile_id)
          .Bind(note.profile_id)
          .Bind(subject)
          .Bind(role)
          .BindOrNull(organisation)
          .Bind(ctx.method);
    }
    s.Execute();
  }
}

absl::Status Write(Database& db, const RequestContext& ctx,
                   absl::string_view what,
                   absl::FunctionRef<absl::Status(UnitOfWork&)> fn) {
  size_t changes = 0;
  absl::Status status =
      db.Transact(what, ctx.deadline, [&](Connection& c) -> absl::Status {
        UnitOfWork unit(c, ctx);
        if (absl::Status s = fn(unit); !s.ok()) return s;
        changes = unit.Finish();
        return absl::OkStatus();
      });
  if (status.ok() && changes > 0) db.NotifyChanges();
  return status;
}

}  // namespace careers::store
