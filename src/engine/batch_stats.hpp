// The statistics every batch search reports, shared by the searchers' *_batch_stats_json.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "tandem/engine/engine.hpp"

namespace tandem::engine {

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
