#pragma once

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

namespace hashlake::source {

/// The last `capacity` distinct keys seen, for dropping duplicates that a resumed stream
/// replays (Jetstream's cursor overlap, X's documented duplicates, an SSE resume).
/// Oldest keys are forgotten first. Not thread-safe.
class RecentSet {
 public:
  explicit RecentSet(std::size_t capacity = 100'000) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// Adds `key`; false when it was already present (a duplicate).
  bool Insert(std::string_view key) {
    std::string k(key);
    if (set_.contains(k)) return false;
    set_.insert(k);
    order_.push_back(std::move(k));
    if (order_.size() > capacity_) {
      set_.erase(order_.front());
      order_.pop_front();
    }
    return true;
  }
  bool Contains(std::string_view key) const { return set_.contains(std::string(key)); }
  std::size_t size() const { return order_.size(); }

 private:
  std::size_t capacity_;
  std::unordered_set<std::string> set_;
  std::deque<std::string> order_;
};

}  // namespace hashlake::source
