// Fuzz target: qrels text in any format, then an evaluation of a fixed run against it.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/eval/evaluate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const tandem::eval::Qrels qrels = tandem::eval::parse_qrels(text, "fuzz");
    static const tandem::eval::MeasureSet measures = tandem::eval::parse_measures({"all_trec"});
    const tandem::eval::Run run =
        tandem::eval::parse_run("1 Q0 d1 1 2 t\n1 Q0 d2 2 1 t\nq Q0 a 1 1 t\n");
    tandem::eval::EvalOptions options;
    options.complete = true;
    const auto report = tandem::eval::evaluate(qrels, run, measures, options);
    (void)tandem::eval::format_trec_eval(report, {.per_query = true});
  } catch (const tandem::Error&) {
  }
  return 0;
}
