// How long operations report progress without the library printing anything.
#pragma once

#include <cstdint>
#include <string_view>

namespace tandem {

/// Receives progress from long operations (index builds, batch searches, merges). The library
/// never prints; an application passes a sink that draws a progress line on a terminal, or none.
/// Calls may come from any thread, at most a few times per second per operation.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  /// `stage` names the step ("reading", "inverting", "writing postings"); total 0 = unknown.
  virtual void update(std::string_view stage, std::uint64_t done, std::uint64_t total) = 0;
  /// The stage is finished.
  virtual void finish(std::string_view stage) = 0;
};

}  // namespace tandem
