#ifndef CAREERS_SERVER_API_CHANGE_STREAMS_H_
#define CAREERS_SERVER_API_CHANGE_STREAMS_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/api/async_server.h"
#include "server/api/call.h"
#include "server/domain/change_repository.h"

namespace careers::api {

// The open ChangeService/WatchChanges streams, served by one thread and no
// worker: it admits each new stream's caller (CallRunner::Admit), reads
// the feed's new changes once into a window kept in memory, and hands each
// stream what its caller may see, in order, from the window or, for a
// stream resuming further back, from the database a page at a time.
//
// Memory stays bounded whatever readers do: a stream is sent to only while
// fewer than `max_pending` of its messages wait to be written, so a slow
// reader makes its stream fall back to the database rather than queue; a
// reader that takes nothing for `slow_reader_limit` is ended with
// RESOURCE_EXHAUSTED (it resumes with its last token). Each message carries
// its resume token; an idle stream gets a heartbeat with the current token
// every `heartbeat`.
//
// The thread looks at the feed every `poll_interval` (other replicas'
// writes) and at once when Notify says a write here committed changes.
// Thread-safe. The runner and repository must outlive it.
class ChangeStreams {
 public:
  struct Options {
    absl::Duration poll_interval = absl::Milliseconds(200);
    absl::Duration heartbeat = absl::Seconds(15);
    int max_streams = 10000;
    size_t max_pending = 8;
    absl::Duration slow_reader_limit = absl::Seconds(60);
    size_t window = 20000;  // changes kept in memory
    int page = 500;         // changes read at a time
    int max_per_message = 100;
  };

  ChangeStreams(const CallRunner& runner, domain::ChangeRepository& changes,
                Options options);
  ChangeStreams(const CallRunner& runner, domain::ChangeRepository& changes)
      : ChangeStreams(runner, changes, Options()) {}
  ~ChangeStreams();  // Stop()
  ChangeStreams(const ChangeStreams&) = delete;
  ChangeStreams& operator=(const ChangeStreams&) = delete;

  void Start();
  // Ends every stream with UNAVAILABLE (clients resume elsewhere with their
  // last token) and stops the thread. Stop(bound) waits at most `bound`:
  // false if the thread is still blocked (in a read of a frozen database),
  // and then the object must not be destroyed before the process exits.
  void Stop() { Stop(absl::InfiniteDuration()); }
  bool Stop(absl::Duration bound);
  // A write committed changes: look now. Cheap; any thread.
  void Notify();

  // The stream method for AsyncServer (InlineMethods::streams).
  InlineMethods::Stream Method();

  // Streams open now (for tests and logs).
  size_t open_streams() const;

 private:
  struct Opening {
    CallInputs inputs;
    std::unique_ptr<google::protobuf::Message> request;
    StreamHandle stream;
  };
  struct Watcher {
    StreamHandle stream;
    auth::Principal caller;
    std::vector<std::string> types;
    int64_t cursor = 0;  // every change up to here has been looked at
    absl::Time last_sent;
    absl::Time blocked_since = absl::InfiniteFuture();
  };

  void Loop();
  void Admit(Opening& opening, absl::Time now);
  // Reads new changes into the window; true if there may be more now.
  bool ReadNew(absl::Time now);
  // Sends what `w` may see next; true if it has more to catch up on.
  bool Serve(Watcher& w, absl::Time now);

  const CallRunner& runner_;
  domain::ChangeRepository& changes_;
  const Options options_;

  mutable absl::Mutex mu_;
  absl::CondVar cv_;
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<Opening> openings_ ABSL_GUARDED_BY(mu_);
  std::vector<uintptr_t> closed_ ABSL_GUARDED_BY(mu_);
  size_t open_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;

  // The thread's own.
  std::map<uintptr_t, Watcher> watchers_;
  std::deque<domain::RecordedChange> window_;
  int64_t window_base_ = -1;  // every change in (base, head] is in window_
  int64_t head_ = 0;
  domain::FeedBounds bounds_;
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_CHANGE_STREAMS_H_
