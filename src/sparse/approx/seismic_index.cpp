#include "tandem/sparse/approx/seismic_index.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numeric>
#include <random>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/sparse/query/query_buffers.hpp"

namespace tandem::sparse::approx {

float ForwardVectors::value(std::uint32_t impact) const {
  return float_impacts ? std::bit_cast<float>(impact) : static_cast<float>(impact);
}

namespace {

// Components of a centroid used for clustering: its heaviest few (besides the list's own term,
// which every document of the list shares). Seismic clusters with full vectors; a truncated
// centroid costs far less and the clustering only affects speed and recall, never exactness.
constexpr std::size_t kCentroidTerms = 8;

// One term's pruned, clustered list before concatenation.
struct ListBuild {
  std::vector<std::uint32_t> block_doc_counts;
  std::vector<DocId> docs;  // block after block
  std::vector<std::uint32_t> summary_sizes;
  std::vector<float> summary_steps;
  std::vector<TermId> summary_terms;
  std::vector<std::uint8_t> summary_values;
};

// Per-thread build scratch, indexed by TermId.
struct BuildScratch {
  std::vector<float> max_value;
  std::vector<std::uint32_t> slot_begin;  // centroid map: first triple of a term + 1, 0 = none
  std::vector<std::uint32_t> touched;
  std::vector<std::tuple<TermId, std::uint32_t, float>> triples;  // (term, centroid, value)
  std::vector<float> acc;
  std::vector<std::pair<float, TermId>> comps;
};

struct Posting {
  DocId doc;
  float value;
};

void build_summary(const ForwardVectors& f, std::span<const DocId> docs, float energy,
                   BuildScratch& s, ListBuild& out) {
  s.touched.clear();
  for (const DocId d : docs) {
    for (std::uint64_t p = f.doc_starts[d]; p < f.doc_starts[d + 1]; ++p) {
      const TermId t = f.terms[p];
      const float v = f.value(f.impacts[p]);
      if (s.max_value[t] == 0.0f) s.touched.push_back(t);
      s.max_value[t] = std::max(s.max_value[t], v);
    }
  }
  // Codes round up: code x step >= value, so full summaries stay upper bounds. Pruning keeps the
  // components of the largest codes holding `energy` of the mass: a 256-bucket histogram instead
  // of a sort (the codes are what the summary stores anyway).
  float top = 0.0f;
  for (const TermId t : s.touched) top = std::max(top, s.max_value[t]);
  const float step = top > 0 ? top / 255.0f * (1.0f + 1e-6f) : 1.0f;
  std::array<double, 256> mass{};
  double total = 0;
  s.comps.clear();
  for (const TermId t : s.touched) {
    const float v = s.max_value[t];
    s.max_value[t] = 0.0f;
    auto code = static_cast<std::uint32_t>(std::ceil(v / step));
    while (code < 255 && static_cast<float>(code) * step < v) ++code;
    code = std::clamp<std::uint32_t>(code, 1, 255);
    s.comps.emplace_back(static_cast<float>(code), t);
    mass[code] += v;
    total += v;
  }
  std::uint32_t min_code = 0;
  if (energy < 1.0f) {
    double acc = 0;
    for (min_code = 255; min_code > 1; --min_code) {
      acc += mass[min_code];
      if (acc >= energy * total) break;
    }
  }
  std::size_t keep = 0;
  for (const auto& [code, t] : s.comps) {
    if (static_cast<std::uint32_t>(code) < min_code) continue;
    out.summary_terms.push_back(t);
    out.summary_values.push_back(static_cast<std::uint8_t>(code));
    ++keep;
  }
  out.summary_sizes.push_back(static_cast<std::uint32_t>(keep));
  out.summary_steps.push_back(step);
}

// Assigns each posting to the centroid (a sampled document of the list) with the largest dot
// product over the centroid's heaviest components; returns the centroid of each posting.
std::vector<std::uint32_t> cluster(const ForwardVectors& f, TermId list_term,
                                   std::span<const Posting> list, std::uint32_t n_centroids,
                                   std::uint64_t seed, BuildScratch& s) {
  std::vector<std::uint32_t> assign(list.size(), 0);
  if (n_centroids <= 1) return assign;
  std::mt19937_64 rng(seed ^ (0x9E3779B97F4A7C15ull * (list_term + 1)));
  std::vector<std::uint32_t> positions(list.size());
  std::iota(positions.begin(), positions.end(), 0u);
  for (std::uint32_t i = 0; i < n_centroids; ++i) {  // partial Fisher-Yates
    std::uniform_int_distribution<std::size_t> pick(i, positions.size() - 1);
    std::swap(positions[i], positions[pick(rng)]);
  }
  s.triples.clear();
  for (std::uint32_t c = 0; c < n_centroids; ++c) {
    const DocId d = list[positions[c]].doc;
    s.comps.clear();
    for (std::uint64_t p = f.doc_starts[d]; p < f.doc_starts[d + 1]; ++p) {
      if (f.terms[p] != list_term) s.comps.emplace_back(f.value(f.impacts[p]), f.terms[p]);
    }
    const std::size_t n = std::min(kCentroidTerms, s.comps.size());
    std::partial_sort(s.comps.begin(), s.comps.begin() + static_cast<std::ptrdiff_t>(n),
                      s.comps.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; i < n; ++i)
      s.triples.emplace_back(s.comps[i].second, c, s.comps[i].first);
  }
  std::sort(s.triples.begin(), s.triples.end());
  for (std::uint32_t i = static_cast<std::uint32_t>(s.triples.size()); i-- > 0;)
    s.slot_begin[std::get<0>(s.triples[i])] = i + 1;
  s.acc.assign(n_centroids, 0.0f);
  std::vector<std::uint32_t> hit;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const DocId d = list[i].doc;
    hit.clear();
    for (std::uint64_t p = f.doc_starts[d]; p < f.doc_starts[d + 1]; ++p) {
      const std::uint32_t first = s.slot_begin[f.terms[p]];
      if (first == 0) continue;
      const float v = f.value(f.impacts[p]);
      for (std::uint32_t j = first - 1;
           j < s.triples.size() && std::get<0>(s.triples[j]) == f.terms[p]; ++j) {
        const std::uint32_t c = std::get<1>(s.triples[j]);
        if (s.acc[c] == 0.0f) hit.push_back(c);
        s.acc[c] += v * std::get<2>(s.triples[j]);
      }
    }
    std::uint32_t best = static_cast<std::uint32_t>(i % n_centroids);  // no shared component
    float best_score = 0.0f;
    for (const std::uint32_t c : hit) {
      if (s.acc[c] > best_score || (s.acc[c] == best_score && c < best)) {
        best_score = s.acc[c];
        best = c;
      }
      s.acc[c] = 0.0f;
    }
    assign[i] = best;
  }
  for (const auto& t : s.triples) s.slot_begin[std::get<0>(t)] = 0;
  return assign;
}

ListBuild build_list(const ForwardVectors& f, TermId term, std::vector<Posting> list,
                     const SeismicBuildParams& params, BuildScratch& s) {
  ListBuild out;
  if (list.empty()) return out;
  if (params.n_postings > 0 && list.size() > params.n_postings) {
    const auto by_value = [](const Posting& a, const Posting& b) {
      return a.value > b.value || (a.value == b.value && a.doc < b.doc);
    };
    std::nth_element(list.begin(), list.begin() + params.n_postings, list.end(), by_value);
    list.resize(params.n_postings);
  }
  const auto n_centroids = static_cast<std::uint32_t>(
      std::clamp<double>(std::ceil(params.centroid_fraction * static_cast<double>(list.size())),
                         1.0, static_cast<double>(list.size())));
  const auto assign = cluster(f, term, list, n_centroids, params.seed, s);
  // Blocks in centroid order, documents ascending inside each.
  std::vector<std::uint32_t> order(list.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return assign[a] < assign[b] || (assign[a] == assign[b] && list[a].doc < list[b].doc);
  });
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    const std::size_t first_doc = out.docs.size();
    while (j < order.size() && assign[order[j]] == assign[order[i]])
      out.docs.push_back(list[order[j++]].doc);
    out.block_doc_counts.push_back(static_cast<std::uint32_t>(j - i));
    build_summary(f, std::span<const DocId>(out.docs).subspan(first_doc), params.summary_energy, s,
                  out);
    i = j;
  }
  return out;
}

}  // namespace

SeismicIndex SeismicIndex::build(ForwardVectors forward, const SeismicBuildParams& params) {
  if (!(params.centroid_fraction > 0.0f && params.centroid_fraction <= 1.0f))
    fail(ErrorKind::invalid_argument, "centroid_fraction must be in (0, 1], not {}",
         params.centroid_fraction);
  if (!(params.summary_energy > 0.0f && params.summary_energy <= 1.0f))
    fail(ErrorKind::invalid_argument, "summary_energy must be in (0, 1], not {}",
         params.summary_energy);
  SeismicIndex index;
  index.forward_ = std::move(forward);
  const ForwardVectors& f = index.forward_;
  const std::uint32_t num_terms = f.num_terms;
  // Invert the forward index into per-term lists (documents ascending).
  std::vector<std::uint64_t> starts(num_terms + 1, 0);
  for (const TermId t : f.terms) ++starts[t + 1];
  std::partial_sum(starts.begin(), starts.end(), starts.begin());
  std::vector<Posting> postings(f.terms.size());
  {
    std::vector<std::uint64_t> at(starts.begin(), starts.end() - 1);
    for (DocId d = 0; d < f.num_docs(); ++d) {
      for (std::uint64_t p = f.doc_starts[d]; p < f.doc_starts[d + 1]; ++p)
        postings[at[f.terms[p]]++] = Posting{d, f.value(f.impacts[p])};
    }
  }
  const unsigned threads = resolve_threads(params.threads);
  std::vector<BuildScratch> scratch(threads);
  for (auto& s : scratch) {
    s.max_value.assign(num_terms, 0.0f);
    s.slot_begin.assign(num_terms, 0);
  }
  std::vector<ListBuild> lists(num_terms);
  parallel_for(
      num_terms, threads,
      [&](std::size_t t, unsigned w) {
        std::vector<Posting> list(postings.begin() + static_cast<std::ptrdiff_t>(starts[t]),
                                  postings.begin() + static_cast<std::ptrdiff_t>(starts[t + 1]));
        lists[t] = build_list(f, static_cast<TermId>(t), std::move(list), params, scratch[w]);
      },
      16);
  postings = {};
  index.list_blocks_.assign(num_terms + 1, 0);
  for (std::uint32_t t = 0; t < num_terms; ++t) {
    ListBuild& l = lists[t];
    std::uint64_t doc_at = index.block_docs_.size();
    std::uint64_t sum_at = index.summary_terms_.size();
    for (std::size_t b = 0; b < l.block_doc_counts.size(); ++b) {
      index.blocks_.push_back(
          Block{sum_at, l.summary_sizes[b], l.summary_steps[b], doc_at, l.block_doc_counts[b]});
      doc_at += l.block_doc_counts[b];
      sum_at += l.summary_sizes[b];
    }
    index.block_docs_.insert(index.block_docs_.end(), l.docs.begin(), l.docs.end());
    index.summary_terms_.insert(index.summary_terms_.end(), l.summary_terms.begin(),
                                l.summary_terms.end());
    index.summary_values_.insert(index.summary_values_.end(), l.summary_values.begin(),
                                 l.summary_values.end());
    index.list_blocks_[t + 1] = index.blocks_.size();
    l = ListBuild{};
  }
  return index;
}

void SeismicIndex::score_block(const Block& b, std::span<const SeismicQueryTerm> query, TopK& top,
                               SeismicScratch& s, DeletedDocs deleted) const {
  const ForwardVectors& f = forward_;
  const auto contributions = std::span<float>(s.contributions);
  for (std::uint64_t i = b.docs_begin; i < b.docs_begin + b.docs_size; ++i) {
    const DocId d = block_docs_[i];
    if (s.visited[d] == s.epoch) continue;
    s.visited[d] = s.epoch;
    if (deleted.contains(d)) continue;
    for (std::uint64_t p = f.doc_starts[d]; p < f.doc_starts[d + 1]; ++p) {
      const std::uint32_t slot = s.query_slot[f.terms[p]];
      if (slot == 0) continue;
      // The same float expression as the exact scorers (ImpactScorer, FloatImpactScorer).
      contributions[slot - 1] = query[slot - 1].weight * f.value(f.impacts[p]);
    }
    ++s.documents_scored;
    top.insert(d, take_document_score(contributions));
  }
}

void SeismicIndex::search(std::span<const SeismicQueryTerm> query,
                          const SeismicSearchParams& params, TopK& top, SeismicScratch& s,
                          DeletedDocs deleted) const {
  if (query.empty() || top.capacity() == 0) return;
  const ForwardVectors& f = forward_;
  if (s.query_slot.size() < f.num_terms) {
    s.query_weight.assign(f.num_terms, 0.0f);
    s.query_slot.assign(f.num_terms, 0);
  }
  if (s.visited.size() < f.num_docs()) s.visited.assign(f.num_docs(), 0);
  if (++s.epoch == 0) {
    std::fill(s.visited.begin(), s.visited.end(), 0);
    s.epoch = 1;
  }
  for (std::size_t i = 0; i < query.size(); ++i) {
    s.query_weight[query[i].term] = query[i].weight;
    s.query_slot[query[i].term] = static_cast<std::uint32_t>(i + 1);
  }
  s.contributions.assign(query.size(), 0.0f);
  s.cut.resize(query.size());
  std::iota(s.cut.begin(), s.cut.end(), 0u);
  std::stable_sort(s.cut.begin(), s.cut.end(), [&](std::uint32_t a, std::uint32_t b) {
    return query[a].weight > query[b].weight;
  });
  if (params.query_cut > 0 && s.cut.size() > params.query_cut) s.cut.resize(params.query_cut);
  // A summary score below this fraction of the threshold skips the block; the slack absorbs the
  // float rounding of the products (each within 2^-24 relative) so exact mode stays exact.
  const double factor = static_cast<double>(params.heap_factor) / (1.0 + 1e-5);
  for (const std::uint32_t qi : s.cut) {
    if (!(query[qi].weight > 0)) continue;
    const TermId t = query[qi].term;
    s.block_scores.clear();
    for (std::uint64_t b = list_blocks_[t]; b < list_blocks_[t + 1]; ++b) {
      const Block& block = blocks_[b];
      double ub = 0;
      for (std::uint64_t j = block.summary_begin; j < block.summary_begin + block.summary_size; ++j)
        ub += static_cast<double>(s.query_weight[summary_terms_[j]]) * summary_values_[j];
      s.block_scores.emplace_back(static_cast<float>(ub * block.summary_step),
                                  static_cast<std::uint32_t>(b));
    }
    std::sort(s.block_scores.begin(), s.block_scores.end(), [](const auto& a, const auto& b) {
      return a.first > b.first || (a.first == b.first && a.second < b.second);
    });
    for (const auto& [ub, b] : s.block_scores) {
      if (top.full() && static_cast<double>(ub) < factor * top.threshold()) break;
      ++s.blocks_evaluated;
      score_block(blocks_[b], query, top, s, deleted);
    }
  }
  for (const SeismicQueryTerm& q : query) {
    s.query_weight[q.term] = 0.0f;
    s.query_slot[q.term] = 0;
  }
}

std::size_t SeismicIndex::memory_bytes() const {
  return forward_.doc_starts.capacity() * sizeof(std::uint64_t) +
         forward_.terms.capacity() * sizeof(TermId) +
         forward_.impacts.capacity() * sizeof(std::uint32_t) +
         list_blocks_.capacity() * sizeof(std::uint64_t) + blocks_.capacity() * sizeof(Block) +
         block_docs_.capacity() * sizeof(DocId) + summary_terms_.capacity() * sizeof(TermId) +
         summary_values_.capacity();
}

}  // namespace tandem::sparse::approx
