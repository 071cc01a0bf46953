// validate_posting_list: the bounds-checked reader for untrusted posting lists.
#include <algorithm>
#include <array>
#include <utility>

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

// The low `bytes` bytes at p, little-endian.
std::uint32_t load_le(const std::byte* p, unsigned bytes) {
  std::uint32_t v = 0;
  for (unsigned i = 0; i < bytes; ++i) v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
  return v;
}

struct Validator {
  std::span<const std::byte> bytes;
  const PostingListSummary& summary;
  const PostingListCheck& check;
  Reader r{bytes};
  std::array<FreqNorm, codec::kListFrontierCap> list_frontier{};
  std::uint32_t list_frontier_size = 0;
  std::array<std::uint32_t, kBlockSize> docs{};
  std::array<std::uint32_t, kBlockSize> freqs{};
  std::uint64_t doc_limit = kEndDoc;  // every doc must be below this
  std::uint64_t total_freq = 0;       // sum of the frequencies decoded so far

  std::uint8_t norm_of(DocId doc) const {
    return check.doc_norms.empty() ? 0 : check.doc_norms[doc];
  }

  // Reads block b's width byte(s) at r.pos(): the one-byte form, or the wide form when (and only
  // when) the widths do not fit one byte.
  std::pair<unsigned, unsigned> widths(std::size_t begin) {
    const unsigned w = r.byte("truncated block header");
    if (w != codec::kWideWidths) {
      if ((w >> 5) > codec::kShortFreqBitsMax) corrupt("invalid block width byte", begin);
      return {w & 31u, w >> 5};
    }
    const unsigned doc_bits = r.byte("truncated block header");
    const unsigned freq_bits = r.byte("truncated block header");
    if (doc_bits > 32 || freq_bits > 32) corrupt("bit width over 32", begin);
    if (codec::short_widths(doc_bits, freq_bits)) corrupt("wide widths that fit a byte", begin);
    return {doc_bits, freq_bits};
  }

  // Decodes block b of `count` postings at r.pos() (which must end by `limit`) into docs/freqs and
  // checks its postings.
  void block(std::uint32_t b, std::uint32_t count, std::uint64_t base, std::size_t limit) {
    const std::size_t begin = r.pos();
    const auto [doc_bits, freq_bits] = widths(begin);
    const std::size_t payload = codec::block_payload_bytes(b, count, doc_bits, freq_bits);
    if (limit < r.pos() || limit - r.pos() < payload || r.left() < payload)
      corrupt("block payload runs past its end", begin);
    const std::byte* p = r.at(r.pos());
    if (count == codec::kFullBlock) {
      codec::unpack128(p, doc_bits, docs.data());
      codec::unpack128(p + codec::packed128_bytes(doc_bits), freq_bits, freqs.data());
    } else {
      const std::uint32_t stored = codec::stored_gaps(b, count);
      docs[0] = 0;  // a tail block 0 starts at first_doc = base + 1
      codec::unpack_bits(p, stored, doc_bits, docs.data() + (count - stored));
      codec::unpack_bits(p, count, freq_bits, freqs.data(), std::size_t{stored} * doc_bits);
    }
    r.seek(r.pos() + payload, "block payload");
    std::uint64_t prev = base;  // base + 1 is the smallest allowed first doc (base may be "-1")
    for (std::uint32_t j = 0; j < count; ++j) {
      const std::uint64_t doc = prev + 1 + docs[j];
      if (doc >= doc_limit) corrupt("document id out of range", begin);
      if (freqs[j] == 0xFFFFFFFFu) corrupt("frequency overflows", begin);
      docs[j] = static_cast<DocId>(doc);
      freqs[j] += 1;
      total_freq += freqs[j];
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

  void check_block_bounds(std::uint32_t count, const std::byte* summary_slots,
                          std::size_t at) const {
    if (check.doc_norms.empty()) return;
    for (std::uint32_t j = 0; j < count; ++j) {
      const auto f = static_cast<float>(freqs[j]);
      const std::uint8_t n = norm_of(docs[j]);
      bool covered = false;
      for (std::uint32_t s = 0; s < codec::kBlockFrontierSlots && !covered; ++s) {
        const auto code = static_cast<std::uint8_t>(summary_slots[2 * s]);
        const auto norm = static_cast<std::uint8_t>(summary_slots[2 * s + 1]);
        covered = codec::freq_code_value(code) >= f && norm <= n;
      }
      if (!covered) corrupt("a block's score summary does not bound a posting", at);
    }
  }

  void check_total(std::size_t at) const {
    if (total_freq != summary.total_freq)
      corrupt("frequencies do not sum to the dictionary's total_freq", at);
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
    const std::uint32_t n = summary.doc_freq;
    if (n == 0) corrupt("the dictionary's doc_freq is 0", 0);
    const std::uint32_t first_doc = r.varint("truncated header");
    if (first_doc >= doc_limit) corrupt("document id out of range", 0);
    if (n == 1) {  // nothing but the document; its frequency is total_freq
      if (summary.total_freq == 0 || summary.total_freq > 0xFFFFFFFFu)
        corrupt("the dictionary's total_freq is not a frequency", 0);
      return r.pos();
    }
    const std::uint32_t num_blocks = codec::num_blocks_of(n);
    if (num_blocks == 1) {
      block(0, n, std::uint64_t{first_doc} - 1, bytes.size());
      if (docs[0] != first_doc) corrupt("first document differs from the header", 0);
      check_total(0);
      return r.pos();
    }
    const std::size_t shape_at = r.pos();
    const unsigned shape_byte = r.byte("truncated header");
    if ((shape_byte & 0x80) != 0) corrupt("reserved bit set in the directory shape", shape_at);
    const codec::DirectoryShape shape =
        codec::DirectoryShape::unpack(static_cast<std::uint8_t>(shape_byte));
    list_frontier_size = shape.frontier_size;
    for (std::uint32_t i = 0; i < list_frontier_size; ++i) {
      list_frontier[i].freq = r.varint("truncated score frontier");
      list_frontier[i].norm = static_cast<std::uint8_t>(r.byte("truncated score frontier"));
    }

    const std::size_t directory = r.pos();
    const std::size_t entry_bytes = shape.entry_bytes();
    const std::uint64_t directory_bytes = std::uint64_t{num_blocks} * entry_bytes;
    if (r.left() < directory_bytes) corrupt("truncated directory", r.pos());
    const std::byte* entries = r.at(directory);
    const std::size_t blocks = directory + static_cast<std::size_t>(directory_bytes);
    r.seek(blocks, "truncated directory");

    std::uint64_t base = std::uint64_t{first_doc} - 1;
    for (std::uint32_t b = 0; b < num_blocks; ++b) {
      const std::byte* entry = entries + entry_bytes * b;
      const std::uint32_t count =
          b + 1 < num_blocks ? kBlockSize : n - kBlockSize * (num_blocks - 1);
      const std::uint64_t end =
          blocks + std::uint64_t{load_le(entry + shape.doc_bytes, shape.end_bytes)};
      if (end < r.pos() || end > bytes.size()) corrupt("block end out of range", r.pos());
      const std::size_t at = r.pos();
      block(b, count, base, static_cast<std::size_t>(end));
      if (r.pos() != end) corrupt("block size differs from the directory", at);
      if (b == 0 && docs[0] != first_doc) corrupt("first document differs from the header", at);
      if (docs[count - 1] != load_le(entry, shape.doc_bytes))
        corrupt("block's last document differs from the directory", at);
      check_list_bounds(count, at);
      check_block_bounds(count, entry + shape.doc_bytes + shape.end_bytes, at);
      base = docs[count - 1];
    }
    check_total(r.pos());
    return r.pos();
  }
};

}  // namespace

std::size_t validate_posting_list(std::span<const std::byte> bytes,
                                  const PostingListSummary& summary,
                                  const PostingListCheck& check) {
  return Validator{bytes, summary, check}.run();
}

}  // namespace tandem::sparse
