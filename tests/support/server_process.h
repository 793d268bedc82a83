#ifndef CAREERS_TESTS_SUPPORT_SERVER_PROCESS_H_
#define CAREERS_TESTS_SUPPORT_SERVER_PROCESS_H_

#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

// Child processes for end-to-end tests: careers-server, careersctl, buf.
namespace careers::testing {

// A program started with stdin from /dev/null and stdout and stderr captured
// by a thread of its own, so the child never blocks on a full pipe and the
// test can wait for what it prints. The child gets this process's
// environment without CAREERS_* variables (tests say what they mean with
// flags) and is killed (SIGKILL) if this process dies, so a crashed or
// timed-out test leaves nothing running.
//
// The child leads a process group of its own. The destructor kills that
// group (SIGKILL) if the child is still running, and always reaps the child.
// Start it from a thread that outlives it (the test's main thread): Linux
// delivers the parent-death signal when the starting thread exits.
// Thread-safe.
class ChildProcess {
 public:
  // Starts argv[0] (a path). Fails the current test and returns null if it
  // cannot be started.
  static std::unique_ptr<ChildProcess> Start(
      const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Sends `signal` unless the child has already been reaped.
  void Signal(int signal);

  // Waits up to `timeout` for a whole line of stdout starting with `prefix`
  // and returns it without its newline; nullopt if none came (stdout closed
  // or the time ran out).
  std::optional<std::string> WaitForStdoutLine(absl::string_view prefix,
                                               absl::Duration timeout);

  // Waits up to `timeout` until stderr contains `text`.
  bool WaitForStderr(absl::string_view text, absl::Duration timeout);

  // Waits up to `timeout` for the child to exit and returns its exit code,
  // 128 + the signal number if a signal ended it (as shells report), or
  // nullopt if it is still running.
  std::optional<int> Wait(absl::Duration timeout);

  // Everything captured so far.
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  ChildProcess(pid_t pid, int out_fd, int err_fd);
  // Runs on reader_: reads both pipes to EOF, then reaps the child.
  void ReadUntilExit(int out_fd, int err_fd);

  const pid_t pid_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::string out_;               // guarded by mu_
  std::string err_;               // guarded by mu_
  bool out_closed_ = false;       // guarded by mu_
  std::optional<int> exit_code_;  // guarded by mu_; set once reaped
  std::thread reader_;
};

// What a finished program did.
struct RunResult {
  // As ChildProcess::Wait; -1 if it had to be killed for running too long.
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs a program to completion, killing it after `timeout`.
RunResult RunProcess(const std::vector<std::string>& argv,
                     absl::Duration timeout = absl::Seconds(30));

// careers-server serving on a free port of 127.0.0.1. Not thread-safe; its
// process() is.
class ServerProcess {
 public:
  // Starts `binary --db-url DB_URL --listen 127.0.0.1:0 EXTRA_ARGS...` and
  // waits (up to 20 s) for it to print that it is listening. Fails the
  // current test and returns null if it does not.
  static std::unique_ptr<ServerProcess> Start(
      const std::string& binary, const std::string& db_url,
      const std::vector<std::string>& extra_args = {});

  int port() const { return port_; }
  // "127.0.0.1:PORT", for gRPC channels and careersctl --server.
  std::string address() const;
  ChildProcess& process() { return *process_; }

  // Sends SIGTERM and waits up to `timeout` for the exit code; nullopt if
  // it is still running (the destructor then kills it).
  std::optional<int> Stop(absl::Duration timeout = absl::Seconds(15));

 private:
  ServerProcess(std::unique_ptr<ChildProcess> process, int port)
      : process_(std::move(process)), port_(port) {}

  std::unique_ptr<ChildProcess> process_;
  int port_;
};

}  // namespace careers::testing

#endif  // CAREERS_TESTS_SUPPORT_SERVER_PROCESS_H_
