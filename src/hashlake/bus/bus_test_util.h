#pragma once

// Test helpers for the bus module (no dependency on libarrow_testing).

#include <gtest/gtest.h>

#define BUS_CONCAT_INNER(a, b) a##b
#define BUS_CONCAT(a, b) BUS_CONCAT_INNER(a, b)

#define ASSERT_OK(expr)                                       \
  do {                                                        \
    const ::arrow::Status _st = (expr);                       \
    ASSERT_TRUE(_st.ok()) << #expr << ": " << _st.ToString(); \
  } while (false)

#define EXPECT_OK(expr)                                       \
  do {                                                        \
    const ::arrow::Status _st = (expr);                       \
    EXPECT_TRUE(_st.ok()) << #expr << ": " << _st.ToString(); \
  } while (false)

#define BUS_ASSERT_OK_AND_ASSIGN_IMPL(result, lhs, rexpr)                   \
  auto result = (rexpr);                                                    \
  ASSERT_TRUE(result.ok()) << #rexpr << ": " << result.status().ToString(); \
  lhs = std::move(result).ValueUnsafe();

/// `ASSERT_OK_AND_ASSIGN(auto x, MakeX());` fails the test on an error status.
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr) \
  BUS_ASSERT_OK_AND_ASSIGN_IMPL(BUS_CONCAT(_result_, __LINE__), lhs, rexpr)
