#include "tandem/engine/sparse_searcher.hpp"

#include <atomic>
#include <chrono>
#include <optional>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/core/stopwatch.hpp"
#include "tandem/encode/idf_query_encoder.hpp"
#include "tandem/pipeline/approx_retriever.hpp"

#include "searcher_support.hpp"

namespace tandem::engine {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

SparseRetrieverKind parse_sparse_retriever(std::string_view name) {
  if (name == "impact") return SparseRetrieverKind::impact;
  if (name == "sparse-approx") return SparseRetrieverKind::approx;
  fail(ErrorKind::invalid_argument, "unknown sparse retriever '{}' (known: impact, sparse-approx)",
       name);
}

std::string_view to_string(SparseRetrieverKind kind) {
  return kind == SparseRetrieverKind::impact ? "impact" : "sparse-approx";
}

struct SparseSearcher::Impl {
  std::optional<pipeline::ImpactRetriever> exact;
  std::optional<pipeline::ApproxRetriever> approx;
  std::optional<encode::IdfQueryEncoder> encoder;
};

SparseSearcher::SparseSearcher(const Index& index, SparseSearchOptions options,
                               ProgressSink* progress)
    : index_(index), options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  if (options_.k == 0) fail(ErrorKind::invalid_argument, "k must be at least 1");
  if (options_.k > 1'000'000)
    fail(ErrorKind::limit_exceeded, "k = {} is over the limit of 1,000,000", options_.k);
  if (!options_.query_encoder.empty())
    impl_->encoder.emplace(encode::IdfQueryEncoder::from_spec(options_.query_encoder));
  if (options_.retriever == SparseRetrieverKind::impact) {
    impl_->exact.emplace(index.shared_reader(), options_.impact);
  } else {
    if (!(options_.approx.heap_factor > 0) || !std::isfinite(options_.approx.heap_factor))
      fail(ErrorKind::invalid_argument, "heap_factor must be > 0");
    impl_->approx.emplace(index.shared_reader(), options_.build, progress);
  }
}

SparseSearcher::~SparseSearcher() = default;

std::vector<io::SparseQueryTerm> SparseSearcher::encode(const io::SparseQuery& query) const {
  if (query.has_vector) return query.terms;
  if (impl_->encoder) return impl_->encoder->encode(query.text);
  return io::pretokenized_terms(query.text);
}

namespace {

struct ThreadState {
  pipeline::ImpactContext impact;
  pipeline::ApproxContext approx;
  std::vector<pipeline::IndexHit> found;
  std::vector<io::SparseQueryTerm> pruned;
  std::vector<std::uint32_t> order;
};

}  // namespace

// One query: encode, search, map to external ids.
static void run_one(const SparseSearcher& searcher, const SparseSearchOptions& o,
                    const sparse::approx::SeismicSearchParams& approx_params,
                    const pipeline::ImpactRetriever* exact, const pipeline::ApproxRetriever* approx,
                    const index::IndexReader& reader, const io::SparseQuery& q, ThreadState& st,
                    std::vector<Hit>& hits) {
  const auto terms = searcher.encode(q);
  const std::size_t k = o.k + (o.remove_query ? 1 : 0);
  if (exact != nullptr) {
    exact->search(terms, k, st.impact, st.found);
  } else {
    pipeline::prune_query_terms(terms, o.impact.max_query_terms, st.pruned, st.order);
    approx->search(st.pruned, k, approx_params, st.approx, st.found);
  }
  to_hits(reader, st.found, hits);
  if (o.remove_query) {
    std::erase_if(hits, [&](const Hit& h) { return h.id == q.id; });
    if (hits.size() > o.k) hits.resize(o.k);
  }
}

std::vector<Hit> SparseSearcher::search(const io::SparseQuery& query) const {
  thread_local ThreadState st;
  std::vector<Hit> hits;
  run_one(*this, options_, options_.approx, impl_->exact ? &*impl_->exact : nullptr,
          impl_->approx ? &*impl_->approx : nullptr, index_.reader(), query, st, hits);
  return hits;
}

BatchResult SparseSearcher::search_batch(std::span<const io::SparseQuery> queries, unsigned threads,
                                         ProgressSink* progress,
                                         const sparse::approx::SeismicSearchParams* approx) const {
  const auto& approx_params = approx != nullptr ? *approx : options_.approx;
  BatchResult batch;
  batch.threads = resolve_threads(threads);
  batch.results.resize(queries.size());
  std::vector<ThreadState> states(batch.threads);
  std::atomic<std::size_t> done{0};
  const auto start = Clock::now();
  parallel_for(queries.size(), batch.threads, [&](std::size_t i, unsigned w) {
    QueryResult& r = batch.results[i];
    const auto t0 = Clock::now();
    run_one(*this, options_, approx_params, impl_->exact ? &*impl_->exact : nullptr,
            impl_->approx ? &*impl_->approx : nullptr, index_.reader(), queries[i], states[w],
            r.hits);
    r.latency_us = micros_since(t0);
    r.qid = queries[i].id;
    const std::size_t n = ++done;
    if (progress != nullptr && (n % 64 == 0 || n == queries.size()))
      progress->update("searching", n, queries.size());
  });
  batch.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (progress != nullptr) progress->finish("searching");
  return batch;
}

std::string SparseSearcher::settings_json(const sparse::approx::SeismicSearchParams* approx) const {
  const auto& approx_params = approx != nullptr ? *approx : options_.approx;
  json j = {
      {"retriever", std::string(to_string(options_.retriever))},
      {"k", options_.k},
      {"max_query_terms", options_.impact.max_query_terms},
      {"query_encoder", options_.query_encoder},
      {"remove_query", options_.remove_query},
      {"index", index_.reader().dir().string()},
      {"index_generation", index_.reader().manifest().generation},
      {"tandem", TANDEM_VERSION},
  };
  if (impl_->exact) j["algorithm"] = std::string(sparse::to_string(options_.impact.algorithm));
  if (impl_->approx) {
    const auto& a = *impl_->approx;
    const auto b = a.persisted_params().value_or(options_.build);
    j["build"] = {{"n_postings", b.n_postings},
                  {"centroid_fraction", b.centroid_fraction},
                  {"summary_energy", b.summary_energy},
                  {"seed", b.seed},
                  {"build_seconds", impl_->approx->build_seconds()},
                  {"memory_bytes", impl_->approx->memory_bytes()},
                  {"blocks", impl_->approx->num_blocks()},
                  {"postings", impl_->approx->num_postings()},
                  {"summary_entries", a.num_summary_entries()},
                  {"persisted_segments", a.persisted_segments()},
                  {"built_segments", a.built_segments()}};
    if (a.built_segments() > 0) {
      j["note"] = fmt::format(
          "{} segment(s) have no persisted approximate index (tandem index --sparse-approx): "
          "built in memory at open",
          a.built_segments());
    }
    j["query_cut"] = approx_params.query_cut;
    j["heap_factor"] = approx_params.heap_factor;
  }
  return j.dump();
}

std::string sparse_batch_stats_json(const BatchResult& batch, const SparseSearcher& searcher,
                                    const sparse::approx::SeismicSearchParams* approx) {
  return batch_stats(batch, json::parse(searcher.settings_json(approx))).dump(2);
}

}  // namespace tandem::engine
