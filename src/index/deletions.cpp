#include "tandem/index/deletions.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include "tandem/core/error.hpp"
#include "tandem/index/index_reader.hpp"
#include "tandem/io/file_format.hpp"
#include "tandem/sparse/cursor/posting_cursor.hpp"

namespace tandem::index {

std::uint32_t FieldDeletions::deleted_doc_freq(std::uint64_t postings_offset) const {
  const auto it = std::lower_bound(doc_freqs.begin(), doc_freqs.end(), postings_offset,
                                   [](const std::pair<std::uint64_t, std::uint32_t>& e,
                                      std::uint64_t o) { return e.first < o; });
  return it != doc_freqs.end() && it->first == postings_offset ? it->second : 0;
}

void Deletions::count_fields(const std::vector<const TextFieldFiles*>& field_files) {
  fields.clear();
  for (const TextFieldFiles* f : field_files) {
    FieldDeletions fd;
    const auto lengths = f->lengths.view().lengths;
    for (DocId d = 0; d < num_docs; ++d) {
      if (!contains(d)) continue;
      if (lengths[d] > 0) ++fd.deleted.doc_count;
      fd.deleted.sum_total_term_freq += lengths[d];
    }
    const auto payload = f->postings.payload();
    f->terms.for_each([&](TermId, std::string_view, const TermEntry& e) {
      sparse::PostingCursor cursor(payload.data() + e.postings_offset,
                                   sparse::PostingListSummary{e.doc_freq, e.total_freq});
      std::uint32_t deleted = 0;
      for (; cursor.docid() != kEndDoc; cursor.next()) deleted += contains(cursor.docid()) ? 1 : 0;
      if (deleted > 0) fd.doc_freqs.emplace_back(e.postings_offset, deleted);
    });
    fields.push_back(std::move(fd));
  }
}

// Layout (payload): u64 num_docs, u64 count, u64 num_fields, u64 words[ceil(num_docs / 64)], then
// per field: u64 deleted doc_count, u64 deleted sum_total_term_freq, u64 entries,
// (u64 postings_offset, u64 deleted_doc_freq) x entries.
void Deletions::write(const std::filesystem::path& path) const {
  io::FileWriter out(path, io::FileKind::deletions);
  out.write_pod<std::uint64_t>(num_docs);
  out.write_pod<std::uint64_t>(count);
  out.write_pod<std::uint64_t>(fields.size());
  out.write_array(std::span<const std::uint64_t>(words));
  for (const FieldDeletions& f : fields) {
    out.write_pod<std::uint64_t>(f.deleted.doc_count);
    out.write_pod<std::uint64_t>(f.deleted.sum_total_term_freq);
    out.write_pod<std::uint64_t>(f.doc_freqs.size());
    for (const auto& [offset, df] : f.doc_freqs) {
      out.write_pod<std::uint64_t>(offset);
      out.write_pod<std::uint64_t>(df);
    }
  }
  out.commit();
}

Deletions Deletions::read(const std::filesystem::path& path, std::uint32_t num_docs,
                          std::size_t num_fields, bool verify_checksum) {
  const io::CheckedFile file(path, io::FileKind::deletions);
  if (verify_checksum) file.verify();
  const auto payload = file.payload();
  std::size_t pos = 0;
  const auto bad = [&](const char* what) {
    fail(ErrorKind::corruption, "{}: {}", path.string(), what);
  };
  const auto u64 = [&]() {
    if (payload.size() - pos < 8) bad("truncated");
    std::uint64_t v = 0;
    std::memcpy(&v, payload.data() + pos, 8);
    pos += 8;
    return v;
  };
  Deletions d(num_docs);
  if (u64() != num_docs) bad("covers a different number of documents than its segment");
  const std::uint64_t count = u64();
  if (u64() != num_fields) bad("has a different number of fields than the index");
  for (auto& w : d.words) w = u64();
  if (num_docs % 64 != 0 && !d.words.empty() && (d.words.back() >> (num_docs % 64)) != 0)
    bad("marks documents beyond the segment's end");
  std::uint64_t bits = 0;
  for (const auto w : d.words) bits += static_cast<std::uint64_t>(std::popcount(w));
  if (bits != count || count > num_docs) bad("its count disagrees with its bitmap");
  d.count = static_cast<std::uint32_t>(count);
  for (std::size_t f = 0; f < num_fields; ++f) {
    FieldDeletions fd;
    fd.deleted.doc_count = u64();
    fd.deleted.sum_total_term_freq = u64();
    const std::uint64_t entries = u64();
    if (entries > (payload.size() - pos) / 16) bad("truncated");
    fd.doc_freqs.reserve(entries);
    for (std::uint64_t i = 0; i < entries; ++i) {
      const std::uint64_t offset = u64();
      const std::uint64_t df = u64();
      if (df == 0 || df > count || (!fd.doc_freqs.empty() && offset <= fd.doc_freqs.back().first))
        bad("malformed document frequency table");
      fd.doc_freqs.emplace_back(offset, static_cast<std::uint32_t>(df));
    }
    if (fd.deleted.doc_count > count) bad("malformed field statistics");
    d.fields.push_back(std::move(fd));
  }
  if (pos != payload.size()) bad("has trailing bytes");
  return d;
}

}  // namespace tandem::index
