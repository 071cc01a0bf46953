#include "tandem/encode/lsa_model.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/encode/randomized_svd.hpp"

#include "model_file.hpp"

namespace tandem::encode {

namespace {

// (term index, term frequency) pairs of one text, sorted by term index.
using TermCounts = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

TermCounts count_terms(const text::TermList& terms,
                       const std::unordered_map<std::string_view, std::uint32_t>& index) {
  TermCounts out;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const auto it = index.find(terms[i]);
    if (it != index.end()) out.emplace_back(it->second, 1);
  }
  std::sort(out.begin(), out.end());
  std::size_t w = 0;
  for (std::size_t r = 0; r < out.size(); ++r) {
    if (w > 0 && out[w - 1].first == out[r].first) {
      ++out[w - 1].second;
    } else {
      out[w++] = out[r];
    }
  }
  out.resize(w);
  return out;
}

// The unit-length TF-IDF weights of `counts`, in place of the counts' order.
std::vector<float> tf_idf(const TermCounts& counts, std::span<const float> idf) {
  std::vector<float> w(counts.size());
  double norm = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    w[i] = static_cast<float>((1.0 + std::log(static_cast<double>(counts[i].second))) *
                              idf[counts[i].first]);
    norm += double{w[i]} * w[i];
  }
  const double inv = norm > 0 ? 1.0 / std::sqrt(norm) : 0.0;
  for (auto& x : w) x = static_cast<float>(x * inv);
  return w;
}

}  // namespace

void LsaModel::build_index() {
  index_.clear();
  index_.reserve(terms_.size());
  for (std::uint32_t i = 0; i < terms_.size(); ++i) index_.emplace(terms_[i], i);
  analyzer_ = text::make_analyzer(analyzer_config_);
}

LsaModel LsaModel::train(std::span<const std::string> texts, const LsaOptions& options,
                         ProgressSink* progress) {
  if (options.dims == 0) fail(ErrorKind::invalid_argument, "LSA: dims must be positive");
  LsaModel m;
  m.analyzer_config_ = options.analyzer;
  m.analyzer_ = text::make_analyzer(options.analyzer);
  const unsigned threads = resolve_threads(options.threads);

  // Pass 1: document frequencies of every term (terms interned in sorted order afterwards, so the
  // vocabulary does not depend on thread scheduling).
  std::vector<std::map<std::string, std::uint32_t, std::less<>>> dfs(threads);
  parallel_for(
      texts.size(), threads,
      [&](std::size_t d, unsigned worker) {
        text::TermList terms;
        m.analyzer_->analyze(texts[d], terms);
        std::vector<std::string_view> unique;
        for (std::size_t i = 0; i < terms.size(); ++i) unique.push_back(terms[i]);
        std::sort(unique.begin(), unique.end());
        unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
        auto& df = dfs[worker];
        for (const auto t : unique) {
          const auto it = df.find(t);
          if (it == df.end()) {
            df.emplace(std::string(t), 1);
          } else {
            ++it->second;
          }
        }
        if (progress != nullptr && worker == 0 && d % 1024 == 0) {
          progress->update("vocabulary", d, texts.size());
        }
      },
      64);
  if (progress != nullptr) progress->finish("vocabulary");
  std::map<std::string, std::uint32_t, std::less<>> df = std::move(dfs[0]);
  for (unsigned t = 1; t < threads; ++t) {
    for (auto& [term, n] : dfs[t]) df[term] += n;
  }
  const double n_docs = static_cast<double>(texts.size());
  for (const auto& [term, n] : df) {
    if (n < options.min_df) continue;
    m.terms_.push_back(term);
    m.idf_.push_back(static_cast<float>(std::log((1.0 + n_docs) / (1.0 + n)) + 1.0));
  }
  df.clear();
  m.build_index();

  // Pass 2: the TF-IDF matrix, one row per document.
  std::vector<TermCounts> rows(texts.size());
  parallel_for(
      texts.size(), threads,
      [&](std::size_t d, unsigned worker) {
        text::TermList terms;
        m.analyzer_->analyze(texts[d], terms);
        rows[d] = count_terms(terms, m.index_);
        if (progress != nullptr && worker == 0 && d % 1024 == 0) {
          progress->update("tf-idf matrix", d, texts.size());
        }
      },
      64);
  if (progress != nullptr) progress->finish("tf-idf matrix");
  CsrMatrix x;
  x.rows = texts.size();
  x.cols = m.terms_.size();
  for (const auto& row : rows) {
    const auto w = tf_idf(row, m.idf_);
    for (std::size_t i = 0; i < row.size(); ++i) {
      x.col.push_back(row[i].first);
      x.value.push_back(w[i]);
    }
    x.row_begin.push_back(x.col.size());
  }
  rows.clear();
  rows.shrink_to_fit();

  if (progress != nullptr) progress->update("randomized svd", 0, 0);
  const TruncatedSvd svd = randomized_svd(x, {.rank = options.dims,
                                              .oversample = options.oversample,
                                              .power_iterations = options.power_iterations,
                                              .seed = options.seed,
                                              .threads = threads});
  if (progress != nullptr) progress->finish("randomized svd");
  if (svd.rank < options.dims) {
    fail(ErrorKind::invalid_argument,
         "LSA: {} dimensions asked, but the collection has only {} documents and {} terms "
         "(min_df {})",
         options.dims, x.rows, x.cols, options.min_df);
  }
  m.dims_ = svd.rank;
  m.singular_values_.assign(svd.singular_values.begin(), svd.singular_values.end());
  m.projection_.assign(svd.right_vectors.begin(), svd.right_vectors.end());

  nlohmann::json meta = {{"model", "lsa"},
                         {"dims", m.dims_},
                         {"terms", m.terms_.size()},
                         {"documents", texts.size()},
                         {"nonzeros", x.col.size()},
                         {"min_df", options.min_df},
                         {"oversample", options.oversample},
                         {"power_iterations", options.power_iterations},
                         {"seed", options.seed},
                         {"weighting", "(1+ln tf) * (ln((1+N)/(1+df))+1), unit length"},
                         {"analyzer", nlohmann::json::parse(options.analyzer.to_json())}};
  m.meta_json_ = meta.dump();
  return m;
}

std::size_t LsaModel::encode(std::string_view text, std::span<float> out) const {
  text::TermList terms;
  analyzer_->analyze(text, terms);
  const TermCounts counts = count_terms(terms, index_);
  const auto w = tf_idf(counts, idf_);
  std::vector<double> sum(dims_, 0.0);
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const float* row = projection_.data() + std::size_t{counts[i].first} * dims_;
    for (std::size_t j = 0; j < dims_; ++j) sum[j] += double{w[i]} * row[j];
  }
  for (std::size_t j = 0; j < dims_; ++j) out[j] = static_cast<float>(sum[j]);
  l2_normalize(out);
  return terms.size();
}

void LsaModel::save(const std::filesystem::path& path) const {
  ModelFileWriter w(path, 5);
  w.bytes(meta_json_);
  w.strings(terms_);
  w.floats(idf_);
  w.floats(singular_values_);
  w.floats(projection_);
  w.commit();
}

LsaModel LsaModel::read(ModelFileReader& reader, std::string_view meta_text) {
  LsaModel m;
  m.meta_json_ = std::string(meta_text);
  std::size_t terms = 0;
  try {
    const auto meta = nlohmann::json::parse(meta_text);
    if (meta.at("model") != "lsa") reader.corrupt("not an lsa model");
    m.dims_ = meta.at("dims").get<std::size_t>();
    terms = meta.at("terms").get<std::size_t>();
    m.analyzer_config_ = text::AnalyzerConfig::from_json(meta.at("analyzer").dump());
  } catch (const nlohmann::json::exception& e) {
    reader.corrupt(fmt::format("bad model metadata ({})", e.what()));
  }
  m.terms_ = reader.strings("terms", terms);
  m.idf_ = reader.floats("idf", terms);
  m.singular_values_ = reader.floats("singular values", m.dims_);
  m.projection_ = reader.floats("projection", terms * m.dims_);
  m.build_index();
  return m;
}

LsaModel LsaModel::load(const std::filesystem::path& path) {
  ModelFileReader reader(path);
  const std::string_view meta = reader.bytes("metadata");
  return read(reader, meta);
}

}  // namespace tandem::encode
