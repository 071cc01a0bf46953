// The trec_eval options that change what is evaluated (-c, -l, -M, -J), shared by the commands
// that evaluate runs (`tandem eval`, `tandem report`), with trec_eval's short and long names.
#pragma once

#include <CLI/CLI.hpp>

#include "tandem/eval/evaluate.hpp"

namespace tandem::cli {

/// Registers -c, -l, -M and -J on `cmd`, writing into `options`.
void add_trec_eval_options(CLI::App& cmd, eval::EvalOptions& options);

}  // namespace tandem::cli
