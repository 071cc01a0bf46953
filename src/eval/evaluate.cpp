// The evaluation loop of trec_eval (trec_eval.c) and the join of a ranking with its judgments
// (form_res_rels.c).
#include "tandem/eval/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"

#include "doc_table.hpp"

namespace tandem::eval {

namespace {

// trec_eval's ranking order: score descending, ties by document id descending (strcmp order).
bool ranks_before(const RunHit& a, const RunHit& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.doc > b.doc;
}

// " (lines a and b)" when both are known (read from a file), else nothing.
std::string lines_note(std::uint64_t a, std::uint64_t b) {
  return a != 0 && b != 0 ? " (lines " + std::to_string(a) + " and " + std::to_string(b) + ")"
                          : std::string();
}

// For a query the run lacks, under -c, trec_eval evaluates this one-document ranking.
constexpr RunHit kPlaceholderHit{"ceci_nest_pas_un_docno", 1.0, 0};

// Per-worker buffers, reused from query to query.
struct Scratch {
  std::vector<RunHit> ranked;
  std::vector<std::int64_t> rels;
  std::vector<std::int64_t> grades;
  std::vector<LevelCount> levels;
  detail::DocTable judged;  // document -> index of its judgment
  detail::DocTable seen;    // document -> source line, for the ranked documents
};

// One query to evaluate: its judgments and its hits (the placeholder when the run lacks it).
struct Task {
  std::size_t qrels_query = 0;
  std::span<const RunHit> hits;
  bool missing = false;
};

// Indexes the query's judgments by document, refusing a document judged twice, and counts the
// judged documents per grade.
void index_judgments(const Qrels& qrels, std::size_t query, const EvalOptions& options, Scratch& s,
                     JudgedRanking& out) {
  const std::span<const Judgment> judgments = qrels.judgments(query);
  s.judged.clear(judgments.size());
  s.grades.clear();
  for (std::size_t i = 0; i < judgments.size(); ++i) {
    const Judgment& j = judgments[i];
    if (const std::uint64_t* first = s.judged.insert(j.doc, detail::DocTable::hash(j.doc), i)) {
      fail(ErrorKind::invalid_argument,
           "{}: query '{}' judges document '{}' twice{}; trec_eval refuses this too",
           qrels.source(), qrels.qid(query), j.doc, lines_note(judgments[*first].line, j.line));
    }
    if (j.rel >= 0) s.grades.push_back(j.rel);
  }
  std::sort(s.grades.begin(), s.grades.end());
  s.levels.clear();
  for (const std::int64_t g : s.grades) {
    if (s.levels.empty() || s.levels.back().level != g) s.levels.push_back(LevelCount{g, 0});
    ++s.levels.back().count;
  }
  out.levels = s.levels;
  out.num_rel_levels = s.levels.empty() ? 0 : s.levels.back().level + 1;
  out.num_rel = 0;
  for (const LevelCount& lc : s.levels) {
    if (lc.level >= options.relevance_level) out.num_rel += lc.count;
  }
}

// Ranks the hits, cuts them to -M, refuses duplicates among those kept, and looks up each one's
// relevance; then applies -J.
// Sorts hits into trec_eval's order. Runs usually come sorted by score already, with ties in
// some other order: then only the runs of equal scores are sorted, by document id.
void sort_hits(std::vector<RunHit>& hits) {
  if (std::is_sorted(hits.begin(), hits.end(), ranks_before)) return;
  const auto by_score = [](const RunHit& a, const RunHit& b) { return a.score > b.score; };
  if (!std::is_sorted(hits.begin(), hits.end(), by_score)) {
    std::sort(hits.begin(), hits.end(), ranks_before);
    return;
  }
  for (auto begin = hits.begin(); begin != hits.end();) {
    const auto end =
        std::find_if(begin, hits.end(), [&](const RunHit& h) { return h.score != begin->score; });
    if (end - begin > 1) {
      std::sort(begin, end, [](const RunHit& a, const RunHit& b) { return a.doc > b.doc; });
    }
    begin = end;
  }
}

void rank_hits(const Qrels& qrels, const Run& run, const Task& task, const EvalOptions& options,
               Scratch& s, JudgedRanking& out) {
  s.ranked.assign(task.hits.begin(), task.hits.end());
  sort_hits(s.ranked);
  const std::int64_t limit = std::max<std::int64_t>(options.max_hits_per_query, 0);
  if (static_cast<std::int64_t>(s.ranked.size()) > limit) {
    s.ranked.resize(static_cast<std::size_t>(limit));
  }

  const std::span<const Judgment> judgments = qrels.judgments(task.qrels_query);
  s.seen.clear(s.ranked.size());
  s.rels.clear();
  out.num_nonpool = 0;
  out.num_unjudged_in_pool = 0;
  out.num_rel_ret = 0;
  for (const RunHit& hit : s.ranked) {
    const std::uint64_t h = detail::DocTable::hash(hit.doc);
    if (const std::uint64_t* first_line = s.seen.insert(hit.doc, h, hit.line)) {
      fail(ErrorKind::invalid_argument,
           "{}: query '{}' retrieves document '{}' twice{}; trec_eval refuses this too",
           run.source(), qrels.qid(task.qrels_query), hit.doc, lines_note(*first_line, hit.line));
    }
    std::int64_t rel = kNotInPool;
    if (const std::uint64_t* j = s.judged.find(hit.doc, h)) {
      const std::int32_t grade = judgments[*j].rel;
      rel = grade < 0 ? kUnjudgedInPool : grade;
    }
    if (options.judged_only && rel < 0) continue;
    if (rel == kNotInPool) {
      ++out.num_nonpool;
    } else if (rel == kUnjudgedInPool) {
      ++out.num_unjudged_in_pool;
    } else if (rel >= options.relevance_level) {
      ++out.num_rel_ret;
    }
    s.rels.push_back(rel);
  }
  out.rels = s.rels;
  out.num_ret = static_cast<std::int64_t>(s.rels.size());
}

void evaluate_query(const Qrels& qrels, const Run& run, const Task& task,
                    const MeasureSet& measures, const std::vector<Column>& columns,
                    const EvalOptions& options, Scratch& s, QueryValues& out) {
  JudgedRanking ranking;
  index_judgments(qrels, task.qrels_query, options, s, ranking);
  rank_hits(qrels, run, task, options, s, ranking);

  out.qid = qrels.qid(task.qrels_query);
  out.values.assign(columns.size(), 0.0);
  const bool has_text = std::any_of(columns.begin(), columns.end(),
                                    [](const Column& c) { return c.format == ValueFormat::text; });
  if (has_text) out.texts.assign(columns.size(), std::string());
  std::string unused;
  std::size_t first = 0;
  for (const auto& measure : measures.measures()) {
    const std::size_t n = measure->value_names().size();
    std::string& text = has_text ? out.texts[first] : unused;
    measure->compute(ranking, options, std::span<double>(out.values).subspan(first, n), text);
    first += n;
  }
  if (task.missing) {
    // trec_eval.c's clean-up after the placeholder ranking, matched by value name as it does.
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const std::string_view name = columns[c].name;
      if (name == "num_ret" || name == "utility" || name.starts_with("unj") ||
          name == "rbp_resid") {
        out.values[c] = 0.0;
      } else if (name == "relstring") {
        out.texts[c].clear();
      }
    }
  }
}

std::vector<Column> columns_of(const MeasureSet& measures) {
  std::vector<Column> columns;
  for (const auto& measure : measures.measures()) {
    for (const std::string& name : measure->value_names()) {
      columns.push_back(
          Column{name, measure->format(), measure->aggregation(), measure->per_query()});
    }
  }
  return columns;
}

// trec_eval's te_calc_avg_meas_* and te_calc_avg_num_q: summed in evaluation order, then divided.
std::vector<double> summarize(const std::vector<Column>& columns,
                              const std::vector<QueryValues>& queries) {
  const double n = static_cast<double>(static_cast<std::int64_t>(queries.size()));
  std::vector<double> summary(columns.size(), 0.0);
  for (std::size_t c = 0; c < columns.size(); ++c) {
    double sum = 0.0;
    for (const QueryValues& q : queries) sum += q.values[c];
    switch (columns[c].aggregation) {
      case Aggregation::mean:
        summary[c] = sum / n;
        break;
      case Aggregation::sum:
        summary[c] = sum;
        break;
      case Aggregation::geometric_mean:
        summary[c] = std::exp(sum / n);
        break;
      case Aggregation::num_queries:
        summary[c] = n;
        break;
      case Aggregation::run_id:
      case Aggregation::none:
        break;
    }
  }
  return summary;
}

}  // namespace

Report evaluate(const Qrels& qrels, const Run& run, const MeasureSet& measures_in,
                const EvalOptions& options) {
  const MeasureSet measures = measures_in.empty() ? parse_measures({}) : measures_in;
  Report report;
  report.columns = columns_of(measures);
  report.run_id = run.run_id();

  std::vector<std::size_t> order(qrels.num_queries());
  for (std::size_t q = 0; q < order.size(); ++q) order[q] = q;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return qrels.qid(a) < qrels.qid(b); });
  std::vector<Task> tasks;
  for (const std::size_t q : order) {
    const auto r = run.find(qrels.qid(q));
    if (r && !run.hits(*r).empty()) {
      tasks.push_back(Task{q, run.hits(*r), false});
    } else if (options.complete) {
      tasks.push_back(Task{q, std::span<const RunHit>(&kPlaceholderHit, 1), true});
    }
  }
  if (tasks.empty()) {
    fail(ErrorKind::invalid_argument,
         "no query has both results in {} and judgments in {} (check that the query ids match)",
         run.source(), qrels.source());
  }

  report.queries.resize(tasks.size());
  const unsigned threads = resolve_threads(options.threads);
  std::vector<Scratch> scratch(std::min<std::size_t>(threads, tasks.size()));
  parallel_for(
      tasks.size(), static_cast<unsigned>(scratch.size()),
      [&](std::size_t i, unsigned worker) {
        evaluate_query(qrels, run, tasks[i], measures, report.columns, options, scratch[worker],
                       report.queries[i]);
      },
      16);
  report.summary = summarize(report.columns, report.queries);
  return report;
}

}  // namespace tandem::eval
