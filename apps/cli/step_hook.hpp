// The writers' test hook, configured from the environment (the library never reads it).
#pragma once

#include "tandem/index/index_writer.hpp"

namespace tandem::cli {

/// If TANDEM_TEST_STEP_SLEEP_US=N is set, a hook that sleeps a random 0..N microseconds at every
/// named step of a writer (so that a crash test's kill -9 lands inside merges and publication
/// more often); otherwise null. For tests only.
index::StepHook step_hook_from_environment();

}  // namespace tandem::cli
