#include "tandem/engine/engine.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <numeric>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/core/stopwatch.hpp"
#include "tandem/index/segment_files.hpp"
#include "tandem/index/sparse_field.hpp"
#include "tandem/io/text_file_writer.hpp"
#include "tandem/multi/multi_vector_input.hpp"
#include "tandem/sparse/approx/seismic_index.hpp"

#include "searcher_support.hpp"

namespace tandem::engine {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

index::BuildReport build_index(const index::BuildOptions& options, ProgressSink* progress) {
  return index::build_index(options, progress);
}

std::string to_json(const index::BuildReport& r) {
  const json j = {
      {"documents", r.documents},
      {"empty_documents", r.empty_documents},
      {"blank_lines", r.blank_lines},
      {"skipped_lines", r.skipped_lines},
      {"skipped_duplicates", r.skipped_duplicates},
      {"problems", r.problems},
      {"input_bytes", r.input_bytes},
      {"index_bytes", r.index_bytes},
      {"terms", r.terms},
      {"postings", r.postings},
      {"postings_bytes", r.postings_bytes},
      {"bytes_per_posting",
       r.postings > 0 ? static_cast<double>(r.postings_bytes) / static_cast<double>(r.postings)
                      : 0.0},
      {"generation", r.generation},
      {"read_seconds", r.read_seconds},
      {"write_seconds", r.write_seconds},
      {"seconds", r.read_seconds + r.write_seconds},
  };
  json out = j;
  if (r.sparse_postings > 0) {
    out["sparse_postings"] = r.sparse_postings;
    out["sparse_terms"] = r.sparse_terms;
  }
  if (r.sparse_approx_bytes > 0) {
    out["sparse_approx"] = {{"seconds", r.sparse_approx_seconds},
                            {"bytes", r.sparse_approx_bytes},
                            {"blocks", r.sparse_approx_blocks}};
  }
  if (r.multivec_docs > 0) {
    out["multivec_docs"] = r.multivec_docs;
    out["multivec_tokens"] = r.multivec_tokens;
  }
  return out.dump();
}

index::AddReport add_documents(const index::AddOptions& options, ProgressSink* progress) {
  return index::add_documents(options, progress);
}

index::DeleteReport delete_documents(const index::DeleteOptions& options) {
  return index::delete_documents(options);
}

index::MergeReport merge_segments(const index::MergeOptions& options, ProgressSink* progress) {
  return index::merge_segments(options, progress);
}

namespace {

json merge_json(const index::MergeReport& r) {
  return {{"merges", r.merges},
          {"segments_merged", r.segments_merged},
          {"documents", r.documents},
          {"deleted_dropped", r.deleted_dropped},
          {"segments_after", r.segments_after},
          {"generation", r.generation},
          {"seconds", r.seconds}};
}

}  // namespace

std::string to_json(const index::AddReport& r) {
  json j = json::parse(to_json(r.build));
  j["replaced"] = r.replaced;
  j["merge"] = merge_json(r.merge);
  return j.dump();
}

std::string to_json(const index::DeleteReport& r) {
  const json j = {{"requested", r.requested},
                  {"deleted", r.deleted},
                  {"not_found", r.not_found},
                  {"generation", r.generation}};
  return j.dump();
}

std::string to_json(const index::MergeReport& r) {
  return merge_json(r).dump();
}

Index Index::open(const std::filesystem::path& dir) {
  Index index;
  index.reader_ = index::IndexReader::open(dir);
  return index;
}

std::string Index::info_json() const {
  const index::IndexReader& r = *reader_;
  json segments = json::array();
  std::uint64_t total_bytes = 0;
  for (const auto& seg : r.segments()) {
    json fields = json::object();
    for (const auto& [name, f] : seg->info().fields) {
      fields[name] = {
          {"doc_count", f.stats.doc_count},
          {"sum_total_term_freq", f.stats.sum_total_term_freq},
          {"terms", f.num_terms},
          {"postings", f.num_postings},
          {"postings_bytes", f.postings_bytes},
          {"bytes_per_posting", f.num_postings > 0 ? static_cast<double>(f.postings_bytes) /
                                                         static_cast<double>(f.num_postings)
                                                   : 0.0}};
    }
    std::uint64_t bytes = 0;
    for (const auto& e : std::filesystem::directory_iterator(r.dir() / seg->info().name)) {
      if (e.is_regular_file()) bytes += e.file_size();
    }
    total_bytes += bytes;
    segments.push_back({{"name", seg->info().name},
                        {"documents", seg->num_docs()},
                        {"deleted", seg->info().num_deleted},
                        {"bytes", bytes},
                        {"fields", fields}});
    if (seg->dense() != nullptr) segments.back()["dense_vectors"] = seg->dense()->vectors().rows();
    const auto seg_dir = r.dir() / seg->info().name;
    if (seg->info().fields.contains(std::string(index::kSparseField))) {
      const auto sparse = index::SparseFieldFiles::open(seg_dir);
      if (sparse) {
        segments.back()["sparse"] = {
            {"quantization", std::string(index::to_string(sparse->meta.quantization))},
            {"impact_scale", sparse->meta.impact_scale}};
      }
    }
    const auto approx_path = index::segment_files::sparse_approx(seg_dir);
    if (std::filesystem::exists(approx_path)) {
      const auto a = sparse::approx::SeismicIndex::describe(approx_path);
      segments.back()["sparse_approx"] = {{"file", approx_path.filename().string()},
                                          {"bytes", a.bytes},
                                          {"layout_version", a.layout_version},
                                          {"n_postings", a.params.n_postings},
                                          {"centroid_fraction", a.params.centroid_fraction},
                                          {"summary_energy", a.params.summary_energy},
                                          {"seed", a.params.seed},
                                          {"blocks", a.blocks},
                                          {"postings", a.block_postings},
                                          {"summary_entries", a.summary_entries}};
    }
  }
  json fields = json::object();
  for (std::size_t f = 0; f < r.field_names().size(); ++f) {
    const auto s = r.field_stats(f);
    fields[r.field_names()[f]] = {
        {"doc_count", s.doc_count},
        {"sum_total_term_freq", s.sum_total_term_freq},
        {"avgdl", s.doc_count > 0 ? static_cast<double>(s.sum_total_term_freq) /
                                        static_cast<double>(s.doc_count)
                                  : 0.0}};
  }
  json j = {
      {"index", r.dir().string()},
      {"format_version", r.manifest().format_version},
      {"generation", r.manifest().generation},
      {"created_by", r.manifest().created_by},
      {"documents", r.num_docs()},
      {"bytes", total_bytes},
      {"settings",
       {{"fields", std::string(index::to_string(r.settings().layout))},
        {"analyzer", json::parse(r.settings().analyzer.to_json())},
        {"store", r.settings().store}}},
      {"fields", fields},
      {"segments", segments},
  };
  if (const auto& d = r.settings().dense) {
    json codes = json::array();
    for (auto c : d->codes) codes.push_back(std::string(dense::to_string(c)));
    j["settings"]["dense"] = {{"metric", std::string(dense::to_string(d->metric))},
                              {"dim", d->dim},
                              {"hnsw_m", d->hnsw ? d->hnsw->m : 0},
                              {"codes", codes}};
  }
  return j.dump(2);
}

void Index::verify(ProgressSink* progress) const {
  reader_->verify(progress);
}

std::optional<std::string> Index::document(std::string_view id) const {
  const auto at = reader_->find(id);
  if (!at) return std::nullopt;
  return reader_->stored_document(*at);
}

double BatchResult::qps() const {
  return wall_seconds > 0 ? static_cast<double>(results.size()) / wall_seconds : 0.0;
}

LatencySummary BatchResult::latency() const {
  LatencySummary s;
  if (results.empty()) return s;
  std::vector<double> lat;
  lat.reserve(results.size());
  for (const auto& r : results) lat.push_back(r.latency_us);
  std::sort(lat.begin(), lat.end());
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const auto pct = [&](double p) {
    const auto rank =
        static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(lat.size())));
    return lat[std::clamp<std::size_t>(rank, 1, lat.size()) - 1];
  };
  s.mean = std::accumulate(lat.begin(), lat.end(), 0.0) / static_cast<double>(lat.size());
  s.p50 = pct(50);
  s.p90 = pct(90);
  s.p99 = pct(99);
  s.max = lat.back();
  return s;
}

struct Searcher::QueryTokens {
  std::unordered_map<std::string, std::pair<std::size_t, std::vector<float>>> by_id;
};

Searcher::Searcher(const Index& index, SearchOptions options)
    : index_(index), options_(std::move(options)), bm25_(index.shared_reader(), options_.bm25) {
  if (options_.feedback) feedback_.emplace(index.shared_reader(), *options_.feedback);
  if (!options_.maxsim_queries.empty()) {
    const auto& mv = index.reader().settings().multivec;
    if (!mv)
      fail(ErrorKind::not_found,
           "MaxSim re-ranking needs a multi-vector field; the index in {} has none (tandem index "
           "--multivec FILE)",
           index.reader().dir().string());
    const multi::MultiVectorSet set = multi::read_multi_vectors(options_.maxsim_queries);
    if (set.dim != mv->dim)
      fail(ErrorKind::invalid_argument, "{}: query tokens have dimension {}, the index {}",
           options_.maxsim_queries.string(), set.dim, mv->dim);
    auto tokens = std::make_shared<QueryTokens>();
    for (std::size_t i = 0; i < set.ids.size(); ++i) {
      const auto b = set.offsets[i], e = set.offsets[i + 1];
      tokens->by_id[set.ids[i]] = {
          e - b, std::vector<float>(set.values.begin() + static_cast<std::ptrdiff_t>(b * set.dim),
                                    set.values.begin() + static_cast<std::ptrdiff_t>(e * set.dim))};
    }
    maxsim_queries_ = std::move(tokens);
    if (options_.maxsim_depth == 0) fail(ErrorKind::invalid_argument, "MaxSim depth must be >= 1");
  }
  if (options_.k == 0) fail(ErrorKind::invalid_argument, "k must be at least 1");
  if (options_.k > 1'000'000)
    fail(ErrorKind::limit_exceeded, "k = {} is over the limit of 1,000,000", options_.k);
}

std::vector<Hit> Searcher::search(std::string_view query) const {
  thread_local pipeline::SearchContext ctx;
  thread_local std::vector<pipeline::IndexHit> found;
  if (maxsim_queries_)
    fail(ErrorKind::invalid_argument,
         "MaxSim re-ranking finds query token vectors by query id: use a query file");
  if (feedback_) {
    pipeline::search_with_feedback(bm25_, *feedback_, query, options_.k, ctx, found);
  } else {
    bm25_.search(query, options_.k, ctx, found);
  }
  std::vector<Hit> hits;
  to_hits(index_.reader(), found, hits);
  return hits;
}

BatchResult Searcher::search_batch(std::span<const io::QueryText> queries, unsigned threads,
                                   ProgressSink* progress) const {
  BatchResult batch;
  batch.threads = resolve_threads(threads);
  batch.results.resize(queries.size());
  std::vector<pipeline::SearchContext> contexts(batch.threads);
  std::vector<std::vector<pipeline::IndexHit>> found(batch.threads);
  std::atomic<std::size_t> done{0};
  std::mutex stats_mutex;
  const auto start = Clock::now();
  parallel_for(queries.size(), batch.threads, [&](std::size_t i, unsigned w) {
    QueryResult& r = batch.results[i];
    const auto t0 = Clock::now();
    std::size_t depth = options_.k + (options_.remove_query ? 1 : 0);
    if (maxsim_queries_) depth = std::max(depth, options_.maxsim_depth);
    if (feedback_) {
      pipeline::search_with_feedback(bm25_, *feedback_, queries[i].text, depth, contexts[w],
                                     found[w]);
    } else {
      bm25_.search(queries[i].text, depth, contexts[w], found[w]);
    }
    if (maxsim_queries_) {
      const auto t1 = Clock::now();
      const auto it = maxsim_queries_->by_id.find(queries[i].id);
      if (it == maxsim_queries_->by_id.end())
        fail(ErrorKind::invalid_argument, "{}: no token vectors for query '{}'",
             options_.maxsim_queries.string(), queries[i].id);
      if (found[w].size() > options_.maxsim_depth) found[w].resize(options_.maxsim_depth);
      pipeline::MaxSimOptions mo = options_.maxsim;
      mo.k = options_.k + (options_.remove_query ? 1 : 0);
      std::vector<pipeline::IndexHit> reranked;
      pipeline::MaxSimStats st;
      pipeline::maxsim_rerank(index_.reader(), it->second.second, it->second.first, found[w], mo,
                              reranked, &st);
      found[w] = std::move(reranked);
      const double us = micros_since(t1);
      const std::lock_guard lock(stats_mutex);
      batch.maxsim_stats.candidates += st.candidates;
      batch.maxsim_stats.scored += st.scored;
      batch.maxsim_stats.abandoned += st.abandoned;
      batch.maxsim_stats.skipped_ratio += st.skipped_ratio;
      batch.maxsim_stats.skipped_exit += st.skipped_exit;
      batch.maxsim_stats.missing += st.missing;
      batch.maxsim_seconds += us * 1e-6;
    }
    to_hits(index_.reader(), found[w], r.hits);
    if (options_.remove_query) {
      std::erase_if(r.hits, [&](const Hit& h) { return h.id == queries[i].id; });
      if (r.hits.size() > options_.k) r.hits.resize(options_.k);
    }
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

std::string Searcher::settings_json() const {
  const auto& o = options_.bm25;
  json fields = json::array();
  for (const auto& f : bm25_.options().fields)
    fields.push_back({{"field", f.field}, {"weight", f.weight}});
  const json j = {
      {"retriever", "bm25"},
      {"k", options_.k},
      {"k1", o.params.k1},
      {"b", o.params.b},
      {"lengths", o.length_mode == sparse::LengthMode::lucene ? "lucene" : "exact"},
      {"algorithm", std::string(sparse::to_string(o.algorithm))},
      {"fields", fields},
      {"remove_query", options_.remove_query},
      {"feedback", feedback_ ? json::parse(feedback_->settings_json()) : json(nullptr)},
      {"maxsim", maxsim_queries_ ? json{{"queries", options_.maxsim_queries.string()},
                                        {"depth", options_.maxsim_depth},
                                        {"bound", options_.maxsim.bound},
                                        {"candidate_ratio", options_.maxsim.candidate_ratio},
                                        {"patience", options_.maxsim.patience}}
                                 : json(nullptr)},
      {"index", index_.reader().dir().string()},
      {"index_generation", index_.reader().manifest().generation},
      {"tandem", TANDEM_VERSION},
  };
  return j.dump();
}

std::string batch_stats_json(const BatchResult& batch, const Searcher& searcher) {
  json out = batch_stats(batch, json::parse(searcher.settings_json()));
  if (searcher.options().maxsim_queries.empty()) return out.dump(2);
  const auto& s = batch.maxsim_stats;
  out["maxsim"] = {{"seconds", batch.maxsim_seconds},
                   {"ms_per_query",
                    batch.results.empty()
                        ? 0.0
                        : 1e3 * batch.maxsim_seconds / static_cast<double>(batch.results.size())},
                   {"candidates", s.candidates},
                   {"scored", s.scored},
                   {"abandoned_by_bound", s.abandoned},
                   {"skipped_by_ratio", s.skipped_ratio},
                   {"skipped_by_early_exit", s.skipped_exit},
                   {"missing_vectors", s.missing}};
  return out.dump(2);
}

void write_run(const std::filesystem::path& path, const BatchResult& batch, std::string_view tag,
               io::RunScoreFormat format) {
  io::TextFileWriter out(path);
  std::string buffer;
  std::vector<io::RankedDoc> ranked;
  for (const auto& r : batch.results) {
    ranked.clear();
    for (const auto& h : r.hits) ranked.push_back({h.id, h.score});
    buffer.clear();
    io::append_run_lines(buffer, r.qid, ranked, tag, format);
    out.write(buffer);
  }
  out.commit();
}

}  // namespace tandem::engine
