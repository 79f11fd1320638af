#include "hashlake/stream/tables.h"

namespace hashlake::stream {
namespace {

std::shared_ptr<arrow::DataType> Utc() { return arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"); }
std::shared_ptr<arrow::DataType> Strings() { return arrow::list(arrow::utf8()); }

int32_t DaysSinceEpoch(Timestamp t) {
  return static_cast<int32_t>(std::chrono::floor<std::chrono::days>(t).time_since_epoch().count());
}

template <typename T>
T* Field(arrow::RecordBatchBuilder& b, int i) {
  return b.GetFieldAs<T>(i);
}

arrow::Status AppendString(arrow::RecordBatchBuilder& b, int i, const std::string& value,
                           bool null_if_empty = true) {
  auto* builder = Field<arrow::StringBuilder>(b, i);
  if (null_if_empty && value.empty()) return builder->AppendNull();
  return builder->Append(value);
}

arrow::Status AppendStrings(arrow::RecordBatchBuilder& b, int i,
                            const std::vector<std::string>& values) {
  auto* list = Field<arrow::ListBuilder>(b, i);
  ARROW_RETURN_NOT_OK(list->Append());
  auto* items = static_cast<arrow::StringBuilder*>(list->value_builder());
  for (const auto& v : values) ARROW_RETURN_NOT_OK(items->Append(v));
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::Table>> FinishTable(arrow::RecordBatchBuilder& builder) {
  ARROW_ASSIGN_OR_RAISE(auto batch, builder.Flush());
  return arrow::Table::FromRecordBatches({batch});
}

}  // namespace

std::shared_ptr<arrow::Schema> PostsSchema() {
  static const auto schema = arrow::schema({
      arrow::field("id", arrow::utf8(), false),
      arrow::field("source", arrow::utf8(), false),
      arrow::field("created_at", Utc(), false),
      arrow::field("ingested_at", Utc()),
      arrow::field("author_id", arrow::utf8()),
      arrow::field("author_handle", arrow::utf8()),
      arrow::field("lang", arrow::utf8()),
      arrow::field("text", arrow::utf8()),
      arrow::field("hashtags", Strings()),
      arrow::field("mentions", Strings()),
      arrow::field("urls", Strings()),
      arrow::field("reply_to", arrow::utf8()),
      arrow::field("repost_of", arrow::utf8()),
      arrow::field("country_code", arrow::utf8()),
      arrow::field("region", arrow::utf8()),
      arrow::field("place_name", arrow::utf8()),
      arrow::field("lat", arrow::float64()),
      arrow::field("lon", arrow::float64()),
      arrow::field("geo_source", arrow::utf8()),
      arrow::field("author_location", arrow::utf8()),
      arrow::field("like_count", arrow::int64()),
      arrow::field("repost_count", arrow::int64()),
      arrow::field("tokens", Strings()),
      arrow::field("bus_partition", arrow::int32()),
      arrow::field("bus_offset", arrow::int64()),
      arrow::field("date", arrow::date32(), false),
  });
  return schema;
}

std::shared_ptr<arrow::Schema> RejectedSchema() {
  static const auto schema = arrow::schema({
      arrow::field("source", arrow::utf8(), false),
      arrow::field("reason", arrow::utf8(), false),
      arrow::field("payload", arrow::binary()),
      arrow::field("payload_bytes", arrow::int64(), false),
      arrow::field("rejected_at", Utc(), false),
      arrow::field("bus_partition", arrow::int32()),
      arrow::field("bus_offset", arrow::int64()),
      arrow::field("date", arrow::date32(), false),
  });
  return schema;
}

PostsBuilder::PostsBuilder() {
  builder_ = arrow::RecordBatchBuilder::Make(PostsSchema(), arrow::default_memory_pool())
                 .ValueOrDie();  // cannot fail for these fixed types
}

static arrow::Status AppendPosition(arrow::RecordBatchBuilder& b, int i, BusPosition position) {
  auto* partition = Field<arrow::Int32Builder>(b, i);
  auto* offset = Field<arrow::Int64Builder>(b, i + 1);
  if (position.partition < 0) {
    ARROW_RETURN_NOT_OK(partition->AppendNull());
    return offset->AppendNull();
  }
  ARROW_RETURN_NOT_OK(partition->Append(position.partition));
  return offset->Append(position.offset);
}

arrow::Status PostsBuilder::Append(const Post& p, const std::vector<std::string>& tokens,
                                   BusPosition position) {
  auto& b = *builder_;
  ARROW_RETURN_NOT_OK(AppendString(b, 0, p.id, false));
  ARROW_RETURN_NOT_OK(AppendString(b, 1, std::string(ToString(p.source)), false));
  ARROW_RETURN_NOT_OK(Field<arrow::TimestampBuilder>(b, 2)->Append(ToMicros(p.created_at)));
  ARROW_RETURN_NOT_OK(Field<arrow::TimestampBuilder>(b, 3)->Append(ToMicros(p.ingested_at)));
  ARROW_RETURN_NOT_OK(AppendString(b, 4, p.author_id));
  ARROW_RETURN_NOT_OK(AppendString(b, 5, p.author_handle));
  ARROW_RETURN_NOT_OK(AppendString(b, 6, p.lang));
  ARROW_RETURN_NOT_OK(AppendString(b, 7, p.text, false));
  ARROW_RETURN_NOT_OK(AppendStrings(b, 8, p.hashtags));
  ARROW_RETURN_NOT_OK(AppendStrings(b, 9, p.mentions));
  ARROW_RETURN_NOT_OK(AppendStrings(b, 10, p.urls));
  ARROW_RETURN_NOT_OK(AppendString(b, 11, p.reply_to));
  ARROW_RETURN_NOT_OK(AppendString(b, 12, p.repost_of));
  ARROW_RETURN_NOT_OK(AppendString(b, 13, p.country_code));
  ARROW_RETURN_NOT_OK(AppendString(b, 14, p.region));
  ARROW_RETURN_NOT_OK(AppendString(b, 15, p.place_name));
  auto* lat = Field<arrow::DoubleBuilder>(b, 16);
  auto* lon = Field<arrow::DoubleBuilder>(b, 17);
  ARROW_RETURN_NOT_OK(p.lat ? lat->Append(*p.lat) : lat->AppendNull());
  ARROW_RETURN_NOT_OK(p.lon ? lon->Append(*p.lon) : lon->AppendNull());
  ARROW_RETURN_NOT_OK(AppendString(b, 18, std::string(ToString(p.geo_source)), false));
  ARROW_RETURN_NOT_OK(AppendString(b, 19, p.author_location));
  ARROW_RETURN_NOT_OK(Field<arrow::Int64Builder>(b, 20)->Append(p.like_count));
  ARROW_RETURN_NOT_OK(Field<arrow::Int64Builder>(b, 21)->Append(p.repost_count));
  ARROW_RETURN_NOT_OK(AppendStrings(b, 22, tokens));
  ARROW_RETURN_NOT_OK(AppendPosition(b, 23, position));
  ARROW_RETURN_NOT_OK(Field<arrow::Date32Builder>(b, 25)->Append(DaysSinceEpoch(p.created_at)));
  ++length_;
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::Table>> PostsBuilder::Finish() {
  length_ = 0;
  return FinishTable(*builder_);
}

RejectedBuilder::RejectedBuilder() {
  builder_ = arrow::RecordBatchBuilder::Make(RejectedSchema(), arrow::default_memory_pool())
                 .ValueOrDie();  // cannot fail for these fixed types
}

arrow::Status RejectedBuilder::Append(const Rejected& r, BusPosition position) {
  auto& b = *builder_;
  ARROW_RETURN_NOT_OK(AppendString(b, 0, std::string(ToString(r.source)), false));
  ARROW_RETURN_NOT_OK(AppendString(b, 1, r.reason, false));
  ARROW_RETURN_NOT_OK(Field<arrow::BinaryBuilder>(b, 2)->Append(r.payload));
  ARROW_RETURN_NOT_OK(
      Field<arrow::Int64Builder>(b, 3)->Append(static_cast<int64_t>(r.payload.size())));
  ARROW_RETURN_NOT_OK(Field<arrow::TimestampBuilder>(b, 4)->Append(ToMicros(r.at)));
  ARROW_RETURN_NOT_OK(AppendPosition(b, 5, position));
  ARROW_RETURN_NOT_OK(Field<arrow::Date32Builder>(b, 7)->Append(DaysSinceEpoch(r.at)));
  ++length_;
  return arrow::Status::OK();
}

arrow::Result<std::shared_ptr<arrow::Table>> RejectedBuilder::Finish() {
  length_ = 0;
  return FinishTable(*builder_);
}

}  // namespace hashlake::stream
