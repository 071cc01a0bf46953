#include "sparse_search.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/io/text_file_writer.hpp"

#include "batch_output.hpp"
#include "terminal_progress.hpp"

namespace tandem::cli {

void add_sparse_search_options(CLI::App& cmd, SparseSearchArgs& a) {
  cmd.add_option("--query-encoder", a.query_encoder,
                 "Sparse text queries: idf:PATH (an idf.json, or a folder holding one; "
                 "',vocab=VOCAB_TXT' optional) weights WordPiece tokens; default: "
                 "pre-tokenised (a token repeated w times has weight w)");
  cmd.add_option("--max-query-terms", a.max_query_terms,
                 "Sparse: keep only the n heaviest query terms (0 = all)")
      ->capture_default_str();
  cmd.add_option("--n-postings", a.build.n_postings,
                 "sparse-approx: postings kept per list (0 = all)")
      ->capture_default_str();
  cmd.add_option("--centroid-fraction", a.build.centroid_fraction,
                 "sparse-approx: blocks per list as a fraction of its length")
      ->capture_default_str();
  cmd.add_option("--summary-energy", a.build.summary_energy,
                 "sparse-approx: fraction of a block summary's mass kept (1 = full)")
      ->capture_default_str();
  cmd.add_option("--query-cut", a.approx.query_cut,
                 "sparse-approx: query terms whose lists are visited (0 = all)")
      ->capture_default_str();
  cmd.add_option("--heap-factor", a.approx.heap_factor,
                 "sparse-approx: visit a block when its summary score >= this x the k-th score")
      ->capture_default_str();
  cmd.add_option("--build-threads", a.build.threads,
                 "sparse-approx: threads building the index (0 = all cores)")
      ->capture_default_str();
  cmd.add_option("--sweep", a.sweep,
                 "sparse-approx benchmarking: QUERY_CUT:HEAP_FACTOR pairs, comma-separated; the "
                 "index is built once and each pair writes RUN.QC-HF and STATS.QC-HF");
  cmd.add_flag("--approx-exact", a.approx_exact,
               "sparse-approx with every pruning off (returns the exact top-k)");
}

namespace {

engine::SparseSearchOptions make_options(const SparseRunArgs& c, const SparseSearchArgs& s,
                                         bool single) {
  engine::SparseSearchOptions o;
  o.k = c.k != 0 ? c.k : (single ? 10 : 1000);
  o.retriever = engine::parse_sparse_retriever(s.retriever);
  o.impact.algorithm = sparse::parse_query_algorithm(c.algorithm);
  o.impact.max_query_terms = s.max_query_terms;
  o.build = s.build;
  o.approx = s.approx;
  if (s.approx_exact) {
    const unsigned threads = o.build.threads;
    o.build = sparse::approx::SeismicBuildParams::exact();
    o.build.threads = threads;
    o.approx = sparse::approx::SeismicSearchParams::exact();
  }
  o.query_encoder = s.query_encoder;
  o.remove_query = c.remove_query;
  return o;
}

}  // namespace

int run_sparse_search(const SparseRunArgs& c, const SparseSearchArgs& s) {
  const bool single = !c.query.empty();
  if (single == !c.queries.empty())
    fail(ErrorKind::invalid_argument, "give either --queries FILE (with --run) or --query TEXT");
  if (!single && c.run.empty())
    fail(ErrorKind::invalid_argument, "--queries needs --run FILE for the results");
  const auto index = engine::Index::open(c.index);
  const engine::SparseSearcher searcher(index, make_options(c, s, single));
  if (single) {
    io::SparseQuery q = io::parse_sparse_query_line(
        c.query.starts_with("{") ? c.query : "query\t" + c.query, "--query");
    const auto hits = searcher.search(q);
    if (c.json) {
      nlohmann::json list = nlohmann::json::array();
      for (std::size_t i = 0; i < hits.size(); ++i)
        list.push_back({{"rank", i + 1}, {"id", hits[i].id}, {"score", hits[i].score}});
      fmt::print("{}\n",
                 nlohmann::json{{"query", c.query},
                                {"settings", nlohmann::json::parse(searcher.settings_json())},
                                {"hits", list}}
                     .dump(2));
      return 0;
    }
    fmt::print("settings: {}\n", searcher.settings_json());
    if (hits.empty()) fmt::print("no document matches\n");
    for (std::size_t i = 0; i < hits.size(); ++i)
      fmt::print("{:>3}. {:<24} {:>12.4f}\n", i + 1, hits[i].id, hits[i].score);
    return 0;
  }
  const auto queries = io::read_sparse_queries(c.queries);
  if (!s.sweep.empty()) {
    if (searcher.options().retriever != engine::SparseRetrieverKind::approx)
      fail(ErrorKind::invalid_argument, "--sweep needs --retriever sparse-approx");
    std::size_t begin = 0;
    while (begin < s.sweep.size()) {
      const std::size_t end = std::min(s.sweep.find(',', begin), s.sweep.size());
      const std::string pair = s.sweep.substr(begin, end - begin);
      const std::size_t colon = pair.find(':');
      sparse::approx::SeismicSearchParams p;
      try {
        if (colon == std::string::npos) throw std::invalid_argument("no colon");
        p.query_cut = static_cast<std::uint32_t>(std::stoul(pair.substr(0, colon)));
        p.heap_factor = std::stof(pair.substr(colon + 1));
      } catch (const std::exception&) {
        fail(ErrorKind::invalid_argument, "--sweep: '{}' is not QUERY_CUT:HEAP_FACTOR", pair);
      }
      const std::string suffix = "." + pair.substr(0, colon) + "-" + pair.substr(colon + 1);
      const auto batch = searcher.search_batch(queries, c.threads, nullptr, &p);
      write_batch_files(batch, io::RunScoreFormat::raw,
                        {c.run + suffix, c.tag, c.stats.empty() ? "" : c.stats + suffix},
                        engine::sparse_batch_stats_json(batch, searcher, &p));
      if (!c.quiet) {
        const auto l = batch.latency();
        fmt::print("query_cut {} heap_factor {}: latency mean {:.0f} us, p50 {:.0f}, p99 {:.0f}\n",
                   p.query_cut, p.heap_factor, l.mean, l.p50, l.p99);
      }
      begin = end + 1;
    }
    if (!c.quiet) fmt::print("settings: {}\n", searcher.settings_json());
    return 0;
  }
  TerminalProgress progress;
  const auto batch = searcher.search_batch(queries, c.threads, c.quiet ? nullptr : &progress);
  const io::RunScoreFormat format = parse_score_format(c.scores, io::RunScoreFormat::raw);
  const BatchOutput out{c.run, c.tag, c.stats, c.json, c.quiet};
  const std::string stats = engine::sparse_batch_stats_json(batch, searcher);
  write_batch_files(batch, format, out, stats);
  print_batch_summary(batch, out, stats, searcher.settings_json());
  return 0;
}

}  // namespace tandem::cli
