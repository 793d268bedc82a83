#include "server/store/change_store.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "server/common/logging.h"
#include "server/common/proto_time.h"
#include "server/domain/resource_names.h"

namespace careers::store {
namespace {

constexpr char kColumns[] =
    "sequence, commit_time, resource, resource_type, kind, field_paths, "
    "profile_id, organisations, guardians, actor_subject, actor_role, "
    "actor_organisation_id, method";

std::optional<absl::Time> ParseDbTime(const std::string& text) {
  absl::Time t;
  std::string err;
  if (text.empty() || !absl::ParseTime("%Y-%m-%d %H:%M:%E*S", text,
                                       absl::UTCTimeZone(), &t, &err)) {
    return std::nullopt;
  }
  return t;
}

// The guardian facts of a row (JSON written by AppendChanges: the person's
// birth date and their active links); none if unreadable, which hides the
// change from guardians rather than showing it.
std::vector<domain::GuardianFact> GuardiansOf(const std::string& text) {
  std::vector<domain::GuardianFact> out;
  if (text.empty()) return out;
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  absl::CivilDay birth;
  if (!j.is_object() || !j.contains("birth_date") ||
      !j["birth_date"].is_string() ||
      !absl::ParseCivilTime(j["birth_date"].get<std::string>(), &birth) ||
      !j.contains("links") || !j["links"].is_array()) {
    return out;
  }
  for (const auto& g : j["links"]) {
    if (!g.is_object() || !g.contains("subject") || !g["subject"].is_string())
      continue;
    domain::GuardianFact fact;
    fact.subject = g["subject"].get<std::string>();
    if (g.contains("confirm_time") && g["confirm_time"].is_string()) {
      fact.confirm_time = ParseDbTime(g["confirm_time"].get<std::string>());
    }
    fact.birth_date = birth;
    out.push_back(std::move(fact));
  }
  return out;
}

domain::RecordedChange ChangeFromRow(sql::ResultSet& rs) {
  domain::RecordedChange r;
  v1::Change& c = r.change;
  c.set_sequence(static_cast<int64_t>(GetUint64(rs, 1)));
  *c.mutable_commit_time() = ToProtoTimestamp(GetTime(rs, 2));
  c.set_resource(GetString(rs, 3));
  c.set_resource_type(GetString(rs, 4));
  v1::Change::Kind kind = v1::Change::KIND_UNSPECIFIED;
  v1::Change::Kind_Parse(GetString(rs, 5), &kind);
  c.set_kind(kind);
  for (absl::string_view path :
       absl::StrSplit(GetString(rs, 6), ',', absl::SkipEmpty())) {
    c.add_field_paths(std::string(path));
  }
  if (!rs.isNull(7)) {
    r.profile_id = GetString(rs, 7);
    c.set_profile(names::Name(names::kProfiles, r.profile_id));
  }
  for (absl::string_view org :
       absl::StrSplit(GetString(rs, 8), ' ', absl::SkipEmpty())) {
    r.organisations.emplace_back(org);
  }
  if (!rs.isNull(9)) r.guardians = GuardiansOf(GetString(rs, 9));
  c.mutable_actor()->set_subject(GetString(rs, 10));
  c.mutable_actor()->set_role(GetString(rs, 11));
  if (!rs.isNull(12)) {
    c.mutable_actor()->set_organisation(
        names::Name(names::kOrganisations, GetString(rs, 12)));
  }
  c.set_method(GetString(rs, 13));
  return r;
}

domain::FeedBounds ReadBounds(Connection& c) {
  domain::FeedBounds b;
  auto rs = c.Prepare(
                 "SELECT last_sequence, pruned_through FROM change_sequence "
                 "WHERE id = 1")
                .Query();
  if (rs->next()) {
    b.last_sequence = static_cast<int64_t>(GetUint64(*rs, 1));
    b.pruned_through = static_cast<int64_t>(GetUint64(*rs, 2));
  }
  return b;
}

}  // namespace

absl::StatusOr<domain::ChangeBatch> ChangeStore::ReadAfter(absl::Time deadline,
                                                           int64_t after,
                                                           int limit) {
  domain::ChangeBatch batch;
  absl::Status status = db_.Read("ReadChanges", deadline, [&](Connection& c) {
    batch.changes.clear();
    {
      auto rs = c.Prepare(absl::StrCat("SELECT ", kColumns,
                                       " FROM changes WHERE sequence > ? "
                                       "ORDER BY sequence LIMIT ?"))
                    .Bind(after)
                    .Bind(int64_t{limit})
                    .Query();
      while (rs->next()) batch.changes.push_back(ChangeFromRow(*rs));
    }
    // After the rows: see ChangeBatch.
    batch.bounds = ReadBounds(c);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return batch;
}

absl::StatusOr<domain::FeedBounds> ChangeStore::Bounds(absl::Time deadline) {
  domain::FeedBounds bounds;
  absl::Status status = db_.Read("ChangeBounds", deadline, [&](Connection& c) {
    bounds = ReadBounds(c);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return bounds;
}

absl::StatusOr<int> ChangeStore::Prune(absl::Time cutoff, int limit,
                                       absl::Time deadline) {
  int64_t through = 0;
  absl::Status status = db_.Read("PruneChanges", deadline, [&](Connection& c) {
    auto rs = c.Prepare(
                   "SELECT CAST(COALESCE(MAX(sequence), 0) AS SIGNED) FROM "
                   "(SELECT sequence, commit_time FROM changes WHERE "
                   "sequence IS NOT NULL ORDER BY sequence LIMIT ?) oldest "
                   "WHERE commit_time < ?")
                  .Bind(int64_t{limit})
                  .Bind(cutoff)
                  .Query();
    if (rs->next()) through = rs->getInt64(1);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (through == 0) return 0;
  status = db_.Transact("PruneChanges", deadline, [&](Connection& c) {
    c.Prepare(
         "UPDATE change_sequence SET pruned_through = GREATEST("
         "pruned_through, ?) WHERE id = 1")
        .Bind(through)
        .Execute();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  int deleted = 0;
  status = db_.Transact("PruneChanges", deadline, [&](Connection& c) {
    deleted = static_cast<int>(
        c.Prepare("DELETE FROM changes WHERE sequence <= ? ORDER BY sequence "
                  "LIMIT ?")
            .Bind(through)
            .Bind(int64_t{limit})
            .Execute());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return deleted;
}

absl::StatusOr<int> ChangeStore::Sequence(int limit, absl::Time deadline) {
  int numbered = 0;
  absl::Status status =
      db_.Transact("SequenceChanges", deadline, [&](Connection& c) {
        numbered = 0;
        int64_t last = 0;
        {
          auto rs =
              c.Prepare(
                   "SELECT last_sequence FROM change_sequence WHERE id = 1 "
                   "FOR UPDATE")
                  .Query();
          if (rs->next()) last = static_cast<int64_t>(GetUint64(*rs, 1));
        }
        // The rows committed so far (the derived table is a plain read, so a
        // write still in flight is left for the next batch), in id order.
        numbered = static_cast<int>(
            c.Prepare("UPDATE changes c JOIN (SELECT id, ROW_NUMBER() OVER "
                      "(ORDER BY "
                      "id) AS n FROM changes WHERE sequence IS NULL ORDER BY "
                      "id LIMIT "
                      "?) todo ON todo.id = c.id SET c.sequence = ? + todo.n")
                .Bind(int64_t{limit})
                .Bind(last)
                .Execute());
        if (numbered > 0) {
          c.Prepare("UPDATE change_sequence SET last_sequence = ? WHERE id = 1")
              .Bind(last + numbered)
              .Execute();
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return numbered;
}

ChangeSequencer::ChangeSequencer(ChangeStore& store,
                                 std::function<void()> sequenced,
                                 absl::Duration interval, absl::Duration gather,
                                 int batch)
    : store_(store),
      sequenced_(std::move(sequenced)),
      interval_(interval),
      gather_(gather),
      batch_(batch) {}

ChangeSequencer::~ChangeSequencer() { Stop(); }

void ChangeSequencer::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ChangeSequencer::Notify() {
  absl::MutexLock lock(&mu_);
  if (wake_) return;  // already woken: the batch being gathered takes it
  wake_ = true;
  cv_.SignalAll();
}

bool ChangeSequencer::Stop(absl::Duration bound) {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    cv_.SignalAll();
    if (!thread_.joinable()) return true;
    const absl::Time until = absl::Now() + bound;
    while (!finished_ && absl::Now() < until) {
      cv_.WaitWithDeadline(&mu_, until);
    }
    if (!finished_) return false;
  }
  thread_.join();
  return true;
}

void ChangeSequencer::Loop() {
  bool more = false;
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (!more && !wake_ && !stopping_) cv_.WaitWithTimeout(&mu_, interval_);
      if (wake_ && !more) {
        // Woken by a write: let the writes of the next few milliseconds
        // join the batch, so numbering costs one transaction for many
        // writes rather than one each.
        const absl::Time until = absl::Now() + gather_;
        while (!stopping_ && absl::Now() < until) {
          cv_.WaitWithDeadline(&mu_, until);
        }
      }
      if (stopping_) break;
      wake_ = false;
    }
    absl::StatusOr<int> n =
        store_.Sequence(batch_, absl::Now() + absl::Seconds(5));
    if (!n.ok()) {
      spdlog::warn("numbering changes: {}", n.status().ToString());
      more = false;
      continue;
    }
    more = *n == batch_;
    if (*n > 0 && sequenced_) sequenced_();
  }
  absl::MutexLock lock(&mu_);
  finished_ = true;
  cv_.SignalAll();
}

}  // namespace careers::store
