#include "dense_ingest.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "tandem/core/error.hpp"

namespace tandem::index {

io::VectorSet read_dense_input(const std::filesystem::path& vectors,
                               const std::filesystem::path& ids, dense::Metric metric) {
  io::VectorSet set = io::read_vectors(vectors, ids);
  if (metric == dense::Metric::cosine) {
    for (std::size_t r = 0; r < set.rows(); ++r) {
      const auto row = set.row(r);
      if (std::all_of(row.begin(), row.end(), [](float v) { return v == 0.0f; }))
        fail(ErrorKind::invalid_argument,
             "{}: row {} ('{}') is a zero vector, which has no direction under the cosine metric",
             vectors.string(), r + 1, io::row_id(set, r));
    }
  }
  return set;
}

std::vector<std::string> sorted_vector_ids(const io::VectorSet& set,
                                           const std::filesystem::path& source) {
  std::vector<std::size_t> order(set.rows());
  std::iota(order.begin(), order.end(), 0);
  std::vector<std::string> ids(set.rows());
  for (std::size_t r = 0; r < set.rows(); ++r) ids[r] = io::row_id(set, r);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return ids[a] < ids[b] || (ids[a] == ids[b] && a < b);
  });
  std::vector<std::string> sorted;
  sorted.reserve(ids.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i > 0 && ids[order[i]] == sorted.back())
      fail(ErrorKind::invalid_argument, "{}: duplicate id '{}' at rows {} and {}", source.string(),
           ids[order[i]], order[i - 1] + 1, order[i] + 1);
    sorted.push_back(std::move(ids[order[i]]));
  }
  return sorted;
}

std::uint64_t write_dense_rows(const std::filesystem::path& segment_dir, io::VectorSet& set,
                               const std::filesystem::path& source,
                               std::span<const std::string_view> doc_ids,
                               dense::DenseSettings& settings, unsigned threads,
                               ProgressSink* progress) {
  const std::size_t dim = set.dim;
  settings.dim = static_cast<std::uint32_t>(dim);
  struct Row {
    DocId doc;
    std::size_t row;
  };
  std::vector<Row> rows;
  rows.reserve(set.rows());
  for (std::size_t r = 0; r < set.rows(); ++r) {
    const std::string id = io::row_id(set, r);
    const auto it = std::lower_bound(doc_ids.begin(), doc_ids.end(), std::string_view(id));
    if (it == doc_ids.end() || *it != id)
      fail(ErrorKind::invalid_argument, "{}: row {}: id '{}' is not a document of the corpus",
           source.string(), r + 1, id);
    rows.push_back({static_cast<DocId>(it - doc_ids.begin()), r});
  }
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a.doc < b.doc || (a.doc == b.doc && a.row < b.row);
  });
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].doc == rows[i - 1].doc)
      fail(ErrorKind::invalid_argument, "{}: rows {} and {} have the same id '{}'", source.string(),
           rows[i - 1].row + 1, rows[i].row + 1, doc_ids[rows[i].doc]);
  }
  std::vector<DocId> row_doc(rows.size());
  std::vector<float> values(rows.size() * dim);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    row_doc[i] = rows[i].doc;
    const auto src = set.row(rows[i].row);
    float* dst = values.data() + i * dim;
    if (settings.metric == dense::Metric::cosine) {
      double s = 0;
      for (float v : src) s += double(v) * v;
      const double inv = 1.0 / std::sqrt(s);
      for (std::size_t c = 0; c < dim; ++c) dst[c] = static_cast<float>(src[c] * inv);
    } else {
      std::copy(src.begin(), src.end(), dst);
    }
  }
  set.values = {};  // release the input copy before building the graph and codes
  dense::write_dense_field(segment_dir, settings, row_doc, values, threads, progress);
  return rows.size();
}

}  // namespace tandem::index
