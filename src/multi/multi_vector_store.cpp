#include "tandem/multi/multi_vector_store.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "tandem/core/error.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::multi {

std::string_view to_string(TokenEncoding encoding) {
  return encoding == TokenEncoding::f32 ? "f32" : "int8";
}

TokenEncoding parse_token_encoding(std::string_view name) {
  if (name == "f32" || name == "none") return TokenEncoding::f32;
  if (name == "int8") return TokenEncoding::int8;
  fail(ErrorKind::invalid_argument, "unknown token encoding '{}' (known: f32, int8)", name);
}

namespace {

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) {
  return (x + a - 1) / a * a;
}

std::int8_t quantize(float v, float scale) {
  if (scale == 0) return 0;
  const float q = std::round(v / scale);
  return static_cast<std::int8_t>(std::clamp(q, -127.0f, 127.0f));
}

}  // namespace

void write_multi_vector_store(const std::filesystem::path& path, std::size_t dim,
                              TokenEncoding encoding, std::span<const DocId> row_doc,
                              std::span<const std::uint64_t> offsets,
                              std::span<const float> values) {
  const std::size_t rows = row_doc.size();
  if (dim == 0 || dim > 65536)
    fail(ErrorKind::invalid_argument, "multi-vector dimension {} out of range 1..65536", dim);
  if (offsets.size() != rows + 1 || offsets[0] != 0)
    fail(ErrorKind::invalid_argument, "multi-vector offsets: {} entries for {} rows",
         offsets.size(), rows);
  for (std::size_t r = 0; r < rows; ++r) {
    if (offsets[r + 1] < offsets[r])
      fail(ErrorKind::invalid_argument, "multi-vector offsets decrease at row {}", r);
  }
  const std::uint64_t tokens = offsets[rows];
  if (values.size() != tokens * dim)
    fail(ErrorKind::invalid_argument, "multi-vector values: {} floats for {} tokens of {}",
         values.size(), tokens, dim);
  for (const float v : values) {
    if (!std::isfinite(v)) fail(ErrorKind::invalid_argument, "non-finite token vector value");
  }
  std::vector<float> scales;
  if (encoding == TokenEncoding::int8) {
    scales.assign(dim, 0.0f);
    for (std::uint64_t t = 0; t < tokens; ++t)
      for (std::size_t c = 0; c < dim; ++c)
        scales[c] = std::max(scales[c], std::abs(values[t * dim + c]));
    for (auto& s : scales) s /= 127.0f;
  }
  // Norms of the tokens as a reader decodes them, so bounds hold for the stored values.
  std::vector<float> max_norms(rows, 0.0f);
  std::vector<std::int8_t> codes;
  if (encoding == TokenEncoding::int8) codes.resize(values.size());
  for (std::size_t r = 0; r < rows; ++r) {
    double best = 0;
    for (std::uint64_t t = offsets[r]; t < offsets[r + 1]; ++t) {
      double s = 0;
      for (std::size_t c = 0; c < dim; ++c) {
        float v = values[t * dim + c];
        if (encoding == TokenEncoding::int8) {
          const std::int8_t q = quantize(v, scales[c]);
          codes[t * dim + c] = q;
          v = static_cast<float>(q) * scales[c];
        }
        s += static_cast<double>(v) * v;
      }
      best = std::max(best, s);
    }
    max_norms[r] = static_cast<float>(std::sqrt(best));
  }
  MultiVectorHeader h;
  h.dim = static_cast<std::uint32_t>(dim);
  h.encoding = static_cast<std::uint32_t>(encoding);
  h.rows = rows;
  h.tokens = tokens;
  io::FileWriter out(path, io::FileKind::multi_vectors);
  out.write_pod(h);
  out.write_array(row_doc);
  out.align(8);
  out.write_array(offsets);
  out.align(64);
  out.write_array(std::span<const float>(max_norms));
  out.align(64);
  if (encoding == TokenEncoding::int8) {
    out.write_array(std::span<const float>(scales));
    out.align(64);
    out.write_array(std::span<const std::int8_t>(codes));
  } else {
    out.write_array(values);
  }
  out.commit();
}

MultiVectorStore::MultiVectorStore(const std::filesystem::path& path)
    : file_(path, io::FileKind::multi_vectors) {
  const io::ByteView view(file_.payload(), file_.path());
  header_ = view.read<MultiVectorHeader>(0, "header");
  if (header_.dim == 0 || header_.dim > 65536) view.corrupt("dimension out of range");
  if (header_.encoding > 1) view.corrupt("unknown token encoding");
  if (header_.rows > view.size() / 4) view.corrupt("row count beyond the end");
  std::uint64_t off = sizeof(MultiVectorHeader);
  row_doc_ = view.array<DocId>(off, header_.rows, "row table");
  off = align_up(off + header_.rows * 4, 8);
  offsets_ = view.array<std::uint64_t>(off, header_.rows + 1, "offsets");
  if (offsets_.front() != 0 || offsets_.back() != header_.tokens)
    view.corrupt("offsets disagree with the token count");
  for (std::size_t r = 0; r < header_.rows; ++r) {
    if (offsets_[r + 1] < offsets_[r]) view.corrupt("offsets decrease");
  }
  off = align_up(off + (header_.rows + 1) * 8, 64);
  max_norms_ = view.array<float>(off, header_.rows, "norms");
  off = align_up(off + header_.rows * 4, 64);
  const std::size_t elem = header_.encoding == 0 ? 4 : 1;
  if (header_.tokens > view.size() / elem / header_.dim) view.corrupt("tokens beyond the end");
  const std::uint64_t n = header_.tokens * header_.dim;
  if (header_.encoding == 1) {
    scales_ = view.array<float>(off, header_.dim, "scales");
    off = align_up(off + header_.dim * 4, 64);
    i8_values_ = view.array<std::int8_t>(off, n, "codes");
    off += n;
  } else {
    f32_values_ = view.array<float>(off, n, "vectors");
    off += n * 4;
  }
  if (off != view.size()) view.corrupt("size disagrees with the header");
}

std::optional<std::size_t> MultiVectorStore::row_of(DocId doc) const {
  const auto it = std::lower_bound(row_doc_.begin(), row_doc_.end(), doc);
  if (it == row_doc_.end() || *it != doc) return std::nullopt;
  return static_cast<std::size_t>(it - row_doc_.begin());
}

void MultiVectorStore::decode(std::size_t row, std::size_t j, float* out) const {
  const std::size_t d = header_.dim;
  if (encoding() == TokenEncoding::f32) {
    const float* src = f32_tokens(row) + j * d;
    std::copy(src, src + d, out);
  } else {
    const std::int8_t* src = int8_tokens(row) + j * d;
    for (std::size_t c = 0; c < d; ++c) out[c] = static_cast<float>(src[c]) * scales_[c];
  }
}

void MultiVectorStore::verify(std::uint32_t num_docs) const {
  file_.verify();
  for (std::size_t i = 0; i < row_doc_.size(); ++i) {
    if (row_doc_[i] >= num_docs || (i > 0 && row_doc_[i] <= row_doc_[i - 1]))
      fail(ErrorKind::corruption, "{}: row {} has DocId {} out of order or range", path(), i,
           row_doc_[i]);
  }
  for (const float s : scales_) {
    if (!std::isfinite(s) || s < 0) fail(ErrorKind::corruption, "{}: bad scale", path());
  }
  std::vector<float> tok(header_.dim);
  for (std::size_t r = 0; r < rows(); ++r) {
    double best = 0;
    for (std::size_t j = 0; j < token_count(r); ++j) {
      decode(r, j, tok.data());
      double s = 0;
      for (const float v : tok) {
        if (!std::isfinite(v))
          fail(ErrorKind::corruption, "{}: row {} holds a non-finite value", path(), r);
        s += static_cast<double>(v) * v;
      }
      best = std::max(best, s);
    }
    if (std::abs(std::sqrt(best) - max_norms_[r]) > 1e-4 * std::max(1.0, std::sqrt(best)))
      fail(ErrorKind::corruption, "{}: row {} disagrees with its stored norm", path(), r);
  }
}

}  // namespace tandem::multi
