#include "hashlake/lake/snapshot.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <unordered_map>

#include <arrow/api.h>

#include "hashlake/lake/checkpoint_reader.h"
#include "hashlake/lake/delta_schema.h"
#include "hashlake/lake/json_util.h"
#include "hashlake/lake/log_store.h"

namespace hashlake::lake {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int64_t ToInt(std::string_view s) {
  int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

/// What a listing of `_delta_log/` holds that replay cares about.
struct LogListing {
  std::map<int64_t, FileEntry> commits;  // version -> N.json
  /// version -> checkpoint parts (file names); a single-file checkpoint has one part.
  std::map<int64_t, std::vector<std::string>> complete_checkpoints;
};

arrow::Result<LogListing> ListLog(LogStore& store, const std::string& log_dir) {
  ARROW_ASSIGN_OR_RAISE(auto entries, store.List(log_dir));
  LogListing out;
  // version -> (parts expected, part number -> name)
  std::map<int64_t, std::pair<int64_t, std::map<int64_t, std::string>>> multi;
  for (auto& e : entries) {
    if (e.is_dir) continue;
    std::string_view n = e.name;
    if (n.size() < 21 || !AllDigits(n.substr(0, 20)) || n[20] != '.') continue;
    int64_t version = ToInt(n.substr(0, 20));
    std::string_view rest = n.substr(21);
    if (rest == "json") {
      out.commits.emplace(version, e);
    } else if (rest == "checkpoint.parquet") {
      out.complete_checkpoints[version] = {e.name};
    } else if (rest.size() == 41 && rest.starts_with("checkpoint.") &&
               rest.ends_with(".parquet") && AllDigits(rest.substr(11, 10)) &&
               rest[21] == '.' && AllDigits(rest.substr(22, 10))) {
      auto& [parts, names] = multi[version];
      parts = ToInt(rest.substr(22, 10));
      names[ToInt(rest.substr(11, 10))] = e.name;
    }
    // Everything else (.crc, *.compacted.json, UUID-named V2 checkpoints, temp files,
    // _last_checkpoint) is not needed for replay.
  }
  for (auto& [version, pn] : multi) {
    auto& [parts, names] = pn;
    if (out.complete_checkpoints.count(version)) continue;
    if (parts <= 0 || static_cast<int64_t>(names.size()) != parts) continue;  // incomplete set
    bool contiguous = true;
    std::vector<std::string> ordered;
    for (int64_t p = 1; p <= parts; ++p) {
      auto it = names.find(p);
      if (it == names.end()) {
        contiguous = false;
        break;
      }
      ordered.push_back(it->second);
    }
    if (contiguous) out.complete_checkpoints[version] = std::move(ordered);
  }
  return out;
}

/// `_last_checkpoint` (a hint): its version, or nullopt when absent or unreadable.
std::optional<int64_t> ReadLastCheckpointVersion(LogStore& store, const std::string& log_dir) {
  auto text = store.ReadFile(log_dir + "/_last_checkpoint");
  if (!text.ok()) return std::nullopt;
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (parser.parse(*text).get_object().get(o) != simdjson::SUCCESS) return std::nullopt;
  auto v = GetInt(o, "version", -1);
  if (!v.ok() || *v < 0) return std::nullopt;
  return *v;
}

std::string FileKey(const std::string& path, const std::optional<DeletionVectorRef>& dv) {
  return dv ? path + '\0' + dv->UniqueId() : path;
}

/// Live-file bookkeeping kept beside the snapshot while replaying.
struct Replay {
  Snapshot* snapshot;
  std::unordered_map<std::string, AddFile> live;
  std::unordered_map<std::string, RemoveFile> tombstones;
  bool saw_protocol = false;
  bool saw_metadata = false;

  void Load() {
    for (auto& f : snapshot->files) {
      std::string key = FileKey(f.path, f.deletion_vector);
      live.emplace(std::move(key), std::move(f));
    }
    snapshot->files.clear();
    for (auto& r : snapshot->tombstones) {
      std::string key = FileKey(r.path, r.deletion_vector);
      tombstones.emplace(std::move(key), std::move(r));
    }
    snapshot->tombstones.clear();
    saw_protocol = snapshot->version >= 0;
    saw_metadata = snapshot->version >= 0;
  }

  arrow::Status Apply(int64_t version, const std::vector<Action>& actions) {
    // Removes first, then adds: a commit that re-adds a path it also removes keeps it.
    for (const auto& a : actions) {
      if (const auto* r = std::get_if<RemoveFile>(&a)) {
        std::string key = FileKey(r->path, r->deletion_vector);
        live.erase(key);
        tombstones.insert_or_assign(std::move(key), *r);
      }
    }
    for (const auto& a : actions) {
      if (const auto* add = std::get_if<AddFile>(&a)) {
        std::string key = FileKey(add->path, add->deletion_vector);
        tombstones.erase(key);
        live.insert_or_assign(std::move(key), *add);
      } else if (const auto* p = std::get_if<Protocol>(&a)) {
        snapshot->protocol = *p;
        saw_protocol = true;
      } else if (const auto* m = std::get_if<Metadata>(&a)) {
        snapshot->metadata = *m;
        saw_metadata = true;
        snapshot->schema = nullptr;
      } else if (const auto* t = std::get_if<Txn>(&a)) {
        snapshot->txns.insert_or_assign(t->app_id, *t);
      } else if (const auto* c = std::get_if<CommitInfo>(&a)) {
        snapshot->commit_infos.insert_or_assign(version, *c);
      }
    }
    snapshot->version = version;
    return arrow::Status::OK();
  }

  arrow::Status Finish() {
    if (!saw_protocol) return arrow::Status::Invalid("Delta log has no protocol action");
    if (!saw_metadata) return arrow::Status::Invalid("Delta log has no metaData action");
    snapshot->files.clear();
    snapshot->files.reserve(live.size());
    for (auto& [key, f] : live) snapshot->files.push_back(std::move(f));
    live.clear();
    std::sort(snapshot->files.begin(), snapshot->files.end(),
              [](const AddFile& a, const AddFile& b) { return a.path < b.path; });
    snapshot->tombstones.clear();
    snapshot->tombstones.reserve(tombstones.size());
    for (auto& [key, r] : tombstones) snapshot->tombstones.push_back(std::move(r));
    tombstones.clear();
    std::sort(snapshot->tombstones.begin(), snapshot->tombstones.end(),
              [](const RemoveFile& a, const RemoveFile& b) { return a.path < b.path; });
    if (snapshot->schema == nullptr) {
      ARROW_ASSIGN_OR_RAISE(snapshot->schema,
                            FromDeltaSchemaString(snapshot->metadata.schema_string));
    }
    return CheckReadable(*snapshot);
  }
};

arrow::Status ReplayCommits(LogStore& store, const LogListing& listing, int64_t from,
                            int64_t to, Replay* replay) {
  const std::string& root = replay->snapshot->table_root;
  for (int64_t v = from; v <= to; ++v) {
    if (!listing.commits.count(v)) {
      return arrow::Status::Invalid("Delta log of ", root, " is missing commit ", v);
    }
    std::string path = CommitPath(root, v);
    ARROW_ASSIGN_OR_RAISE(auto text, store.ReadFile(path));
    ARROW_ASSIGN_OR_RAISE(auto actions, ParseCommitFile(text, path));
    ARROW_RETURN_NOT_OK(replay->Apply(v, actions));
  }
  return arrow::Status::OK();
}

}  // namespace

std::optional<int64_t> Snapshot::TxnVersion(const std::string& app_id) const {
  auto it = txns.find(app_id);
  if (it == txns.end()) return std::nullopt;
  return it->second.version;
}

std::string CommitPath(const std::string& root, int64_t version) {
  char name[32];
  std::snprintf(name, sizeof(name), "%020lld.json", static_cast<long long>(version));
  return root + "/_delta_log/" + name;
}

arrow::Status CheckReadable(const Snapshot& snapshot) {
  const auto& p = snapshot.protocol;
  bool features_ok = false;
  if (p.min_reader_version == 3) {
    // Table features: readable when every listed reader feature is one we implement.
    features_ok = std::all_of(p.reader_features.begin(), p.reader_features.end(),
                              [](const std::string& f) {
                                return std::any_of(std::begin(kSupportedReaderFeatures),
                                                   std::end(kSupportedReaderFeatures),
                                                   [&](const char* s) { return f == s; });
                              });
  }
  if (p.min_reader_version > 1 && !features_ok) {
    std::string features;
    for (const auto& f : p.reader_features) {
      bool supported = std::any_of(std::begin(kSupportedReaderFeatures),
                                   std::end(kSupportedReaderFeatures),
                                   [&](const char* s) { return f == s; });
      if (!supported) features += (features.empty() ? "" : ", ") + f;
    }
    if (features.empty() && p.min_reader_version == 2) features = "columnMapping";
    return arrow::Status::NotImplemented(
        "table ", snapshot.table_root, " needs Delta reader version ", p.min_reader_version,
        " with feature(s) [", features, "]; hashlake reads reader version 1, and reader "
        "version 3 with features timestampNtz and vacuumProtocolCheck");
  }
  auto mode = snapshot.metadata.configuration.find("delta.columnMapping.mode");
  if (mode != snapshot.metadata.configuration.end() && mode->second != "none") {
    return arrow::Status::NotImplemented("table ", snapshot.table_root,
                                         " uses Delta feature columnMapping (mode '",
                                         mode->second, "'), which hashlake does not read");
  }
  for (const auto& f : snapshot.files) {
    if (f.deletion_vector) {
      return arrow::Status::NotImplemented("table ", snapshot.table_root,
                                           " uses Delta feature deletionVectors (file ", f.path,
                                           "), which hashlake does not read");
    }
  }
  return arrow::Status::OK();
}

arrow::Status ApplyCommit(int64_t version, const std::vector<Action>& actions,
                          Snapshot* snapshot) {
  Replay replay{snapshot, {}, {}, false, false};
  replay.Load();
  ARROW_RETURN_NOT_OK(replay.Apply(version, actions));
  return replay.Finish();
}

arrow::Result<Snapshot> LoadSnapshot(LogStore& store, const std::string& root,
                                     std::optional<int64_t> version) {
  std::string log_dir = root + "/_delta_log";
  ARROW_ASSIGN_OR_RAISE(auto listing, ListLog(store, log_dir));
  if (listing.commits.empty() && listing.complete_checkpoints.empty()) {
    return arrow::Status::IOError("not a Delta table: no commits in ", log_dir);
  }
  int64_t latest = -1;
  if (!listing.commits.empty()) latest = listing.commits.rbegin()->first;
  if (!listing.complete_checkpoints.empty()) {
    latest = std::max(latest, listing.complete_checkpoints.rbegin()->first);
  }
  int64_t target = version.value_or(latest);
  if (target < 0 || target > latest) {
    return arrow::Status::Invalid("version ", target, " of ", root,
                                  " does not exist (latest is ", latest, ")");
  }
  Snapshot snapshot;
  snapshot.table_root = root;
  Replay replay{&snapshot, {}, {}, false, false};

  // The newest complete checkpoint at or below the target; `_last_checkpoint` is only a
  // hint and may be stale, so the listing decides.
  std::optional<int64_t> checkpoint;
  auto hint = ReadLastCheckpointVersion(store, log_dir);
  if (hint && *hint <= target && listing.complete_checkpoints.count(*hint)) checkpoint = hint;
  for (auto it = listing.complete_checkpoints.rbegin();
       it != listing.complete_checkpoints.rend(); ++it) {
    if (it->first <= target) {
      if (!checkpoint || it->first > *checkpoint) checkpoint = it->first;
      break;
    }
  }
  int64_t from = 0;
  if (checkpoint) {
    std::vector<Action> actions;
    for (const auto& part : listing.complete_checkpoints.at(*checkpoint)) {
      ARROW_ASSIGN_OR_RAISE(auto part_actions, ReadCheckpointPart(store, log_dir + "/" + part));
      for (auto& a : part_actions) actions.push_back(std::move(a));
    }
    ARROW_RETURN_NOT_OK(replay.Apply(*checkpoint, actions));
    snapshot.checkpoint_version = checkpoint;
    from = *checkpoint + 1;
  }
  ARROW_RETURN_NOT_OK(ReplayCommits(store, listing, from, target, &replay));
  ARROW_RETURN_NOT_OK(replay.Finish());
  return snapshot;
}

arrow::Status UpdateSnapshot(LogStore& store, Snapshot* snapshot) {
  ARROW_ASSIGN_OR_RAISE(auto listing, ListLog(store, snapshot->table_root + "/_delta_log"));
  if (listing.commits.empty() || listing.commits.rbegin()->first <= snapshot->version) {
    return arrow::Status::OK();
  }
  Replay replay{snapshot, {}, {}, false, false};
  replay.Load();
  ARROW_RETURN_NOT_OK(ReplayCommits(store, listing, snapshot->version + 1,
                                    listing.commits.rbegin()->first, &replay));
  return replay.Finish();
}

arrow::Result<std::vector<int64_t>> ListCompleteCheckpoints(LogStore& store,
                                                            const std::string& root) {
  ARROW_ASSIGN_OR_RAISE(auto listing, ListLog(store, root + "/_delta_log"));
  std::vector<int64_t> out;
  for (const auto& [version, parts] : listing.complete_checkpoints) out.push_back(version);
  return out;
}

arrow::Result<std::vector<HistoryEntry>> ReadHistory(LogStore& store, const std::string& root) {
  ARROW_ASSIGN_OR_RAISE(auto listing, ListLog(store, root + "/_delta_log"));
  std::vector<HistoryEntry> out;
  for (const auto& [version, entry] : listing.commits) {
    std::string path = CommitPath(root, version);
    ARROW_ASSIGN_OR_RAISE(auto text, store.ReadFile(path));
    ARROW_ASSIGN_OR_RAISE(auto actions, ParseCommitFile(text, path));
    HistoryEntry h;
    h.version = version;
    h.file_modification_time_ms = entry.modification_time_ms;
    for (auto& a : actions) {
      if (auto* c = std::get_if<CommitInfo>(&a)) h.commit_info = std::move(*c);
    }
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace hashlake::lake
