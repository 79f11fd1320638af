#include "hashlake/geo/built_in_data.h"

#include <zlib.h>

namespace hashlake::geo::internal {

arrow::Result<std::string> InflateBuiltInGeoData() {
  const std::string_view gz = BuiltInGeoData();
  z_stream z{};
  // 16 + MAX_WBITS: a gzip header, not a raw zlib stream.
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
    return arrow::Status::OutOfMemory("geo: inflateInit2 failed");
  }
  std::string out;
  out.resize(gz.size() * 5);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  z.avail_in = static_cast<uInt>(gz.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    if (z.total_out == out.size()) out.resize(out.size() * 2);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + z.total_out);
    z.avail_out = static_cast<uInt>(out.size() - z.total_out);
    rc = inflate(&z, Z_NO_FLUSH);
  }
  out.resize(z.total_out);
  inflateEnd(&z);
  if (rc != Z_STREAM_END) {
    return arrow::Status::IOError("geo: the built-in data is corrupt (zlib error ", rc, ")");
  }
  return out;
}

arrow::Result<std::unique_ptr<BuiltInGeoDocument>> ParseBuiltInGeoData() {
  auto doc = std::make_unique<BuiltInGeoDocument>();
  ARROW_ASSIGN_OR_RAISE(doc->json, InflateBuiltInGeoData());
  if (doc->parser.parse(doc->json).get(doc->root) != simdjson::SUCCESS) {
    return arrow::Status::Invalid("geo: the built-in data is not JSON");
  }
  return doc;
}

}  // namespace hashlake::geo::internal
