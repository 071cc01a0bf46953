#include "tandem/pipeline/dense_retriever.hpp"

#include <algorithm>
#include <chrono>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/core/stopwatch.hpp"

namespace tandem::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

const char* code_option(DenseMethod m) {
  return m == DenseMethod::sq8 ? "sq8" : m == DenseMethod::binary ? "binary" : "pq";
}

dense::CodeKind code_kind(DenseMethod m) {
  return m == DenseMethod::sq8      ? dense::CodeKind::sq8
         : m == DenseMethod::binary ? dense::CodeKind::binary
                                    : dense::CodeKind::pq;
}

}  // namespace

std::string_view to_string(DenseMethod method) {
  switch (method) {
    case DenseMethod::exact:
      return "dense-exact";
    case DenseMethod::hnsw:
      return "hnsw";
    case DenseMethod::sq8:
      return "sq8";
    case DenseMethod::binary:
      return "binary";
    case DenseMethod::pq:
      return "pq";
  }
  return "?";
}

DenseMethod parse_dense_method(std::string_view name) {
  if (name == "dense-exact" || name == "exact" || name == "flat") return DenseMethod::exact;
  if (name == "hnsw") return DenseMethod::hnsw;
  if (name == "sq8") return DenseMethod::sq8;
  if (name == "binary") return DenseMethod::binary;
  if (name == "pq") return DenseMethod::pq;
  fail(ErrorKind::invalid_argument,
       "unknown dense retriever '{}' (known: dense-exact, hnsw, sq8, binary, pq)", name);
}

DenseRetriever::DenseRetriever(std::shared_ptr<const index::IndexReader> index,
                               DenseOptions options)
    : index_(std::move(index)), options_(std::move(options)) {
  if (!index_->settings().dense)
    fail(ErrorKind::not_found, "{}: the index has no dense field (build it with --dense)",
         index_->dir().string());
  for (const auto& seg : index_->segments()) {
    if (seg->dense() == nullptr) continue;  // no document of the segment has a vector
    const dense::DenseField& f = *seg->dense();
    if (options_.method == DenseMethod::hnsw && f.hnsw() == nullptr)
      fail(ErrorKind::not_found, "{}: the index has no HNSW graph (build it with --hnsw)",
           index_->dir().string());
    if (options_.method != DenseMethod::exact && options_.method != DenseMethod::hnsw &&
        f.codes(code_kind(options_.method)) == nullptr)
      fail(ErrorKind::not_found, "{}: the index has no {} codes (build it with --codes {})",
           index_->dir().string(), code_option(options_.method), code_option(options_.method));
  }
  // Row filters: the rows of deleted documents are never returned (every method), nor, with
  // filter_ids, rows of other documents. A segment with few allowed rows is searched exactly.
  const bool by_ids = !options_.filter_ids.empty();
  bool any_deleted = false;
  for (const auto& seg : index_->segments())
    any_deleted = any_deleted || seg->num_docs() != seg->num_live_docs();
  if (!by_ids && !any_deleted) return;
  for (const auto& seg : index_->segments()) {
    if (seg->dense() == nullptr || (!by_ids && seg->deletions() == nullptr)) {
      filter_exact_.push_back(false);
      filters_.emplace_back();  // every row allowed
      continue;
    }
    const auto& store = seg->dense()->vectors();
    std::vector<std::uint64_t> bits((store.rows() + 63) / 64, 0);
    std::size_t allowed = 0;
    const auto row_doc = store.row_doc();
    const auto allow = [&](std::size_t row) {
      if (((bits[row >> 6] >> (row & 63)) & 1) == 0) ++allowed;
      bits[row >> 6] |= std::uint64_t{1} << (row & 63);
    };
    if (by_ids) {
      for (const auto& id : options_.filter_ids) {
        const auto doc = seg->ids().find(id);
        if (!doc || seg->is_deleted(*doc)) continue;
        const auto it = std::lower_bound(row_doc.begin(), row_doc.end(), *doc);
        if (it == row_doc.end() || *it != *doc) continue;
        allow(static_cast<std::size_t>(it - row_doc.begin()));
      }
    } else {
      for (std::size_t r = 0; r < row_doc.size(); ++r) {
        if (!seg->is_deleted(row_doc[r])) allow(r);
      }
    }
    filter_exact_.push_back(static_cast<double>(allowed) <
                            options_.exact_below * static_cast<double>(store.rows()));
    filters_.push_back(std::move(bits));
  }
}

std::size_t DenseRetriever::dim() const {
  return index_->settings().dense->dim;
}

dense::Metric DenseRetriever::metric() const {
  return index_->settings().dense->metric;
}

double DenseRetriever::bytes_per_vector() const {
  double bytes = 0, rows = 0;
  for (const auto& seg : index_->segments()) {
    if (seg->dense() == nullptr) continue;
    const dense::DenseField& f = *seg->dense();
    rows += static_cast<double>(f.vectors().rows());
    switch (options_.method) {
      case DenseMethod::exact:
        bytes += static_cast<double>(f.vectors().rows() * f.vectors().dim() * 4);
        break;
      case DenseMethod::hnsw:
        bytes += static_cast<double>(f.vectors().rows() * f.vectors().dim() * 4 +
                                     f.hnsw()->file_bytes());
        break;
      default: {
        const auto* c = f.codes(code_kind(options_.method));
        bytes += static_cast<double>(c->bytes_per_vector() * f.vectors().rows());
        if (options_.method == DenseMethod::sq8 && f.vectors().metric() == dense::Metric::l2)
          bytes += 4.0 * static_cast<double>(f.vectors().rows());  // norms
      }
    }
  }
  return rows > 0 ? bytes / rows : 0.0;
}

DenseBatch DenseRetriever::search_batch(std::span<const float> raw, std::size_t nq, std::size_t k,
                                        unsigned threads, std::string_view source) const {
  const std::size_t d = dim();
  if (raw.size() != nq * d)
    fail(ErrorKind::invalid_argument, "{}: queries have dimension {}, the index {}", source,
         nq == 0 ? 0 : raw.size() / nq, d);
  std::vector<float> queries(nq * d);
  for (std::size_t i = 0; i < nq; ++i) {
    dense::prepare_query(metric(), raw.subspan(i * d, d), queries.data() + i * d,
                         fmt::format("{}: query row {}", source, i + 1));
  }
  DenseBatch batch;
  batch.hits.assign(nq, {});
  batch.latency_us.assign(nq, 0.0);
  const unsigned t = resolve_threads(threads);
  const auto& segments = index_->segments();
  const dense::BinaryScoring binary =
      options_.binary_hamming ? dense::BinaryScoring::hamming : dense::BinaryScoring::asymmetric;
  const std::size_t rerank = options_.rerank != 0 || options_.method == DenseMethod::exact ||
                                     options_.method == DenseMethod::hnsw
                                 ? options_.rerank
                                 : dense::default_rerank(code_kind(options_.method), binary, k);

  for (std::uint32_t s = 0; s < segments.size(); ++s) {
    if (segments[s]->dense() == nullptr) continue;
    const dense::DenseField& field = *segments[s]->dense();
    const auto& store = field.vectors();
    const auto row_doc = store.row_doc();
    const dense::RowFilter filter =
        filters_.empty() ? dense::RowFilter{} : dense::RowFilter(filters_[s]);
    const bool exact =
        options_.method == DenseMethod::exact || (!filters_.empty() && filter_exact_[s]);
    if (exact && options_.method != DenseMethod::exact) ++batch.filter_fallbacks;
    const auto add = [&](std::size_t q, const std::vector<Hit>& hits) {
      for (const Hit& h : hits) batch.hits[q].push_back({{s, row_doc[h.doc]}, h.score});
    };
    if (exact) {
      // Blocks of queries share each pass over the vectors; a query's latency is its block's.
      dense::ExactSearchOptions o = options_.exact;
      o.k = k;
      o.threads = 1;
      const std::size_t qb =
          nq >= o.block_min_queries && o.block_min_queries > 0
              ? std::max<std::size_t>(1, std::min(o.query_block, (nq + t - 1) / t))
              : 1;
      o.query_block = qb;
      const std::size_t blocks = (nq + qb - 1) / qb;
      std::vector<dense::ExactSearchStats> stats(t);
      std::vector<std::vector<std::vector<Hit>>> found(t);
      parallel_for(blocks, t, [&](std::size_t b, unsigned w) {
        const auto t0 = Clock::now();
        const std::size_t q0 = b * qb, m = std::min(qb, nq - q0);
        dense::exact_search(store, std::span<const float>(queries).subspan(q0 * d, m * d), m, o,
                            found[w], filter, &stats[w]);
        const double us = micros_since(t0);
        for (std::size_t i = 0; i < m; ++i) {
          add(q0 + i, found[w][i]);
          batch.latency_us[q0 + i] += us;
        }
      });
      for (const auto& st : stats) {
        batch.exact_stats.queries += st.queries;
        batch.exact_stats.fallbacks += st.fallbacks;
        batch.exact_stats.used_block_product =
            batch.exact_stats.used_block_product || st.used_block_product;
      }
      continue;
    }
    if (options_.method == DenseMethod::hnsw) {
      std::vector<dense::HnswContext> ctx(t);
      std::vector<std::vector<Hit>> found(t);
      parallel_for(nq, t, [&](std::size_t q, unsigned w) {
        const auto t0 = Clock::now();
        field.hnsw()->search(queries.data() + q * d, k, options_.ef, ctx[w], found[w], filter);
        add(q, found[w]);
        batch.latency_us[q] += micros_since(t0);
      });
      continue;
    }
    const dense::CodeIndex& codes = *field.codes(code_kind(options_.method));
    std::vector<dense::CodeContext> ctx(t);
    std::vector<std::vector<Hit>> found(t);
    parallel_for(nq, t, [&](std::size_t q, unsigned w) {
      const auto t0 = Clock::now();
      codes.search(queries.data() + q * d, k, rerank, ctx[w], found[w], filter, binary);
      add(q, found[w]);
      batch.latency_us[q] += micros_since(t0);
    });
  }
  if (segments.size() > 1) {
    // Within a segment DocId order is external id order; across segments compare the ids.
    for (auto& hits : batch.hits) {
      std::string sa, sb;
      std::sort(hits.begin(), hits.end(), [&](const IndexHit& a, const IndexHit& b) {
        if (a.score != b.score) return a.score > b.score;
        return index_->external_id(a.at, sa) < index_->external_id(b.at, sb);
      });
      if (hits.size() > k) hits.resize(k);
    }
  }
  return batch;
}

}  // namespace tandem::pipeline
