#include "tandem/index/id_table.hpp"

#include "tandem/core/error.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::index {

// Payload: u64 num_docs, u64 blob_bytes, u64 offsets[num_docs + 1], blob.
void write_id_table(const std::filesystem::path& path, std::span<const std::string_view> ids) {
  io::FileWriter w(path, io::FileKind::doc_ids);
  std::uint64_t blob = 0;
  for (const auto id : ids) blob += id.size();
  w.write_pod<std::uint64_t>(ids.size());
  w.write_pod<std::uint64_t>(blob);
  std::uint64_t offset = 0;
  w.write_pod(offset);
  for (const auto id : ids) {
    offset += id.size();
    w.write_pod(offset);
  }
  for (const auto id : ids) w.write(id.data(), id.size());
  w.commit();
}

IdTable::IdTable(const std::filesystem::path& path) : file_(path, io::FileKind::doc_ids) {
  const io::ByteView view(file_.payload(), file_.path());
  const auto num_docs = view.read<std::uint64_t>(0, "document count");
  const auto blob_bytes = view.read<std::uint64_t>(8, "id bytes");
  if (num_docs >= kEndDoc) view.corrupt("impossible document count");
  offsets_ = view.array<std::uint64_t>(16, num_docs + 1, "id offsets");
  const std::uint64_t blob_offset = 16 + (num_docs + 1) * 8;
  blob_ = reinterpret_cast<const char*>(view.bytes(blob_offset, blob_bytes, "id bytes").data());
  if (offsets_.front() != 0 || offsets_.back() != blob_bytes) view.corrupt("id offsets do not span the id bytes");
}

std::optional<DocId> IdTable::find(std::string_view id) const {
  std::uint32_t lo = 0, hi = size();
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    if (this->id(mid) < id) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < size() && this->id(lo) == id) return lo;
  return std::nullopt;
}

void IdTable::verify() const {
  file_.verify();
  for (std::uint32_t d = 0; d < size(); ++d) {
    if (offsets_[d + 1] < offsets_[d]) fail(ErrorKind::corruption, "{}: id offsets decrease at document {}", file_.path(), d);
    if (offsets_[d + 1] == offsets_[d]) fail(ErrorKind::corruption, "{}: empty id at document {}", file_.path(), d);
    if (d > 0 && !(id(d - 1) < id(d))) {
      fail(ErrorKind::corruption, "{}: ids are not strictly increasing at document {}", file_.path(), d);
    }
  }
}

}  // namespace tandem::index
