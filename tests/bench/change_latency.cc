// careers-change-latency: opens N ChangeService/WatchChanges streams as an
// administrator and, for --duration, times every change each stream
// receives: from its commit_time (the database's clock, on this machine)
// to its arrival here. Meanwhile something else writes (ops/bench.sh runs
// careers-bench update-profile at a fixed rate). Prints JSON: changes
// received, latency percentiles, and with --pid the server's threads and
// resident memory before the streams opened and while they were open.
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "careers/v1/change_service.grpc.pb.h"
#include "server/auth/jwt_mint.h"
#include "server/common/proto_time.h"
#include "tests/bench/bench_data.h"

namespace {

using careers::v1::ChangeService;
using careers::v1::WatchChangesRequest;
using careers::v1::WatchChangesResponse;

int ThreadsOf(int pid) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(
           absl::StrCat("/proc/", pid, "/task"))) {
    ++n;
  }
  return n;
}

int64_t RssKbOf(int pid) {
  std::ifstream status(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::string digits;
      for (char c : line) {
        if (c >= '0' && c <= '9') digits += c;
      }
      int64_t kb = 0;
      if (absl::SimpleAtoi(digits, &kb)) return kb;
    }
  }
  return -1;
}

struct Stream {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientAsyncReader<WatchChangesResponse>> reader;
  WatchChangesResponse response;
  bool started = false;  // the call is up
  bool greeted = false;  // its first message (the starting token) came
};

int64_t Percentile(std::vector<int64_t>& v, double p) {
  if (v.empty()) return 0;
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * v.size()));
  std::nth_element(v.begin(), v.begin() + i, v.end());
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Time changes from their commit to a WatchChanges reader");
  std::string target, key_file;
  int streams = 1;
  int pid = 0;
  std::string duration_text = "12s";
  app.add_option("--target", target, "Server address host:port")->required();
  app.add_option("--jwt-key", key_file, "Development signing key (PEM)")
      ->required();
  app.add_option("--streams", streams, "Streams to open")
      ->check(CLI::PositiveNumber);
  app.add_option("--duration", duration_text, "How long to listen");
  app.add_option("--pid", pid, "The server's process id (for threads, RSS)");
  CLI11_PARSE(app, argc, argv);
  absl::Duration duration;
  if (!absl::ParseDuration(duration_text, &duration)) {
    std::cerr << "--duration: not a duration\n";
    return 2;
  }
  std::ifstream in(key_file);
  const std::string key((std::istreambuf_iterator<char>(in)),
                        std::istreambuf_iterator<char>());
  absl::StatusOr<careers::auth::JwtAlgorithm> algorithm =
      careers::auth::AlgorithmOfPrivateKey(key);
  if (!algorithm.ok()) {
    std::cerr << "--jwt-key: " << algorithm.status() << "\n";
    return 2;
  }
  careers::auth::TokenClaims claims;
  claims.issuer = careers::bench::data::kDevIssuer;
  claims.audience = careers::bench::data::kDevAudience;
  claims.subject = "bench-change-watcher";
  claims.role = "admin";
  claims.issued_at = absl::Now();
  claims.expires_at = claims.issued_at + absl::Hours(1);
  absl::StatusOr<std::string> token =
      careers::auth::MintToken(claims, *algorithm, key);
  if (!token.ok()) {
    std::cerr << token.status() << "\n";
    return 1;
  }

  const int threads_before = pid > 0 ? ThreadsOf(pid) : 0;
  const int64_t rss_before = pid > 0 ? RssKbOf(pid) : 0;
  // A few channels, as many clients would use.
  std::vector<std::unique_ptr<ChangeService::Stub>> stubs;
  for (int i = 0; i < 4; ++i) {
    grpc::ChannelArguments args;
    args.SetInt("careers.channel", i);  // distinct channels
    stubs.push_back(ChangeService::NewStub(grpc::CreateCustomChannel(
        target, grpc::InsecureChannelCredentials(), args)));
  }
  grpc::CompletionQueue cq;
  std::vector<std::unique_ptr<Stream>> open;
  const absl::Time start = absl::Now();
  const absl::Time end = start + duration;
  for (int i = 0; i < streams; ++i) {
    auto s = std::make_unique<Stream>();
    s->context.AddMetadata("authorization", "Bearer " + *token);
    s->context.set_deadline(absl::ToChronoTime(end + absl::Seconds(30)));
    s->reader = stubs[i % stubs.size()]->AsyncWatchChanges(
        &s->context, WatchChangesRequest(), &cq, s.get());
    open.push_back(std::move(s));
  }
  std::vector<int64_t> latencies_us;
  int started = 0, ended = 0, threads_open = 0;
  int64_t rss_open = 0;
  void* tag = nullptr;
  bool ok = false;
  while (absl::Now() < end &&
         cq.AsyncNext(&tag, &ok, absl::ToChronoTime(end)) ==
             grpc::CompletionQueue::GOT_EVENT) {
    Stream* s = static_cast<Stream*>(tag);
    if (!ok) {
      ++ended;
      continue;
    }
    const absl::Time now = absl::Now();
    if (!s->started) {
      s->started = true;
    } else if (!s->greeted) {
      s->greeted = true;
      if (++started == streams && pid > 0) {
        // Every stream has its first message: they are all open.
        threads_open = ThreadsOf(pid);
        rss_open = RssKbOf(pid);
      }
    }
    for (const auto& change : s->response.changes()) {
      latencies_us.push_back(absl::ToInt64Microseconds(
          now - careers::FromProtoTimestamp(change.commit_time())));
    }
    s->reader->Read(&s->response, s);
  }
  const size_t received = latencies_us.size();
  const int64_t p50 = Percentile(latencies_us, 0.50);
  const int64_t p90 = Percentile(latencies_us, 0.90);
  const int64_t p99 = Percentile(latencies_us, 0.99);
  const int64_t max = latencies_us.empty()
                          ? 0
                          : *std::max_element(latencies_us.begin(),
                                              latencies_us.end());
  std::cout << absl::StrFormat(
      "{\"streams\": %d, \"opened\": %d, \"ended_early\": %d, "
      "\"changes\": %d, \"latency_us\": {\"p50\": %d, \"p90\": %d, "
      "\"p99\": %d, \"max\": %d}, \"threads_before\": %d, \"threads\": %d, "
      "\"rss_kb_before\": %d, \"rss_kb\": %d}\n",
      streams, started, ended, received, p50, p90, p99, max, threads_before,
      threads_open, rss_before, rss_open);
  for (auto& s : open) s->context.TryCancel();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return ended == 0 ? 0 : 1;
}
