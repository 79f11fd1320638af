#include "hashlake/schedule/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace hashlake::schedule {
namespace {

class PosixProcess final : public Process {
 public:
  PosixProcess(pid_t pid, int fd) : pid_(pid), fd_(fd) {}
  ~PosixProcess() override {
    if (!status_) {
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      int raw = 0;
      while (::waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
      }
    }
    if (fd_ >= 0) ::close(fd_);
  }

  int pid() const override { return pid_; }

  std::optional<ExitStatus> Poll() override {
    if (status_) return status_;
    int raw = 0;
    const pid_t r = ::waitpid(pid_, &raw, WNOHANG);
    if (r == 0) return std::nullopt;
    ExitStatus status;
    if (r < 0) {
      status.exit_code = 255;  // already reaped elsewhere: report a failure, never hang
    } else if (WIFEXITED(raw)) {
      status.exit_code = WEXITSTATUS(raw);
    } else if (WIFSIGNALED(raw)) {
      status.signal = WTERMSIG(raw);
      status.exit_code = 128 + status.signal;
    }
    status_ = status;
    return status_;
  }

  std::string ReadOutput() override {
    std::string out;
    if (fd_ < 0) return out;
    char buffer[4096];
    while (true) {
      const ssize_t n = ::read(fd_, buffer, sizeof(buffer));
      if (n > 0) {
        out.append(buffer, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) {  // every writer closed: the child and anything it left behind are gone
        ::close(fd_);
        fd_ = -1;
      }
      break;
    }
    return out;
  }

  void Signal(int signo) override {
    if (status_) return;
    if (::kill(-pid_, signo) != 0) ::kill(pid_, signo);
  }

 private:
  pid_t pid_;
  int fd_;
  std::optional<ExitStatus> status_;
};

}  // namespace

arrow::Result<std::unique_ptr<Process>> PosixProcessRunner::Start(const ProcessSpec& spec) {
  if (spec.argv.empty()) return arrow::Status::Invalid("empty command");
  // Everything the child needs is built before fork: only async-signal-safe calls after it.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry(*e);
    const std::string name = entry.substr(0, entry.find('='));
    if (!spec.env.count(name)) env_strings.push_back(std::move(entry));
  }
  for (const auto& [name, value] : spec.env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = spec.argv;
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  const std::string cwd = spec.cwd.string();

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return arrow::Status::IOError("pipe: ", std::strerror(errno));
  }
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return arrow::Status::IOError("fork: ", std::strerror(err));
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    // Default dispositions and an empty mask: the parent may block or ignore SIGTERM.
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) {
      const char msg[] = "hashlake: cannot change to the working directory\n";
      (void)!::write(2, msg, sizeof(msg) - 1);
      ::_exit(126);
    }
    ::execvpe(argv[0], argv.data(), envp.data());
    const char msg[] = "hashlake: cannot execute the command: ";
    (void)!::write(2, msg, sizeof(msg) - 1);
    const char* why = ::strerror(errno);
    (void)!::write(2, why, ::strlen(why));
    (void)!::write(2, "\n", 1);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also in the parent, so a signal sent right away reaches the group
  ::close(fds[1]);
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return std::unique_ptr<Process>(new PosixProcess(pid, fds[0]));
}

}  // namespace hashlake::schedule
