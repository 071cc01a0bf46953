#include "step_hook.hpp"

#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>

namespace tandem::cli {

index::StepHook step_hook_from_environment() {
  const char* value = std::getenv("TANDEM_TEST_STEP_SLEEP_US");
  if (value == nullptr) return nullptr;
  const long max_us = std::strtol(value, nullptr, 10);
  if (max_us <= 0) return nullptr;
  return
      [max_us, rng = std::make_shared<std::mt19937_64>(std::random_device{}())](std::string_view) {
        std::uniform_int_distribution<long> pick(0, max_us);
        std::this_thread::sleep_for(std::chrono::microseconds(pick(*rng)));
      };
}

}  // namespace tandem::cli
