#include "metrics.hpp"

#include <iterator>

#include <fmt/format.h>

namespace tandem::server {

void Metrics::record(const std::string& endpoint, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{endpoint, status}];
  Histogram& h = latency_[endpoint];
  std::size_t b = 0;
  while (b < kBuckets.size() && seconds > kBuckets[b]) ++b;
  ++h.counts[b];
  h.sum += seconds;
  ++h.count;
}

std::string Metrics::render(const std::string& extra) const {
  std::string out;
  auto it = std::back_inserter(out);
  std::lock_guard lock(mutex_);
  fmt::format_to(it,
                 "# HELP tandem_http_requests_total HTTP requests answered, by endpoint and "
                 "status.\n# TYPE tandem_http_requests_total counter\n");
  for (const auto& [key, n] : requests_)
    fmt::format_to(it, "tandem_http_requests_total{{endpoint=\"{}\",status=\"{}\"}} {}\n",
                   key.first, key.second, n);
  fmt::format_to(it,
                 "# HELP tandem_http_request_duration_seconds Time from routing a request to "
                 "writing its response.\n# TYPE tandem_http_request_duration_seconds histogram\n");
  for (const auto& [endpoint, h] : latency_) {
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += h.counts[b];
      fmt::format_to(it,
                     "tandem_http_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} "
                     "{}\n",
                     endpoint, kBuckets[b], cumulative);
    }
    cumulative += h.counts[kBuckets.size()];
    fmt::format_to(it,
                   "tandem_http_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"+Inf\"}} "
                   "{}\n",
                   endpoint, cumulative);
    fmt::format_to(it, "tandem_http_request_duration_seconds_sum{{endpoint=\"{}\"}} {}\n", endpoint,
                   h.sum);
    fmt::format_to(it, "tandem_http_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n",
                   endpoint, h.count);
  }
  out += extra;
  return out;
}

}  // namespace tandem::server
