// `tandem eval`: trec_eval's command line over eval::evaluate, printing exactly what trec_eval
// prints (or JSON).
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "tandem/core/error.hpp"
#include "tandem/eval/evaluate.hpp"

#include "commands.hpp"
#include "eval_options.hpp"

namespace tandem::cli {

namespace {

struct EvalArgs {
  std::string qrels;
  std::string run;
  std::vector<std::string> positional;
  std::vector<std::string> measures;
  bool per_query = false;
  bool no_summary = false;
  bool json = false;
  eval::EvalOptions options;
};

std::string measures_help() {
  std::string names;
  for (const std::string& n : eval::measure_names()) names += (names.empty() ? "" : " ") + n;
  std::string nicks;
  for (const auto& [nick, list] : eval::measure_nicknames()) {
    std::string members;
    for (const std::string& m : list) members += (members.empty() ? "" : " ") + m;
    nicks += fmt::format("  {}: {}\n", nick, members);
  }
  return fmt::format(
      "\nMeasures (-m NAME or -m NAME.PARAMS, repeatable; output follows trec_eval's order):\n"
      "  {}\n"
      "Nicknames:\n{}"
      "Parameters: cutoffs for P, recall, map_cut, ndcg_cut, relative_P, success, unj\n"
      "  (e.g. ndcg_cut.10 or P.5,10; defaults 5,10,15,20,30,100,200,500,1000; success 1,5,10;\n"
      "  unj 5,10,20); recall points for iprec_at_recall (default 0,.1,...,1) and multiples of R\n"
      "  for Rprec_mult; grade=gain pairs for ndcg, ndcg_rel, Rndcg, G, dcg, ideal_dcg, rbp\n"
      "  (rbp also p=persistence); coefficients a,b,c,d for utility; x for set_F; N for "
      "relstring.\n"
      "Without -m the measures are trec_eval's default, 'official'.\n"
      "\nSemantics (those of trec_eval 9.0.8, usnistgov/trec_eval at 9d55fc96):\n"
      "  Each query's hits are ranked by score descending, ties by document id descending\n"
      "  (byte order); the rank column is ignored. Queries are evaluated in byte order of id;\n"
      "  queries without judgments are ignored; without -c, so are judged queries the run lacks.\n"
      "  A document retrieved twice for an evaluated query, or judged twice, is an error (as in\n"
      "  trec_eval). Qrels may be TREC ('qid iter docid rel') or BEIR TSV ('query-id corpus-id\n"
      "  score', header optional), plain or gzipped; runs are TREC ('qid Q0 docid rank score "
      "tag').\n",
      names, nicks);
}

std::string read_stdin() {
  std::string text;
  char buffer[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), stdin)) > 0) text.append(buffer, n);
  if (std::ferror(stdin)) fail(ErrorKind::io, "cannot read the run from standard input");
  return text;
}

// trec_eval keeps the parameters of the first -m that names a measure and ignores later ones
// (-m recall.100 -m recall.1000 prints recall_100 only). tandem does the same, and says so.
void warn_repeated_measures(const std::vector<std::string>& specs) {
  std::map<std::string, std::string> first;
  for (const auto& spec : specs) {
    const std::string name = spec.substr(0, spec.find('.'));
    const auto [it, inserted] = first.emplace(name, spec);
    if (!inserted && it->second != spec) {
      fmt::print(
          stderr,
          "tandem eval: note: as in trec_eval, '-m {}' is ignored because '-m {}' came first; "
          "give one -m with all parameters, e.g. -m {}.a,b\n",
          spec, it->second, name);
    }
  }
}

int run_eval(const EvalArgs& args) {
  std::string qrels_path = args.qrels;
  std::string run_path = args.run;
  std::size_t next = 0;
  if (qrels_path.empty() && next < args.positional.size()) qrels_path = args.positional[next++];
  if (run_path.empty() && next < args.positional.size()) run_path = args.positional[next++];
  if (next != args.positional.size()) {
    fail(ErrorKind::invalid_argument,
         "too many file arguments: give QRELS RUN, or --qrels and --run");
  }
  if (qrels_path.empty() || run_path.empty()) {
    fail(ErrorKind::invalid_argument, "missing {}: give QRELS RUN, or --qrels and --run",
         qrels_path.empty() ? "the qrels file" : "the run file");
  }
  const eval::MeasureSet measures = eval::parse_measures(args.measures);
  warn_repeated_measures(args.measures);
  const eval::Qrels qrels = eval::read_qrels(qrels_path);
  // trec_eval reads the run from standard input when it is given as "-".
  const eval::Run run =
      run_path == "-" ? eval::parse_run(read_stdin(), "<stdin>") : eval::read_run(run_path);
  const eval::Report report = eval::evaluate(qrels, run, measures, args.options);
  const eval::FormatOptions format{.per_query = args.per_query, .summary = !args.no_summary};
  const std::string text =
      args.json ? eval::to_json(report, format) : eval::format_trec_eval(report, format);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace

void add_eval_command(CLI::App& app, Action& run) {
  auto args = std::make_shared<EvalArgs>();
  auto* cmd = app.add_subcommand(
      "eval",
      "Evaluate a run against relevance judgments; prints exactly what trec_eval prints.\n"
      "Usage: tandem eval [options] QRELS RUN   (trec_eval's form)\n"
      "   or: tandem eval [options] --qrels QRELS --run RUN");
  cmd->add_option("files", args->positional, "QRELS RUN, as trec_eval takes them (RUN '-': stdin)")
      ->expected(0, 2);
  cmd->add_option("--qrels", args->qrels, "Relevance judgments (TREC or BEIR TSV, plain or .gz)");
  cmd->add_option("--run", args->run, "Run to evaluate (TREC format, plain or .gz)");
  cmd->add_option("-m,--measure", args->measures,
                  "Measure, measure.params or nickname (repeatable); default: official")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_flag("-q,--query_eval_wanted", args->per_query, "Also print the value of each query");
  add_trec_eval_options(*cmd, args->options);
  cmd->add_option("-N,--Number_docs_in_coll", args->options.num_docs_in_collection,
                  "Number of documents in the collection (only utility uses it)");
  cmd->add_flag("-n,--nosummary", args->no_summary, "Do not print the summary ('all') lines");
  cmd->add_flag("--json", args->json, "Print JSON instead of trec_eval's text");
  cmd->add_option("--threads", args->options.threads, "Worker threads (0 = all cores; default 1)");
  cmd->footer(measures_help());
  cmd->callback([&run, args] { run = [args] { return run_eval(*args); }; });
}

}  // namespace tandem::cli
