// The `tandem` command-line tool: one file per subcommand, each a thin adapter over the engine.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace tandem::cli {

/// A subcommand registers its options on `app` and sets `run` to the action that executes once the
/// command line has been parsed. The action returns the process exit code.
using Action = std::function<int()>;

void add_index_command(CLI::App& app, Action& run);
void add_add_command(CLI::App& app, Action& run);
void add_delete_command(CLI::App& app, Action& run);
void add_merge_command(CLI::App& app, Action& run);
void add_search_command(CLI::App& app, Action& run);
void add_eval_command(CLI::App& app, Action& run);
void add_info_command(CLI::App& app, Action& run);
void add_verify_command(CLI::App& app, Action& run);
void add_analyze_command(CLI::App& app, Action& run);
void add_encode_command(CLI::App& app, Action& run);
void add_train_command(CLI::App& app, Action& run);
void add_tune_command(CLI::App& app, Action& run);

}  // namespace tandem::cli
