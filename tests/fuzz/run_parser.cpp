// Fuzz target: run text, then an evaluation of it against fixed qrels.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/eval/evaluate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const tandem::eval::Run run = tandem::eval::parse_run(text, "fuzz");
    static const tandem::eval::Qrels qrels =
        tandem::eval::parse_qrels("1 0 d1 1\n1 0 d2 0\n1 0 d3 2\n1 0 u -1\n2 0 d1 3\nq 0 a 1\n");
    static const tandem::eval::MeasureSet measures = tandem::eval::parse_measures({"all_trec"});
    for (const bool complete : {false, true}) {
      tandem::eval::EvalOptions options;
      options.complete = complete;
      options.max_hits_per_query = 50;
      const auto report = tandem::eval::evaluate(qrels, run, measures, options);
      (void)tandem::eval::format_trec_eval(report, {.per_query = true});
      (void)tandem::eval::to_json(report, {.per_query = true});
    }
  } catch (const tandem::Error&) {
  }
  return 0;
}
