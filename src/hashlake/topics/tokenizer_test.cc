#include "hashlake/topics/tokenizer.h"

#include <gtest/gtest.h>

namespace hashlake::topics {
namespace {

using Words = std::vector<std::string>;

TEST(TokenizerTest, DropsUrlsMentionsNumbersAndStopwords) {
  auto tokenizer = Tokenizer::Make();
  ASSERT_TRUE(tokenizer.ok());
  EXPECT_EQ(tokenizer->Tokenize("RT @alice: The Rust 2024 release is out! https://t.co/x #RustLang"),
            (Words{"rust", "release", "rustlang"}));
  EXPECT_EQ(tokenizer->Tokenize("Ünïcode CAFÉ covid19 don't"), (Words{"ünïcode", "café"}));
}

TEST(TokenizerTest, SegmentsWordsOfOtherScripts) {
  auto tokenizer = Tokenizer::Make({.drop_stopwords = false, .min_chars = 1});
  ASSERT_TRUE(tokenizer.ok());
  // ICU's dictionary-based break iterator splits unspaced Japanese into words.
  const auto words = tokenizer->Tokenize("東京タワーに行きました");
  EXPECT_GE(words.size(), 2u);
  EXPECT_EQ(tokenizer->Tokenize("Привет, мир"), (Words{"привет", "мир"}));
}

TEST(TokenizerTest, IllFormedUtf8NeverFails) {
  auto tokenizer = Tokenizer::Make();
  ASSERT_TRUE(tokenizer.ok());
  EXPECT_EQ(tokenizer->Tokenize(std::string("hello\xff\xfeworld")), (Words{"hello", "world"}));
  EXPECT_TRUE(tokenizer->Tokenize("").empty());
}

TEST(TokenizerTest, OptionsAreChecked) {
  EXPECT_TRUE(Tokenizer::Make({.min_chars = 5, .max_chars = 2}).status().IsInvalid());
  auto tokenizer = Tokenizer::Make({.drop_hashtags = true, .extra_stopwords = {"Release"}});
  ASSERT_TRUE(tokenizer.ok());
  EXPECT_EQ(tokenizer->Tokenize("big release #rust"), (Words{"big"}));
}

}  // namespace
}  // namespace hashlake::topics
