#pragma once

#include "hashlake/core/config.h"
#include "hashlake/stream/post_enricher.h"

namespace hashlake::cli {

/// The stream job's enricher from the text.* settings: language, tokens and area.
stream::PostEnricherFactory PostEnricherFactoryFromConfig(const Config& config);

}  // namespace hashlake::cli
