#include "tandem/index/doc_lengths.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

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

// Payload (docs/format.md, "<field>.lengths"): u64 num_docs, u64 doc_count,
// u64 sum_total_term_freq, u64 num_long, (u32 doc, u32 length) x num_long, u16 length[num_docs]
// (kLongLength: in the long table), u8 norms[num_docs].
FieldStats write_doc_lengths(const std::filesystem::path& path,
                             std::span<const std::uint32_t> lengths) {
  const FieldStats stats = compute_stats(lengths);
  std::vector<std::uint8_t> norms(lengths.size());
  std::vector<std::uint16_t> short_lengths(lengths.size());
  std::vector<std::uint32_t> long_table;  // doc, length, doc, length, ...
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    norms[i] = sparse::lucene_norm(lengths[i]);
    short_lengths[i] = static_cast<std::uint16_t>(std::min(lengths[i], kLongLength));
    if (lengths[i] >= kLongLength) {
      long_table.push_back(static_cast<std::uint32_t>(i));
      long_table.push_back(lengths[i]);
    }
  }
  io::FileWriter w(path, io::FileKind::doc_lengths);
  w.write_pod<std::uint64_t>(lengths.size());
  w.write_pod(stats.doc_count);
  w.write_pod(stats.sum_total_term_freq);
  w.write_pod<std::uint64_t>(long_table.size() / 2);
  w.write_array(std::span<const std::uint32_t>(long_table));
  w.write_array(std::span<const std::uint16_t>(short_lengths));
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
  const auto num_long = view.read<std::uint64_t>(24, "long document count");
  if (num_long > num_docs) view.corrupt("more long documents than documents");
  const auto long_table = view.array<std::uint32_t>(32, 2 * num_long, "long document table");
  const std::uint64_t short_at = 32 + 8 * num_long;
  const auto short_lengths = view.array<std::uint16_t>(short_at, num_docs, "lengths");
  norms_ = view.array<std::uint8_t>(short_at + 2 * num_docs, num_docs, "norms");
  // Expanded once at open: the exact-length scorer indexes u32 lengths by DocId.
  lengths_.resize(num_docs);
  std::size_t next_long = 0;
  for (std::size_t d = 0; d < num_docs; ++d) {
    lengths_[d] = short_lengths[d];
    if (short_lengths[d] != kLongLength) continue;
    if (next_long == num_long || long_table[2 * next_long] != d ||
        long_table[2 * next_long + 1] < kLongLength) {
      view.corrupt(fmt::format("document {} is not in the long document table", d));
    }
    lengths_[d] = long_table[2 * next_long + 1];
    ++next_long;
  }
  if (next_long != num_long) view.corrupt("the long document table names a short document");
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
