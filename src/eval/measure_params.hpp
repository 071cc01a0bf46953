// Parsing the parameters of -m measure.params, and naming the values they produce, exactly as
// trec_eval's meas_init.c does. Private to the eval layer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::eval::detail {

/// "5,10,1000" -> {5, 10, 1000}: sorted ascending; each must be a positive integer, no
/// duplicates (trec_eval: "Negative cutoff detected", "duplicate cutoffs detected").
std::vector<std::int64_t> parse_long_cutoffs(std::string_view measure, std::string_view params);

/// ".1,.25" -> {0.1, 0.25}: sorted ascending, no duplicates.
std::vector<double> parse_double_cutoffs(std::string_view measure, std::string_view params);

/// Refuses values outside [-limit, limit] (recall points and multiples of R become document
/// counts; far larger values would overflow them).
void require_within(std::string_view measure, const std::vector<double>& values, double limit);

/// "1,-1,0,0" -> {1, -1, 0, 0}: kept in the given order.
std::vector<double> parse_double_params(std::string_view measure, std::string_view params);

/// One "name=value" parameter (gains "2=4.5", rbp's persistence "p=0.8").
struct ParamPair {
  std::string name;
  double value = 0;
};
/// "1=3,2=9" -> {{"1", 3}, {"2", 9}}: every comma-separated part must be exactly name=value.
std::vector<ParamPair> parse_param_pairs(std::string_view measure, std::string_view params);

/// "P", 5 -> "P_5" (trec_eval: "%s_%ld").
std::string long_cutoff_name(std::string_view base, std::int64_t cutoff);
/// "iprec_at_recall", 0.1 -> "iprec_at_recall_0.10" (trec_eval: "%s_%3.2f", cut to the same
/// buffer length trec_eval gives it).
std::string double_cutoff_name(std::string_view base, double cutoff);
/// The value names of a measure with cutoffs: long_cutoff_name / double_cutoff_name of each.
std::vector<std::string> long_cutoff_names(std::string_view base,
                                           const std::vector<std::int64_t>& cutoffs);
std::vector<std::string> double_cutoff_names(std::string_view base,
                                             const std::vector<double>& cutoffs);
/// The name of a single-valued measure with parameters: "set_F" or, when parameters were given,
/// "set_F_0.5" (the parameter text as typed).
std::string params_name(std::string_view base, const std::optional<std::string_view>& params);

}  // namespace tandem::eval::detail
