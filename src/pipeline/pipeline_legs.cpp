// The learned-sparse and dense legs of a pipeline.
#include <chrono>
#include <unordered_map>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/core/stopwatch.hpp"
#include "tandem/encode/idf_query_encoder.hpp"
#include "tandem/encode/text_encoder.hpp"
#include "tandem/io/vector_file.hpp"
#include "tandem/pipeline/approx_retriever.hpp"
#include "tandem/pipeline/pipeline.hpp"

namespace tandem::pipeline {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// ---- learned sparse ---------------------------------------------------------------------------

struct SparseLeg::Impl {
  std::optional<ImpactRetriever> exact;
  std::optional<ApproxRetriever> approx;
  std::optional<encode::IdfQueryEncoder> encoder;
  std::unordered_map<std::string, std::vector<io::SparseQueryTerm>> queries;
  std::vector<sparse::DeletedDocs> exclude;  // per segment, under a filter (exact search)
};

SparseLeg::SparseLeg(LegSpec spec, std::shared_ptr<const LegIndex> index)
    : Leg(std::move(spec), std::move(index)), impl_(std::make_unique<Impl>()) {
  if (!spec_.query_encoder.empty())
    impl_->encoder.emplace(encode::IdfQueryEncoder::from_spec(spec_.query_encoder));
  if (!spec_.queries.empty()) {
    for (auto& q : io::read_sparse_queries(spec_.queries)) {
      auto terms = q.has_vector ? std::move(q.terms) : io::pretokenized_terms(q.text);
      impl_->queries.insert_or_assign(q.id, std::move(terms));
    }
  }
  if (spec_.kind == LegKind::impact) {
    impl_->exact.emplace(index_->reader, spec_.impact);
    for (const auto& bits : index_->excluded) impl_->exclude.emplace_back(bits.data());
  } else {
    auto build = spec_.build;
    build.threads = 1;
    impl_->approx.emplace(index_->reader, build);
  }
}

SparseLeg::~SparseLeg() = default;

std::vector<io::SparseQueryTerm> SparseLeg::encode(const PipelineQuery& query) const {
  if (!spec_.queries.empty()) {
    const auto it = impl_->queries.find(query.id);
    if (it == impl_->queries.end())
      fail(ErrorKind::invalid_argument, "leg '{}': {} has no query '{}'", spec_.name, spec_.queries,
           query.id);
    return it->second;
  }
  if (impl_->encoder) return impl_->encoder->encode(query.text);
  return io::pretokenized_terms(query.text);
}

void SparseLeg::search_terms(std::span<const io::SparseQueryTerm> terms, std::size_t depth,
                             std::vector<LegHit>& out) const {
  thread_local ImpactContext impact;
  thread_local ApproxContext approx;
  thread_local std::vector<IndexHit> found;
  thread_local std::vector<io::SparseQueryTerm> pruned;
  thread_local std::vector<std::uint32_t> order;
  if (impl_->exact) {  // a filter goes through the deleted-docs hook, as for BM25
    impl_->exact->search(terms, depth, impact, found, impl_->exclude);
    to_leg_hits(found, out);
    return;
  }
  // The approximate index has no such hook: fetch deeper until `depth` hits pass.
  const std::uint64_t total = index_->reader->num_docs();
  std::size_t fetch = depth;
  while (true) {
    prune_query_terms(terms, spec_.impact.max_query_terms, pruned, order);
    impl_->approx->search(pruned, fetch, spec_.approx, approx, found);
    const bool exhausted = found.size() < fetch || fetch >= total;
    if (!index_->allowed.empty()) {
      std::erase_if(found, [&](const IndexHit& h) { return !index_->passes(h.at); });
    }
    if (found.size() >= depth || exhausted) break;
    fetch = std::min<std::uint64_t>(fetch * 4, std::max<std::uint64_t>(total, 1));
  }
  if (found.size() > depth) found.resize(depth);
  to_leg_hits(found, out);
}

void SparseLeg::run_batch(std::span<const PipelineQuery> queries, unsigned threads,
                          std::vector<LegResult>& out) const {
  out.resize(queries.size());
  parallel_for(queries.size(), threads, [&](std::size_t q, unsigned) {
    const auto t0 = Clock::now();
    const auto terms = encode(queries[q]);
    search_terms(terms, spec_.depth, out[q].hits);
    out[q].micros = micros_since(t0);
  });
}

json SparseLeg::settings() const {
  json j = {{"name", spec_.name},
            {"kind", std::string(to_string(spec_.kind))},
            {"index", spec_.index},
            {"depth", spec_.depth},
            {"queries", spec_.queries},
            {"query_encoder", spec_.query_encoder},
            {"max_query_terms", spec_.impact.max_query_terms}};
  if (impl_->exact) {
    j["algorithm"] = std::string(sparse::to_string(spec_.impact.algorithm));
  } else {
    j["query_cut"] = spec_.approx.query_cut;
    j["heap_factor"] = spec_.approx.heap_factor;
    j["n_postings"] = spec_.build.n_postings;
    j["centroid_fraction"] = spec_.build.centroid_fraction;
    j["summary_energy"] = spec_.build.summary_energy;
    j["seed"] = spec_.build.seed;
  }
  return j;
}

// ---- dense ------------------------------------------------------------------------------------

struct DenseLeg::Impl {
  std::optional<DenseRetriever> retriever;
  std::unique_ptr<encode::TextEncoder> encoder;
  io::VectorSet vectors;
  std::unordered_map<std::string, std::size_t> rows;
};

namespace {

DenseOptions dense_options(const LegSpec& spec, const LegIndex& index) {
  DenseOptions o;
  o.method = spec.method;
  o.ef = spec.ef;
  o.rerank = spec.rerank;
  if (!index.allowed.empty()) {
    o.filter_ids = index.allowed_ids;
    // Nothing allowed still needs a filter: an id no document has.
    if (o.filter_ids.empty()) o.filter_ids.push_back(std::string("\x01", 1));
  }
  return o;
}

}  // namespace

DenseLeg::DenseLeg(LegSpec spec, std::shared_ptr<const LegIndex> index)
    : Leg(std::move(spec), std::move(index)), impl_(std::make_unique<Impl>()) {
  impl_->retriever.emplace(index_->reader, dense_options(spec_, *index_));
  if (!spec_.encoder.empty()) {
    impl_->encoder = encode::load_text_encoder(spec_.encoder);
    if (impl_->encoder->dims() != dim())
      fail(ErrorKind::invalid_argument,
           "leg '{}': the encoder {} gives {} dimensions, the index {} holds {}", spec_.name,
           spec_.encoder, impl_->encoder->dims(), spec_.index, dim());
  } else {
    impl_->vectors = io::read_vectors(spec_.query_vectors, spec_.query_ids);
    if (impl_->vectors.dim != dim())
      fail(ErrorKind::invalid_argument,
           "leg '{}': {} has vectors of dimension {}, the index {} holds {}", spec_.name,
           spec_.query_vectors, impl_->vectors.dim, spec_.index, dim());
    for (std::size_t i = 0; i < impl_->vectors.rows(); ++i)
      impl_->rows.insert_or_assign(io::row_id(impl_->vectors, i), i);
  }
}

DenseLeg::~DenseLeg() = default;

const DenseRetriever& DenseLeg::retriever() const {
  return *impl_->retriever;
}

std::size_t DenseLeg::dim() const {
  return impl_->retriever->dim();
}

bool DenseLeg::query_vector(const PipelineQuery& query, std::vector<float>& out) const {
  out.assign(dim(), 0.0f);
  if (impl_->encoder) {
    impl_->encoder->encode(query.text, out);
  } else {
    const auto it = impl_->rows.find(query.id);
    if (it == impl_->rows.end())
      fail(ErrorKind::invalid_argument, "leg '{}': {} has no vector for query '{}'", spec_.name,
           spec_.query_vectors, query.id);
    const auto row = impl_->vectors.row(it->second);
    std::copy(row.begin(), row.end(), out.begin());
  }
  for (float v : out) {
    if (v != 0.0f) return true;
  }
  return false;
}

void DenseLeg::search_vector(std::span<const float> vector, std::size_t depth,
                             std::vector<LegHit>& out) const {
  DenseBatch b = impl_->retriever->search_batch(vector, 1, depth, 1, spec_.name);
  to_leg_hits(b.hits[0], out);
}

void DenseLeg::run_batch(std::span<const PipelineQuery> queries, unsigned threads,
                         std::vector<LegResult>& out) const {
  out.assign(queries.size(), {});
  const std::size_t d = dim();
  std::vector<float> matrix;
  std::vector<std::size_t> which;  // query of each matrix row
  std::vector<float> v;
  std::vector<double> encode_us(queries.size(), 0.0);
  for (std::size_t q = 0; q < queries.size(); ++q) {
    const auto t0 = Clock::now();
    if (query_vector(queries[q], v)) {
      matrix.insert(matrix.end(), v.begin(), v.end());
      which.push_back(q);
    }
    encode_us[q] = micros_since(t0);
  }
  DenseBatch b =
      impl_->retriever->search_batch(matrix, which.size(), spec_.depth, threads, spec_.name);
  parallel_for(which.size(), threads, [&](std::size_t i, unsigned) {
    to_leg_hits(b.hits[i], out[which[i]].hits);
    out[which[i]].micros = b.latency_us[i];
  });
  for (std::size_t q = 0; q < queries.size(); ++q) out[q].micros += encode_us[q];
  (void)d;
}

json DenseLeg::settings() const {
  json j = {{"name", spec_.name},
            {"kind", "dense"},
            {"method", std::string(to_string(spec_.method))},
            {"index", spec_.index},
            {"depth", spec_.depth},
            {"metric", std::string(dense::to_string(impl_->retriever->metric()))},
            {"dim", dim()}};
  if (impl_->encoder) {
    j["encoder"] = spec_.encoder;
    j["encoder_kind"] = std::string(impl_->encoder->kind());
  } else {
    j["query_vectors"] = spec_.query_vectors;
  }
  if (spec_.method == DenseMethod::hnsw) j["ef"] = spec_.ef;
  if (spec_.method != DenseMethod::exact && spec_.method != DenseMethod::hnsw)
    j["rerank"] = spec_.rerank;
  return j;
}

}  // namespace tandem::pipeline
