#include "hashlake/stream/post_workers.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <mutex>

namespace hashlake::stream {
namespace {

// Records per task: enough to amortize scheduling, small enough to balance.
constexpr size_t kGrain = 256;

void Decode(const bus::ConsumedMessage& message, PostEnricher* enricher, DecodedRecord* out) {
  auto decoded = DecodeRecord(message.value);
  if (!decoded.ok()) {
    // Not a hashlake record at all (another producer on the topic): dead-letter it.
    out->record =
        Rejected{SourceKind::kReplay, "undecodable bus message: " + decoded.status().message(),
                 message.value, message.timestamp};
    return;
  }
  out->record = std::move(decoded).ValueUnsafe();
  if (auto* post = std::get_if<Post>(&out->record); post != nullptr && enricher != nullptr) {
    enricher->Enrich(post, &out->tokens);
  }
}

}  // namespace

arrow::Result<std::unique_ptr<PostWorkers>> PostWorkers::Make(int threads,
                                                              PostEnricherFactory factory) {
  if (threads < 1) return arrow::Status::Invalid("stream.threads must be at least 1");
  if (factory) ARROW_RETURN_NOT_OK(factory().status());
  return std::unique_ptr<PostWorkers>(new PostWorkers(threads, std::move(factory)));
}

arrow::Result<std::vector<DecodedRecord>> PostWorkers::Run(
    const std::vector<bus::ConsumedMessage>& messages) {
  std::vector<DecodedRecord> out(messages.size());
  std::mutex error_mu;
  arrow::Status error;
  arena_.execute([&] {
    tbb::parallel_for(tbb::blocked_range<size_t>(0, messages.size(), kGrain),
                      [&](const tbb::blocked_range<size_t>& range) {
                        PostEnricher* enricher = nullptr;
                        if (factory_) {
                          auto& local = enrichers_.local();
                          if (!local) {
                            auto made = factory_();
                            if (!made.ok()) {
                              std::lock_guard lock(error_mu);
                              error = made.status();
                              return;
                            }
                            local = std::move(made).ValueUnsafe();
                          }
                          enricher = local.get();
                        }
                        for (size_t i = range.begin(); i != range.end(); ++i) {
                          Decode(messages[i], enricher, &out[i]);
                        }
                      });
  });
  ARROW_RETURN_NOT_OK(error);
  return out;
}

}  // namespace hashlake::stream
