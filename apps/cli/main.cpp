// Entry point of the `tandem` tool: parses the command line, runs one subcommand, and turns
// tandem::Error into a one-line message and a non-zero exit code.
#include <cstdio>
#include <exception>
#include <new>

#include <fmt/core.h>

#include "tandem/core/error.hpp"

#include "commands.hpp"

namespace {

// Exit codes: 0 success, 1 the command ran but found a problem (e.g. verify), 2 usage or input
// error, 3 missing file or index, 4 corrupt index, 5 I/O error, 6 unsupported, 7 limit exceeded.
int exit_code(tandem::ErrorKind kind) {
  switch (kind) {
    case tandem::ErrorKind::invalid_argument:
      return 2;
    case tandem::ErrorKind::not_found:
      return 3;
    case tandem::ErrorKind::corruption:
      return 4;
    case tandem::ErrorKind::io:
      return 5;
    case tandem::ErrorKind::unsupported:
      return 6;
    case tandem::ErrorKind::limit_exceeded:
      return 7;
  }
  return 1;
}

// Parses the command line and runs the chosen command; every error ends here as one line.
int run_main(int argc, char** argv) {
  CLI::App app{"tandem " TANDEM_VERSION
               " - one retrieval engine: BM25 that reproduces Anserini, and trec_eval-identical "
               "evaluation.\n"
               "Run `tandem COMMAND --help` for the options of a command."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tandem " TANDEM_VERSION);
  tandem::cli::Action run;
  tandem::cli::add_index_command(app, run);
  tandem::cli::add_add_command(app, run);
  tandem::cli::add_delete_command(app, run);
  tandem::cli::add_merge_command(app, run);
  tandem::cli::add_search_command(app, run);
  tandem::cli::add_eval_command(app, run);
  tandem::cli::add_info_command(app, run);
  tandem::cli::add_verify_command(app, run);
  tandem::cli::add_analyze_command(app, run);
  tandem::cli::add_encode_command(app, run);
  tandem::cli::add_train_command(app, run);
  tandem::cli::add_tune_command(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    return run ? run() : 0;
  } catch (const tandem::Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "tandem: error: {}\n", e.what());
    return exit_code(e.kind());
  } catch (const std::bad_alloc&) {
    std::fflush(stdout);
    fmt::print(stderr, "tandem: error: out of memory\n");
    return 7;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "tandem: internal error: {}\n", e.what());
    return 70;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (...) {
    std::fputs("tandem: internal error while reporting an error\n", stderr);
    return 70;
  }
}
