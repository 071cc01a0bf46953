#include "tandem/index/id_table.hpp"

#include <algorithm>

#include "tandem/core/error.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::index {

// Payload: one front-coded table of the ids, no values.
void write_id_table(const std::filesystem::path& path, std::span<const std::string_view> ids) {
  FrontCodedWriter table(0);
  for (const auto id : ids) table.add(id);
  io::FileWriter w(path, io::FileKind::doc_ids);
  table.write_to(w);
  w.commit();
}

IdTable::IdTable(const std::filesystem::path& path) : file_(path, io::FileKind::doc_ids) {
  const io::ByteView view(file_.payload(), file_.path());
  strings_ = FrontCodedStrings(view, 0);
  if (strings_.values_per_entry() != 0) view.corrupt("an id table holds no values");
  if (strings_.size() >= kEndDoc) view.corrupt("impossible document count");
}

std::optional<DocId> IdTable::find(std::string_view id) const {
  thread_local std::string scratch;
  const auto at = strings_.find(id, scratch);
  if (!at) return std::nullopt;
  return static_cast<DocId>(*at);
}

bool IdTable::same_ids(const IdTable& other) const {
  const auto a = file_.payload(), b = other.file_.payload();
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

void IdTable::verify() const {
  file_.verify();
  strings_.verify(file_.path());
  strings_.for_each([&](std::uint64_t d, std::string_view id, std::span<const std::uint64_t>) {
    if (id.empty()) fail(ErrorKind::corruption, "{}: empty id at document {}", file_.path(), d);
  });
}

}  // namespace tandem::index
