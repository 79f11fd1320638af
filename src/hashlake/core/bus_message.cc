#include "hashlake/core/bus_message.h"

#include <arrow/util/base64.h>
#include <simdjson.h>

#include "hashlake/core/json_writer.h"
#include "hashlake/core/simdjson_status.h"

namespace hashlake {
namespace {

constexpr std::string_view kRejectedMarker = R"("type":"rejected")";

std::string EncodeRejected(const Rejected& r) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("schema_version");
  w.Int(Post::kSchemaVersion);
  w.Key("type");
  w.String("rejected");
  w.Key("source");
  w.String(ToString(r.source));
  w.Key("reason");
  w.String(r.reason);
  w.Key("at");
  w.Int(ToMicros(r.at));
  w.Key("payload_b64");
  w.String(arrow::util::base64_encode(r.payload));
  w.EndObject();
  return out;
}

arrow::Result<Rejected> DecodeRejected(std::string_view json) {
  simdjson::padded_string padded(json);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  HASHLAKE_RETURN_NOT_OK_JSON(parser.iterate(padded).get(doc), "invalid rejected record");
  Rejected r;
  std::string_view source, reason, payload;
  int64_t at;
  HASHLAKE_RETURN_NOT_OK_JSON(doc["source"].get_string().get(source), "rejected 'source'");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["reason"].get_string().get(reason), "rejected 'reason'");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["at"].get_int64().get(at), "rejected 'at'");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["payload_b64"].get_string().get(payload),
                              "rejected 'payload_b64'");
  ARROW_ASSIGN_OR_RAISE(r.source, ParseSourceKind(source));
  r.reason = reason;
  r.at = FromMicros(at);
  ARROW_ASSIGN_OR_RAISE(r.payload, arrow::util::base64_decode(payload));
  return r;
}

}  // namespace

std::string EncodeRecord(const Record& record) {
  if (const auto* post = std::get_if<Post>(&record)) return ToJson(*post);
  return EncodeRejected(std::get<Rejected>(record));
}

arrow::Result<Record> DecodeRecord(std::string_view bytes) {
  // EncodeRejected writes the marker right after schema_version; a post never has it.
  if (bytes.find(kRejectedMarker) != std::string_view::npos &&
      bytes.find(kRejectedMarker) < 40) {
    ARROW_ASSIGN_OR_RAISE(auto rejected, DecodeRejected(bytes));
    return Record{std::move(rejected)};
  }
  ARROW_ASSIGN_OR_RAISE(auto post, PostFromJson(bytes));
  return Record{std::move(post)};
}

std::string RecordKey(const Record& record) {
  if (const auto* post = std::get_if<Post>(&record)) {
    return post->author_id.empty() ? post->id : post->author_id;
  }
  return {};
}

}  // namespace hashlake
