// Shared pieces of the Python module: the registration functions of each file, the Python-side
// open index, and argument checks that turn bad values into tandem::Error (so Python sees
// tandem.InvalidArgumentError, never a crash).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

#include "tandem/engine/engine.hpp"

namespace tandem::python {

namespace py = pybind11;

void register_errors(py::module_& m);
void register_index(py::module_& m);
void register_search(py::module_& m);
void register_eval(py::module_& m);
void register_pipeline(py::module_& m);

/// An index opened from Python. close() drops this object's reference; searches that are running
/// keep their own copy of the engine::Index, so closing never pulls files from under them.
class OpenIndex {
 public:
  explicit OpenIndex(std::string path);
  /// The engine index; throws Error(invalid_argument) after close().
  engine::Index get() const;
  void close() { index_.reset(); }
  bool closed() const { return !index_.has_value(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::optional<engine::Index> index_;
};

/// k from Python: an integer in [1, 1,000,000] (the engine's limit), else Error naming `what`.
std::size_t checked_k(long long k);
/// threads from Python: >= 0 (0 = all cores).
unsigned checked_threads(long long threads);
/// A str or os.PathLike as a path string; anything else is Error(invalid_argument) naming `what`.
std::string path_arg(const py::handle& value, const char* what);
/// json.loads(text).
py::object parse_json(const std::string& text);
/// Text queries from a sequence of str (ids "0", "1", ...) or a dict {qid: text}; anything else
/// is Error(invalid_argument).
std::vector<io::QueryText> text_query_list(const py::object& queries);
/// FAISS-style (D, I) of a batch: float32 scores and an object array of ids, (n, k), padded with
/// -inf / None.
py::tuple batch_arrays(const engine::BatchResult& batch, std::size_t k);

}  // namespace tandem::python
