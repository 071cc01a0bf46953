#include "tandem/sparse/approx/seismic_index.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <mutex>
#include <numeric>
#include <random>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"

#include "seismic_storage.hpp"

namespace tandem::sparse::approx {

float ForwardVectors::value(std::uint32_t impact) const {
  return float_impacts ? std::bit_cast<float>(impact) : static_cast<float>(impact);
}

namespace {

// Components of a document used for clustering: its heaviest few (besides the list's own term,
// which every document of the list shares). Seismic clusters with full vectors; truncated vectors
// on both sides cost far less, and the clustering only affects speed and recall, never exactness.
constexpr std::uint32_t kSignatureTerms = 8;

// Every document's kSignatureTerms heaviest components (value desc, term asc), padded with
// value 0.
struct Signatures {
  std::vector<TermId> terms;
  std::vector<float> values;
};

Signatures make_signatures(const ForwardVectors& f, unsigned threads) {
  Signatures s;
  const std::size_t n = f.num_docs();
  s.terms.assign(n * kSignatureTerms, 0);
  s.values.assign(n * kSignatureTerms, 0.0f);
  std::vector<std::vector<std::pair<float, TermId>>> scratch(threads);
  parallel_for(
      n, threads,
      [&](std::size_t d, unsigned w) {
        auto& comps = scratch[w];
        comps.clear();
        for (std::uint64_t p = f.doc_starts[d]; p < f.doc_starts[d + 1]; ++p)
          comps.emplace_back(f.value(f.impacts[p]), f.terms[p]);
        const std::size_t m = std::min<std::size_t>(kSignatureTerms, comps.size());
        std::partial_sort(comps.begin(), comps.begin() + static_cast<std::ptrdiff_t>(m),
                          comps.end(), [](const auto& a, const auto& b) {
                            return a.first > b.first || (a.first == b.first && a.second < b.second);
                          });
        for (std::size_t i = 0; i < m; ++i) {
          s.terms[d * kSignatureTerms + i] = comps[i].second;
          s.values[d * kSignatureTerms + i] = comps[i].first;
        }
      },
      1024);
  return s;
}

// One term's pruned, clustered list with its inverted summaries, before concatenation.
struct ListBuild {
  std::vector<std::uint32_t> block_doc_counts;
  std::vector<DocId> docs;  // block after block
  std::vector<float> steps;
  std::vector<TermId> component_terms;
  std::vector<std::uint32_t> component_counts;
  std::vector<std::uint16_t> entry_blocks;
  std::vector<std::uint8_t> entry_codes;
};

// Per-thread build scratch, indexed by TermId.
struct BuildScratch {
  std::vector<float> max_value;
  std::vector<std::uint32_t> slot_begin;  // centroid map: first triple of a term + 1, 0 = none
  std::vector<TermId> touched;
  std::vector<std::uint8_t> codes;                                // per touched term
  std::vector<std::tuple<TermId, std::uint32_t, float>> triples;  // (term, centroid, value)
  std::vector<float> acc;
  std::vector<std::uint32_t> hit;
  std::vector<std::uint64_t> entries;  // term << 24 | block << 8 | code: sorts by term, block
};

struct Posting {
  DocId doc;
  float value;
};

// The summary of one block: the component-wise maximum of its documents, quantised to codes
// rounded up (code x step >= value, so full summaries are upper bounds), pruned to the largest
// codes holding `energy` of the mass (alpha). Appends (term, block, code) entries.
void build_summary(const ForwardVectors& f, std::span<const DocId> docs, std::uint16_t block,
                   float energy, BuildScratch& s, ListBuild& out) {
  s.touched.clear();
  for (const DocId d : docs) {
    for (std::uint64_t p = f.doc_starts[d]; p < f.doc_starts[d + 1]; ++p) {
      const TermId t = f.terms[p];
      const float v = f.value(f.impacts[p]);
      if (s.max_value[t] == 0.0f) s.touched.push_back(t);
      s.max_value[t] = std::max(s.max_value[t], v);
    }
  }
  float top = 0.0f;
  for (const TermId t : s.touched) top = std::max(top, s.max_value[t]);
  const float step = top > 0 ? top / 255.0f * (1.0f + 1e-6f) : 1.0f;
  // The codes' mass per code value: a 256-bucket histogram instead of a sort.
  std::array<double, 256> mass{};
  double total = 0;
  s.codes.resize(s.touched.size());
  for (std::size_t i = 0; i < s.touched.size(); ++i) {
    const float v = s.max_value[s.touched[i]];
    auto code = static_cast<std::uint32_t>(std::ceil(v / step));
    while (code < 255 && static_cast<float>(code) * step < v) ++code;
    code = std::clamp<std::uint32_t>(code, 1, 255);
    s.codes[i] = static_cast<std::uint8_t>(code);
    mass[code] += v;
    total += v;
  }
  // Codes above min_code are kept; at min_code only as many (in first-seen order) as the mass
  // needs.
  std::uint32_t min_code = 1;
  double at_min_budget = 1e300;
  if (energy < 1.0f) {
    double acc = 0;
    for (min_code = 255; min_code > 1; --min_code) {
      if (acc + mass[min_code] >= energy * total) break;
      acc += mass[min_code];
    }
    at_min_budget = energy * total - acc;
  }
  for (std::size_t i = 0; i < s.touched.size(); ++i) {
    const TermId t = s.touched[i];
    const float v = s.max_value[t];
    s.max_value[t] = 0.0f;
    const std::uint32_t code = s.codes[i];
    if (code < min_code) continue;
    if (code == min_code) {
      if (at_min_budget <= 0) continue;
      at_min_budget -= v;
    }
    s.entries.push_back(std::uint64_t{t} << 24 | std::uint64_t{block} << 8 | code);
  }
  out.steps.push_back(step);
}

// Assigns each posting to the centroid (a sampled document of the list) with the largest dot
// product of signatures (one round of Seismic's shallow k-means); returns the centroid of each.
std::vector<std::uint32_t> cluster(const Signatures& sig, TermId list_term,
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
    const std::size_t base = std::size_t{list[positions[c]].doc} * kSignatureTerms;
    for (std::uint32_t i = 0; i < kSignatureTerms; ++i) {
      if (sig.values[base + i] > 0 && sig.terms[base + i] != list_term)
        s.triples.emplace_back(sig.terms[base + i], c, sig.values[base + i]);
    }
  }
  std::sort(s.triples.begin(), s.triples.end());
  for (std::uint32_t i = static_cast<std::uint32_t>(s.triples.size()); i-- > 0;)
    s.slot_begin[std::get<0>(s.triples[i])] = i + 1;
  s.acc.assign(n_centroids, 0.0f);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::size_t base = std::size_t{list[i].doc} * kSignatureTerms;
    s.hit.clear();
    for (std::uint32_t k = 0; k < kSignatureTerms; ++k) {
      const float v = sig.values[base + k];
      if (!(v > 0)) break;
      const TermId term = sig.terms[base + k];
      const std::uint32_t first = s.slot_begin[term];
      if (first == 0) continue;
      for (std::uint32_t j = first - 1; j < s.triples.size() && std::get<0>(s.triples[j]) == term;
           ++j) {
        const std::uint32_t c = std::get<1>(s.triples[j]);
        if (s.acc[c] == 0.0f) s.hit.push_back(c);
        s.acc[c] += v * std::get<2>(s.triples[j]);
      }
    }
    std::uint32_t best = static_cast<std::uint32_t>(i % n_centroids);  // no shared component
    float best_score = 0.0f;
    for (const std::uint32_t c : s.hit) {
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

ListBuild build_list(const ForwardVectors& f, const Signatures& sig, TermId term,
                     std::vector<Posting> list, const SeismicBuildParams& params, BuildScratch& s) {
  ListBuild out;
  if (list.empty()) return out;
  if (params.n_postings > 0 && list.size() > params.n_postings) {
    const auto by_value = [](const Posting& a, const Posting& b) {
      return a.value > b.value || (a.value == b.value && a.doc < b.doc);
    };
    std::nth_element(list.begin(), list.begin() + params.n_postings, list.end(), by_value);
    list.resize(params.n_postings);
  }
  const auto n_centroids = static_cast<std::uint32_t>(std::clamp<double>(
      std::ceil(params.centroid_fraction * static_cast<double>(list.size())), 1.0,
      std::min<double>(static_cast<double>(list.size()), kMaxBlocksPerList)));
  const auto assign = cluster(sig, term, list, n_centroids, params.seed, s);
  // Blocks in centroid order, documents ascending inside each.
  std::vector<std::uint32_t> order(list.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return assign[a] < assign[b] || (assign[a] == assign[b] && list[a].doc < list[b].doc);
  });
  s.entries.clear();
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    const std::size_t first_doc = out.docs.size();
    while (j < order.size() && assign[order[j]] == assign[order[i]])
      out.docs.push_back(list[order[j++]].doc);
    const auto block = static_cast<std::uint16_t>(out.block_doc_counts.size());
    out.block_doc_counts.push_back(static_cast<std::uint32_t>(j - i));
    build_summary(f, std::span<const DocId>(out.docs).subspan(first_doc), block,
                  params.summary_energy, s, out);
    i = j;
  }
  // Invert the summaries: by component, blocks ascending.
  std::sort(s.entries.begin(), s.entries.end());
  out.entry_blocks.reserve(s.entries.size());
  out.entry_codes.reserve(s.entries.size());
  for (const std::uint64_t packed : s.entries) {
    const auto t = static_cast<TermId>(packed >> 24);
    const auto b = static_cast<std::uint16_t>(packed >> 8);
    const auto code = static_cast<std::uint8_t>(packed);
    if (out.component_terms.empty() || out.component_terms.back() != t) {
      out.component_terms.push_back(t);
      out.component_counts.push_back(0);
    }
    ++out.component_counts.back();
    out.entry_blocks.push_back(b);
    out.entry_codes.push_back(code);
  }
  return out;
}

}  // namespace

SeismicIndex SeismicIndex::build(ForwardVectors forward, const SeismicBuildParams& params,
                                 ProgressSink* progress) {
  if (!(params.centroid_fraction > 0.0f && params.centroid_fraction <= 1.0f))
    fail(ErrorKind::invalid_argument, "centroid_fraction must be in (0, 1], not {}",
         params.centroid_fraction);
  if (!(params.summary_energy > 0.0f && params.summary_energy <= 1.0f))
    fail(ErrorKind::invalid_argument, "summary_energy must be in (0, 1], not {}",
         params.summary_energy);
  auto owned = std::make_shared<SeismicStorage>();
  owned->forward = std::move(forward);
  const ForwardVectors& f = owned->forward;
  const std::uint32_t num_terms = f.num_terms;
  const unsigned threads = resolve_threads(params.threads);
  const Signatures sig = make_signatures(f, threads);
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
  std::vector<BuildScratch> scratch(threads);
  for (auto& s : scratch) {
    s.max_value.assign(num_terms, 0.0f);
    s.slot_begin.assign(num_terms, 0);
  }
  std::vector<ListBuild> lists(num_terms);
  std::atomic<std::size_t> done{0};
  std::mutex progress_mutex;
  // Longest lists first, so that the last items handed out are short.
  std::vector<TermId> by_length(num_terms);
  std::iota(by_length.begin(), by_length.end(), 0u);
  std::stable_sort(by_length.begin(), by_length.end(), [&](TermId a, TermId b) {
    return starts[a + 1] - starts[a] > starts[b + 1] - starts[b];
  });
  parallel_for(
      num_terms, threads,
      [&](std::size_t i, unsigned w) {
        const TermId t = by_length[i];
        std::vector<Posting> list(postings.begin() + static_cast<std::ptrdiff_t>(starts[t]),
                                  postings.begin() + static_cast<std::ptrdiff_t>(starts[t + 1]));
        lists[t] = build_list(f, sig, t, std::move(list), params, scratch[w]);
        const std::size_t n = ++done;
        if (progress != nullptr && (n % 256 == 0 || n == num_terms)) {
          std::lock_guard lock(progress_mutex);
          progress->update("building approximate index", n, num_terms);
        }
      },
      4);
  if (progress != nullptr) progress->finish("building approximate index");
  postings = {};
  scratch = {};
  owned->concatenate(lists);
  SeismicIndex index;
  index.params_ = params;
  index.a_ = owned->arrays();
  index.storage_ = std::move(owned);
  return index;
}

template <bool FloatImpacts>
void SeismicIndex::score_block(std::uint64_t block, TopK& top, SeismicScratch& s,
                               DeletedDocs deleted) const {
  const DocId* docs = a_.block_docs.data() + a_.block_doc_starts[block];
  const std::size_t n = a_.block_doc_starts[block + 1] - a_.block_doc_starts[block];
  const float* qw = s.query_weight.data();
  const TermId* terms = a_.doc_terms.data();
  const std::uint32_t* impacts = a_.doc_impacts.data();
  for (std::size_t i = 0; i < n; ++i) {
    const DocId d = docs[i];
    std::uint64_t& word = s.visited[d >> 6];
    const std::uint64_t bit = std::uint64_t{1} << (d & 63);
    if ((word & bit) != 0) continue;
    word |= bit;
    s.visited_docs.push_back(d);
    if (deleted.contains(d)) continue;  // scored by nobody, never offered
    // Fetch the next document's whole vector while this one is scored (documents are random
    // accesses into the forward index; each spans several cache lines), and the one after's
    // offsets.
    if (i + 2 < n) __builtin_prefetch(a_.doc_starts.data() + docs[i + 2]);
    if (i + 1 < n) {
      const std::uint64_t next = a_.doc_starts[docs[i + 1]];
      const std::uint64_t next_end = a_.doc_starts[docs[i + 1] + 1];
      for (std::uint64_t at = next; at < next_end; at += 16) {
        __builtin_prefetch(terms + at);
        __builtin_prefetch(impacts + at);
      }
    }
    // The same float products as the exact scorers (query weight x impact value), summed in
    // double (four partial sums: exact whenever the products span < 2^29, see the header).
    const std::uint64_t begin = a_.doc_starts[d];
    const std::uint64_t end = a_.doc_starts[d + 1];
    double sum[4] = {0, 0, 0, 0};
    std::uint64_t p = begin;
    const auto product = [&](std::uint64_t at) {
      const float v =
          FloatImpacts ? std::bit_cast<float>(impacts[at]) : static_cast<float>(impacts[at]);
      return static_cast<double>(qw[terms[at]] * v);
    };
    for (; p + 4 <= end; p += 4) {
      sum[0] += product(p);
      sum[1] += product(p + 1);
      sum[2] += product(p + 2);
      sum[3] += product(p + 3);
    }
    for (; p < end; ++p) sum[0] += product(p);
    ++s.documents_scored;
    top.insert(d, static_cast<Score>((sum[0] + sum[1]) + (sum[2] + sum[3])));
  }
}

template <bool FloatImpacts>
void SeismicIndex::search_impl(std::span<const SeismicQueryTerm> query,
                               const SeismicSearchParams& params, TopK& top, SeismicScratch& s,
                               DeletedDocs deleted) const {
  for (const SeismicQueryTerm& q : query) s.query_weight[q.term] = q.weight;
  s.sorted.assign(query.begin(), query.end());
  std::sort(s.sorted.begin(), s.sorted.end(),
            [](const auto& a, const auto& b) { return a.term < b.term; });
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
    const std::uint64_t first_block = a_.list_blocks[t];
    const std::uint64_t nb = a_.list_blocks[t + 1] - first_block;
    if (nb == 0) continue;
    // Summary scores of every block of the list: one pass over the query's components, each
    // looked up among the list's summary components (both ascending).
    s.block_bound.assign(nb, 0.0);
    const std::uint64_t c0 = a_.list_components[t];
    const TermId* comps = a_.component_terms.data() + c0;
    const TermId* comps_end = a_.component_terms.data() + a_.list_components[t + 1];
    const TermId* at = comps;
    for (const SeismicQueryTerm& q : s.sorted) {
      at = std::lower_bound(at, comps_end, q.term);
      if (at == comps_end) break;
      if (*at != q.term) continue;
      const std::uint64_t c = c0 + static_cast<std::uint64_t>(at - comps);
      const double w = q.weight;
      for (std::uint64_t e = a_.component_starts[c]; e < a_.component_starts[c + 1]; ++e)
        s.block_bound[a_.entry_blocks[e]] += w * a_.entry_codes[e];
    }
    for (std::uint64_t i = 0; i < nb; ++i) {
      const double bound = s.block_bound[i] * a_.block_steps[first_block + i];
      if (top.full() && bound < factor * static_cast<double>(top.threshold())) continue;
      ++s.blocks_evaluated;
      score_block<FloatImpacts>(first_block + i, top, s, deleted);
    }
  }
  for (const SeismicQueryTerm& q : query) s.query_weight[q.term] = 0.0f;
  for (const DocId d : s.visited_docs) s.visited[d >> 6] = 0;
  s.visited_docs.clear();
}

void SeismicIndex::search(std::span<const SeismicQueryTerm> query,
                          const SeismicSearchParams& params, TopK& top, SeismicScratch& s,
                          DeletedDocs deleted) const {
  if (query.empty() || top.capacity() == 0 || a_.num_docs == 0) return;
  if (s.query_weight.size() < a_.num_terms) s.query_weight.assign(a_.num_terms, 0.0f);
  if (s.visited.size() < (std::size_t{a_.num_docs} + 63) / 64)
    s.visited.assign((std::size_t{a_.num_docs} + 63) / 64, 0);
  if (a_.float_impacts)
    search_impl<true>(query, params, top, s, deleted);
  else
    search_impl<false>(query, params, top, s, deleted);
}

std::size_t SeismicIndex::memory_bytes() const {
  return a_.doc_starts.size_bytes() + a_.doc_terms.size_bytes() + a_.doc_impacts.size_bytes() +
         a_.list_blocks.size_bytes() + a_.block_doc_starts.size_bytes() +
         a_.block_steps.size_bytes() + a_.block_docs.size_bytes() +
         a_.list_components.size_bytes() + a_.component_terms.size_bytes() +
         a_.component_starts.size_bytes() + a_.entry_blocks.size_bytes() +
         a_.entry_codes.size_bytes();
}

}  // namespace tandem::sparse::approx
