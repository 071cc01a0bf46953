#include "tandem/index/term_dictionary.hpp"

#include "tandem/core/error.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::index {

// Payload: one front-coded table with 3 values per term: doc_freq, total_freq - doc_freq,
// postings offset (delta-coded within a block).
void write_term_dictionary(const std::filesystem::path& path, std::string_view term_bytes,
                           std::span<const std::uint64_t> starts,
                           std::span<const TermEntry> entries) {
  FrontCodedWriter table(3, 2);
  for (std::size_t t = 0; t < entries.size(); ++t) {
    const TermEntry& e = entries[t];
    const std::uint64_t values[3] = {e.doc_freq, e.total_freq - e.doc_freq, e.postings_offset};
    table.add(term_bytes.substr(starts[t], starts[t + 1] - starts[t]), values);
  }
  io::FileWriter w(path, io::FileKind::term_dictionary);
  table.write_to(w);
  w.commit();
}

TermDictionary::TermDictionary(const std::filesystem::path& path)
    : file_(path, io::FileKind::term_dictionary) {
  const io::ByteView view(file_.payload(), file_.path());
  strings_ = FrontCodedStrings(view, 0);
  if (strings_.values_per_entry() != 3) view.corrupt("a term dictionary holds 3 values per term");
  if (strings_.size() >= UINT32_MAX) view.corrupt("impossible term count");
}

std::optional<TermEntry> TermDictionary::find(std::string_view term) const {
  thread_local std::string scratch;
  std::uint64_t v[3];
  if (!strings_.find(term, scratch, v)) return std::nullopt;
  return to_entry(v);
}

std::optional<TermId> TermDictionary::find_id(std::string_view term, TermEntry* entry) const {
  thread_local std::string scratch;
  std::uint64_t v[3];
  const auto id = strings_.find(term, scratch, v);
  if (!id) return std::nullopt;
  if (entry != nullptr) *entry = to_entry(v);
  return static_cast<TermId>(*id);
}

std::string_view TermDictionary::term(TermId id, std::string& scratch, TermEntry* entry) const {
  std::uint64_t v[3];
  const auto s = strings_.get(id, scratch, v);
  if (entry != nullptr) *entry = to_entry(v);
  return s;
}

void TermDictionary::verify(std::uint64_t postings_size) const {
  file_.verify();
  strings_.verify(file_.path());
  std::uint64_t previous = 0;
  for_each([&](TermId t, std::string_view term, const TermEntry& e) {
    if (e.doc_freq == 0)
      fail(ErrorKind::corruption, "{}: term '{}' has no postings", file_.path(), term);
    if (e.postings_offset >= postings_size || (t > 0 && e.postings_offset <= previous)) {
      fail(ErrorKind::corruption,
           "{}: postings offset of term '{}' is out of order or out of range", file_.path(), term);
    }
    previous = e.postings_offset;
  });
}

}  // namespace tandem::index
