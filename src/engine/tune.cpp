#include "tandem/engine/tune.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/eval/evaluate.hpp"
#include "tandem/io/mapped_file.hpp"
#include "tandem/io/query_file.hpp"
#include "tandem/pipeline/pipeline.hpp"

namespace tandem::engine {

using nlohmann::json;

namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

json parse_value(std::string_view text, std::string_view spec) {
  json v = json::parse(text, nullptr, false);
  if (!v.is_discarded() && (v.is_number() || v.is_boolean() || v.is_string())) return v;
  if (text.empty()) fail(ErrorKind::invalid_argument, "--param {}: an empty value", spec);
  return json(std::string(text));  // a bare word is a string
}

// Splits "a.b[2].c" into steps: keys and array indexes.
struct Step {
  std::string key;
  bool index = false;
  std::size_t i = 0;
};

std::vector<Step> parse_path(std::string_view path) {
  std::vector<Step> steps;
  std::size_t p = 0;
  while (p < path.size()) {
    if (path[p] == '.') {
      ++p;
      continue;
    }
    if (path[p] == '[') {
      const std::size_t close = path.find(']', p);
      if (close == std::string_view::npos || close == p + 1)
        fail(ErrorKind::invalid_argument, "'{}': a '[' without an index and ']'", path);
      std::size_t i = 0;
      for (std::size_t q = p + 1; q < close; ++q) {
        if (path[q] < '0' || path[q] > '9')
          fail(ErrorKind::invalid_argument, "'{}': '{}' is not an array index", path,
               path.substr(p + 1, close - p - 1));
        i = i * 10 + static_cast<std::size_t>(path[q] - '0');
      }
      steps.push_back({"", true, i});
      p = close + 1;
      continue;
    }
    const std::size_t end = path.find_first_of(".[", p);
    steps.push_back({std::string(path.substr(p, end - p)), false, 0});
    p = end == std::string_view::npos ? path.size() : end;
  }
  if (steps.empty()) fail(ErrorKind::invalid_argument, "an empty parameter path");
  return steps;
}

eval::Qrels subset(const eval::Qrels& all, const std::vector<std::string>& qids,
                   const std::string& name) {
  eval::Qrels out(name);
  for (const auto& q : qids) {
    const auto i = all.find(q);
    if (!i) continue;
    for (const auto& j : all.judgments(*i)) out.add(q, j.doc, j.rel, j.line);
  }
  return out;
}

double score(const std::vector<pipeline::QueryState>& states, const eval::Qrels& qrels,
             const eval::MeasureSet& measures, std::string& column) {
  eval::Run run("tune");
  for (const auto& st : states) {
    if (!qrels.find(st.query->id)) continue;
    for (const auto& e : st.fused) run.add(st.query->id, e.id, e.score);
  }
  eval::EvalOptions o;
  o.complete = true;
  if (run.num_queries() == 0) return 0.0;  // nothing found for any query: every measure is 0
  const eval::Report r = eval::evaluate(qrels, run, measures, o);
  if (r.columns.empty()) fail(ErrorKind::invalid_argument, "the measure computes nothing");
  column = r.columns[0].name;
  return r.summary[0];
}

std::string read_text(const std::filesystem::path& path) {
  const io::MappedFile f(path);
  return std::string(reinterpret_cast<const char*>(f.bytes().data()), f.bytes().size());
}

}  // namespace

TuneParam parse_tune_param(std::string_view spec) {
  const std::size_t eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0)
    fail(ErrorKind::invalid_argument, "--param '{}': expected PATH=V1,V2,... or PATH=FROM:TO:STEP",
         spec);
  TuneParam p;
  p.path = std::string(spec.substr(0, eq));
  parse_path(p.path);
  const std::string_view values = spec.substr(eq + 1);
  if (std::count(values.begin(), values.end(), ':') == 2) {
    const std::size_t a = values.find(':'), b = values.find(':', a + 1);
    const json from = parse_value(values.substr(0, a), spec),
               to = parse_value(values.substr(a + 1, b - a - 1), spec),
               step = parse_value(values.substr(b + 1), spec);
    if (!from.is_number() || !to.is_number() || !step.is_number() || !(step.get<double>() > 0) ||
        to.get<double>() < from.get<double>())
      fail(ErrorKind::invalid_argument,
           "--param '{}': FROM:TO:STEP needs numbers with FROM <= TO and STEP > 0", spec);
    const double f = from.get<double>(), t = to.get<double>(), s = step.get<double>();
    const auto n = static_cast<std::size_t>(std::floor((t - f) / s + 1e-9)) + 1;
    if (n > 10000) fail(ErrorKind::limit_exceeded, "--param '{}': over 10,000 values", spec);
    const bool integers = from.is_number_integer() && step.is_number_integer();
    for (std::size_t i = 0; i < n; ++i) {
      const double v = f + static_cast<double>(i) * s;
      // Round away the float error of the sum (0.30000000000000004 -> 0.3).
      p.values.push_back(integers ? json(static_cast<std::int64_t>(std::llround(v)))
                                  : json(std::round(v * 1e9) / 1e9));
    }
  } else {
    std::size_t start = 0;
    while (start <= values.size()) {
      const std::size_t comma = values.find(',', start);
      const auto part = values.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      p.values.push_back(parse_value(part, spec));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return p;
}

void set_json_path(json& root, std::string_view path, const json& value) {
  const auto steps = parse_path(path);
  json* at = &root;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    const bool last = i + 1 == steps.size();
    if (s.index) {
      if (!at->is_array() || s.i >= at->size())
        fail(ErrorKind::invalid_argument, "parameter '{}': no element [{}] in the pipeline", path,
             s.i);
      at = &(*at)[s.i];
    } else {
      if (!at->is_object())
        fail(ErrorKind::invalid_argument, "parameter '{}': '{}' is not inside an object", path,
             s.key);
      if (!last && !at->contains(s.key)) {
        // A missing section ("fusion") is created as an object.
        if (steps[i + 1].index)
          fail(ErrorKind::invalid_argument, "parameter '{}': the pipeline has no '{}'", path,
               s.key);
        (*at)[s.key] = json::object();
      }
      at = &(*at)[s.key];
    }
  }
  *at = value;
}

QuerySplit split_queries(std::vector<std::string> qids, double train_fraction, std::uint64_t seed) {
  if (!(train_fraction > 0 && train_fraction < 1))
    fail(ErrorKind::invalid_argument, "the train fraction must be in (0, 1), not {}",
         train_fraction);
  std::sort(qids.begin(), qids.end());
  qids.erase(std::unique(qids.begin(), qids.end()), qids.end());
  std::vector<std::pair<std::uint64_t, std::string>> keyed;
  keyed.reserve(qids.size());
  for (auto& q : qids) keyed.emplace_back(splitmix64(fnv1a(q) ^ splitmix64(seed)), std::move(q));
  std::sort(keyed.begin(), keyed.end());
  const auto n_train =
      static_cast<std::size_t>(std::llround(train_fraction * static_cast<double>(keyed.size())));
  QuerySplit s;
  for (std::size_t i = 0; i < keyed.size(); ++i)
    (i < n_train ? s.train : s.test).push_back(std::move(keyed[i].second));
  std::sort(s.train.begin(), s.train.end());
  std::sort(s.test.begin(), s.test.end());
  return s;
}

TuneReport tune(const TuneOptions& o, ProgressSink* progress) {
  const auto t0 = std::chrono::steady_clock::now();
  TuneReport report;
  const std::string source = o.pipeline.string();
  json base = json::parse(read_text(o.pipeline), nullptr, false);
  if (base.is_discarded()) (void)pipeline::parse_pipeline_spec(read_text(o.pipeline), source);
  if (o.k != 0) base["k"] = o.k;
  const auto base_spec = pipeline::parse_pipeline_spec(base.dump(), source);

  // The split.
  const bool given = !o.train_qrels.empty() || !o.test_qrels.empty();
  if (given && (o.train_qrels.empty() || o.test_qrels.empty() || !o.qrels.empty()))
    fail(ErrorKind::invalid_argument,
         "give --qrels FILE (split by --train-fraction and --seed) or both --train-qrels and "
         "--test-qrels");
  if (!given && o.qrels.empty())
    fail(ErrorKind::invalid_argument, "give --qrels FILE, or --train-qrels and --test-qrels");
  eval::Qrels train("train"), test("test");
  if (given) {
    train = eval::read_qrels(o.train_qrels);
    test = eval::read_qrels(o.test_qrels);
    for (std::size_t i = 0; i < train.num_queries(); ++i) {
      if (test.find(train.qid(i)))
        fail(ErrorKind::invalid_argument, "query '{}' is in both {} and {}", train.qid(i),
             o.train_qrels.string(), o.test_qrels.string());
    }
  } else {
    const eval::Qrels all = eval::read_qrels(o.qrels);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < all.num_queries(); ++i) ids.emplace_back(all.qid(i));
    const QuerySplit s = split_queries(ids, o.train_fraction, o.seed);
    train = subset(all, s.train, o.qrels.string() + " (train)");
    test = subset(all, s.test, o.qrels.string() + " (test)");
  }
  if (train.num_queries() == 0 || test.num_queries() == 0)
    fail(ErrorKind::invalid_argument, "the split leaves {} train and {} test queries",
         train.num_queries(), test.num_queries());
  // The queries that are judged.
  std::vector<pipeline::PipelineQuery> queries;
  for (const auto& q : io::read_queries(o.queries)) {
    if (train.find(q.id) || test.find(q.id)) queries.push_back({q.id, q.text});
  }
  report.train_queries = train.num_queries();
  report.test_queries = test.num_queries();

  // The grid.
  std::vector<TuneParam> params = o.params;
  if (params.empty()) {
    if (base_spec.fusion.method == pipeline::FusionMethod::convex && base_spec.legs.size() == 2) {
      params.push_back(parse_tune_param("fusion.alpha=0:1:0.1"));
    } else if (base_spec.fusion.method == pipeline::FusionMethod::rrf) {
      params.push_back(parse_tune_param("fusion.k=1,5,10,20,40,60,80,100"));
    } else {
      fail(ErrorKind::invalid_argument,
           "no default grid for this pipeline (convex with two legs tunes fusion.alpha, rrf "
           "tunes fusion.k): give --param PATH=VALUES");
    }
  }
  std::size_t points = 1;
  for (const auto& p : params) {
    if (p.values.empty()) fail(ErrorKind::invalid_argument, "--param {}: no values", p.path);
    points *= p.values.size();
    if (points > 100000) fail(ErrorKind::limit_exceeded, "the grid has over 100,000 points");
    if (p.path.rfind("legs", 0) == 0 || p.path.rfind("index", 0) == 0 ||
        p.path.rfind("filter", 0) == 0)
      report.legs_reused = false;
  }
  const eval::MeasureSet measures = eval::parse_measures({o.measure});

  const unsigned threads = resolve_threads(o.threads);
  const pipeline::Pipeline first(base_spec);
  std::vector<pipeline::QueryState> legs_only;
  if (report.legs_reused) legs_only = first.run_legs(queries, threads);

  const auto variant_of = [&](std::size_t point, json& setting) {
    json j = base;
    setting = json::object();
    std::size_t rest = point;
    for (const auto& p : params) {
      const json& v = p.values[rest % p.values.size()];
      rest /= p.values.size();
      set_json_path(j, p.path, v);
      setting[p.path] = v;
    }
    return j;
  };
  const auto run_point = [&](const json& j, const std::string& label) {
    auto spec = pipeline::parse_pipeline_spec(j.dump(), source + " (" + label + ")");
    if (report.legs_reused) {
      const pipeline::PipelineTail tail = first.make_tail(spec);
      auto states = legs_only;
      first.finish(states, threads, &tail);
      return states;
    }
    const pipeline::Pipeline p(std::move(spec));
    return p.run(queries, threads);
  };
  for (std::size_t point = 0; point < points; ++point) {
    TunePoint tp;
    const json j = variant_of(point, tp.setting);
    const auto states = run_point(j, tp.setting.dump());
    tp.train = score(states, train, measures, report.measure);
    report.grid.push_back(std::move(tp));
    if (report.grid.back().train > report.grid[report.best].train) report.best = point;
    if (progress != nullptr) progress->update("grid", point + 1, points);
  }
  if (progress != nullptr) progress->finish("grid");
  json setting;
  report.chosen_pipeline = variant_of(report.best, setting);
  const auto states = run_point(report.chosen_pipeline, setting.dump());
  report.test = score(states, test, measures, report.measure);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return report;
}

std::string to_json(const TuneReport& r) {
  json grid = json::array();
  for (const auto& p : r.grid) grid.push_back({{"setting", p.setting}, {"train", p.train}});
  const json j = {{"measure", r.measure},
                  {"chosen", r.grid.empty() ? json() : r.grid[r.best].setting},
                  {"chosen_train", r.grid.empty() ? 0.0 : r.grid[r.best].train},
                  {"test", r.test},
                  {"train_queries", r.train_queries},
                  {"test_queries", r.test_queries},
                  {"legs_reused", r.legs_reused},
                  {"seconds", r.seconds},
                  {"grid", grid},
                  {"pipeline", r.chosen_pipeline},
                  {"tandem", TANDEM_VERSION}};
  return j.dump(2);
}

}  // namespace tandem::engine
