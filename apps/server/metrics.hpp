// Prometheus metrics of `tandem serve`: requests by endpoint and status, and a latency histogram
// per endpoint, in the text exposition format (version 0.0.4).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace tandem::server {

class Metrics {
 public:
  /// Upper bounds of the latency buckets, in seconds (Prometheus' "le"); +Inf is implied.
  static constexpr std::array<double, 14> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  /// Counts one request to `endpoint` (a route name such as "/search", never a raw path) that
  /// got `status` after `seconds`. Thread-safe.
  void record(const std::string& endpoint, int status, double seconds);
  /// The exposition text: tandem_http_requests_total{endpoint,status},
  /// tandem_http_request_duration_seconds{endpoint} (histogram), and `extra` gauges appended.
  std::string render(const std::string& extra = {}) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size() + 1> counts{};  // last: +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace tandem::server
