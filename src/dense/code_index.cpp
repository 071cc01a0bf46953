#include "tandem/dense/code_index.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/core/top_k.hpp"
#include "tandem/dense/kernels.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::dense {

namespace {

// File payload header (docs/format.md, "dense codes").
struct CodeHeader {
  std::uint32_t kind = 0;
  std::uint32_t dim = 0;
  std::uint64_t rows = 0;
  std::uint32_t code_bytes = 0;
  std::uint32_t m = 0;     // pq: sub-quantisers
  std::uint32_t dsub = 0;  // pq: dimensions per sub-quantiser
  std::uint32_t num_params = 0;
};
static_assert(sizeof(CodeHeader) == 32);

constexpr std::size_t kCentroids = 256;
constexpr int kKmeansIterations = 12;
constexpr std::size_t kTrainingPerCentroid = 64;

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) {
  return (x + a - 1) / a * a;
}

float sub_l2(const float* a, const float* b, std::size_t d) {
  float s = 0;
  for (std::size_t i = 0; i < d; ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}

std::size_t nearest(const float* x, const float* centroids, std::size_t k, std::size_t d) {
  std::size_t best = 0;
  float best_d = std::numeric_limits<float>::infinity();
  for (std::size_t c = 0; c < k; ++c) {
    const float dist = sub_l2(x, centroids + c * d, d);
    if (dist < best_d) {
      best_d = dist;
      best = c;
    }
  }
  return best;
}

// Lloyd's k-means on `n` points of `d` floats (row stride `stride`), k centroids initialised from
// distinct seeded random points; an empty cluster takes a random point.
void kmeans(const float* points, std::size_t n, std::size_t stride, std::size_t d, std::size_t k,
            std::uint64_t seed, float* centroids) {
  std::mt19937_64 rng(seed);
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  for (std::size_t c = 0; c < k; ++c) {
    const float* p = points + order[c % n] * stride;
    std::copy(p, p + d, centroids + c * d);
  }
  std::vector<std::size_t> assign(n);
  std::vector<double> sums(k * d);
  std::vector<std::size_t> counts(k);
  for (int it = 0; it < kKmeansIterations; ++it) {
    for (std::size_t i = 0; i < n; ++i) assign[i] = nearest(points + i * stride, centroids, k, d);
    std::fill(sums.begin(), sums.end(), 0.0);
    std::fill(counts.begin(), counts.end(), 0);
    for (std::size_t i = 0; i < n; ++i) {
      ++counts[assign[i]];
      for (std::size_t j = 0; j < d; ++j) sums[assign[i] * d + j] += points[i * stride + j];
    }
    for (std::size_t c = 0; c < k; ++c) {
      if (counts[c] == 0) {
        const float* p = points + order[rng() % n] * stride;
        std::copy(p, p + d, centroids + c * d);
        continue;
      }
      for (std::size_t j = 0; j < d; ++j)
        centroids[c * d + j] = static_cast<float>(sums[c * d + j] / static_cast<double>(counts[c]));
    }
  }
}

std::uint32_t pq_subquantisers(std::size_t dim, std::uint32_t requested) {
  if (requested != 0) {
    if (dim % requested != 0)
      fail(ErrorKind::invalid_argument, "--pq-m {} does not divide the dimension {}", requested,
           dim);
    return requested;
  }
  for (std::size_t m = std::max<std::size_t>(dim / 4, 1); m > 1; --m) {
    if (dim % m == 0) return static_cast<std::uint32_t>(m);
  }
  return 1;
}

}  // namespace

void build_codes(const std::filesystem::path& path, CodeKind kind, const VectorStore& store,
                 std::uint32_t pq_m, std::uint64_t seed, unsigned threads) {
  const std::size_t d = store.dim();
  const std::size_t n = store.rows();
  CodeHeader h;
  h.kind = static_cast<std::uint32_t>(kind);
  h.dim = static_cast<std::uint32_t>(d);
  h.rows = n;
  std::vector<float> params;
  std::vector<std::uint8_t> codes;
  threads = resolve_threads(threads);
  // Rows as floats (converted from binary16 under fp16 storage), one scratch row per thread.
  std::vector<std::vector<float>> scratch(threads + 1, std::vector<float>(d));
  const auto row = [&](std::size_t r, unsigned w) {
    return store.row_floats(r, scratch[w].data());
  };
  if (kind == CodeKind::sq8) {
    std::vector<float> lo(d, std::numeric_limits<float>::infinity());
    std::vector<float> hi(d, -std::numeric_limits<float>::infinity());
    for (std::size_t r = 0; r < n; ++r) {
      const float* x = row(r, threads);
      for (std::size_t j = 0; j < d; ++j) {
        lo[j] = std::min(lo[j], x[j]);
        hi[j] = std::max(hi[j], x[j]);
      }
    }
    params.resize(2 * d);
    for (std::size_t j = 0; j < d; ++j) {
      params[j] = lo[j];
      params[d + j] = hi[j] > lo[j] ? (hi[j] - lo[j]) / 255.0f : 1.0f;
    }
    h.code_bytes = static_cast<std::uint32_t>(d);
    codes.resize(n * d);
    parallel_for(
        n, threads,
        [&](std::size_t r, unsigned w) {
          const float* x = row(r, w);
          for (std::size_t j = 0; j < d; ++j) {
            const float v = std::round((x[j] - params[j]) / params[d + j]);
            codes[r * d + j] = static_cast<std::uint8_t>(std::clamp(v, 0.0f, 255.0f));
          }
        },
        1024);
  } else if (kind == CodeKind::binary) {
    std::vector<double> mean(d, 0.0);
    for (std::size_t r = 0; r < n; ++r) {
      const float* x = row(r, threads);
      for (std::size_t j = 0; j < d; ++j) mean[j] += x[j];
    }
    params.resize(d);
    for (std::size_t j = 0; j < d; ++j) params[j] = static_cast<float>(mean[j] / double(n));
    const std::size_t words = (d + 63) / 64;
    h.code_bytes = static_cast<std::uint32_t>(words * 8);
    codes.assign(n * words * 8, 0);
    parallel_for(
        n, threads,
        [&](std::size_t r, unsigned w) {
          std::vector<std::uint64_t> bits(words, 0);
          const float* x = row(r, w);
          for (std::size_t j = 0; j < d; ++j) {
            if (x[j] > params[j]) bits[j / 64] |= std::uint64_t{1} << (j % 64);
          }
          std::memcpy(codes.data() + r * words * 8, bits.data(), words * 8);
        },
        1024);
  } else {
    const std::uint32_t m = pq_subquantisers(d, pq_m);
    const std::size_t dsub = d / m;
    h.m = m;
    h.dsub = static_cast<std::uint32_t>(dsub);
    h.code_bytes = m;
    // Training sample: a seeded random subset of rows, 64 per centroid.
    std::mt19937_64 rng(seed);
    std::vector<std::size_t> sample(n);
    std::iota(sample.begin(), sample.end(), 0);
    std::shuffle(sample.begin(), sample.end(), rng);
    sample.resize(std::min(n, kCentroids * kTrainingPerCentroid));
    std::sort(sample.begin(), sample.end());
    std::vector<float> train(sample.size() * d);
    for (std::size_t i = 0; i < sample.size(); ++i) {
      const float* x = row(sample[i], threads);
      std::copy(x, x + d, train.data() + i * d);
    }
    params.resize(static_cast<std::size_t>(m) * kCentroids * dsub);
    parallel_for(m, threads, [&](std::size_t s, unsigned) {
      kmeans(train.data() + s * dsub, sample.size(), d, dsub, kCentroids, seed + 1 + s,
             params.data() + s * kCentroids * dsub);
    });
    codes.resize(n * m);
    parallel_for(
        n, threads,
        [&](std::size_t r, unsigned w) {
          const float* x = row(r, w);
          for (std::size_t s = 0; s < m; ++s) {
            codes[r * m + s] = static_cast<std::uint8_t>(
                nearest(x + s * dsub, params.data() + s * kCentroids * dsub, kCentroids, dsub));
          }
        },
        256);
  }
  h.num_params = static_cast<std::uint32_t>(params.size());
  io::FileWriter out(path, io::FileKind::dense_codes);
  out.write_pod(h);
  out.write_array(std::span<const float>(params));
  out.align(64);
  out.write_array(std::span<const std::uint8_t>(codes));
  out.commit();
}

CodeIndex::CodeIndex(const std::filesystem::path& path, const VectorStore& vectors)
    : vectors_(&vectors), file_(path, io::FileKind::dense_codes) {
  const io::ByteView view(file_.payload(), file_.path());
  const auto h = view.read<CodeHeader>(0, "header");
  if (h.kind > 2) view.corrupt("unknown code kind");
  if (h.dim != vectors.dim() || h.rows != vectors.rows())
    view.corrupt("shape differs from the vectors'");
  kind_ = static_cast<CodeKind>(h.kind);
  dim_ = h.dim;
  rows_ = h.rows;
  code_bytes_ = h.code_bytes;
  m_ = h.m;
  dsub_ = h.dsub;
  const bool ok =
      (kind_ == CodeKind::sq8 && code_bytes_ == dim_ && h.num_params == 2 * dim_) ||
      (kind_ == CodeKind::binary && code_bytes_ == (dim_ + 63) / 64 * 8 && h.num_params == dim_) ||
      (kind_ == CodeKind::pq && m_ > 0 && m_ * dsub_ == dim_ && code_bytes_ == m_ &&
       h.num_params == m_ * kCentroids * dsub_);
  if (!ok) view.corrupt("inconsistent code parameters");
  params_ = view.array<float>(sizeof(CodeHeader), h.num_params, "quantiser parameters");
  const std::uint64_t off = align_up(sizeof(CodeHeader) + params_.size_bytes(), 64);
  codes_ = view.array<std::uint8_t>(off, rows_ * code_bytes_, "codes");
  file_bytes_ = file_.payload().size() + io::kHeaderSize + io::kFooterSize;
}

void CodeIndex::verify() const {
  file_.verify();
  for (float p : params_) {
    if (!std::isfinite(p)) fail(ErrorKind::corruption, "{}: non-finite quantiser", file_.path());
  }
}

std::size_t default_rerank(CodeKind kind, BinaryScoring binary, std::size_t k) {
  switch (kind) {
    case CodeKind::sq8:
      return std::max<std::size_t>(100, 10 * k);
    case CodeKind::pq:
      return std::max<std::size_t>(200, 20 * k);
    case CodeKind::binary:
      return binary == BinaryScoring::asymmetric ? std::max<std::size_t>(2000, 200 * k)
                                                 : std::max<std::size_t>(10000, 1000 * k);
  }
  return std::max<std::size_t>(100, 10 * k);
}

void CodeIndex::candidates(const float* q, std::size_t count, CodeContext& ctx,
                           std::vector<Hit>& out, RowFilter filter, BinaryScoring binary) const {
  TopK top(count);
  const Kernels& kern = kernels();
  const bool l2 = vectors_->metric() == Metric::l2;
  const auto offer = [&](std::size_t r, float s) {
    if (top.would_enter(s) && row_allowed(filter, r)) top.insert(static_cast<DocId>(r), s);
  };
  if (kind_ == CodeKind::sq8) {
    // <q, x> ~ sum q_j min_j + sum (q_j step_j) c_j; the weights q_j step_j are quantised to int8
    // with one scale so the inner sum is an exact integer dot product.
    const float* lo = params_.data();
    const float* step = params_.data() + dim_;
    double base = 0;
    float wmax = 0;
    ctx.weights.resize(dim_);
    for (std::size_t j = 0; j < dim_; ++j) {
      base += double(q[j]) * lo[j];
      wmax = std::max(wmax, std::abs(q[j] * step[j]));
    }
    const float scale = wmax > 0 ? wmax / 127.0f : 1.0f;
    for (std::size_t j = 0; j < dim_; ++j)
      ctx.weights[j] = static_cast<std::int8_t>(std::lround(q[j] * step[j] / scale));
    const auto fbase = static_cast<float>(base);
    const float* norms = vectors_->sq_norms().data();
    for (std::size_t r = 0; r < rows_; ++r) {
      const float ip = fbase + scale * static_cast<float>(kern.dot_u8_s8(codes_.data() + r * dim_,
                                                                         ctx.weights.data(), dim_));
      offer(r, l2 ? 2 * ip - norms[r] : ip);
    }
  } else if (kind_ == CodeKind::binary && binary == BinaryScoring::asymmetric) {
    // <q, b> with b_j = +1 where bit j is set, -1 otherwise, summed a code byte at a time:
    // table[byte][v] = sum over the 8 dimensions of that byte of (bit set ? q_j : -q_j).
    // Padding bits beyond dim are never set and meet q_j = 0, so they add nothing.
    const std::size_t used = (dim_ + 7) / 8;
    ctx.table.resize(used * 256);
    for (std::size_t byte = 0; byte < used; ++byte) {
      float* t = ctx.table.data() + byte * 256;
      float qs[8] = {};
      float base = 0;
      for (std::size_t b = 0; b < 8 && byte * 8 + b < dim_; ++b) {
        qs[b] = q[byte * 8 + b];
        base -= qs[b];
      }
      t[0] = base;
      for (unsigned v = 1; v < 256; ++v) t[v] = t[v & (v - 1)] + 2 * qs[__builtin_ctz(v)];
    }
    // (Under l2 too the code score alone ranks, as Hamming distance does: the code keeps only
    // the direction of x - mean; the re-ranking restores the metric.)
    const float* t = ctx.table.data();
    for (std::size_t r = 0; r < rows_; ++r) {
      const std::uint8_t* code = codes_.data() + r * code_bytes_;
      float s = 0;
      for (std::size_t j = 0; j < used; ++j) s += t[j * 256 + code[j]];
      offer(r, s);
    }
  } else if (kind_ == CodeKind::binary) {
    const std::size_t words = code_bytes_ / 8;
    ctx.bits.assign(words, 0);
    for (std::size_t j = 0; j < dim_; ++j) {
      if (q[j] > params_[j]) ctx.bits[j / 64] |= std::uint64_t{1} << (j % 64);
    }
    for (std::size_t r = 0; r < rows_; ++r) {
      const auto* code = reinterpret_cast<const std::uint64_t*>(codes_.data() + r * code_bytes_);
      offer(r, -static_cast<float>(kern.hamming(code, ctx.bits.data(), words)));
    }
  } else {
    // Asymmetric distance computation: table[s][c] = score of sub-vector s against centroid c.
    ctx.table.resize(m_ * kCentroids);
    for (std::size_t s = 0; s < m_; ++s) {
      const float* qs = q + s * dsub_;
      for (std::size_t c = 0; c < kCentroids; ++c) {
        const float* cent = params_.data() + (s * kCentroids + c) * dsub_;
        ctx.table[s * kCentroids + c] = l2 ? -sub_l2(qs, cent, dsub_) : kern.dot(qs, cent, dsub_);
      }
    }
    const float* t = ctx.table.data();
    for (std::size_t r = 0; r < rows_; ++r) {
      const std::uint8_t* code = codes_.data() + r * m_;
      float s = 0;
      for (std::size_t j = 0; j < m_; ++j) s += t[j * kCentroids + code[j]];
      offer(r, s);
    }
  }
  top.copy_sorted(out);
}

void CodeIndex::search(const float* q, std::size_t k, std::size_t count, CodeContext& ctx,
                       std::vector<Hit>& out, RowFilter filter, BinaryScoring binary) const {
  candidates(q, std::max(count, k), ctx, ctx.candidates, filter, binary);
  // Second tier: exact scores from the full-precision vectors (memory-mapped).
  for (Hit& h : ctx.candidates) h.score = static_cast<Score>(exact_score(*vectors_, q, h.doc));
  std::sort(ctx.candidates.begin(), ctx.candidates.end(), ranks_before);
  out.assign(ctx.candidates.begin(), ctx.candidates.begin() + static_cast<std::ptrdiff_t>(std::min(
                                                                  k, ctx.candidates.size())));
}

}  // namespace tandem::dense
