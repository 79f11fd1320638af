#pragma once

// Test-only helpers for arrow::Status / arrow::Result in GoogleTest.

#include <gtest/gtest.h>

#include <arrow/result.h>
#include <arrow/status.h>

#define HASHLAKE_CONCAT_IMPL(a, b) a##b
#define HASHLAKE_CONCAT(a, b) HASHLAKE_CONCAT_IMPL(a, b)

#define ASSERT_OK(expr)                                              \
  do {                                                               \
    const ::arrow::Status _st = ::arrow::ToStatus(expr); \
    ASSERT_TRUE(_st.ok()) << #expr << ": " << _st.ToString();        \
  } while (false)

#define EXPECT_OK(expr)                                              \
  do {                                                               \
    const ::arrow::Status _st = ::arrow::ToStatus(expr); \
    EXPECT_TRUE(_st.ok()) << #expr << ": " << _st.ToString();        \
  } while (false)

#define ASSERT_OK_AND_ASSIGN_IMPL(result, lhs, rexpr)                         \
  auto result = (rexpr);                                                      \
  ASSERT_TRUE(result.ok()) << #rexpr << ": " << result.status().ToString();   \
  lhs = std::move(result).ValueUnsafe();

/// `ASSERT_OK_AND_ASSIGN(auto x, MakeX())`: fails the test with the status message.
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  ASSERT_OK_AND_ASSIGN_IMPL(HASHLAKE_CONCAT(_result_, __LINE__), lhs, rexpr)

/// Asserts that `expr` fails and that its message contains `substring`.
#define ASSERT_ERROR_CONTAINS(expr, substring)                                \
  do {                                                                        \
    const ::arrow::Status _st = ::arrow::ToStatus(expr);     \
    ASSERT_FALSE(_st.ok()) << #expr << " unexpectedly succeeded";             \
    ASSERT_NE(_st.message().find(substring), std::string::npos)               \
        << "message '" << _st.message() << "' lacks '" << substring << "'";   \
  } while (false)
