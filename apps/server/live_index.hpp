// The index a server answers from: an immutable snapshot (an open engine::Index plus searchers
// made on demand, one per k), swapped atomically after every add or delete. A request holds the
// snapshot it started with (a shared_ptr), so a search in flight never sees half a change and its
// files stay mapped until it finishes.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/engine/dense_searcher.hpp"
#include "tandem/engine/engine.hpp"
#include "tandem/engine/sparse_searcher.hpp"

#include "api.hpp"

namespace tandem::server {

/// How each kind of search runs (fixed when the server starts; `k` comes from each request).
struct EngineOptions {
  engine::SearchOptions bm25;
  engine::SparseSearchOptions sparse;
  engine::DenseSearchOptions dense;
  unsigned add_threads = 1;  // threads analysing added documents
};

/// One published generation of the index and its searchers.
class Snapshot {
 public:
  Snapshot(engine::Index index, const EngineOptions& options);

  const engine::Index& index() const { return index_; }
  std::uint64_t generation() const { return index_.reader().manifest().generation; }

  /// Runs a search and returns the response body: {"retriever", "k", "generation", "took_us",
  /// "hits": [{"rank", "id", "score"[, "document"]}], "settings"}. Scores are the CLI's: the
  /// float's shortest decimal spelling, as in a raw run file. Throws tandem::Error for requests
  /// the index cannot answer (a dense query of the wrong dimension, no sparse field, ...).
  std::string search(const SearchRequest& request) const;
  /// Runs request.pipeline over the served index (its "index" is this one; legs may not name
  /// other indexes, nor, unless `allow_files`, files such as encoders or query vectors). The
  /// response has the fused hits (double scores, as the pipeline's explain prints them), the
  /// pipeline's settings, and with request.explain its explain record.
  std::string search_pipeline(const SearchRequest& request, bool allow_files) const;

 private:
  template <typename S>
  struct Entry {
    std::shared_ptr<const S> searcher;
    nlohmann::json settings;
  };
  template <typename S, typename Make>
  Entry<S> cached(std::map<std::size_t, Entry<S>>& cache, std::size_t k, Make make) const;

  engine::Index index_;
  EngineOptions options_;
  mutable std::mutex mutex_;  // guards the caches only
  mutable std::map<std::size_t, Entry<engine::Searcher>> bm25_;
  mutable std::map<std::size_t, Entry<engine::SparseSearcher>> sparse_;
  mutable std::map<std::size_t, Entry<engine::DenseSearcher>> dense_;
};

/// The live index: the current snapshot, and the one writer that changes it.
class LiveIndex {
 public:
  LiveIndex(std::filesystem::path dir, EngineOptions options);

  std::shared_ptr<const Snapshot> snapshot() const { return current_.load(); }
  /// Adds (or replaces) documents, with their sparse and dense vectors if given, then publishes a
  /// new snapshot. Returns the engine's add report with the new generation. Writers are
  /// serialised; searches go on.
  nlohmann::json add(const AddRequest& request);
  /// Deletes documents by id (ids not in the index are counted), then publishes a new snapshot.
  nlohmann::json remove(const std::vector<std::string>& ids);

 private:
  void reopen();

  std::filesystem::path dir_;
  EngineOptions options_;
  std::mutex write_mutex_;
  std::atomic<std::shared_ptr<const Snapshot>> current_;
};

}  // namespace tandem::server
