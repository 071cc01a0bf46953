#include "tandem/engine/pipeline_searcher.hpp"

#include <chrono>
#include <map>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"

#include "searcher_support.hpp"

namespace tandem::engine {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

pipeline::PipelineSpec with_k(pipeline::PipelineSpec spec, std::optional<std::size_t> k) {
  if (k) {
    if (*k == 0) fail(ErrorKind::invalid_argument, "k must be at least 1");
    if (*k > 1'000'000)
      fail(ErrorKind::limit_exceeded, "k = {} is over the limit of 1,000,000", *k);
    spec.k = *k;
  }
  return spec;
}

}  // namespace

PipelineSearcher::PipelineSearcher(pipeline::PipelineSpec spec, std::optional<std::size_t> k,
                                   ProgressSink* progress)
    : pipeline_(std::make_shared<pipeline::Pipeline>(with_k(std::move(spec), k), progress)) {}

PipelineSearcher PipelineSearcher::open(const std::filesystem::path& path,
                                        std::optional<std::size_t> k, ProgressSink* progress) {
  return PipelineSearcher(pipeline::read_pipeline_spec(path), k, progress);
}

void to_query_results(std::span<const pipeline::QueryState> states, std::vector<QueryResult>& out) {
  out.resize(states.size());
  for (std::size_t q = 0; q < states.size(); ++q) {
    const auto& st = states[q];
    QueryResult& r = out[q];
    r.qid = st.query->id;
    r.latency_us = st.total_micros();
    r.hits.clear();
    r.hits.reserve(st.fused.size());
    for (const auto& e : st.fused) r.hits.push_back({e.id, static_cast<Score>(e.score), {}});
  }
}

PipelineBatch PipelineSearcher::search(std::string_view text, std::string_view qid) const {
  const io::QueryText q{std::string(qid), std::string(text)};
  return search_batch(std::span(&q, 1), 1, nullptr, true);
}

PipelineBatch PipelineSearcher::search_batch(std::span<const io::QueryText> queries,
                                             unsigned threads, ProgressSink* progress,
                                             bool explain) const {
  PipelineBatch out;
  out.batch.threads = resolve_threads(threads);
  std::vector<pipeline::PipelineQuery> pq(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) pq[i] = {queries[i].id, queries[i].text};
  const auto start = Clock::now();
  if (progress != nullptr) progress->update("searching", 0, queries.size());
  out.states = pipeline_->run_legs(pq, out.batch.threads);
  for (auto& st : out.states) st.explain = explain;
  pipeline_->finish(out.states, out.batch.threads);
  out.batch.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (progress != nullptr) {
    progress->update("searching", queries.size(), queries.size());
    progress->finish("searching");
  }
  to_query_results(out.states, out.batch.results);
  // The states point at `pq`, which dies here: re-point them at stable copies.
  for (std::size_t i = 0; i < out.states.size(); ++i) out.states[i].query = nullptr;
  out.queries_ = std::move(pq);
  for (std::size_t i = 0; i < out.states.size(); ++i) out.states[i].query = &out.queries_[i];
  return out;
}

std::string PipelineSearcher::settings_json() const {
  return pipeline_->settings().dump();
}

std::string explain_json(const pipeline::Pipeline& p, const pipeline::QueryState& st,
                         std::size_t max_hits) {
  json timings = json::object();
  for (const auto& [name, us] : st.timings_us) timings[name] = us;
  timings["total"] = st.total_micros();
  json hits = json::array();
  for (std::size_t i = 0; i < st.fused.size() && i < max_hits; ++i) {
    const auto& e = st.fused[i];
    json legs = json::object();
    for (std::size_t l = 0; l < e.lists.size() && l < p.num_legs(); ++l) {
      const auto& c = e.lists[l];
      legs[p.leg(l).name()] = {{"rank", c.rank == 0 ? json(nullptr) : json(c.rank)},
                               {"score", c.rank == 0 ? json(nullptr) : json(c.raw)},
                               {"normalized", c.normalized}};
    }
    hits.push_back({{"rank", i + 1}, {"id", e.id}, {"score", e.score}, {"legs", legs}});
  }
  json j = {{"qid", st.query != nullptr ? st.query->id : ""},
            {"query", st.query != nullptr ? st.query->text : ""},
            {"timings_us", timings},
            {"hits", hits}};
  if (!st.notes.empty()) j["notes"] = st.notes;
  return j.dump();
}

std::string pipeline_batch_stats_json(const PipelineBatch& b, const PipelineSearcher& searcher) {
  std::map<std::string, double> stage_sum;
  std::vector<std::string> order;
  for (const auto& st : b.states) {
    for (const auto& [name, us] : st.timings_us) {
      if (stage_sum.find(name) == stage_sum.end()) order.push_back(name);
      stage_sum[name] += us;
    }
  }
  json stages = json::object();
  const double n = b.states.empty() ? 1.0 : static_cast<double>(b.states.size());
  for (const auto& name : order) stages[name] = stage_sum[name] / n;
  json j = batch_stats(b.batch, searcher.pipeline().settings());
  j["stages_us"] = std::move(stages);
  return j.dump(2);
}

}  // namespace tandem::engine
