#include "hashlake/source/replay.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>

namespace hashlake::source {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool ParsesAsJson(simdjson::dom::parser* parser, std::string_view text) {
  simdjson::dom::element doc;
  return parser->parse(text.data(), text.size()).get(doc) == simdjson::SUCCESS;
}

}  // namespace

arrow::Result<std::unique_ptr<ReplaySource>> ReplaySource::Make(ReplayOptions options) {
  if (options.files.empty()) return arrow::Status::Invalid("replay: no files given");
  if (!(options.speed >= 0)) {
    return arrow::Status::Invalid("replay: speed must be >= 0 (0 = as fast as possible), got ",
                                  options.speed);
  }
  if (options.max_record_bytes == 0) {
    return arrow::Status::Invalid("replay: max_record_bytes must be > 0");
  }
  for (const std::string& file : options.files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      return arrow::Status::IOError("replay: '", file, "' is not a readable file");
    }
    // zstd is not gzip: refuse it upfront rather than dead-letter every binary chunk.
    std::ifstream in(file, std::ios::binary);
    char magic[4] = {};
    if (in.read(magic, 4) && std::string_view(magic, 4) == "\x28\xB5\x2F\xFD") {
      return arrow::Status::NotImplemented(
          "replay: '", file, "' is zstd-compressed; replay reads plain or gzip files "
          "(run `zstd -d` first)");
    }
  }
  return std::unique_ptr<ReplaySource>(new ReplaySource(std::move(options)));
}

ReplaySource::ReplaySource(ReplayOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? options_.clock : &SystemClock::Instance()),
      decoder_(clock_) {}

ReplaySource::~ReplaySource() = default;

arrow::Status ReplaySource::OpenFile(const std::string& path) {
  anchored_ = false;  // each file's event times are paced from its own first post
  ARROW_ASSIGN_OR_RAISE(reader_, LineReader::Open(path, options_.max_record_bytes));
  // Probe: NDJSON unless the first non-blank line is not JSON on its own but the whole
  // file is (a pretty-printed object or array).
  LineReader::Line line;
  std::string_view first;
  for (;;) {
    auto next = reader_->Next(&line);
    if (!next.ok() || !*next || line.oversized) break;  // errors surface when reading
    first = Trim(line.bytes);
    if (!first.empty()) break;
  }
  simdjson::dom::parser probe;
  if ((first.starts_with("{") || first.starts_with("[")) && !ParsesAsJson(&probe, first)) {
    ARROW_ASSIGN_OR_RAISE(auto whole_reader, LineReader::Open(path, options_.max_record_bytes));
    auto whole = whole_reader->ReadRest(options_.max_document_bytes);
    if (whole.ok() && ParsesAsJson(&probe, *whole)) {
      bytes_closed_files_ += whole_reader->bytes_read();
      whole_document_ = std::move(*whole);
      reader_.reset();
      return arrow::Status::OK();
    }
  }
  ARROW_ASSIGN_OR_RAISE(reader_, LineReader::Open(path, options_.max_record_bytes));
  return arrow::Status::OK();
}

arrow::Status ReplaySource::Refill() {
  std::vector<Record> records;
  while (pending_.empty() && !input_done_) {
    records.clear();
    if (whole_document_) {
      decoder_.Decode(*whole_document_, &records);
      whole_document_.reset();
    } else if (!reader_) {
      if (next_file_ >= options_.files.size()) {
        input_done_ = true;
        break;
      }
      const std::string& path = options_.files[next_file_++];
      auto opened = OpenFile(path);
      if (!opened.ok()) return opened.WithMessage("replay: ", opened.message());
      continue;
    } else {
      LineReader::Line line;
      auto next = reader_->Next(&line);
      if (!next.ok()) {
        // A corrupt gzip stream: dead-letter it and go on with the next file.
        decoder_.Reject(next.status().message(), "", &records);
        bytes_closed_files_ += reader_->bytes_read();
        reader_.reset();
      } else if (!*next) {
        bytes_closed_files_ += reader_->bytes_read();
        reader_.reset();
      } else if (line.oversized) {
        decoder_.Reject(fmt::format("oversized record: {} bytes > limit {}", line.size,
                                    options_.max_record_bytes),
                        std::string(line.bytes), &records);
      } else {
        decoder_.Decode(line.bytes, &records, line.missing_newline);
      }
    }
    for (Record& r : records) pending_.push_back(std::move(r));
  }
  const DecodeCounts& counts = decoder_.counts();
  skipped_.store(counts.skipped);
  blank_.store(counts.blank);
  bytes_.store(bytes_closed_files_ + (reader_ ? reader_->bytes_read() : 0));
  return arrow::Status::OK();
}

arrow::Status ReplaySource::Poll(std::vector<Record>* out, std::size_t max_records,
                                 std::chrono::milliseconds timeout) {
  using SteadyClock = std::chrono::steady_clock;
  const auto deadline = SteadyClock::now() + timeout;
  const std::size_t start_size = out->size();
  while (out->size() - start_size < max_records && !stop_.load()) {
    if (pending_.empty()) {
      ARROW_RETURN_NOT_OK(Refill());
      if (pending_.empty()) {
        finished_.store(true);
        break;
      }
    }
    Record& record = pending_.front();
    if (const Post* post = std::get_if<Post>(&record); post && options_.speed > 0) {
      const auto now = SteadyClock::now();
      if (!anchored_) {
        anchored_ = true;
        anchor_event_ = post->created_at;
        anchor_wall_ = now;
      }
      const double gap_us =
          static_cast<double>((post->created_at - anchor_event_).count()) / options_.speed;
      const auto due = anchor_wall_ + std::chrono::duration_cast<SteadyClock::duration>(
                                          std::chrono::duration<double, std::micro>(gap_us));
      if (due > now) {
        if (out->size() > start_size) break;  // hand over what is ready now
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait_until(lock, std::min(due, deadline), [this] { return stop_.load(); });
        if (SteadyClock::now() < due) break;  // timed out or stopped
        continue;
      }
    }
    if (std::holds_alternative<Post>(record)) {
      posts_.fetch_add(1);
    } else {
      rejected_.fetch_add(1);
    }
    out->push_back(std::move(record));
    pending_.pop_front();
  }
  return arrow::Status::OK();
}

bool ReplaySource::Finished() const { return finished_.load(); }

void ReplaySource::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_.store(true);
  }
  cv_.notify_all();
}

std::string ReplaySource::Describe() const {
  return fmt::format("replay({} file{}, speed={})", options_.files.size(),
                     options_.files.size() == 1 ? "" : "s",
                     options_.speed > 0 ? fmt::format("{}x", options_.speed) : "max");
}

SourceStats ReplaySource::Stats() const {
  return SourceStats{posts_.load(), rejected_.load(), skipped_.load(), bytes_.load()};
}

}  // namespace hashlake::source
