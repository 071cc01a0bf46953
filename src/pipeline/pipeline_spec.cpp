// Parsing of the pipeline JSON format (docs/pipelines.md).
#include <algorithm>
#include <set>

#include "tandem/core/error.hpp"
#include "tandem/io/mapped_file.hpp"
#include "tandem/pipeline/pipeline.hpp"

namespace tandem::pipeline {

using nlohmann::json;

std::string_view to_string(LegKind kind) {
  switch (kind) {
    case LegKind::bm25:
      return "bm25";
    case LegKind::impact:
      return "impact";
    case LegKind::sparse_approx:
      return "sparse-approx";
    case LegKind::dense:
      return "dense";
  }
  return "?";
}

namespace {

// Runs `parse` turning an Error(invalid_argument) from a value parser into one naming the path.
template <typename T, typename Fn>
T parse_value(SpecObject& o, std::string_view key, const std::string& value, Fn&& parse) {
  try {
    return parse(value);
  } catch (const Error& e) {
    o.fail_at(key, "{}", e.what());
  }
}

LegSpec parse_leg(SpecObject& o, const std::string& default_index) {
  LegSpec leg;
  const auto kind = o.string("kind");
  if (!kind) o.fail_at("kind", "missing (one of bm25, impact, sparse-approx, dense)");
  if (*kind == "bm25") {
    leg.kind = LegKind::bm25;
  } else if (*kind == "impact") {
    leg.kind = LegKind::impact;
  } else if (*kind == "sparse-approx") {
    leg.kind = LegKind::sparse_approx;
  } else if (*kind == "dense") {
    leg.kind = LegKind::dense;
  } else {
    o.fail_at("kind", "unknown leg kind '{}' (known: bm25, impact, sparse-approx, dense)", *kind);
  }
  leg.name = o.string("name").value_or("");
  leg.index = o.string("index").value_or(default_index);
  if (leg.index.empty())
    o.fail_at("index", "missing: give the leg an \"index\" or the pipeline a top-level one");
  leg.depth = o.count("depth").value_or(1000);
  if (leg.depth == 0 || leg.depth > 1'000'000)
    o.fail_at("depth", "must be between 1 and 1,000,000, not {}", leg.depth);
  if (auto f = o.object("filter")) leg.filter = MetadataFilter::parse(*f);
  switch (leg.kind) {
    case LegKind::bm25: {
      leg.bm25.params.k1 = static_cast<float>(o.number("k1").value_or(0.9));
      leg.bm25.params.b = static_cast<float>(o.number("b").value_or(0.4));
      if (leg.bm25.params.k1 < 0) o.fail_at("k1", "must be >= 0");
      if (leg.bm25.params.b < 0 || leg.bm25.params.b > 1) o.fail_at("b", "must be in [0, 1]");
      const std::string lengths = o.string("lengths").value_or("lucene");
      if (lengths == "lucene") {
        leg.bm25.length_mode = sparse::LengthMode::lucene;
      } else if (lengths == "exact") {
        leg.bm25.length_mode = sparse::LengthMode::exact;
      } else {
        o.fail_at("lengths", "must be lucene or exact, not '{}'", lengths);
      }
      if (const auto a = o.string("algorithm"))
        leg.bm25.algorithm = parse_value<sparse::QueryAlgorithm>(
            o, "algorithm", *a,
            [](const std::string& s) { return sparse::parse_query_algorithm(s); });
      if (auto fields = o.object("fields")) {
        for (const auto& f : fields->keys()) {
          const double w = *fields->number(f);
          if (w < 0) fields->fail_at(f, "a field weight must be >= 0");
          leg.bm25.fields.push_back({f, static_cast<float>(w)});
        }
      }
      break;
    }
    case LegKind::impact:
    case LegKind::sparse_approx: {
      leg.queries = o.string("queries").value_or("");
      leg.query_encoder = o.string("query_encoder").value_or("");
      if (!leg.queries.empty() && !leg.query_encoder.empty())
        o.fail_at("queries", "give \"queries\" or \"query_encoder\", not both");
      leg.impact.max_query_terms = o.count("max_query_terms").value_or(0);
      if (const auto a = o.string("algorithm")) {
        if (leg.kind == LegKind::sparse_approx) o.fail_at("algorithm", "only for an impact leg");
        leg.impact.algorithm = parse_value<sparse::QueryAlgorithm>(
            o, "algorithm", *a,
            [](const std::string& s) { return sparse::parse_query_algorithm(s); });
      }
      if (leg.kind == LegKind::sparse_approx) {
        leg.approx.query_cut = static_cast<std::uint32_t>(o.count("query_cut").value_or(10));
        leg.approx.heap_factor = static_cast<float>(o.number("heap_factor").value_or(0.7));
        if (!(leg.approx.heap_factor > 0)) o.fail_at("heap_factor", "must be > 0");
        leg.build.n_postings = static_cast<std::uint32_t>(o.count("n_postings").value_or(6000));
        leg.build.centroid_fraction =
            static_cast<float>(o.number("centroid_fraction").value_or(0.1));
        leg.build.summary_energy = static_cast<float>(o.number("summary_energy").value_or(0.4));
        leg.build.seed = o.count("seed").value_or(42);
        if (!(leg.build.centroid_fraction > 0 && leg.build.centroid_fraction <= 1))
          o.fail_at("centroid_fraction", "must be in (0, 1]");
        if (!(leg.build.summary_energy > 0 && leg.build.summary_energy <= 1))
          o.fail_at("summary_energy", "must be in (0, 1]");
      }
      break;
    }
    case LegKind::dense: {
      const std::string method = o.string("method").value_or("exact");
      leg.method = parse_value<DenseMethod>(
          o, "method", method, [](const std::string& s) { return parse_dense_method(s); });
      leg.encoder = o.string("encoder").value_or("");
      leg.query_vectors = o.string("query_vectors").value_or("");
      leg.query_ids = o.string("query_ids").value_or("");
      if (leg.encoder.empty() == leg.query_vectors.empty())
        o.fail_at("encoder",
                  "a dense leg takes its query vectors from \"encoder\" (a model file) or "
                  "\"query_vectors\" (a file), exactly one of them");
      if (!leg.query_ids.empty() && leg.query_vectors.empty())
        o.fail_at("query_ids", "only with \"query_vectors\"");
      leg.ef = o.count("ef").value_or(100);
      leg.rerank = o.count("rerank").value_or(0);
      if (leg.ef == 0) o.fail_at("ef", "must be at least 1");
      break;
    }
  }
  o.finish();
  return leg;
}

std::vector<StageSpec> parse_stages(SpecObject& top, std::string_view phase) {
  std::vector<StageSpec> out;
  const auto list = top.objects(phase);
  if (!list) return out;
  for (auto o : *list) {
    const auto kind = o.string("kind");
    if (!kind) o.fail_at("kind", "missing");
    if (find_stage_factory(phase, *kind) == nullptr) {
      std::string known;
      for (const auto& k : stage_kinds(phase)) known += (known.empty() ? "" : ", ") + k;
      o.fail_at("kind", "unknown {} stage '{}' (known: {})", phase, *kind,
                known.empty() ? "none in this build" : known);
    }
    // The stage's own keys are checked by its factory when the pipeline opens.
    StageSpec s{*kind, o.path(), json::object()};
    for (const auto& [k, v] : top.value(phase)->at(out.size()).items()) {
      if (k != "kind") s.json[k] = v;
    }
    out.push_back(std::move(s));
  }
  return out;
}

FusionParams parse_fusion(std::optional<SpecObject> o, const std::vector<LegSpec>& legs) {
  FusionParams f;
  const std::size_t num_legs = legs.size();
  f.weights.assign(num_legs, 1.0);
  f.bounds.assign(num_legs, std::nullopt);
  if (!o) {
    if (num_legs == 1) {
      f.method = FusionMethod::none;
      return f;
    }
    f.method = FusionMethod::rrf;  // no scores to calibrate: the safe default
    return f;
  }
  const auto leg_index = [&](SpecObject& obj, const std::string& name) {
    for (std::size_t i = 0; i < num_legs; ++i) {
      if (legs[i].name == name) return i;
    }
    std::string known;
    for (const auto& l : legs) known += (known.empty() ? "" : ", ") + l.name;
    obj.fail_at(name, "no leg is named '{}' (legs: {})", name, known);
  };
  const std::string method = o->string("method").value_or(num_legs == 1 ? "none" : "rrf");
  f.method = parse_value<FusionMethod>(*o, "method", method,
                                       [](const std::string& s) { return parse_fusion_method(s); });
  if (f.method == FusionMethod::none && num_legs != 1)
    o->fail_at("method", "none takes exactly one leg, not {}", num_legs);
  if (const auto n = o->string("normalize")) {
    if (f.method != FusionMethod::convex) o->fail_at("normalize", "only with method convex");
    f.normalizer = parse_value<Normalizer>(
        *o, "normalize", *n, [](const std::string& s) { return parse_normalizer(s); });
  }
  if (const auto k = o->number("k")) {
    if (f.method != FusionMethod::rrf) o->fail_at("k", "only with method rrf");
    if (*k < 0) o->fail_at("k", "must be >= 0");
    f.rrf_k = *k;
  }
  const auto alpha = o->number("alpha");
  auto weights = o->object("weights");
  if (alpha && weights) o->fail_at("alpha", "give \"alpha\" or \"weights\", not both");
  if (alpha) {
    if (num_legs != 2)
      o->fail_at("alpha", "takes two legs (weights alpha and 1 - alpha), not {}", num_legs);
    if (*alpha < 0 || *alpha > 1) o->fail_at("alpha", "must be in [0, 1]");
    f.weights = {*alpha, 1.0 - *alpha};
  }
  if (weights) {
    for (const auto& name : weights->keys()) {
      const std::size_t i = leg_index(*weights, name);
      const double w = *weights->number(name);
      if (w < 0) weights->fail_at(name, "a weight must be >= 0");
      f.weights[i] = w;
    }
  }
  if (auto bounds = o->object("bounds")) {
    if (f.method != FusionMethod::convex || f.normalizer != Normalizer::min_max)
      o->fail_at("bounds", "only with method convex and normalize min-max");
    for (const auto& name : bounds->keys()) {
      const std::size_t i = leg_index(*bounds, name);
      const json& b = *bounds->value(name);
      if (!b.is_array() || b.size() != 2 || !b[0].is_number() || !b[1].is_number() ||
          !(b[0].get<double>() < b[1].get<double>()))
        bounds->fail_at(name, "expected [low, high] with low < high, got {}", brief(b));
      f.bounds[i] = Bounds{b[0].get<double>(), b[1].get<double>()};
    }
  }
  o->finish();
  return f;
}

}  // namespace

PipelineSpec parse_pipeline_spec(std::string_view text, std::string source) {
  PipelineSpec spec;
  spec.source = source;
  try {
    spec.json = json::parse(text);
  } catch (const json::parse_error& e) {
    fail(ErrorKind::invalid_argument, "{}: not valid JSON: {}", source, e.what());
  }
  SpecObject top(spec.json, "", source);
  if (const auto v = top.count("version")) {
    if (*v > static_cast<std::size_t>(kPipelineFormatVersion))
      fail(ErrorKind::unsupported, "{}: pipeline format version {} is newer than this build's {}",
           source, *v, kPipelineFormatVersion);
    if (*v == 0) top.fail_at("version", "must be 1");
  }
  spec.index = top.string("index").value_or("");
  spec.k = top.count("k").value_or(1000);
  if (spec.k == 0 || spec.k > 1'000'000) top.fail_at("k", "must be between 1 and 1,000,000");
  auto legs = top.objects("legs");
  if (!legs || legs->empty()) top.fail_at("legs", "missing: a pipeline needs at least one leg");
  std::set<std::string> names;
  std::vector<std::size_t> kind_count(4, 0);
  for (auto& o : *legs) {
    LegSpec leg = parse_leg(o, spec.index);
    if (leg.name.empty()) {
      const std::size_t n = ++kind_count[static_cast<std::size_t>(leg.kind)];
      leg.name = std::string(to_string(leg.kind)) + (n == 1 ? "" : "-" + std::to_string(n));
    }
    if (!names.insert(leg.name).second)
      o.fail_at("name", "two legs are named '{}' (name them apart with \"name\")", leg.name);
    spec.legs.push_back(std::move(leg));
  }
  spec.fusion = parse_fusion(top.object("fusion"), spec.legs);
  if (auto f = top.object("filter")) spec.filter = MetadataFilter::parse(*f);
  spec.feedback = parse_stages(top, "feedback");
  spec.rerank = parse_stages(top, "rerank");
  top.finish();
  return spec;
}

PipelineSpec read_pipeline_spec(const std::filesystem::path& path) {
  const io::MappedFile file(path);
  const auto bytes = file.bytes();
  return parse_pipeline_spec(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), path.string());
}

}  // namespace tandem::pipeline
