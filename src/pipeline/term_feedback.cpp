#include "tandem/pipeline/term_feedback.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/index/corpus_parser.hpp"

namespace tandem::pipeline {

// ---- FeatureVector -------------------------------------------------------------------------

FeatureVector FeatureVector::from_terms(std::span<const std::string> terms) {
  FeatureVector f;
  for (const auto& t : terms) f.add(t, 1.0f);
  return f;
}

void FeatureVector::add(std::string_view term, float value) {
  const auto it = values_.find(term);
  if (it == values_.end()) {
    values_.emplace(std::string(term), value);
  } else {
    it->second += value;
  }
}

float FeatureVector::value(std::string_view term) const {
  const auto it = values_.find(term);
  return it == values_.end() ? 0.0f : it->second;
}

std::vector<WeightedTerm> FeatureVector::ordered() const {
  std::vector<WeightedTerm> out;
  out.reserve(values_.size());
  for (const auto& [t, v] : values_) out.push_back({t, v});
  // Anserini's getOrderedFeatures(VALUE_DESCENDING): value descending, then term ascending (stable
  // sort over a term-sorted list gives the same order).
  std::stable_sort(out.begin(), out.end(), [](const WeightedTerm& a, const WeightedTerm& b) {
    return a.weight > b.weight;
  });
  return out;
}

FeatureVector& FeatureVector::prune_to_size(std::size_t k) {
  if (values_.size() <= k) return *this;
  const auto order = ordered();
  std::map<std::string, float, std::less<>> kept;
  for (std::size_t i = 0; i < k; ++i) kept.emplace(order[i].term, order[i].weight);
  values_ = std::move(kept);
  return *this;
}

double FeatureVector::l1_norm() const {
  double norm = 0;
  for (const auto& [t, v] : values_) norm += std::abs(static_cast<double>(v));
  return norm;
}

double FeatureVector::l2_norm() const {
  double norm = 0;
  for (const auto& [t, v] : values_) norm += static_cast<double>(v) * static_cast<double>(v);
  return std::sqrt(norm);
}

// Java: features.put(f, (float) (features.getFloat(f) / norm)) with a double norm. A zero norm
// gives NaN there; it only happens for an empty vector, where there is nothing to scale.
FeatureVector& FeatureVector::scale_to_unit_l1() {
  const double norm = l1_norm();
  for (auto& [t, v] : values_) v = static_cast<float>(static_cast<double>(v) / norm);
  return *this;
}

FeatureVector& FeatureVector::scale_to_unit_l2() {
  const double norm = l2_norm();
  for (auto& [t, v] : values_) v = static_cast<float>(static_cast<double>(v) / norm);
  return *this;
}

FeatureVector FeatureVector::interpolate(const FeatureVector& x, const FeatureVector& y,
                                         float x_weight) {
  FeatureVector z;
  const auto put = [&](const std::string& t) {
    if (z.values_.count(t) != 0) return;
    // Java: (float) (xWeight * x.getValue(t) + (1.0 - xWeight) * y.getValue(t)); the first
    // product is a float product, the second a double one.
    const float xs = x_weight * x.value(t);
    const double w = static_cast<double>(xs) +
                     (1.0 - static_cast<double>(x_weight)) * static_cast<double>(y.value(t));
    z.values_.emplace(t, static_cast<float>(w));
  };
  for (const auto& [t, v] : x.values_) put(t);
  for (const auto& [t, v] : y.values_) put(t);
  return z;
}

// ---- term filter ---------------------------------------------------------------------------

std::size_t utf16_length(std::string_view term) {
  std::size_t n = 0;
  for (const char c : term) {
    const auto b = static_cast<unsigned char>(c);
    if ((b & 0xC0) == 0x80) continue;  // continuation byte
    n += b >= 0xF0 ? 2 : 1;            // a 4-byte sequence is a surrogate pair
  }
  return n;
}

bool keep_feedback_term(std::string_view term, std::uint64_t doc_freq, std::uint64_t num_docs,
                        bool ascii_only) {
  const std::size_t len = utf16_length(term);
  if (len < 2 || len > 20) return false;
  if (ascii_only) {
    for (const char c : term) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    }
  }
  // Java: float ratio = (float) df / numDocs (an int promoted to float).
  const float ratio = static_cast<float>(doc_freq) / static_cast<float>(num_docs);
  return !(ratio > 0.1f);
}

// ---- RM3 and Rocchio -----------------------------------------------------------------------

FeatureVector rm3_query(std::span<const std::string> query_terms,
                        std::span<const FeatureVector> doc_vectors, std::span<const float> scores,
                        const Rm3Params& params) {
  if (scores.size() != doc_vectors.size())
    fail(ErrorKind::invalid_argument, "rm3: {} document vectors but {} scores", doc_vectors.size(),
         scores.size());
  FeatureVector qfv = FeatureVector::from_terms(query_terms);
  qfv.scale_to_unit_l1();

  const std::size_t n = std::min(params.fb_docs, doc_vectors.size());
  std::vector<FeatureVector> docs(doc_vectors.begin(), doc_vectors.begin() + n);
  std::map<std::string, float, std::less<>> vocab;  // the union of the pruned vectors' terms
  for (auto& d : docs) {
    d.prune_to_size(params.fb_terms);
    for (const auto& [t, v] : d.values()) vocab.emplace(t, 0.0f);
  }
  std::vector<float> norms(n);
  for (std::size_t i = 0; i < n; ++i) norms[i] = static_cast<float>(docs[i].l1_norm());

  FeatureVector rm;
  for (const auto& [t, unused] : vocab) {
    float w = 0.0f;
    for (std::size_t i = 0; i < n; ++i) {
      if (norms[i] > 0.001f) w += (docs[i].value(t) / norms[i]) * scores[i];
    }
    rm.add(t, w);
  }
  rm.prune_to_size(params.fb_terms);
  rm.scale_to_unit_l1();
  return FeatureVector::interpolate(qfv, rm, params.original_query_weight);
}

namespace {

// Anserini's RocchioReranker.computeMeanOfDocumentVectors.
FeatureVector mean_of_vectors(std::span<const FeatureVector> docs, std::size_t fb_terms) {
  std::map<std::string, float, std::less<>> vocab;
  for (const auto& d : docs) {
    for (const auto& [t, v] : d.values()) vocab.emplace(t, 0.0f);
  }
  std::vector<float> norms(docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) norms[i] = static_cast<float>(docs[i].l2_norm());
  FeatureVector f;
  for (const auto& [t, unused] : vocab) {
    float w = 0.0f;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      if (norms[i] > 0.001f) w += docs[i].value(t) / norms[i];
    }
    f.add(t, w / static_cast<float>(docs.size()));
  }
  f.prune_to_size(fb_terms);
  f.scale_to_unit_l2();
  return f;
}

}  // namespace

FeatureVector rocchio_query(std::span<const std::string> query_terms,
                            std::span<const FeatureVector> top,
                            std::span<const FeatureVector> bottom, const RocchioParams& params) {
  FeatureVector q = FeatureVector::from_terms(query_terms);
  q.scale_to_unit_l2();
  const FeatureVector rel =
      mean_of_vectors(top.first(std::min(top.size(), params.top_fb_docs)), params.top_fb_terms);
  FeatureVector nonrel;
  if (params.use_negative) {
    nonrel = mean_of_vectors(bottom.first(std::min(bottom.size(), params.bottom_fb_docs)),
                             params.bottom_fb_terms);
  }
  FeatureVector z;
  const auto put = [&](const std::string& t) {
    if (z.values().count(t) != 0) return;
    const float w =
        params.alpha * q.value(t) + params.beta * rel.value(t) - params.gamma * nonrel.value(t);
    if (w > 0) z.add(t, w);
  };
  for (const auto& [t, v] : q.values()) put(t);
  for (const auto& [t, v] : rel.values()) put(t);
  for (const auto& [t, v] : nonrel.values()) put(t);
  return z;
}

std::string_view to_string(TermFeedbackKind kind) {
  return kind == TermFeedbackKind::rm3 ? "rm3" : "rocchio";
}

// ---- TermFeedback --------------------------------------------------------------------------

TermFeedback::TermFeedback(std::shared_ptr<const index::IndexReader> index,
                           TermFeedbackOptions options)
    : index_(std::move(index)), options_(std::move(options)) {
  const auto& names = index_->field_names();
  if (names.empty())
    fail(ErrorKind::not_found, "term feedback needs a text field; the index has none");
  if (options_.field.empty()) {
    options_.field =
        std::find(names.begin(), names.end(), "contents") != names.end() ? "contents" : names[0];
  }
  field_ = index_->field_index(options_.field);
  field_name_ = options_.field;
  if (!index_->settings().store)
    fail(ErrorKind::not_found,
         "{} reads the feedback documents' text, but the index in {} keeps no stored documents "
         "(it was built with --no-store)",
         to_string(options_.kind), index_->dir().string());
  if (options_.depth == 0) fail(ErrorKind::invalid_argument, "feedback depth must be at least 1");
  const auto& r = options_.rm3;
  if (!(r.original_query_weight >= 0.0f && r.original_query_weight <= 1.0f))
    fail(ErrorKind::invalid_argument, "original query weight must lie in [0, 1], not {}",
         r.original_query_weight);
  if (r.fb_docs == 0 || r.fb_terms == 0 || options_.rocchio.top_fb_docs == 0 ||
      options_.rocchio.top_fb_terms == 0)
    fail(ErrorKind::invalid_argument, "feedback documents and terms must be at least 1");
  for (const float v : {options_.rocchio.alpha, options_.rocchio.beta, options_.rocchio.gamma}) {
    if (!std::isfinite(v)) fail(ErrorKind::invalid_argument, "rocchio weights must be finite");
  }
}

FeatureVector TermFeedback::document_vector(const index::DocLocation& at, bool ascii_only) const {
  thread_local std::unique_ptr<index::CorpusParser> parser;
  thread_local index::FieldLayout parser_layout = index::FieldLayout::flat;
  thread_local text::TermList terms;
  const index::FieldLayout layout = index_->settings().layout;
  if (!parser || parser_layout != layout) {
    parser = std::make_unique<index::CorpusParser>(layout);
    parser_layout = layout;
  }
  const std::string source = index_->stored_document(at);
  const index::ParsedDocument& doc = parser->parse_copy(source);
  terms.clear();
  index_->analyzer().analyze(doc.fields[field_], terms);
  // Term frequencies first (Anserini reads them from the term vector), then the filter per
  // distinct term.
  std::map<std::string, float, std::less<>> tf;
  for (std::size_t i = 0; i < terms.size(); ++i) {
    const auto it = tf.find(terms[i]);
    if (it == tf.end()) {
      tf.emplace(std::string(terms[i]), 1.0f);
    } else {
      it->second += 1.0f;
    }
  }
  const std::uint64_t num_docs = index_->num_docs();
  FeatureVector f;
  for (const auto& [t, freq] : tf) {
    std::uint64_t df = 0;
    for (const auto& seg : index_->segments()) {
      if (const auto e = seg->field(field_).terms.find(t)) df += seg->live_doc_freq(field_, *e);
    }
    if (keep_feedback_term(t, df, num_docs, ascii_only)) f.add(t, freq);
  }
  return f;
}

std::vector<WeightedTerm> TermFeedback::expand(std::span<const std::string> query_terms,
                                               std::span<const IndexHit> first) const {
  FeatureVector q;
  if (options_.kind == TermFeedbackKind::rm3) {
    const std::size_t n = std::min(options_.rm3.fb_docs, first.size());
    std::vector<FeatureVector> docs;
    std::vector<float> scores;
    for (std::size_t i = 0; i < n; ++i) {
      docs.push_back(document_vector(first[i].at, options_.rm3.filter_terms));
      scores.push_back(first[i].score);
    }
    q = rm3_query(query_terms, docs, scores, options_.rm3);
  } else {
    const auto& p = options_.rocchio;
    std::vector<FeatureVector> top, bottom;
    for (std::size_t i = 0; i < std::min(p.top_fb_docs, first.size()); ++i)
      top.push_back(document_vector(first[i].at, false));
    if (p.use_negative) {
      for (std::size_t i = 0; i < std::min(p.bottom_fb_docs, first.size()); ++i)
        bottom.push_back(document_vector(first[first.size() - 1 - i].at, false));
    }
    q = rocchio_query(query_terms, top, bottom, p);
  }
  return q.ordered();
}

std::string TermFeedback::settings_json() const {
  nlohmann::json j = {{"kind", std::string(to_string(options_.kind))},
                      {"field", field_name_},
                      {"depth", options_.depth}};
  if (options_.kind == TermFeedbackKind::rm3) {
    j["fb_docs"] = options_.rm3.fb_docs;
    j["fb_terms"] = options_.rm3.fb_terms;
    j["original_query_weight"] = options_.rm3.original_query_weight;
    j["filter_terms"] = options_.rm3.filter_terms;
  } else {
    const auto& p = options_.rocchio;
    j["top_fb_docs"] = p.top_fb_docs;
    j["top_fb_terms"] = p.top_fb_terms;
    j["bottom_fb_docs"] = p.bottom_fb_docs;
    j["bottom_fb_terms"] = p.bottom_fb_terms;
    j["alpha"] = p.alpha;
    j["beta"] = p.beta;
    j["gamma"] = p.gamma;
    j["use_negative"] = p.use_negative;
  }
  return j.dump();
}

void search_with_feedback(const Bm25Retriever& bm25, const TermFeedback& feedback,
                          std::string_view query, std::size_t k, SearchContext& ctx,
                          std::vector<IndexHit>& out) {
  bm25.analyze(query, ctx);
  std::vector<std::string> query_terms;
  query_terms.reserve(ctx.analyzed.size());
  for (std::size_t i = 0; i < ctx.analyzed.size(); ++i) query_terms.emplace_back(ctx.analyzed[i]);
  std::vector<IndexHit> first;
  bm25.search_terms(feedback.options().depth, ctx, first);
  ctx.terms = feedback.expand(query_terms, first);
  bm25.search_terms(k, ctx, out);
}

}  // namespace tandem::pipeline
