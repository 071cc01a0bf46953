// validate_posting_list: the bounds-checked reader for untrusted posting lists.
#include <algorithm>
#include <array>

#include "tandem/core/error.hpp"
#include "tandem/sparse/codec/bit_pack_128.hpp"
#include "tandem/sparse/codec/bit_stream.hpp"
#include "tandem/sparse/codec/list_layout.hpp"
#include "tandem/sparse/codec/score_frontier.hpp"
#include "tandem/sparse/posting_list.hpp"

namespace tandem::sparse {
namespace {

using codec::FreqNorm;

[[noreturn]] void corrupt(std::string_view what, std::size_t at) {
  fail(ErrorKind::corruption, "posting list is corrupt: {} (at byte {} of the list)", what, at);
}

class Reader {
 public:
  explicit Reader(std::span<const std::byte> bytes) : bytes_(bytes) {}
  std::size_t pos() const { return pos_; }
  std::size_t left() const { return bytes_.size() - pos_; }
  void need(std::size_t n, std::string_view what) const {
    if (left() < n) corrupt(what, pos_);
  }
  unsigned byte(std::string_view what) {
    need(1, what);
    return static_cast<unsigned>(bytes_[pos_++]);
  }
  std::uint32_t varint(std::string_view what) {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 35; shift += 7) {
      const unsigned b = byte(what);
      v |= std::uint64_t{b & 0x7Fu} << shift;
      if ((b & 0x80) == 0) {
        if (v > 0xFFFFFFFFu) corrupt(what, pos_);
        return static_cast<std::uint32_t>(v);
      }
    }
    corrupt(what, pos_);
  }
  void seek(std::size_t pos, std::string_view what) {
    if (pos > bytes_.size()) corrupt(what, pos_);
    pos_ = pos;
  }
  const std::byte* at(std::size_t pos) const { return bytes_.data() + pos; }

 private:
  std::span<const std::byte> bytes_;
  std::size_t pos_ = 0;
};

struct Validator {
  std::span<const std::byte> bytes;
  const PostingListCheck& check;
  Reader r{bytes};
  std::array<FreqNorm, codec::kListFrontierCap> list_frontier{};
  std::uint32_t list_frontier_size = 0;
  std::array<std::uint32_t, kBlockSize> docs{};
  std::array<std::uint32_t, kBlockSize> freqs{};
  std::uint64_t doc_limit = kEndDoc;  // every doc must be below this

  std::uint8_t norm_of(DocId doc) const {
    return check.doc_norms.empty() ? 0 : check.doc_norms[doc];
  }

  // Decodes one block at r.pos() (which must end by `limit`) into docs/freqs and checks its
  // postings.
  void block(std::uint32_t count, std::uint64_t base, std::size_t limit) {
    const std::size_t begin = r.pos();
    const unsigned doc_bits = r.byte("truncated block header");
    const unsigned freq_bits = r.byte("truncated block header");
    if (doc_bits > 32 || freq_bits > 32) corrupt("bit width over 32", begin);
    const std::size_t payload = codec::block_payload_bytes(count, doc_bits, freq_bits);
    if (limit - r.pos() < payload || r.left() < payload)
      corrupt("block payload runs past its end", begin);
    const std::byte* p = r.at(r.pos());
    if (count == codec::kFullBlock) {
      codec::unpack128(p, doc_bits, docs.data());
      codec::unpack128(p + codec::packed128_bytes(doc_bits), freq_bits, freqs.data());
    } else {
      codec::unpack_bits(p, count, doc_bits, docs.data());
      codec::unpack_bits(p + codec::bit_stream_bytes(count, doc_bits), count, freq_bits,
                         freqs.data());
    }
    r.seek(r.pos() + payload, "block payload");
    std::uint64_t prev = base;  // base + 1 is the smallest allowed first doc (base may be "-1")
    for (std::uint32_t j = 0; j < count; ++j) {
      const std::uint64_t doc = prev + 1 + docs[j];
      if (doc >= doc_limit) corrupt("document id out of range", begin);
      if (freqs[j] == 0xFFFFFFFFu) corrupt("frequency overflows", begin);
      docs[j] = static_cast<DocId>(doc);
      freqs[j] += 1;
      prev = doc;
    }
  }

  void check_list_bounds(std::uint32_t count, std::size_t at) const {
    if (check.doc_norms.empty()) return;
    for (std::uint32_t j = 0; j < count; ++j) {
      const FreqNorm p{freqs[j], norm_of(docs[j])};
      const bool covered =
          std::any_of(list_frontier.begin(), list_frontier.begin() + list_frontier_size,
                      [&](const FreqNorm& q) { return codec::dominates(q, p); });
      if (!covered) corrupt("the list's score frontier does not bound a posting", at);
    }
  }

  void check_block_bounds(std::uint32_t count, const std::byte* summary, std::size_t at) const {
    if (check.doc_norms.empty()) return;
    for (std::uint32_t j = 0; j < count; ++j) {
      const auto f = static_cast<float>(freqs[j]);
      const std::uint8_t n = norm_of(docs[j]);
      bool covered = false;
      for (std::uint32_t s = 0; s < codec::kBlockFrontierSlots && !covered; ++s) {
        const auto code = static_cast<std::uint8_t>(summary[2 * s]);
        const auto norm = static_cast<std::uint8_t>(summary[2 * s + 1]);
        covered = codec::freq_code_value(code) >= f && norm <= n;
      }
      if (!covered) corrupt("a block's score summary does not bound a posting", at);
    }
  }

  std::size_t run() {
    if (!check.doc_norms.empty() && check.num_docs != kEndDoc &&
        check.doc_norms.size() < check.num_docs) {
      fail(ErrorKind::invalid_argument, "validate_posting_list: {} norms for {} documents",
           check.doc_norms.size(), check.num_docs);
    }
    doc_limit = std::min<std::uint64_t>(check.num_docs, kEndDoc);
    if (!check.doc_norms.empty())
      doc_limit = std::min<std::uint64_t>(doc_limit, check.doc_norms.size());
    const std::uint32_t n = r.varint("truncated header");
    if (n == 0) corrupt("empty list", 0);
    const std::uint32_t first_doc = r.varint("truncated header");
    const std::uint32_t num_blocks = codec::num_blocks_of(n);
    if (num_blocks == 1) {
      block(n, std::uint64_t{first_doc} - 1, bytes.size());
      if (docs[0] != first_doc) corrupt("first document differs from the header", 0);
      return r.pos();
    }
    list_frontier_size = r.byte("truncated header");
    if (list_frontier_size == 0 || list_frontier_size > codec::kListFrontierCap) {
      corrupt("score frontier size out of range", r.pos());
    }
    for (std::uint32_t i = 0; i < list_frontier_size; ++i) {
      list_frontier[i].freq = r.varint("truncated score frontier");
      list_frontier[i].norm = static_cast<std::uint8_t>(r.byte("truncated score frontier"));
    }

    const std::size_t directory = r.pos();
    const std::uint64_t directory_bytes = std::uint64_t{num_blocks} * codec::kDirectoryEntryBytes;
    if (r.left() < directory_bytes) corrupt("truncated directory", r.pos());
    const std::byte* entries = r.at(directory);
    const std::size_t blocks = directory + static_cast<std::size_t>(directory_bytes);
    r.seek(blocks, "truncated directory");

    std::uint64_t base = std::uint64_t{first_doc} - 1;
    for (std::uint32_t b = 0; b < num_blocks; ++b) {
      const std::uint32_t count =
          b + 1 < num_blocks ? kBlockSize : n - kBlockSize * (num_blocks - 1);
      const std::uint64_t end =
          blocks + std::uint64_t{
                       codec::load_u32(entries + codec::kDirectoryEntryBytes * std::size_t{b} + 4)};
      if (end < r.pos() || end > bytes.size()) corrupt("block end out of range", r.pos());
      const std::size_t at = r.pos();
      block(count, base, static_cast<std::size_t>(end));
      if (r.pos() != end) corrupt("block size differs from the directory", at);
      if (b == 0 && docs[0] != first_doc) corrupt("first document differs from the header", at);
      if (docs[count - 1] !=
          codec::load_u32(entries + codec::kDirectoryEntryBytes * std::size_t{b})) {
        corrupt("block's last document differs from the directory", at);
      }
      check_list_bounds(count, at);
      check_block_bounds(count, entries + codec::kDirectoryEntryBytes * std::size_t{b} + 8, at);
      base = docs[count - 1];
    }
    return r.pos();
  }
};

}  // namespace

std::size_t validate_posting_list(std::span<const std::byte> bytes, const PostingListCheck& check) {
  return Validator{bytes, check}.run();
}

}  // namespace tandem::sparse
