#include "tests/support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"

extern char** environ;

namespace careers::testing {
namespace {

constexpr absl::string_view kListeningPrefix = "careers-server listening on ";

// Null-terminated pointers into `strings`, for execve.
std::vector<char*> CPointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// This process's environment without CAREERS_* variables.
std::vector<std::string> ChildEnvironment() {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!absl::StartsWith(*entry, "CAREERS_")) env.emplace_back(*entry);
  }
  return env;
}

int ExitCode(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

// The first whole line of `text` starting with `prefix`, without its '\n'.
std::optional<std::string> FindLine(absl::string_view text,
                                    absl::string_view prefix) {
  while (true) {
    const size_t end = text.find('\n');
    if (end == absl::string_view::npos) return std::nullopt;
    const absl::string_view line = text.substr(0, end);
    if (absl::StartsWith(line, prefix)) return std::string(line);
    text.remove_prefix(end + 1);
  }
}

// In the forked child: reports errno to the parent and exits. Only
// async-signal-safe calls.
[[noreturn]] void ReportAndExit(int report_fd) {
  const int error = errno;
  const ssize_t ignored = write(report_fd, &error, sizeof error);
  static_cast<void>(ignored);
  _exit(127);
}

}  // namespace

std::unique_ptr<ChildProcess> ChildProcess::Start(
    const std::vector<std::string>& argv) {
  if (argv.empty()) {
    ADD_FAILURE() << "ChildProcess::Start: no program";
    return nullptr;
  }
  // Everything the child needs is prepared before fork: between fork and
  // exec only async-signal-safe calls are allowed.
  std::vector<std::string> args = argv;
  std::vector<std::string> env = ChildEnvironment();
  std::vector<char*> arg_pointers = CPointers(args);
  std::vector<char*> env_pointers = CPointers(env);
  int out_pipe[2];
  int err_pipe[2];
  int report_pipe[2];  // carries errno if exec fails
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
      pipe2(report_pipe, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2: " << std::strerror(errno);
    return nullptr;
  }
  struct sigaction default_action = {};
  default_action.sa_handler = SIG_DFL;
  sigset_t no_signals;
  sigemptyset(&no_signals);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork: " << std::strerror(errno);
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1],
                   report_pipe[0], report_pipe[1]}) {
      close(fd);
    }
    return nullptr;
  }
  if (pid == 0) {
    // A server must not outlive a test that crashed or was killed.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) ReportAndExit(report_pipe[1]);
    if (getppid() != parent) _exit(127);  // the test is already gone
    // A group of its own, so the destructor also reaches its children (the
    // buf launcher runs the real buf as one).
    setpgid(0, 0);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD}) {
      sigaction(sig, &default_action, nullptr);
    }
    sigprocmask(SIG_SETMASK, &no_signals, nullptr);
    const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 ||
        dup2(out_pipe[1], STDOUT_FILENO) < 0 ||
        dup2(err_pipe[1], STDERR_FILENO) < 0) {
      ReportAndExit(report_pipe[1]);
    }
    execve(arg_pointers[0], arg_pointers.data(), env_pointers.data());
    ReportAndExit(report_pipe[1]);
  }

  close(out_pipe[1]);
  close(err_pipe[1]);
  close(report_pipe[1]);
  int exec_errno = 0;
  ssize_t got;
  do {
    got = read(report_pipe[0], &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  close(report_pipe[0]);
  if (got > 0) {  // exec failed; the pipe closed on a successful exec
    close(out_pipe[0]);
    close(err_pipe[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ADD_FAILURE() << "cannot run " << argv[0] << ": "
                  << std::strerror(exec_errno);
    return nullptr;
  }
  return std::unique_ptr<ChildProcess>(
      new ChildProcess(pid, out_pipe[0], err_pipe[0]));
}

ChildProcess::ChildProcess(pid_t pid, int out_fd, int err_fd) : pid_(pid) {
  reader_ =
      std::thread([this, out_fd, err_fd] { ReadUntilExit(out_fd, err_fd); });
}

ChildProcess::~ChildProcess() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!exit_code_.has_value()) kill(-pid_, SIGKILL);
  }
  reader_.join();
}

void ChildProcess::ReadUntilExit(int out_fd, int err_fd) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_fds = 2;
  char buffer[4096];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      std::lock_guard<std::mutex> lock(mu_);
      if (n > 0) {
        (i == 0 ? out_ : err_).append(buffer, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        if (i == 0) out_closed_ = true;
      }
      changed_.notify_all();
    }
  }
  for (const pollfd& p : fds) {
    if (p.fd >= 0) close(p.fd);
  }
  // Wait for the exit without reaping, then reap under mu_: Signal() holds
  // mu_ too, so it never signals a pid that has been reaped and reused.
  siginfo_t info;
  while (waitid(P_PID, pid_, &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
  }
  std::lock_guard<std::mutex> lock(mu_);
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  exit_code_ = ExitCode(status);
  out_closed_ = true;
  changed_.notify_all();
}

void ChildProcess::Signal(int signal) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!exit_code_.has_value()) kill(pid_, signal);
}

std::optional<std::string> ChildProcess::WaitForStdoutLine(
    absl::string_view prefix, absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  std::optional<std::string> line;
  changed_.wait_until(lock, absl::ToChronoTime(absl::Now() + timeout), [&] {
    line = FindLine(out_, prefix);
    return line.has_value() || out_closed_;
  });
  return line;
}

bool ChildProcess::WaitForStderr(absl::string_view text,
                                 absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return changed_.wait_until(
      lock, absl::ToChronoTime(absl::Now() + timeout),
      [&] { return absl::StrContains(err_, text) || exit_code_.has_value(); });
}

std::optional<int> ChildProcess::Wait(absl::Duration timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait_until(lock, absl::ToChronoTime(absl::Now() + timeout),
                      [&] { return exit_code_.has_value(); });
  return exit_code_;
}

std::string ChildProcess::Stdout() const {
  std::lock_guard<std::mutex> lock(mu_);
  return out_;
}

std::string ChildProcess::Stderr() const {
  std::lock_guard<std::mutex> lock(mu_);
  return err_;
}

RunResult RunProcess(const std::vector<std::string>& argv,
                     absl::Duration timeout) {
  RunResult result;
  std::unique_ptr<ChildProcess> child = ChildProcess::Start(argv);
  if (child == nullptr) return result;
  if (std::optional<int> code = child->Wait(timeout)) {
    result.exit_code = *code;
  } else {
    ADD_FAILURE() << absl::StrJoin(argv, " ") << " still running after "
                  << timeout << ": killed";
  }
  result.out = child->Stdout();
  result.err = child->Stderr();
  return result;  // the destructor kills what is still running
}

std::unique_ptr<ServerProcess> ServerProcess::Start(
    const std::string& binary, const std::string& db_url,
    const std::vector<std::string>& extra_args) {
  std::vector<std::string> argv = {binary, "--db-url", db_url, "--listen",
                                   "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  std::unique_ptr<ChildProcess> process = ChildProcess::Start(argv);
  if (process == nullptr) return nullptr;
  const std::optional<std::string> line =
      process->WaitForStdoutLine(kListeningPrefix, absl::Seconds(20));
  int port = 0;
  if (!line.has_value() ||
      !absl::SimpleAtoi(line->substr(line->rfind(':') + 1), &port) ||
      port <= 0) {
    const std::optional<int> code = process->Wait(absl::ZeroDuration());
    ADD_FAILURE() << "careers-server did not start serving ("
                  << (code.has_value() ? absl::StrCat("exit code ", *code)
                                       : std::string("still running"))
                  << ")\nstdout:\n"
                  << process->Stdout() << "stderr:\n"
                  << process->Stderr();
    return nullptr;
  }
  return std::unique_ptr<ServerProcess>(
      new ServerProcess(std::move(process), port));
}

std::string ServerProcess::address() const {
  return absl::StrCat("127.0.0.1:", port_);
}

std::optional<int> ServerProcess::Stop(absl::Duration timeout) {
  process_->Signal(SIGTERM);
  return process_->Wait(timeout);
}

}  // namespace careers::testing
