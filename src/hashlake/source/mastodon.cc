// Mastodon Status entities (REST timelines, streaming `update` payloads).

#include "hashlake/source/formats_internal.h"
#include "hashlake/text/extract.h"
#include "hashlake/text/html.h"
#include "hashlake/text/normalize.h"

namespace hashlake::source::internal {

bool IsMastodonStatus(Element e) {
  return Field(e, "id") && Field(e, "created_at") && Object(e, "account") &&
         (Field(e, "content") || Field(e, "reblog"));
}

void DecodeMastodonStatus(Element e, DecodeContext* ctx) {
  Post post;
  post.source = SourceKind::kMastodon;
  post.id = IdStr(e, "id");  // instance-local, like in_reply_to_id and reblog.id
  const auto created = ParseRfc3339(Str(e, "created_at"));
  if (!created.ok()) {
    ctx->Reject("Mastodon status " + post.id + ": " + created.status().message(), Minified(e));
    return;
  }
  post.created_at = *created;
  const Element account = *Object(e, "account");
  post.author_id = IdStr(account, "id");
  post.author_handle = std::string(Str(account, "acct"));
  post.reply_to = IdStr(e, "in_reply_to_id");
  post.like_count = Int(e, "favourites_count");
  post.repost_count = Int(e, "reblogs_count");
  // A boost carries no content of its own: its text and tags are the original's.
  Element body = e;
  if (auto reblog = Object(e, "reblog")) {
    post.repost_of = IdStr(*reblog, "id");
    body = *reblog;
  }
  post.lang = std::string(Str(body, "language"));
  post.text = text::HtmlToText(Str(body, "content"));
  if (auto tags = Array(body, "tags")) {
    for (Element t : *tags) post.hashtags.push_back(text::NormalizeHashtag(Str(t, "name")));
  } else {
    post.hashtags = text::ExtractHashtags(post.text);
  }
  if (auto mentions = Array(body, "mentions")) {
    for (Element m : *mentions) post.mentions.emplace_back(Str(m, "acct"));
  } else {
    post.mentions = text::ExtractMentions(post.text);
  }
  post.urls = text::ExtractUrls(post.text);
  Dedup(&post.hashtags);
  Dedup(&post.mentions);
  Dedup(&post.urls);
  ctx->Emit(std::move(post));
}

}  // namespace hashlake::source::internal
