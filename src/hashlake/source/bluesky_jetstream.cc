// Bluesky Jetstream v1 events: {"did","time_us","kind","commit":{..}}.

#include "hashlake/source/formats_internal.h"
#include "hashlake/text/extract.h"
#include "hashlake/text/normalize.h"

namespace hashlake::source::internal {

bool IsJetstream(Element e) {
  return Field(e, "did") && Field(e, "kind") && Field(e, "time_us");
}

void DecodeJetstream(Element e, DecodeContext* ctx) {
  const std::string_view kind = Str(e, "kind");
  auto commit = Object(e, "commit");
  // identity/account events, likes, follows, reposts, updates and deletes: not posts.
  if (kind != "commit" || !commit || Str(*commit, "collection") != "app.bsky.feed.post" ||
      Str(*commit, "operation") != "create") {
    ctx->Skip();
    return;
  }
  auto record = Object(*commit, "record");
  const std::string did(Str(e, "did"));
  const std::string_view rkey = Str(*commit, "rkey");
  if (!record || did.empty() || rkey.empty()) {
    ctx->Reject("Bluesky post create without record, did or rkey", Minified(e));
    return;
  }
  Post post;
  post.source = SourceKind::kBluesky;
  post.id = "at://" + did + "/app.bsky.feed.post/" + std::string(rkey);
  const std::string_view created_at = Str(*record, "createdAt");
  if (!created_at.empty()) {
    const auto created = ParseRfc3339(created_at);
    if (!created.ok()) {
      ctx->Reject("Bluesky post " + post.id + ": " + created.status().message(), Minified(e));
      return;
    }
    post.created_at = *created;
  } else {
    const int64_t time_us = Int(e, "time_us", -1);  // when the relay saw it
    if (time_us < 0) {
      ctx->Reject("missing created_at in Bluesky post " + post.id, Minified(e));
      return;
    }
    post.created_at = FromMicros(time_us);
  }
  post.author_id = did;
  post.text = std::string(Str(*record, "text"));
  if (auto langs = Array(*record, "langs"); langs && langs->size() > 0) {
    std::string_view lang;
    if (langs->at(0).get_string().get(lang) == simdjson::SUCCESS) post.lang = std::string(lang);
  }
  if (auto facets = Array(*record, "facets")) {
    for (Element facet : *facets) {
      auto features = Array(facet, "features");
      if (!features) continue;
      for (Element f : *features) {
        const std::string_view type = Str(f, "$type");
        if (type == "app.bsky.richtext.facet#tag") {
          post.hashtags.push_back(text::NormalizeHashtag(Str(f, "tag")));
        } else if (type == "app.bsky.richtext.facet#link") {
          post.urls.emplace_back(Str(f, "uri"));
        } else if (type == "app.bsky.richtext.facet#mention") {
          // Prefer the handle as written ("@alice.bsky.social"); the DID otherwise.
          std::string handle;
          if (auto index = Object(facet, "index")) {
            const int64_t start = Int(*index, "byteStart", -1);
            const int64_t end = Int(*index, "byteEnd", -1);
            if (start >= 0 && end > start && static_cast<std::size_t>(end) <= post.text.size()) {
              handle = post.text.substr(static_cast<std::size_t>(start),
                                        static_cast<std::size_t>(end - start));
              if (handle.starts_with("@")) handle.erase(0, 1);
            }
          }
          post.mentions.push_back(handle.empty() ? std::string(Str(f, "did")) : handle);
        }
      }
    }
  } else {
    // Some clients post "#tags" without facets; read them from the text.
    post.hashtags = text::ExtractHashtags(post.text);
    post.mentions = text::ExtractMentions(post.text);
    post.urls = text::ExtractUrls(post.text);
  }
  if (auto tags = Array(*record, "tags")) {  // out-of-text tags
    for (Element t : *tags) {
      std::string_view tag;
      if (t.get_string().get(tag) == simdjson::SUCCESS) {
        post.hashtags.push_back(text::NormalizeHashtag(tag));
      }
    }
  }
  if (auto reply = Object(*record, "reply")) {
    if (auto parent = Object(*reply, "parent")) post.reply_to = std::string(Str(*parent, "uri"));
  }
  Dedup(&post.hashtags);
  Dedup(&post.mentions);
  Dedup(&post.urls);
  ctx->Emit(std::move(post));
}

}  // namespace hashlake::source::internal
