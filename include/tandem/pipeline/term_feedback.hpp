// Pseudo-relevance feedback for BM25: RM3 (Lavrenko & Croft 2001, "Relevance-based language
// models"; the RM3 variant of Abdul-Jaleel et al. 2004) and Rocchio (Rocchio 1971), both exactly as
// Anserini defines them (io.anserini.rerank.lib.Rm3Reranker / RocchioReranker and
// io.anserini.util.FeatureVector), so that `--rm3` reproduces Anserini's `-rm3` and `--rocchio`
// its `-rocchio`.
//
// The pieces, as Anserini computes them:
//   document vector   the term frequencies of a feedback document's analysed field (Anserini reads
//                     the stored term vector; we re-analyse the stored source with the index's
//                     analyzer, which gives the same terms), keeping a term only if it has 2..20
//                     UTF-16 code units, (RM3 with term filtering only) matches [a-z0-9]+, and
//                     occurs in at most 10% of the documents (df / numDocs <= 0.1, in float).
//   RM3               qfv = query term counts, L1-normalised; each of the top fbDocs document
//                     vectors is pruned to its fbTerms largest values, then
//                       rm(t) = sum_i tf_i(t) / |d_i|_1 * score_i   (|d_i|_1 after pruning,
//                                                                  documents with |d_i|_1 <= 0.001
//                                                                  skipped)
//                     pruned to fbTerms, L1-normalised; the query is
//                       q'(t) = w * qfv(t) + (1 - w) * rm(t),   w = originalQueryWeight.
//   Rocchio           q = query term counts, L2-normalised; mean(D) = sum_i d_i / |d_i|_2 / |D|
//                     over the top topFbDocs documents (and over the last bottomFbDocs of the
//                     first-stage list, the non-relevant ones, when gamma is used), pruned to
//                     fbTerms and L2-normalised; q'(t) = alpha q + beta mean(top) - gamma
//                     mean(bottom), keeping terms with q'(t) > 0.
// In both, every term of q' becomes a query term with weight q'(t) (Lucene's BoostQuery around a
// TermQuery) in a second BM25 search. Ties when pruning go to the smaller term (Anserini sorts by
// value, then term). The float / double steps follow Anserini's Java so that weights agree to the
// last bit where the summation order agrees.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/index/index_reader.hpp"
#include "tandem/pipeline/bm25_retriever.hpp"

namespace tandem::pipeline {

/// A sparse vector of terms (Anserini's FeatureVector), ordered by term so that every computation
/// over it is deterministic.
class FeatureVector {
 public:
  /// Counts of `terms` (Anserini's FeatureVector.fromTerms).
  static FeatureVector from_terms(std::span<const std::string> terms);
  /// Adds `value` to the term's value (inserting it at 0 first).
  void add(std::string_view term, float value);
  /// The value of a term, 0 if absent.
  float value(std::string_view term) const;
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  const std::map<std::string, float, std::less<>>& values() const { return values_; }

  /// Keeps the k largest values (ties: smaller term first).
  FeatureVector& prune_to_size(std::size_t k);
  double l1_norm() const;
  double l2_norm() const;
  FeatureVector& scale_to_unit_l1();
  FeatureVector& scale_to_unit_l2();
  /// x_weight * x + (1 - x_weight) * y over the union of terms (Anserini's interpolate).
  static FeatureVector interpolate(const FeatureVector& x, const FeatureVector& y, float x_weight);
  /// The terms by value descending, ties by term ascending.
  std::vector<WeightedTerm> ordered() const;

 private:
  std::map<std::string, float, std::less<>> values_;
};

/// Anserini's -rm3 options (defaults: -rm3.fbDocs 10 -rm3.fbTerms 10
/// -rm3.originalQueryWeight 0.5; term filtering on unless -rm3.noTermFilter).
struct Rm3Params {
  std::size_t fb_docs = 10;
  std::size_t fb_terms = 10;
  float original_query_weight = 0.5f;
  bool filter_terms = true;  // keep only [a-z0-9]+ feedback terms
};

/// Anserini's -rocchio options (defaults: topFbDocs 10, topFbTerms 10, bottomFbDocs 10,
/// bottomFbTerms 10, alpha 1, beta 0.75, gamma 0, no negative feedback).
struct RocchioParams {
  std::size_t top_fb_docs = 10;
  std::size_t top_fb_terms = 10;
  std::size_t bottom_fb_docs = 10;
  std::size_t bottom_fb_terms = 10;
  float alpha = 1.0f;
  float beta = 0.75f;
  float gamma = 0.0f;
  bool use_negative = false;  // Anserini's -rocchio.useNegative
};

/// Whether a term of a feedback document may become a feedback term: 2..20 UTF-16 code units,
/// [a-z0-9]+ when `ascii_only`, and df / num_docs <= 0.1 (computed in float, as Anserini does).
bool keep_feedback_term(std::string_view term, std::uint64_t doc_freq, std::uint64_t num_docs,
                        bool ascii_only);
/// Java's String.length() of a UTF-8 term: UTF-16 code units.
std::size_t utf16_length(std::string_view term);

/// RM3's feedback query from the query's analysed terms (with repeats), the filtered term
/// frequencies of the top documents (result order, at most fb_docs are used) and their
/// first-stage scores.
FeatureVector rm3_query(std::span<const std::string> query_terms,
                        std::span<const FeatureVector> doc_vectors, std::span<const float> scores,
                        const Rm3Params& params);
/// Rocchio's feedback query from the query's analysed terms, the filtered term frequencies of the
/// top documents (`top`, result order) and of the bottom ones (`bottom`, from the last document of
/// the first-stage list upwards; used only when params.use_negative).
FeatureVector rocchio_query(std::span<const std::string> query_terms,
                            std::span<const FeatureVector> top,
                            std::span<const FeatureVector> bottom, const RocchioParams& params);

enum class TermFeedbackKind { rm3, rocchio };
std::string_view to_string(TermFeedbackKind kind);

struct TermFeedbackOptions {
  TermFeedbackKind kind = TermFeedbackKind::rm3;
  Rm3Params rm3;
  RocchioParams rocchio;
  /// The field whose text gives the document vectors and whose df filters terms (Anserini:
  /// "contents"). Empty = "contents" if the index has it, else its first text field.
  std::string field;
  /// First-stage hits handed to feedback (Anserini's -rerankCutoff, default 50); Rocchio's
  /// bottom documents are the last of these.
  std::size_t depth = 50;
};

/// Runs feedback against one index: reads the feedback documents' stored sources, builds their
/// vectors and the expanded query. Immutable and thread-safe.
class TermFeedback {
 public:
  /// Throws Error(invalid_argument) for bad parameters, Error(not_found) for a missing field or an
  /// index without stored documents (feedback reads them).
  TermFeedback(std::shared_ptr<const index::IndexReader> index, TermFeedbackOptions options);

  const TermFeedbackOptions& options() const { return options_; }
  const std::string& field() const { return field_name_; }

  /// The filtered term frequencies of a document's feedback field.
  FeatureVector document_vector(const index::DocLocation& at, bool ascii_only) const;
  /// The expanded query for a query whose analysed terms (with repeats) are `query_terms` and whose
  /// first-stage hits are `first` (result order): weighted terms in order of weight descending,
  /// term ascending.
  std::vector<WeightedTerm> expand(std::span<const std::string> query_terms,
                                   std::span<const IndexHit> first) const;
  /// Settings as a JSON object string.
  std::string settings_json() const;

 private:
  std::shared_ptr<const index::IndexReader> index_;
  TermFeedbackOptions options_;
  std::size_t field_ = 0;
  std::string field_name_;
};

/// BM25 with term feedback: first stage (depth options.depth), feedback, second BM25 search of the
/// expanded query for the top `k`. Thread-safe; each thread passes its own SearchContext.
void search_with_feedback(const Bm25Retriever& bm25, const TermFeedback& feedback,
                          std::string_view query, std::size_t k, SearchContext& ctx,
                          std::vector<IndexHit>& out);

}  // namespace tandem::pipeline
