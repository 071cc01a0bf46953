#include "lucene_peer.hpp"

#include <stdexcept>

#include <unistd.h>

#include "test_support.hpp"

namespace tandem::test {

namespace fs = std::filesystem;

namespace {

constexpr const char* kJars[] = {"/usr/share/java/lucene-core-8.7.0.jar",
                                 "/usr/share/java/lucene-analyzers-common-8.7.0.jar",
                                 "/usr/share/java/jackson-core.jar"};
constexpr const char* kSetupHint =
    "install it with scripts/setup.sh (openjdk-17-jdk-headless liblucene8-java "
    "libjackson2-core-java)";

// (Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) about "'" + std::string.)

std::string unique_suffix() {
  return ".tmp." + std::to_string(::getpid());
}

// The peer's sources copied to <cache>/lucene-peer and compiled with its build.sh. Safe when
// several test processes race: each builds in its own folder and renames it into place.
fs::path compiled_peer() {
  const fs::path target = LucenePeer::cache_dir() / "lucene-peer";
  if (fs::exists(target / "classes" / "Analyze.class")) return target;
  const fs::path source = *shared_dir() / "peers" / "lucene";
  const fs::path staging = LucenePeer::cache_dir() / ("lucene-peer" + unique_suffix());
  fs::remove_all(staging);
  fs::create_directories(staging);
  for (const auto& entry : fs::directory_iterator(source)) {
    if (entry.is_regular_file()) {
      fs::copy_file(entry.path(), staging / entry.path().filename());
      fs::permissions(staging / entry.path().filename(),
                      fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::add);
    }
  }
  const CommandResult r = run_command("sh " + quote(staging / "build.sh"));
  if (r.exit_code != 0)
    throw std::runtime_error("building the Lucene peer failed:\n" + r.out + r.err);
  std::error_code ec;
  fs::rename(staging, target, ec);
  if (ec) fs::remove_all(staging);  // another process got there first
  return target;
}

std::string cache_key(const fs::path& input) {
  std::string key = fs::weakly_canonical(input).string();
  for (char& c : key) {
    if (c == '/' || c == ' ') c = '_';
  }
  const auto mtime = fs::last_write_time(input).time_since_epoch().count();
  return key + "." + std::to_string(fs::file_size(input)) + "." + std::to_string(mtime);
}

}  // namespace

fs::path LucenePeer::cache_dir() {
  return binary_dir() / "compat-cache";
}

std::optional<std::string> LucenePeer::unavailable() {
  if (!shared_dir()) return "../shared is not present (set TANDEM_SHARED)";
  if (!fs::exists(*shared_dir() / "peers" / "lucene" / "Analyze.java")) {
    return "the Lucene peer is missing from " + (*shared_dir() / "peers" / "lucene").string();
  }
  for (const char* tool : {"java", "javac"}) {
    if (run_command(std::string("command -v ") + tool).exit_code != 0) {
      return std::string(tool) + " is not installed: " + kSetupHint;
    }
  }
  for (const char* jar : kJars) {
    if (!fs::exists(jar)) return std::string(jar) + " is missing: " + kSetupHint;
  }
  return std::nullopt;
}

fs::path LucenePeer::analyze(const fs::path& input, const std::string& analyzer, bool as_tsv) {
  const fs::path dir = cache_dir() / "analyze";
  fs::create_directories(dir);
  const std::string key = cache_key(input);
  const fs::path output = dir / (key + "." + analyzer + (as_tsv ? ".tsv" : ".jsonl"));
  if (fs::exists(output)) return output;

  fs::path fed = input;
  if (as_tsv && input.extension() != ".tsv") {  // Analyze decides TSV by the name's extension
    fed = dir / (key + ".link.tsv");
    std::error_code ec;  // another test process may have made the same link meanwhile
    if (!fs::exists(fed)) fs::create_symlink(fs::weakly_canonical(input), fed, ec);
    if (!fs::exists(fed))
      throw std::runtime_error("cannot link " + fed.string() + ": " + ec.message());
  }
  const fs::path peer = compiled_peer();
  const fs::path tmp = output.string() + unique_suffix();
  const CommandResult r = run_command("LUCENE_JAVA_OPTS='-Xms256m -Xmx2g' sh " +
                                      quote(peer / "run.sh") + " Analyze -input " + quote(fed) +
                                      " -output " + quote(tmp) + " -analyzer " + analyzer);
  if (r.exit_code != 0) {
    fs::remove(tmp);
    throw std::runtime_error("Lucene's Analyze failed on " + input.string() + ":\n" + r.out +
                             r.err);
  }
  fs::rename(tmp, output);
  return output;
}

fs::path LucenePeer::bm25_run(const fs::path& corpus, const fs::path& topics, int hits) {
  const fs::path dir = cache_dir() / "bm25";
  fs::create_directories(dir);
  const fs::path peer = compiled_peer();
  const fs::path index = dir / (cache_key(corpus) + ".index");
  if (!fs::exists(index)) {  // renamed into place only once built
    const fs::path staging = index.string() + unique_suffix();
    fs::remove_all(staging);
    const CommandResult r = run_command("LUCENE_JAVA_OPTS='-Xms256m -Xmx2g' sh " +
                                        quote(peer / "run.sh") + " Bm25Index -input " +
                                        quote(corpus) + " -index " + quote(staging) + " -optimize");
    if (r.exit_code != 0) {
      fs::remove_all(staging);
      throw std::runtime_error("Lucene's Bm25Index failed on " + corpus.string() + ":\n" + r.out +
                               r.err);
    }
    std::error_code ec;
    fs::rename(staging, index, ec);
    if (ec) fs::remove_all(staging);  // another test process got there first
  }
  const fs::path run =
      dir / (cache_key(corpus) + "." + cache_key(topics) + "." + std::to_string(hits) + ".run");
  if (fs::exists(run)) return run;
  const fs::path tmp = run.string() + unique_suffix();
  const CommandResult r =
      run_command("LUCENE_JAVA_OPTS='-Xms256m -Xmx2g' sh " + quote(peer / "run.sh") +
                  " Bm25Search -index " + quote(index) + " -topics " + quote(topics) + " -output " +
                  quote(tmp) + " -hits " + std::to_string(hits));
  if (r.exit_code != 0) {
    fs::remove(tmp);
    throw std::runtime_error("Lucene's Bm25Search failed on " + topics.string() + ":\n" + r.out +
                             r.err);
  }
  fs::rename(tmp, run);
  return run;
}

fs::path LucenePeer::impact_run(const fs::path& corpus, const fs::path& topics, int hits) {
  const fs::path dir = cache_dir() / "impact";
  fs::create_directories(dir);
  const fs::path peer = compiled_peer();
  const fs::path index = dir / (cache_key(corpus) + ".index");
  if (!fs::exists(index)) {
    const fs::path staging = index.string() + unique_suffix();
    fs::remove_all(staging);
    const CommandResult r = run_command(
        "LUCENE_JAVA_OPTS='-Xms256m -Xmx2g' sh " + quote(peer / "run.sh") + " Bm25Index -input " +
        quote(corpus) + " -index " + quote(staging) + " -impact -threads 1 -optimize");
    if (r.exit_code != 0) {
      fs::remove_all(staging);
      throw std::runtime_error("Lucene's Bm25Index -impact failed on " + corpus.string() + ":\n" +
                               r.out + r.err);
    }
    std::error_code ec;
    fs::rename(staging, index, ec);
    if (ec) fs::remove_all(staging);
  }
  const fs::path run =
      dir / (cache_key(corpus) + "." + cache_key(topics) + "." + std::to_string(hits) + ".run");
  if (fs::exists(run)) return run;
  const fs::path tmp = run.string() + unique_suffix();
  const CommandResult r =
      run_command("LUCENE_JAVA_OPTS='-Xms256m -Xmx2g' sh " + quote(peer / "run.sh") +
                  " Bm25Search -index " + quote(index) + " -topics " + quote(topics) + " -output " +
                  quote(tmp) + " -hits " + std::to_string(hits) + " -impact -tiebreak none");
  if (r.exit_code != 0) {
    fs::remove(tmp);
    throw std::runtime_error("Lucene's Bm25Search -impact failed on " + topics.string() + ":\n" +
                             r.out + r.err);
  }
  fs::rename(tmp, run);
  return run;
}

}  // namespace tandem::test
