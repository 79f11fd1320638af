#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hashlake::text {

/// An entity found in a text: `value` is its text without the sigil ('#', '@'),
/// `begin`/`end` are byte offsets of the whole match (sigil included) in the input.
struct Entity {
  std::string value;
  std::size_t begin = 0;
  std::size_t end = 0;

  bool operator==(const Entity&) const = default;
};

/// Hashtags by Twitter's rules (twitter-text): '#' or '＃', then letters, marks,
/// decimal digits and '_' of any script (plus the joiners twitter-text allows), with
/// at least one letter or mark; not preceded by a letter, mark, digit, '_' or '&';
/// not followed by '#' or "://"; not a keycap emoji (#️⃣); not inside a URL.
/// Values are raw (not normalized). Input need not be valid UTF-8 (bad bytes end a tag).
std::vector<Entity> ExtractHashtagEntities(std::string_view text);
/// The same, given every URL of `text` (ExtractUrlEntities) when the caller has them, so
/// the text is not scanned for URLs again.
std::vector<Entity> ExtractHashtagEntities(std::string_view text,
                                           const std::vector<Entity>* known_urls);

/// The hashtags of `text`, each passed through NormalizeHashtag, in order of
/// appearance, repeats kept.
std::vector<std::string> ExtractHashtags(std::string_view text);

/// Mentions by Twitter's rules ('@' or '＠', 1-20 of [A-Za-z0-9_], not preceded by
/// [A-Za-z0-9_!#$%&*@] nor followed by '@'/"://"), extended to federated handles:
/// "@alice@mastodon.social" and "@bob.bsky.social" are kept whole. Values have no '@'.
std::vector<Entity> ExtractMentionEntities(std::string_view text);
/// The same, given every URL of `text` (ExtractUrlEntities) when the caller has them, so
/// the text is not scanned for URLs again.
std::vector<Entity> ExtractMentionEntities(std::string_view text,
                                           const std::vector<Entity>* known_urls);
std::vector<std::string> ExtractMentions(std::string_view text);

/// http(s) URLs and "www." links; trailing sentence punctuation and unbalanced
/// closing brackets are not part of the URL. Values are the URL as written.
std::vector<Entity> ExtractUrlEntities(std::string_view text);
std::vector<std::string> ExtractUrls(std::string_view text);

}  // namespace hashlake::text
