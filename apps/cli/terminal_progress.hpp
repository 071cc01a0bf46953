// A progress line on the terminal for long operations (only when stderr is a terminal).
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "tandem/core/progress.hpp"

namespace tandem::cli {

/// Redraws one line on stderr at most 10 times a second: "stage: 42% (1.2 GB of 2.9 GB, 80 MB/s)".
/// Does nothing unless stderr is a terminal, so logs and pipes stay clean.
class TerminalProgress : public ProgressSink {
 public:
  TerminalProgress();
  void update(std::string_view stage, std::uint64_t done, std::uint64_t total) override;
  void finish(std::string_view stage) override;
  bool enabled() const { return enabled_; }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::mutex mutex_;
  std::string stage_;
  Clock::time_point stage_start_;
  Clock::time_point last_draw_;
  std::size_t last_width_ = 0;
};

}  // namespace tandem::cli
