// `tandem verify`: checks every checksum and structure of an index.
#include <chrono>
#include <memory>

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/engine.hpp"

#include "commands.hpp"
#include "terminal_progress.hpp"

namespace tandem::cli {

namespace {

struct VerifyArgs {
  std::string index;
};

int run_verify(const VerifyArgs& a) {
  const auto start = std::chrono::steady_clock::now();
  const auto index = engine::Index::open(a.index);
  TerminalProgress progress;
  try {
    index.verify(&progress);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::corruption) throw;
    fmt::print("FAILED: {}\n", e.what());
    return 1;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print(
      "OK: {} documents in {} segment{}; every checksum and structure verified in {:.2f} s\n",
      index.reader().num_docs(), index.reader().segments().size(),
      index.reader().segments().size() == 1 ? "" : "s", secs);
  return 0;
}

}  // namespace

void add_verify_command(CLI::App& app, Action& run) {
  auto a = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand(
      "verify", "Check an index: checksums of every file, and every structure (exit 1 if damaged)");
  cmd->add_option("--index", a->index, "Index directory")->required();
  cmd->callback([&run, a] { run = [a] { return run_verify(*a); }; });
}

}  // namespace tandem::cli
