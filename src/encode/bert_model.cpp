#include "tandem/encode/bert_model.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <numeric>
#include <optional>
#include <sstream>

#include <simdjson.h>

#include "tandem/core/error.hpp"
#include "tandem/encode/safetensors.hpp"

#include "gemm.hpp"

namespace tandem::encode {

namespace {

std::uint32_t read_count(simdjson::dom::object& object, const char* field, std::string_view where,
                         std::optional<std::uint32_t> fallback) {
  simdjson::dom::element value;
  if (object[field].get(value) != simdjson::SUCCESS || value.is_null()) {
    if (fallback) return *fallback;
    fail(ErrorKind::invalid_argument, "{}: field \"{}\" is missing", where, field);
  }
  std::uint64_t v = 0;
  if (value.get_uint64().get(v) != simdjson::SUCCESS || v > (1u << 30)) {
    fail(ErrorKind::invalid_argument, "{}: field \"{}\" is not a non-negative integer below 2^30",
         where, field);
  }
  return static_cast<std::uint32_t>(v);
}

// x <- LayerNorm(x) over rows of `width`: (x - mean) / sqrt(var + eps) * w + b, biased variance
// (Ba et al., 2016, as torch.nn.LayerNorm). Sums in double.
void layer_norm(float* x, std::size_t rows, std::size_t width, const float* w, const float* b,
                double eps) {
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = x + r * width;
    double mean = 0;
    for (std::size_t j = 0; j < width; ++j) mean += row[j];
    mean /= static_cast<double>(width);
    double var = 0;
    for (std::size_t j = 0; j < width; ++j) var += (row[j] - mean) * (row[j] - mean);
    var /= static_cast<double>(width);
    const double inv = 1.0 / std::sqrt(var + eps);
    for (std::size_t j = 0; j < width; ++j) {
      row[j] = static_cast<float>((row[j] - mean) * inv) * w[j] + b[j];
    }
  }
}

// The exact GELU of Hendrycks & Gimpel (2016): x * Phi(x) = 0.5 x (1 + erf(x / sqrt 2)).
void gelu(float* x, std::size_t n) {
  constexpr float kInvSqrt2 = 0.70710678118654752440f;
  for (std::size_t i = 0; i < n; ++i) x[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * kInvSqrt2));
}

// Softmax of each row of scores[rows x cols] (leading dimension ld), in place.
void softmax_rows(float* scores, std::size_t rows, std::size_t cols, std::size_t ld) {
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = scores + r * ld;
    const float max = *std::max_element(row, row + cols);
    float sum = 0;
    for (std::size_t j = 0; j < cols; ++j) {
      row[j] = std::exp(row[j] - max);
      sum += row[j];
    }
    const float inv = 1.0f / sum;
    for (std::size_t j = 0; j < cols; ++j) row[j] *= inv;
  }
}

// Finds tensors whether or not the file puts a "bert." prefix on the encoder's names.
class TensorSource {
 public:
  explicit TensorSource(const std::filesystem::path& path) : file_(path) {
    prefix_ = file_.find("bert.embeddings.word_embeddings.weight") != nullptr ? "bert." : "";
  }
  const SafeTensors& file() const { return file_; }
  std::vector<float> encoder(const std::string& name,
                             std::initializer_list<std::uint64_t> shape) const {
    return file_.load_f32(prefix_ + name, shape);
  }
  std::vector<float> head(const std::string& name,
                          std::initializer_list<std::uint64_t> shape) const {
    return file_.load_f32(name, shape);
  }

 private:
  SafeTensors file_;
  std::string prefix_;
};

}  // namespace

BertConfig BertConfig::from_json(std::string_view json, std::string_view where) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto error = parser.parse(json.data(), json.size()).get(root); error) {
    fail(ErrorKind::invalid_argument, "{}: not valid JSON ({})", where,
         simdjson::error_message(error));
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    fail(ErrorKind::invalid_argument, "{}: not a JSON object", where);
  }
  std::string_view model_type;
  if (object["model_type"].get_string().get(model_type) == simdjson::SUCCESS &&
      model_type != "bert") {
    fail(ErrorKind::unsupported, "{}: model_type \"{}\" is not supported (only bert)", where,
         model_type);
  }
  std::string_view act = "gelu";
  if (object["hidden_act"].get(root) == simdjson::SUCCESS &&
      root.get_string().get(act) != simdjson::SUCCESS) {
    fail(ErrorKind::invalid_argument, "{}: field \"hidden_act\" is not a string", where);
  }
  if (act != "gelu") {
    fail(ErrorKind::unsupported,
         "{}: hidden_act \"{}\" is not supported (only \"gelu\", the exact "
         "erf GELU)",
         where, act);
  }
  BertConfig c;
  c.vocab_size = read_count(object, "vocab_size", where, std::nullopt);
  c.hidden_size = read_count(object, "hidden_size", where, std::nullopt);
  c.num_hidden_layers = read_count(object, "num_hidden_layers", where, std::nullopt);
  c.num_attention_heads = read_count(object, "num_attention_heads", where, std::nullopt);
  c.intermediate_size = read_count(object, "intermediate_size", where, std::nullopt);
  c.max_position_embeddings = read_count(object, "max_position_embeddings", where, 512);
  c.type_vocab_size = read_count(object, "type_vocab_size", where, 2);
  c.pad_token_id = read_count(object, "pad_token_id", where, 0);
  if (object["layer_norm_eps"].get(root) == simdjson::SUCCESS &&
      (root.get_double().get(c.layer_norm_eps) != simdjson::SUCCESS || !(c.layer_norm_eps >= 0))) {
    fail(ErrorKind::invalid_argument, "{}: field \"layer_norm_eps\" is not a non-negative number",
         where);
  }
  if (c.hidden_size == 0 || c.num_attention_heads == 0 ||
      c.hidden_size % c.num_attention_heads != 0) {
    fail(ErrorKind::invalid_argument,
         "{}: hidden_size {} is not a positive multiple of num_attention_heads {}", where,
         c.hidden_size, c.num_attention_heads);
  }
  if (c.vocab_size == 0 || c.intermediate_size == 0 || c.max_position_embeddings == 0 ||
      c.type_vocab_size == 0) {
    fail(ErrorKind::invalid_argument, "{}: a size field is 0", where);
  }
  return c;
}

BertModel BertModel::load(const std::filesystem::path& dir, const BertLoadOptions& options) {
  const auto config_path = dir / "config.json";
  std::ifstream in(config_path, std::ios::binary);
  if (!in)
    fail(ErrorKind::not_found,
         "{}: no such file (a model folder holds config.json and "
         "model.safetensors)",
         config_path.string());
  std::stringstream text;
  text << in.rdbuf();
  BertModel m;
  m.config_ = BertConfig::from_json(text.str(), config_path.string());
  m.gemm_ = options.gemm;
  const BertConfig& c = m.config_;
  const std::uint64_t h = c.hidden_size, inter = c.intermediate_size;
  const TensorSource src(dir / "model.safetensors");
  m.word_embeddings_ = src.encoder("embeddings.word_embeddings.weight", {c.vocab_size, h});
  m.position_embeddings_ =
      src.encoder("embeddings.position_embeddings.weight", {c.max_position_embeddings, h});
  m.type_embeddings_ =
      src.encoder("embeddings.token_type_embeddings.weight", {c.type_vocab_size, h});
  m.embed_ln_w_ = src.encoder("embeddings.LayerNorm.weight", {h});
  m.embed_ln_b_ = src.encoder("embeddings.LayerNorm.bias", {h});
  for (std::uint32_t l = 0; l < c.num_hidden_layers; ++l) {
    const std::string p = "encoder.layer." + std::to_string(l) + ".";
    Layer layer;
    layer.q_w = src.encoder(p + "attention.self.query.weight", {h, h});
    layer.q_b = src.encoder(p + "attention.self.query.bias", {h});
    layer.k_w = src.encoder(p + "attention.self.key.weight", {h, h});
    layer.k_b = src.encoder(p + "attention.self.key.bias", {h});
    layer.v_w = src.encoder(p + "attention.self.value.weight", {h, h});
    layer.v_b = src.encoder(p + "attention.self.value.bias", {h});
    layer.attn_out_w = src.encoder(p + "attention.output.dense.weight", {h, h});
    layer.attn_out_b = src.encoder(p + "attention.output.dense.bias", {h});
    layer.attn_ln_w = src.encoder(p + "attention.output.LayerNorm.weight", {h});
    layer.attn_ln_b = src.encoder(p + "attention.output.LayerNorm.bias", {h});
    layer.inter_w = src.encoder(p + "intermediate.dense.weight", {inter, h});
    layer.inter_b = src.encoder(p + "intermediate.dense.bias", {inter});
    layer.out_w = src.encoder(p + "output.dense.weight", {h, inter});
    layer.out_b = src.encoder(p + "output.dense.bias", {h});
    layer.out_ln_w = src.encoder(p + "output.LayerNorm.weight", {h});
    layer.out_ln_b = src.encoder(p + "output.LayerNorm.bias", {h});
    m.layers_.push_back(std::move(layer));
  }
  if (options.mlm_head) {
    if (src.file().find("cls.predictions.transform.dense.weight") == nullptr) {
      fail(ErrorKind::not_found,
           "{}: tensor 'cls.predictions.transform.dense.weight' is missing: "
           "the file has no masked-LM head, which SPLADE needs",
           src.file().path());
    }
    m.mlm_dense_w_ = src.head("cls.predictions.transform.dense.weight", {h, h});
    m.mlm_dense_b_ = src.head("cls.predictions.transform.dense.bias", {h});
    m.mlm_ln_w_ = src.head("cls.predictions.transform.LayerNorm.weight", {h});
    m.mlm_ln_b_ = src.head("cls.predictions.transform.LayerNorm.bias", {h});
    const bool own_bias = src.file().find("cls.predictions.bias") != nullptr;
    m.mlm_bias_ = src.head(own_bias ? "cls.predictions.bias" : "cls.predictions.decoder.bias",
                           {c.vocab_size});
    if (src.file().find("cls.predictions.decoder.weight") != nullptr) {
      m.mlm_decoder_w_ = src.head("cls.predictions.decoder.weight", {c.vocab_size, h});
    }
  }
  return m;
}

HiddenStates BertModel::encode(std::span<const TokenSequence> batch) const {
  const BertConfig& c = config_;
  const std::size_t h = c.hidden_size, heads = c.num_attention_heads, d = h / heads;
  const std::size_t inter = c.intermediate_size;
  HiddenStates out;
  out.width = h;
  out.offsets.assign(batch.size() + 1, 0);
  std::size_t max_len = 0;
  for (std::size_t b = 0; b < batch.size(); ++b) {
    const TokenSequence& s = batch[b];
    if (s.ids.empty()) fail(ErrorKind::invalid_argument, "sequence {} of the batch is empty", b);
    if (s.ids.size() > c.max_position_embeddings) {
      fail(ErrorKind::limit_exceeded,
           "sequence {} has {} tokens, more than the model's {} positions", b, s.ids.size(),
           c.max_position_embeddings);
    }
    if (!s.type_ids.empty() && s.type_ids.size() != s.ids.size()) {
      fail(ErrorKind::invalid_argument, "sequence {} has {} token ids but {} token type ids", b,
           s.ids.size(), s.type_ids.size());
    }
    for (std::size_t t = 0; t < s.ids.size(); ++t) {
      if (s.ids[t] >= c.vocab_size) {
        fail(ErrorKind::invalid_argument,
             "sequence {}: token id {} is outside the vocabulary "
             "({} ids)",
             b, s.ids[t], c.vocab_size);
      }
      if (!s.type_ids.empty() && s.type_ids[t] >= c.type_vocab_size) {
        fail(ErrorKind::invalid_argument, "sequence {}: token type id {} is outside [0, {})", b,
             s.type_ids[t], c.type_vocab_size);
      }
    }
    out.offsets[b + 1] = out.offsets[b] + s.ids.size();
    max_len = std::max(max_len, s.ids.size());
  }
  const std::size_t n = out.offsets.back();

  // Embeddings: word + position + token type, then LayerNorm.
  std::vector<float>& x = out.values;
  x.assign(n * h, 0.0f);
  for (std::size_t b = 0; b < batch.size(); ++b) {
    const TokenSequence& s = batch[b];
    for (std::size_t t = 0; t < s.ids.size(); ++t) {
      float* row = x.data() + (out.offsets[b] + t) * h;
      const float* word = word_embeddings_.data() + std::size_t{s.ids[t]} * h;
      const float* pos = position_embeddings_.data() + t * h;
      const float* type = type_embeddings_.data() + (s.type_ids.empty() ? 0 : s.type_ids[t]) * h;
      for (std::size_t j = 0; j < h; ++j) row[j] = word[j] + pos[j] + type[j];
    }
  }
  layer_norm(x.data(), n, h, embed_ln_w_.data(), embed_ln_b_.data(), c.layer_norm_eps);

  std::vector<float> q(n * h), k(n * h), v(n * h), context(n * h), tmp(n * h), hidden(n * inter);
  std::vector<float> scores(max_len * max_len);
  const float scale = 1.0f / std::sqrt(static_cast<float>(d));
  for (const Layer& layer : layers_) {
    detail::linear(gemm_, x.data(), n, h, layer.q_w.data(), layer.q_b.data(), h, q.data());
    detail::linear(gemm_, x.data(), n, h, layer.k_w.data(), layer.k_b.data(), h, k.data());
    detail::linear(gemm_, x.data(), n, h, layer.v_w.data(), layer.v_b.data(), h, v.data());
    // Scaled dot-product attention per sequence and head (Vaswani et al., 2017). A sequence
    // attends to its own tokens only: the padding mask, without padding.
    for (std::size_t b = 0; b < batch.size(); ++b) {
      const std::size_t o = out.offsets[b], len = out.length(b);
      for (std::size_t head = 0; head < heads; ++head) {
        const std::size_t col = head * d;
        detail::gemm_nt(gemm_, len, len, d, scale, q.data() + o * h + col, h,
                        k.data() + o * h + col, h, scores.data(), len);
        softmax_rows(scores.data(), len, len, len);
        detail::gemm_nn(gemm_, len, d, len, scores.data(), len, v.data() + o * h + col, h,
                        context.data() + o * h + col, h);
      }
    }
    detail::linear(gemm_, context.data(), n, h, layer.attn_out_w.data(), layer.attn_out_b.data(), h,
                   tmp.data());
    for (std::size_t i = 0; i < n * h; ++i) x[i] += tmp[i];
    layer_norm(x.data(), n, h, layer.attn_ln_w.data(), layer.attn_ln_b.data(), c.layer_norm_eps);
    detail::linear(gemm_, x.data(), n, h, layer.inter_w.data(), layer.inter_b.data(), inter,
                   hidden.data());
    gelu(hidden.data(), n * inter);
    detail::linear(gemm_, hidden.data(), n, inter, layer.out_w.data(), layer.out_b.data(), h,
                   tmp.data());
    for (std::size_t i = 0; i < n * h; ++i) x[i] += tmp[i];
    layer_norm(x.data(), n, h, layer.out_ln_w.data(), layer.out_ln_b.data(), c.layer_norm_eps);
  }
  return out;
}

std::vector<float> BertModel::pool(const HiddenStates& hidden, Pooling pooling, bool normalize) {
  const std::size_t w = hidden.width;
  std::vector<float> out(hidden.batch_size() * w, 0.0f);
  for (std::size_t b = 0; b < hidden.batch_size(); ++b) {
    float* dst = out.data() + b * w;
    if (pooling == Pooling::cls) {
      const auto first = hidden.token(b, 0);
      std::copy(first.begin(), first.end(), dst);
    } else {
      std::vector<double> sum(w, 0.0);
      for (std::size_t t = 0; t < hidden.length(b); ++t) {
        const auto row = hidden.token(b, t);
        for (std::size_t j = 0; j < w; ++j) sum[j] += row[j];
      }
      for (std::size_t j = 0; j < w; ++j) {
        dst[j] = static_cast<float>(sum[j] / static_cast<double>(hidden.length(b)));
      }
    }
    if (normalize) {
      double norm = 0;
      for (std::size_t j = 0; j < w; ++j) norm += double{dst[j]} * dst[j];
      norm = std::sqrt(norm);
      // As torch.nn.functional.normalize: divide by max(norm, 1e-12).
      const double inv = 1.0 / std::max(norm, 1e-12);
      for (std::size_t j = 0; j < w; ++j) dst[j] = static_cast<float>(dst[j] * inv);
    }
  }
  return out;
}

std::vector<SparseVector> BertModel::splade(const HiddenStates& hidden,
                                            const SpladeOptions& options) const {
  if (!has_mlm_head()) {
    fail(ErrorKind::invalid_argument,
         "the model was loaded without its masked-LM head, which "
         "SPLADE needs");
  }
  const std::size_t h = config_.hidden_size, vocab = config_.vocab_size;
  const std::size_t n = hidden.offsets.empty() ? 0 : hidden.offsets.back();
  // MLM transform: dense, GELU, LayerNorm.
  std::vector<float> t(n * h);
  detail::linear(gemm_, hidden.values.data(), n, h, mlm_dense_w_.data(), mlm_dense_b_.data(), h,
                 t.data());
  gelu(t.data(), n * h);
  layer_norm(t.data(), n, h, mlm_ln_w_.data(), mlm_ln_b_.data(), config_.layer_norm_eps);
  const float* decoder = mlm_decoder_w_.empty() ? word_embeddings_.data() : mlm_decoder_w_.data();

  // Logits of a few tokens at a time ([rows x vocab]), folded into a running max per vocabulary
  // entry. The activation is monotone, so act(max logit) = max act(logit).
  constexpr std::size_t kRows = 16;
  std::vector<float> logits(kRows * vocab), best(vocab);
  std::vector<SparseVector> out(hidden.batch_size());
  for (std::size_t b = 0; b < hidden.batch_size(); ++b) {
    std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
    for (std::size_t first = 0; first < hidden.length(b); first += kRows) {
      const std::size_t rows = std::min(kRows, hidden.length(b) - first);
      detail::gemm_nt(gemm_, rows, vocab, h, 1.0f, t.data() + (hidden.offsets[b] + first) * h, h,
                      decoder, h, logits.data(), vocab);
      for (std::size_t r = 0; r < rows; ++r) {
        const float* row = logits.data() + r * vocab;
        for (std::size_t j = 0; j < vocab; ++j) best[j] = std::max(best[j], row[j] + mlm_bias_[j]);
      }
    }
    SparseVector& sv = out[b];
    for (std::size_t j = 0; j < vocab; ++j) {
      if (!(best[j] > 0.0f)) continue;
      float w = std::log1p(best[j]);
      if (options.activation == SpladeActivation::log1p_log1p_relu) w = std::log1p(w);
      if (!(w > 0.0f)) continue;
      sv.ids.push_back(static_cast<std::uint32_t>(j));
      sv.weights.push_back(w);
    }
    if (options.top_k > 0 && sv.ids.size() > options.top_k) {
      std::vector<std::uint32_t> order(sv.ids.size());
      std::iota(order.begin(), order.end(), 0u);
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(options.top_k),
                        order.end(), [&](std::uint32_t a, std::uint32_t c) {
                          return sv.weights[a] != sv.weights[c] ? sv.weights[a] > sv.weights[c]
                                                                : a < c;
                        });
      order.resize(options.top_k);
      std::sort(order.begin(), order.end());
      SparseVector kept;
      for (const auto i : order) {
        kept.ids.push_back(sv.ids[i]);
        kept.weights.push_back(sv.weights[i]);
      }
      sv = std::move(kept);
    }
  }
  return out;
}

}  // namespace tandem::encode
