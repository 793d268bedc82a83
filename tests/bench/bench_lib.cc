#include "tests/bench/bench_lib.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace careers::bench {
namespace {

using Clock = std::chrono::steady_clock;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             Clock::now().time_since_epoch())
      .count();
}

// Shared by a run and its calls' callbacks.
class RunState : public std::enable_shared_from_this<RunState> {
 public:
  RunState(IssueFn issue, grpc::StatusCode expected, int64_t window_start,
           int64_t window_end)
      : issue_(std::move(issue)),
        expected_(expected),
        window_start_(window_start),
        window_end_(window_end) {}

  // Sends a call meant to leave at `intended` (ns, steady clock). Closed
  // loop: each finished call sends the next until the window ends.
  void Send(int64_t intended, bool closed_loop) {
    in_flight_.fetch_add(1);
    std::shared_ptr<RunState> self = shared_from_this();
    issue_([self, intended, closed_loop](grpc::StatusCode code) {
      const int64_t now = NowNs();
      self->Record(intended, now, code);
      if (closed_loop && now < self->window_end_) self->Send(now, true);
      self->Finished();
    });
  }

  // Waits up to `timeout` for the calls in flight; false if some remain.
  bool Drain(absl::Duration timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return drained_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                             [this] { return in_flight_.load() == 0; });
  }

  Result Collect() {
    std::lock_guard<std::mutex> lock(mu_);
    Result result;
    result.codes = codes_;
    result.expected = expected_;
    result.ok = codes_.count(grpc::StatusCode::OK) > 0
                    ? codes_.at(grpc::StatusCode::OK)
                    : 0;
    result.answered = static_cast<int64_t>(ok_ns_.size());
    result.seconds = static_cast<double>(window_end_ - window_start_) / 1e9;
    result.qps = static_cast<double>(result.ok) / result.seconds;
    result.answered_qps = static_cast<double>(result.answered) / result.seconds;
    std::sort(ok_ns_.begin(), ok_ns_.end());
    result.p50 = Percentile(ok_ns_, 50);
    result.p90 = Percentile(ok_ns_, 90);
    result.p99 = Percentile(ok_ns_, 99);
    result.p999 = Percentile(ok_ns_, 99.9);
    result.max = ok_ns_.empty() ? 0 : ok_ns_.back();
    double sum = 0;
    for (int64_t ns : ok_ns_) sum += static_cast<double>(ns);
    result.mean =
        ok_ns_.empty() ? 0 : sum / static_cast<double>(result.answered);
    return result;
  }

 private:
  void Record(int64_t intended, int64_t now, grpc::StatusCode code) {
    if (intended < window_start_ || intended >= window_end_) return;
    std::lock_guard<std::mutex> lock(mu_);
    ++codes_[code];
    if (code == grpc::StatusCode::OK || code == expected_) {
      ok_ns_.push_back(now - intended);
    }
  }

  void Finished() {
    if (in_flight_.fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(mu_);
      drained_.notify_all();
    }
  }

  const IssueFn issue_;
  const grpc::StatusCode expected_;
  const int64_t window_start_;
  const int64_t window_end_;
  std::atomic<int64_t> in_flight_{0};
  std::mutex mu_;
  std::condition_variable drained_;
  std::map<grpc::StatusCode, int64_t> codes_;  // guarded by mu_
  std::vector<int64_t> ok_ns_;                 // answered calls; guarded by mu_
};

void SleepUntilNs(int64_t ns) {
  std::this_thread::sleep_until(
      Clock::time_point(std::chrono::nanoseconds(ns)));
}

std::string Ms(int64_t ns) {
  return absl::StrFormat("%.3f ms", static_cast<double>(ns) / 1e6);
}

std::string Mode(const RunInfo& info) {
  return info.options.rate > 0
             ? absl::StrFormat("open loop, %g calls/s", info.options.rate)
             : absl::StrCat("closed loop, ", info.options.concurrency,
                            " in flight");
}

}  // namespace

int64_t Percentile(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(p / 100.0 * static_cast<double>(sorted.size()));
  const size_t index =
      std::min(sorted.size() - 1, static_cast<size_t>(std::max(1.0, rank)) -
                                      static_cast<size_t>(1));
  return sorted[index];
}

Result Run(const IssueFn& issue, const RunOptions& options,
           grpc::StatusCode expected) {
  const int64_t start = NowNs();
  const int64_t window_start = start + absl::ToInt64Nanoseconds(options.warmup);
  const int64_t window_end =
      window_start + absl::ToInt64Nanoseconds(options.duration);
  auto state =
      std::make_shared<RunState>(issue, expected, window_start, window_end);
  if (options.rate > 0) {
    // Open loop: call i leaves at start + i / rate whatever the server does;
    // when the sender falls behind, the calls due go at once and their
    // latency still counts from when they were due.
    const double period = 1e9 / options.rate;
    for (int64_t i = 0;; ++i) {
      const int64_t intended =
          start + static_cast<int64_t>(static_cast<double>(i) * period);
      if (intended >= window_end) break;
      SleepUntilNs(intended);
      state->Send(intended, /*closed_loop=*/false);
    }
  } else {
    for (int i = 0; i < options.concurrency; ++i) {
      state->Send(NowNs(), /*closed_loop=*/true);
    }
    SleepUntilNs(window_end);
  }
  state->Drain(absl::Seconds(30));
  // A call's callback lets go of the run just after counting itself
  // finished. Wait for the last of them, so that the run (and the
  // scenario's stubs or worker threads it holds) is destroyed here and not
  // on a callback's thread, nor while main() is already returning.
  for (int i = 0; i < 5000 && state.use_count() > 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return state->Collect();
}

std::string CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return absl::StrCat("CODE_", static_cast<int>(code));
  }
}

std::optional<absl::Duration> ParseDurationFlag(const std::string& text) {
  std::string spelled = text;
  if (!spelled.empty() &&
      std::all_of(spelled.begin(), spelled.end(),
                  [](char c) { return absl::ascii_isdigit(c) || c == '.'; })) {
    spelled += "s";
  }
  absl::Duration d;
  if (!absl::ParseDuration(spelled, &d) || d < absl::ZeroDuration() ||
      d == absl::InfiniteDuration()) {
    return std::nullopt;
  }
  return d;
}

std::string FormatJson(const RunInfo& info, const Result& result) {
  nlohmann::json codes = nlohmann::json::object();
  int64_t calls = 0;
  for (const auto& [code, count] : result.codes) {
    codes[CodeName(code)] = count;
    calls += count;
  }
  auto us = [](int64_t ns) { return static_cast<double>(ns) / 1e3; };
  nlohmann::json json = {
      {"scenario", info.scenario},
      {"target", info.target},
      {"mode", info.options.rate > 0 ? "open" : "closed"},
      {"concurrency", info.options.concurrency},
      {"rate", info.options.rate},
      {"channels", info.channels},
      {"warmup_s", absl::ToDoubleSeconds(info.options.warmup)},
      {"duration_s", result.seconds},
      {"calls", calls},
      {"ok", result.ok},
      {"expected", CodeName(result.expected)},
      {"answered", result.answered},
      {"codes", codes},
      {"qps", result.qps},
      {"answered_qps", result.answered_qps},
      {"latency_us",
       {{"p50", us(result.p50)},
        {"p90", us(result.p90)},
        {"p99", us(result.p99)},
        {"p99.9", us(result.p999)},
        {"max", us(result.max)},
        {"mean", result.mean / 1e3}}},
  };
  return json.dump(2);
}

std::string FormatTable(const RunInfo& info, const Result& result) {
  int64_t calls = 0;
  for (const auto& entry : result.codes) calls += entry.second;
  std::string out = absl::StrFormat(
      "scenario      %s (%s, %d channel%s)\n"
      "target        %s\n"
      "window        %.2f s after %.2f s of warm-up\n"
      "calls         %d\n",
      info.scenario, Mode(info), info.channels, info.channels == 1 ? "" : "s",
      info.target, result.seconds, absl::ToDoubleSeconds(info.options.warmup),
      calls);
  for (const auto& [code, count] : result.codes) {
    absl::StrAppendFormat(&out, "  %-20s %d\n", CodeName(code), count);
  }
  absl::StrAppendFormat(&out, "QPS (OK)      %.1f\n", result.qps);
  std::string timed = "OK";
  if (result.expected != grpc::StatusCode::OK) {
    timed = absl::StrCat("OK or ", CodeName(result.expected));
    absl::StrAppendFormat(&out, "answered/s    %.1f (%s)\n",
                          result.answered_qps, timed);
  }
  absl::StrAppendFormat(
      &out,
      "latency (%s)  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  mean %.3f ms\n",
      timed, Ms(result.p50), Ms(result.p90), Ms(result.p99), Ms(result.p999),
      Ms(result.max), result.mean / 1e6);
  return out;
}

std::optional<std::vector<std::shared_ptr<grpc::Channel>>> Connect(
    const std::string& target, int channels, absl::Duration timeout) {
  std::vector<std::shared_ptr<grpc::Channel>> out;
  const auto deadline = absl::ToChronoTime(absl::Now() + timeout);
  for (int i = 0; i < channels; ++i) {
    // A local subchannel pool and an argument of its own per channel, so
    // each has a connection of its own.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("careers_bench.channel", i);
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args);
    if (!channel->WaitForConnected(deadline)) return std::nullopt;
    out.push_back(std::move(channel));
  }
  return out;
}

}  // namespace careers::bench
