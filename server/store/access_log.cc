#include "server/store/access_log.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "server/common/ids.h"
#include "server/common/logging.h"

namespace careers::store {
namespace {

constexpr char kColumns[] =
    "(profile_id, id, time, actor_subject, actor_role, actor_organisation_id, "
    "action, method, resource, request_id, reason)";
constexpr int kChunk = 32;  // rows per multi-row INSERT

std::string OrganisationIdOf(const auth::Principal& p) {
  if (!p.IsStaff()) return "";
  return p.organisation.substr(p.organisation.find('/') + 1);
}

}  // namespace

void WriteAccessEvent(Connection& c, const RequestContext& ctx,
                      absl::string_view resource) {
  WriteAccessEvent(c, ctx, names::ProfileIdOf(resource), resource);
}

void WriteAccessEvent(Connection& c, const RequestContext& ctx,
                      absl::string_view profile_id,
                      absl::string_view resource) {
  if (!ctx.record_access || profile_id.empty()) return;  // not a person's data
  const absl::Time now = absl::Now();
  c.Prepare(absl::StrCat("INSERT INTO access_events ", kColumns,
                         " VALUES (?, ?, ?, ?, ?, ?, 'WRITE', ?, ?, ?, ?)"))
      .Bind(profile_id)
      .Bind(NewResourceId(now))
      .Bind(now)
      .Bind(ctx.principal.subject)
      .Bind(auth::RoleName(ctx.principal.role))
      .BindOrNull(OrganisationIdOf(ctx.principal))
      .Bind(ctx.method)
      .Bind(resource)
      .Bind(ctx.request_id)
      .BindOrNull(ctx.access_reason)
      .Execute();
}

BatchedAccessLog::BatchedAccessLog(Database& db, absl::Duration interval,
                                   size_t batch_size, size_t max_queued)
    : db_(db),
      interval_(interval),
      batch_size_(batch_size),
      max_queued_(max_queued) {}

BatchedAccessLog::~BatchedAccessLog() { Stop(); }

void BatchedAccessLog::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void BatchedAccessLog::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (absl::Status s = Flush(); !s.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    spdlog::error(
        "access log: {} read event(s) could not be written at shutdown: {}",
        queue_.size(), s.ToString());
  }
}

void BatchedAccessLog::RecordRead(const RequestContext& ctx,
                                  absl::string_view profile_id,
                                  absl::string_view resource) {
  if (!ctx.record_access || profile_id.empty()) return;
  const absl::Time now = absl::Now();
  Event e{std::string(profile_id),
          NewResourceId(now),
          now,
          ctx.principal.subject,
          std::string(auth::RoleName(ctx.principal.role)),
          OrganisationIdOf(ctx.principal),
          ctx.method,
          std::string(resource),
          ctx.request_id,
          ctx.access_reason};
  bool wake;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= max_queued_) {
      queue_.pop_front();
      if (dropped_++ % 1000 == 0) {
        spdlog::error(
            "access log: queue full, dropping the oldest read events");
      }
    }
    queue_.push_back(std::move(e));
    wake = queue_.size() >= batch_size_;
  }
  if (wake) wake_.notify_one();
}

uint64_t BatchedAccessLog::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

void BatchedAccessLog::Loop() {
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, absl::ToChronoMilliseconds(interval_), [this] {
        return stopping_ || queue_.size() >= batch_size_;
      });
      if (stopping_) return;  // Stop() flushes the rest
    }
    if (absl::Status s = Flush(); !s.ok()) {
      spdlog::warn("access log: writing read events failed, will retry: {}",
                   s.ToString());
    }
  }
}

absl::Status BatchedAccessLog::Flush() {
  std::lock_guard<std::mutex> writer(write_mu_);
  while (true) {
    std::deque<Event> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (queue_.empty()) return absl::OkStatus();
      const size_t n = std::min(queue_.size(), batch_size_);
      batch.assign(
          std::make_move_iterator(queue_.begin()),
          std::make_move_iterator(queue_.begin() + static_cast<long>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(n));
    }
    absl::Status status = Write(batch);
    if (!status.ok()) {
      // Put them back in front, in order, to try again later.
      std::lock_guard<std::mutex> lock(mu_);
      queue_.insert(queue_.begin(), std::make_move_iterator(batch.begin()),
                    std::make_move_iterator(batch.end()));
      return status;
    }
  }
}

absl::Status BatchedAccessLog::Write(const std::deque<Event>& events) {
  auto bind = [](Statement& s, const Event& e) {
    s.Bind(e.profile_id)
        .Bind(e.id)
        .Bind(e.time)
        .Bind(e.actor_subject)
        .Bind(e.actor_role)
        .BindOrNull(e.actor_organisation_id)
        .Bind(e.method)
        .Bind(e.resource)
        .Bind(e.request_id)
        .BindOrNull(e.reason);
  };
  return db_.Transact(
      "WriteAccessEvents", absl::Now() + absl::Seconds(10), [&](Connection& c) {
        std::string many =
            absl::StrCat("INSERT INTO access_events ", kColumns, " VALUES ");
        for (int i = 0; i < kChunk; ++i) {
          absl::StrAppend(&many, i ? ", " : "",
                          "(?, ?, ?, ?, ?, ?, 'READ', ?, ?, ?, ?)");
        }
        const std::string one =
            absl::StrCat("INSERT INTO access_events ", kColumns,
                         " VALUES (?, ?, ?, ?, ?, ?, 'READ', ?, ?, ?, ?)");
        size_t i = 0;
        for (; i + kChunk <= events.size(); i += kChunk) {
          Statement s = c.Prepare(many);
          for (int k = 0; k < kChunk; ++k) bind(s, events[i + k]);
          s.Execute();
        }
        for (; i < events.size(); ++i) {
          Statement s = c.Prepare(one);
          bind(s, events[i]);
          s.Execute();
        }
        return absl::OkStatus();
      });
}

}  // namespace careers::store
