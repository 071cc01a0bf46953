#include "tandem/dense/vector_store.hpp"

#include <cmath>

#include "tandem/core/error.hpp"
#include "tandem/dense/kernels.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::dense {

std::string_view to_string(Metric metric) {
  switch (metric) {
    case Metric::ip:
      return "ip";
    case Metric::cosine:
      return "cosine";
    case Metric::l2:
      return "l2";
  }
  return "?";
}

Metric parse_metric(std::string_view name) {
  if (name == "ip") return Metric::ip;
  if (name == "cosine") return Metric::cosine;
  if (name == "l2") return Metric::l2;
  fail(ErrorKind::invalid_argument, "unknown metric '{}' (known: ip, cosine, l2)", name);
}

std::string_view to_string(Storage storage) {
  return storage == Storage::f16 ? "fp16" : "fp32";
}

Storage parse_storage(std::string_view name) {
  if (name == "fp32") return Storage::f32;
  if (name == "fp16") return Storage::f16;
  fail(ErrorKind::invalid_argument, "unknown vector storage '{}' (known: fp32, fp16)", name);
}

std::vector<float> round_to_half(std::span<const float> values) {
  std::vector<float> out(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) out[i] = half_to_float(float_to_half(values[i]));
  return out;
}

const float* VectorStore::row_floats(std::size_t i, float* scratch) const {
  if (storage() == Storage::f32) return row(i);
  const Half* h = row_f16(i);
  for (std::size_t c = 0; c < dim(); ++c) scratch[c] = half_to_float(h[c]);
  return scratch;
}

namespace {

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) {
  return (x + a - 1) / a * a;
}

}  // namespace

void write_vector_store(const std::filesystem::path& path, Metric metric, std::size_t dim,
                        std::span<const DocId> row_doc, std::span<const float> values,
                        Storage storage) {
  const std::size_t rows = row_doc.size();
  values = values.subspan(0, rows * dim);
  const bool half = storage == Storage::f16;
  // The stored value of element i (binary16 rounding under fp16; norms are of stored values).
  const auto stored = [&](std::size_t i) {
    return half ? half_to_float(float_to_half(values[i])) : values[i];
  };
  std::vector<float> sq(rows);
  float max_norm = 0;
  for (std::size_t i = 0; i < rows; ++i) {
    double s = 0;
    for (std::size_t c = 0; c < dim; ++c) {
      if (half && !(std::abs(values[i * dim + c]) <= kHalfMax))
        fail(ErrorKind::invalid_argument,
             "{}: row {} holds {}, beyond the float16 range (+-65504); use fp32 storage",
             path.string(), i + 1, values[i * dim + c]);
      const double v = stored(i * dim + c);
      s += v * v;
    }
    sq[i] = static_cast<float>(s);
    max_norm = std::max(max_norm, static_cast<float>(std::sqrt(s)));
  }
  VectorStoreHeader h;
  h.dim = static_cast<std::uint32_t>(dim);
  h.metric = static_cast<std::uint32_t>(metric);
  h.element = static_cast<std::uint32_t>(storage);
  h.rows = rows;
  h.max_norm = max_norm;
  io::FileWriter out(path, io::FileKind::dense_vectors);
  out.write_pod(h);
  out.write_array(row_doc);
  out.align(64);
  out.write_array(std::span<const float>(sq));
  out.align(64);
  if (half) {  // converted a chunk at a time: no second copy of the vectors in memory
    std::vector<Half> chunk;
    for (std::size_t i = 0; i < values.size(); i += 65536) {
      const std::size_t end = std::min(values.size(), i + 65536);
      chunk.resize(end - i);
      for (std::size_t j = i; j < end; ++j) chunk[j - i] = float_to_half(values[j]);
      out.write_array(std::span<const Half>(chunk));
    }
  } else {
    out.write_array(values);
  }
  out.commit();
}

VectorStore::VectorStore(const std::filesystem::path& path)
    : file_(path, io::FileKind::dense_vectors) {
  const io::ByteView view(file_.payload(), file_.path());
  header_ = view.read<VectorStoreHeader>(0, "header");
  if (header_.dim == 0 || header_.dim > 65536) view.corrupt("dimension out of range");
  if (header_.metric > 2) view.corrupt("unknown metric");
  if (header_.element > 1)
    fail(ErrorKind::unsupported, "{}: element type {} is not supported", file_.path(),
         header_.element);
  const std::uint64_t element_bytes = header_.element == 1 ? 2 : 4;
  std::uint64_t off = sizeof(VectorStoreHeader);
  row_doc_ = view.array<DocId>(off, header_.rows, "row table");
  off = align_up(off + header_.rows * 4, 64);
  sq_norms_ = view.array<float>(off, header_.rows, "norms");
  off = align_up(off + header_.rows * 4, 64);
  if (header_.rows > (view.size() / element_bytes) / header_.dim)
    view.corrupt("vectors beyond the end");
  std::uint64_t bytes = 0;
  if (header_.element == 1) {
    halves_ = view.array<Half>(off, header_.rows * header_.dim, "vectors");
    bytes = halves_.size_bytes();
  } else {
    values_ = view.array<float>(off, header_.rows * header_.dim, "vectors");
    bytes = values_.size_bytes();
  }
  if (off + bytes != view.size()) view.corrupt("size disagrees with the header");
}

void VectorStore::verify(std::uint32_t num_docs) const {
  file_.verify();
  for (std::size_t i = 0; i < row_doc_.size(); ++i) {
    if (row_doc_[i] >= num_docs || (i > 0 && row_doc_[i] <= row_doc_[i - 1]))
      fail(ErrorKind::corruption, "{}: row {} has DocId {} out of order or range", file_.path(), i,
           row_doc_[i]);
  }
  std::vector<float> scratch(dim());
  for (std::size_t i = 0; i < rows(); ++i) {
    double s = 0;
    const float* x = row_floats(i, scratch.data());
    for (std::size_t c = 0; c < dim(); ++c) {
      const float v = x[c];
      if (!std::isfinite(v))
        fail(ErrorKind::corruption, "{}: row {} holds a non-finite value", file_.path(), i);
      s += double(v) * v;
    }
    if (std::abs(s - sq_norms_[i]) > 1e-5 * std::max(1.0, s))
      fail(ErrorKind::corruption, "{}: row {} disagrees with its stored norm", file_.path(), i);
  }
}

void prepare_query(Metric metric, std::span<const float> query, float* out,
                   std::string_view where) {
  std::copy(query.begin(), query.end(), out);
  if (metric != Metric::cosine) return;
  double s = 0;
  for (float v : query) s += double(v) * v;
  if (s == 0)
    fail(ErrorKind::invalid_argument, "{}: zero vector under the cosine metric (no direction)",
         where);
  const auto inv = static_cast<float>(1.0 / std::sqrt(s));
  for (std::size_t i = 0; i < query.size(); ++i) out[i] = query[i] * inv;
}

}  // namespace tandem::dense
