// Index.search / search_batch (BM25 over text), dense_search (a float32 matrix) and sparse_search
// (dicts of term weights). Batches return FAISS-style (D, I): scores float32 (n, k) and ids, an
// object array (n, k) of str; a query with fewer than k hits pads with score -inf and id None.
// The GIL is released while the engine searches.
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include "tandem/core/error.hpp"
#include "tandem/engine/dense_searcher.hpp"
#include "tandem/engine/sparse_searcher.hpp"

#include "bindings.hpp"

namespace tandem::python {

namespace {

using namespace pybind11::literals;

std::string type_name(const py::handle& v) {
  return py::str(py::type::of(v).attr("__name__")).cast<std::string>();
}

// The BM25 settings of `tandem search`, by keyword.
engine::SearchOptions bm25_options(long long k, float k1, float b, const std::string& lengths,
                                   const std::string& algorithm, const py::object& fields,
                                   bool remove_query) {
  engine::SearchOptions o;
  o.k = checked_k(k);
  if (!(k1 >= 0) || !std::isfinite(k1))
    fail(ErrorKind::invalid_argument, "k1 must be a finite number >= 0, not {}", k1);
  if (!(b >= 0 && b <= 1)) fail(ErrorKind::invalid_argument, "b must be in [0, 1], not {}", b);
  o.bm25.params = {k1, b};
  if (lengths == "lucene") {
    o.bm25.length_mode = sparse::LengthMode::lucene;
  } else if (lengths == "exact") {
    o.bm25.length_mode = sparse::LengthMode::exact;
  } else {
    fail(ErrorKind::invalid_argument, "lengths must be 'lucene' or 'exact', not '{}'", lengths);
  }
  o.bm25.algorithm = sparse::parse_query_algorithm(algorithm);
  if (!fields.is_none()) {
    if (!py::isinstance<py::dict>(fields))
      fail(ErrorKind::invalid_argument, "fields must be a dict {{field: weight}}, not {}",
           type_name(fields));
    for (const auto& [name, weight] : fields.cast<py::dict>()) {
      if (!py::isinstance<py::str>(name))
        fail(ErrorKind::invalid_argument, "fields: names must be str, not {}", type_name(name));
      o.bm25.fields.push_back({name.cast<std::string>(), weight.cast<float>()});
    }
  }
  o.remove_query = remove_query;
  return o;
}

}  // namespace

// Text queries from a sequence of str (ids "0", "1", ...) or a dict {qid: text}.
std::vector<io::QueryText> text_query_list(const py::object& queries) {
  std::vector<io::QueryText> out;
  if (py::isinstance<py::dict>(queries)) {
    for (const auto& [id, text] : queries.cast<py::dict>()) {
      if (!py::isinstance<py::str>(id) || !py::isinstance<py::str>(text))
        fail(ErrorKind::invalid_argument,
             "queries: a dict must map str ids to str texts, not {} to {}", type_name(id),
             type_name(text));
      out.push_back({id.cast<std::string>(), text.cast<std::string>()});
    }
    return out;
  }
  if (py::isinstance<py::str>(queries) || !py::isinstance<py::sequence>(queries))
    fail(ErrorKind::invalid_argument,
         "queries must be a list of str or a dict {{qid: text}}, not {} (use search() for one "
         "query)",
         type_name(queries));
  const auto seq = queries.cast<py::sequence>();
  for (std::size_t i = 0; i < seq.size(); ++i) {
    const py::object q = seq[i];
    if (!py::isinstance<py::str>(q))
      fail(ErrorKind::invalid_argument, "queries[{}] must be str, not {}", i, type_name(q));
    out.push_back({std::to_string(i), q.cast<std::string>()});
  }
  return out;
}

namespace {

py::list hit_list(const std::vector<engine::Hit>& hits) {
  py::list out;
  for (const auto& h : hits) out.append(py::make_tuple(h.id, h.score));
  return out;
}

}  // namespace

// (D, I) of a batch, padded to k columns.
py::tuple batch_arrays(const engine::BatchResult& batch, std::size_t k) {
  const auto n = static_cast<py::ssize_t>(batch.results.size());
  const auto cols = static_cast<py::ssize_t>(k);
  py::array_t<float> scores({n, cols});
  const py::module_ np = py::module_::import("numpy");
  py::array ids = np.attr("full")(py::make_tuple(n, cols), py::none(), "dtype"_a = "object");
  float* d = scores.mutable_data();
  auto** slots = static_cast<PyObject**>(ids.mutable_data());
  for (py::ssize_t i = 0; i < n * cols; ++i) d[i] = -std::numeric_limits<float>::infinity();
  for (py::ssize_t q = 0; q < n; ++q) {
    const auto& hits = batch.results[static_cast<std::size_t>(q)].hits;
    for (std::size_t j = 0; j < hits.size() && j < k; ++j) {
      const auto at = q * cols + static_cast<py::ssize_t>(j);
      d[at] = hits[j].score;
      py::str id(hits[j].id);
      PyObject* old = slots[at];
      slots[at] = id.release().ptr();
      Py_XDECREF(old);
    }
  }
  return py::make_tuple(std::move(scores), std::move(ids));
}

namespace {

py::list search(const OpenIndex& self, const std::string& query, long long k, float k1, float b,
                const std::string& lengths, const std::string& algorithm,
                const py::object& fields) {
  const engine::Index index = self.get();
  const auto options = bm25_options(k, k1, b, lengths, algorithm, fields, false);
  std::vector<engine::Hit> hits;
  {
    py::gil_scoped_release release;
    const engine::Searcher searcher(index, options);
    hits = searcher.search(query);
  }
  return hit_list(hits);
}

py::tuple search_batch(const OpenIndex& self, const py::object& queries, long long k,
                       long long threads, float k1, float b, const std::string& lengths,
                       const std::string& algorithm, const py::object& fields, bool remove_query) {
  const engine::Index index = self.get();
  const auto options = bm25_options(k, k1, b, lengths, algorithm, fields, remove_query);
  const unsigned n_threads = checked_threads(threads);
  const auto list = text_query_list(queries);
  engine::BatchResult batch;
  {
    py::gil_scoped_release release;
    const engine::Searcher searcher(index, options);
    batch = searcher.search_batch(list, n_threads);
  }
  return batch_arrays(batch, options.k);
}

py::tuple dense_search(const OpenIndex& self, const py::object& queries, long long k,
                       const std::string& retriever, long long ef, long long rerank,
                       long long threads, const std::vector<std::string>& filter_ids) {
  const engine::Index index = self.get();
  if (!py::isinstance<py::array>(queries))
    fail(ErrorKind::invalid_argument, "queries must be a numpy float32 array (n, dim), not {}",
         type_name(queries));
  const auto array = queries.cast<py::array>();
  if (!array.dtype().is(py::dtype::of<float>()))
    fail(ErrorKind::invalid_argument,
         "queries must have dtype float32, not {} (convert with .astype(numpy.float32))",
         py::str(array.dtype()).cast<std::string>());
  if (array.ndim() != 2 && array.ndim() != 1)
    fail(ErrorKind::invalid_argument,
         "queries must have shape (n, dim) or (dim,), not {} dimensions", array.ndim());
  if (ef < 1) fail(ErrorKind::invalid_argument, "ef must be at least 1, not {}", ef);
  if (rerank < 0) fail(ErrorKind::invalid_argument, "rerank must be >= 0, not {}", rerank);
  engine::DenseSearchOptions o;
  o.k = checked_k(k);
  o.dense.method = pipeline::parse_dense_method(retriever);
  o.dense.ef = static_cast<std::size_t>(ef);
  o.dense.rerank = static_cast<std::size_t>(rerank);
  o.dense.filter_ids = filter_ids;
  const unsigned n_threads = checked_threads(threads);
  // A C-contiguous float32 copy (strided views are copied in order).
  const auto c = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(array);
  io::VectorSet set;
  set.dim = static_cast<std::size_t>(array.ndim() == 2 ? array.shape(1) : array.shape(0));
  if (set.dim == 0) fail(ErrorKind::invalid_argument, "queries have dimension 0");
  set.values.assign(c.data(), c.data() + c.size());
  for (float v : set.values) {
    if (!std::isfinite(v))
      fail(ErrorKind::invalid_argument, "queries hold a NaN or infinite value");
  }
  engine::BatchResult batch;
  {
    py::gil_scoped_release release;
    const engine::DenseSearcher searcher(index, o);
    if (set.rows() > 0) batch = searcher.search_batch(set, n_threads, "queries");
  }
  return batch_arrays(batch, o.k);
}

// One sparse query: a dict {term: weight} (weights > 0 kept) or a str (pre-tokenised text, or
// text for the query encoder).
io::SparseQuery sparse_query(const py::handle& q, std::string id, std::size_t position) {
  io::SparseQuery out;
  out.id = std::move(id);
  if (py::isinstance<py::str>(q)) {
    out.text = q.cast<std::string>();
    return out;
  }
  if (!py::isinstance<py::dict>(q))
    fail(ErrorKind::invalid_argument,
         "sparse query {} must be a dict {{term: weight}} or str, not {}", position, type_name(q));
  out.has_vector = true;
  for (const auto& [term, weight] : q.cast<py::dict>()) {
    if (!py::isinstance<py::str>(term))
      fail(ErrorKind::invalid_argument, "sparse query {}: terms must be str, not {}", position,
           type_name(term));
    const double w = weight.cast<double>();
    if (!std::isfinite(w))
      fail(ErrorKind::invalid_argument, "sparse query {}: the weight of '{}' is not finite",
           position, term.cast<std::string>());
    if (w > 0) out.terms.push_back({term.cast<std::string>(), static_cast<float>(w)});
  }
  return out;
}

engine::SparseSearchOptions sparse_options(long long k, const std::string& retriever,
                                           const std::string& algorithm, long long max_query_terms,
                                           const std::string& query_encoder) {
  engine::SparseSearchOptions o;
  o.k = checked_k(k);
  o.retriever = engine::parse_sparse_retriever(retriever);
  o.impact.algorithm = sparse::parse_query_algorithm(algorithm);
  if (max_query_terms < 0)
    fail(ErrorKind::invalid_argument, "max_query_terms must be >= 0, not {}", max_query_terms);
  o.impact.max_query_terms = static_cast<std::size_t>(max_query_terms);
  o.query_encoder = query_encoder;
  return o;
}

py::object sparse_search(const OpenIndex& self, const py::object& queries, long long k,
                         const std::string& retriever, const std::string& algorithm,
                         long long max_query_terms, const std::string& query_encoder,
                         long long threads) {
  const engine::Index index = self.get();
  const auto o = sparse_options(k, retriever, algorithm, max_query_terms, query_encoder);
  const unsigned n_threads = checked_threads(threads);
  if (py::isinstance<py::dict>(queries) || py::isinstance<py::str>(queries)) {
    const io::SparseQuery q = sparse_query(queries, "query", 0);
    std::vector<engine::Hit> hits;
    {
      py::gil_scoped_release release;
      const engine::SparseSearcher searcher(index, o);
      hits = searcher.search(q);
    }
    return hit_list(hits);
  }
  if (!py::isinstance<py::sequence>(queries))
    fail(ErrorKind::invalid_argument,
         "queries must be a dict {{term: weight}}, a str, or a list of them, not {}",
         type_name(queries));
  std::vector<io::SparseQuery> list;
  const auto seq = queries.cast<py::sequence>();
  for (std::size_t i = 0; i < seq.size(); ++i)
    list.push_back(sparse_query(seq[i], std::to_string(i), i));
  engine::BatchResult batch;
  {
    py::gil_scoped_release release;
    const engine::SparseSearcher searcher(index, o);
    batch = searcher.search_batch(list, n_threads);
  }
  return batch_arrays(batch, o.k);
}

}  // namespace

void register_search(py::module_& m) {
  auto cls = py::reinterpret_borrow<py::class_<OpenIndex>>(m.attr("Index"));
  const std::string algorithm(sparse::to_string(sparse::kDefaultQueryAlgorithm));
  cls.def("search", &search, py::arg("query"), py::arg("k") = 10, py::kw_only(),
          py::arg("k1") = 0.9f, py::arg("b") = 0.4f, py::arg("lengths") = "lucene",
          py::arg("algorithm") = algorithm, py::arg("fields") = py::none(),
          R"(BM25 search for one text query: a list of (id, score), best first (score descending,
ties by id ascending), at most k long. The defaults reproduce Anserini (k1 0.9, b 0.4, Lucene
lengths); lengths='exact' uses exact document lengths. fields: {field: weight} or None (all).)");
  cls.def("search_batch", &search_batch, py::arg("queries"), py::arg("k") = 10, py::kw_only(),
          py::arg("threads") = 0, py::arg("k1") = 0.9f, py::arg("b") = 0.4f,
          py::arg("lengths") = "lucene", py::arg("algorithm") = algorithm,
          py::arg("fields") = py::none(), py::arg("remove_query") = false,
          R"(BM25 search for many text queries (a list of str, or a dict {qid: text}) on `threads`
threads (0 = all cores). Returns (D, I) like FAISS: D float32 (n, k) scores, I an object array
(n, k) of document ids; rows follow the input order, missing hits are -inf / None.
remove_query drops hits whose id equals the query id (needs a dict).)");
  cls.def("dense_search", &dense_search, py::arg("queries"), py::arg("k") = 10, py::kw_only(),
          py::arg("retriever") = "dense-exact", py::arg("ef") = 100, py::arg("rerank") = 0,
          py::arg("threads") = 0, py::arg("filter_ids") = std::vector<std::string>{},
          R"(Dense search: queries is a numpy float32 array (n, dim) (or (dim,) for one query).
retriever: 'dense-exact', 'hnsw' (ef), 'sq8', 'binary', 'pq' (rerank). Returns (D, I).)");
  cls.def("sparse_search", &sparse_search, py::arg("queries"), py::arg("k") = 10, py::kw_only(),
          py::arg("retriever") = "impact", py::arg("algorithm") = algorithm,
          py::arg("max_query_terms") = 0, py::arg("query_encoder") = "", py::arg("threads") = 0,
          R"(Learned-sparse search over the index's sparse field. One query (a dict {term: weight},
or a str: pre-tokenised text, or text for query_encoder='idf:DIR') gives a list of (id, score); a
list of them gives (D, I). retriever: 'impact' (exact) or 'sparse-approx'.)");
}

}  // namespace tandem::python
