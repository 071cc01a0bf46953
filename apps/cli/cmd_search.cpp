// `tandem search`: a query file to a TREC run (with statistics), or one query to a readable list.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/engine/engine.hpp"
#include "tandem/io/text_file_writer.hpp"

#include "batch_output.hpp"
#include "commands.hpp"
#include "dense_options.hpp"
#include "pipeline_search.hpp"
#include "sparse_search.hpp"
#include "terminal_progress.hpp"

namespace tandem::cli {

namespace {

struct SearchArgs {
  std::string index;
  std::string queries;
  std::string run;
  std::string query;
  std::string stats;
  std::size_t k = 0;  // 0 = 1000 for a run, 10 for --query
  unsigned threads = 0;
  float k1 = 0.9f;
  float b = 0.4f;
  std::string lengths = "lucene";
  std::string scores;  // "" = anserini with lucene lengths, raw with exact
  bool exact = false;
  std::string algorithm = std::string(sparse::to_string(sparse::kDefaultQueryAlgorithm));
  std::vector<std::string> fields;
  bool remove_query = false;
  std::string retriever = "bm25";  // copied into `dense` or `sparse` by run_search
  DenseSearchArgs dense;
  std::string tag = "tandem";
  bool json = false;
  bool quiet = false;
  SparseSearchArgs sparse;
  // Pseudo-relevance feedback (BM25 only).
  bool rm3 = false;
  bool rocchio = false;
  tandem::pipeline::Rm3Params rm3_params;
  tandem::pipeline::RocchioParams rocchio_params;
  bool rm3_no_term_filter = false;
  std::size_t fb_depth = 50;
  std::string fb_field;
  // MaxSim re-ranking (BM25 first stage).
  std::string maxsim;
  std::size_t maxsim_depth = 100;
  bool maxsim_no_bound = false;
  double maxsim_ratio = 0;
  std::size_t maxsim_patience = 0;
  PipelineSearchArgs pipeline;
};

std::vector<pipeline::FieldWeight> parse_fields(const std::vector<std::string>& specs) {
  std::vector<pipeline::FieldWeight> out;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    pipeline::FieldWeight fw;
    fw.field = spec.substr(0, eq);
    if (eq != std::string::npos) {
      try {
        std::size_t used = 0;
        fw.weight = std::stof(spec.substr(eq + 1), &used);
        if (used != spec.size() - eq - 1) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        fail(ErrorKind::invalid_argument, "--fields: '{}' is not FIELD or FIELD=WEIGHT", spec);
      }
    }
    out.push_back(fw);
  }
  return out;
}

engine::SearchOptions make_options(const SearchArgs& a, bool single) {
  engine::SearchOptions o;
  o.k = a.k != 0 ? a.k : (single ? 10 : 1000);
  o.bm25.params = {a.k1, a.b};
  const std::string lengths = a.exact ? "exact" : a.lengths;
  if (lengths == "lucene") {
    o.bm25.length_mode = sparse::LengthMode::lucene;
  } else if (lengths == "exact") {
    o.bm25.length_mode = sparse::LengthMode::exact;
  } else {
    fail(ErrorKind::invalid_argument, "--lengths must be lucene or exact, not '{}'", lengths);
  }
  o.bm25.algorithm = sparse::parse_query_algorithm(a.algorithm);
  o.bm25.fields = parse_fields(a.fields);
  o.remove_query = a.remove_query;
  if (a.rm3 && a.rocchio) fail(ErrorKind::invalid_argument, "give --rm3 or --rocchio, not both");
  if (a.rm3 || a.rocchio) {
    pipeline::TermFeedbackOptions fb;
    fb.kind = a.rm3 ? pipeline::TermFeedbackKind::rm3 : pipeline::TermFeedbackKind::rocchio;
    fb.rm3 = a.rm3_params;
    fb.rm3.filter_terms = !a.rm3_no_term_filter;
    fb.rocchio = a.rocchio_params;
    fb.depth = a.fb_depth;
    fb.field = a.fb_field;
    o.feedback = fb;
  }
  o.maxsim_queries = a.maxsim;
  o.maxsim_depth = a.maxsim_depth;
  o.maxsim.bound = !a.maxsim_no_bound;
  o.maxsim.candidate_ratio = a.maxsim_ratio;
  o.maxsim.patience = a.maxsim_patience;
  return o;
}

// A short readable rendering of a stored BEIR / Anserini document.
std::pair<std::string, std::string> title_and_text(const std::string& source) {
  try {
    const auto j = nlohmann::json::parse(source);
    std::string title =
        j.contains("title") && j["title"].is_string() ? j["title"].get<std::string>() : "";
    std::string text;
    for (const char* key : {"text", "contents"}) {
      if (j.contains(key) && j[key].is_string()) {
        text = j[key].get<std::string>();
        break;
      }
    }
    return {title, text};
  } catch (const nlohmann::json::exception&) {
    return {"", source};
  }
}

std::string shorten(std::string s, std::size_t n) {
  for (auto& c : s) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
  }
  if (s.size() <= n) return s;
  std::size_t cut = n;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  return s.substr(0, cut) + "...";
}

int run_single(const SearchArgs& a, const engine::Index& index) {
  const engine::Searcher searcher(index, make_options(a, true));
  const auto hits = searcher.search(a.query);
  if (a.json) {
    nlohmann::json out = {{"query", a.query},
                          {"settings", nlohmann::json::parse(searcher.settings_json())}};
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < hits.size(); ++i) {
      nlohmann::json h = {
          {"rank", i + 1}, {"id", std::string(hits[i].id)}, {"score", hits[i].score}};
      if (index.reader().settings().store)
        h["document"] = index.reader().stored_document(hits[i].at);
      list.push_back(h);
    }
    out["hits"] = list;
    fmt::print("{}\n", out.dump(2));
    return 0;
  }
  fmt::print("query: {}\n", a.query);
  fmt::print("settings: {}\n", searcher.settings_json());
  if (hits.empty())
    fmt::print("no document matches (the query's terms after analysis are not in the index)\n");
  for (std::size_t i = 0; i < hits.size(); ++i) {
    fmt::print("{:>3}. {:<20} {:>9.4f}", i + 1, hits[i].id, hits[i].score);
    if (index.reader().settings().store) {
      const auto [title, text] = title_and_text(index.reader().stored_document(hits[i].at));
      fmt::print("  {}\n       {}\n", shorten(title.empty() ? text : title, 90),
                 title.empty() ? "" : shorten(text, 110));
    } else {
      fmt::print("\n");
    }
  }
  return 0;
}

int run_batch(const SearchArgs& a, const engine::Index& index) {
  const engine::Searcher searcher(index, make_options(a, false));
  const auto queries = io::read_queries(a.queries);
  TerminalProgress progress;
  const auto batch = searcher.search_batch(queries, a.threads, a.quiet ? nullptr : &progress);
  const io::RunScoreFormat format = parse_score_format(
      a.scores, searcher.options().bm25.length_mode == sparse::LengthMode::lucene && !a.exact
                    ? io::RunScoreFormat::anserini
                    : io::RunScoreFormat::raw);
  const BatchOutput out{a.run, a.tag, a.stats, a.json, a.quiet};
  const std::string stats = engine::batch_stats_json(batch, searcher);
  write_batch_files(batch, format, out, stats);
  print_batch_summary(batch, out, stats, searcher.settings_json());
  return 0;
}

int run_search(SearchArgs a) {
  if (!a.pipeline.pipeline.empty()) {
    if (a.rm3 || a.rocchio || !a.maxsim.empty())
      fail(ErrorKind::invalid_argument,
           "--rm3 / --rocchio / --maxsim apply to a plain BM25 search; in a pipeline use "
           "\"feedback\" and \"rerank\" stages (docs/prf.md)");
    return run_pipeline_search({a.index, a.queries, a.run, a.query, a.stats, a.tag, a.scores, a.k,
                                a.threads, a.json, a.quiet},
                               a.pipeline);
  }
  if (a.index.empty())
    fail(ErrorKind::invalid_argument, "--index is required (or --pipeline FILE)");
  const bool learned_sparse = a.retriever == "impact" || a.retriever == "sparse-approx";
  a.sparse.retriever = learned_sparse ? a.retriever : "bm25";
  a.dense.retriever = learned_sparse ? "bm25" : a.retriever;
  if ((a.rm3 || a.rocchio || !a.maxsim.empty()) && a.retriever != "bm25")
    fail(ErrorKind::invalid_argument,
         "--rm3 / --rocchio expand BM25 queries; for dense legs use a pipeline feedback stage");
  if (a.sparse.retriever != "bm25") {
    return run_sparse_search({a.index, a.queries, a.run, a.query, a.stats, a.algorithm, a.tag,
                              a.scores, a.k, a.threads, a.remove_query, a.json, a.quiet},
                             a.sparse);
  }
  const bool single = !a.query.empty();
  if (single == !a.queries.empty())
    fail(ErrorKind::invalid_argument, "give either --queries FILE (with --run) or --query TEXT");
  if (!single && a.run.empty())
    fail(ErrorKind::invalid_argument, "--queries needs --run FILE for the results");
  if (a.dense.dense()) {
    if (single)
      fail(ErrorKind::invalid_argument, "dense retrievers take query vectors: use --queries FILE");
    return run_dense_batch(a.index, a.queries, a.dense, a.k != 0 ? a.k : 1000, a.threads, a.run,
                           a.stats, a.tag, a.json, a.quiet);
  }
  const auto index = engine::Index::open(a.index);
  return single ? run_single(a, index) : run_batch(a, index);
}

void add_feedback_options(CLI::App& cmd, SearchArgs& a) {
  const char* group = "Pseudo-relevance feedback (BM25; Anserini's -rm3 / -rocchio)";
  cmd.add_flag("--rm3", a.rm3,
               "RM3 feedback: expand the query from the top --fb-docs documents (docs/prf.md)")
      ->group(group);
  cmd.add_option("--fb-docs", a.rm3_params.fb_docs, "RM3 feedback documents (-rm3.fbDocs)")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--fb-terms", a.rm3_params.fb_terms, "RM3 feedback terms (-rm3.fbTerms)")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--original-query-weight", a.rm3_params.original_query_weight,
                 "RM3 weight of the original query, in [0, 1] (-rm3.originalQueryWeight)")
      ->capture_default_str()
      ->group(group);
  cmd.add_flag("--rm3-no-term-filter", a.rm3_no_term_filter,
               "RM3: keep feedback terms outside [a-z0-9]+ (-rm3.noTermFilter)")
      ->group(group);
  cmd.add_flag("--rocchio", a.rocchio,
               "Rocchio feedback: alpha q + beta mean(top docs) - gamma mean(bottom docs)")
      ->group(group);
  cmd.add_option("--rocchio-top-fb-docs", a.rocchio_params.top_fb_docs,
                 "Rocchio relevant documents (-rocchio.topFbDocs)")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--rocchio-top-fb-terms", a.rocchio_params.top_fb_terms,
                 "Rocchio terms of the relevant mean (-rocchio.topFbTerms)")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--rocchio-bottom-fb-docs", a.rocchio_params.bottom_fb_docs,
                 "Rocchio non-relevant documents, from the end of the first-stage list "
                 "(-rocchio.bottomFbDocs)")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--rocchio-bottom-fb-terms", a.rocchio_params.bottom_fb_terms,
                 "Rocchio terms of the non-relevant mean (-rocchio.bottomFbTerms)")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--rocchio-alpha", a.rocchio_params.alpha, "Rocchio query weight")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--rocchio-beta", a.rocchio_params.beta, "Rocchio relevant-mean weight")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--rocchio-gamma", a.rocchio_params.gamma, "Rocchio non-relevant-mean weight")
      ->capture_default_str()
      ->group(group);
  cmd.add_flag("--rocchio-use-negative", a.rocchio_params.use_negative,
               "Rocchio: subtract the non-relevant mean (-rocchio.useNegative)")
      ->group(group);
  cmd.add_option("--fb-depth", a.fb_depth,
                 "First-stage hits handed to feedback (Anserini's -rerankCutoff)")
      ->capture_default_str()
      ->group(group);
  cmd.add_option("--fb-field", a.fb_field,
                 "Field whose text gives the feedback terms (default: contents)")
      ->group(group);
  const char* mgroup = "MaxSim re-ranking (multi-vector field; docs/prf.md)";
  cmd.add_option("--maxsim", a.maxsim,
                 "Re-rank the BM25 top --maxsim-depth by ColBERT MaxSim with these query token "
                 "vectors (JSONL {\"id\": qid, \"vectors\": [[...], ...]})")
      ->group(mgroup);
  cmd.add_option("--maxsim-depth", a.maxsim_depth, "First-stage candidates re-ranked")
      ->capture_default_str()
      ->group(mgroup);
  cmd.add_flag("--maxsim-no-bound", a.maxsim_no_bound,
               "Score every candidate fully (no exact bound pruning; same results, slower)")
      ->group(mgroup);
  cmd.add_option("--maxsim-ratio", a.maxsim_ratio,
                 "Skip candidates whose BM25 score is under RATIO x the best (0 = off; "
                 "approximate)")
      ->capture_default_str()
      ->group(mgroup);
  cmd.add_option("--maxsim-patience", a.maxsim_patience,
                 "Stop after N consecutive candidates fail to enter the top k (0 = off; "
                 "approximate)")
      ->capture_default_str()
      ->group(mgroup);
}

}  // namespace

void add_search_command(CLI::App& app, Action& run) {
  auto a = std::make_shared<SearchArgs>();
  auto* cmd = app.add_subcommand(
      "search", "Search an index with BM25: a query file to a TREC run, or one query");
  cmd->footer(
      "With no options the results reproduce Anserini's BM25 runs (Lucene's analyzer, k1 0.9, b "
      "0.4,\n"
      "Lucene's one-byte length norms, ties broken by document id, scores rounded as Anserini "
      "writes\n"
      "them). --exact uses exact document lengths and writes unrounded scores. Examples:\n"
      "  tandem search --index out/scifact --queries data/scifact/queries.test.tsv --run run.txt "
      "--stats stats.json\n"
      "  tandem search --index out/scifact --query \"vitamin D and bone density\"\n"
      "  tandem search --pipeline hybrid.json --queries q.tsv --run run.txt  (docs/pipelines.md)\n"
      "  tandem search --pipeline hybrid.json --query \"vitamin D\" --explain");
  cmd->add_option("--index", a->index, "Index directory (required unless --pipeline)");
  cmd->add_option(
      "--queries", a->queries,
      "Query file: TSV qid<TAB>text, or JSONL ({\"_id\",\"text\"} BEIR, {\"qid\",\"query\"})");
  cmd->add_option("--run", a->run, "TREC run file to write (qid Q0 docid rank score tag)");
  cmd->add_option("--query", a->query, "One query: print its hits with their documents");
  cmd->add_option("--k", a->k, "Hits per query (default 1000 for a run, 10 for --query)");
  cmd->add_option("--threads", a->threads, "Search threads for a query file (0 = all cores)")
      ->capture_default_str();
  cmd->add_option("--stats", a->stats,
                  "Write batch statistics as JSON: queries, qps, latency_us {mean, p50, p90, p99, "
                  "max}, settings");
  cmd->add_option("--k1", a->k1, "BM25 k1")->capture_default_str();
  cmd->add_option("--b", a->b, "BM25 b")->capture_default_str();
  cmd->add_option("--lengths", a->lengths,
                  "Document lengths: lucene (one-byte norms, Anserini-identical) or exact")
      ->capture_default_str();
  cmd->add_flag("--exact", a->exact, "Exact lengths and raw scores: --lengths exact --scores raw");
  cmd->add_option("--scores", a->scores,
                  "Run scores: anserini (4 decimals, ties perturbed as Anserini does) or raw "
                  "(default: anserini, raw with --exact)");
  cmd->add_option("--algorithm", a->algorithm,
                  "Query algorithm (all give identical results): exhaustive, maxscore, wand, "
                  "block_max_wand (bmw), "
                  "block_max_maxscore (bmm)")
      ->capture_default_str();
  cmd->add_option(
      "--fields", a->fields,
      "Fields to search with weights, e.g. --fields title=1 contents=1 (default: all, weight 1)");
  cmd->add_flag("--remove-query", a->remove_query,
                "Drop hits whose id equals the query id (Anserini's -removeQuery, used for BEIR)");
  cmd->add_option("--retriever", a->retriever,
                  "bm25 (text queries); learned sparse: impact (exact dot product) or "
                  "sparse-approx (the Seismic-style approximate index, built in memory at start); "
                  "dense (query vectors): dense-exact, hnsw, sq8, binary, pq")
      ->capture_default_str()
      ->check(CLI::IsMember({"bm25", "impact", "sparse-approx", "dense-exact", "exact", "hnsw",
                             "sq8", "binary", "pq"}));
  a->dense.add_to(*cmd);
  add_sparse_search_options(*cmd, a->sparse);
  add_feedback_options(*cmd, *a);
  add_pipeline_search_options(*cmd, a->pipeline);
  cmd->add_option("--tag", a->tag, "Run tag (6th column)")->capture_default_str();
  cmd->add_flag("--json", a->json, "Print the statistics (or, with --query, the hits) as JSON");
  cmd->add_flag("-q,--quiet", a->quiet, "No progress and no summary");
  cmd->callback([&run, a] { run = [a] { return run_search(*a); }; });
}

}  // namespace tandem::cli
