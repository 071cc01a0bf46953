// tandem.evaluate: trec_eval's measures (src/eval, the code behind `tandem eval`) over qrels and a
// run given as files or as Python dicts.
#include <cmath>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "tandem/core/error.hpp"
#include "tandem/eval/evaluate.hpp"

#include "bindings.hpp"

namespace tandem::python {

namespace {

std::string type_name(const py::handle& v) {
  return py::str(py::type::of(v).attr("__name__")).cast<std::string>();
}

bool is_path(const py::handle& v) {
  return py::isinstance<py::str>(v) ||
         py::isinstance(v, py::module_::import("os").attr("PathLike"));
}

eval::Qrels to_qrels(const py::object& qrels) {
  if (is_path(qrels)) {
    const std::string path = path_arg(qrels, "qrels");
    py::gil_scoped_release release;
    return eval::read_qrels(path);
  }
  if (!py::isinstance<py::dict>(qrels))
    fail(ErrorKind::invalid_argument,
         "qrels must be a path or a dict {{qid: {{doc: grade}}}}, not {}", type_name(qrels));
  eval::Qrels out("<dict>");
  for (const auto& [qid, docs] : qrels.cast<py::dict>()) {
    if (!py::isinstance<py::dict>(docs))
      fail(ErrorKind::invalid_argument, "qrels[{}] must be a dict {{doc: grade}}, not {}",
           py::repr(qid).cast<std::string>(), type_name(docs));
    for (const auto& [doc, rel] : docs.cast<py::dict>()) {
      if (!py::isinstance<py::int_>(rel))
        fail(ErrorKind::invalid_argument, "qrels[{}][{}]: the grade must be an int, not {}",
             py::repr(qid).cast<std::string>(), py::repr(doc).cast<std::string>(), type_name(rel));
      out.add(py::str(qid).cast<std::string>(), py::str(doc).cast<std::string>(),
              rel.cast<std::int32_t>());
    }
  }
  return out;
}

eval::Run to_run(const py::object& run) {
  if (is_path(run)) {
    const std::string path = path_arg(run, "run");
    py::gil_scoped_release release;
    return eval::read_run(path);
  }
  if (!py::isinstance<py::dict>(run))
    fail(ErrorKind::invalid_argument,
         "run must be a path or a dict {{qid: {{doc: score}}}} (or {{qid: [(doc, score), ...]}}), "
         "not {}",
         type_name(run));
  eval::Run out("<dict>");
  out.set_run_id("python");
  const auto add = [&](const py::handle& qid, const py::handle& doc, const py::handle& score) {
    const double s = score.cast<double>();
    if (std::isnan(s))
      fail(ErrorKind::invalid_argument, "run[{}]: the score of {} is NaN",
           py::repr(qid).cast<std::string>(), py::repr(doc).cast<std::string>());
    out.add(py::str(qid).cast<std::string>(), py::str(doc).cast<std::string>(), s);
  };
  for (const auto& [qid, hits] : run.cast<py::dict>()) {
    if (py::isinstance<py::dict>(hits)) {
      for (const auto& [doc, score] : hits.cast<py::dict>()) add(qid, doc, score);
    } else if (py::isinstance<py::sequence>(hits) && !py::isinstance<py::str>(hits)) {
      for (const auto& pair : hits.cast<py::sequence>()) {
        const auto t = pair.cast<py::sequence>();
        if (t.size() != 2)
          fail(ErrorKind::invalid_argument, "run[{}]: hits must be (doc, score) pairs",
               py::repr(qid).cast<std::string>());
        if (t[0].is_none()) continue;  // padding of a (D, I) row
        add(qid, t[0], t[1]);
      }
    } else {
      fail(ErrorKind::invalid_argument, "run[{}] must be a dict {{doc: score}} or a list of pairs",
           py::repr(qid).cast<std::string>());
    }
  }
  return out;
}

py::object value_of(const eval::Column& c, double v, const std::string& text) {
  if (c.format == eval::ValueFormat::text) return py::str(text);
  if (c.format == eval::ValueFormat::integer) return py::int_(static_cast<long long>(v));
  return py::float_(v);
}

py::dict evaluate(const py::object& qrels, const py::object& run, const py::object& measures,
                  bool per_query, bool complete, long long relevance_level, bool judged_only,
                  long long max_hits) {
  std::vector<std::string> specs;
  if (py::isinstance<py::str>(measures)) {
    specs.push_back(measures.cast<std::string>());
  } else if (!measures.is_none()) {
    for (const auto& m : measures.cast<py::sequence>()) {
      if (!py::isinstance<py::str>(m))
        fail(ErrorKind::invalid_argument, "measures must be str, not {}", type_name(m));
      specs.push_back(m.cast<std::string>());
    }
  }
  const eval::MeasureSet set = eval::parse_measures(specs);
  eval::EvalOptions options;
  options.complete = complete;
  options.relevance_level = relevance_level;
  options.judged_only = judged_only;
  if (max_hits >= 0) options.max_hits_per_query = max_hits;
  const eval::Qrels q = to_qrels(qrels);
  const eval::Run r = to_run(run);
  eval::Report report;
  {
    py::gil_scoped_release release;
    report = eval::evaluate(q, r, set, options);
  }
  py::dict all;
  for (std::size_t c = 0; c < report.columns.size(); ++c) {
    const auto& col = report.columns[c];
    if (col.aggregation == eval::Aggregation::none) continue;
    if (col.aggregation == eval::Aggregation::run_id) {
      all[py::str(col.name)] = report.run_id;
      continue;
    }
    all[py::str(col.name)] = value_of(col, report.summary[c], {});
  }
  py::dict out;
  out["run_id"] = report.run_id;
  out["num_q"] = report.num_queries();
  out["all"] = all;
  if (per_query) {
    py::dict queries;
    for (const auto& qv : report.queries) {
      py::dict values;
      for (std::size_t c = 0; c < report.columns.size(); ++c) {
        const auto& col = report.columns[c];
        if (!col.per_query) continue;
        values[py::str(col.name)] =
            value_of(col, qv.values[c], qv.texts.empty() ? std::string() : qv.texts[c]);
      }
      queries[py::str(qv.qid)] = values;
    }
    out["queries"] = queries;
  }
  return out;
}

}  // namespace

void register_eval(py::module_& m) {
  m.def("evaluate", &evaluate, py::arg("qrels"), py::arg("run"), py::arg("measures") = py::none(),
        py::kw_only(), py::arg("per_query") = false, py::arg("complete") = false,
        py::arg("relevance_level") = 1, py::arg("judged_only") = false, py::arg("max_hits") = -1,
        R"(Evaluates a run with trec_eval's measures (the numbers `tandem eval` prints).

qrels: a path (TREC or BEIR TSV, plain or .gz) or a dict {qid: {doc: grade}}. run: a path (TREC
run) or a dict {qid: {doc: score}} / {qid: [(doc, score), ...]} (None docs are skipped, so rows of
(D, I) can be zipped in). measures: trec_eval -m arguments ('map', 'ndcg_cut.10', 'P.5,10', a
nickname; default 'official'). complete (-c), relevance_level (-l), judged_only (-J), max_hits
(-M; -1 = all). Returns {'run_id', 'num_q', 'all': {measure: value}} plus 'queries':
{qid: {measure: value}} with per_query=True. Ties in a run are broken as trec_eval does.)");
}

}  // namespace tandem::python
