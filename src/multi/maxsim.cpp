#include "tandem/multi/maxsim.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tandem/core/error.hpp"
#include "tandem/dense/kernels.hpp"

namespace tandem::multi {

float maxsim(const float* query, std::size_t nq, const float* doc, std::size_t nd,
             std::size_t dim) {
  const auto& k = dense::kernels();
  float total = 0;
  for (std::size_t i = 0; i < nq; ++i) {
    float best = -std::numeric_limits<float>::infinity();
    for (std::size_t j = 0; j < nd; ++j)
      best = std::max(best, k.dot(query + i * dim, doc + j * dim, dim));
    if (nd > 0) total += best;
  }
  return total;
}

MaxSimScorer::MaxSimScorer(const MultiVectorStore& store, std::span<const float> query,
                           std::size_t nq)
    : store_(&store), nq_(nq), query_(query.begin(), query.end()) {
  const std::size_t dim = store.dim();
  if (query.size() != nq * dim)
    fail(ErrorKind::invalid_argument, "MaxSim: {} query values for {} tokens of dimension {}",
         query.size(), nq, dim);
  suffix_norm_.assign(nq + 1, 0.0);
  for (std::size_t i = nq; i-- > 0;) {
    double s = 0;
    for (std::size_t c = 0; c < dim; ++c) s += double(query[i * dim + c]) * query[i * dim + c];
    suffix_norm_[i] = suffix_norm_[i + 1] + std::sqrt(s);
  }
  if (store.encoding() == TokenEncoding::int8) {
    const auto scales = store.scales();
    for (std::size_t i = 0; i < nq; ++i)
      for (std::size_t c = 0; c < dim; ++c) query_[i * dim + c] *= scales[c];
  }
}

const float* MaxSimScorer::tokens(std::size_t row, std::vector<float>& scratch) const {
  const std::size_t dim = store_->dim();
  const std::size_t nd = store_->token_count(row);
  scratch.resize(nd * dim + nd);
  if (store_->encoding() == TokenEncoding::f32) return store_->f32_tokens(row);
  // int8: the codes as floats (the scales are folded into the query), so the SIMD dot kernel
  // applies; <q * scale, code> = <q, decoded token>.
  const std::int8_t* codes = store_->int8_tokens(row);
  for (std::size_t x = 0; x < nd * dim; ++x) scratch[x] = static_cast<float>(codes[x]);
  return scratch.data();
}

float MaxSimScorer::token_max(std::size_t i, const float* toks, std::size_t nd,
                              std::vector<float>& scratch) const {
  const std::size_t dim = store_->dim();
  float* dots = scratch.data() + scratch.size() - nd;
  dense::kernels().dot_rows(query_.data() + i * dim, toks, nd, dim, dots);
  float best = -std::numeric_limits<float>::infinity();
  for (std::size_t j = 0; j < nd; ++j) best = std::max(best, dots[j]);
  return best;
}

float MaxSimScorer::score(std::size_t row, std::vector<float>& scratch) const {
  const std::size_t nd = store_->token_count(row);
  if (nd == 0) return 0;
  const float* toks = tokens(row, scratch);
  float total = 0;
  for (std::size_t i = 0; i < nq_; ++i) total += token_max(i, toks, nd, scratch);
  return total;
}

std::optional<float> MaxSimScorer::score_bounded(std::size_t row, float threshold,
                                                 std::vector<float>& scratch) const {
  const std::size_t nd = store_->token_count(row);
  if (nd == 0) return 0.0f < threshold ? std::nullopt : std::optional(0.0f);
  const double norm = store_->max_norm(row);
  // The bound before any token: a row that cannot reach the threshold is not even decoded.
  if (suffix_norm_[0] * norm * (1 + 1e-4) + 1e-6 < threshold) return std::nullopt;
  const float* toks = tokens(row, scratch);
  float total = 0;
  for (std::size_t i = 0; i < nq_; ++i) {
    // Bound of what is left: each remaining token adds at most |q_t| * max |d_j|; the margin
    // covers float rounding of the dot products and of the sum.
    const double rest = suffix_norm_[i] * norm;
    const double bound = total + rest + 1e-4 * (std::abs(total) + rest) + 1e-6;
    if (bound < threshold) return std::nullopt;
    total += token_max(i, toks, nd, scratch);
  }
  return total;
}

}  // namespace tandem::multi
