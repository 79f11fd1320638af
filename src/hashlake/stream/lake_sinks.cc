#include "hashlake/stream/lake_sinks.h"

#include "hashlake/lake/table_uri.h"
#include "hashlake/stream/tables.h"
#include "hashlake/stream/window_tables.h"

namespace hashlake::stream {

arrow::Result<LakeSinks> OpenLakeSinks(const std::string& lake, const std::string& app_id) {
  LakeSinks out;
  auto open = [&](const char* name, const std::shared_ptr<arrow::Schema>& schema,
                  std::unique_ptr<TableSink>* slot) -> arrow::Status {
    ARROW_ASSIGN_OR_RAISE(
        auto sink, DeltaSink::Make(lake::JoinTableUri(lake, name), *schema, {"date"}, app_id));
    out.tables.push_back(sink.get());
    *slot = std::move(sink);
    return arrow::Status::OK();
  };
  StreamJobSinks& s = out.sinks;
  ARROW_RETURN_NOT_OK(open("posts", PostsSchema(), &s.posts));
  ARROW_RETURN_NOT_OK(open("rejected", RejectedSchema(), &s.rejected));
  ARROW_RETURN_NOT_OK(open("hashtag_counts", HashtagCountsSchema(), &s.hashtag_counts));
  ARROW_RETURN_NOT_OK(
      open("area_hashtag_counts", AreaHashtagCountsSchema(), &s.area_hashtag_counts));
  ARROW_RETURN_NOT_OK(open("language_counts", LanguageCountsSchema(), &s.language_counts));
  ARROW_RETURN_NOT_OK(open("window_stats", WindowStatsSchema(), &s.window_stats));
  return out;
}

}  // namespace hashlake::stream
