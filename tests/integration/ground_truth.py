"""The expected result of replaying the real X fixtures through `hashlake process`,
computed in Python straight from the payload files, never from hashlake's output.

What each post is made of, as `hashlake collect --source replay` documents it
(src/hashlake/source/README.md, x_v1.cc, x_v2.cc):

* X v1.1 statuses (alone, in a timeline array, or in a search response's `statuses`) and
  Gnip Activity Streams activities (`verb` post/share): hashtags from `entities.hashtags[].text`
  (`twitter_entities` for Activity Streams), from `extended_tweet` / `long_object` when the
  post is long; only when the payload has no entities object at all are they taken from the
  text.
* X v2 `{data: {..} | [..]}`: hashtags from `entities.hashtags[].tag`, or from the text
  (`note_tweet.text` when present) when the tweet has no `entities`; a tweet without
  `created_at` is dated by its snowflake id; `includes.tweets` are not posts.
* Each post's hashtags are normalized (one leading '#'/'＃' removed, NFKC, full case folding,
  NFKC again: text/normalize.h), empty ones dropped, repeats within a post dropped.
* The replay source does NOT drop repeated post ids (only the live sources do, through
  LiveSource's RecentSet; ReplaySource has no such set): a payload that repeats an id is
  another post. The ground truth mirrors that: posts are a multiset, in input order.

Hashtags in text follow Twitter's published rules (twitter-text), implemented here on
Python's own Unicode database, independently of hashlake's ICU-based extractor.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import html
import json
import pathlib
import re
import unicodedata
from typing import Iterable, Iterator

UTC = dt.timezone.utc
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)

# The X files under shared/data/tweets, replayed in this order (file order is topic order
# per partition; the ground truth does not depend on it).
X_FILES = (
    "twitter_v1/tweet_parser_original_format_examples.json",
    "twitter_v1/tweet_parser_activity_streams_examples.json",
    "twitter_v1/tweet_parser_public_api_sample.json",
    "twitter_v1/tweepy_v1_tweet_responses.ndjson",
    "twitter_v1/tweepy_v1_geo_place_responses.ndjson",  # place objects: dead letters only
    "twitter_v2/twarc-csv_streaming_output_with_error.jsonl",  # its last line is truncated
    "twitter_v2/twarc-csv_geo_tweets.jsonl",
    "twitter_v2/twarc-csv_withheld.jsonl",
    "twitter_v2/twarc-csv_brexit.jsonl",
    "twitter_v2/twarc-csv_2sets.jsonl",
    "twitter_v2/twarc-csv_entities_test.jsonl",
    "twitter_v2/twarc-csv_cashtags.jsonl",
    "twitter_v2/twarc-csv_mentions_tweet.jsonl",
    "twitter_v2/twarc-csv_many_urls.jsonl",
    "twitter_v2/twarc-csv_media_tweet.jsonl",
    "twitter_v2/twarc-csv_two_tweets.jsonl",
    "twitter_v2/twarc-csv_verified_type.jsonl",
    "twitter_v2/twarc-csv_quoted_edit.jsonl",
    "twitter_v2/twarc-csv_edited_before.jsonl",
    "twitter_v2/twarc-csv_edited_after.jsonl",
    "twitter_v2/tweepy_v2_tweet_responses.ndjson",
)


@dataclasses.dataclass(frozen=True)
class Post:
    id: str
    created_at: dt.datetime  # UTC, microsecond precision
    hashtags: tuple[str, ...]  # normalized, distinct, in order of appearance


@dataclasses.dataclass
class Expected:
    posts: list[Post]
    dead_letters: int  # payloads (or items of one) that are not posts and not skipped

    @property
    def records(self) -> int:
        """Bus records that `collect` produces: one per post and one per dead letter."""
        return len(self.posts) + self.dead_letters


# --- hashtags -------------------------------------------------------------------------


def normalize_hashtag(tag: str) -> str:
    """text/normalize.h: one leading '#' or '＃' off, NFKC, full case folding, NFKC."""
    if tag[:1] in ("#", "\uff03"):
        tag = tag[1:]
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", tag).casefold())


# twitter-text's hashtag_special_chars: '_' and the joiners/punctuation it lets into a tag.
_HASHTAG_SPECIAL = set("_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c"
                       "\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7")
# Variation selectors are marks, but an emoji such as "❤️" may end right before a tag.
_VARIATION_SELECTORS = {"\ufe0e", "\ufe0f"}
_URL = re.compile(r"(?i)(?<![A-Za-z0-9_])(?:https?://|www\.)[^\s<>\"`\x7f]+")


def _is_alpha(c: str) -> bool:
    return unicodedata.category(c)[0] in "LM"


def _is_hashtag_char(c: str) -> bool:
    return _is_alpha(c) or unicodedata.category(c) == "Nd" or c in _HASHTAG_SPECIAL


def extract_hashtags(text: str) -> list[str]:
    """Twitter's rules: '#'/'＃' not preceded by a hashtag character or '&', then the
    longest run of letters, marks, decimal digits and specials holding at least one letter
    or mark, not followed by '#', '＃' or '://', not a keycap emoji, not inside a URL.
    Returns raw values (no '#'), in order, repeats kept."""
    url_spans = [m.span() for m in _URL.finditer(text)]
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        start = i
        i += 1
        if c not in ("#", "\uff03"):
            continue
        if start > 0:
            before = text[start - 1]
            if before not in _VARIATION_SELECTORS and (_is_hashtag_char(before) or before == "&"):
                continue
        if text[i:i + 1] in ("\ufe0f", "\u20e3"):  # "#️⃣" is the keycap emoji
            continue
        end = i
        while end < len(text) and _is_hashtag_char(text[end]):
            end += 1
        body = text[i:end]
        if not any(_is_alpha(ch) for ch in body):
            continue
        rest = text[end:]
        if rest.startswith(("#", "\uff03", "://")):
            i = end
            continue
        if not any(s < end and start < e for s, e in url_spans):
            out.append(body)
        i = end
    return out


def _distinct_normalized(tags: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for tag in tags:
        norm = normalize_hashtag(tag)
        if norm and norm not in out:
            out.append(norm)
    return tuple(out)


# --- dates ----------------------------------------------------------------------------


def _rfc3339(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _v1_date(value: str) -> dt.datetime:
    """X v1.1's "Wed Aug 27 13:08:45 +0000 2008"."""
    return dt.datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)


def _snowflake_time(post_id: str) -> dt.datetime | None:
    """X ids since Nov 2010 carry their creation time: ms since 1288834974657 in bits 22+."""
    if not post_id.isdigit() or int(post_id) < 10**16:
        return None
    ms = (int(post_id) >> 22) + 1288834974657
    return EPOCH + dt.timedelta(milliseconds=ms)


def _id_str(obj: dict, key: str) -> str:
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return ""
    return str(value)


# --- payloads -------------------------------------------------------------------------


class _Decoder:
    def __init__(self) -> None:
        self.posts: list[Post] = []
        self.dead_letters = 0

    def line(self, raw: str) -> None:
        if not raw.strip():
            return  # keep-alive
        try:
            doc = json.loads(raw)
        except json.JSONDecodeError:
            self.dead_letters += 1  # e.g. the truncated last line of a stream capture
            return
        self.document(doc)

    def document(self, doc) -> None:
        if isinstance(doc, list):  # a v1.1 timeline
            for item in doc:
                if isinstance(item, dict) and self._is_v1_status(item):
                    self.v1_status(item)
                else:
                    self.dead_letters += 1
            return
        if not isinstance(doc, dict):
            self.dead_letters += 1
        elif isinstance(doc.get("statuses"), list):  # a v1.1 search response
            for item in doc["statuses"]:
                if isinstance(item, dict) and self._is_v1_status(item):
                    self.v1_status(item)
                else:
                    self.dead_letters += 1
        elif self._is_v1_status(doc):
            self.v1_status(doc)
        elif all(k in doc for k in ("verb", "postedTime", "id")) and isinstance(
                doc.get("actor"), dict):
            self.activity(doc)
        elif isinstance(doc.get("data"), (dict, list)):
            self.v2_page(doc)
        elif "meta" in doc or "errors" in doc or "delete" in doc or "limit" in doc:
            pass  # an empty page, an in-stream error or a v1.1 control message: skipped
        else:
            self.dead_letters += 1

    @staticmethod
    def _is_v1_status(e: dict) -> bool:
        return ("created_at" in e and ("id_str" in e or "id" in e) and
                ("text" in e or "full_text" in e) and isinstance(e.get("user"), dict))

    def _emit(self, post_id: str, created_at: dt.datetime, hashtags: Iterable[str]) -> None:
        self.posts.append(Post(post_id, created_at, _distinct_normalized(hashtags)))

    def v1_status(self, e: dict) -> None:
        post_id = _id_str(e, "id_str") or _id_str(e, "id")
        entities = e.get("entities") if isinstance(e.get("entities"), dict) else None
        text = e.get("full_text") or ""
        extended = e.get("extended_tweet")
        if isinstance(extended, dict) and extended.get("full_text"):
            text = extended["full_text"]
            if isinstance(extended.get("entities"), dict):
                entities = extended["entities"]
        text = text or e.get("text") or ""
        self._emit(post_id, _v1_date(e["created_at"]), self._v1_tags(entities, text))

    def activity(self, e: dict) -> None:
        if e["verb"] not in ("post", "share"):
            return  # skipped
        post_id = str(e["id"]).rsplit(":", 1)[-1]
        entities = e.get("twitter_entities") if isinstance(e.get("twitter_entities"),
                                                           dict) else None
        body = e.get("body") or ""
        long_object = e.get("long_object")
        if isinstance(long_object, dict) and long_object.get("body"):
            body = long_object["body"]
            if isinstance(long_object.get("twitter_entities"), dict):
                entities = long_object["twitter_entities"]
        self._emit(post_id, _rfc3339(e["postedTime"]), self._v1_tags(entities, body))

    @staticmethod
    def _v1_tags(entities: dict | None, text: str) -> list[str]:
        if entities is None:
            return extract_hashtags(html.unescape(text))
        return [h.get("text") or "" for h in entities.get("hashtags") or []]

    def v2_page(self, doc: dict) -> None:
        data = doc["data"]
        for tweet in [data] if isinstance(data, dict) else data:
            if not isinstance(tweet, dict):
                self.dead_letters += 1
                continue
            self.v2_tweet(tweet)

    def v2_tweet(self, t: dict) -> None:
        post_id = _id_str(t, "id")
        if not post_id or "text" not in t:
            self.dead_letters += 1
            return
        created_at = _rfc3339(t["created_at"]) if t.get("created_at") else _snowflake_time(post_id)
        if created_at is None:
            self.dead_letters += 1
            return
        text = t.get("text") or ""
        note = t.get("note_tweet")
        if isinstance(note, dict) and note.get("text"):
            text = note["text"]
        entities = t.get("entities")
        if isinstance(entities, dict):
            tags = [h.get("tag") or "" for h in entities.get("hashtags") or []]
        else:
            tags = extract_hashtags(html.unescape(text))
        self._emit(post_id, created_at, tags)


def expected(tweets_dir: pathlib.Path, files: Iterable[str] = X_FILES) -> Expected:
    decoder = _Decoder()
    for name in files:
        with open(tweets_dir / name, encoding="utf-8", newline="") as f:
            for raw in f:
                decoder.line(raw)
    return Expected(decoder.posts, decoder.dead_letters)


# --- windows --------------------------------------------------------------------------


def window_start(ts: dt.datetime, window: dt.timedelta) -> dt.datetime:
    """Tumbling windows aligned to the Unix epoch."""
    return EPOCH + ((ts - EPOCH) // window) * window


def hashtag_counts(posts: Iterable[Post], window: dt.timedelta) -> collections.Counter:
    """(window_start, hashtag) -> posts carrying it, with nothing late."""
    counts: collections.Counter = collections.Counter()
    for post in posts:
        start = window_start(post.created_at, window)
        for tag in post.hashtags:
            counts[(start, tag)] += 1
    return counts


def area_hashtag_counts(posts: Iterable[Post], areas: dict[str, Iterator],
                        window: dt.timedelta) -> collections.Counter:
    """(window_start, country_code, region, hashtag) -> posts, where `areas[id]` yields
    the (country_code, region) of each occurrence of that id in turn; posts without a
    country code have no area and count nowhere."""
    counts: collections.Counter = collections.Counter()
    for post in posts:
        country_code, region = next(areas[post.id])
        if not country_code:
            continue
        start = window_start(post.created_at, window)
        for tag in post.hashtags:
            counts[(start, country_code, region, tag)] += 1
    return counts
