// Seeded random sequences of adds, updates, deletes and merges on a live index, checked after
// every step against a fresh build of the surviving documents: the same top-k (k = 10 and 100),
// the same ids in the same order and bit-identical scores, in Lucene and exact length modes and
// with every query algorithm. Collection statistics must be exact across segments minus
// deletions for this to hold (docs/live.md, "Statistics").
//
// A failure prints the seed and the step; a seed that once failed stays as a named test at the end
// (check_sequence(seed)). More sequences: TANDEM_PROPERTY_CASES=<multiplier> (default 1).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include "tandem/engine/engine.hpp"
#include "tandem/pipeline/approx_retriever.hpp"
#include "tandem/pipeline/dense_retriever.hpp"
#include "tandem/pipeline/impact_retriever.hpp"
#include "tandem/sparse/query/query_algorithm.hpp"

#include "test_support.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;

// Documents are drawn from a small skewed vocabulary with many exact copies, so that score ties
// between documents of different segments are common (the tie rule is external id ascending).
class DocGenerator {
 public:
  explicit DocGenerator(std::mt19937_64& rng) : rng_(rng) {
    for (int i = 0; i < 60; ++i) vocab_.push_back("w" + std::to_string(i));
  }

  std::string word() {
    // Zipf-like: the square of a uniform draw favours the first words.
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double x = u(rng_);
    return vocab_[static_cast<std::size_t>(x * x * static_cast<double>(vocab_.size()))];
  }

  std::string text() {
    if (!texts_.empty() && rng_() % 4 == 0) return texts_[rng_() % texts_.size()];  // a copy
    std::string t;
    const std::size_t n = rng_() % 12;  // 0: an empty document
    for (std::size_t i = 0; i < n; ++i) t += (i > 0 ? " " : "") + word();
    texts_.push_back(t);
    return t;
  }

  std::string id() {
    // Ids of varied length and byte order ("10" < "9"), some reused for updates by the caller.
    return "d" + std::to_string(rng_() % 400);
  }

  std::string query() {
    std::string q;
    const std::size_t n = 1 + rng_() % 4;
    for (std::size_t i = 0; i < n; ++i) q += (i > 0 ? " " : "") + word();
    return q;
  }

 private:
  std::mt19937_64& rng_;
  std::vector<std::string> vocab_;
  std::vector<std::string> texts_;
};

std::string json_line(const std::string& id, const std::string& text) {
  return "{\"_id\": \"" + id + "\", \"text\": \"" + text + "\"}\n";
}

void write_corpus(const fs::path& path, const std::map<std::string, std::string>& docs) {
  std::string out;
  for (const auto& [id, text] : docs) out += json_line(id, text);
  test::write_file(path, out);
}

// Compares the live index with a fresh build of `docs`; returns a description of the first
// difference, or an empty string.
std::string compare(const fs::path& live_dir, const fs::path& scratch,
                    const std::map<std::string, std::string>& docs,
                    const std::vector<std::string>& queries, std::mt19937_64& rng) {
  const auto live = engine::Index::open(live_dir);
  if (live.reader().num_docs() != docs.size()) {
    return "live index has " + std::to_string(live.reader().num_docs()) + " documents, expected " +
           std::to_string(docs.size());
  }
  std::error_code ec;
  fs::remove_all(scratch / "fresh", ec);
  if (docs.empty()) {
    engine::SearchOptions o;
    o.k = 10;
    for (const auto& q : queries) {
      if (!engine::Searcher(live, o).search(q).empty()) return "hits in an empty index: " + q;
    }
    return "";
  }
  write_corpus(scratch / "fresh.jsonl", docs);
  index::BuildOptions build;
  build.corpus = scratch / "fresh.jsonl";
  build.index_dir = scratch / "fresh";
  build.threads = 1;
  engine::build_index(build);
  const auto fresh = engine::Index::open(scratch / "fresh");
  for (std::size_t f = 0; f < live.reader().field_names().size(); ++f) {
    const auto a = live.reader().field_stats(f);
    const auto b = fresh.reader().field_stats(f);
    if (a != b) return "field statistics differ";
  }
  for (const std::size_t k : {std::size_t{10}, std::size_t{100}}) {
    for (const auto mode : {sparse::LengthMode::lucene, sparse::LengthMode::exact}) {
      engine::SearchOptions o;
      o.k = k;
      o.bm25.length_mode = mode;
      o.bm25.algorithm = sparse::kQueryAlgorithms[rng() % sparse::kQueryAlgorithms.size()];
      engine::SearchOptions oracle = o;
      oracle.bm25.algorithm = sparse::QueryAlgorithm::exhaustive;
      const engine::Searcher ls(live, o);
      const engine::Searcher fs_(fresh, oracle);
      for (const auto& q : queries) {
        const auto a = ls.search(q);
        const auto b = fs_.search(q);
        const std::string where = "query '" + q + "' k=" + std::to_string(k) + " " +
                                  (mode == sparse::LengthMode::lucene ? "lucene" : "exact") + " " +
                                  std::string(sparse::to_string(o.bm25.algorithm));
        if (a.size() != b.size()) {
          return where + ": " + std::to_string(a.size()) + " hits, fresh build " +
                 std::to_string(b.size());
        }
        for (std::size_t i = 0; i < a.size(); ++i) {
          if (a[i].id != b[i].id || a[i].score != b[i].score) {
            return where + ": rank " + std::to_string(i + 1) + " is " + a[i].id + " " +
                   std::to_string(a[i].score) + ", fresh build " + b[i].id + " " +
                   std::to_string(b[i].score);
          }
        }
      }
    }
  }
  return "";
}

void check_sequence(std::uint64_t seed, int steps = 24) {
  std::mt19937_64 rng(seed);
  DocGenerator gen(rng);
  test::TempDir dir;
  const fs::path live = dir / "live";
  std::map<std::string, std::string> docs;  // what a fresh build must hold

  // Start from a build of a few documents.
  std::map<std::string, std::string> first;
  for (int i = 0; i < 20; ++i) first[gen.id()] = gen.text();
  write_corpus(dir / "first.jsonl", first);
  index::BuildOptions build;
  build.corpus = dir / "first.jsonl";
  build.index_dir = live;
  build.threads = 1;
  engine::build_index(build);
  docs = first;

  std::vector<std::string> queries;
  for (int i = 0; i < 12; ++i) queries.push_back(gen.query());

  for (int s = 0; s < steps; ++s) {
    const unsigned op = static_cast<unsigned>(rng() % 10);
    std::string what;
    if (op < 5) {  // add a batch: new ids and updates of existing ones
      std::map<std::string, std::string> batch;
      const std::size_t n = 1 + rng() % 30;
      for (std::size_t i = 0; i < n; ++i) {
        if (!docs.empty() && rng() % 3 == 0) {
          auto it = docs.begin();
          std::advance(it, static_cast<long>(rng() % docs.size()));
          batch[it->first] = gen.text();
        } else {
          batch[gen.id()] = gen.text();
        }
      }
      write_corpus(dir / "batch.jsonl", batch);
      index::AddOptions add;
      add.corpus = dir / "batch.jsonl";
      add.index_dir = live;
      add.threads = 1;
      add.auto_merge = rng() % 2 == 0;
      add.policy.segments_per_tier = 2 + rng() % 3;
      add.policy.floor_docs = 1 + rng() % 20;
      engine::add_documents(add);
      for (const auto& [id, text] : batch) docs[id] = text;
      what = "add " + std::to_string(batch.size()) + (add.auto_merge ? " (auto-merge)" : "");
    } else if (op < 8) {  // delete some existing ids and some unknown ones
      index::DeleteOptions del;
      del.index_dir = live;
      const std::size_t n = 1 + rng() % 10;
      for (std::size_t i = 0; i < n; ++i) {
        if (!docs.empty() && rng() % 4 != 0) {
          auto it = docs.begin();
          std::advance(it, static_cast<long>(rng() % docs.size()));
          del.ids.push_back(it->first);
        } else {
          del.ids.push_back(gen.id());
        }
      }
      const auto r = engine::delete_documents(del);
      std::uint64_t expected = 0;
      std::sort(del.ids.begin(), del.ids.end());
      del.ids.erase(std::unique(del.ids.begin(), del.ids.end()), del.ids.end());
      for (const auto& id : del.ids) expected += docs.erase(id);
      EXPECT_EQ(r.deleted, expected) << "seed " << seed << " step " << s;
      what = "delete " + std::to_string(del.ids.size());
    } else {  // merge
      index::MergeOptions merge;
      merge.index_dir = live;
      merge.max_segments = 1 + rng() % 3;
      merge.threads = 1;
      const auto r = engine::merge_segments(merge);
      EXPECT_LE(r.segments_after, merge.max_segments) << "seed " << seed << " step " << s;
      what = "merge to " + std::to_string(merge.max_segments);
    }
    const std::string diff = compare(live, dir.path(), docs, queries, rng);
    ASSERT_EQ(diff, "") << "seed " << seed << ", step " << s << " (" << what
                        << "): the live index differs from a fresh build";
    if (s % 8 == 7) {
      ASSERT_NO_THROW(engine::Index::open(live).verify()) << "seed " << seed << " step " << s;
    }
  }
  EXPECT_NO_THROW(engine::Index::open(live).verify()) << "seed " << seed;
}

int multiplier() {
  const char* v = std::getenv("TANDEM_PROPERTY_CASES");
  return v != nullptr ? std::max(1, std::atoi(v)) : 1;
}

TEST(LiveIndexProperty, RandomSequencesEqualFreshBuilds) {
  const int cases = 6 * multiplier();
  for (int c = 0; c < cases; ++c) {
    SCOPED_TRACE("seed " + std::to_string(1000 + c));
    check_sequence(1000 + static_cast<std::uint64_t>(c));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// ---- An index with a learned-sparse and a dense field ---------------------------------------
//
// The same kind of sequences on documents that carry a sparse vector and a dense vector (either
// may be missing). After every step: impact search (every algorithm), the approximate sparse index
// with pruning off, and dense-exact search return the same ids and bit-identical scores as a fresh
// build of the surviving documents; HNSW and sq8 codes never return a deleted document or one
// without a vector, their scores are the exact ones, and their recall is reported.

struct VectorDoc {
  std::string text;
  std::vector<std::pair<std::string, double>> sparse;  // empty: no sparse vector
  std::vector<float> dense;                            // empty: no dense vector
};

struct VectorSetup {
  bool float_impacts = false;  // float quantisation (weights k/8), else auto (integers)
  dense::Metric metric = dense::Metric::ip;
  static constexpr std::size_t kDim = 6;
};

VectorDoc make_vector_doc(DocGenerator& gen, std::mt19937_64& rng, const VectorSetup& setup) {
  VectorDoc d;
  d.text = gen.text();
  if (rng() % 8 != 0) {
    const std::size_t n = 1 + rng() % 6;
    for (std::size_t i = 0; i < n; ++i) {
      const double w = setup.float_impacts ? static_cast<double>(1 + rng() % 20) / 8.0
                                           : static_cast<double>(1 + rng() % 5);
      d.sparse.emplace_back(gen.word(), w);  // a repeated term: weights summed, as in a build
    }
  }
  if (rng() % 8 != 0) {
    // Small integers: many exact ties across segments. The first component is never zero, so the
    // vector has a direction under cosine.
    d.dense.push_back(static_cast<float>(1 + rng() % 3));
    for (std::size_t c = 1; c < VectorSetup::kDim; ++c)
      d.dense.push_back(static_cast<float>(static_cast<int>(rng() % 7) - 3));
  }
  return d;
}

// Writes the corpus, sparse and dense files of `docs` under
// `base`.{jsonl,sparse.jsonl,dense.jsonl}; returns whether any document has a sparse / a dense
// vector.
std::pair<bool, bool> write_vector_docs(const fs::path& base,
                                        const std::map<std::string, VectorDoc>& docs) {
  std::string corpus, sparse, dense;
  for (const auto& [id, d] : docs) {
    corpus += json_line(id, d.text);
    if (!d.sparse.empty()) {
      sparse += "{\"id\": \"" + id + "\", \"vector\": {";
      for (std::size_t i = 0; i < d.sparse.size(); ++i) {
        sparse += (i > 0 ? ", \"" : "\"") + d.sparse[i].first + "\": ";
        sparse += fmt::format("{}", d.sparse[i].second);
      }
      sparse += "}}\n";
    }
    if (!d.dense.empty())
      dense += fmt::format("{{\"id\": \"{}\", \"vector\": [{}]}}\n", id, fmt::join(d.dense, ", "));
  }
  test::write_file(base.string() + ".jsonl", corpus);
  test::write_file(base.string() + ".sparse.jsonl", sparse);
  test::write_file(base.string() + ".dense.jsonl", dense);
  return {!sparse.empty(), !dense.empty()};
}

dense::DenseSettings vector_dense_settings(const VectorSetup& setup) {
  dense::DenseSettings d;
  d.metric = setup.metric;
  dense::HnswParams h;
  h.m = 4;
  h.ef_construction = 32;
  h.deterministic = true;
  d.hnsw = h;
  d.codes = {dense::CodeKind::sq8};
  return d;
}

void build_vector_index(const fs::path& base, const fs::path& dir, bool has_sparse, bool has_dense,
                        const VectorSetup& setup) {
  index::BuildOptions build;
  build.corpus = base.string() + ".jsonl";
  build.index_dir = dir;
  build.threads = 1;
  if (has_sparse) {
    build.sparse =
        index::SparseFieldOptions{base.string() + ".sparse.jsonl",
                                  setup.float_impacts ? index::ImpactQuantization::float32
                                                      : index::ImpactQuantization::automatic,
                                  1.0,
                                  {}};
  }
  if (has_dense) {
    build.settings.dense = vector_dense_settings(setup);
    build.dense_vectors = base.string() + ".dense.jsonl";
  }
  engine::build_index(build);
}

using RankedList = std::vector<std::pair<std::string, Score>>;

RankedList ranked(const index::IndexReader& reader, const std::vector<pipeline::IndexHit>& hits) {
  RankedList out;
  std::string scratch;
  for (const auto& h : hits)
    out.emplace_back(std::string(reader.external_id(h.at, scratch)), h.score);
  return out;
}

std::string first_difference(const RankedList& a, const RankedList& b, const std::string& where) {
  if (a.size() != b.size())
    return fmt::format("{}: {} hits, fresh build {}", where, a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i])
      return fmt::format("{}: rank {} is {} {}, fresh build {} {}", where, i + 1, a[i].first,
                         a[i].second, b[i].first, b[i].second);
  }
  return "";
}

struct VectorQueries {
  std::vector<std::vector<io::SparseQueryTerm>> sparse;
  std::vector<float> dense;  // rows of kDim
  std::size_t num_dense = 0;
};

// Sparse results of every query: impact (exact) or the approximate index with pruning off.
std::vector<RankedList> sparse_results(const std::shared_ptr<const index::IndexReader>& reader,
                                       const VectorQueries& q, std::size_t k, bool approx,
                                       sparse::QueryAlgorithm algorithm) {
  std::vector<RankedList> out;
  std::vector<pipeline::IndexHit> hits;
  bool any = false;
  for (const auto& seg : reader->segments())
    any = any || index::SparseFieldFiles::open(reader->dir() / seg->info().name).has_value();
  if (!any) return std::vector<RankedList>(q.sparse.size());
  if (approx) {
    auto params = sparse::approx::SeismicBuildParams::exact();
    params.threads = 1;
    const pipeline::ApproxRetriever r(reader, params);
    pipeline::ApproxContext ctx;
    for (const auto& query : q.sparse) {
      r.search(query, k, sparse::approx::SeismicSearchParams::exact(), ctx, hits);
      out.push_back(ranked(*reader, hits));
    }
  } else {
    const pipeline::ImpactRetriever r(reader, pipeline::ImpactOptions{algorithm, 0});
    pipeline::ImpactContext ctx;
    for (const auto& query : q.sparse) {
      r.search(query, k, ctx, hits);
      out.push_back(ranked(*reader, hits));
    }
  }
  return out;
}

std::vector<RankedList> dense_results(const std::shared_ptr<const index::IndexReader>& reader,
                                      const VectorQueries& q, std::size_t k,
                                      pipeline::DenseMethod method) {
  bool any = false;
  for (const auto& seg : reader->segments()) any = any || seg->dense() != nullptr;
  if (!any) return std::vector<RankedList>(q.num_dense);
  pipeline::DenseOptions o;
  o.method = method;
  const pipeline::DenseRetriever r(reader, o);
  const auto batch = r.search_batch(q.dense, q.num_dense, k, 1, "test queries");
  std::vector<RankedList> out;
  for (const auto& hits : batch.hits) out.push_back(ranked(*reader, hits));
  return out;
}

std::string compare_vectors(const fs::path& live_dir, const fs::path& scratch,
                            const std::map<std::string, VectorDoc>& docs, const VectorQueries& q,
                            const VectorSetup& setup, std::mt19937_64& rng, double& recall_sum,
                            std::size_t& recall_count) {
  const auto live = index::IndexReader::open(live_dir);
  if (live->num_docs() != docs.size())
    return fmt::format("live index has {} documents, expected {}", live->num_docs(), docs.size());
  std::error_code ec;
  fs::remove_all(scratch / "fresh", ec);
  std::vector<std::vector<RankedList>> fresh_sparse, fresh_dense;
  std::vector<RankedList> fresh_all_dense;  // every document with a vector, for exact scores
  if (!docs.empty()) {
    const auto [has_sparse, has_dense] = write_vector_docs(scratch / "fresh", docs);
    build_vector_index(scratch / "fresh", scratch / "fresh", has_sparse, has_dense, setup);
  }
  const std::size_t ks[] = {10, 50};
  for (const std::size_t k : ks) {
    std::vector<RankedList> fs_, fd;
    if (!docs.empty()) {
      const auto fresh = index::IndexReader::open(scratch / "fresh");
      fs_ = sparse_results(fresh, q, k, false, sparse::QueryAlgorithm::exhaustive);
      fd = dense_results(fresh, q, k, pipeline::DenseMethod::exact);
      if (k == ks[0])
        fresh_all_dense = dense_results(fresh, q, docs.size(), pipeline::DenseMethod::exact);
    } else {
      fs_.assign(q.sparse.size(), {});
      fd.assign(q.num_dense, {});
      fresh_all_dense.assign(q.num_dense, {});
    }
    const auto algorithm = sparse::kQueryAlgorithms[rng() % sparse::kQueryAlgorithms.size()];
    const auto li = sparse_results(live, q, k, false, algorithm);
    const auto la = sparse_results(live, q, k, true, algorithm);
    const auto ld = dense_results(live, q, k, pipeline::DenseMethod::exact);
    for (std::size_t i = 0; i < q.sparse.size(); ++i) {
      const std::string where = fmt::format("sparse query {} k={}", i, k);
      auto d = first_difference(li[i], fs_[i],
                                where + " impact " + std::string(sparse::to_string(algorithm)));
      if (d.empty()) d = first_difference(la[i], fs_[i], where + " approx (no pruning)");
      if (!d.empty()) return d;
    }
    for (std::size_t i = 0; i < q.num_dense; ++i) {
      const auto d = first_difference(ld[i], fd[i], fmt::format("dense query {} k={} exact", i, k));
      if (!d.empty()) return d;
    }
    // HNSW and sq8: only live documents with a vector, with their exact scores; recall reported.
    for (const auto method : {pipeline::DenseMethod::hnsw, pipeline::DenseMethod::sq8}) {
      const auto approx = dense_results(live, q, k, method);
      for (std::size_t i = 0; i < q.num_dense; ++i) {
        std::map<std::string, Score> exact(fresh_all_dense[i].begin(), fresh_all_dense[i].end());
        for (const auto& [id, score] : approx[i]) {
          const auto it = exact.find(id);
          if (it == exact.end())
            return fmt::format("dense query {} {}: returned {}, which is deleted or has no vector",
                               i, pipeline::to_string(method), id);
          if (it->second != score)
            return fmt::format("dense query {} {}: {} scored {}, exactly {}", i,
                               pipeline::to_string(method), id, score, it->second);
        }
        std::size_t found = 0;
        for (const auto& [id, score] : fd[i]) {
          for (const auto& hit : approx[i]) found += hit.first == id ? 1 : 0;
        }
        if (!fd[i].empty()) {
          recall_sum += static_cast<double>(found) / static_cast<double>(fd[i].size());
          ++recall_count;
        }
      }
    }
  }
  return "";
}

void check_vector_sequence(std::uint64_t seed, int steps = 16) {
  std::mt19937_64 rng(seed);
  DocGenerator gen(rng);
  VectorSetup setup;
  setup.float_impacts = seed % 2 == 1;
  setup.metric = seed % 3 == 0   ? dense::Metric::ip
                 : seed % 3 == 1 ? dense::Metric::cosine
                                 : dense::Metric::l2;
  test::TempDir dir;
  const fs::path live = dir / "live";
  std::map<std::string, VectorDoc> docs;
  for (int i = 0; i < 20; ++i) docs[gen.id()] = make_vector_doc(gen, rng, setup);
  {
    // The first build has both kinds of vectors (the index's fields are fixed by it).
    docs.begin()->second.sparse = {{"w0", 2.0}};
    docs.begin()->second.dense.assign(VectorSetup::kDim, 1.0f);
    write_vector_docs(dir / "first", docs);
    build_vector_index(dir / "first", live, true, true, setup);
  }
  VectorQueries q;
  for (int i = 0; i < 8; ++i) {
    std::vector<io::SparseQueryTerm> query;
    const std::size_t n = 1 + rng() % 4;
    for (std::size_t t = 0; t < n; ++t) {
      const std::string term = gen.word();
      bool seen = false;
      for (const auto& e : query) seen = seen || e.term == term;
      if (!seen) query.push_back({term, static_cast<float>(1 + rng() % 4) / 2.0f});
    }
    q.sparse.push_back(std::move(query));
    q.dense.push_back(static_cast<float>(1 + rng() % 3));
    for (std::size_t c = 1; c < VectorSetup::kDim; ++c)
      q.dense.push_back(static_cast<float>(static_cast<int>(rng() % 5) - 2));
    ++q.num_dense;
  }
  double recall_sum = 0;
  std::size_t recall_count = 0;
  for (int s = 0; s < steps; ++s) {
    const unsigned op = static_cast<unsigned>(rng() % 10);
    std::string what;
    if (op < 5) {  // add a batch: new ids and updates (an update may drop or change vectors)
      std::map<std::string, VectorDoc> batch;
      const std::size_t n = 1 + rng() % 20;
      for (std::size_t i = 0; i < n; ++i) {
        std::string id = gen.id();
        if (!docs.empty() && rng() % 3 == 0) {
          auto it = docs.begin();
          std::advance(it, static_cast<long>(rng() % docs.size()));
          id = it->first;
        }
        batch[id] = make_vector_doc(gen, rng, setup);
      }
      const auto [has_sparse, has_dense] = write_vector_docs(dir / "batch", batch);
      index::AddOptions add;
      add.corpus = dir / "batch.jsonl";
      add.index_dir = live;
      add.threads = 1;
      add.auto_merge = rng() % 2 == 0;
      add.policy.segments_per_tier = 2 + rng() % 3;
      add.policy.floor_docs = 1 + rng() % 20;
      if (has_sparse) {
        // The index's quantisation applies whatever is asked here.
        add.sparse = index::SparseFieldOptions{
            (dir / "batch.sparse.jsonl"), index::ImpactQuantization::u8, 3.0, {}};
      }
      if (has_dense) add.dense_vectors = dir / "batch.dense.jsonl";
      engine::add_documents(add);
      for (auto& [id, d] : batch) docs[id] = std::move(d);
      what = "add " + std::to_string(batch.size()) + (add.auto_merge ? " (auto-merge)" : "");
    } else if (op < 8) {
      index::DeleteOptions del;
      del.index_dir = live;
      const std::size_t n = 1 + rng() % 8;
      for (std::size_t i = 0; i < n && !docs.empty(); ++i) {
        auto it = docs.begin();
        std::advance(it, static_cast<long>(rng() % docs.size()));
        del.ids.push_back(it->first);
        docs.erase(it);
      }
      engine::delete_documents(del);
      what = "delete " + std::to_string(del.ids.size());
    } else {
      index::MergeOptions merge;
      merge.index_dir = live;
      merge.max_segments = 1 + rng() % 3;
      merge.threads = 1;
      engine::merge_segments(merge);
      what = "merge to " + std::to_string(merge.max_segments);
    }
    const std::string diff =
        compare_vectors(live, dir.path(), docs, q, setup, rng, recall_sum, recall_count);
    ASSERT_EQ(diff, "") << "seed " << seed << ", step " << s << " (" << what
                        << "): the live index differs from a fresh build";
  }
  EXPECT_NO_THROW(engine::Index::open(live).verify()) << "seed " << seed;
  if (recall_count > 0) {
    const double recall = recall_sum / static_cast<double>(recall_count);
    std::printf("seed %llu: HNSW/sq8 recall against exact over %zu result lists: %.4f\n",
                static_cast<unsigned long long>(seed), recall_count, recall);
    // Tiny segments and ef 100: the graph and the re-ranked codes find (nearly) everything.
    EXPECT_GE(recall, 0.95) << "seed " << seed;
  }
}

// u8 impacts: the scale is fixed by the first build (largest weight 2 -> step 2/255). An added
// weight of 4 is stored as impact 510 on the same grid (not clamped to 255), keeps its score
// through a merge, and the add's own quantisation options are ignored.
TEST(LiveIndexSparse, U8ScaleOfTheFirstBuildAppliesToAddsAndMerges) {
  test::TempDir dir;
  test::write_file(dir / "c.jsonl", json_line("a", "x") + json_line("b", "y"));
  test::write_file(dir / "s.jsonl",
                   "{\"id\": \"a\", \"vector\": {\"t\": 2}}\n"
                   "{\"id\": \"b\", \"vector\": {\"t\": 0.5}}\n");
  index::BuildOptions build;
  build.corpus = dir / "c.jsonl";
  build.index_dir = dir / "idx";
  build.threads = 1;
  build.sparse = index::SparseFieldOptions{dir / "s.jsonl", index::ImpactQuantization::u8};
  engine::build_index(build);
  test::write_file(dir / "c2.jsonl", json_line("c", "z"));
  test::write_file(dir / "s2.jsonl", "{\"id\": \"c\", \"vector\": {\"t\": 4}}\n");
  index::AddOptions add;
  add.corpus = dir / "c2.jsonl";
  add.index_dir = dir / "idx";
  add.auto_merge = false;
  add.sparse = index::SparseFieldOptions{dir / "s2.jsonl", index::ImpactQuantization::u16};
  engine::add_documents(add);
  const auto scores = [&] {
    const auto reader = index::IndexReader::open(dir / "idx");
    const pipeline::ImpactRetriever r(reader, {});
    pipeline::ImpactContext ctx;
    std::vector<pipeline::IndexHit> hits;
    const std::vector<io::SparseQueryTerm> q = {{"t", 1.0f}};
    r.search(q, 10, ctx, hits);
    return ranked(*reader, hits);
  };
  const float step = static_cast<float>(2.0 / 255.0);
  const RankedList want = {{"c", 510 * step}, {"a", 255 * step}, {"b", 64 * step}};
  EXPECT_EQ(scores(), want);
  const auto meta = index::SparseFieldFiles::open(
      dir / "idx" / index::IndexReader::open(dir / "idx")->segments().back()->info().name);
  ASSERT_TRUE(meta.has_value());
  EXPECT_EQ(meta->meta.quantization, index::ImpactQuantization::u8);
  index::MergeOptions merge;
  merge.index_dir = dir / "idx";
  engine::merge_segments(merge);
  EXPECT_EQ(index::IndexReader::open(dir / "idx")->segments().size(), 1u);
  EXPECT_EQ(scores(), want) << "a merge copies the impacts";
}

TEST(LiveIndexProperty, SparseAndDenseFieldsEqualFreshBuilds) {
  const int cases = 4 * multiplier();
  for (int c = 0; c < cases; ++c) {
    SCOPED_TRACE("seed " + std::to_string(2000 + c));
    check_vector_sequence(2000 + static_cast<std::uint64_t>(c));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// The merge policy on manifests alone: a tier of F segments is merged (its F smallest), smaller
// tiers wait, a segment with mostly deleted documents is rewritten alone.
TEST(MergePolicy, MergesAFullTierOnly) {
  index::MergePolicy policy;  // F = 10, floor 1000
  index::Manifest m;
  const auto seg = [](std::uint32_t docs, std::uint32_t deleted = 0) {
    index::SegmentInfo s;
    s.num_docs = docs;
    s.num_deleted = deleted;
    return s;
  };
  m.segments.push_back(seg(50000));
  for (int i = 0; i < 9; ++i) m.segments.push_back(seg(100 + static_cast<std::uint32_t>(i)));
  m.segments.push_back(seg(1000));  // tier 0, not the floor tier
  EXPECT_TRUE(index::next_policy_merge(m, policy).empty()) << "nine small segments: no merge";
  m.segments.push_back(seg(999));
  const auto merge = index::next_policy_merge(m, policy);
  ASSERT_EQ(merge.size(), 10u);
  EXPECT_EQ(merge.front(), 1u);  // the others are in other tiers
  EXPECT_EQ(merge.back(), 11u);
  m.segments.push_back(seg(1000, 600));
  EXPECT_EQ(index::next_policy_merge(m, policy), std::vector<std::size_t>{12});
}

// Simulated life of an index fed in small batches: the segment count stays logarithmic and each
// document is rewritten a logarithmic number of times.
TEST(MergePolicy, KeepsFewSegmentsAndRewritesLittle) {
  index::MergePolicy policy;
  policy.segments_per_tier = 10;
  policy.floor_docs = 1000;
  index::Manifest m;
  std::uint64_t added = 0, rewritten = 0;
  std::size_t most_segments = 0;
  for (int batch = 0; batch < 3000; ++batch) {
    index::SegmentInfo s;
    s.num_docs = 100;
    m.segments.push_back(s);
    added += 100;
    for (auto which = index::next_policy_merge(m, policy); !which.empty();
         which = index::next_policy_merge(m, policy)) {
      index::SegmentInfo merged;
      std::vector<index::SegmentInfo> kept;
      for (std::size_t i = 0; i < m.segments.size(); ++i) {
        if (std::find(which.begin(), which.end(), i) != which.end()) {
          merged.num_docs += m.segments[i].num_live_docs();
        } else {
          kept.push_back(m.segments[i]);
        }
      }
      rewritten += merged.num_docs;
      kept.push_back(merged);
      m.segments = kept;
    }
    most_segments = std::max(most_segments, m.segments.size());
  }
  // 300,000 documents: the floor tier, tiers of 1k, 10k and 100k documents: at most 9 per tier,
  // + 1 new segment.
  EXPECT_LE(most_segments, 37u);
  // Each document is rewritten once per tier it climbs: 100 -> 1k -> 10k -> 100k.
  EXPECT_LE(static_cast<double>(rewritten) / static_cast<double>(added), 3.0);
  EXPECT_EQ(m.num_docs(), added);
}

}  // namespace
}  // namespace tandem
