// A synthetic Zipfian collection for the sparse micro-benchmarks: documents of passage-like length
// whose tokens follow Zipf's law over a large vocabulary with the most frequent ranks removed (as a
// stopword list would), inverted into posting lists and encoded with tandem's encoder.
//
// Deterministic for given parameters (seeded std::mt19937_64); ~10 s to build 1M documents.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/posting_list.hpp"
#include "tandem/sparse/query_term.hpp"

namespace tandem::bench {

struct SyntheticParams {
  std::uint32_t num_docs = 1'000'000;
  std::uint32_t vocabulary = 1'000'000;  // Zipf ranks
  double zipf_exponent = 1.0;
  std::uint32_t stopwords = 30;   // most frequent ranks never indexed
  double mean_log_length = 3.55;  // lognormal document length: mean ~ 40 tokens
  double sigma_log_length = 0.5;
  std::uint32_t num_queries = 1000;
  std::uint32_t min_query_terms = 2;
  std::uint32_t max_query_terms = 8;
  std::uint64_t seed = 1;
};

/// Walker/Vose alias table: O(1) samples from a discrete distribution.
class AliasSampler {
 public:
  explicit AliasSampler(const std::vector<double>& weights)
      : prob_(weights.size()), alias_(weights.size()) {
    const std::size_t n = weights.size();
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> scaled(n);
    std::vector<std::uint32_t> small, large;
    for (std::size_t i = 0; i < n; ++i) {
      scaled[i] = weights[i] * static_cast<double>(n) / total;
      (scaled[i] < 1 ? small : large).push_back(static_cast<std::uint32_t>(i));
    }
    while (!small.empty() && !large.empty()) {
      const std::uint32_t s = small.back(), l = large.back();
      small.pop_back();
      prob_[s] = scaled[s];
      alias_[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) {
        large.pop_back();
        small.push_back(l);
      }
    }
    for (std::uint32_t i : large) prob_[i] = 1;
    for (std::uint32_t i : small) prob_[i] = 1;
  }
  std::uint32_t operator()(std::mt19937_64& rng) const {
    const std::uint64_t r = rng();
    const auto i = static_cast<std::uint32_t>((r >> 32) % prob_.size());
    const double u = static_cast<double>(r & 0xFFFFFFFF) / 4294967296.0;
    return u < prob_[i] ? i : alias_[i];
  }

 private:
  std::vector<double> prob_;
  std::vector<std::uint32_t> alias_;
};

struct SyntheticIndex {
  SyntheticParams params;
  std::vector<std::uint32_t> lengths;  // per document (indexed tokens)
  std::vector<std::uint8_t> norms;
  // Inverted lists in CSR form: term t's postings are [term_begin[t], term_begin[t + 1]).
  std::vector<std::uint64_t> term_begin;
  std::vector<DocId> docs;
  std::vector<std::uint32_t> freqs;
  // Encoded lists.
  std::vector<std::byte> postings;
  std::vector<std::uint64_t> offsets;
  std::vector<sparse::PostingListSummary> summaries;
  // Queries: distinct term ids with their counts (Anserini's boosts).
  struct Query {
    std::vector<std::uint32_t> terms;
    std::vector<float> weights;
  };
  std::vector<Query> queries;

  std::uint32_t doc_freq(std::uint32_t t) const {
    return static_cast<std::uint32_t>(term_begin[t + 1] - term_begin[t]);
  }
  std::uint64_t sum_total_term_freq() const {
    std::uint64_t n = 0;
    for (auto l : lengths) n += l;
    return n;
  }

  std::vector<sparse::QueryTerm> query_terms(const sparse::Bm25Model& model, const Query& q) const {
    std::vector<sparse::QueryTerm> out;
    for (std::size_t i = 0; i < q.terms.size(); ++i) {
      sparse::QueryTerm t;
      t.postings = postings;
      t.offset = offsets[q.terms[i]];
      t.summary = summaries[q.terms[i]];
      t.scorer =
          model.term_scorer(doc_freq(q.terms[i]), q.weights[i], sparse::DocLengths{norms, lengths});
      out.push_back(t);
    }
    return out;
  }

  /// Writes the collection as Anserini JSONL ({"id": "d<doc>", "contents": "t<term> ..."}) and the
  /// queries as TSV (q<i> TAB terms), for running the Lucene peer on exactly the same data with its
  /// whitespace analyzer.
  void write_for_lucene(const std::string& dir) const {
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> by_doc(lengths.size());
    for (std::uint32_t t = 0; t + 1 < term_begin.size(); ++t) {
      for (std::uint64_t i = term_begin[t]; i < term_begin[t + 1]; ++i)
        by_doc[docs[i]].push_back({t, freqs[i]});
    }
    std::ofstream corpus(dir + "/corpus.jsonl");
    for (std::size_t d = 0; d < by_doc.size(); ++d) {
      corpus << "{\"id\": \"d" << d << "\", \"contents\": \"";
      bool first = true;
      for (auto [t, f] : by_doc[d]) {
        for (std::uint32_t i = 0; i < f; ++i) {
          corpus << (first ? "" : " ") << 't' << t;
          first = false;
        }
      }
      corpus << "\"}\n";
    }
    std::ofstream topics(dir + "/queries.tsv");
    for (std::size_t q = 0; q < queries.size(); ++q) {
      topics << 'q' << q << '\t';
      for (std::size_t i = 0; i < queries[q].terms.size(); ++i) {
        for (int c = 0; c < static_cast<int>(queries[q].weights[i]); ++c)
          topics << (i + c ? " " : "") << 't' << queries[q].terms[i];
      }
      topics << '\n';
    }
  }
};

inline void encode_lists(SyntheticIndex& ix) {
  const auto num_docs = static_cast<std::uint32_t>(ix.lengths.size());
  const auto vocabulary = static_cast<std::uint32_t>(ix.term_begin.size() - 1);
  ix.norms.resize(num_docs);
  for (std::uint32_t d = 0; d < num_docs; ++d) ix.norms[d] = sparse::lucene_norm(ix.lengths[d]);
  ix.offsets.assign(vocabulary, 0);
  ix.summaries.assign(vocabulary, {});
  std::vector<std::byte> scratch;
  for (std::uint32_t t = 0; t < vocabulary; ++t) {
    if (ix.doc_freq(t) == 0) continue;
    scratch.clear();
    const std::uint64_t b = ix.term_begin[t];
    const sparse::PostingListInput in{
        {ix.docs.data() + b, ix.doc_freq(t)}, {ix.freqs.data() + b, ix.doc_freq(t)}, ix.norms};
    ix.summaries[t] = sparse::encode_posting_list(in, scratch);
    ix.offsets[t] = ix.postings.size();
    ix.postings.insert(ix.postings.end(), scratch.begin(), scratch.end());
  }
}

inline SyntheticIndex build_synthetic_index(const SyntheticParams& p) {
  SyntheticIndex ix;
  ix.params = p;
  std::mt19937_64 rng(p.seed);
  std::vector<double> weights(p.vocabulary);
  for (std::uint32_t r = 0; r < p.vocabulary; ++r) {
    weights[r] =
        r < p.stopwords ? 0.0 : 1.0 / std::pow(static_cast<double>(r + 1), p.zipf_exponent);
  }
  const AliasSampler sample(weights);
  std::lognormal_distribution<double> length_dist(p.mean_log_length, p.sigma_log_length);

  // Documents as (term, freq) runs, then a counting sort by term.
  std::vector<std::uint64_t> doc_begin(p.num_docs + 1, 0);
  std::vector<std::uint32_t> pair_term;
  std::vector<std::uint32_t> pair_freq;
  std::vector<std::uint32_t> tokens;
  ix.lengths.resize(p.num_docs);
  for (std::uint32_t d = 0; d < p.num_docs; ++d) {
    const auto len = static_cast<std::uint32_t>(std::clamp(length_dist(rng), 3.0, 400.0));
    ix.lengths[d] = len;
    tokens.resize(len);
    for (auto& t : tokens) t = sample(rng);
    std::sort(tokens.begin(), tokens.end());
    for (std::size_t i = 0; i < tokens.size();) {
      std::size_t j = i;
      while (j < tokens.size() && tokens[j] == tokens[i]) ++j;
      pair_term.push_back(tokens[i]);
      pair_freq.push_back(static_cast<std::uint32_t>(j - i));
      i = j;
    }
    doc_begin[d + 1] = pair_term.size();
  }
  ix.term_begin.assign(p.vocabulary + 1, 0);
  for (std::uint32_t t : pair_term) ++ix.term_begin[t + 1];
  for (std::uint32_t t = 0; t < p.vocabulary; ++t) ix.term_begin[t + 1] += ix.term_begin[t];
  ix.docs.resize(pair_term.size());
  ix.freqs.resize(pair_term.size());
  std::vector<std::uint64_t> fill(ix.term_begin.begin(), ix.term_begin.end() - 1);
  for (std::uint32_t d = 0; d < p.num_docs; ++d) {
    for (std::uint64_t i = doc_begin[d]; i < doc_begin[d + 1]; ++i) {
      const std::uint64_t at = fill[pair_term[i]]++;
      ix.docs[at] = d;
      ix.freqs[at] = pair_freq[i];
    }
  }

  encode_lists(ix);

  // Queries: terms drawn by collection frequency (what a query log looks like after stopping),
  // repeats merged into counts.
  std::uniform_int_distribution<std::uint32_t> query_len(p.min_query_terms, p.max_query_terms);
  for (std::uint32_t q = 0; q < p.num_queries; ++q) {
    std::vector<std::uint32_t> drawn;
    const std::uint32_t m = query_len(rng);
    while (drawn.size() < m) {
      const std::uint32_t t = sample(rng);
      if (ix.doc_freq(t) > 0) drawn.push_back(t);
    }
    std::sort(drawn.begin(), drawn.end());
    SyntheticIndex::Query query;
    for (std::size_t i = 0; i < drawn.size();) {
      std::size_t j = i;
      while (j < drawn.size() && drawn[j] == drawn[i]) ++j;
      query.terms.push_back(drawn[i]);
      query.weights.push_back(static_cast<float>(j - i));
      i = j;
    }
    ix.queries.push_back(query);
  }
  return ix;
}

/// Loads a pre-tokenized collection (bench/macro/pretokenize.py): corpus lines "id TAB tokens",
/// query lines "qid TAB tokens". Documents are numbered in file order; query tokens missing from
/// the collection are dropped, repeats merged into counts; queries left empty are skipped.
inline SyntheticIndex load_tokenized_index(const std::string& corpus_path,
                                           const std::string& queries_path) {
  SyntheticIndex ix;
  std::unordered_map<std::string, std::uint32_t> vocab;
  std::vector<std::uint32_t> pair_term, pair_freq;
  std::vector<std::uint64_t> doc_begin = {0};
  std::ifstream corpus(corpus_path);
  std::string line;
  std::vector<std::uint32_t> tokens;
  while (std::getline(corpus, line)) {
    const std::size_t tab = line.find('\t');
    tokens.clear();
    for (std::size_t i = tab + 1; i < line.size();) {
      std::size_t j = line.find(' ', i);
      if (j == std::string::npos) j = line.size();
      if (j > i)
        tokens.push_back(
            vocab.try_emplace(line.substr(i, j - i), static_cast<std::uint32_t>(vocab.size()))
                .first->second);
      i = j + 1;
    }
    std::sort(tokens.begin(), tokens.end());
    for (std::size_t i = 0; i < tokens.size();) {
      std::size_t j = i;
      while (j < tokens.size() && tokens[j] == tokens[i]) ++j;
      pair_term.push_back(tokens[i]);
      pair_freq.push_back(static_cast<std::uint32_t>(j - i));
      i = j;
    }
    ix.lengths.push_back(static_cast<std::uint32_t>(tokens.size()));
    doc_begin.push_back(pair_term.size());
  }
  const auto vocabulary = static_cast<std::uint32_t>(vocab.size());
  ix.term_begin.assign(vocabulary + 1, 0);
  for (std::uint32_t t : pair_term) ++ix.term_begin[t + 1];
  for (std::uint32_t t = 0; t < vocabulary; ++t) ix.term_begin[t + 1] += ix.term_begin[t];
  ix.docs.resize(pair_term.size());
  ix.freqs.resize(pair_term.size());
  std::vector<std::uint64_t> fill(ix.term_begin.begin(), ix.term_begin.end() - 1);
  for (std::size_t d = 0; d + 1 < doc_begin.size(); ++d) {
    for (std::uint64_t i = doc_begin[d]; i < doc_begin[d + 1]; ++i) {
      const std::uint64_t at = fill[pair_term[i]]++;
      ix.docs[at] = static_cast<DocId>(d);
      ix.freqs[at] = pair_freq[i];
    }
  }
  encode_lists(ix);
  std::ifstream queries(queries_path);
  while (std::getline(queries, line)) {
    const std::size_t tab = line.find('\t');
    std::vector<std::uint32_t> drawn;
    for (std::size_t i = tab + 1; i < line.size();) {
      std::size_t j = line.find(' ', i);
      if (j == std::string::npos) j = line.size();
      const auto it = vocab.find(line.substr(i, j - i));
      if (it != vocab.end()) drawn.push_back(it->second);
      i = j + 1;
    }
    std::sort(drawn.begin(), drawn.end());
    SyntheticIndex::Query query;
    for (std::size_t i = 0; i < drawn.size();) {
      std::size_t j = i;
      while (j < drawn.size() && drawn[j] == drawn[i]) ++j;
      query.terms.push_back(drawn[i]);
      query.weights.push_back(static_cast<float>(j - i));
      i = j;
    }
    ix.queries.push_back(query);  // possibly empty: keeps query i = line i
  }
  return ix;
}

}  // namespace tandem::bench
