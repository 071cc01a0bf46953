// The BERT forward pass against PyTorch's outputs for ../shared/models/tiny-random-bert (a random
// 2-layer BertForMaskedLM whose reference_outputs.json was computed by make_fixture.py).
#include "tandem/encode/bert_model.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"

#include "test_support.hpp"

namespace tandem::encode {
namespace {

using ::testing::HasSubstr;
constexpr double kTolerance = 1e-4;

struct Reference {
  std::filesystem::path dir;
  nlohmann::json json;
  std::vector<std::vector<std::uint32_t>> ids;

  std::vector<TokenSequence> batch() const {
    std::vector<TokenSequence> out;
    for (const auto& s : ids) out.push_back({s, {}});
    return out;
  }
};

std::optional<Reference> load_reference() {
  const auto shared = test::shared_dir();
  if (!shared) return std::nullopt;
  Reference r;
  r.dir = *shared / "models" / "tiny-random-bert";
  r.json = nlohmann::json::parse(test::read_file(r.dir / "reference_outputs.json"));
  for (const auto& s : r.json["input_ids"]) r.ids.push_back(s.get<std::vector<std::uint32_t>>());
  return r;
}

#define TANDEM_REQUIRE_REFERENCE(var)                                                    \
  const auto var##_opt = load_reference();                                               \
  if (!var##_opt)                                                                        \
    GTEST_SKIP() << "../shared is not present (set TANDEM_SHARED): no tiny-random-bert"; \
  const Reference& var = *var##_opt

void expect_near_all(std::span<const float> got, const nlohmann::json& want,
                     const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_NEAR(got[i], want[i].get<double>(), kTolerance) << what << " [" << i << "]";
  }
}

TEST(BertModel, ReproducesLastHiddenStatesAndPoolings) {
  TANDEM_REQUIRE_REFERENCE(ref);
  for (const auto backend : {GemmBackend::blas, GemmBackend::loop}) {
    const auto model = BertModel::load(ref.dir, {.gemm = backend});
    const auto batch = ref.batch();
    const HiddenStates hs = model.encode(batch);
    ASSERT_EQ(hs.batch_size(), 3u);
    for (std::size_t b = 0; b < 3; ++b) {
      ASSERT_EQ(hs.length(b), ref.ids[b].size());
      for (std::size_t t = 0; t < hs.length(b); ++t) {
        expect_near_all(
            hs.token(b, t), ref.json["last_hidden_state"][b][t],
            "hidden state of text " + std::to_string(b) + " token " + std::to_string(t));
      }
    }
    const auto check_pool = [&](Pooling p, bool l2, const char* key) {
      const auto pooled = BertModel::pool(hs, p, l2);
      for (std::size_t b = 0; b < 3; ++b) {
        expect_near_all(std::span<const float>(pooled).subspan(b * 32, 32), ref.json[key][b],
                        std::string(key) + " of text " + std::to_string(b));
      }
    };
    check_pool(Pooling::mean, false, "mean_pooled");
    check_pool(Pooling::mean, true, "mean_pooled_l2");
    check_pool(Pooling::cls, true, "cls_pooled_l2");
  }
}

TEST(BertModel, BatchingDoesNotChangeResults) {
  TANDEM_REQUIRE_REFERENCE(ref);
  const auto model = BertModel::load(ref.dir);
  const auto batch = ref.batch();
  const HiddenStates together = model.encode(batch);
  for (std::size_t b = 0; b < batch.size(); ++b) {
    const HiddenStates alone = model.encode(std::span(batch).subspan(b, 1));
    for (std::size_t t = 0; t < alone.length(0); ++t) {
      const auto x = alone.token(0, t), y = together.token(b, t);
      for (std::size_t j = 0; j < x.size(); ++j) EXPECT_EQ(x[j], y[j]);
    }
  }
}

TEST(BertModel, ReproducesSpladeVectors) {
  TANDEM_REQUIRE_REFERENCE(ref);
  const auto model = BertModel::load(ref.dir, {.mlm_head = true});
  ASSERT_TRUE(model.has_mlm_head());
  const auto batch = ref.batch();
  const HiddenStates hs = model.encode(batch);
  for (const auto& want : ref.json["splade"]) {
    const std::size_t b = want["text"].get<std::size_t>();
    const auto act = want["activation"] == "log1p_relu" ? SpladeActivation::log1p_relu
                                                        : SpladeActivation::log1p_log1p_relu;
    const auto vectors = model.splade(hs, {.activation = act});
    const SparseVector& v = vectors[b];
    const std::string what =
        "text " + std::to_string(b) + " " + want["activation"].get<std::string>();
    EXPECT_TRUE(std::is_sorted(v.ids.begin(), v.ids.end())) << what;
    // A logit within float rounding of 0 could flip; the reference has none that close.
    EXPECT_EQ(v.ids.size(), want["nonzero"].get<std::size_t>()) << what;
    const double l1 = std::accumulate(v.weights.begin(), v.weights.end(), 0.0);
    EXPECT_NEAR(l1, want["l1"].get<double>(), 1e-6 * want["l1"].get<double>()) << what;
    std::vector<float> dense(model.config().vocab_size, 0.0f);
    for (std::size_t i = 0; i < v.ids.size(); ++i) dense[v.ids[i]] = v.weights[i];
    for (const auto& pair : want["top20"]) {
      EXPECT_NEAR(dense[pair[0].get<std::size_t>()], pair[1].get<double>(), kTolerance)
          << what << " id " << pair[0];
    }
    // Top-k pruning keeps exactly the 20 largest, which are the reference's top 20.
    const auto pruned = model.splade(hs, {.activation = act, .top_k = 20});
    std::vector<std::uint32_t> want_ids;
    for (const auto& pair : want["top20"]) want_ids.push_back(pair[0].get<std::uint32_t>());
    std::sort(want_ids.begin(), want_ids.end());
    EXPECT_EQ(pruned[b].ids, want_ids) << what;
  }
}

// Copies the tiny model with its tensors renamed by `rename` (and config.json as given).
void write_renamed_model(const std::filesystem::path& from, const std::filesystem::path& to,
                         const std::function<std::string(const std::string&)>& rename,
                         const std::string& config) {
  const std::string bytes = test::read_file(from / "model.safetensors");
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
  nlohmann::json header = nlohmann::json::parse(bytes.substr(8, n));
  nlohmann::json renamed = nlohmann::json::object();
  for (auto& [key, value] : header.items())
    renamed[key == "__metadata__" ? key : rename(key)] = value;
  std::string text = renamed.dump();
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((text.size() >> (8 * i)) & 0xff);
  test::write_file(to / "model.safetensors", out + text + bytes.substr(8 + n));
  test::write_file(to / "config.json", config);
}

TEST(BertModel, ReadsNamesWithoutTheBertPrefix) {
  TANDEM_REQUIRE_REFERENCE(ref);
  test::TempDir dir;
  write_renamed_model(
      ref.dir, dir.path(),
      [](const std::string& k) { return k.starts_with("bert.") ? k.substr(5) : k; },
      test::read_file(ref.dir / "config.json"));
  const auto model = BertModel::load(dir.path(), {.mlm_head = true});
  const auto batch = ref.batch();
  const HiddenStates hs = model.encode(batch);
  expect_near_all(hs.token(2, 7), ref.json["last_hidden_state"][2][7], "last token of text 2");
}

std::string load_error(const std::filesystem::path& dir, const BertLoadOptions& options = {}) {
  try {
    BertModel::load(dir, options);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(BertModel, ErrorsNameTheTensorOrField) {
  TANDEM_REQUIRE_REFERENCE(ref);
  const std::string config = test::read_file(ref.dir / "config.json");
  test::TempDir dir;
  // A config that disagrees with the tensors.
  std::string wide = config;
  wide.replace(wide.find("\"hidden_size\": 32"), 17, "\"hidden_size\": 64");
  write_renamed_model(
      ref.dir, dir.path(), [](const std::string& k) { return k; }, wide);
  EXPECT_THAT(load_error(dir.path()),
              HasSubstr("tensor 'bert.embeddings.word_embeddings.weight' has shape [30522, 32], "
                        "expected [30522, 64]"));
  // A missing tensor.
  write_renamed_model(
      ref.dir, dir.path(),
      [](const std::string& k) { return k == "bert.encoder.layer.1.output.dense.bias" ? "x" : k; },
      config);
  EXPECT_THAT(load_error(dir.path()),
              HasSubstr("tensor 'bert.encoder.layer.1.output.dense.bias' is missing"));
  // No MLM head where SPLADE needs one.
  write_renamed_model(
      ref.dir, dir.path(),
      [](const std::string& k) { return k.starts_with("cls.") ? "unused." + k : k; }, config);
  EXPECT_EQ(load_error(dir.path()), "");
  EXPECT_THAT(load_error(dir.path(), {.mlm_head = true}), HasSubstr("no masked-LM head"));
  // A truncated file.
  const std::string bytes = test::read_file(ref.dir / "model.safetensors");
  test::write_file(dir / "model.safetensors", bytes.substr(0, bytes.size() - 1000));
  test::write_file(dir / "config.json", config);
  EXPECT_THAT(load_error(dir.path()), HasSubstr("truncated"));
  // Config errors.
  test::write_file(dir / "config.json", R"({"model_type":"bert","hidden_size":32})");
  EXPECT_THAT(load_error(dir.path()), HasSubstr("field \"vocab_size\" is missing"));
  std::string tanh = config;
  tanh.replace(tanh.find("\"gelu\""), 6, "\"gelu_new\"");
  test::write_file(dir / "config.json", tanh);
  EXPECT_THAT(load_error(dir.path()), HasSubstr("hidden_act \"gelu_new\" is not supported"));
}

TEST(BertModel, RejectsBadInputs) {
  TANDEM_REQUIRE_REFERENCE(ref);
  const auto model = BertModel::load(ref.dir);
  const std::vector<std::uint32_t> too_long(65, 101), bad_id{101, 30522, 102}, empty;
  const auto message = [&](const std::vector<std::uint32_t>& ids) -> std::string {
    const TokenSequence s{ids, {}};
    try {
      model.encode(std::span(&s, 1));
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_THAT(message(too_long), HasSubstr("65 tokens, more than the model's 64 positions"));
  EXPECT_THAT(message(bad_id), HasSubstr("token id 30522 is outside the vocabulary"));
  EXPECT_THAT(message(empty), HasSubstr("empty"));
}

}  // namespace
}  // namespace tandem::encode
