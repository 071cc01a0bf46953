// The Python module `tandem`: the engine façade (build, open, search, evaluate) for Python, like
// the CLI and the HTTP server. docs/python.md has the guide.
#include "bindings.hpp"

PYBIND11_MODULE(tandem, m) {
  namespace py = pybind11;
  m.doc() =
      "tandem: one retrieval engine for sparse and dense search (BM25 that reproduces Anserini, "
      "learned-sparse, dense) with trec_eval-identical evaluation. See docs/python.md.";
  m.attr("__version__") = TANDEM_VERSION;
  tandem::python::register_errors(m);
  tandem::python::register_index(m);
  tandem::python::register_search(m);
  tandem::python::register_eval(m);
  tandem::python::register_pipeline(m);
}
