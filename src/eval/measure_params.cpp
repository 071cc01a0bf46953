#include "measure_params.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include <fmt/format.h>

#include "tandem/core/error.hpp"

#include "trec_text.hpp"

namespace tandem::eval::detail {

namespace {

std::vector<std::string_view> split_commas(std::string_view params) {
  std::vector<std::string_view> parts;
  while (true) {
    const std::size_t comma = params.find(',');
    parts.push_back(params.substr(0, comma));
    if (comma == std::string_view::npos) return parts;
    params.remove_prefix(comma + 1);
  }
}

double parse_double(std::string_view measure, std::string_view part) {
  double value = 0;
  if (!parse_score(part, value)) {
    fail(ErrorKind::invalid_argument, "measure '{}': parameter '{}' is not a number", measure,
         part);
  }
  return value;
}

}  // namespace

std::vector<std::int64_t> parse_long_cutoffs(std::string_view measure, std::string_view params) {
  std::vector<std::int64_t> cutoffs;
  for (const std::string_view part : split_commas(params)) {
    std::int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || ptr != part.data() + part.size() || value <= 0) {
      fail(ErrorKind::invalid_argument, "measure '{}': cutoff '{}' is not a positive integer",
           measure, part);
    }
    cutoffs.push_back(value);
  }
  std::sort(cutoffs.begin(), cutoffs.end());
  if (std::adjacent_find(cutoffs.begin(), cutoffs.end()) != cutoffs.end()) {
    fail(ErrorKind::invalid_argument, "measure '{}': duplicate cutoffs in '{}'", measure, params);
  }
  return cutoffs;
}

std::vector<double> parse_double_cutoffs(std::string_view measure, std::string_view params) {
  std::vector<double> cutoffs = parse_double_params(measure, params);
  std::sort(cutoffs.begin(), cutoffs.end());
  if (std::adjacent_find(cutoffs.begin(), cutoffs.end()) != cutoffs.end()) {
    fail(ErrorKind::invalid_argument, "measure '{}': duplicate cutoffs in '{}'", measure, params);
  }
  return cutoffs;
}

void require_within(std::string_view measure, const std::vector<double>& values, double limit) {
  for (const double v : values) {
    if (!(v >= -limit && v <= limit)) {
      fail(ErrorKind::invalid_argument, "measure '{}': parameter {} is out of range [-{}, {}]",
           measure, v, limit, limit);
    }
  }
}

std::vector<double> parse_double_params(std::string_view measure, std::string_view params) {
  std::vector<double> values;
  for (const std::string_view part : split_commas(params))
    values.push_back(parse_double(measure, part));
  return values;
}

std::vector<ParamPair> parse_param_pairs(std::string_view measure, std::string_view params) {
  std::vector<ParamPair> pairs;
  for (const std::string_view part : split_commas(params)) {
    const std::size_t eq = part.find('=');
    if (eq == std::string_view::npos || part.find('=', eq + 1) != std::string_view::npos) {
      fail(ErrorKind::invalid_argument,
           "measure '{}': malformed parameters '{}' (expected name=value,name=value...)", measure,
           params);
    }
    pairs.push_back(
        ParamPair{std::string(part.substr(0, eq)), parse_double(measure, part.substr(eq + 1))});
  }
  return pairs;
}

std::string long_cutoff_name(std::string_view base, std::int64_t cutoff) {
  return fmt::format("{}_{}", base, cutoff);
}

std::string double_cutoff_name(std::string_view base, double cutoff) {
  // trec_eval: snprintf(buf, strlen(name) + 8 + 2, "%s_%3.2f", ...), which cuts long values.
  std::string name(base.size() + 8 + 2, '\0');
  const std::string prefix(base);
  const int written = std::snprintf(name.data(), name.size(), "%s_%3.2f", prefix.c_str(), cutoff);
  name.resize(
      std::min<std::size_t>(static_cast<std::size_t>(std::max(written, 0)), name.size() - 1));
  return name;
}

std::vector<std::string> long_cutoff_names(std::string_view base,
                                           const std::vector<std::int64_t>& cutoffs) {
  std::vector<std::string> names;
  names.reserve(cutoffs.size());
  for (const std::int64_t c : cutoffs) names.push_back(long_cutoff_name(base, c));
  return names;
}

std::vector<std::string> double_cutoff_names(std::string_view base,
                                             const std::vector<double>& cutoffs) {
  std::vector<std::string> names;
  names.reserve(cutoffs.size());
  for (const double c : cutoffs) names.push_back(double_cutoff_name(base, c));
  return names;
}

std::string params_name(std::string_view base, const std::optional<std::string_view>& params) {
  if (!params) return std::string(base);
  return fmt::format("{}_{}", base, *params);
}

}  // namespace tandem::eval::detail
