#include "gains.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace tandem::eval::detail {

namespace {

// trec_eval's valid_int: optional sign, then at least one digit and nothing else.
bool valid_int(const std::string& text) {
  std::size_t i = text.empty() || (text[0] != '-' && text[0] != '+') ? 0 : 1;
  if (i == text.size()) return false;
  for (; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

}  // namespace

std::vector<RelGain> setup_gains(std::span<const ParamPair> pairs, const JudgedRanking& ranking) {
  std::vector<RelGain> gains;
  for (const ParamPair& pair : pairs) {
    if (!valid_int(pair.name)) continue;
    gains.push_back(RelGain{std::strtoll(pair.name.c_str(), nullptr, 10), 0, pair.value});
  }
  const std::size_t num_params = gains.size();
  const auto place = [&](std::int64_t level, std::int64_t count) {
    for (std::size_t j = 0; j < num_params; ++j) {
      if (gains[j].rel_level == level) {
        gains[j].num_at_level = count;
        return;
      }
    }
    gains.push_back(RelGain{level, count, static_cast<double>(level)});
  };
  if (ranking.num_rel_levels > 0) {
    if (ranking.levels.empty() || ranking.levels.front().level != 0) place(0, 0);
    for (const LevelCount& lc : ranking.levels) place(lc.level, lc.count);
  }
  std::stable_sort(gains.begin(), gains.end(),
                   [](const RelGain& a, const RelGain& b) { return a.gain < b.gain; });
  return gains;
}

double get_gain(std::int64_t rel_level, std::span<const RelGain> gains) {
  for (const RelGain& g : gains) {
    if (g.rel_level == rel_level) return g.gain;
  }
  return 0.0;
}

}  // namespace tandem::eval::detail
