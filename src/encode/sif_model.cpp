#include "tandem/encode/sif_model.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"

#include "lapack.hpp"
#include "model_file.hpp"

namespace tandem::encode {

text::AnalyzerConfig SifOptions::default_analyzer() {
  text::AnalyzerConfig c = text::AnalyzerConfig::preset("english-nostem");
  c.stopwords.clear();
  return c;
}

void SifModel::build_index() {
  index_.clear();
  index_.reserve(words_.size());
  for (std::uint32_t i = 0; i < words_.size(); ++i) index_.emplace(words_[i], i);
  analyzer_ = text::make_analyzer(analyzer_config_);
}

float SifModel::weight(std::string_view word) const {
  const auto it = index_.find(word);
  return it == index_.end() ? -1.0f : weights_[it->second];
}

// The weighted average (1/|s|) sum a/(a + p(w)) v(w) over the words with a vector, |s| counting
// only those (as the paper's code does).
void SifModel::average(const text::TermList& words, std::span<float> out) const {
  std::vector<double> sum(dims_, 0.0);
  std::size_t found = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto it = index_.find(words[i]);
    if (it == index_.end()) continue;
    ++found;
    const double w = weights_[it->second];
    const float* v = vectors_.data() + std::size_t{it->second} * dims_;
    for (std::size_t j = 0; j < dims_; ++j) sum[j] += w * v[j];
  }
  for (std::size_t j = 0; j < dims_; ++j) {
    out[j] = found == 0 ? 0.0f : static_cast<float>(sum[j] / static_cast<double>(found));
  }
}

std::size_t SifModel::encode(std::string_view text, std::span<float> out) const {
  text::TermList words;
  analyzer_->analyze(text, words);
  average(words, out);
  double dot = 0;
  for (std::size_t j = 0; j < dims_; ++j) dot += double{out[j]} * pc_[j];
  for (std::size_t j = 0; j < dims_; ++j) out[j] = static_cast<float>(out[j] - dot * pc_[j]);
  l2_normalize(out);
  return words.size();
}

SifModel SifModel::train(const WordVectors& vectors, std::span<const std::string> texts,
                         const SifOptions& options, ProgressSink* progress) {
  if (!(options.a > 0)) fail(ErrorKind::invalid_argument, "SIF: a must be positive");
  SifModel m;
  m.analyzer_config_ = options.analyzer;
  m.dims_ = vectors.dims();
  m.words_.reserve(vectors.size());
  for (std::size_t i = 0; i < vectors.size(); ++i) m.words_.push_back(vectors.word(i));
  m.vectors_.resize(vectors.size() * vectors.dims());
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    std::copy_n(vectors.vector(i).data(), m.dims_, m.vectors_.data() + i * m.dims_);
  }
  m.build_index();

  // p(w): counts of every word the analyzer makes, over all tokens of the collection.
  const unsigned threads = resolve_threads(options.threads);
  std::vector<std::vector<std::uint64_t>> counts(threads,
                                                 std::vector<std::uint64_t>(m.words_.size(), 0));
  std::vector<std::uint64_t> tokens(threads, 0);
  parallel_for(
      texts.size(), threads,
      [&](std::size_t d, unsigned worker) {
        text::TermList words;
        m.analyzer_->analyze(texts[d], words);
        tokens[worker] += words.size();
        for (std::size_t i = 0; i < words.size(); ++i) {
          const auto it = m.index_.find(words[i]);
          if (it != m.index_.end()) ++counts[worker][it->second];
        }
        if (progress != nullptr && worker == 0 && d % 1024 == 0) {
          progress->update("counting words", d, texts.size());
        }
      },
      64);
  if (progress != nullptr) progress->finish("counting words");
  std::uint64_t total = 0, seen_words = 0;
  for (const auto t : tokens) total += t;
  m.weights_.assign(m.words_.size(), 1.0f);
  for (std::size_t i = 0; i < m.words_.size(); ++i) {
    std::uint64_t c = 0;
    for (const auto& per : counts) c += per[i];
    if (c > 0) ++seen_words;
    const double p = total == 0 ? 0.0 : static_cast<double>(c) / static_cast<double>(total);
    m.weights_[i] = static_cast<float>(options.a / (options.a + p));
  }

  // u: the top eigenvector of sum_s v(s) v(s)^T over (a sample of) the collection.
  const std::size_t sample = std::min(texts.size(), options.pc_sample);
  std::vector<std::vector<double>> grams(threads, std::vector<double>(m.dims_ * m.dims_, 0.0));
  parallel_for(
      sample, threads,
      [&](std::size_t d, unsigned worker) {
        text::TermList words;
        m.analyzer_->analyze(texts[d], words);
        std::vector<float> v(m.dims_);
        m.average(words, v);
        auto& g = grams[worker];
        for (std::size_t i = 0; i < m.dims_; ++i) {
          for (std::size_t j = 0; j <= i; ++j) g[i + j * m.dims_] += double{v[i]} * v[j];
        }
        if (progress != nullptr && worker == 0 && d % 1024 == 0) {
          progress->update("common component", d, sample);
        }
      },
      64);
  if (progress != nullptr) progress->finish("common component");
  std::vector<double> gram(m.dims_ * m.dims_, 0.0), eigenvalues;
  for (const auto& g : grams) {
    for (std::size_t i = 0; i < gram.size(); ++i) gram[i] += g[i];
  }
  detail::symmetric_eigen(gram, m.dims_, eigenvalues);  // lower triangle is filled
  m.pc_.resize(m.dims_);
  const std::size_t top = m.dims_ - 1;
  for (std::size_t j = 0; j < m.dims_; ++j) m.pc_[j] = static_cast<float>(gram[j + top * m.dims_]);
  if (sample == 0) std::fill(m.pc_.begin(), m.pc_.end(), 0.0f);
  const auto largest = std::max_element(m.pc_.begin(), m.pc_.end(),
                                        [](float x, float y) { return std::abs(x) < std::abs(y); });
  if (largest != m.pc_.end() && *largest < 0) {
    for (auto& x : m.pc_) x = -x;
  }

  nlohmann::json meta = {{"model", "glove-sif"},
                         {"dims", m.dims_},
                         {"a", options.a},
                         {"analyzer", nlohmann::json::parse(options.analyzer.to_json())},
                         {"documents", texts.size()},
                         {"tokens", total},
                         {"words_with_vectors", m.words_.size()},
                         {"words_seen_in_collection", seen_words},
                         {"pc_sample", sample}};
  m.meta_json_ = meta.dump();
  return m;
}

void SifModel::save(const std::filesystem::path& path) const {
  ModelFileWriter w(path, 5);
  w.bytes(meta_json_);
  w.strings(words_);
  w.floats(weights_);
  w.floats(vectors_);
  w.floats(pc_);
  w.commit();
}

SifModel SifModel::read(ModelFileReader& reader, std::string_view meta_text) {
  SifModel m;
  m.meta_json_ = std::string(meta_text);
  std::size_t words = 0;
  try {
    const auto meta = nlohmann::json::parse(meta_text);
    if (meta.at("model") != "glove-sif") reader.corrupt("not a glove-sif model");
    m.dims_ = meta.at("dims").get<std::size_t>();
    words = meta.at("words_with_vectors").get<std::size_t>();
    m.analyzer_config_ = text::AnalyzerConfig::from_json(meta.at("analyzer").dump());
  } catch (const nlohmann::json::exception& e) {
    reader.corrupt(fmt::format("bad model metadata ({})", e.what()));
  }
  m.words_ = reader.strings("words", words);
  m.weights_ = reader.floats("weights", words);
  m.vectors_ = reader.floats("vectors", words * m.dims_);
  m.pc_ = reader.floats("common component", m.dims_);
  m.build_index();
  return m;
}

SifModel SifModel::load(const std::filesystem::path& path) {
  ModelFileReader reader(path);
  const std::string_view meta = reader.bytes("metadata");
  return read(reader, meta);
}

std::string SifModel::describe_json() const {
  return meta_json_;
}

}  // namespace tandem::encode
