#include "hashlake/schedule/fake_process.h"

namespace hashlake::schedule::testing {
namespace {

class FakeProcess final : public Process {
 public:
  FakeProcess(const Clock& clock, FakeBehavior behavior, std::shared_ptr<FakeStart> record, int pid)
      : clock_(clock), behavior_(std::move(behavior)), record_(std::move(record)), pid_(pid) {}

  int pid() const override { return pid_; }

  std::optional<ExitStatus> Poll() override {
    if (status_) return status_;
    if (killed_by_ != 0) {
      status_ = ExitStatus{128 + killed_by_, killed_by_};
    } else if (clock_.Now() - record_->at >= behavior_.runs_for) {
      status_ = ExitStatus{behavior_.exit_code, 0};
    }
    if (status_) record_->exited_at = clock_.Now();
    return status_;
  }

  std::string ReadOutput() override { return std::exchange(behavior_.output, ""); }

  void Signal(int signo) override {
    record_->signals.push_back(signo);
    if (status_) return;
    if (signo == SIGKILL || (signo == SIGTERM && !behavior_.ignores_sigterm)) killed_by_ = signo;
  }

 private:
  const Clock& clock_;
  FakeBehavior behavior_;
  std::shared_ptr<FakeStart> record_;
  int pid_;
  int killed_by_ = 0;
  std::optional<ExitStatus> status_;
};

}  // namespace

arrow::Result<std::unique_ptr<Process>> FakeProcessRunner::Start(const ProcessSpec& spec) {
  FakeBehavior behavior = behave_(spec);
  if (behavior.fail_to_start) return arrow::Status::IOError("fake: cannot execute ", spec.argv[0]);
  auto record = std::make_shared<FakeStart>();
  record->spec = spec;
  record->at = clock_.Now();
  starts_.push_back(record);
  return std::unique_ptr<Process>(
      new FakeProcess(clock_, std::move(behavior), record, next_pid_++));
}

int FakeProcessRunner::running() const {
  int n = 0;
  for (const auto& s : starts_) n += s->exited_at ? 0 : 1;
  return n;
}

}  // namespace hashlake::schedule::testing
