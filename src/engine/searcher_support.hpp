// What every searcher of the façade shares: mapping a leg's hits to external ids, and the
// statistics every batch reports (the *_batch_stats_json functions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/engine/engine.hpp"
#include "tandem/pipeline/bm25_retriever.hpp"

namespace tandem::engine {

/// Replaces `out` with `found`, each hit carrying its document's external id.
inline void to_hits(const index::IndexReader& reader, const std::vector<pipeline::IndexHit>& found,
                    std::vector<Hit>& out) {
  out.clear();
  out.reserve(found.size());
  std::string scratch;
  for (const auto& h : found)
    out.push_back({std::string(reader.external_id(h.at, scratch)), h.score, h.at});
}

/// {queries, threads, wall_seconds, qps, latency_us {mean, p50, p90, p99, max}, hits, settings};
/// callers add their own members before dumping.
inline nlohmann::json batch_stats(const BatchResult& batch, nlohmann::json settings) {
  const LatencySummary l = batch.latency();
  std::uint64_t hits = 0;
  for (const auto& r : batch.results) hits += r.hits.size();
  return {
      {"queries", batch.results.size()},
      {"threads", batch.threads},
      {"wall_seconds", batch.wall_seconds},
      {"qps", batch.qps()},
      {"latency_us",
       {{"mean", l.mean}, {"p50", l.p50}, {"p90", l.p90}, {"p99", l.p99}, {"max", l.max}}},
      {"hits", hits},
      {"settings", std::move(settings)},
  };
}

}  // namespace tandem::engine
