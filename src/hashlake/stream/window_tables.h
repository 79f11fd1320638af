#pragma once

#include <arrow/api.h>

#include <memory>
#include <vector>

#include "hashlake/stream/window_state.h"

namespace hashlake::stream {

/// The tables of closed windows (DESIGN.md, "The tables"), all partitioned by `date`, the
/// UTC date of window_start. Counts are append-only: a window's rows are written once.
///   hashtag_counts       window_start, window_end, hashtag, count, rank
///   area_hashtag_counts  window_start, window_end, country_code, region, hashtag, count, rank
///   language_counts      window_start, window_end, lang, count
///   window_stats         window_start, window_end, posts, posts_with_area, hashtags,
///                        distinct_hashtags
/// `rank` is 1 for the most frequent hashtag of the window (of the area, for areas), ties
/// broken by hashtag; `top_k` > 0 keeps only ranks 1..top_k.
std::shared_ptr<arrow::Schema> HashtagCountsSchema();
std::shared_ptr<arrow::Schema> AreaHashtagCountsSchema();
std::shared_ptr<arrow::Schema> LanguageCountsSchema();
std::shared_ptr<arrow::Schema> WindowStatsSchema();

arrow::Result<std::shared_ptr<arrow::Table>> HashtagCountsTable(
    const std::vector<ClosedWindow>& windows, int top_k);
arrow::Result<std::shared_ptr<arrow::Table>> AreaHashtagCountsTable(
    const std::vector<ClosedWindow>& windows, int top_k);
arrow::Result<std::shared_ptr<arrow::Table>> LanguageCountsTable(
    const std::vector<ClosedWindow>& windows);
arrow::Result<std::shared_ptr<arrow::Table>> WindowStatsTable(
    const std::vector<ClosedWindow>& windows);

}  // namespace hashlake::stream
