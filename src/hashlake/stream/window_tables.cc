#include "hashlake/stream/window_tables.h"

#include <algorithm>

namespace hashlake::stream {
namespace {

std::shared_ptr<arrow::DataType> Utc() { return arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"); }

int32_t DaysSinceEpoch(Timestamp t) {
  return static_cast<int32_t>(std::chrono::floor<std::chrono::days>(t).time_since_epoch().count());
}

arrow::FieldVector WindowFields() {
  return {arrow::field("window_start", Utc(), false), arrow::field("window_end", Utc(), false)};
}

arrow::FieldVector With(arrow::FieldVector fields, const arrow::FieldVector& more) {
  fields.insert(fields.end(), more.begin(), more.end());
  fields.push_back(arrow::field("date", arrow::date32(), false));
  return fields;
}

using Entry = std::pair<std::string_view, int64_t>;

// Count descending, then key: the rank order.
std::vector<Entry> Ranked(const Counts& counts) {
  std::vector<Entry> entries(counts.begin(), counts.end());
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return entries;
}

/// Appends to a RecordBatchBuilder whose first two columns are the window and whose
/// last is the date.
class WindowRows {
 public:
  static arrow::Result<WindowRows> Make(std::shared_ptr<arrow::Schema> schema) {
    ARROW_ASSIGN_OR_RAISE(auto builder,
                          arrow::RecordBatchBuilder::Make(schema, arrow::default_memory_pool()));
    return WindowRows(std::move(builder), schema->num_fields() - 1);
  }

  arrow::Status Begin(const ClosedWindow& w) {
    ARROW_RETURN_NOT_OK(Get<arrow::TimestampBuilder>(0)->Append(ToMicros(w.start)));
    ARROW_RETURN_NOT_OK(Get<arrow::TimestampBuilder>(1)->Append(ToMicros(w.end)));
    return Get<arrow::Date32Builder>(date_column_)->Append(DaysSinceEpoch(w.start));
  }
  template <typename T>
  T* Get(int i) {
    return builder_->GetFieldAs<T>(i);
  }
  arrow::Status String(int i, std::string_view value) {
    auto* b = Get<arrow::StringBuilder>(i);
    return value.empty() ? b->AppendNull() : b->Append(value);
  }
  arrow::Result<std::shared_ptr<arrow::Table>> Finish() {
    ARROW_ASSIGN_OR_RAISE(auto batch, builder_->Flush());
    return arrow::Table::FromRecordBatches({batch});
  }

 private:
  WindowRows(std::unique_ptr<arrow::RecordBatchBuilder> builder, int date_column)
      : builder_(std::move(builder)), date_column_(date_column) {}
  std::unique_ptr<arrow::RecordBatchBuilder> builder_;
  int date_column_;
};

}  // namespace

std::shared_ptr<arrow::Schema> HashtagCountsSchema() {
  static const auto schema =
      arrow::schema(With(WindowFields(), {arrow::field("hashtag", arrow::utf8(), false),
                                          arrow::field("count", arrow::int64(), false),
                                          arrow::field("rank", arrow::int32(), false)}));
  return schema;
}

std::shared_ptr<arrow::Schema> AreaHashtagCountsSchema() {
  static const auto schema = arrow::schema(With(
      WindowFields(),
      {arrow::field("country_code", arrow::utf8(), false), arrow::field("region", arrow::utf8()),
       arrow::field("hashtag", arrow::utf8(), false), arrow::field("count", arrow::int64(), false),
       arrow::field("rank", arrow::int32(), false)}));
  return schema;
}

std::shared_ptr<arrow::Schema> LanguageCountsSchema() {
  static const auto schema =
      arrow::schema(With(WindowFields(), {arrow::field("lang", arrow::utf8(), false),
                                          arrow::field("count", arrow::int64(), false)}));
  return schema;
}

std::shared_ptr<arrow::Schema> WindowStatsSchema() {
  static const auto schema = arrow::schema(
      With(WindowFields(), {arrow::field("posts", arrow::int64(), false),
                            arrow::field("posts_with_area", arrow::int64(), false),
                            arrow::field("hashtags", arrow::int64(), false),
                            arrow::field("distinct_hashtags", arrow::int64(), false)}));
  return schema;
}

arrow::Result<std::shared_ptr<arrow::Table>> HashtagCountsTable(
    const std::vector<ClosedWindow>& windows, int top_k) {
  ARROW_ASSIGN_OR_RAISE(auto rows, WindowRows::Make(HashtagCountsSchema()));
  for (const auto& w : windows) {
    int32_t rank = 0;
    for (const auto& [tag, count] : Ranked(w.aggregates.hashtags)) {
      if (top_k > 0 && rank == top_k) break;
      ARROW_RETURN_NOT_OK(rows.Begin(w));
      ARROW_RETURN_NOT_OK(rows.String(2, tag));
      ARROW_RETURN_NOT_OK(rows.Get<arrow::Int64Builder>(3)->Append(count));
      ARROW_RETURN_NOT_OK(rows.Get<arrow::Int32Builder>(4)->Append(++rank));
    }
  }
  return rows.Finish();
}

arrow::Result<std::shared_ptr<arrow::Table>> AreaHashtagCountsTable(
    const std::vector<ClosedWindow>& windows, int top_k) {
  ARROW_ASSIGN_OR_RAISE(auto rows, WindowRows::Make(AreaHashtagCountsSchema()));
  for (const auto& w : windows) {
    // Grouped by area, then in rank order within each area.
    struct Row {
      AreaHashtag key;
      int64_t count;
    };
    std::vector<Row> entries;
    entries.reserve(w.aggregates.area_hashtags.size());
    for (const auto& [key, count] : w.aggregates.area_hashtags) {
      entries.push_back({SplitAreaHashtagKey(key), count});
    }
    std::sort(entries.begin(), entries.end(), [](const Row& a, const Row& b) {
      return std::tie(a.key.country_code, a.key.region, b.count, a.key.hashtag) <
             std::tie(b.key.country_code, b.key.region, a.count, b.key.hashtag);
    });
    int32_t rank = 0;
    std::string_view area_country, area_region;
    for (const auto& [parts, count] : entries) {
      if (rank == 0 || parts.country_code != area_country || parts.region != area_region) {
        area_country = parts.country_code;
        area_region = parts.region;
        rank = 0;
      }
      if (top_k > 0 && rank >= top_k) continue;
      ARROW_RETURN_NOT_OK(rows.Begin(w));
      ARROW_RETURN_NOT_OK(rows.Get<arrow::StringBuilder>(2)->Append(parts.country_code));
      ARROW_RETURN_NOT_OK(rows.String(3, parts.region));
      ARROW_RETURN_NOT_OK(rows.Get<arrow::StringBuilder>(4)->Append(parts.hashtag));
      ARROW_RETURN_NOT_OK(rows.Get<arrow::Int64Builder>(5)->Append(count));
      ARROW_RETURN_NOT_OK(rows.Get<arrow::Int32Builder>(6)->Append(++rank));
    }
  }
  return rows.Finish();
}

arrow::Result<std::shared_ptr<arrow::Table>> LanguageCountsTable(
    const std::vector<ClosedWindow>& windows) {
  ARROW_ASSIGN_OR_RAISE(auto rows, WindowRows::Make(LanguageCountsSchema()));
  for (const auto& w : windows) {
    for (const auto& [lang, count] : Ranked(w.aggregates.languages)) {
      ARROW_RETURN_NOT_OK(rows.Begin(w));
      ARROW_RETURN_NOT_OK(rows.Get<arrow::StringBuilder>(2)->Append(lang));
      ARROW_RETURN_NOT_OK(rows.Get<arrow::Int64Builder>(3)->Append(count));
    }
  }
  return rows.Finish();
}

arrow::Result<std::shared_ptr<arrow::Table>> WindowStatsTable(
    const std::vector<ClosedWindow>& windows) {
  ARROW_ASSIGN_OR_RAISE(auto rows, WindowRows::Make(WindowStatsSchema()));
  for (const auto& w : windows) {
    int64_t hashtags = 0;
    for (const auto& [tag, count] : w.aggregates.hashtags) hashtags += count;
    ARROW_RETURN_NOT_OK(rows.Begin(w));
    ARROW_RETURN_NOT_OK(rows.Get<arrow::Int64Builder>(2)->Append(w.aggregates.posts));
    ARROW_RETURN_NOT_OK(rows.Get<arrow::Int64Builder>(3)->Append(w.aggregates.posts_with_area));
    ARROW_RETURN_NOT_OK(rows.Get<arrow::Int64Builder>(4)->Append(hashtags));
    ARROW_RETURN_NOT_OK(rows.Get<arrow::Int64Builder>(5)->Append(
        static_cast<int64_t>(w.aggregates.hashtags.size())));
  }
  return rows.Finish();
}

}  // namespace hashlake::stream
