// tandem.build_index and tandem.Index (open, info, document, close): the index side of the
// engine façade, with the options of `tandem index`.
#include <algorithm>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "tandem/core/error.hpp"

#include "bindings.hpp"

namespace tandem::python {

OpenIndex::OpenIndex(std::string path) : path_(std::move(path)) {
  engine::Index index;
  {
    py::gil_scoped_release release;
    index = engine::Index::open(path_);
  }
  index_ = std::move(index);
}

engine::Index OpenIndex::get() const {
  if (!index_) fail(ErrorKind::invalid_argument, "the index {} is closed", path_);
  return *index_;
}

std::size_t checked_k(long long k) {
  if (k < 1) fail(ErrorKind::invalid_argument, "k must be at least 1, not {}", k);
  if (k > 1'000'000) fail(ErrorKind::limit_exceeded, "k = {} is over the limit of 1,000,000", k);
  return static_cast<std::size_t>(k);
}

unsigned checked_threads(long long threads) {
  if (threads < 0 || threads > 4096)
    fail(ErrorKind::invalid_argument, "threads must be 0 (all cores) to 4096, not {}", threads);
  return static_cast<unsigned>(threads);
}

std::string path_arg(const py::handle& value, const char* what) {
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  const py::module_ os = py::module_::import("os");
  if (py::isinstance(value, os.attr("PathLike")))
    return py::str(os.attr("fspath")(value)).cast<std::string>();
  fail(ErrorKind::invalid_argument, "{} must be a path (str or os.PathLike), not {}", what,
       py::str(py::type::of(value).attr("__name__")).cast<std::string>());
}

py::object parse_json(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

namespace {

// tandem.build_index(...): the options of `tandem index`, by keyword.
py::object build_index(const py::object& index_dir, const py::object& corpus,
                       const py::object& sparse, const std::string& impact_quantization,
                       double impact_scale, const py::object& dense, const py::object& dense_ids,
                       const std::string& metric, bool hnsw, long long hnsw_m,
                       long long ef_construction, long long seed, bool deterministic,
                       const std::vector<std::string>& codes, long long pq_m,
                       const std::string& fields, const std::string& analyzer, bool store,
                       long long threads, bool skip_bad, bool overwrite) {
  index::BuildOptions o;
  o.index_dir = path_arg(index_dir, "index");
  if (!corpus.is_none()) o.corpus = path_arg(corpus, "corpus");
  o.settings.layout = index::parse_field_layout(fields);
  o.settings.analyzer = text::AnalyzerConfig::preset(analyzer);
  o.settings.store = store;
  o.threads = checked_threads(threads);
  o.skip_bad = skip_bad;
  o.overwrite = overwrite;
  if (!sparse.is_none()) {
    o.sparse = index::SparseFieldOptions{path_arg(sparse, "sparse"),
                                         index::parse_impact_quantization(impact_quantization),
                                         impact_scale};
  }
  if (dense.is_none()) {
    if (hnsw || !codes.empty() || !dense_ids.is_none())
      fail(ErrorKind::invalid_argument, "hnsw, codes and dense_ids need dense=VECTORS");
  } else {
    const auto positive = [](long long v, const char* what) {
      if (v < 1 || v > 1'000'000)
        fail(ErrorKind::invalid_argument, "{} must be 1 to 1,000,000, not {}", what, v);
      return static_cast<std::uint32_t>(v);
    };
    o.dense_vectors = path_arg(dense, "dense");
    if (!dense_ids.is_none()) o.dense_ids = path_arg(dense_ids, "dense_ids");
    dense::DenseSettings s;
    s.metric = dense::parse_metric(metric);
    if (seed < 0) fail(ErrorKind::invalid_argument, "seed must be >= 0, not {}", seed);
    if (hnsw) {
      s.hnsw = dense::HnswParams{positive(hnsw_m, "hnsw_m"),
                                 positive(ef_construction, "ef_construction"),
                                 static_cast<std::uint64_t>(seed), deterministic};
    }
    for (const auto& c : codes) {
      const auto kind = dense::parse_code_kind(c);
      if (std::find(s.codes.begin(), s.codes.end(), kind) == s.codes.end()) s.codes.push_back(kind);
    }
    if (pq_m < 0) fail(ErrorKind::invalid_argument, "pq_m must be >= 0, not {}", pq_m);
    s.pq_m = static_cast<std::uint32_t>(pq_m);
    s.code_seed = static_cast<std::uint64_t>(seed);
    o.settings.dense = s;
    if (o.corpus.empty() && !o.sparse) o.settings.layout = index::FieldLayout::none;
  }
  if (o.corpus.empty() && !o.sparse && o.dense_vectors.empty())
    fail(ErrorKind::invalid_argument,
         "give corpus=FILE, sparse=FILE, dense=FILE, or a combination");
  index::BuildReport report;
  {
    py::gil_scoped_release release;
    report = engine::build_index(o);
  }
  return parse_json(engine::to_json(report));
}

}  // namespace

void register_index(py::module_& m) {
  m.def("build_index", &build_index, py::arg("index"), py::arg("corpus") = py::none(),
        py::kw_only(), py::arg("sparse") = py::none(), py::arg("impact_quantization") = "auto",
        py::arg("impact_scale") = 1.0, py::arg("dense") = py::none(),
        py::arg("dense_ids") = py::none(), py::arg("metric") = "ip", py::arg("hnsw") = false,
        py::arg("hnsw_m") = 16, py::arg("ef_construction") = 200, py::arg("seed") = 1,
        py::arg("deterministic") = false, py::arg("codes") = std::vector<std::string>{},
        py::arg("pq_m") = 0, py::arg("fields") = "flat", py::arg("analyzer") = "english",
        py::arg("store") = true, py::arg("threads") = 0, py::arg("skip_bad") = false,
        py::arg("overwrite") = false,
        R"(Builds an index from a corpus, as `tandem index` does, and returns its build report
(dict: documents, terms, postings, index_bytes, seconds, ...).

index: directory to create. corpus: BEIR/Anserini JSONL(.gz) file or a directory of them.
sparse: learned-sparse vectors (JSONL); dense: vectors (.npy, .fvecs, JSONL) with dense_ids,
metric ('ip', 'cosine', 'l2'), hnsw (+ hnsw_m, ef_construction, seed, deterministic) and codes
('sq8', 'binary', 'pq'; pq_m). fields: 'flat' or 'multifield'. analyzer: 'english',
'english-nostem' or 'whitespace'. threads: 0 = all cores. Raises tandem.Error subclasses.)");

  py::class_<OpenIndex>(m, "Index", "An open index (tandem.Index(path) or tandem.open(path)).")
      .def(py::init([](const py::object& path) {
             return std::make_unique<OpenIndex>(path_arg(path, "path"));
           }),
           py::arg("path"), "Opens the index in directory `path`.")
      .def_property_readonly("path", &OpenIndex::path)
      .def_property_readonly("closed", &OpenIndex::closed)
      .def(
          "info", [](const OpenIndex& self) { return parse_json(self.get().info_json()); },
          "Settings, segments, fields, statistics and sizes (what `tandem info --json` prints).")
      .def(
          "document",
          [](const OpenIndex& self, const std::string& id) -> py::object {
            const auto doc = self.get().document(id);
            if (!doc) return py::none();
            return py::str(*doc);
          },
          py::arg("id"), "The stored source (JSON text) of document `id`, or None.")
      .def(
          "verify",
          [](const OpenIndex& self) {
            const engine::Index index = self.get();
            py::gil_scoped_release release;
            index.verify();
          },
          "Checks every checksum and structure; raises tandem.CorruptionError naming the file.")
      .def("__len__",
           [](const OpenIndex& self) {
             return static_cast<std::size_t>(self.get().reader().num_docs());
           })
      .def("close", &OpenIndex::close,
           "Releases the index; later calls raise tandem.InvalidArgumentError.")
      .def("__enter__", [](OpenIndex& self) -> OpenIndex& { return self; })
      .def("__exit__", [](OpenIndex& self, const py::args&) { self.close(); })
      .def("__repr__", [](const OpenIndex& self) {
        return "tandem.Index('" + self.path() + "'" + (self.closed() ? ", closed)" : ")");
      });
  m.def(
      "open",
      [](const py::object& path) { return std::make_unique<OpenIndex>(path_arg(path, "path")); },
      py::arg("path"), "Opens an index: the same as tandem.Index(path).");
}

}  // namespace tandem::python
