#include "tandem/index/term_dictionary.hpp"

#include "tandem/core/error.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::index {

// Payload: u64 num_terms, u64 term_bytes, u64 starts[num_terms + 1], TermEntry entries[num_terms],
// term bytes.
void write_term_dictionary(const std::filesystem::path& path, std::string_view term_bytes,
                           std::span<const std::uint64_t> starts, std::span<const TermEntry> entries) {
  io::FileWriter w(path, io::FileKind::term_dictionary);
  w.write_pod<std::uint64_t>(entries.size());
  w.write_pod<std::uint64_t>(term_bytes.size());
  w.write_array(starts);
  w.write_array(entries);
  w.write(term_bytes.data(), term_bytes.size());
  w.commit();
}

TermDictionary::TermDictionary(const std::filesystem::path& path)
    : file_(path, io::FileKind::term_dictionary) {
  const io::ByteView view(file_.payload(), file_.path());
  const auto num_terms = view.read<std::uint64_t>(0, "term count");
  const auto term_bytes = view.read<std::uint64_t>(8, "term bytes");
  if (num_terms >= UINT32_MAX) view.corrupt("impossible term count");
  starts_ = view.array<std::uint64_t>(16, num_terms + 1, "term offsets");
  const std::uint64_t entries_offset = 16 + (num_terms + 1) * 8;
  entries_ = view.array<TermEntry>(entries_offset, num_terms, "term entries");
  blob_ = reinterpret_cast<const char*>(
      view.bytes(entries_offset + num_terms * sizeof(TermEntry), term_bytes, "term bytes").data());
  if (starts_.front() != 0 || starts_.back() != term_bytes) view.corrupt("term offsets do not span the term bytes");
}

std::optional<TermId> TermDictionary::find(std::string_view term) const {
  std::uint32_t lo = 0, hi = size();
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    if (this->term(mid) < term) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < size() && this->term(lo) == term) return lo;
  return std::nullopt;
}

void TermDictionary::verify(std::uint64_t postings_size) const {
  file_.verify();
  for (std::uint32_t t = 0; t < size(); ++t) {
    if (starts_[t + 1] < starts_[t]) fail(ErrorKind::corruption, "{}: term offsets decrease at term {}", file_.path(), t);
    if (t > 0 && !(term(t - 1) < term(t))) {
      fail(ErrorKind::corruption, "{}: terms are not strictly increasing at term {}", file_.path(), t);
    }
    const TermEntry& e = entries_[t];
    if (e.doc_freq == 0) fail(ErrorKind::corruption, "{}: term {} has no postings", file_.path(), t);
    if (e.total_freq < e.doc_freq) fail(ErrorKind::corruption, "{}: term {} has fewer occurrences than documents", file_.path(), t);
    if (e.postings_offset >= postings_size || (t > 0 && e.postings_offset <= entries_[t - 1].postings_offset)) {
      fail(ErrorKind::corruption, "{}: postings offset of term {} is out of order or out of range", file_.path(), t);
    }
  }
}

}  // namespace tandem::index
