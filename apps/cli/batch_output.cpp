#include "batch_output.hpp"

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/io/text_file_writer.hpp"

namespace tandem::cli {

io::RunScoreFormat parse_score_format(std::string_view scores, io::RunScoreFormat fallback) {
  if (scores.empty()) return fallback;
  if (scores == "anserini") return io::RunScoreFormat::anserini;
  if (scores == "raw") return io::RunScoreFormat::raw;
  fail(ErrorKind::invalid_argument, "--scores must be anserini or raw, not '{}'", scores);
}

void write_batch_files(const engine::BatchResult& batch, io::RunScoreFormat format,
                       const BatchOutput& out, std::string_view stats_json) {
  engine::write_run(out.run, batch, out.tag, format);
  if (out.stats.empty()) return;
  io::TextFileWriter file(out.stats);
  file.write(stats_json);
  file.write("\n");
  file.commit();
}

void print_batch_summary(const engine::BatchResult& batch, const BatchOutput& out,
                         std::string_view stats_json, std::string_view settings_json) {
  if (out.json) {
    fmt::print("{}\n", stats_json);
  } else if (!out.quiet) {
    const auto l = batch.latency();
    fmt::print(
        "searched {} queries -> {} ({:.2f} s, {:.0f} queries/s on {} thread{}; latency mean {:.0f} "
        "us, p50 {:.0f}, p99 {:.0f})\n",
        batch.results.size(), out.run, batch.wall_seconds, batch.qps(), batch.threads,
        batch.threads == 1 ? "" : "s", l.mean, l.p50, l.p99);
    fmt::print("settings: {}\n", settings_json);
  }
}

}  // namespace tandem::cli
