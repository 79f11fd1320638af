#pragma once

// Test double: processes whose lifetime is measured on an injected clock.

#include <signal.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hashlake/core/time.h"
#include "hashlake/schedule/process.h"

namespace hashlake::schedule::testing {

/// How one fake child behaves.
struct FakeBehavior {
  Micros runs_for{0};  ///< Exits this long after it started (on the clock).
  int exit_code = 0;
  std::string output;  ///< Returned by the first ReadOutput().
  bool ignores_sigterm = false;
  bool fail_to_start = false;
};

inline FakeBehavior Runs(Micros runs_for, int exit_code, std::string output = "") {
  FakeBehavior b;
  b.runs_for = runs_for;
  b.exit_code = exit_code;
  b.output = std::move(output);
  return b;
}

struct FakeStart {
  ProcessSpec spec;
  Timestamp at;
  std::vector<int> signals;  ///< Signals it received, in order.
  std::optional<Timestamp> exited_at;
};

/// Starts FakeProcesses chosen by `behave(spec)`, and remembers every start.
class FakeProcessRunner final : public ProcessRunner {
 public:
  FakeProcessRunner(const Clock& clock, std::function<FakeBehavior(const ProcessSpec&)> behave)
      : clock_(clock), behave_(std::move(behave)) {}

  arrow::Result<std::unique_ptr<Process>> Start(const ProcessSpec& spec) override;

  /// Every start so far (a deque-like list: references stay valid).
  const std::vector<std::shared_ptr<FakeStart>>& starts() const { return starts_; }
  /// How many fakes are alive right now.
  int running() const;

 private:
  const Clock& clock_;
  std::function<FakeBehavior(const ProcessSpec&)> behave_;
  std::vector<std::shared_ptr<FakeStart>> starts_;
  int next_pid_ = 1000;
};

}  // namespace hashlake::schedule::testing
