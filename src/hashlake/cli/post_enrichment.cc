#include "hashlake/cli/post_enrichment.h"

#include <mutex>

#include "hashlake/geo/area_resolver.h"
#include "hashlake/text/text_cleaner.h"

namespace hashlake::cli {
namespace {

/// Language and tokens from the text module, the area from the geo module.
class TextAndAreaEnricher final : public stream::PostEnricher {
 public:
  TextAndAreaEnricher(std::unique_ptr<text::TextCleaner> cleaner,
                      std::shared_ptr<const geo::AreaResolver> areas)
      : cleaner_(std::move(cleaner)), areas_(std::move(areas)) {}

  void Enrich(Post* post, std::vector<std::string>* tokens) override {
    cleaner_->Clean(post->text, post->lang, &cleaned_);
    if (cleaned_.lang_detected) post->lang = cleaned_.lang;
    tokens->swap(cleaned_.tokens);
    areas_->Resolve(post);
  }

 private:
  std::unique_ptr<text::TextCleaner> cleaner_;
  text::CleanedText cleaned_;
  std::shared_ptr<const geo::AreaResolver> areas_;  // thread-safe, shared by all workers
};

/// The boundaries and gazetteer, loaded once (about 60 MiB) by the first worker that needs
/// them and shared by the others.
class SharedAreaResolver {
 public:
  arrow::Result<std::shared_ptr<const geo::AreaResolver>> Get() {
    std::call_once(once_, [this] {
      auto loaded = geo::AreaResolver::LoadBuiltIn();
      if (loaded.ok()) {
        resolver_ = std::make_shared<const geo::AreaResolver>(std::move(loaded).ValueUnsafe());
      } else {
        status_ = loaded.status();
      }
    });
    ARROW_RETURN_NOT_OK(status_);
    return resolver_;
  }

 private:
  std::once_flag once_;
  arrow::Status status_;
  std::shared_ptr<const geo::AreaResolver> resolver_;
};

}  // namespace

stream::PostEnricherFactory PostEnricherFactoryFromConfig(const Config& config) {
  if (!config.GetBool("stream.enrich")) return {};
  text::TextCleanerOptions options;
  options.remove_stopwords = config.GetBool("text.stopwords");
  options.stem = config.GetBool("text.stem");
  options.detect_language = config.GetBool("text.detect_language");
  auto areas = std::make_shared<SharedAreaResolver>();
  return [options, areas]() -> arrow::Result<std::unique_ptr<stream::PostEnricher>> {
    ARROW_ASSIGN_OR_RAISE(auto cleaner, text::TextCleaner::Make(options));
    ARROW_ASSIGN_OR_RAISE(auto resolver, areas->Get());
    return std::make_unique<TextAndAreaEnricher>(std::move(cleaner), std::move(resolver));
  };
}

}  // namespace hashlake::cli
