#pragma once

#include <arrow/result.h>

#include <memory>
#include <string>

#include "hashlake/lake/log_store.h"

namespace hashlake::lake {

class S3Client;

/// A LogStore on one S3 bucket. Paths are `s3://<bucket>/<key>` (the table root that
/// ResolveTableUri returns, joined with '/'); a path naming another bucket is Invalid.
///
/// - PutIfAbsent: `If-None-Match: *` PUT; 412 -> AlreadyExists (a lost commit race). After an
///   ambiguous failure the retry reads the object back and accepts it when it holds exactly
///   our bytes, so a commit that landed is never reported as a conflict.
/// - Put: a plain PUT (S3 replaces objects atomically).
/// - OpenForWrite: buffers in memory; a file below the client's multipart threshold is one
///   PUT at Close(), a larger one is a multipart upload whose parts go out while writing,
///   completed at Close() and aborted on any failure. Nothing is visible before Close().
/// - OpenForRead: HEAD for the size; small files are fetched whole, larger ones are read by
///   ranged GETs.
/// - List: ListObjectsV2 with delimiter '/' (common prefixes are the directories).
/// - CreateDirs: nothing to do. Delete: DELETE (absent is OK).
/// Thread-safe (the client is).
arrow::Result<std::shared_ptr<LogStore>> MakeS3LogStore(std::shared_ptr<S3Client> client);

}  // namespace hashlake::lake
