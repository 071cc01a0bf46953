#include "tandem/pipeline/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/core/stopwatch.hpp"

namespace tandem::pipeline {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

void set_bit(std::vector<std::uint64_t>& bits, DocId d) {
  bits[d >> 6] |= std::uint64_t{1} << (d & 63);
}

bool get_bit(const std::vector<std::uint64_t>& bits, DocId d) {
  return ((bits[d >> 6] >> (d & 63)) & 1) != 0;
}

// Fills index.allowed / excluded from the allowed external ids (sorted).
void apply_allowed_ids(LegIndex& index) {
  const auto& segments = index.reader->segments();
  index.allowed.assign(segments.size(), {});
  for (std::size_t s = 0; s < segments.size(); ++s)
    index.allowed[s].assign((segments[s]->num_docs() + 63) / 64, 0);
  for (const auto& id : index.allowed_ids) {
    if (const auto at = index.reader->find(id)) set_bit(index.allowed[at->segment], at->doc);
  }
  index.excluded.assign(segments.size(), {});
  for (std::size_t s = 0; s < segments.size(); ++s) {
    const auto& seg = *segments[s];
    auto& ex = index.excluded[s];
    ex.assign(index.allowed[s].size(), 0);
    for (DocId d = 0; d < seg.num_docs(); ++d) {
      if (seg.is_deleted(d) || !get_bit(index.allowed[s], d)) set_bit(ex, d);
    }
  }
}

}  // namespace

double QueryState::total_micros() const {
  double t = 0;
  for (const auto& [name, us] : timings_us) t += us;
  return t;
}

void sort_fused(std::vector<FusedEntry>& fused) {
  std::sort(fused.begin(), fused.end(), [](const FusedEntry& a, const FusedEntry& b) {
    return a.score > b.score || (a.score == b.score && a.id < b.id);
  });
}

void Leg::to_leg_hits(const std::vector<IndexHit>& found, std::vector<LegHit>& out) const {
  out.clear();
  out.reserve(found.size());
  if (index_->late_ids) {
    for (const auto& h : found) out.push_back({std::string(), h.score, h.at});
    return;
  }
  std::string scratch;
  for (const auto& h : found)
    out.push_back({std::string(index_->reader->external_id(h.at, scratch)), h.score, h.at});
}

// ---- BM25 -------------------------------------------------------------------------------------

Bm25Leg::Bm25Leg(LegSpec spec, std::shared_ptr<const LegIndex> index)
    : Leg(std::move(spec), std::move(index)), retriever_(index_->reader, spec_.bm25) {
  for (const auto& bits : index_->excluded) exclude_.emplace_back(bits.data());
}

void Bm25Leg::search_terms(std::size_t depth, SearchContext& ctx, std::vector<LegHit>& out) const {
  thread_local std::vector<IndexHit> found;
  retriever_.search_terms(depth, ctx, found, exclude_);
  to_leg_hits(found, out);
}

void Bm25Leg::run_batch(std::span<const PipelineQuery> queries, unsigned threads,
                        std::vector<LegResult>& out) const {
  out.resize(queries.size());
  std::vector<SearchContext> contexts(std::max(1u, threads));
  parallel_for(queries.size(), threads, [&](std::size_t q, unsigned w) {
    const auto t0 = Clock::now();
    retriever_.analyze(queries[q].text, contexts[w]);
    search_terms(spec_.depth, contexts[w], out[q].hits);
    out[q].micros = micros_since(t0);
  });
}

json Bm25Leg::settings() const {
  const auto& o = retriever_.options();
  json fields = json::object();
  for (const auto& f : o.fields) fields[f.field] = f.weight;
  return {{"name", spec_.name},
          {"kind", "bm25"},
          {"index", spec_.index},
          {"depth", spec_.depth},
          {"k1", o.params.k1},
          {"b", o.params.b},
          {"lengths", o.length_mode == sparse::LengthMode::lucene ? "lucene" : "exact"},
          {"algorithm", std::string(sparse::to_string(o.algorithm))},
          {"fields", fields}};
}

}  // namespace tandem::pipeline

// ---- the pipeline -----------------------------------------------------------------------------

namespace tandem::pipeline {

namespace {

std::string index_key(const std::string& dir) {
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(dir, ec);
  return ec ? dir : canonical.string();
}

std::unique_ptr<Leg> make_leg(const LegSpec& spec, std::shared_ptr<const LegIndex> index) {
  try {
    switch (spec.kind) {
      case LegKind::bm25:
        return std::make_unique<Bm25Leg>(spec, std::move(index));
      case LegKind::impact:
      case LegKind::sparse_approx:
        return std::make_unique<SparseLeg>(spec, std::move(index));
      case LegKind::dense:
        return std::make_unique<DenseLeg>(spec, std::move(index));
    }
  } catch (const Error& e) {
    // Name the leg unless the message already does.
    const std::string what = e.what();
    if (what.rfind("leg '", 0) == 0) throw;
    throw Error(e.kind(), fmt::format("leg '{}': {}", spec.name, what));
  }
  return nullptr;
}

std::vector<std::unique_ptr<Stage>> make_stages(const std::vector<StageSpec>& specs,
                                                std::string_view phase, const std::string& source,
                                                const Pipeline& pipeline) {
  std::vector<std::unique_ptr<Stage>> out;
  for (const auto& s : specs) {
    const StageFactory factory = find_stage_factory(phase, s.kind);
    if (factory == nullptr)
      fail(ErrorKind::invalid_argument, "{}: {}: unknown {} stage '{}'", source, s.path, phase,
           s.kind);
    SpecObject o(s.json, s.path, source);
    out.push_back(factory(o, pipeline));
    o.finish();
  }
  return out;
}

}  // namespace

Pipeline::Pipeline(PipelineSpec spec, ProgressSink* progress) : spec_(std::move(spec)) {
  // Open each index once. Legs without a filter of their own share a LegIndex per index; a leg
  // with one gets its own (its own allowed documents) over the shared reader.
  std::map<std::string, std::shared_ptr<const index::IndexReader>> readers;
  const auto open = [&readers](const std::string& dir) {
    auto& r = readers[index_key(dir)];
    if (!r) r = index::IndexReader::open(dir);
    return r;
  };
  std::map<std::string, std::shared_ptr<LegIndex>> shared;
  std::vector<std::shared_ptr<LegIndex>> leg_indexes;
  for (const auto& leg : spec_.legs) {
    std::shared_ptr<LegIndex> li;
    if (leg.filter.empty()) li = shared[index_key(leg.index)];
    if (!li) {
      li = std::make_shared<LegIndex>();
      li->reader = open(leg.index);
      if (leg.filter.empty()) shared[index_key(leg.index)] = li;
    }
    leg_indexes.push_back(li);
  }
  const bool any_filter =
      !spec_.filter.empty() || std::any_of(spec_.legs.begin(), spec_.legs.end(),
                                           [](const LegSpec& l) { return !l.filter.empty(); });
  if (any_filter)
    apply_filters(*open(spec_.index.empty() ? spec_.legs[0].index : spec_.index), leg_indexes,
                  progress);
  // Match documents by location when every leg's index has the first one's id table.
  by_location_ = true;
  for (const auto& li : leg_indexes) {
    const auto& first = leg_indexes[0]->reader;
    by_location_ = by_location_ && (li->reader == first || li->reader->same_locations(*first));
  }
  for (const auto& li : leg_indexes) li->late_ids = by_location_;
  for (std::size_t i = 0; i < spec_.legs.size(); ++i)
    legs_.push_back(make_leg(spec_.legs[i], leg_indexes[i]));
  tail_ = make_tail(spec_);
}

void Pipeline::apply_filters(const index::IndexReader& reader,
                             const std::vector<std::shared_ptr<LegIndex>>& leg_indexes,
                             ProgressSink* progress) {
  const auto t0 = Clock::now();
  if (!reader.settings().store)
    fail(ErrorKind::invalid_argument,
         "{}: filter: the index {} keeps no stored documents to filter on (index it with "
         "stored documents)",
         spec_.source, spec_.index.empty() ? spec_.legs[0].index : spec_.index);
  // One pass: a document must pass the pipeline's filter, then each leg's own.
  const std::size_t num_legs = spec_.legs.size();
  std::vector<std::string> pipeline_ids;
  std::vector<std::vector<std::string>> leg_ids(num_legs);
  const auto& segments = reader.segments();
  std::uint64_t total = 0, done = 0;
  for (const auto& seg : segments) total += seg->num_docs();
  std::string scratch;
  for (std::uint32_t s = 0; s < segments.size(); ++s) {
    for (DocId d = 0; d < segments[s]->num_docs(); ++d, ++done) {
      if (progress != nullptr && done % 4096 == 0) progress->update("filtering", done, total);
      if (segments[s]->is_deleted(d)) continue;
      const index::DocLocation at{s, d};
      const json doc = json::parse(reader.stored_document(at), nullptr, false);
      if (doc.is_discarded()) continue;  // matches no condition
      if (!spec_.filter.matches(doc)) continue;
      const std::string_view id = reader.external_id(at, scratch);
      if (!spec_.filter.empty()) pipeline_ids.emplace_back(id);
      for (std::size_t l = 0; l < num_legs; ++l) {
        if (!spec_.legs[l].filter.empty() && spec_.legs[l].filter.matches(doc))
          leg_ids[l].emplace_back(id);
      }
    }
  }
  if (progress != nullptr) progress->finish("filtering");
  std::sort(pipeline_ids.begin(), pipeline_ids.end());
  filter_allowed_ = pipeline_ids.size();
  leg_filter_allowed_.assign(num_legs, 0);
  for (std::size_t l = 0; l < num_legs; ++l) {
    LegIndex& li = *leg_indexes[l];
    if (!spec_.legs[l].filter.empty()) {
      std::sort(leg_ids[l].begin(), leg_ids[l].end());
      leg_filter_allowed_[l] = leg_ids[l].size();
      li.allowed_ids = std::move(leg_ids[l]);
    } else if (!spec_.filter.empty() && li.allowed.empty()) {
      li.allowed_ids = pipeline_ids;  // a shared LegIndex: once
    } else {
      continue;
    }
    apply_allowed_ids(li);
  }
  filter_seconds_ = std::chrono::duration<double>(Clock::now() - t0).count();
}

Pipeline::~Pipeline() = default;

std::optional<std::size_t> Pipeline::find_leg(std::string_view name) const {
  for (std::size_t i = 0; i < legs_.size(); ++i) {
    if (legs_[i]->name() == name) return i;
  }
  return std::nullopt;
}

PipelineTail Pipeline::make_tail(const PipelineSpec& variant) const {
  if (variant.legs.size() != spec_.legs.size())
    fail(ErrorKind::invalid_argument, "{}: a variant must keep the pipeline's legs",
         variant.source);
  PipelineTail t;
  t.fusion = variant.fusion;
  t.k = variant.k;
  t.feedback = make_stages(variant.feedback, "feedback", variant.source, *this);
  t.rerank = make_stages(variant.rerank, "rerank", variant.source, *this);
  return t;
}

void Pipeline::fuse(QueryState& state, const PipelineTail* tail) const {
  const PipelineTail& t = tail != nullptr ? *tail : tail_;
  thread_local std::vector<std::vector<ScoredId>> lists;
  lists.resize(state.legs.size());
  // Documents matched by location (key = location + 1; ids looked up for the output only), or
  // by id.
  for (std::size_t l = 0; l < state.legs.size(); ++l) {
    lists[l].clear();
    for (const auto& h : state.legs[l].hits) {
      const std::uint64_t key =
          by_location_ ? ((std::uint64_t{h.at.segment} << 32) | h.at.doc) + 1 : 0;
      lists[l].push_back({h.id, h.score, key});
    }
  }
  const index::IndexReader& reader = legs_[0]->index();
  const IdLookup lookup = [&reader](std::uint64_t key, std::string& out) {
    const index::DocLocation at{static_cast<std::uint32_t>((key - 1) >> 32),
                                static_cast<DocId>((key - 1) & 0xffffffffu)};
    thread_local std::string scratch;
    out.assign(reader.external_id(at, scratch));
  };
  // Without stages only the first k can be returned: materialise only those.
  const std::size_t keep = t.feedback.empty() && t.rerank.empty() ? t.k : 0;
  state.fused = pipeline::fuse(t.fusion, std::span(lists.data(), state.legs.size()), keep,
                               state.explain, by_location_ ? &lookup : nullptr);
}

std::vector<QueryState> Pipeline::run_legs(std::span<const PipelineQuery> queries,
                                           unsigned threads) const {
  std::vector<QueryState> states(queries.size());
  for (std::size_t q = 0; q < queries.size(); ++q) {
    states[q].query = &queries[q];
    states[q].legs.resize(legs_.size());
  }
  std::vector<LegResult> results;
  for (std::size_t l = 0; l < legs_.size(); ++l) {
    legs_[l]->run_batch(queries, threads, results);
    for (std::size_t q = 0; q < queries.size(); ++q) {
      states[q].legs[l] = std::move(results[q]);
      states[q].timings_us.emplace_back("leg:" + legs_[l]->name(), states[q].legs[l].micros);
    }
  }
  return states;
}

void Pipeline::finish(std::vector<QueryState>& states, unsigned threads,
                      const PipelineTail* tail) const {
  const PipelineTail& t = tail != nullptr ? *tail : tail_;
  parallel_for(states.size(), threads, [&](std::size_t q, unsigned) {
    QueryState& st = states[q];
    // A tune variant re-finishes the same states: start again from the legs' timings.
    std::erase_if(st.timings_us, [](const auto& e) { return e.first.rfind("leg:", 0) != 0; });
    st.notes = json::object();
    auto t0 = Clock::now();
    fuse(st, &t);
    st.timings_us.emplace_back("fusion", micros_since(t0));
    for (const auto& stage : t.feedback) {
      t0 = Clock::now();
      stage->run(st, *this);
      st.timings_us.emplace_back("feedback:" + std::string(stage->kind()), micros_since(t0));
    }
    for (const auto& stage : t.rerank) {
      t0 = Clock::now();
      stage->run(st, *this);
      st.timings_us.emplace_back("rerank:" + std::string(stage->kind()), micros_since(t0));
    }
    if (st.fused.size() > t.k) st.fused.resize(t.k);
  });
}

std::vector<QueryState> Pipeline::run(std::span<const PipelineQuery> queries,
                                      unsigned threads) const {
  auto states = run_legs(queries, threads);
  finish(states, threads);
  return states;
}

json Pipeline::settings() const {
  json legs = json::array();
  for (std::size_t i = 0; i < legs_.size(); ++i) {
    json leg = legs_[i]->settings();
    if (!spec_.legs[i].filter.empty()) {
      leg["filter"] = spec_.legs[i].filter.spec();
      leg["filter_allowed"] = leg_filter_allowed_[i];
    }
    legs.push_back(std::move(leg));
  }
  const auto& f = tail_.fusion;
  json fusion = {{"method", std::string(to_string(f.method))}};
  json weights = json::object();
  for (std::size_t i = 0; i < legs_.size(); ++i)
    weights[legs_[i]->name()] = f.weights.empty() ? 1.0 : f.weights[i];
  if (f.method == FusionMethod::convex) {
    fusion["normalize"] = std::string(to_string(f.normalizer));
    json bounds = json::object();
    for (std::size_t i = 0; i < f.bounds.size(); ++i) {
      if (f.bounds[i]) bounds[legs_[i]->name()] = {f.bounds[i]->lo, f.bounds[i]->hi};
    }
    if (!bounds.empty()) fusion["bounds"] = bounds;
  }
  if (f.method == FusionMethod::rrf) fusion["k"] = f.rrf_k;
  if (f.method != FusionMethod::none) fusion["weights"] = weights;
  json feedback = json::array(), rerank = json::array();
  for (const auto& s : tail_.feedback) {
    json j = s->settings();
    j["kind"] = std::string(s->kind());
    feedback.push_back(j);
  }
  for (const auto& s : tail_.rerank) {
    json j = s->settings();
    j["kind"] = std::string(s->kind());
    rerank.push_back(j);
  }
  json j = {{"pipeline", spec_.source},
            {"version", spec_.version},
            {"k", spec_.k},
            {"legs", legs},
            {"fusion", fusion},
            {"match_documents_by", by_location_ ? "location" : "id"},
            {"feedback", feedback},
            {"rerank", rerank},
            {"tandem", TANDEM_VERSION}};
  if (!spec_.filter.empty()) {
    j["filter"] = spec_.filter.spec();
    j["filter_allowed"] = filter_allowed_;
    j["filter_seconds"] = filter_seconds_;
  }
  return j;
}

}  // namespace tandem::pipeline
