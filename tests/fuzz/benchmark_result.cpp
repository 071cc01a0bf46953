// Fuzz target: a benchmark result JSON file as `tandem report --bench` reads it, then the page
// rendered with it (curves and latency tables from arbitrary numbers and names).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tandem/core/error.hpp"
#include "tandem/eval/evaluate.hpp"
#include "tandem/eval/html_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto bench = tandem::eval::parse_benchmark_result(text, "fuzz.json");
    static const tandem::eval::Qrels qrels =
        tandem::eval::parse_qrels("1 0 d1 1\n1 0 d2 0\n2 0 d1 2\n");
    static const tandem::eval::Run run =
        tandem::eval::parse_run("1 Q0 d1 1 2.5 t\n2 Q0 d2 1 1 t\n");
    std::vector<tandem::eval::LabelledReport> reports;
    reports.push_back({"a", "a.txt", tandem::eval::evaluate(qrels, run, {})});
    (void)tandem::eval::render_html_report(reports, {bench}, {});
  } catch (const tandem::Error&) {
  }
  return 0;
}
