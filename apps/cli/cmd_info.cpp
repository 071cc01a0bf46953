#include "commands.hpp"

namespace tandem::cli {

void add_info_command(CLI::App& app, Action& run) {
  auto* cmd = app.add_subcommand("info", "(not implemented yet)");
  cmd->callback([&run] { run = [] { return 0; }; });
}

}  // namespace tandem::cli
