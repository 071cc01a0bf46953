// Hybrid pipelines as data: a JSON description (docs/pipelines.md) of legs (bm25, impact,
// sparse-approx, dense), a metadata filter applied inside every leg, a fusion of the legs' lists,
// then feedback and re-ranking stages. Every result keeps what produced it (each leg's rank and
// score, the normalised values, the fused score, per-stage timings) for explain output.
//
// Order of execution for a batch of queries:
//   1. legs, leg by leg over all queries (so batched kernels such as dense exact search apply),
//      each to its own depth (fusion depth is independent of the number of results k);
//   2. per query: fusion of the legs' lists into state.fused (the whole union when the pipeline
//      has feedback or rerank stages; else only its first k, which is all that is returned);
//   3. per query: the "feedback" stages in order, then the "rerank" stages in order;
//   4. the fused list is cut to k.
//
// ---------------------------------------------------------------------------------------------
// HOW TO ADD A STAGE (feedback such as RM3 / Rocchio / vector PRF, re-ranking such as MaxSim):
//   a. Derive from pipeline::Stage (below): kind(), settings() and run(QueryState&, const
//      Pipeline&). run() is called once per query, possibly on several threads at once (keep
//      per-thread scratch in thread_local or allocate per call), and may
//        - read state.query (qid, text), state.legs[i].hits (each leg's list, result order),
//          state.fused (the current fused list, result order);
//        - re-run a leg with a new query through the leg's typed interface (Bm25Leg::search_terms
//          for an expanded bag of words, DenseLeg::search_vector for a new query vector,
//          SparseLeg::search_terms), which applies the pipeline's filter and the leg's depth,
//          then replace state.legs[i].hits and call pipeline.fuse(state) to fuse again
//          ("interpolation after PRF"), or use state.fused as the feedback documents
//          ("interpolation before PRF");
//        - replace or reorder state.fused (re-ranking); keep it in result order (score
//          descending, id ascending: pipeline::sort_fused) and fill FusedEntry::score with the
//          stage's score; the previous score can be kept in a stage-specific explain note
//          (state.notes).
//      Time is measured around run() by the pipeline; do not time yourself.
//   b. Write a factory `std::unique_ptr<Stage> make_xxx_stage(SpecObject& spec, const Pipeline&)`
//      that reads its parameters with SpecObject getters (spec.count("fb_docs"), ...): the
//      pipeline calls spec.finish() after the factory, so unknown keys are refused with their
//      JSON path automatically; validate values with spec.fail_at(key, ...).
//   c. Add one line to the table in src/pipeline/stage_registry.cpp: {phase, kind, factory},
//      phase "feedback" or "rerank". The stage is then usable as
//        "feedback": [{"kind": "rm3", "leg": "bm25", "fb_docs": 10, ...}]
//        "rerank":   [{"kind": "maxsim", "depth": 100, ...}]
//      ("kind" is read by the pipeline; every other key belongs to the stage).
//   d. Tests in tests/unit/pipeline/, a section in docs/pipelines.md.
// ---------------------------------------------------------------------------------------------
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/core/progress.hpp"
#include "tandem/index/index_reader.hpp"
#include "tandem/io/sparse_query_file.hpp"
#include "tandem/pipeline/bm25_retriever.hpp"
#include "tandem/pipeline/dense_retriever.hpp"
#include "tandem/pipeline/fusion.hpp"
#include "tandem/pipeline/impact_retriever.hpp"
#include "tandem/pipeline/json_spec.hpp"
#include "tandem/pipeline/metadata_filter.hpp"
#include "tandem/sparse/approx/seismic_params.hpp"

namespace tandem::pipeline {

/// The version of the pipeline JSON format this build reads.
inline constexpr int kPipelineFormatVersion = 1;

enum class LegKind { bm25, impact, sparse_approx, dense };
std::string_view to_string(LegKind kind);

/// One leg as described (parse_pipeline_spec fills every field, defaults included).
struct LegSpec {  // NOLINT(bugprone-exception-escape): members default-construct without throwing
  std::string name;  // unique; default: the kind, then kind-2, ...
  LegKind kind = LegKind::bm25;
  std::string index;         // directory (the leg's "index", else the pipeline's)
  std::size_t depth = 1000;  // hits the leg contributes to fusion
  MetadataFilter filter;     // this leg's own, on top of the pipeline's (empty: none)
  // bm25
  Bm25Options bm25;
  // impact / sparse-approx: query vectors from `queries` (JSONL vectors or pre-tokenised TSV,
  // keyed by query id), else text through `query_encoder` ("idf:DIR"), else the query text as
  // Anserini pre-tokenised terms.
  std::string queries;
  std::string query_encoder;
  ImpactOptions impact;
  sparse::approx::SeismicBuildParams build;
  sparse::approx::SeismicSearchParams approx;
  // dense: the query vector from `encoder` (a `tandem train` model) applied to the text, else
  // from `query_vectors` (.npy / .fvecs / JSONL, ids from `query_ids` or the file).
  DenseMethod method = DenseMethod::exact;
  std::string encoder;
  std::string query_vectors;
  std::string query_ids;
  std::size_t ef = 100;
  std::size_t rerank = 0;
};

/// A feedback or re-ranking stage as described: its kind and its JSON object (read by the
/// stage's factory).
struct StageSpec {
  std::string kind;
  std::string path;  // "feedback[0]"
  nlohmann::json json;
};

struct PipelineSpec {  // NOLINT(bugprone-exception-escape): members default-construct without
                       // throwing
  int version = kPipelineFormatVersion;
  std::string index;  // default index of the legs; the filter reads its stored documents
  std::size_t k = 1000;
  std::vector<LegSpec> legs;
  FusionParams fusion;  // weights and bounds resolved to one per leg
  MetadataFilter filter;
  std::vector<StageSpec> feedback;
  std::vector<StageSpec> rerank;
  std::string source;   // where it came from, for messages
  nlohmann::json json;  // as given
};

/// Parses a pipeline description. Throws Error(invalid_argument) naming `source` and the JSON
/// path for malformed JSON, unknown keys, wrong types and bad values; Error(unsupported) for a
/// newer "version".
PipelineSpec parse_pipeline_spec(std::string_view text, std::string source);
/// The same from a file.
PipelineSpec read_pipeline_spec(const std::filesystem::path& path);

/// A query as the pipeline sees it. Legs that take vectors look them up by id.
struct PipelineQuery {
  std::string id;
  std::string text;
};

/// A document found by a leg.
struct LegHit {
  std::string id;  // empty when the pipeline matches documents by location (LegIndex::late_ids)
  Score score = 0;
  index::DocLocation at;  // in the leg's index
};

struct LegResult {
  std::vector<LegHit> hits;  // result order
  double micros = 0;         // the leg's time on this query (encoding included)
};

/// Everything known about one query as it goes through the pipeline.
struct QueryState {
  const PipelineQuery* query = nullptr;
  std::vector<LegResult> legs;    // one per leg, in spec order
  std::vector<FusedEntry> fused;  // result order; lists[i] = leg i's contribution (if explain)
  /// Keep each fused entry's per-leg contributions (FusedEntry::lists) for explain output;
  /// without it fusion materialises only ids and scores.
  bool explain = false;
  /// Stage timings in execution order: ("leg:NAME" | "fusion" | "feedback:KIND" |
  /// "rerank:KIND", microseconds).
  std::vector<std::pair<std::string, double>> timings_us;
  /// Free-form per-query notes of stages for explain output (e.g. expansion terms).
  nlohmann::json notes = nlohmann::json::object();
  double total_micros() const;
};

/// Orders fused entries: score descending, then id ascending.
void sort_fused(std::vector<FusedEntry>& fused);

class Pipeline;

/// An open index shared by the legs that name it, with the pipeline filter's allowed documents.
struct LegIndex {
  std::shared_ptr<const index::IndexReader> reader;
  /// Per segment: bit set = the document passes the filter (empty when there is no filter).
  std::vector<std::vector<std::uint64_t>> allowed;
  /// Per segment: deleted or filtered out (for the BM25 deleted-docs hook); empty = no filter.
  std::vector<std::vector<std::uint64_t>> excluded;
  std::vector<std::string> allowed_ids;  // the filter's ids (for the dense filter); sorted
  /// Legs leave LegHit::id empty: every leg's index has the same id table, so fusion matches
  /// documents by location and looks up ids only for what it returns (late materialisation).
  bool late_ids = false;
  bool passes(const index::DocLocation& at) const {
    return allowed.empty() || ((allowed[at.segment][at.doc >> 6] >> (at.doc & 63)) & 1) != 0;
  }
};

/// A leg of a pipeline. Immutable and thread-safe.
class Leg {
 public:
  Leg(LegSpec spec, std::shared_ptr<const LegIndex> index)
      : spec_(std::move(spec)), index_(std::move(index)) {}
  virtual ~Leg() = default;
  Leg(const Leg&) = delete;
  Leg& operator=(const Leg&) = delete;

  const LegSpec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name; }
  const index::IndexReader& index() const { return *index_->reader; }
  const LegIndex& leg_index() const { return *index_; }
  /// Runs every query to the leg's depth; out[q] is query q's result.
  virtual void run_batch(std::span<const PipelineQuery> queries, unsigned threads,
                         std::vector<LegResult>& out) const = 0;
  /// The leg's settings as JSON.
  virtual nlohmann::json settings() const = 0;

 protected:
  /// Fills ids of found hits (in the leg's index).
  void to_leg_hits(const std::vector<IndexHit>& found, std::vector<LegHit>& out) const;
  LegSpec spec_;
  std::shared_ptr<const LegIndex> index_;
};

/// BM25 over the leg's text fields; the filter goes through the deleted-docs hook.
class Bm25Leg final : public Leg {
 public:
  Bm25Leg(LegSpec spec, std::shared_ptr<const LegIndex> index);
  const Bm25Retriever& retriever() const { return retriever_; }
  void run_batch(std::span<const PipelineQuery> queries, unsigned threads,
                 std::vector<LegResult>& out) const override;
  /// The top `depth` for a weighted bag of words (analysed terms, as Bm25Retriever::analyze
  /// leaves them in ctx.terms), filtered. For feedback stages (RM3, Rocchio).
  void search_terms(std::size_t depth, SearchContext& ctx, std::vector<LegHit>& out) const;
  nlohmann::json settings() const override;

 private:
  Bm25Retriever retriever_;
  std::vector<sparse::DeletedDocs> exclude_;  // per segment; empty = no filter
};

/// Learned-sparse: exact impact search or the approximate index. Under a filter, exact search
/// skips filtered documents inside the query algorithm (the deleted-docs hook); the approximate
/// index filters its results, fetching deeper (x4 per round) until `depth` allowed hits or the
/// whole index.
class SparseLeg final : public Leg {
 public:
  SparseLeg(LegSpec spec, std::shared_ptr<const LegIndex> index);
  ~SparseLeg() override;
  void run_batch(std::span<const PipelineQuery> queries, unsigned threads,
                 std::vector<LegResult>& out) const override;
  /// The query's weighted terms (from the query file, the encoder, or pre-tokenised text).
  std::vector<io::SparseQueryTerm> encode(const PipelineQuery& query) const;
  /// The top `depth` allowed hits for weighted terms.
  void search_terms(std::span<const io::SparseQueryTerm> terms, std::size_t depth,
                    std::vector<LegHit>& out) const;
  nlohmann::json settings() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Dense: exact, HNSW or codes; the filter goes through the dense retriever's filtered search
/// (HNSW with exact fallback for selective filters).
class DenseLeg final : public Leg {
 public:
  DenseLeg(LegSpec spec, std::shared_ptr<const LegIndex> index);
  ~DenseLeg() override;
  const DenseRetriever& retriever() const;
  std::size_t dim() const;
  void run_batch(std::span<const PipelineQuery> queries, unsigned threads,
                 std::vector<LegResult>& out) const override;
  /// The query's raw vector (encoder or file); false when it has none (an encoder that knows no
  /// word of the text gives the zero vector: the leg then returns nothing for that query).
  bool query_vector(const PipelineQuery& query, std::vector<float>& out) const;
  /// The top `depth` for one query vector (dim() floats), filtered. For vector PRF.
  void search_vector(std::span<const float> vector, std::size_t depth,
                     std::vector<LegHit>& out) const;
  nlohmann::json settings() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// A feedback or re-ranking stage (see "HOW TO ADD A STAGE" above).
class Stage {
 public:
  virtual ~Stage() = default;
  virtual std::string_view kind() const = 0;
  /// Runs on one query; thread-safe.
  virtual void run(QueryState& state, const Pipeline& pipeline) const = 0;
  /// The stage's parameters as JSON (printed with the results).
  virtual nlohmann::json settings() const = 0;
};

/// Builds a stage from its JSON object (without "kind"). See stage_registry.cpp.
using StageFactory = std::unique_ptr<Stage> (*)(SpecObject& spec, const Pipeline& pipeline);
/// The factory of a stage kind in a phase ("feedback" or "rerank"), or nullptr.
StageFactory find_stage_factory(std::string_view phase, std::string_view kind);
/// The kinds registered for a phase (for error messages and --help).
std::vector<std::string> stage_kinds(std::string_view phase);

/// What follows the legs: fusion and stages. A pipeline owns one; `tandem tune` builds others
/// over the same legs.
struct PipelineTail {
  FusionParams fusion;
  std::size_t k = 1000;
  std::vector<std::unique_ptr<Stage>> feedback;
  std::vector<std::unique_ptr<Stage>> rerank;
};

/// An open pipeline. Immutable and thread-safe after construction.
class Pipeline {
 public:
  /// Opens the indexes, evaluates the filter over the stored documents, loads encoders and query
  /// files, builds the stages. Throws Error naming the leg or stage at fault.
  explicit Pipeline(PipelineSpec spec, ProgressSink* progress = nullptr);
  ~Pipeline();

  const PipelineSpec& spec() const { return spec_; }
  std::size_t num_legs() const { return legs_.size(); }
  const Leg& leg(std::size_t i) const { return *legs_[i]; }
  /// The index of a leg by name, or nullopt.
  std::optional<std::size_t> find_leg(std::string_view name) const;
  /// Documents that pass the pipeline's filter in its filter index (0 when it has none).
  std::uint64_t filter_allowed() const { return filter_allowed_; }
  double filter_seconds() const { return filter_seconds_; }
  /// True when fusion matches documents by location: the legs share one index, or their indexes
  /// hold the same ids at the same locations (IndexReader::same_locations). Otherwise by id.
  bool matches_by_location() const { return by_location_; }

  /// The whole pipeline over a batch: legs, then per query fusion and stages, cut to k.
  std::vector<QueryState> run(std::span<const PipelineQuery> queries, unsigned threads) const;
  /// Only the legs (states[q].legs and their timings).
  std::vector<QueryState> run_legs(std::span<const PipelineQuery> queries, unsigned threads) const;
  /// Fusion, stages and the cut to k on states from run_legs, with this pipeline's tail or
  /// another one (tune).
  void finish(std::vector<QueryState>& states, unsigned threads,
              const PipelineTail* tail = nullptr) const;
  /// Fuses state.legs into state.fused with this pipeline's fusion (or the tail's).
  void fuse(QueryState& state, const PipelineTail* tail = nullptr) const;
  /// A tail for a variant of this pipeline's spec (same legs; throws Error(invalid_argument)
  /// otherwise).
  PipelineTail make_tail(const PipelineSpec& variant) const;

  /// The settings of the pipeline: legs, filter, fusion and stages, as JSON.
  nlohmann::json settings() const;

 private:
  /// Evaluates the pipeline's filter and the legs' own over the stored documents of `reader`
  /// (the filter index; one pass) into the legs' allowed documents.
  void apply_filters(const index::IndexReader& reader,
                     const std::vector<std::shared_ptr<LegIndex>>& leg_indexes,
                     ProgressSink* progress);

  PipelineSpec spec_;
  std::vector<std::unique_ptr<Leg>> legs_;
  std::vector<std::uint64_t> leg_filter_allowed_;  // per leg with its own filter
  PipelineTail tail_;
  std::uint64_t filter_allowed_ = 0;
  double filter_seconds_ = 0;
  bool by_location_ = false;
};

}  // namespace tandem::pipeline
