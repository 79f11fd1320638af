#include "hashlake/source/backoff.h"

#include <gtest/gtest.h>

#include <thread>

namespace hashlake::source {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

std::vector<Micros> Take(ReconnectPolicy* policy, Failure failure, int n) {
  std::vector<Micros> out;
  for (int i = 0; i < n; ++i) out.push_back(policy->NextDelay(failure));
  return out;
}

TEST(BackoffTest, NetworkErrorsBackOffLinearlyBy250msUpTo16s) {
  ReconnectPolicy policy;
  const auto delays = Take(&policy, Failure::kNetwork, 66);
  for (int i = 0; i < 64; ++i) EXPECT_EQ(delays[i], milliseconds(250) * (i + 1)) << i;
  EXPECT_EQ(delays[63], seconds(16));
  EXPECT_EQ(delays[64], seconds(16));
  EXPECT_EQ(delays[65], seconds(16));
}

TEST(BackoffTest, HttpErrorsBackOffExponentiallyFrom5sTo320s) {
  ReconnectPolicy policy;
  const std::vector<Micros> want = {seconds(5),   seconds(10),  seconds(20),
                                    seconds(40),  seconds(80),  seconds(160),
                                    seconds(320), seconds(320), seconds(320)};
  EXPECT_EQ(Take(&policy, Failure::kHttp, 9), want);
}

TEST(BackoffTest, RateLimitsBackOffExponentiallyFromOneMinute) {
  ReconnectPolicy policy;
  const std::vector<Micros> want = {minutes(1), minutes(2),  minutes(4),
                                    minutes(8), minutes(15), minutes(15)};
  EXPECT_EQ(Take(&policy, Failure::kRateLimited, 6), want);
}

TEST(BackoffTest, DropsReconnectAtOnceAndSuccessResetsEverySchedule) {
  ReconnectPolicy policy;
  EXPECT_EQ(policy.NextDelay(Failure::kDropped), Micros{0});
  Take(&policy, Failure::kNetwork, 3);
  Take(&policy, Failure::kHttp, 3);
  Take(&policy, Failure::kRateLimited, 2);
  // Kinds keep separate schedules.
  EXPECT_EQ(policy.NextDelay(Failure::kNetwork), seconds(1));
  EXPECT_EQ(policy.NextDelay(Failure::kHttp), seconds(40));
  policy.OnConnected();
  EXPECT_EQ(policy.NextDelay(Failure::kDropped), Micros{0});
  EXPECT_EQ(policy.NextDelay(Failure::kNetwork), milliseconds(250));
  EXPECT_EQ(policy.NextDelay(Failure::kHttp), seconds(5));
  EXPECT_EQ(policy.NextDelay(Failure::kRateLimited), minutes(1));
}

TEST(BackoffTest, CustomSchedules) {
  Backoff linear = Backoff::Linear(Micros{0}, milliseconds(100), milliseconds(250));
  EXPECT_EQ(linear.Next(), Micros{0});
  EXPECT_EQ(linear.Next(), milliseconds(100));
  EXPECT_EQ(linear.Next(), milliseconds(200));
  EXPECT_EQ(linear.Next(), milliseconds(250));
  EXPECT_EQ(linear.failures(), 4);
  Backoff exp = Backoff::Exponential(seconds(1), seconds(3));
  EXPECT_EQ(exp.Next(), seconds(1));
  EXPECT_EQ(exp.Next(), seconds(2));
  EXPECT_EQ(exp.Next(), seconds(3));
  for (int i = 0; i < 100; ++i) exp.Next();  // no overflow far past the cap
  EXPECT_EQ(exp.Next(), seconds(3));
}

TEST(BackoffTest, ManualClockSleeperAdvancesTheClock) {
  ManualClock clock(FromMicros(1'000'000));
  ManualClockSleeper sleeper(&clock);
  EXPECT_TRUE(sleeper.SleepFor(seconds(5)));
  EXPECT_TRUE(sleeper.SleepFor(milliseconds(250)));
  EXPECT_EQ(clock.Now(), FromMicros(1'000'000 + 5'250'000));
  EXPECT_EQ(sleeper.slept(), (std::vector<Micros>{seconds(5), milliseconds(250)}));
  sleeper.Interrupt();
  EXPECT_FALSE(sleeper.SleepFor(seconds(1)));
  EXPECT_EQ(clock.Now(), FromMicros(1'000'000 + 5'250'000));
}

TEST(BackoffTest, RealSleeperIsInterruptible) {
  RealSleeper sleeper;
  const auto start = std::chrono::steady_clock::now();
  std::thread t([&] {
    std::this_thread::sleep_for(milliseconds(50));
    sleeper.Interrupt();
  });
  EXPECT_FALSE(sleeper.SleepFor(seconds(30)));
  t.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(10));
  EXPECT_FALSE(sleeper.SleepFor(seconds(30)));  // stays interrupted
}

}  // namespace
}  // namespace hashlake::source
