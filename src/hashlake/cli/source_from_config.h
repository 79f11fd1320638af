#pragma once

#include <memory>

#include <arrow/result.h>

#include "hashlake/core/config.h"
#include "hashlake/source/source.h"

namespace hashlake::cli {

/// The source the configuration names (`source.kind`), with its options from the
/// `source.*` and `synth.*` keys.
arrow::Result<std::unique_ptr<source::Source>> SourceFromConfig(const Config& config);

}  // namespace hashlake::cli
