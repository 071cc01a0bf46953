#include "tandem/io/run_writer.hpp"

#include <charconv>
#include <climits>
#include <cmath>

#include <fmt/format.h>

namespace tandem::io {

namespace {

// Java's Math.round(float): the closest int, ties toward positive infinity, clamped to int range.
// floor(x + 0.5) is exact in double for any float x.
std::int32_t java_round(float x) {
  if (std::isnan(x)) return 0;
  const double r = std::floor(static_cast<double>(x) + 0.5);
  if (r <= static_cast<double>(INT_MIN)) return INT_MIN;
  if (r >= static_cast<double>(INT_MAX)) return INT_MAX;
  return static_cast<std::int32_t>(r);
}

}  // namespace

std::vector<float> anserini_adjusted_scores(std::span<const Score> scores) {
  std::vector<float> out(scores.size());
  int dup = 0;
  for (std::size_t i = 0; i < scores.size(); ++i) {
    out[i] = static_cast<float>(java_round(scores[i] * 1e4f)) / 1e4f;
    if (i == 0 || out[i - 1] - out[i] > 1e-4f) {
      dup = 0;
    } else {
      ++dup;
      out[i] -= 1e-6f * static_cast<float>(dup);
    }
  }
  return out;
}

std::string java_format_f6(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  const bool negative = std::signbit(x) && x != 0;
  // Shortest round-trip digits in scientific form: d.ddddde±XX.
  char buf[64];
  const auto res =
      std::to_chars(buf, buf + sizeof(buf), std::fabs(x), std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const std::size_t e = sci.find('e');
  std::string digits;
  for (const char c : sci.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::from_chars(sci.data() + e + 1 + (sci[e + 1] == '+' ? 1 : 0), sci.data() + sci.size(),
                  exponent);
  // Value = 0.d1d2d3... * 10^(exponent + 1). Keep the digits down to the 6th decimal.
  const int int_digits = exponent + 1;  // digits before the decimal point (may be <= 0)
  const int keep = int_digits + 6;      // digits of `digits` that survive
  std::string kept;
  if (keep < 0) {
    kept = "0";
  } else {
    kept = digits.substr(0, std::min<std::size_t>(digits.size(), static_cast<std::size_t>(keep)));
    kept.append(static_cast<std::size_t>(keep) - kept.size(), '0');
    const bool round_up = static_cast<std::size_t>(keep) < digits.size() &&
                          digits[static_cast<std::size_t>(keep)] >= '5';
    if (round_up) {
      int i = static_cast<int>(kept.size()) - 1;
      while (i >= 0 && kept[static_cast<std::size_t>(i)] == '9')
        kept[static_cast<std::size_t>(i--)] = '0';
      if (i >= 0) {
        ++kept[static_cast<std::size_t>(i)];
      } else {
        kept.insert(kept.begin(), '1');
      }
    }
  }
  // kept holds the value times 10^6 as decimal digits.
  if (kept.size() < 7) kept.insert(0, 7 - kept.size(), '0');
  std::string out = negative ? "-" : "";
  out.append(kept, 0, kept.size() - 6);
  out.push_back('.');
  out.append(kept, kept.size() - 6, 6);
  return out;
}

void append_run_lines(std::string& out, std::string_view qid, std::span<const RankedDoc> hits,
                      std::string_view tag, RunScoreFormat format) {
  if (format == RunScoreFormat::anserini) {
    std::vector<Score> scores(hits.size());
    for (std::size_t i = 0; i < hits.size(); ++i) scores[i] = hits[i].score;
    const auto adjusted = anserini_adjusted_scores(scores);
    for (std::size_t i = 0; i < hits.size(); ++i) {
      fmt::format_to(std::back_inserter(out), "{} Q0 {} {} {} {}\n", qid, hits[i].id, i + 1,
                     java_format_f6(static_cast<double>(adjusted[i])), tag);
    }
    return;
  }
  for (std::size_t i = 0; i < hits.size(); ++i) {
    fmt::format_to(std::back_inserter(out), "{} Q0 {} {} {} {}\n", qid, hits[i].id, i + 1,
                   hits[i].score, tag);
  }
}

}  // namespace tandem::io
