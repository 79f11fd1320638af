#include "hashlake/topics/model_io.h"

#include <cstring>

#include "hashlake/core/atomic_file.h"

namespace hashlake::topics {
namespace {

constexpr char kMagic[8] = {'H', 'L', 'T', 'O', 'P', 'I', 'C', '1'};
constexpr uint32_t kFormatVersion = 1;

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

template <typename T>
void Put(std::string* out, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  char buf[sizeof(T)];
  std::memcpy(buf, &value, sizeof(T));  // the formats's little-endian = host order (x86/arm64)
  out->append(buf, sizeof(T));
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  arrow::Status Get(T* value, const char* what) {
    if (bytes_.size() - pos_ < sizeof(T)) {
      return arrow::Status::Invalid("model file truncated reading ", what, " at byte ", pos_);
    }
    std::memcpy(value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return arrow::Status::OK();
  }
  arrow::Status GetString(std::size_t n, std::string* value, const char* what) {
    if (bytes_.size() - pos_ < n) {
      return arrow::Status::Invalid("model file truncated reading ", what, " at byte ", pos_);
    }
    value->assign(bytes_.substr(pos_, n));
    pos_ += n;
    return arrow::Status::OK();
  }
  std::size_t remaining() const { return bytes_.size() - pos_; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string EncodeModel(const TopicModel& m) {
  std::string out(kMagic, sizeof(kMagic));
  Put<uint32_t>(&out, kFormatVersion);
  Put<uint32_t>(&out, static_cast<uint32_t>(m.kind));
  Put<uint32_t>(&out, static_cast<uint32_t>(m.num_topics));
  Put<uint32_t>(&out, static_cast<uint32_t>(m.num_words()));
  Put<double>(&out, m.beta);
  for (int32_t k = 0; k < m.num_topics; ++k) Put<double>(&out, m.alpha[k]);
  Put<int64_t>(&out, m.num_train_docs);
  Put<int64_t>(&out, m.num_train_tokens);
  Put<uint32_t>(&out, static_cast<uint32_t>(m.params_json.size()));
  out += m.params_json;
  for (const std::string& term : m.vocab) {
    Put<uint32_t>(&out, static_cast<uint32_t>(term.size()));
    out += term;
  }
  for (int32_t k = 0; k < m.num_topics; ++k) Put<int64_t>(&out, m.topic_totals[k]);
  for (int32_t k = 0; k < m.num_topics; ++k) {
    Put<int64_t>(&out, m.cluster_docs.empty() ? 0 : m.cluster_docs[k]);
  }
  uint64_t nonzero = 0;
  for (int32_t c : m.word_topic) nonzero += c != 0;
  Put<uint64_t>(&out, nonzero);
  const auto kk = static_cast<std::size_t>(m.num_topics);
  for (std::size_t i = 0; i < m.word_topic.size(); ++i) {
    if (m.word_topic[i] == 0) continue;
    Put<uint32_t>(&out, static_cast<uint32_t>(i / kk));
    Put<uint32_t>(&out, static_cast<uint32_t>(i % kk));
    Put<uint32_t>(&out, static_cast<uint32_t>(m.word_topic[i]));
  }
  Put<uint64_t>(&out, Fnv1a64(out));
  return out;
}

arrow::Result<TopicModel> DecodeModel(std::string_view bytes) {
  if (bytes.size() < sizeof(kMagic) + 8 || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    return arrow::Status::Invalid("not a hashlake topic model file (bad magic)");
  }
  uint64_t stored_sum = 0;
  std::memcpy(&stored_sum, bytes.data() + bytes.size() - 8, 8);
  if (stored_sum != Fnv1a64(bytes.substr(0, bytes.size() - 8))) {
    return arrow::Status::Invalid("model file checksum mismatch (corrupt or truncated)");
  }
  Reader in(bytes.substr(sizeof(kMagic), bytes.size() - sizeof(kMagic) - 8));
  uint32_t version = 0, kind = 0, k = 0, v = 0;
  ARROW_RETURN_NOT_OK(in.Get(&version, "format version"));
  if (version != kFormatVersion) {
    return arrow::Status::Invalid("model file format version ", version, " is not supported (",
                                  kFormatVersion, " is)");
  }
  ARROW_RETURN_NOT_OK(in.Get(&kind, "kind"));
  if (kind != static_cast<uint32_t>(ModelKind::kLda) && kind != static_cast<uint32_t>(ModelKind::kGsdmm)) {
    return arrow::Status::Invalid("model file: unknown model kind ", kind);
  }
  ARROW_RETURN_NOT_OK(in.Get(&k, "K"));
  ARROW_RETURN_NOT_OK(in.Get(&v, "V"));
  if (k == 0 || v == 0 || k > (1u << 20) || v > (1u << 28) ||
      static_cast<uint64_t>(k) * v > (uint64_t{1} << 32)) {
    return arrow::Status::Invalid("model file: implausible K = ", k, ", V = ", v);
  }
  TopicModel m;
  m.kind = static_cast<ModelKind>(kind);
  m.num_topics = static_cast<int32_t>(k);
  ARROW_RETURN_NOT_OK(in.Get(&m.beta, "beta"));
  if (!(m.beta > 0)) return arrow::Status::Invalid("model file: beta must be > 0");
  m.alpha.resize(k);
  for (double& a : m.alpha) {
    ARROW_RETURN_NOT_OK(in.Get(&a, "alpha"));
    if (!(a > 0)) return arrow::Status::Invalid("model file: alpha must be > 0");
  }
  ARROW_RETURN_NOT_OK(in.Get(&m.num_train_docs, "document count"));
  ARROW_RETURN_NOT_OK(in.Get(&m.num_train_tokens, "token count"));
  uint32_t len = 0;
  ARROW_RETURN_NOT_OK(in.Get(&len, "params length"));
  ARROW_RETURN_NOT_OK(in.GetString(len, &m.params_json, "params"));
  if (in.remaining() < static_cast<std::size_t>(v) * 4) {
    return arrow::Status::Invalid("model file truncated in the vocabulary");
  }
  m.vocab.resize(v);
  for (std::string& term : m.vocab) {
    ARROW_RETURN_NOT_OK(in.Get(&len, "term length"));
    ARROW_RETURN_NOT_OK(in.GetString(len, &term, "term"));
  }
  m.topic_totals.resize(k);
  for (int64_t& t : m.topic_totals) ARROW_RETURN_NOT_OK(in.Get(&t, "topic totals"));
  m.cluster_docs.resize(k);
  for (int64_t& c : m.cluster_docs) ARROW_RETURN_NOT_OK(in.Get(&c, "cluster sizes"));
  if (m.kind == ModelKind::kLda) m.cluster_docs.clear();
  uint64_t nonzero = 0;
  ARROW_RETURN_NOT_OK(in.Get(&nonzero, "entry count"));
  if (nonzero > in.remaining() / 12) {
    return arrow::Status::Invalid("model file: ", nonzero, " count entries do not fit the file");
  }
  m.word_topic.assign(static_cast<std::size_t>(k) * v, 0);
  std::vector<int64_t> sums(k, 0);
  for (uint64_t i = 0; i < nonzero; ++i) {
    uint32_t w = 0, t = 0, c = 0;
    ARROW_RETURN_NOT_OK(in.Get(&w, "word"));
    ARROW_RETURN_NOT_OK(in.Get(&t, "topic"));
    ARROW_RETURN_NOT_OK(in.Get(&c, "count"));
    if (w >= v || t >= k || c == 0 || c > static_cast<uint32_t>(INT32_MAX)) {
      return arrow::Status::Invalid("model file: bad count entry (word ", w, ", topic ", t,
                                    ", count ", c, ")");
    }
    m.word_topic[static_cast<std::size_t>(w) * k + t] = static_cast<int32_t>(c);
    sums[t] += c;
  }
  for (uint32_t t = 0; t < k; ++t) {
    if (sums[t] != m.topic_totals[t]) {
      return arrow::Status::Invalid("model file: topic ", t, " counts sum to ", sums[t],
                                    " but its total says ", m.topic_totals[t]);
    }
  }
  if (in.remaining() != 0) return arrow::Status::Invalid("model file: trailing bytes");
  return m;
}

arrow::Status SaveModel(const TopicModel& model, const std::string& path) {
  return WriteFileAtomically(path, EncodeModel(model));
}

arrow::Result<TopicModel> LoadModel(const std::string& path) {
  ARROW_ASSIGN_OR_RAISE(std::string bytes, ReadWholeFile(path));
  auto model = DecodeModel(bytes);
  if (!model.ok()) return model.status().WithMessage(path, ": ", model.status().message());
  return model;
}

}  // namespace hashlake::topics
