#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <arrow/result.h>

#include "hashlake/core/post.h"
#include "hashlake/core/rejected.h"

namespace hashlake {

/// What a source emits and what travels on the bus: a post or a dead letter.
using Record = std::variant<Post, Rejected>;

/// Bus encoding. A post is its `ToJson`; a dead letter is
/// {"schema_version":1,"type":"rejected","source":..,"reason":..,"at":..,"payload_b64":..}
/// (base64 because a payload may be any bytes).
std::string EncodeRecord(const Record& record);
arrow::Result<Record> DecodeRecord(std::string_view bytes);

/// The bus key: the author when known (keeps an author's posts in order on one
/// partition), else the id.
std::string RecordKey(const Record& record);

}  // namespace hashlake
