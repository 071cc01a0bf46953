#include "tandem/index/doc_lengths.hpp"

#include <vector>

#include "tandem/core/error.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::index {

namespace {
FieldStats compute_stats(std::span<const std::uint32_t> lengths) {
  FieldStats s;
  for (const auto len : lengths) {
    s.doc_count += len > 0 ? 1 : 0;
    s.sum_total_term_freq += len;
  }
  return s;
}
}  // namespace

// Payload: u64 num_docs, u64 doc_count, u64 sum_total_term_freq, u64 reserved,
// u32 lengths[num_docs], u8 norms[num_docs].
FieldStats write_doc_lengths(const std::filesystem::path& path,
                             std::span<const std::uint32_t> lengths) {
  const FieldStats stats = compute_stats(lengths);
  std::vector<std::uint8_t> norms(lengths.size());
  for (std::size_t i = 0; i < lengths.size(); ++i) norms[i] = sparse::lucene_norm(lengths[i]);
  io::FileWriter w(path, io::FileKind::doc_lengths);
  w.write_pod<std::uint64_t>(lengths.size());
  w.write_pod(stats.doc_count);
  w.write_pod(stats.sum_total_term_freq);
  w.write_pod<std::uint64_t>(0);
  w.write_array(lengths);
  w.write_array(std::span<const std::uint8_t>(norms));
  w.commit();
  return stats;
}

DocLengthsFile::DocLengthsFile(const std::filesystem::path& path)
    : file_(path, io::FileKind::doc_lengths) {
  const io::ByteView view(file_.payload(), file_.path());
  const auto num_docs = view.read<std::uint64_t>(0, "document count");
  if (num_docs >= UINT32_MAX) view.corrupt("impossible document count");
  stats_.doc_count = view.read<std::uint64_t>(8, "field document count");
  stats_.sum_total_term_freq = view.read<std::uint64_t>(16, "field token count");
  lengths_ = view.array<std::uint32_t>(32, num_docs, "lengths");
  norms_ = view.array<std::uint8_t>(32 + num_docs * 4, num_docs, "norms");
}

void DocLengthsFile::verify() const {
  file_.verify();
  for (std::size_t i = 0; i < lengths_.size(); ++i) {
    if (norms_[i] != sparse::lucene_norm(lengths_[i])) {
      fail(ErrorKind::corruption, "{}: norm of document {} does not match its length", file_.path(),
           i);
    }
  }
  if (compute_stats(lengths_) != stats_) {
    fail(ErrorKind::corruption, "{}: field statistics do not match the lengths", file_.path());
  }
}

}  // namespace tandem::index
