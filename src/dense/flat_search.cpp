#include "tandem/dense/flat_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tandem/core/parallel.hpp"
#include "tandem/core/top_k.hpp"
#include "tandem/dense/kernels.hpp"

namespace tandem::dense {

namespace {

constexpr std::size_t kExtraCandidates = 32;

double sq_norm(const float* v, std::size_t d) {
  double s = 0;
  for (std::size_t i = 0; i < d; ++i) s += double(v[i]) * v[i];
  return s;
}

// Per-query selection state: a float pre-selection of k + 32 candidates.
struct Selection {
  TopK top;
  std::vector<Hit> candidates;
};

// The float "ranking score" both paths compute: ip/cosine <q,x>; l2 2<q,x> - |x|^2, which ranks
// rows as -|q-x|^2 does (it differs by the constant |q|^2). Rows scoring at least the current
// threshold are picked by the SIMD select kernel, then offered one by one (the threshold only
// rises, so the picked set is a superset of what enters).
inline void offer_block(const Kernels& kern, const float* scores, std::size_t first_row,
                        std::size_t n, RowFilter filter, TopK& top, std::uint32_t* picked) {
  const Score threshold = top.full() ? top.threshold() : -std::numeric_limits<Score>::infinity();
  const std::size_t count = kern.select_at_least(scores, n, threshold, picked);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t row = first_row + picked[i];
    if (!row_allowed(filter, row)) continue;
    top.insert(static_cast<DocId>(row), scores[picked[i]]);
  }
}

// A row's exact score (double) and the float it is reported as. Results are ranked by the
// reported score, then row (= DocId, = external id order), the rule every retriever and the merge
// of segments' hits use, so that two rows whose doubles differ but round to the same float are
// ordered the same way in one segment and across segments.
struct Scored {
  Score score;
  std::size_t row;
};

inline bool ranks_before(const Scored& a, const Scored& b) {
  return a.score > b.score || (a.score == b.score && a.row < b.row);
}

// Rescores the candidates in double and writes the top k; returns false if the error bound cannot
// prove that rows outside the candidates are beaten (the caller then rescans in double).
bool finish_query(const VectorStore& store, const float* q, std::size_t k, Selection& sel,
                  std::vector<Hit>& out) {
  sel.top.copy_sorted(sel.candidates);
  const std::size_t d = store.dim();
  const bool l2 = store.metric() == Metric::l2;
  std::vector<Scored> scored;
  scored.reserve(sel.candidates.size());
  for (const Hit& h : sel.candidates)
    scored.push_back({static_cast<Score>(exact_score(store, q, h.doc)), h.doc});
  std::sort(scored.begin(), scored.end(), ranks_before);
  const std::size_t keep = std::min(k, scored.size());
  out.clear();
  for (std::size_t i = 0; i < keep; ++i)
    out.push_back({static_cast<DocId>(scored[i].row), scored[i].score});
  // Every row not among the candidates has float score <= the smallest candidate's.
  if (sel.candidates.size() < sel.top.capacity() || keep < k) return true;  // all rows were kept
  const double qn2 = sq_norm(q, d);
  const double qn = std::sqrt(qn2);
  const double m = store.max_norm();
  const double gamma = static_cast<double>(d + 4) * std::ldexp(1.0, -24);
  const double magnitude = l2 ? 2 * qn * m + m * m : qn * m;
  const double err = 1.01 * gamma * magnitude + 1e-30;
  // An outside row's exact score is at most `bound` (l2: back from the ranking score 2<q,x> -
  // |x|^2 to -|q-x|^2). It can neither beat nor tie the k-th reported score if it is at most the
  // float just below that score (it then rounds below it).
  const double floor_f = sel.candidates.back().score;
  const double bound = floor_f + 2 * err - (l2 ? qn2 : 0.0);
  const float kth = scored[keep - 1].score;
  return bound < static_cast<double>(std::nextafter(kth, -std::numeric_limits<float>::infinity()));
}

void rescan_double(const VectorStore& store, const float* q, std::size_t k, RowFilter filter,
                   std::vector<Hit>& out) {
  std::vector<Scored> all;
  for (std::size_t r = 0; r < store.rows(); ++r) {
    if (row_allowed(filter, r)) all.push_back({static_cast<Score>(exact_score(store, q, r)), r});
  }
  const std::size_t keep = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(),
                    ranks_before);
  out.clear();
  for (std::size_t i = 0; i < keep; ++i)
    out.push_back({static_cast<DocId>(all[i].row), all[i].score});
}

}  // namespace

namespace {

template <class T>
double exact_score_of(const T* x, const float* q, std::size_t d, bool l2) {
  double s = 0;
  if (l2) {
    for (std::size_t i = 0; i < d; ++i) {
      const double t = double(q[i]) - double(to_float(x[i]));
      s += t * t;
    }
    return -s;
  }
  for (std::size_t i = 0; i < d; ++i) s += double(q[i]) * double(to_float(x[i]));
  return s;
}

}  // namespace

double exact_score(const VectorStore& store, const float* q, std::size_t row) {
  const bool l2 = store.metric() == Metric::l2;
  if (store.storage() == Storage::f16)
    return exact_score_of(store.row_f16(row), q, store.dim(), l2);
  return exact_score_of(store.row(row), q, store.dim(), l2);
}

void exact_search(const VectorStore& store, std::span<const float> queries, std::size_t nq,
                  const ExactSearchOptions& options, std::vector<std::vector<Hit>>& out,
                  RowFilter filter, ExactSearchStats* stats) {
  const std::size_t d = store.dim();
  const std::size_t n = store.rows();
  const std::size_t k = std::max<std::size_t>(options.k, 1);
  out.assign(nq, {});
  const bool blocked = options.block_min_queries > 0 && nq >= options.block_min_queries;
  const std::size_t qb = blocked ? std::max<std::size_t>(options.query_block, 1) : 1;
  const std::size_t db = std::max<std::size_t>(options.doc_block, 64);
  const std::size_t num_blocks = (nq + qb - 1) / qb;
  const unsigned threads = resolve_threads(options.threads);
  const bool l2 = store.metric() == Metric::l2;
  const Kernels& kern = kernels();
  const bool half = store.storage() == Storage::f16;
  std::atomic<std::uint64_t> fallbacks{0};

  struct Worker {
    std::vector<float> scores;
    std::vector<float> pack;
    std::vector<std::uint32_t> picked;
    std::vector<Selection> sel;
  };
  std::vector<Worker> workers(threads);
  parallel_for(num_blocks, threads, [&](std::size_t b, unsigned w) {
    Worker& wk = workers[w];
    const std::size_t q0 = b * qb;
    const std::size_t m = std::min(qb, nq - q0);
    wk.scores.resize(qb * db);
    wk.pack.resize(kern.block_panel * d);
    wk.picked.resize(db);
    wk.sel.resize(qb);
    for (std::size_t i = 0; i < m; ++i) wk.sel[i].top.reset(k + kExtraCandidates);
    const float* qblock = queries.data() + q0 * d;
    for (std::size_t r0 = 0; r0 < n; r0 += db) {
      const std::size_t nr = std::min(db, n - r0);
      float* s = wk.scores.data();
      // S (m x nr) = Q (m x d) * X^T (d x nr): a register-tiled product (kernels.hpp), or one
      // SIMD scan per query
      if (half && blocked) {
        kern.half.dot_block(qblock, m, store.row_f16(r0), nr, d, s, nr, wk.pack.data());
      } else if (half) {
        for (std::size_t i = 0; i < m; ++i)
          kern.half.dot_rows(qblock + i * d, store.row_f16(r0), nr, d, s + i * nr);
      } else if (blocked) {
        kern.dot_block(qblock, m, store.row(r0), nr, d, s, nr, wk.pack.data());
      } else {
        for (std::size_t i = 0; i < m; ++i)
          kern.dot_rows(qblock + i * d, store.row(r0), nr, d, s + i * nr);
      }
      if (l2) {  // 2<q,x> - |x|^2 (the doubling is exact)
        const float* norms = store.sq_norms().data() + r0;
        for (std::size_t i = 0; i < m; ++i) {
          float* row = s + i * nr;
          for (std::size_t j = 0; j < nr; ++j) row[j] = 2.0f * row[j] - norms[j];
        }
      }
      for (std::size_t i = 0; i < m; ++i)
        offer_block(kern, s + i * nr, r0, nr, filter, wk.sel[i].top, wk.picked.data());
    }
    for (std::size_t i = 0; i < m; ++i) {
      const float* q = qblock + i * d;
      if (!finish_query(store, q, k, wk.sel[i], out[q0 + i])) {
        rescan_double(store, q, k, filter, out[q0 + i]);
        ++fallbacks;
      }
    }
  });
  if (stats != nullptr) {
    stats->queries += nq;
    stats->fallbacks += fallbacks.load();
    stats->used_block_product = stats->used_block_product || blocked;
  }
}

}  // namespace tandem::dense
