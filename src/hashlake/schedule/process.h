#pragma once

#include <arrow/result.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hashlake::schedule {

/// What to start: argv[0] is looked up on PATH when it has no '/'.
struct ProcessSpec {
  std::vector<std::string> argv;
  std::map<std::string, std::string> env;  ///< Added to (overriding) the inherited environment.
  std::filesystem::path cwd;               ///< Empty: inherit.
};

/// How a process ended.
struct ExitStatus {
  int exit_code = 0;  ///< The exit status, or 128 + signal when killed by a signal (as shells).
  int signal = 0;     ///< The signal that killed it, 0 when it exited.
  bool ok() const { return exit_code == 0 && signal == 0; }
};

/// A started child. Not thread-safe: owned and polled by one thread (the scheduler's).
/// Destroying a process that is still running kills its process group and reaps it.
class Process {
 public:
  virtual ~Process() = default;
  virtual int pid() const = 0;
  /// Non-blocking: the exit status once it has exited, else nullopt.
  virtual std::optional<ExitStatus> Poll() = 0;
  /// Non-blocking: stdout and stderr (merged) written since the last call.
  virtual std::string ReadOutput() = 0;
  /// Sends `signo` to the child's whole process group (shell pipelines included).
  virtual void Signal(int signo) = 0;
};

/// Starts processes; injected so that scheduler tests run on fakes. Thread-compatible.
class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  virtual arrow::Result<std::unique_ptr<Process>> Start(const ProcessSpec& spec) = 0;
};

/// fork/exec with stdin from /dev/null, stdout+stderr into one non-blocking pipe, and the
/// child in its own process group so that signals reach its children too.
class PosixProcessRunner final : public ProcessRunner {
 public:
  arrow::Result<std::unique_ptr<Process>> Start(const ProcessSpec& spec) override;
};

}  // namespace hashlake::schedule
