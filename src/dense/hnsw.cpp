#include "tandem/dense/hnsw.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <random>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/dense/kernels.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::dense {

namespace {

using Pair = std::pair<float, std::uint32_t>;  // (distance, node); smaller distance is better

// File payload header (docs/format.md, "dense.hnsw").
struct HnswHeader {
  std::uint64_t n = 0;
  std::uint32_t m = 0;
  std::uint32_t m0 = 0;
  std::uint32_t max_level = 0;
  std::uint32_t entry = 0;
  std::uint32_t metric = 0;
  std::uint32_t ef_construction = 0;
  std::uint64_t seed = 0;
  std::uint64_t upper_words = 0;
};
static_assert(sizeof(HnswHeader) == 48);

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) {
  return (x + a - 1) / a * a;
}

// Distance used inside the graph: smaller is better. ip and cosine: -<q,x>; l2: |q-x|^2.
struct Distance {
  const Kernels* kern;
  bool l2;
  std::size_t dim;
  float operator()(const float* a, const float* b) const {
    return l2 ? kern->l2sq(a, b, dim) : -kern->dot(a, b, dim);
  }
};

struct MinFirst {
  bool operator()(const Pair& a, const Pair& b) const { return a > b; }
};
struct MaxFirst {
  bool operator()(const Pair& a, const Pair& b) const { return a < b; }
};

void next_epoch(HnswContext& ctx, std::size_t n) {
  if (ctx.visited.size() != n) {
    ctx.visited.assign(n, 0);
    ctx.epoch = 0;
  }
  if (++ctx.epoch == 0) {
    std::fill(ctx.visited.begin(), ctx.visited.end(), 0);
    ctx.epoch = 1;
  }
}

// The graph while it is being built: fixed-size link arrays, per-node locks.
class Builder {
 public:
  Builder(const float* values, std::size_t n, std::size_t dim, Metric metric, const HnswParams& p)
      : values_(values),
        n_(n),
        dim_(dim),
        m_(std::max<std::uint32_t>(p.m, 2)),
        m0_(2 * m_),
        ef_c_(std::max<std::uint32_t>(p.ef_construction, m_)),
        dist_{&kernels(), metric == Metric::l2, dim},
        level0_(n * (1 + m0_), 0),
        levels_(n),
        upper_at_(n, 0),
        locks_(n) {
    // Levels drawn up front from the seed: floor(-ln(U) / ln(M)) (mL = 1/ln M, section 4.1).
    std::mt19937_64 rng(p.seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const double ml = 1.0 / std::log(static_cast<double>(m_));
    std::uint64_t words = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double u = uniform(rng);
      if (u <= 0) u = 1e-300;
      const auto level = static_cast<std::uint32_t>(std::min(-std::log(u) * ml, 30.0));
      levels_[i] = static_cast<std::uint8_t>(level);
      upper_at_[i] = words;
      words += static_cast<std::uint64_t>(level) * (1 + m_);
    }
    upper_.assign(words, 0);
  }

  void insert(std::uint32_t q, std::vector<Pair>& cand, std::vector<Pair>& res,
              std::vector<std::uint32_t>& visited, std::uint32_t& epoch,
              std::vector<std::uint32_t>& scratch) {
    const std::uint32_t level = levels_[q];
    std::unique_lock global(global_);
    if (!has_entry_) {
      entry_ = q;
      max_level_ = level;
      has_entry_ = true;
      return;
    }
    std::uint32_t ep = entry_;
    const std::uint32_t top = max_level_;
    if (level <= top) global.unlock();
    const float* qv = row(q);
    float ep_d = dist_(qv, row(ep));
    for (std::uint32_t lc = top; lc > level; --lc) greedy(qv, lc, ep, ep_d, scratch);
    std::vector<Pair> entries{{ep_d, ep}};
    for (std::uint32_t lc = std::min(level, top) + 1; lc-- > 0;) {
      search_layer(q, qv, entries, ef_c_, lc, cand, res, visited, epoch, scratch);
      const std::uint32_t max_links = lc == 0 ? m0_ : m_;
      std::vector<Pair> chosen = res;
      std::sort(chosen.begin(), chosen.end());
      select_heuristic(chosen, m_);
      {
        std::lock_guard lock(locks_[q]);
        std::uint32_t* l = links(q, lc);
        l[0] = static_cast<std::uint32_t>(chosen.size());
        for (std::size_t i = 0; i < chosen.size(); ++i) l[1 + i] = chosen[i].second;
      }
      for (const Pair& c : chosen) add_link(c.second, q, c.first, lc, max_links);
      entries = std::move(res);
      res.clear();
    }
    if (level > top) {
      entry_ = q;
      max_level_ = level;
    }
  }

  void write(const std::filesystem::path& path, Metric metric, const HnswParams& p) const {
    HnswHeader h;
    h.n = n_;
    h.m = m_;
    h.m0 = m0_;
    h.max_level = max_level_;
    h.entry = entry_;
    h.metric = static_cast<std::uint32_t>(metric);
    h.ef_construction = ef_c_;
    h.seed = p.seed;
    h.upper_words = upper_.size();
    io::FileWriter out(path, io::FileKind::dense_hnsw);
    out.write_pod(h);
    out.write_array(std::span<const std::uint32_t>(level0_));
    out.write_array(std::span<const std::uint8_t>(levels_));
    out.align(8);
    out.write_array(std::span<const std::uint64_t>(upper_at_));
    out.write_array(std::span<const std::uint32_t>(upper_));
    out.commit();
  }

 private:
  const float* row(std::uint32_t i) const { return values_ + static_cast<std::size_t>(i) * dim_; }
  std::uint32_t* links(std::uint32_t node, std::uint32_t level) {
    if (level == 0) return level0_.data() + static_cast<std::size_t>(node) * (1 + m0_);
    return upper_.data() + upper_at_[node] + static_cast<std::size_t>(level - 1) * (1 + m_);
  }
  void copy_links(std::uint32_t node, std::uint32_t level, std::vector<std::uint32_t>& out) {
    std::lock_guard lock(locks_[node]);
    const std::uint32_t* l = links(node, level);
    out.assign(l + 1, l + 1 + l[0]);
  }

  void greedy(const float* q, std::uint32_t level, std::uint32_t& ep, float& ep_d,
              std::vector<std::uint32_t>& scratch) {
    for (bool changed = true; changed;) {
      changed = false;
      copy_links(ep, level, scratch);
      for (std::uint32_t c : scratch) {
        const float d = dist_(q, row(c));
        if (d < ep_d) {
          ep_d = d;
          ep = c;
          changed = true;
        }
      }
    }
  }

  // Algorithm 2: best-first search on one layer from `entries`; leaves the ef best in `res`. The
  // node being inserted (`self`) is never a result: a concurrent insert may already link to it.
  void search_layer(std::uint32_t self, const float* q, const std::vector<Pair>& entries,
                    std::size_t ef, std::uint32_t level, std::vector<Pair>& cand,
                    std::vector<Pair>& res, std::vector<std::uint32_t>& visited,
                    std::uint32_t& epoch, std::vector<std::uint32_t>& scratch) {
    if (++epoch == 0) {
      std::fill(visited.begin(), visited.end(), 0);
      epoch = 1;
    }
    cand.clear();
    res.clear();
    visited[self] = epoch;
    for (const Pair& e : entries) {
      if (e.second == self) continue;
      visited[e.second] = epoch;
      cand.push_back(e);
      std::push_heap(cand.begin(), cand.end(), MinFirst{});
      res.push_back(e);
      std::push_heap(res.begin(), res.end(), MaxFirst{});
    }
    while (res.size() > ef) {
      std::pop_heap(res.begin(), res.end(), MaxFirst{});
      res.pop_back();
    }
    while (!cand.empty()) {
      const Pair c = cand.front();
      if (res.size() >= ef && c.first > res.front().first) break;
      std::pop_heap(cand.begin(), cand.end(), MinFirst{});
      cand.pop_back();
      copy_links(c.second, level, scratch);
      for (std::uint32_t e : scratch) {
        if (visited[e] == epoch) continue;
        visited[e] = epoch;
        const float d = dist_(q, row(e));
        if (res.size() < ef || d < res.front().first) {
          cand.emplace_back(d, e);
          std::push_heap(cand.begin(), cand.end(), MinFirst{});
          res.emplace_back(d, e);
          std::push_heap(res.begin(), res.end(), MaxFirst{});
          if (res.size() > ef) {
            std::pop_heap(res.begin(), res.end(), MaxFirst{});
            res.pop_back();
          }
        }
      }
    }
  }

  // Algorithm 4 (without extending candidates, keeping no pruned ones): walks candidates by
  // increasing distance and keeps one only if it is closer to the query than to every neighbour
  // kept so far, which spreads links over directions. `c` is sorted by distance.
  void select_heuristic(std::vector<Pair>& c, std::size_t m) const {
    if (c.size() <= m) return;
    std::vector<Pair> kept;
    kept.reserve(m);
    for (const Pair& e : c) {
      if (kept.size() >= m) break;
      bool good = true;
      for (const Pair& r : kept) {
        if (dist_(row(e.second), row(r.second)) < e.first) {
          good = false;
          break;
        }
      }
      if (good) kept.push_back(e);
    }
    c = std::move(kept);
  }

  // Adds the reverse link node -> q, shrinking node's list with the heuristic when it overflows.
  void add_link(std::uint32_t node, std::uint32_t q, float d, std::uint32_t level,
                std::uint32_t max_links) {
    std::lock_guard lock(locks_[node]);
    std::uint32_t* l = links(node, level);
    if (l[0] < max_links) {
      l[1 + l[0]] = q;
      ++l[0];
      return;
    }
    std::vector<Pair> all;
    all.reserve(max_links + 1);
    const float* nv = row(node);
    for (std::uint32_t i = 0; i < l[0]; ++i) all.emplace_back(dist_(nv, row(l[1 + i])), l[1 + i]);
    all.emplace_back(d, q);
    std::sort(all.begin(), all.end());
    select_heuristic(all, max_links);
    l[0] = static_cast<std::uint32_t>(all.size());
    for (std::size_t i = 0; i < all.size(); ++i) l[1 + i] = all[i].second;
  }

  const float* values_;
  std::size_t n_, dim_;
  std::uint32_t m_, m0_, ef_c_;
  Distance dist_;
  std::vector<std::uint32_t> level0_;
  std::vector<std::uint8_t> levels_;
  std::vector<std::uint64_t> upper_at_;
  std::vector<std::uint32_t> upper_;
  std::vector<std::mutex> locks_;
  std::mutex global_;
  bool has_entry_ = false;
  std::uint32_t entry_ = 0, max_level_ = 0;
};

}  // namespace

void build_hnsw(const std::filesystem::path& path, Metric metric, const float* values,
                std::size_t rows, std::size_t dim, const HnswParams& params, unsigned threads,
                ProgressSink* progress) {
  if (rows >= UINT32_MAX) fail(ErrorKind::limit_exceeded, "too many vectors for one graph");
  Builder b(values, rows, dim, metric, params);
  const unsigned t = params.deterministic ? 1u : resolve_threads(threads);
  struct Scratch {
    std::vector<Pair> cand, res;
    std::vector<std::uint32_t> visited, links;
    std::uint32_t epoch = 0;
  };
  std::vector<Scratch> scratch(t);
  for (auto& s : scratch) s.visited.assign(rows, 0);
  std::atomic<std::size_t> done{0};
  // The first node is inserted alone so that concurrent inserts always find an entry point.
  if (rows > 0)
    b.insert(0, scratch[0].cand, scratch[0].res, scratch[0].visited, scratch[0].epoch,
             scratch[0].links);
  parallel_for(
      rows > 0 ? rows - 1 : 0, t,
      [&](std::size_t i, unsigned w) {
        Scratch& s = scratch[w];
        b.insert(static_cast<std::uint32_t>(i + 1), s.cand, s.res, s.visited, s.epoch, s.links);
        const std::size_t n = ++done;
        if (progress != nullptr && n % 8192 == 0) progress->update("building hnsw", n, rows);
      },
      64);
  if (progress != nullptr) progress->finish("building hnsw");
  b.write(path, metric, params);
}

HnswGraph::HnswGraph(const std::filesystem::path& path, const VectorStore& vectors)
    : vectors_(&vectors), file_(path, io::FileKind::dense_hnsw) {
  const io::ByteView view(file_.payload(), file_.path());
  const auto h = view.read<HnswHeader>(0, "header");
  if (h.n != vectors.rows())
    view.corrupt(fmt::format("graph has {} nodes, the vectors {} rows", h.n, vectors.rows()));
  if (h.m < 2 || h.m > 4096 || h.m0 != 2 * h.m) view.corrupt("bad link counts");
  if (h.metric != static_cast<std::uint32_t>(vectors.metric()))
    view.corrupt("metric differs from the vectors'");
  if (h.n > 0 && h.entry >= h.n) view.corrupt("entry point out of range");
  n_ = h.n;
  m_ = h.m;
  m0_ = h.m0;
  max_level_ = h.max_level;
  entry_ = h.entry;
  metric_ = static_cast<Metric>(h.metric);
  std::uint64_t off = sizeof(HnswHeader);
  level0_ = view.array<std::uint32_t>(off, h.n * (1 + h.m0), "layer 0");
  off += level0_.size_bytes();
  levels_ = view.array<std::uint8_t>(off, h.n, "levels");
  off = align_up(off + h.n, 8);
  upper_at_ = view.array<std::uint64_t>(off, h.n, "upper offsets");
  off += upper_at_.size_bytes();
  upper_ = view.array<std::uint32_t>(off, h.upper_words, "upper links");
  file_bytes_ = file_.payload().size() + io::kHeaderSize + io::kFooterSize;
  // Cheap structural checks that keep search in bounds: levels and their link blocks.
  for (std::size_t i = 0; i < n_; ++i) {
    if (levels_[i] > max_level_ ||
        upper_at_[i] + std::uint64_t{levels_[i]} * (1 + m_) > upper_.size())
      view.corrupt(fmt::format("node {} has a bad level or link offset", i));
  }
  if (n_ > 0 && levels_[entry_] != max_level_) view.corrupt("entry point is not on the top level");
}

std::span<const std::uint32_t> HnswGraph::links(std::uint32_t node, std::uint32_t level) const {
  const std::uint32_t* l =
      level == 0 ? level0_.data() + static_cast<std::size_t>(node) * (1 + m0_)
                 : upper_.data() + upper_at_[node] + static_cast<std::size_t>(level - 1) * (1 + m_);
  return {l + 1, std::min<std::size_t>(l[0], level == 0 ? m0_ : m_)};
}

void HnswGraph::search(const float* q, std::size_t k, std::size_t ef, HnswContext& ctx,
                       std::vector<Hit>& out, RowFilter filter) const {
  out.clear();
  if (n_ == 0 || k == 0) return;
  ef = std::max(ef, k);
  const Kernels& kern = kernels();
  const std::size_t dim = vectors_->dim();
  const bool l2 = metric_ == Metric::l2;
  const bool half = vectors_->storage() == Storage::f16;
  const auto dist = [&](std::uint32_t r) {
    if (half) {
      const Half* x = vectors_->row_f16(r);
      return l2 ? kern.half.l2sq(q, x, dim) : -kern.half.dot(q, x, dim);
    }
    return l2 ? kern.l2sq(q, vectors_->row(r), dim) : -kern.dot(q, vectors_->row(r), dim);
  };
  std::uint32_t ep = entry_;
  float ep_d = dist(ep);
  for (std::uint32_t lc = max_level_; lc > 0; --lc) {
    for (bool changed = true; changed;) {
      changed = false;
      for (std::uint32_t c : links(ep, lc)) {
        const float d = dist(c);
        if (d < ep_d) {
          ep_d = d;
          ep = c;
          changed = true;
        }
      }
    }
  }
  next_epoch(ctx, n_);
  auto& cand = ctx.candidates;
  auto& res = ctx.results;
  cand.clear();
  res.clear();
  ctx.visited[ep] = ctx.epoch;
  cand.emplace_back(ep_d, ep);
  if (row_allowed(filter, ep)) res.emplace_back(ep_d, ep);
  const std::size_t line = 64;
  while (!cand.empty()) {
    const Pair c = cand.front();
    if (res.size() >= ef && c.first > res.front().first) break;
    std::pop_heap(cand.begin(), cand.end(), MinFirst{});
    cand.pop_back();
    const auto nb = links(c.second, 0);
    for (std::uint32_t e : nb) {  // prefetch the unvisited neighbours' vectors
      if (ctx.visited[e] != ctx.epoch) {
        const char* p = static_cast<const char*>(vectors_->row_address(e));
        __builtin_prefetch(p);
        __builtin_prefetch(p + line);
      }
    }
    for (std::uint32_t e : nb) {
      if (ctx.visited[e] == ctx.epoch) continue;
      ctx.visited[e] = ctx.epoch;
      const float d = dist(e);
      if (res.size() < ef || d < res.front().first) {
        cand.emplace_back(d, e);
        std::push_heap(cand.begin(), cand.end(), MinFirst{});
        if (row_allowed(filter, e)) {
          res.emplace_back(d, e);
          std::push_heap(res.begin(), res.end(), MaxFirst{});
          if (res.size() > ef) {
            std::pop_heap(res.begin(), res.end(), MaxFirst{});
            res.pop_back();
          }
        }
      }
    }
  }
  // The k best, rescored in double (the scores exact search gives) and put in result order.
  std::sort(res.begin(), res.end());
  if (res.size() > k) res.resize(k);
  for (const Pair& p : res)
    out.push_back({p.second, static_cast<Score>(exact_score(*vectors_, q, p.second))});
  std::sort(out.begin(), out.end(), ranks_before);
}

void HnswGraph::verify() const {
  file_.verify();
  for (std::uint32_t i = 0; i < n_; ++i) {
    for (std::uint32_t lc = 0; lc <= levels_[i]; ++lc) {
      const std::uint32_t* raw =
          lc == 0 ? level0_.data() + static_cast<std::size_t>(i) * (1 + m0_)
                  : upper_.data() + upper_at_[i] + static_cast<std::size_t>(lc - 1) * (1 + m_);
      if (raw[0] > (lc == 0 ? m0_ : m_))
        fail(ErrorKind::corruption, "{}: node {} has too many links", file_.path(), i);
      for (std::uint32_t j = 0; j < raw[0]; ++j) {
        const std::uint32_t e = raw[1 + j];
        if (e >= n_ || e == i || levels_[e] < lc)
          fail(ErrorKind::corruption, "{}: node {} has a bad link to {} on layer {}", file_.path(),
               i, e, lc);
      }
    }
  }
}

}  // namespace tandem::dense
