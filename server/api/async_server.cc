#include "server/api/async_server.h"

#include <grpcpp/alarm.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/proto_buffer_writer.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "server/api/grpc_status.h"
#include "server/api/request_parsing.h"
#include "server/common/logging.h"

namespace careers::api {
namespace {

using google::protobuf::Message;

// Messages a stream keeps waiting for its reader before cutting it off.
constexpr size_t kMaxPendingStreamMessages = 16;

grpc::internal::RpcMethod::RpcType TypeOf(
    const google::protobuf::MethodDescriptor* m) {
  if (m->client_streaming() && m->server_streaming()) {
    return grpc::internal::RpcMethod::BIDI_STREAMING;
  }
  if (m->client_streaming()) return grpc::internal::RpcMethod::CLIENT_STREAMING;
  if (m->server_streaming()) return grpc::internal::RpcMethod::SERVER_STREAMING;
  return grpc::internal::RpcMethod::NORMAL_RPC;
}

const Message& PrototypeOf(const google::protobuf::Descriptor* type) {
  return *google::protobuf::MessageFactory::generated_factory()->GetPrototype(
      type);
}

bool Serialize(const Message& message, grpc::ByteBuffer* out) {
  bool own_buffer = false;
  return grpc::SerializationTraits<Message>::Serialize(message, out,
                                                       &own_buffer)
      .ok();
}

grpc::Status Unavailable() {
  return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                      "the server is shutting down; retry (another replica "
                      "will answer)");
}

grpc::Status QueueFull(absl::Duration retry_delay, int max_queued) {
  google::rpc::RetryInfo retry;
  retry.mutable_retry_delay()->set_seconds(absl::ToInt64Seconds(retry_delay));
  retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(retry_delay % absl::Seconds(1))));
  const std::string message =
      absl::StrCat("the server is overloaded (", max_queued,
                   " calls are waiting); retry after the delay given");
  google::rpc::Status details;
  details.set_code(static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED));
  details.set_message(message);
  details.add_details()->PackFrom(retry);
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, message,
                      details.SerializeAsString());
}

std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// A member function of `Call` as a completion-queue tag.
template <typename Call>
class MemberTag final : public CqTag {
 public:
  MemberTag(Call* call, void (Call::*fn)(bool)) : call_(call), fn_(fn) {}
  void Done(bool ok) override { (call_->*fn_)(ok); }

 private:
  Call* const call_;
  void (Call::*const fn_)(bool);
};

}  // namespace

// ------------------------------------------------------------ RawService

RawService::RawService(const google::protobuf::ServiceDescriptor* service)
    : descriptor_(service) {
  // The methods keep pointers into these strings: no reallocation.
  paths_.reserve(static_cast<size_t>(service->method_count()));
  for (int i = 0; i < service->method_count(); ++i) {
    const auto* method = service->method(i);
    paths_.push_back(
        absl::StrCat("/", service->full_name(), "/", method->name()));
    AddMethod(new grpc::internal::RpcServiceMethod(
        paths_.back().c_str(), TypeOf(method), /*handler=*/nullptr));
    MarkMethodRaw(i);
  }
}

// ------------------------------------------------------------- UnaryCall

// One unary call, from its request to its answer. Every tag it has given
// gRPC, and a worker's hold on it, counts a reference; the last one deletes
// it. `answered_` makes sure exactly one of the worker, the deadline alarm,
// a cancellation or shutdown answers it.
class AsyncServer::UnaryCall {
 public:
  UnaryCall(AsyncServer* server, const Method* method,
            grpc::ServerCompletionQueue* cq)
      : server_(server), method_(method), cq_(cq), responder_(&ctx_) {}

  void Arm() {
    refs_.store(1);  // the request tag
    ctx_.AsyncNotifyWhenDone(&done_tag_);
    method_->service->RequestUnary(method_->index, &ctx_, &request_bytes_,
                                   &responder_, cq_, &requested_tag_);
  }

  // On a worker, holding the queue's reference.
  void Work() {
    if (!answered_.load()) {
      server_->Running(this, true);
      absl::StatusOr<std::unique_ptr<Message>> request =
          ParseRequest(request_bytes_, *method_->rpc->request_prototype);
      absl::StatusOr<std::unique_ptr<Message>> response =
          request.ok() ? server_->runner_.Run(inputs_, *method_->rpc, **request)
                       : request.status();
      if (response.ok()) {
        Answer(grpc::Status::OK, response->get());
      } else {
        Answer(ToGrpcStatus(response.status()), nullptr);
      }
      server_->Running(this, false);
    }
    Unref();
  }

  // Answers the call unless someone already has. False if too late.
  bool Answer(const grpc::Status& status, const Message* response) {
    if (answered_.exchange(true)) return false;
    code_ = status.error_code();
    if (alarm_set_.load()) alarm_.Cancel();
    Ref();  // the finish tag
    if (status.ok() && response != nullptr &&
        Serialize(*response, &response_bytes_)) {
      responder_.Finish(response_bytes_, grpc::Status::OK, &finished_tag_);
    } else if (status.ok()) {
      code_ = grpc::StatusCode::INTERNAL;
      responder_.FinishWithError(
          grpc::Status(grpc::StatusCode::INTERNAL, "cannot encode response"),
          &finished_tag_);
    } else {
      responder_.FinishWithError(status, &finished_tag_);
    }
    return true;
  }

  void Unref() {
    if (refs_.fetch_sub(1) == 1) delete this;
  }

 private:
  void Ref() { refs_.fetch_add(1); }

  void OnRequested(bool ok) {
    if (!ok) {  // the server is shutting down; this request was never used
      Unref();
      return;
    }
    Ref();  // the done tag comes for every call that started
    server_->Request(*method_, cq_);  // the next call of this method
    start_ = absl::Now();
    server_->last_arrival_us_.store(absl::ToUnixMicros(start_));
    if (server_->draining()) {
      Answer(Unavailable(), nullptr);
    } else if (method_->inline_unary != nullptr) {
      AnswerInline();
    } else {
      inputs_ = server_->runner_.Prepare(ctx_, start_);
      Ref();  // the alarm tag
      alarm_.Set(cq_, absl::ToChronoTime(inputs_.deadline), &alarm_tag_);
      alarm_set_.store(true);
      Ref();  // the worker queue's hold
      if (!server_->Enqueue(this)) {
        Unref();
        Answer(server_->draining() ? Unavailable()
                                   : QueueFull(server_->options_.retry_delay,
                                               server_->options_.max_queued),
               nullptr);
      }
    }
    Unref();  // the request tag's
  }

  void AnswerInline() {
    absl::StatusOr<std::unique_ptr<Message>> request = ParseRequest(
        request_bytes_, PrototypeOf(method_->descriptor->input_type()));
    if (!request.ok()) {
      Answer(ToGrpcStatus(request.status()), nullptr);
      return;
    }
    std::unique_ptr<Message> response(
        PrototypeOf(method_->descriptor->output_type()).New());
    const grpc::Status status =
        (*method_->inline_unary)(**request, response.get());
    Answer(status, response.get());
  }

  void OnAlarm(bool ok) {
    if (ok) {
      Answer(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED,
                          "the deadline passed before the call was done"),
             nullptr);
    }
    Unref();
  }

  void OnDone(bool /*ok*/) {
    // A client that has gone needs no answer; one not yet given stops a
    // worker from starting on the call.
    if (ctx_.IsCancelled()) {
      Answer(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"), nullptr);
    }
    Unref();
  }

  void OnFinished(bool /*ok*/) {
    const grpc::StatusCode code =
        ctx_.IsCancelled() ? grpc::StatusCode::CANCELLED : code_;
    if (code != grpc::StatusCode::OK || !method_->quiet) {
      spdlog::info("rpc {} {} {:.3f}ms", method_->path, CodeName(code),
                   absl::ToDoubleMilliseconds(absl::Now() - start_));
    }
    Unref();
  }

  AsyncServer* const server_;
  const Method* const method_;
  grpc::ServerCompletionQueue* const cq_;
  grpc::ServerContext ctx_;
  grpc::ByteBuffer request_bytes_;
  grpc::ByteBuffer response_bytes_;
  grpc::ServerAsyncResponseWriter<grpc::ByteBuffer> responder_;
  grpc::Alarm alarm_;
  std::atomic<bool> alarm_set_{false};
  std::atomic<int> refs_{0};
  std::atomic<bool> answered_{false};
  grpc::StatusCode code_ = grpc::StatusCode::OK;
  absl::Time start_;
  CallInputs inputs_;
  MemberTag<UnaryCall> requested_tag_{this, &UnaryCall::OnRequested};
  MemberTag<UnaryCall> alarm_tag_{this, &UnaryCall::OnAlarm};
  MemberTag<UnaryCall> done_tag_{this, &UnaryCall::OnDone};
  MemberTag<UnaryCall> finished_tag_{this, &UnaryCall::OnFinished};
};

// ------------------------------------------------------------ StreamCall

// One server-streaming call: its request, then messages written one at a
// time from a small queue, then its end. References count as for
// UnaryCall, plus one per StreamHandle.
class StreamCall {
 public:
  StreamCall(AsyncServer* server, const AsyncServer::Method* method,
             grpc::ServerCompletionQueue* cq)
      : server_(server), method_(method), cq_(cq), writer_(&ctx_) {}

  void Arm() {
    refs_.store(1);
    ctx_.AsyncNotifyWhenDone(&done_tag_);
    method_->service->RequestServerStream(
        method_->index, &ctx_, &request_bytes_, &writer_, cq_, &requested_tag_);
  }

  bool Send(const Message& message) {
    grpc::ByteBuffer bytes;
    if (!Serialize(message, &bytes)) return false;
    absl::MutexLock lock(&mu_);
    if (ending_) return false;
    if (pending_.size() >= kMaxPendingStreamMessages) {
      // A reader that does not keep up is cut off, not buffered for.
      pending_.clear();
      EndLocked(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                             "the reader fell too far behind; open the "
                             "stream again"));
      return false;
    }
    pending_.push_back(std::move(bytes));
    if (!writing_) WriteNextLocked();
    return true;
  }

  void End(const grpc::Status& status) {
    absl::MutexLock lock(&mu_);
    EndLocked(status);
  }

  size_t pending() {
    absl::MutexLock lock(&mu_);
    return pending_.size() + (writing_ ? 1 : 0);
  }
  bool ended() {
    absl::MutexLock lock(&mu_);
    return ending_;
  }

  void Ref() { refs_.fetch_add(1); }
  void Unref() {
    if (refs_.fetch_sub(1) == 1) delete this;
  }

 private:
  void OnRequested(bool ok) {
    if (!ok) {
      Unref();
      return;
    }
    Ref();  // the done tag
    server_->Request(*method_, cq_);
    start_ = absl::Now();
    if (server_->draining()) {
      End(Unavailable());
      Unref();
      return;
    }
    absl::StatusOr<std::unique_ptr<Message>> request = ParseRequest(
        request_bytes_, PrototypeOf(method_->descriptor->input_type()));
    if (!request.ok()) {
      End(ToGrpcStatus(request.status()));
      Unref();
      return;
    }
    server_->StreamOpened(this);
    opened_ = true;
    const CallInputs inputs = server_->runner_.Prepare(ctx_, start_);
    const grpc::Status started =
        method_->inline_stream->start(inputs, **request, StreamHandle(this));
    if (!started.ok()) End(started);
    Unref();
  }

  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    writing_ = true;
    current_ = std::move(pending_.front());
    pending_.pop_front();
    Ref();  // the write tag
    writer_.Write(current_, &written_tag_);
  }

  void EndLocked(const grpc::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (ending_) return;
    ending_ = true;
    end_status_ = status;
    if (!writing_) FinishLocked();
  }

  void FinishLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finishing_) return;
    finishing_ = true;
    Ref();  // the finish tag
    writer_.Finish(end_status_, &finished_tag_);
  }

  void OnWritten(bool ok) {
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {  // the client has gone
        pending_.clear();
        EndLocked(grpc::Status(grpc::StatusCode::CANCELLED, "reader gone"));
      } else if (!pending_.empty() && !finishing_) {
        WriteNextLocked();
      } else if (ending_) {
        FinishLocked();
      }
    }
    Unref();
  }

  void OnDone(bool /*ok*/) {
    if (ctx_.IsCancelled()) {
      End(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
    }
    if (opened_) {
      method_->inline_stream->on_done(StreamHandle(this));
      server_->StreamClosed(this);
    }
    Unref();
  }

  void OnFinished(bool /*ok*/) {
    grpc::StatusCode code;
    {
      absl::MutexLock lock(&mu_);
      code = end_status_.error_code();
    }
    if (ctx_.IsCancelled()) code = grpc::StatusCode::CANCELLED;
    if ((code != grpc::StatusCode::OK && code != grpc::StatusCode::CANCELLED) ||
        !method_->quiet) {
      spdlog::info("rpc {} {} {:.3f}ms", method_->path, CodeName(code),
                   absl::ToDoubleMilliseconds(absl::Now() - start_));
    }
    Unref();
  }

  AsyncServer* const server_;
  const AsyncServer::Method* const method_;
  grpc::ServerCompletionQueue* const cq_;
  grpc::ServerContext ctx_;
  grpc::ByteBuffer request_bytes_;
  grpc::ServerAsyncWriter<grpc::ByteBuffer> writer_;
  std::atomic<int> refs_{0};
  absl::Time start_;
  bool opened_ = false;  // only the completion-queue thread touches it

  absl::Mutex mu_;
  std::deque<grpc::ByteBuffer> pending_ ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer current_ ABSL_GUARDED_BY(mu_);  // being written
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool ending_ ABSL_GUARDED_BY(mu_) = false;
  bool finishing_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status end_status_ ABSL_GUARDED_BY(mu_);

  MemberTag<StreamCall> requested_tag_{this, &StreamCall::OnRequested};
  MemberTag<StreamCall> written_tag_{this, &StreamCall::OnWritten};
  MemberTag<StreamCall> done_tag_{this, &StreamCall::OnDone};
  MemberTag<StreamCall> finished_tag_{this, &StreamCall::OnFinished};
};

StreamHandle::StreamHandle(StreamCall* call) : call_(call) {
  if (call_ != nullptr) call_->Ref();
}
StreamHandle::StreamHandle(const StreamHandle& other) : call_(other.call_) {
  if (call_ != nullptr) call_->Ref();
}
StreamHandle& StreamHandle::operator=(const StreamHandle& other) {
  if (other.call_ != nullptr) other.call_->Ref();
  if (call_ != nullptr) call_->Unref();
  call_ = other.call_;
  return *this;
}
StreamHandle::~StreamHandle() {
  if (call_ != nullptr) call_->Unref();
}
bool StreamHandle::Send(const Message& message) const {
  return call_ != nullptr && call_->Send(message);
}
void StreamHandle::End(const grpc::Status& status) const {
  if (call_ != nullptr) call_->End(status);
}
size_t StreamHandle::pending() const {
  return call_ == nullptr ? 0 : call_->pending();
}
bool StreamHandle::ended() const {
  return call_ == nullptr || call_->ended();
}

// ----------------------------------------------------------- AsyncServer

AsyncServer::AsyncServer(Options options, const CallRunner& runner,
                         const RpcTable& rpcs, InlineMethods inline_methods)
    : options_(std::move(options)),
      runner_(runner),
      rpcs_(rpcs),
      inline_(std::move(inline_methods)) {
  std::vector<const google::protobuf::ServiceDescriptor*> services =
      rpcs_.services();
  services.insert(services.end(), inline_.services.begin(),
                  inline_.services.end());
  for (const auto* service : services) {
    services_.push_back(std::make_unique<RawService>(service));
    for (int i = 0; i < service->method_count(); ++i) {
      Method m;
      m.service = services_.back().get();
      m.index = i;
      m.descriptor = service->method(i);
      m.name = absl::StrCat(service->full_name(), "/", m.descriptor->name());
      m.path = absl::StrCat("/", m.name);
      m.rpc = rpcs_.Find(m.name);
      for (const auto& [name, fn] : inline_.unary) {
        if (name == m.name) m.inline_unary = &fn;
      }
      for (const auto& [name, fn] : inline_.streams) {
        if (name == m.name) m.inline_stream = &fn;
      }
      m.quiet = std::find(options_.quiet_methods.begin(),
                          options_.quiet_methods.end(),
                          m.name) != options_.quiet_methods.end();
      methods_.push_back(std::move(m));
    }
  }
}

AsyncServer::~AsyncServer() {
  if (started_.load() && !shut_down_.load()) {
    Shutdown(absl::Now(), absl::Now() + absl::Seconds(1));
  }
}

absl::StatusOr<int> AsyncServer::Start() {
  for (const Method& m : methods_) {
    const bool streaming = m.descriptor->server_streaming();
    if (m.descriptor->client_streaming() ||
        (streaming && m.inline_stream == nullptr) ||
        (!streaming && m.rpc == nullptr && m.inline_unary == nullptr)) {
      return absl::InternalError(
          absl::StrCat(m.name, " has nothing to answer it"));
    }
  }
  if (options_.reflection) {
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  }
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(options_.listen,
                           options_.credentials != nullptr
                               ? options_.credentials
                               : grpc::InsecureServerCredentials(),
                           &port);
  for (const auto& service : services_) builder.RegisterService(service.get());
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  // Reflection is gRPC's own synchronous service: a thread or two for it.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::NUM_CQS,
                              1);
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 1);
  builder.SetSyncServerOption(
      grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 2);
  int completion_queues = options_.completion_queues;
  if (completion_queues <= 0) {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    const int usable =
        sched_getaffinity(0, sizeof(cpus), &cpus) == 0 ? CPU_COUNT(&cpus) : 2;
    completion_queues = std::clamp(usable, 1, 2);
  }
  for (int i = 0; i < completion_queues; ++i) {
    cqs_.push_back(builder.AddCompletionQueue());
  }
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen));
  }
  started_.store(true);
  {
    absl::MutexLock lock(&queue_mu_);
    workers_alive_ = std::max(1, options_.workers);
  }
  for (int i = 0; i < std::max(1, options_.workers); ++i) {
    workers_.emplace_back([this] { WorkLoop(); });
  }
  for (auto& cq : cqs_) {
    for (const Method& m : methods_) {
      for (int k = 0; k < std::max(1, options_.requests_per_method); ++k) {
        Request(m, cq.get());
      }
    }
    pollers_.emplace_back([this, cq = cq.get()] { PollLoop(cq); });
  }
  return port;
}

void AsyncServer::Request(const Method& method,
                          grpc::ServerCompletionQueue* cq) {
  if (method.descriptor->server_streaming()) {
    (new StreamCall(this, &method, cq))->Arm();
  } else {
    (new UnaryCall(this, &method, cq))->Arm();
  }
}

void AsyncServer::PollLoop(grpc::ServerCompletionQueue* cq) {
  void* tag = nullptr;
  bool ok = false;
  while (cq->Next(&tag, &ok)) static_cast<CqTag*>(tag)->Done(ok);
}

void AsyncServer::WorkLoop() {
  while (true) {
    UnaryCall* call = nullptr;
    {
      absl::MutexLock lock(&queue_mu_);
      queue_mu_.Await(absl::Condition(
          +[](AsyncServer* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->queue_mu_) {
            return !s->queue_.empty() || s->queue_closed_;
          },
          this));
      if (queue_.empty()) break;  // closed and drained
      call = queue_.front();
      queue_.pop_front();
    }
    call->Work();
  }
  absl::MutexLock lock(&queue_mu_);
  --workers_alive_;
}

bool AsyncServer::Enqueue(UnaryCall* call) {
  absl::MutexLock lock(&queue_mu_);
  if (queue_closed_ ||
      static_cast<int>(queue_.size()) >= std::max(1, options_.max_queued)) {
    return false;
  }
  queue_.push_back(call);
  return true;
}

void AsyncServer::Running(UnaryCall* call, bool running) {
  absl::MutexLock lock(&queue_mu_);
  if (running) {
    running_calls_.insert(call);
  } else {
    running_calls_.erase(call);
  }
}

int AsyncServer::running() const {
  absl::MutexLock lock(&queue_mu_);
  return static_cast<int>(running_calls_.size());
}

int AsyncServer::queued() const {
  absl::MutexLock lock(&queue_mu_);
  return static_cast<int>(queue_.size());
}

void AsyncServer::StreamOpened(StreamCall* call) {
  absl::MutexLock lock(&streams_mu_);
  streams_.insert(call);
}

void AsyncServer::StreamClosed(StreamCall* call) {
  absl::MutexLock lock(&streams_mu_);
  streams_.erase(call);
}

bool AsyncServer::Shutdown(absl::Time drain_until, absl::Time stop_until) {
  if (!started_.load() || shut_down_.exchange(true)) return true;
  // 1. From now on new calls are answered UNAVAILABLE as they arrive, and
  // so are those still waiting for a worker.
  draining_.store(true);
  std::deque<UnaryCall*> waiting;
  {
    absl::MutexLock lock(&queue_mu_);
    queue_closed_ = true;
    waiting.swap(queue_);
  }
  for (UnaryCall* call : waiting) {
    call->Answer(Unavailable(), nullptr);
    call->Unref();
  }
  // A lame duck for a moment: clients (and load balancers) that are still
  // sending hear UNAVAILABLE and go elsewhere, rather than meet gRPC's own
  // shutdown, which cancels calls that arrive while it closes. Until no call
  // has come for kQuiet, or kLameDuck at most.
  constexpr absl::Duration kQuiet = absl::Milliseconds(200);
  constexpr absl::Duration kLameDuck = absl::Seconds(1);
  const absl::Time lame_duck_end =
      std::min(absl::Now() + kLameDuck, drain_until);
  while (absl::Now() < lame_duck_end &&
         absl::Now() - absl::FromUnixMicros(last_arrival_us_.load()) < kQuiet) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  // 2. The calls on workers get until the drain deadline.
  const absl::Condition all_stopped_condition(
      +[](AsyncServer* s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->queue_mu_) {
        return s->workers_alive_ == 0;
      },
      this);
  {
    absl::MutexLock lock(&queue_mu_);
    queue_mu_.AwaitWithDeadline(all_stopped_condition, drain_until);
  }
  {
    // Still running (blocked, say, on a frozen database): answered now. A
    // call is in the set only while its worker holds it, so it is alive.
    absl::MutexLock lock(&queue_mu_);
    if (!running_calls_.empty()) {
      spdlog::warn(
          "shutdown: {} call(s) still running at the shutdown timeout; "
          "answering them UNAVAILABLE",
          running_calls_.size());
    }
    for (UnaryCall* call : running_calls_) {
      call->Answer(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                "the server stopped before the call was "
                                "done; it did not take effect unless a "
                                "read shows it did"),
                   nullptr);
    }
  }
  // Streams end now (health watchers were ended before, by their service).
  std::vector<StreamHandle> open;
  {
    absl::MutexLock lock(&streams_mu_);
    for (StreamCall* call : streams_) open.emplace_back(call);
  }
  for (const StreamHandle& stream : open) stream.End(Unavailable());
  open.clear();
  // 3. Workers still blocked get until `stop_until` to come back.
  {
    absl::MutexLock lock(&queue_mu_);
    queue_mu_.AwaitWithDeadline(all_stopped_condition, stop_until);
  }
  // 3. gRPC: calls still running are cancelled; calls answered meanwhile
  // finish; every requested call comes back.
  server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Milliseconds(500)));
  for (auto& cq : cqs_) cq->Shutdown();
  for (std::thread& t : pollers_) t.join();
  pollers_.clear();
  bool all_stopped;
  {
    absl::MutexLock lock(&queue_mu_);
    all_stopped = workers_alive_ == 0;
  }
  for (std::thread& t : workers_) {
    if (all_stopped) {
      t.join();
    } else {
      t.detach();  // blocked; the process exits without them
    }
  }
  workers_.clear();
  return all_stopped;
}

}  // namespace careers::api
