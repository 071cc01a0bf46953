// tandem.Pipeline: a hybrid pipeline (legs, filter, fusion, stages; docs/pipelines.md) opened
// once from a JSON file or a dict, searched one query at a time (with its explain record) or in
// batches returning (D, I) like the searches of tandem.Index.
#include <optional>
#include <utility>

#include <pybind11/stl.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/pipeline_searcher.hpp"

#include "bindings.hpp"

namespace tandem::python {

namespace {

using namespace pybind11::literals;

std::optional<std::size_t> optional_k(const py::object& k) {
  if (k.is_none()) return std::nullopt;
  if (!py::isinstance<py::int_>(k))
    fail(ErrorKind::invalid_argument, "k must be an int or None, not {}",
         py::str(py::type::of(k).attr("__name__")).cast<std::string>());
  return checked_k(k.cast<long long>());
}

std::unique_ptr<engine::PipelineSearcher> open_pipeline(const py::object& spec,
                                                        const py::object& k) {
  const auto override_k = optional_k(k);
  if (py::isinstance<py::dict>(spec)) {
    const std::string text = py::module_::import("json").attr("dumps")(spec).cast<std::string>();
    py::gil_scoped_release release;
    return std::make_unique<engine::PipelineSearcher>(pipeline::parse_pipeline_spec(text, "<dict>"),
                                                      override_k);
  }
  const std::string path = path_arg(spec, "pipeline");
  py::gil_scoped_release release;
  return std::make_unique<engine::PipelineSearcher>(
      engine::PipelineSearcher::open(path, override_k));
}

py::object search(const engine::PipelineSearcher& self, const std::string& query,
                  const std::string& qid, bool explain, long long explain_hits) {
  if (explain_hits < 0)
    fail(ErrorKind::invalid_argument, "explain_hits must be >= 0, not {}", explain_hits);
  engine::PipelineBatch batch;
  std::string explained;
  {
    py::gil_scoped_release release;
    batch = self.search(query, qid.empty() ? std::string_view("query") : qid);
    if (explain && !batch.states.empty()) {
      explained = engine::explain_json(self.pipeline(), batch.states[0],
                                       static_cast<std::size_t>(explain_hits));
    }
  }
  py::list hits;
  if (!batch.batch.results.empty()) {
    for (const auto& h : batch.batch.results[0].hits) hits.append(py::make_tuple(h.id, h.score));
  }
  if (!explain) return hits;
  return py::make_tuple(std::move(hits), parse_json(explained));
}

}  // namespace

void register_pipeline(py::module_& m) {
  py::class_<engine::PipelineSearcher>(m, "Pipeline",
                                       "A hybrid pipeline (docs/pipelines.md), opened once.")
      .def(py::init(&open_pipeline), py::arg("spec"), py::arg("k") = py::none(),
           R"(Opens a pipeline from a JSON file (path) or a dict in the same format; k overrides the
spec's "k". Opening reads the indexes, evaluates the filter and builds the stages.)")
      .def_property_readonly(
          "k", [](const engine::PipelineSearcher& self) { return self.pipeline().spec().k; })
      .def(
          "settings",
          [](const engine::PipelineSearcher& self) { return parse_json(self.settings_json()); },
          "The legs, filter, fusion and stages, as a dict.")
      .def("search", &search, py::arg("query"), py::kw_only(), py::arg("qid") = "",
           py::arg("explain") = false, py::arg("explain_hits") = 10,
           R"(One text query: a list of (id, fused score), best first, k long at most. qid is the id
legs with query-vector files look up (default "query"). With explain=True, returns (hits,
explain) where explain is the per-query record: each hit's rank and raw score in every leg, the
normalised values fusion used, and the time of every stage.)")
      .def(
          "search_batch",
          [](const engine::PipelineSearcher& self, const py::object& queries, long long threads) {
            const unsigned n_threads = checked_threads(threads);
            const auto list = text_query_list(queries);
            engine::PipelineBatch batch;
            {
              py::gil_scoped_release release;
              batch = self.search_batch(list, n_threads);
            }
            return batch_arrays(batch.batch, self.pipeline().spec().k);
          },
          py::arg("queries"), py::kw_only(), py::arg("threads") = 0,
          R"(Many text queries (a list of str, ids "0", "1", ..., or a dict {qid: text}) on `threads`
threads: (D, I) like Index.search_batch, k columns.)");
}

}  // namespace tandem::python
