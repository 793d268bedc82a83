#ifndef CAREERS_SERVER_API_ASYNC_SERVER_H_
#define CAREERS_SERVER_API_ASYNC_SERVER_H_

#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/impl/service_type.h>
#include <grpcpp/support/async_stream.h>
#include <grpcpp/support/async_unary_call.h>
#include <grpcpp/support/byte_buffer.h>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "server/api/call.h"
#include "server/api/rpc_table.h"

namespace careers::api {

// A service registered with gRPC under its real name (so server reflection
// lists it) whose methods all take and return serialized bytes: the server
// parses requests itself (to name the field of a bad one) and finds each
// method's handling from the descriptors. Owned by the AsyncServer.
class RawService final : public grpc::Service {
 public:
  explicit RawService(const google::protobuf::ServiceDescriptor* service);

  void RequestUnary(int index, grpc::ServerContext* context,
                    grpc::ByteBuffer* request,
                    grpc::ServerAsyncResponseWriter<grpc::ByteBuffer>* writer,
                    grpc::ServerCompletionQueue* cq, void* tag) {
    RequestAsyncUnary(index, context, request, writer, cq, cq, tag);
  }
  void RequestServerStream(int index, grpc::ServerContext* context,
                           grpc::ByteBuffer* request,
                           grpc::ServerAsyncWriter<grpc::ByteBuffer>* writer,
                           grpc::ServerCompletionQueue* cq, void* tag) {
    RequestAsyncServerStreaming(index, context, request, writer, cq, cq, tag);
  }

  const google::protobuf::ServiceDescriptor* descriptor() const {
    return descriptor_;
  }

 private:
  const google::protobuf::ServiceDescriptor* const descriptor_;
  std::vector<std::string> paths_;  // the methods point at these
};

// Something the completion queue hands back: every tag the server gives
// gRPC is one of these.
class CqTag {
 public:
  virtual void Done(bool ok) = 0;

 protected:
  ~CqTag() = default;
};

class StreamCall;

// The sending side of an open server stream (a health Watch, and later the
// change feed). Messages wait in a small queue of the stream's own and go
// out one write at a time; a reader too slow to keep the queue below
// `max_pending` is cut off with RESOURCE_EXHAUSTED, so memory stays bounded
// whatever the client does. Thread-safe; a handle keeps the stream alive.
class StreamHandle {
 public:
  StreamHandle() = default;
  explicit StreamHandle(StreamCall* call);  // takes a reference
  StreamHandle(const StreamHandle& other);
  StreamHandle& operator=(const StreamHandle& other);
  ~StreamHandle();

  // Queues `message`; false if the stream has ended (or just did because
  // its reader fell behind).
  bool Send(const google::protobuf::Message& message) const;
  // Messages queued and not yet written: a sender that would rather wait
  // than have its reader cut off sends only while this is small.
  size_t pending() const;
  // True once the stream is ending (End, cut off, client gone).
  bool ended() const;
  // Ends the stream with `status` once the queued messages are written.
  void End(const grpc::Status& status) const;
  // A process-unique id of the stream.
  uintptr_t id() const { return reinterpret_cast<uintptr_t>(call_); }

 private:
  StreamCall* call_ = nullptr;
};

// How the server answers the methods it does not run on workers.
struct InlineMethods {
  // Answered on the completion-queue thread at once (health checks): fill
  // the response from the parsed request.
  using Unary = std::function<grpc::Status(const google::protobuf::Message&,
                                           google::protobuf::Message*)>;
  // Server streaming: called once with the call's inputs (its metadata,
  // read by CallRunner::Prepare), the parsed request and the stream, on
  // the completion-queue thread, so it must not block (a stream that needs
  // its caller admitted hands that to a thread of its own); `on_done` is
  // called once when the call ends for any reason (client gone, End,
  // shutdown).
  struct Stream {
    std::function<grpc::Status(const CallInputs& inputs,
                               const google::protobuf::Message& request,
                               const StreamHandle& stream)>
        start;
    std::function<void(const StreamHandle& stream)> on_done;
  };
  // Keyed by "grpc.health.v1.Health/Check".
  std::vector<std::pair<std::string, Unary>> unary;
  std::vector<std::pair<std::string, Stream>> streams;
  // Services (full names) whose methods are all inline.
  std::vector<const google::protobuf::ServiceDescriptor*> services;
};

// careers-server's gRPC server on the completion-queue API. A few
// completion-queue threads do only cheap work: match calls, read their
// metadata, answer health checks and inline methods, write responses. The
// RPCs of the RpcTable run on a fixed pool of workers (sized to the
// database pool). A call waits in a FIFO queue for a worker until its
// deadline; only a call finding `max_queued` calls ahead of it is refused
// at once, with RESOURCE_EXHAUSTED and google.rpc.RetryInfo. Every call is
// answered at its deadline at the latest (DEADLINE_EXCEEDED), whatever its
// worker is doing: an alarm per call, and one atomic state so a call is
// answered exactly once (a late worker's result is dropped). Thread-safe.
class AsyncServer {
 public:
  struct Options {
    std::string listen = "127.0.0.1:0";
    std::shared_ptr<grpc::ServerCredentials> credentials;
    int max_message_bytes = 4 << 20;
    // Each with one thread; 0: one per core the process may run on, at
    // most two (more would only take turns on the cores).
    int completion_queues = 0;
    int workers = 8;
    int max_queued = 5000;
    // Calls kept requested per method and completion queue, so an arriving
    // call is matched at once.
    int requests_per_method = 2;
    // What RESOURCE_EXHAUSTED's RetryInfo asks a client to wait.
    absl::Duration retry_delay = absl::Seconds(1);
    // Answer and log successful calls of these methods without a log line
    // (health probes come every second from every load balancer).
    std::vector<std::string> quiet_methods = {"grpc.health.v1.Health/Check",
                                              "grpc.health.v1.Health/Watch"};
    bool reflection = true;
  };

  // `runner` and `rpcs` must outlive the server.
  AsyncServer(Options options, const CallRunner& runner, const RpcTable& rpcs,
              InlineMethods inline_methods);
  AsyncServer(const AsyncServer&) = delete;
  AsyncServer& operator=(const AsyncServer&) = delete;
  // Shuts down if still running.
  ~AsyncServer();

  // Listens and serves. The port chosen when `listen` ends in :0.
  absl::StatusOr<int> Start();

  // Ends serving in steps (plus half a second for gRPC at the end):
  // 1. new calls, and calls still waiting for a worker, are answered
  //    UNAVAILABLE (so clients retry elsewhere; never CANCELLED), for at
  //    least a moment (until calls stop coming for 200 ms, at most 1 s);
  // 2. calls running on workers get until `drain_until`; then the rest are
  //    answered UNAVAILABLE, and open streams are ended;
  // 3. workers get until `stop_until` to let go of their calls;
  // 4. gRPC shuts down and the completion queues are drained.
  // Returns true if every worker has stopped; false if some are still
  // blocked (e.g. on a frozen database) — the process should then exit
  // without waiting for them (their transactions roll back when their
  // connections close with it).
  bool Shutdown(absl::Time drain_until, absl::Time stop_until);

  // Calls running on workers, and waiting for one.
  int running() const;
  int queued() const;

 private:
  class UnaryCall;
  friend class UnaryCall;
  friend class StreamCall;

  struct Method {
    RawService* service = nullptr;
    int index = 0;
    std::string name;  // "careers.v1.ProfileService/GetProfile"
    std::string path;  // "/careers.v1.ProfileService/GetProfile"
    const google::protobuf::MethodDescriptor* descriptor = nullptr;
    const Rpc* rpc = nullptr;                              // on a worker
    const InlineMethods::Unary* inline_unary = nullptr;    // on the CQ
    const InlineMethods::Stream* inline_stream = nullptr;  // streaming
    bool quiet = false;
  };

  void Request(const Method& method, grpc::ServerCompletionQueue* cq);
  void PollLoop(grpc::ServerCompletionQueue* cq);
  void WorkLoop();
  // Queues a call for a worker; false when the queue is full or closed.
  bool Enqueue(UnaryCall* call);
  void Running(UnaryCall* call, bool running);
  bool draining() const { return draining_.load(); }
  void StreamOpened(StreamCall* call);
  void StreamClosed(StreamCall* call);

  const Options options_;
  const CallRunner& runner_;
  const RpcTable& rpcs_;
  const InlineMethods inline_;
  std::vector<std::unique_ptr<RawService>> services_;
  std::vector<Method> methods_;
  std::unique_ptr<grpc::Server> server_;
  std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> cqs_;
  std::vector<std::thread> pollers_;
  std::vector<std::thread> workers_;

  std::atomic<bool> started_{false};
  std::atomic<bool> draining_{false};
  std::atomic<bool> shut_down_{false};
  std::atomic<int64_t> last_arrival_us_{0};  // when the latest call came

  mutable absl::Mutex queue_mu_;
  absl::CondVar queue_cv_;
  std::deque<UnaryCall*> queue_ ABSL_GUARDED_BY(queue_mu_);
  bool queue_closed_ ABSL_GUARDED_BY(queue_mu_) = false;
  int workers_alive_ ABSL_GUARDED_BY(queue_mu_) = 0;
  absl::flat_hash_set<UnaryCall*> running_calls_ ABSL_GUARDED_BY(queue_mu_);

  absl::Mutex streams_mu_;
  absl::flat_hash_set<StreamCall*> streams_ ABSL_GUARDED_BY(streams_mu_);
};

}  // namespace careers::api

#endif  // CAREERS_SERVER_API_ASYNC_SERVER_H_
