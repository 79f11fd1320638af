#include "hashlake/stream/checkpoint.h"

#include <charconv>

#include <simdjson.h>

#include "hashlake/core/atomic_file.h"
#include "hashlake/core/json_writer.h"
#include "hashlake/core/simdjson_status.h"

namespace hashlake::stream {
namespace fs = std::filesystem;
namespace {

std::string BatchFile(int64_t batch_id) {
  char name[24];
  std::snprintf(name, sizeof(name), "%020lld", static_cast<long long>(batch_id));
  return name;
}

arrow::Status MakeDirs(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return arrow::Status::IOError("cannot create '", dir.string(), "': ", ec.message());
  return arrow::Status::OK();
}

void WriteOffsets(JsonWriter& w, const bus::OffsetMap& offsets) {
  w.BeginObject();
  for (const auto& [partition, offset] : offsets) {
    w.Key(std::to_string(partition.value));
    w.Int(offset.value);
  }
  w.EndObject();
}

}  // namespace

std::string OffsetsToJson(const bus::OffsetMap& offsets) {
  std::string out;
  JsonWriter w(&out);
  WriteOffsets(w, offsets);
  return out;
}

std::string BatchPlanJson(const BatchPlan& plan) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Key("batch_id");
  w.Int(plan.batch_id);
  w.Key("close_all");
  w.Bool(plan.close_all);
  if (!plan.members.empty()) {
    w.Key("members");
    w.BeginObject();
    for (const auto& [partition, batch_id] : plan.members) {
      w.Key(std::to_string(partition.value));
      w.Int(batch_id);
    }
    w.EndObject();
  }
  w.Key("from");
  WriteOffsets(w, plan.from);
  w.Key("to");
  WriteOffsets(w, plan.to);
  w.EndObject();
  return out;
}

arrow::Result<bus::OffsetMap> OffsetsFromJson(std::string_view json) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  HASHLAKE_RETURN_NOT_OK_JSON(parser.parse(json.data(), json.size()).get(object), "offsets");
  bus::OffsetMap offsets;
  for (auto [key, value] : object) {
    int64_t offset;
    HASHLAKE_RETURN_NOT_OK_JSON(value.get(offset), "offset value");
    int32_t partition = 0;
    auto [ptr, ec] = std::from_chars(key.data(), key.data() + key.size(), partition);
    if (ec != std::errc() || ptr != key.data() + key.size()) {
      return arrow::Status::Invalid("offsets: bad partition '", key, "'");
    }
    offsets[bus::PartitionId{partition}] = bus::Offset{offset};
  }
  return offsets;
}

arrow::Result<CheckpointDir> CheckpointDir::Open(const fs::path& dir) {
  for (const char* sub : {"offsets", "state", "commits"}) ARROW_RETURN_NOT_OK(MakeDirs(dir / sub));
  return CheckpointDir(dir);
}

arrow::Status CheckpointDir::WritePlan(const BatchPlan& plan) {
  return WriteFileAtomically(dir_ / "offsets" / BatchFile(plan.batch_id), BatchPlanJson(plan));
}

arrow::Status CheckpointDir::WriteState(int64_t batch_id, const std::string& state) {
  return WriteFileAtomically(dir_ / "state" / BatchFile(batch_id), state);
}

arrow::Status CheckpointDir::WriteCommit(int64_t batch_id) {
  return WriteFileAtomically(dir_ / "commits" / BatchFile(batch_id), "{}");
}

arrow::Result<BatchPlan> CheckpointDir::ReadPlan(int64_t batch_id) const {
  ARROW_ASSIGN_OR_RAISE(auto text, ReadWholeFile(dir_ / "offsets" / BatchFile(batch_id)));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  HASHLAKE_RETURN_NOT_OK_JSON(parser.parse(text).get(doc), "batch plan");
  BatchPlan plan;
  simdjson::dom::object from, to;
  HASHLAKE_RETURN_NOT_OK_JSON(doc["batch_id"].get(plan.batch_id), "batch plan 'batch_id'");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["close_all"].get(plan.close_all), "batch plan 'close_all'");
  simdjson::dom::object members;
  if (doc["members"].get(members) == simdjson::SUCCESS) {
    // Same shape as offsets: {"partition": number}.
    ARROW_ASSIGN_OR_RAISE(auto ids, OffsetsFromJson(simdjson::to_string(members)));
    for (const auto& [partition, id] : ids) plan.members[partition] = id.value;
  }
  HASHLAKE_RETURN_NOT_OK_JSON(doc["from"].get(from), "batch plan 'from'");
  HASHLAKE_RETURN_NOT_OK_JSON(doc["to"].get(to), "batch plan 'to'");
  ARROW_ASSIGN_OR_RAISE(plan.from, OffsetsFromJson(simdjson::to_string(from)));
  ARROW_ASSIGN_OR_RAISE(plan.to, OffsetsFromJson(simdjson::to_string(to)));
  return plan;
}

arrow::Result<std::optional<BatchPlan>> CheckpointDir::LatestPlan() const {
  std::optional<int64_t> latest;
  for (const auto& entry : fs::directory_iterator(dir_ / "offsets")) {
    const std::string name = entry.path().filename().string();
    if (name.size() != 20 || name.find_first_not_of("0123456789") != std::string::npos) {
      continue;  // temporaries of an interrupted write
    }
    const int64_t id = std::stoll(name);
    if (!latest || id > *latest) latest = id;
  }
  if (!latest) return std::nullopt;
  ARROW_ASSIGN_OR_RAISE(auto plan, ReadPlan(*latest));
  return plan;
}

bool CheckpointDir::IsCommitted(int64_t batch_id) const {
  return fs::exists(dir_ / "commits" / BatchFile(batch_id));
}

arrow::Result<std::optional<std::string>> CheckpointDir::ReadState(int64_t batch_id) const {
  const auto path = dir_ / "state" / BatchFile(batch_id);
  if (!fs::exists(path)) return std::nullopt;
  ARROW_ASSIGN_OR_RAISE(auto text, ReadWholeFile(path));
  return text;
}

bool CheckpointDir::HasPlan(int64_t batch_id) const {
  return fs::exists(dir_ / "offsets" / BatchFile(batch_id));
}

arrow::Status CheckpointDir::DropPlan(int64_t batch_id) {
  std::error_code ec;
  fs::remove(dir_ / "offsets" / BatchFile(batch_id), ec);
  if (ec) return arrow::Status::IOError("cannot delete a plan in ", dir_.string(), ": ", ec.message());
  return arrow::Status::OK();
}

arrow::Status CheckpointDir::Prune(int64_t keep_from) {
  for (const char* sub : {"offsets", "state", "commits"}) {
    for (const auto& entry : fs::directory_iterator(dir_ / sub)) {
      const std::string name = entry.path().filename().string();
      if (name.size() == 20 && name.find_first_not_of("0123456789") == std::string::npos &&
          std::stoll(name) < keep_from) {
        std::error_code ec;
        fs::remove(entry.path(), ec);
      }
    }
  }
  return arrow::Status::OK();
}

}  // namespace hashlake::stream
