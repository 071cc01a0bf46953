// A BERT encoder (Devlin et al., NAACL 2019) run in float32 on the CPU from a Hugging Face model
// folder (config.json + model.safetensors), with the dense poolings of sentence-transformers and
// the SPLADE head (Formal et al., SIGIR 2021). Inputs are token ids: a WordPiece tokenizer turns
// text into them ([CLS] ... [SEP] included).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::encode {

/// The fields of a Hugging Face BertConfig that the forward pass uses.
struct BertConfig {
  std::uint32_t vocab_size = 30522;
  std::uint32_t hidden_size = 768;
  std::uint32_t num_hidden_layers = 12;
  std::uint32_t num_attention_heads = 12;
  std::uint32_t intermediate_size = 3072;
  std::uint32_t max_position_embeddings = 512;
  std::uint32_t type_vocab_size = 2;
  double layer_norm_eps = 1e-12;
  std::uint32_t pad_token_id = 0;

  /// Parses config.json. Throws Error(invalid_argument) naming `where` and the field for a missing
  /// or malformed required field, Error(unsupported) for a hidden_act other than "gelu" (exact erf
  /// GELU) or a model_type other than bert.
  static BertConfig from_json(std::string_view json, std::string_view where);
};

/// How the linear layers multiply: OpenBLAS sgemm (the default), or a plain triple loop kept as
/// the reference the benchmark compares with.
enum class GemmBackend { blas, loop };

/// Sets the number of threads OpenBLAS uses inside one sgemm (process-wide). Callers that run
/// encoders on several threads of their own set 1.
void set_blas_threads(int threads);

/// A token sequence: ids, and optionally token type ids (empty = all 0). Its attention mask is
/// "every token is real": padding is never passed in, so sequences of different lengths batch
/// without pad tokens and the result equals a right-padded batch with Hugging Face's mask.
struct TokenSequence {
  std::span<const std::uint32_t> ids;
  std::span<const std::uint32_t> type_ids;
};

/// Hidden states of a batch, packed: sequence b's token t is row offsets[b] + t of a row-major
/// [total tokens x width] matrix.
struct HiddenStates {
  std::size_t width = 0;
  std::vector<float> values;
  std::vector<std::size_t> offsets;  // batch size + 1 entries

  std::size_t batch_size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::size_t length(std::size_t b) const { return offsets[b + 1] - offsets[b]; }
  std::span<const float> token(std::size_t b, std::size_t t) const {
    return {values.data() + (offsets[b] + t) * width, width};
  }
};

enum class Pooling { cls, mean };

/// SPLADE's activation on MLM logits: log(1 + ReLU(x)) (SPLADE, OpenSearch doc-v1/v2) or
/// log(1 + log(1 + ReLU(x))) (what OpenSearch doc-v3-distill is reported to use).
enum class SpladeActivation { log1p_relu, log1p_log1p_relu };

struct SpladeOptions {
  SpladeActivation activation = SpladeActivation::log1p_relu;
  /// Keep only the k largest weights (ties: smaller id first); 0 keeps every non-zero weight.
  std::size_t top_k = 0;
};

/// A sparse vector over the vocabulary: ids ascending, weights > 0.
struct SparseVector {
  std::vector<std::uint32_t> ids;
  std::vector<float> weights;
};

struct BertLoadOptions {
  GemmBackend gemm = GemmBackend::blas;
  /// Load the masked-LM head (cls.predictions.*) for SPLADE; a model without it then fails to load.
  bool mlm_head = false;
};

/// The weights of a BERT model and its forward pass. Immutable after load: encode calls are
/// thread-safe and may run concurrently (each allocates its own activations).
class BertModel {
 public:
  /// Loads `dir`/config.json and `dir`/model.safetensors. Tensor names are Hugging Face's, with or
  /// without the "bert." prefix (BertForMaskedLM vs BertModel / sentence-transformers files).
  /// Errors name the file and tensor: Error(not_found) for a missing file or tensor,
  /// Error(invalid_argument) for a shape that disagrees with config.json, Error(corruption) for a
  /// truncated or malformed file, Error(unsupported) for an unknown dtype.
  static BertModel load(const std::filesystem::path& dir, const BertLoadOptions& options = {});

  const BertConfig& config() const { return config_; }
  bool has_mlm_head() const { return !mlm_bias_.empty(); }

  /// The last hidden states of every sequence. Sequences must be non-empty, at most
  /// max_position_embeddings long, with ids < vocab_size and type ids < type_vocab_size
  /// (Error(invalid_argument) / Error(limit_exceeded) otherwise, naming the sequence).
  HiddenStates encode(std::span<const TokenSequence> batch) const;

  /// Pools hidden states into one vector per sequence ([batch x hidden], row-major): the first
  /// token ([CLS]) or the mean over tokens; then L2-normalised if `normalize`.
  static std::vector<float> pool(const HiddenStates& hidden, Pooling pooling, bool normalize);

  /// The SPLADE vector of every sequence: MLM head (dense, GELU, LayerNorm, decoder tied to the
  /// word embeddings plus cls.predictions.bias) -> activation -> max over the sequence's tokens
  /// ([CLS] and [SEP] included, as SPLADE does). Needs the MLM head (BertLoadOptions::mlm_head).
  std::vector<SparseVector> splade(const HiddenStates& hidden, const SpladeOptions& options) const;

 private:
  struct Layer {
    std::vector<float> q_w, q_b, k_w, k_b, v_w, v_b, attn_out_w, attn_out_b, attn_ln_w, attn_ln_b;
    std::vector<float> inter_w, inter_b, out_w, out_b, out_ln_w, out_ln_b;
  };

  BertConfig config_;
  GemmBackend gemm_ = GemmBackend::blas;
  std::vector<float> word_embeddings_, position_embeddings_, type_embeddings_;
  std::vector<float> embed_ln_w_, embed_ln_b_;
  std::vector<Layer> layers_;
  std::vector<float> mlm_dense_w_, mlm_dense_b_, mlm_ln_w_, mlm_ln_b_, mlm_bias_;
  std::vector<float> mlm_decoder_w_;  // empty when tied to the word embeddings
};

}  // namespace tandem::encode
