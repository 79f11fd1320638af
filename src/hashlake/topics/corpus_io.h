#pragma once

#include <string>

#include <arrow/result.h>

#include "hashlake/topics/corpus.h"

namespace hashlake::topics {

class Tokenizer;

/// Reads an LDA-C corpus (Blei's lda-c: one document per line, "N id:count id:count ...",
/// 0-based ids) and its vocabulary file (one term per line, line i = id i). Each id:count
/// pair becomes `count` tokens, in the order listed. Errors name the line: a malformed pair,
/// an id outside the vocabulary, N not matching the number of pairs, a negative count.
arrow::Result<Corpus> LoadLdaC(const std::string& data_path, const std::string& vocab_path);

/// Reads one document per line. With `tokenizer` null the line is split on ASCII
/// whitespace (already preprocessed corpora such as STTM's); otherwise it is tokenized.
/// Blank lines are documents with no tokens (the vocabulary filter drops them).
/// `labels_path`, when not empty, holds one integer label per line, one per document.
arrow::Result<TokenizedDocs> LoadTextLines(const std::string& path, const Tokenizer* tokenizer,
                                           const std::string& labels_path = "");

}  // namespace hashlake::topics
