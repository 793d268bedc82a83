// careers-watch-streams: opens N grpc.health.v1.Health/Watch streams to a
// server, waits until each has heard SERVING, and prints (JSON) how long
// that took and the server's threads and resident memory then, read from
// /proc of the server's process (same machine). The streams stay open
// until the tool has read the figures, then are cancelled.
#include <grpcpp/grpcpp.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "health/v1/health.grpc.pb.h"

namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

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
      int64_t kb = 0;
      std::string digits;
      for (char c : line) {
        if (c >= '0' && c <= '9') digits += c;
      }
      if (absl::SimpleAtoi(digits, &kb)) return kb;
    }
  }
  return -1;
}

struct Stream {
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientAsyncReader<HealthCheckResponse>> reader;
  HealthCheckResponse response;
  bool reading = false;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Open many health Watch streams; report the server's cost");
  std::string target;
  int streams = 2000;
  int pid = 0;
  app.add_option("--target", target, "Server address host:port")->required();
  app.add_option("--streams", streams, "Streams to open")
      ->check(CLI::PositiveNumber);
  app.add_option("--pid", pid, "The server's process id")->required();
  CLI11_PARSE(app, argc, argv);

  const int threads_before = ThreadsOf(pid);
  const int64_t rss_before = RssKbOf(pid);
  auto channel =
      grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::CompletionQueue cq;
  std::vector<std::unique_ptr<Stream>> open;
  const absl::Time start = absl::Now();
  for (int i = 0; i < streams; ++i) {
    auto s = std::make_unique<Stream>();
    s->context.set_deadline(absl::ToChronoTime(start + absl::Minutes(5)));
    s->reader =
        health->AsyncWatch(&s->context, HealthCheckRequest(), &cq, s.get());
    open.push_back(std::move(s));
  }
  int serving = 0;
  void* tag = nullptr;
  bool ok = false;
  while (serving < streams &&
         cq.AsyncNext(&tag, &ok,
                      absl::ToChronoTime(absl::Now() + absl::Seconds(60))) ==
             grpc::CompletionQueue::GOT_EVENT) {
    Stream* s = static_cast<Stream*>(tag);
    if (!ok) {
      std::cerr << "a stream ended early\n";
      return 1;
    }
    if (s->reading && s->response.status() == HealthCheckResponse::SERVING) {
      ++serving;
      continue;
    }
    s->reading = true;
    s->reader->Read(&s->response, s);
  }
  const absl::Duration took = absl::Now() - start;
  const int threads = ThreadsOf(pid);
  const int64_t rss = RssKbOf(pid);
  std::cout << absl::StrFormat(
      "{\"streams\": %d, \"serving\": %d, \"seconds\": %.3f, "
      "\"threads_before\": %d, \"threads\": %d, \"rss_kb_before\": %d, "
      "\"rss_kb\": %d}\n",
      streams, serving, absl::ToDoubleSeconds(took), threads_before, threads,
      rss_before, rss);
  for (auto& s : open) s->context.TryCancel();
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return serving == streams ? 0 : 1;
}
