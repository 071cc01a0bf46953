#include "test_support.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

#include "tandem/core/error.hpp"
#include "tandem/eval/evaluate.hpp"

namespace tandem::test {

std::filesystem::path source_dir() {
  return TANDEM_SOURCE_DIR;
}
std::filesystem::path binary_dir() {
  return TANDEM_BINARY_DIR;
}

std::optional<std::filesystem::path> shared_dir() {
  if (const char* env = std::getenv("TANDEM_SHARED"); env != nullptr && *env != '\0') {
    if (std::filesystem::is_directory(env)) return std::filesystem::path(env);
    return std::nullopt;
  }
  const std::filesystem::path p = TANDEM_SHARED_DIR;
  if (std::filesystem::is_directory(p / "data")) return std::filesystem::weakly_canonical(p);
  return std::nullopt;
}

std::filesystem::path tandem_binary() {
  return binary_dir() / "apps" / "cli" / "tandem";
}

TempDir::TempDir() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto p = std::filesystem::temp_directory_path() /
             ("tandem-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
              std::to_string(rd() % 100000));
    if (std::filesystem::create_directory(p)) {
      path_ = p;
      return;
    }
  }
  throw std::runtime_error("cannot create a temporary directory");
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

CommandResult run_command(const std::string& command) {
  TempDir dir;
  const auto out_path = dir / "stdout";
  const auto err_path = dir / "stderr";
  const std::string full = command + " >'" + out_path.string() + "' 2>'" + err_path.string() + "'";
  const int status = std::system(full.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  return r;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::filesystem::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << content;
}

std::string tandem() {
  return tandem_binary().string();
}

std::string error_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

std::string quote(const std::filesystem::path& path) {
  return "'" + path.string() + "'";
}

std::vector<RunLine> read_run_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<RunLine> lines;
  std::string q0, tag;
  RunLine l;
  while (in >> l.qid >> q0 >> l.docid >> l.rank >> l.score >> tag) lines.push_back(l);
  return lines;
}

std::map<std::string, double> summary_measures(const std::filesystem::path& qrels,
                                               const std::filesystem::path& run) {
  const auto report =
      eval::evaluate(eval::read_qrels(qrels), eval::read_run(run),
                     eval::parse_measures({"map", "ndcg_cut.10", "recall.100,1000"}),
                     eval::EvalOptions{.complete = true});
  std::map<std::string, double> out;
  for (const char* m : {"map", "ndcg_cut_10", "recall_100", "recall_1000"})
    out[m] = report.summary_value(m).value();
  return out;
}

}  // namespace tandem::test
