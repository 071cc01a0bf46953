#include "tandem/pipeline/prf_stages.hpp"

#include <cmath>
#include <unordered_map>

#include "tandem/core/error.hpp"
#include "tandem/multi/multi_vector_input.hpp"
#include "tandem/pipeline/maxsim_reranker.hpp"
#include "tandem/pipeline/term_feedback.hpp"
#include "tandem/pipeline/vector_feedback.hpp"

namespace tandem::pipeline {

namespace {

using nlohmann::json;

// The leg a stage works on: "leg" by name, else the first leg of `kind`.
std::size_t stage_leg(SpecObject& spec, const Pipeline& pipeline, LegKind kind,
                      std::string_view stage) {
  if (const auto name = spec.string("leg")) {
    const auto l = pipeline.find_leg(*name);
    if (!l) spec.fail_at("leg", "no leg is named '{}'", *name);
    if (pipeline.leg(*l).spec().kind != kind)
      spec.fail_at("leg", "{} works on a {} leg; '{}' is {}", stage, to_string(kind), *name,
                   to_string(pipeline.leg(*l).spec().kind));
    return *l;
  }
  for (std::size_t l = 0; l < pipeline.num_legs(); ++l) {
    if (pipeline.leg(l).spec().kind == kind) return l;
  }
  spec.fail_at("kind", "{} needs a {} leg; the pipeline has none", stage, to_string(kind));
}

// Where feedback documents come from and what is fused afterwards (see prf_stages.hpp).
struct FeedbackFlow {
  std::size_t leg = 0;
  std::string leg_name;
  bool from_fused = false;
  bool fuse_after = true;

  void read(SpecObject& spec) {
    const std::string source = spec.string("source").value_or("leg");
    if (source != "leg" && source != "fused")
      spec.fail_at("source", "must be \"leg\" or \"fused\", not \"{}\"", source);
    from_fused = source == "fused";
    fuse_after = spec.boolean("fuse_after").value_or(true);
  }
  void to_json(json& j) const {
    j["leg"] = leg_name;
    j["source"] = from_fused ? "fused" : "leg";
    j["fuse_after"] = fuse_after;
  }

  // The first `n` feedback documents of a query, in result order, located in the leg's index.
  std::vector<IndexHit> documents(const QueryState& state, const Leg& l, std::size_t n) const {
    std::vector<IndexHit> out;
    if (!from_fused) {
      for (const auto& h : state.legs[leg].hits) {
        if (out.size() == n) break;
        out.push_back({h.at, h.score});
      }
      return out;
    }
    for (const auto& e : state.fused) {
      if (out.size() == n) break;
      if (const auto at = l.index().find(e.id)) out.push_back({*at, static_cast<Score>(e.score)});
    }
    return out;
  }

  // Fuses again with `hits` as the leg's list (the state's legs are left as they were).
  void refuse(QueryState& state, const Pipeline& pipeline, std::vector<LegHit> hits) const {
    QueryState tmp;
    tmp.query = state.query;
    tmp.explain = state.explain;
    tmp.legs.resize(state.legs.size());
    for (std::size_t j = 0; j < state.legs.size(); ++j) {
      if (j != leg && fuse_after) tmp.legs[j].hits = state.legs[j].hits;
    }
    tmp.legs[leg].hits = std::move(hits);
    pipeline.fuse(tmp);
    state.fused = std::move(tmp.fused);
  }
};

std::size_t count_or(SpecObject& spec, std::string_view key, std::size_t fallback) {
  return spec.count(key).value_or(fallback);
}

float number_or(SpecObject& spec, std::string_view key, float fallback) {
  const auto v = spec.number(key);
  if (v && !std::isfinite(*v)) spec.fail_at(key, "must be a finite number");
  return v ? static_cast<float>(*v) : fallback;
}

// ---- rm3 / rocchio -------------------------------------------------------------------------

class TermFeedbackStage final : public Stage {
 public:
  TermFeedbackStage(FeedbackFlow flow, std::shared_ptr<const index::IndexReader> index,
                    TermFeedbackOptions options, std::string kind)
      : flow_(std::move(flow)),
        feedback_(std::move(index), std::move(options)),
        kind_(std::move(kind)) {}

  std::string_view kind() const override { return kind_; }

  void run(QueryState& state, const Pipeline& pipeline) const override {
    const auto& leg = static_cast<const Bm25Leg&>(pipeline.leg(flow_.leg));
    thread_local SearchContext ctx;
    leg.retriever().analyze(state.query->text, ctx);
    if (ctx.terms.empty()) return;
    std::vector<std::string> query_terms;
    for (std::size_t i = 0; i < ctx.analyzed.size(); ++i) query_terms.emplace_back(ctx.analyzed[i]);
    const auto first = flow_.documents(state, leg, feedback_.options().depth);
    ctx.terms = feedback_.expand(query_terms, first);
    json terms = json::array();
    for (std::size_t i = 0; i < ctx.terms.size() && i < 30; ++i)
      terms.push_back({ctx.terms[i].term, ctx.terms[i].weight});
    state.notes["feedback:" + kind_] = {{"feedback_documents", first.size()}, {"terms", terms}};
    std::vector<LegHit> hits;
    leg.search_terms(leg.spec().depth, ctx, hits);
    flow_.refuse(state, pipeline, std::move(hits));
  }

  json settings() const override {
    json j = json::parse(feedback_.settings_json());
    j["kind"] = kind_;
    flow_.to_json(j);
    return j;
  }

 private:
  FeedbackFlow flow_;
  TermFeedback feedback_;
  std::string kind_;
};

std::unique_ptr<Stage> make_term_stage(SpecObject& spec, const Pipeline& pipeline,
                                       TermFeedbackKind kind) {
  const std::string name(to_string(kind));
  FeedbackFlow flow;
  flow.leg = stage_leg(spec, pipeline, LegKind::bm25, name);
  flow.leg_name = pipeline.leg(flow.leg).name();
  flow.read(spec);
  TermFeedbackOptions o;
  o.kind = kind;
  o.depth = count_or(spec, "depth", 50);
  o.field = spec.string("field").value_or("");
  if (kind == TermFeedbackKind::rm3) {
    o.rm3.fb_docs = count_or(spec, "fb_docs", o.rm3.fb_docs);
    o.rm3.fb_terms = count_or(spec, "fb_terms", o.rm3.fb_terms);
    o.rm3.original_query_weight =
        number_or(spec, "original_query_weight", o.rm3.original_query_weight);
    o.rm3.filter_terms = spec.boolean("filter_terms").value_or(true);
  } else {
    auto& r = o.rocchio;
    r.top_fb_docs = count_or(spec, "top_fb_docs", r.top_fb_docs);
    r.top_fb_terms = count_or(spec, "top_fb_terms", r.top_fb_terms);
    r.bottom_fb_docs = count_or(spec, "bottom_fb_docs", r.bottom_fb_docs);
    r.bottom_fb_terms = count_or(spec, "bottom_fb_terms", r.bottom_fb_terms);
    r.alpha = number_or(spec, "alpha", r.alpha);
    r.beta = number_or(spec, "beta", r.beta);
    r.gamma = number_or(spec, "gamma", r.gamma);
    r.use_negative = spec.boolean("use_negative").value_or(false);
  }
  return std::make_unique<TermFeedbackStage>(flow, pipeline.leg(flow.leg).leg_index().reader, o,
                                             name);
}

// ---- vector-average / vector-rocchio --------------------------------------------------------

class VectorFeedbackStage final : public Stage {
 public:
  VectorFeedbackStage(FeedbackFlow flow, VectorFeedbackParams params, std::size_t depth)
      : flow_(std::move(flow)), params_(params), depth_(depth) {}

  std::string_view kind() const override { return to_string(params_.kind); }

  void run(QueryState& state, const Pipeline& pipeline) const override {
    const auto& leg = static_cast<const DenseLeg&>(pipeline.leg(flow_.leg));
    std::vector<float> q;
    if (!leg.query_vector(*state.query, q)) return;
    if (leg.retriever().metric() == dense::Metric::cosine) {
      // The stored vectors are unit length under cosine: bring the query to the same scale.
      double s = 0;
      for (const float v : q) s += double(v) * v;
      if (s == 0) return;
      const auto inv = static_cast<float>(1.0 / std::sqrt(s));
      for (float& v : q) v *= inv;
    }
    const auto first = flow_.documents(state, leg, depth_);
    const std::vector<float> q2 = vector_feedback_query(leg.index(), q, first, params_);
    state.notes["feedback:" + std::string(kind())] = {
        {"feedback_documents", std::min(first.size(), params_.fb_docs)}};
    std::vector<LegHit> hits;
    leg.search_vector(q2, leg.spec().depth, hits);
    flow_.refuse(state, pipeline, std::move(hits));
  }

  json settings() const override {
    json j = {{"kind", std::string(kind())}, {"fb_docs", params_.fb_docs}, {"depth", depth_}};
    if (params_.kind == VectorFeedbackKind::rocchio) {
      j["alpha"] = params_.alpha;
      j["beta"] = params_.beta;
      j["gamma"] = params_.gamma;
      j["bottom_fb_docs"] = params_.bottom_fb_docs;
    }
    flow_.to_json(j);
    return j;
  }

 private:
  FeedbackFlow flow_;
  VectorFeedbackParams params_;
  std::size_t depth_;
};

std::unique_ptr<Stage> make_vector_stage(SpecObject& spec, const Pipeline& pipeline,
                                         VectorFeedbackKind kind) {
  FeedbackFlow flow;
  flow.leg = stage_leg(spec, pipeline, LegKind::dense, to_string(kind));
  flow.leg_name = pipeline.leg(flow.leg).name();
  flow.read(spec);
  VectorFeedbackParams p;
  p.kind = kind;
  p.fb_docs = count_or(spec, "fb_docs", p.fb_docs);
  if (p.fb_docs == 0) spec.fail_at("fb_docs", "must be at least 1");
  if (kind == VectorFeedbackKind::rocchio) {
    p.alpha = number_or(spec, "alpha", p.alpha);
    p.beta = number_or(spec, "beta", p.beta);
    p.gamma = number_or(spec, "gamma", p.gamma);
    p.bottom_fb_docs = count_or(spec, "bottom_fb_docs", 0);
  }
  const std::size_t depth = count_or(spec, "depth", 1000);
  return std::make_unique<VectorFeedbackStage>(flow, p, depth);
}

// ---- maxsim --------------------------------------------------------------------------------

class MaxSimStage final : public Stage {
 public:
  MaxSimStage(std::size_t leg, std::string queries_path, std::size_t depth, std::size_t k,
              MaxSimOptions options, const Pipeline& pipeline)
      : leg_(leg), queries_path_(std::move(queries_path)), depth_(depth), k_(k), options_(options) {
    const auto& index = pipeline.leg(leg).index();
    const auto set = multi::read_multi_vectors(queries_path_);
    if (set.dim != index.settings().multivec->dim)
      fail(ErrorKind::invalid_argument, "{}: query tokens have dimension {}, the index {}",
           queries_path_, set.dim, index.settings().multivec->dim);
    for (std::size_t i = 0; i < set.ids.size(); ++i) {
      const auto b = set.offsets[i], e = set.offsets[i + 1];
      tokens_[set.ids[i]] = {
          e - b, std::vector<float>(set.values.begin() + static_cast<std::ptrdiff_t>(b * set.dim),
                                    set.values.begin() + static_cast<std::ptrdiff_t>(e * set.dim))};
    }
  }

  std::string_view kind() const override { return "maxsim"; }

  void run(QueryState& state, const Pipeline& pipeline) const override {
    const auto& index = pipeline.leg(leg_).index();
    const auto it = tokens_.find(state.query->id);
    if (it == tokens_.end())
      fail(ErrorKind::invalid_argument, "{}: no token vectors for query '{}'", queries_path_,
           state.query->id);
    std::vector<IndexHit> candidates;
    std::unordered_map<std::uint64_t, std::size_t> entry_of;  // (segment, doc) -> fused index
    for (std::size_t i = 0; i < state.fused.size() && candidates.size() < depth_; ++i) {
      const auto at = index.find(state.fused[i].id);
      if (!at) continue;
      entry_of[(std::uint64_t(at->segment) << 32) | at->doc] = i;
      candidates.push_back({*at, static_cast<Score>(state.fused[i].score)});
    }
    MaxSimOptions o = options_;
    o.k = k_;
    std::vector<IndexHit> out;
    MaxSimStats st;
    maxsim_rerank(index, it->second.second, it->second.first, candidates, o, out, &st);
    std::vector<FusedEntry> fused;
    fused.reserve(out.size());
    for (const auto& h : out) {
      FusedEntry e = state.fused[entry_of.at((std::uint64_t(h.at.segment) << 32) | h.at.doc)];
      e.score = h.score;
      fused.push_back(std::move(e));
    }
    state.fused = std::move(fused);
    state.notes["rerank:maxsim"] = {{"candidates", st.candidates},
                                    {"scored", st.scored},
                                    {"abandoned_by_bound", st.abandoned},
                                    {"skipped_by_ratio", st.skipped_ratio},
                                    {"skipped_by_early_exit", st.skipped_exit},
                                    {"missing_vectors", st.missing}};
  }

  json settings() const override {
    return {{"kind", "maxsim"},
            {"queries", queries_path_},
            {"depth", depth_},
            {"k", k_},
            {"bound", options_.bound},
            {"candidate_ratio", options_.candidate_ratio},
            {"patience", options_.patience}};
  }

 private:
  std::size_t leg_;
  std::string queries_path_;
  std::size_t depth_, k_;
  MaxSimOptions options_;
  std::unordered_map<std::string, std::pair<std::size_t, std::vector<float>>> tokens_;
};

}  // namespace

std::unique_ptr<Stage> make_rm3_stage(SpecObject& spec, const Pipeline& pipeline) {
  return make_term_stage(spec, pipeline, TermFeedbackKind::rm3);
}
std::unique_ptr<Stage> make_rocchio_stage(SpecObject& spec, const Pipeline& pipeline) {
  return make_term_stage(spec, pipeline, TermFeedbackKind::rocchio);
}
std::unique_ptr<Stage> make_vector_average_stage(SpecObject& spec, const Pipeline& pipeline) {
  return make_vector_stage(spec, pipeline, VectorFeedbackKind::average);
}
std::unique_ptr<Stage> make_vector_rocchio_stage(SpecObject& spec, const Pipeline& pipeline) {
  return make_vector_stage(spec, pipeline, VectorFeedbackKind::rocchio);
}

std::unique_ptr<Stage> make_maxsim_stage(SpecObject& spec, const Pipeline& pipeline) {
  std::optional<std::size_t> leg;
  if (const auto name = spec.string("leg")) {
    leg = pipeline.find_leg(*name);
    if (!leg) spec.fail_at("leg", "no leg is named '{}'", *name);
  } else {
    for (std::size_t l = 0; l < pipeline.num_legs() && !leg; ++l) {
      if (pipeline.leg(l).index().settings().multivec) leg = l;
    }
  }
  if (!leg || !pipeline.leg(*leg).index().settings().multivec)
    spec.fail_at("leg",
                 "maxsim needs a leg whose index has a multi-vector field (tandem index "
                 "--multivec)");
  const auto queries = spec.string("queries");
  if (!queries)
    spec.fail_at("queries",
                 "maxsim needs \"queries\": query token vectors (JSONL {{\"id\", "
                 "\"vectors\"}})");
  const std::size_t depth = count_or(spec, "depth", 100);
  const std::size_t k = count_or(spec, "k", pipeline.spec().k);
  MaxSimOptions o;
  o.bound = spec.boolean("bound").value_or(true);
  o.candidate_ratio = spec.number("candidate_ratio").value_or(0.0);
  if (!(o.candidate_ratio >= 0 && o.candidate_ratio <= 1))
    spec.fail_at("candidate_ratio", "must lie in [0, 1]");
  o.patience = count_or(spec, "patience", 0);
  if (depth == 0 || k == 0) spec.fail_at("depth", "depth and k must be at least 1");
  return std::make_unique<MaxSimStage>(*leg, *queries, depth, k, o, pipeline);
}

}  // namespace tandem::pipeline
