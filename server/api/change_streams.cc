#include "server/api/change_streams.h"

#include <algorithm>
#include <utility>

#include "absl/time/clock.h"
#include "careers/v1/change_service.pb.h"
#include "server/api/grpc_status.h"
#include "server/common/logging.h"
#include "server/domain/change_feed.h"

namespace careers::api {
namespace {

constexpr char kMethod[] = "careers.v1.ChangeService/WatchChanges";
// How long a database read of the feed may take.
constexpr absl::Duration kReadDeadline = absl::Seconds(5);

}  // namespace

ChangeStreams::ChangeStreams(const CallRunner& runner,
                             domain::ChangeRepository& changes, Options options)
    : runner_(runner), changes_(changes), options_(options) {}

ChangeStreams::~ChangeStreams() { Stop(); }

void ChangeStreams::Start() {
  thread_ = std::thread([this] { Loop(); });
}

bool ChangeStreams::Stop(absl::Duration bound) {
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

void ChangeStreams::Notify() {
  absl::MutexLock lock(&mu_);
  wake_ = true;
  cv_.Signal();
}

size_t ChangeStreams::open_streams() const {
  absl::MutexLock lock(&mu_);
  return open_;
}

InlineMethods::Stream ChangeStreams::Method() {
  InlineMethods::Stream method;
  method.start = [this](const CallInputs& inputs,
                        const google::protobuf::Message& request,
                        const StreamHandle& stream) -> grpc::Status {
    absl::MutexLock lock(&mu_);
    const bool full = open_ >= static_cast<size_t>(options_.max_streams);
    // Counted even when refused: on_done follows every start, refused or
    // not, and takes one off; counting only the admitted ones let each
    // refusal free a place, so retrying clients went past max_streams.
    ++open_;
    if (stopping_) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                          "the server is shutting down; try again");
    }
    if (full) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "too many change streams are open on this server");
    }
    Opening opening{inputs,
                    std::unique_ptr<google::protobuf::Message>(request.New()),
                    stream};
    opening.request->CopyFrom(request);
    openings_.push_back(std::move(opening));
    wake_ = true;
    cv_.Signal();
    return grpc::Status::OK;
  };
  method.on_done = [this](const StreamHandle& stream) {
    absl::MutexLock lock(&mu_);
    if (open_ > 0) --open_;
    closed_.push_back(stream.id());
  };
  return method;
}

void ChangeStreams::Loop() {
  bool busy = false;  // more to read or to catch up on: go round at once
  for (;;) {
    std::vector<Opening> openings;
    std::vector<uintptr_t> closed;
    {
      absl::MutexLock lock(&mu_);
      if (!busy && !wake_ && !stopping_) {
        cv_.WaitWithTimeout(&mu_, options_.poll_interval);
      }
      if (stopping_) break;
      wake_ = false;
      openings.swap(openings_);
      closed.swap(closed_);
    }
    for (uintptr_t id : closed) watchers_.erase(id);
    const absl::Time now = absl::Now();
    busy = ReadNew(now);
    for (Opening& opening : openings) Admit(opening, now);
    for (auto it = watchers_.begin(); it != watchers_.end();) {
      if (it->second.stream.ended()) {
        it = watchers_.erase(it);
        continue;
      }
      if (Serve(it->second, now)) busy = true;
      ++it;
    }
    if (busy) {
      // Let writers and readers run between rounds of catching up.
      absl::SleepFor(absl::Milliseconds(2));
    }
  }
  const grpc::Status going(grpc::StatusCode::UNAVAILABLE,
                           "the server is shutting down; resume elsewhere "
                           "with your last change_token");
  for (auto& [id, w] : watchers_) w.stream.End(going);
  watchers_.clear();
  absl::MutexLock lock(&mu_);
  for (Opening& o : openings_) o.stream.End(going);
  openings_.clear();
  finished_ = true;
  cv_.SignalAll();
}

bool ChangeStreams::ReadNew(absl::Time now) {
  if (window_base_ < 0) {
    absl::StatusOr<domain::FeedBounds> bounds =
        changes_.Bounds(now + kReadDeadline);
    if (!bounds.ok()) {
      spdlog::warn("change feed: {}", bounds.status().ToString());
      return false;
    }
    bounds_ = *bounds;
    head_ = window_base_ = bounds->last_sequence;
  }
  absl::StatusOr<domain::ChangeBatch> batch =
      changes_.ReadAfter(now + kReadDeadline, head_, options_.page);
  if (!batch.ok()) {
    spdlog::warn("change feed: {}", batch.status().ToString());
    return false;
  }
  bounds_ = batch->bounds;
  const size_t ready = batch->changes.size();
  for (size_t i = 0; i < ready; ++i) {
    head_ = batch->changes[i].change.sequence();
    window_.push_back(std::move(batch->changes[i]));
  }
  while (window_.size() > options_.window) {
    window_base_ = window_.front().change.sequence();
    window_.pop_front();
  }
  return ready == static_cast<size_t>(options_.page);
}

void ChangeStreams::Admit(Opening& opening, absl::Time now) {
  const auto& request =
      static_cast<const v1::WatchChangesRequest&>(*opening.request);
  absl::StatusOr<RequestContext> ctx =
      runner_.Admit(opening.inputs, kMethod, request, nullptr);
  absl::StatusOr<std::vector<std::string>> types =
      ctx.ok() ? domain::ParseResourceTypes("resource_types",
                                            request.resource_types())
               : ctx.status();
  if (!types.ok()) {
    opening.stream.End(ToGrpcStatus(types.status()));
    return;
  }
  if (window_base_ < 0) {
    // The feed could not be read yet (the database did not answer): where
    // "now" is, and whether a token is current, are unknown.
    opening.stream.End(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    "the change feed cannot be read just now; "
                                    "try again"));
    return;
  }
  Watcher w;
  w.stream = opening.stream;
  w.caller = ctx->principal;
  w.types = *std::move(types);
  w.cursor = head_;
  if (!request.change_token().empty()) {
    absl::StatusOr<int64_t> after =
        domain::DecodeChangeToken("change_token", request.change_token());
    if (after.ok() && *after > bounds_.last_sequence) {
      // From another replica that has seen newer changes than this one
      // has read yet: ask the database, not the window.
      absl::StatusOr<domain::FeedBounds> fresh =
          changes_.Bounds(now + kReadDeadline);
      if (fresh.ok()) bounds_ = *fresh;
    }
    absl::Status resumable =
        after.ok() ? domain::CheckResumable("change_token", *after, bounds_)
                   : after.status();
    if (!resumable.ok()) {
      opening.stream.End(ToGrpcStatus(resumable));
      return;
    }
    w.cursor = *after;
  }
  // The first message: where the stream starts.
  v1::WatchChangesResponse hello;
  hello.set_change_token(domain::EncodeChangeToken(w.cursor));
  w.stream.Send(hello);
  w.last_sent = now;
  watchers_.emplace(w.stream.id(), std::move(w));
}

bool ChangeStreams::Serve(Watcher& w, absl::Time now) {
  if (w.stream.pending() >= options_.max_pending) {
    if (w.blocked_since == absl::InfiniteFuture()) w.blocked_since = now;
    if (now - w.blocked_since > options_.slow_reader_limit) {
      w.stream.End(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          "the reader took nothing for too long; open the stream again with "
          "the last change_token"));
    }
    return false;
  }
  w.blocked_since = absl::InfiniteFuture();
  if (w.cursor >= head_) {
    if (now - w.last_sent >= options_.heartbeat) {
      v1::WatchChangesResponse beat;
      beat.set_change_token(domain::EncodeChangeToken(w.cursor));
      w.stream.Send(beat);
      w.last_sent = now;
    }
    return false;
  }
  v1::WatchChangesResponse message;
  int64_t looked_at = w.cursor;
  bool more = false;
  if (w.cursor >= window_base_) {
    // From the window: the first change after the cursor.
    auto it =
        std::upper_bound(window_.begin(), window_.end(), w.cursor,
                         [](int64_t seq, const domain::RecordedChange& c) {
                           return seq < c.change.sequence();
                         });
    int examined = 0;
    for (; it != window_.end(); ++it) {
      if (message.changes_size() >= options_.max_per_message ||
          examined >= options_.page) {
        more = true;
        break;
      }
      ++examined;
      looked_at = it->change.sequence();
      if (auto shown = domain::ShownTo(w.caller, w.types, *it)) {
        *message.add_changes() = *std::move(shown);
      }
    }
    if (it == window_.end()) looked_at = std::max(looked_at, head_);
  } else {
    // Further back than the window: a page from the database.
    absl::StatusOr<domain::ChangeBatch> batch = changes_.ReadAfter(
        now + kReadDeadline, w.cursor, options_.max_per_message);
    if (!batch.ok()) {
      spdlog::warn("change feed catch-up: {}", batch.status().ToString());
      return true;
    }
    if (absl::Status s =
            domain::CheckResumable("change_token", w.cursor, batch->bounds);
        !s.ok()) {
      w.stream.End(ToGrpcStatus(s));
      return false;
    }
    for (const domain::RecordedChange& c : batch->changes) {
      if (c.change.sequence() > head_) break;  // the window's part
      looked_at = c.change.sequence();
      if (auto shown = domain::ShownTo(w.caller, w.types, c)) {
        *message.add_changes() = *std::move(shown);
      }
    }
    // Nothing missing up to the window (all read, or the first change read
    // is beyond it): go on from the window.
    if (static_cast<int>(batch->changes.size()) < options_.max_per_message ||
        batch->changes.front().change.sequence() > window_base_) {
      looked_at = std::max(looked_at, window_base_);
    }
    more = true;
  }
  const bool moved = looked_at > w.cursor;
  w.cursor = looked_at;
  if (message.changes_size() > 0 ||
      (moved && now - w.last_sent >= options_.heartbeat)) {
    message.set_change_token(domain::EncodeChangeToken(w.cursor));
    w.stream.Send(message);
    w.last_sent = now;
  }
  return more;
}

}  // namespace careers::api
