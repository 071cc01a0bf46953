// Exact impact search reproduces the Lucene 8.8 peer's impact mode (Anserini's -impact
// -pretokenized: score = query weight x document impact) on a SPLADE-like corpus made by
// ../shared/tools/perfcorpus/make_sparse.py from the SciFact passages, queried with the first 300
// real MS MARCO dev SPLADE++ ED query vectors: the same documents, in the same order, with the same
// float scores, for every query algorithm.
#include <algorithm>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tandem/engine/sparse_searcher.hpp"
#include "tandem/io/line_reader.hpp"

#include "lucene_peer.hpp"
#include "test_support.hpp"

namespace tandem {
namespace {

namespace fs = std::filesystem;

struct Line {
  std::string qid, docid;
  int rank = 0;
  double score = 0;
};

std::vector<Line> read_run_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<Line> lines;
  std::string q0, tag;
  Line l;
  while (in >> l.qid >> q0 >> l.docid >> l.rank >> l.score >> tag) lines.push_back(l);
  return lines;
}

// The sparse corpus (sorted by id, so that Lucene's index order is tandem's DocId order and both
// break score ties the same way), made once and cached.
fs::path sparse_corpus(const fs::path& shared, std::string& why_not) {
  const fs::path dir = test::LucenePeer::cache_dir() / "impact-corpus";
  const fs::path sorted = dir / "scifact.splade.sorted.jsonl";
  if (fs::exists(sorted)) return sorted;
  fs::create_directories(dir);
  if (test::run_command("/usr/bin/python3 -c 'import numpy'").exit_code != 0) {
    why_not = "/usr/bin/python3 with numpy is needed to run make_sparse.py (scripts/setup.sh)";
    return {};
  }
  const fs::path contents = dir / "scifact.contents.jsonl";
  {
    std::ifstream in(shared / "data" / "scifact" / "corpus.jsonl");
    std::ofstream out(contents);
    std::string line;
    while (std::getline(in, line)) {
      const auto j = nlohmann::json::parse(line);
      out << nlohmann::json{{"id", j.at("_id")},
                            {"contents", j.value("title", "") + " " + j.value("text", "")}}
                 .dump()
          << "\n";
    }
  }
  const fs::path generated = dir / "scifact.splade.jsonl";
  const auto r = test::run_command(
      "/usr/bin/python3 " + (shared / "tools" / "perfcorpus" / "make_sparse.py").string() +
      " --corpus " + contents.string() + " --out " + generated.string() +
      " --seed 1 --jobs 1 --queries '' --sample 5183 --cooc-sample 5183");
  if (r.exit_code != 0) throw std::runtime_error("make_sparse.py failed:\n" + r.out + r.err);
  std::vector<std::pair<std::string, std::string>> lines;
  {
    std::ifstream in(generated);
    std::string line;
    while (std::getline(in, line))
      lines.emplace_back(nlohmann::json::parse(line).at("id").get<std::string>(), line);
  }
  std::sort(lines.begin(), lines.end());
  const fs::path tmp = sorted.string() + ".tmp";
  {
    std::ofstream out(tmp);
    for (const auto& [id, line] : lines) out << line << "\n";
  }
  fs::rename(tmp, sorted);
  return sorted;
}

fs::path first_queries(const fs::path& shared, std::size_t n) {
  const fs::path out_path =
      test::LucenePeer::cache_dir() / "impact-corpus" / "splade-pp-ed.300.tsv";
  if (fs::exists(out_path)) return out_path;
  io::LineReader reader(shared / "data" / "msmarco-passage-topics-qrels" /
                        "topics.msmarco-passage.dev-subset.splade-pp-ed.tsv.gz");
  const fs::path tmp = out_path.string() + ".tmp";
  {
    std::ofstream out(tmp);
    std::string_view line;
    for (std::size_t i = 0; i < n && reader.next(line); ++i) out << line << "\n";
  }
  fs::rename(tmp, out_path);
  return out_path;
}

TEST(ImpactParity, ScoresAndRankingEqualLucene) {
  TANDEM_REQUIRE_SHARED(shared);
  if (const auto why = test::LucenePeer::unavailable())
    FAIL() << "the Lucene peer cannot run: " << *why;
  std::string why_not;
  const fs::path corpus = sparse_corpus(shared, why_not);
  if (corpus.empty()) GTEST_SKIP() << why_not;
  const fs::path topics = first_queries(shared, 300);
  const auto lucene = read_run_lines(test::LucenePeer::impact_run(corpus, topics, 100));

  test::TempDir dir;
  index::BuildOptions build;
  build.index_dir = dir / "idx";
  build.threads = 2;
  build.settings.store = false;
  build.sparse = index::SparseFieldOptions{corpus};
  engine::build_index(build);
  const auto index = engine::Index::open(build.index_dir);
  const auto queries = io::read_sparse_queries(topics);
  for (const sparse::QueryAlgorithm algorithm : sparse::kQueryAlgorithms) {
    SCOPED_TRACE(std::string(sparse::to_string(algorithm)));
    engine::SparseSearchOptions options;
    options.k = 100;
    options.impact.algorithm = algorithm;
    const engine::SparseSearcher searcher(index, options);
    const auto batch = searcher.search_batch(queries, 2);
    engine::write_run(dir / "tandem.run", batch, "tandem", io::RunScoreFormat::raw);
    const auto ours = read_run_lines(dir / "tandem.run");
    ASSERT_EQ(ours.size(), lucene.size());
    for (std::size_t i = 0; i < ours.size(); ++i) {
      ASSERT_EQ(ours[i].qid, lucene[i].qid) << "line " << i + 1;
      ASSERT_EQ(ours[i].docid, lucene[i].docid)
          << "query " << ours[i].qid << " rank " << ours[i].rank;
      ASSERT_EQ(ours[i].rank, lucene[i].rank);
      ASSERT_EQ(static_cast<float>(ours[i].score), static_cast<float>(lucene[i].score))
          << "query " << ours[i].qid << " rank " << ours[i].rank;
    }
  }
}

}  // namespace
}  // namespace tandem
