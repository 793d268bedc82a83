#include "server/store/unit_of_work.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "server/store/access_log.h"
#include "server/store/request_log.h"

namespace careers::store {
namespace {

constexpr int kChunk = 50;  // rows per multi-row INSERT

// One row of `changes`. Who may see it is read in the statement itself,
// as the facts stand in this transaction: the organisations with an
// active sharing consent for the profile, the organisation of the
// appointment's adviser, and the active guardian links (the domain decides
// which were in force, for the commit time).
constexpr char kRow[] =
    "(LAST_INSERT_ID() - ?, NOW(6), ?, ?, ?, ?, ?, "
    "CONCAT_WS(' ', (SELECT GROUP_CONCAT(organisation_id ORDER BY "
    "organisation_id SEPARATOR ' ') FROM consents WHERE profile_id = ? AND "
    "active_key LIKE 'SHARE\\_WITH\\_ORGANISATION:%'), (SELECT "
    "organisation_id FROM advisers WHERE id = ?)), "
    "(SELECT JSON_ARRAYAGG(JSON_OBJECT('subject', l.guardian_subject, "
    "'confirm_time', DATE_FORMAT(l.confirm_time, '%Y-%m-%d %H:%i:%s.%f'), "
    "'birth_date', DATE_FORMAT(p.birth_date, '%Y-%m-%d'))) FROM "
    "guardian_links l JOIN profiles p ON p.id = l.profile_id WHERE "
    "l.profile_id = ? AND l.active_subject IS NOT NULL), ?, ?, ?, ?)";

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
  if (notes.empty()) return;
  const int64_t n = static_cast<int64_t>(notes.size());
  // The transaction's last lock: held until COMMIT, so sequences are
  // handed out in commit order.
  c.Prepare(
       "UPDATE change_sequence SET last_sequence = "
       "LAST_INSERT_ID(last_sequence + ?) WHERE id = 1")
      .Bind(n)
      .Execute();
  const std::string subject = ctx.principal.subject;
  const std::string role(auth::RoleName(ctx.principal.role));
  const std::string organisation = OrganisationIdOf(ctx.principal);
  for (int64_t start = 0; start < n; start += kChunk) {
    const int64_t rows = std::min<int64_t>(kChunk, n - start);
    std::vector<std::string> values(rows, kRow);
    Statement s = c.Prepare(absl::StrCat(
        "INSERT INTO changes (sequence, commit_time, resource, "
        "resource_type, kind, field_paths, profile_id, organisations, "
        "guardians, actor_subject, actor_role, actor_organisation_id, method) "
        "VALUES ",
        absl::StrJoin(values, ", ")));
    for (int64_t i = start; i < start + rows; ++i) {
      const domain::ChangeNote& note = notes[i];
      s.Bind(n - 1 - i)
          .Bind(note.resource)
          .Bind(note.resource_type)
          .Bind(v1::Change::Kind_Name(note.kind))
          .Bind(absl::StrJoin(note.field_paths, ","))
          .BindOrNull(note.profile_id)
          .Bind(note.profile_id)
          .Bind(note.adviser_id)
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
