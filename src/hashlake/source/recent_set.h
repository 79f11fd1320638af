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
    const auto [it, inserted] = set_.emplace(key);
    if (!inserted) return false;
    order_.push_back(*it);  // set nodes never move: the view stays valid until erased
    if (order_.size() > capacity_) {
      set_.erase(set_.find(order_.front()));
      order_.pop_front();
    }
    return true;
  }
  bool Contains(std::string_view key) const { return set_.contains(key); }
  std::size_t size() const { return order_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::size_t capacity_;
  std::unordered_set<std::string, Hash, std::equal_to<>> set_;
  std::deque<std::string_view> order_;  // into set_'s keys, oldest first
};

}  // namespace hashlake::source
