#include "terminal_progress.hpp"

#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

namespace tandem::cli {

namespace {

// Stages whose counts are bytes.
bool counts_bytes(std::string_view stage) {
  return stage == "indexing";
}

std::string human(std::uint64_t n, bool bytes) {
  if (!bytes) return fmt::format("{}", n);
  if (n >= (1ull << 30)) return fmt::format("{:.2f} GB", static_cast<double>(n) / (1ull << 30));
  if (n >= (1ull << 20)) return fmt::format("{:.1f} MB", static_cast<double>(n) / (1ull << 20));
  return fmt::format("{:.0f} KB", static_cast<double>(n) / 1024);
}

}  // namespace

TerminalProgress::TerminalProgress() : enabled_(::isatty(STDERR_FILENO) == 1) {}

void TerminalProgress::update(std::string_view stage, std::uint64_t done, std::uint64_t total) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  if (stage != stage_) {
    stage_ = std::string(stage);
    stage_start_ = now;
  } else if (now - last_draw_ < std::chrono::milliseconds(100)) {
    return;
  }
  last_draw_ = now;
  const bool bytes = counts_bytes(stage);
  const double secs = std::chrono::duration<double>(now - stage_start_).count();
  std::string line = fmt::format("{}: ", stage);
  if (total > 0) {
    line += fmt::format("{:3.0f}% ({} of {}",
                        100.0 * static_cast<double>(done) / static_cast<double>(total),
                        human(done, bytes), human(total, bytes));
  } else {
    line += fmt::format("({}", human(done, bytes));
  }
  if (secs > 0.5)
    line += fmt::format(", {}/s",
                        human(static_cast<std::uint64_t>(static_cast<double>(done) / secs), bytes));
  line += ")";
  const std::size_t width = line.size();
  if (width < last_width_) line.append(last_width_ - width, ' ');
  last_width_ = width;
  fmt::print(stderr, "\r{}", line);
  std::fflush(stderr);
}

void TerminalProgress::finish(std::string_view stage) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  if (stage_ == stage && last_width_ > 0) {
    fmt::print(stderr, "\r{}\r", std::string(last_width_, ' '));
    std::fflush(stderr);
  }
  last_width_ = 0;
  stage_.clear();
}

}  // namespace tandem::cli
