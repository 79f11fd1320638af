#include "hashlake/source/payload_decoder.h"

#include <optional>

#include <simdjson.h>

#include "hashlake/source/formats_internal.h"
#include "hashlake/text/utf8.h"

namespace hashlake::source {

using internal::DecodeContext;
using internal::Element;
using internal::Field;
using internal::Str;

struct PayloadDecoder::Impl {
  const Clock* clock;
  simdjson::dom::parser parser;
  simdjson::dom::parser inner_parser;  // for JSON nested in a string (Mastodon WebSocket)
  std::string sse_event;               // the current SSE event, until a blank line
  bool in_inner = false;               // decoding a nested payload with inner_parser

  void DecodeDocument(std::string_view json, simdjson::dom::parser* p, bool truncated,
                      DecodeContext* ctx);
  void Dispatch(Element e, std::string_view raw, DecodeContext* ctx);
  void DispatchObject(Element e, std::string_view raw, DecodeContext* ctx);
};

namespace {

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' ' ||
                        s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' ||
                        s.front() == '\n')) {
    s.remove_prefix(1);
  }
  return s;
}

// X API v1.1 streaming control messages: well-formed, but not posts.
bool IsXV1ControlMessage(Element e) {
  for (std::string_view key : {"delete", "scrub_geo", "limit", "status_withheld",
                               "user_withheld", "disconnect", "warning", "friends",
                               "event"}) {
    if (Field(e, key) && !Field(e, "id")) return true;
  }
  return false;
}

}  // namespace

PayloadDecoder::PayloadDecoder(const Clock* clock) : impl_(std::make_unique<Impl>()) {
  impl_->clock = clock;
}

PayloadDecoder::~PayloadDecoder() = default;

void PayloadDecoder::Reject(std::string reason, std::string payload, std::vector<Record>* out) {
  Rejected& r = std::get<Rejected>(out->emplace_back(std::in_place_type<Rejected>));
  r.source = SourceKind::kReplay;
  r.reason = std::move(reason);
  r.payload = std::move(payload);
  r.at = impl_->clock->Now();
  ++counts_.rejected;
}

void PayloadDecoder::Decode(std::string_view payload, std::vector<Record>* out,
                            bool truncated) {
  DecodeContext ctx;
  ctx.now = impl_->clock->Now();
  ctx.out = out;
  const std::string_view line = TrimLeft(TrimRight(payload));
  if (line.empty()) {
    impl_->sse_event.clear();  // a blank line ends an SSE event (and is an X keep-alive)
    ++counts_.blank;
    return;
  }
  // simdjson's SIMD validation is the fast path; the scalar scan only runs on bad
  // input, to name the offending byte.
  std::optional<size_t> bad;
  if (!simdjson::validate_utf8(payload.data(), payload.size())) bad = text::FindInvalidUtf8(payload);
  if (bad) {
    ctx.Reject("invalid UTF-8 at byte " + std::to_string(*bad), std::string(payload));
  } else if (line.front() == ':') {
    ++counts_.blank;  // SSE comment, e.g. the ":thump" heartbeat
  } else if (line.starts_with("event:")) {
    impl_->sse_event = std::string(TrimLeft(line.substr(6)));
  } else if (line.starts_with("id:") || line.starts_with("retry:")) {
    // SSE fields that carry no post.
  } else if (line.starts_with("data:")) {
    const std::string_view data = TrimLeft(line.substr(5));
    if (impl_->sse_event.empty() || impl_->sse_event == "update") {
      impl_->DecodeDocument(data, &impl_->parser, truncated, &ctx);
    } else {
      ctx.Skip();  // delete, status.update (an edit), notification, filters_changed...
    }
  } else {
    impl_->DecodeDocument(line, &impl_->parser, truncated, &ctx);
  }
  counts_.posts += ctx.posts;
  counts_.rejected += ctx.rejected;
  counts_.skipped += ctx.skipped;
}

void PayloadDecoder::Impl::DecodeDocument(std::string_view json, simdjson::dom::parser* p,
                                          bool truncated, DecodeContext* ctx) {
  Element doc;
  const simdjson::error_code err = p->parse(json.data(), json.size()).get(doc);
  if (err != simdjson::SUCCESS) {
    std::string reason = "invalid JSON: ";
    reason += simdjson::error_message(err);
    if (truncated) reason = "truncated last line (no newline at end of input); " + reason;
    ctx->Reject(std::move(reason), std::string(json));
    return;
  }
  Dispatch(doc, json, ctx);
}

void PayloadDecoder::Impl::Dispatch(Element e, std::string_view raw, DecodeContext* ctx) {
  simdjson::dom::array items;
  if (e.get_array().get(items) == simdjson::SUCCESS) {
    // A timeline: an array of X v1.1 or Mastodon statuses (or of our own posts).
    if (items.size() == 0) ctx->Skip();
    for (Element item : items) {
      if (!item.is_object()) {
        ctx->Reject("unrecognized array item: " + internal::KeyList(item),
                    internal::Minified(item));
        continue;
      }
      DispatchObject(item, {}, ctx);
    }
    return;
  }
  if (!e.is_object()) {
    ctx->Reject("unrecognized payload: " + internal::KeyList(e), std::string(raw));
    return;
  }
  DispatchObject(e, raw, ctx);
}

void PayloadDecoder::Impl::DispatchObject(Element e, std::string_view raw, DecodeContext* ctx) {
  auto raw_or_minified = [&] { return raw.empty() ? internal::Minified(e) : std::string(raw); };
  if (Field(e, "schema_version")) {
    // hashlake's own bus record: a Post, or a dead letter replayed as one.
    const std::string json = raw_or_minified();
    auto record = DecodeRecord(json);
    if (!record.ok()) {
      ctx->Reject("hashlake record: " + record.status().message(), json);
    } else if (auto* post = std::get_if<Post>(&*record)) {
      ctx->Emit(std::move(*post));
    } else {
      ctx->out->push_back(std::move(*record));
      ++ctx->rejected;
    }
    return;
  }
  if (auto statuses = internal::Array(e, "statuses")) {  // v1.1 search response
    for (Element s : *statuses) {
      if (internal::IsXV1Status(s)) {
        internal::DecodeXV1Status(s, ctx);
      } else {
        ctx->Reject("unrecognized status in statuses[]: keys " + internal::KeyList(s),
                    internal::Minified(s));
      }
    }
    return;
  }
  if (Field(e, "stream") && Field(e, "event") && Field(e, "payload")) {
    // Mastodon WebSocket message; its payload is JSON inside a string.
    if (Str(e, "event") != "update") {
      ctx->Skip();
      return;
    }
    if (in_inner) {  // inner_parser's document is live: no second level of nesting
      ctx->Reject("nested WebSocket message inside a WebSocket payload", raw_or_minified());
      return;
    }
    const std::string inner(Str(e, "payload"));
    in_inner = true;
    DecodeDocument(inner, &inner_parser, false, ctx);
    in_inner = false;
    return;
  }
  if (internal::IsXV1Status(e)) return internal::DecodeXV1Status(e, ctx);
  if (internal::IsActivityStreams(e)) return internal::DecodeActivityStreams(e, ctx);
  if (internal::IsXV2(e)) return internal::DecodeXV2(e, ctx);
  if (internal::IsJetstream(e)) return internal::DecodeJetstream(e, ctx);
  if (internal::IsMastodonStatus(e)) return internal::DecodeMastodonStatus(e, ctx);
  if (IsXV1ControlMessage(e)) return ctx->Skip();
  if (Field(e, "id") && !Field(e, "created_at") &&
      (Field(e, "text") || Field(e, "content") || Field(e, "full_text"))) {
    ctx->Reject("missing created_at: keys " + internal::KeyList(e), raw_or_minified());
    return;
  }
  ctx->Reject("unrecognized payload: keys " + internal::KeyList(e), raw_or_minified());
}

}  // namespace hashlake::source
