// The byte layout of one encoded posting list (docs/format.md, "Posting lists"), shared by the
// writer, the validator and the cursors. Reading here is unchecked: lists are trusted once written
// by this process or accepted by validate_posting_list.
//
// A list is decoded with the doc_freq the term dictionary stores for it (and, for a list of one
// posting, the total_freq, which is then its frequency): the dictionary keeps both for BM25 anyway,
// so the list does not repeat them. A list of one posting is nothing but its varint document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "tandem/core/types.hpp"
#include "tandem/sparse/codec/bit_pack_128.hpp"
#include "tandem/sparse/codec/bit_stream.hpp"

namespace tandem::sparse::codec {

/// Postings per block (the SIMD-BP128 block size).
inline constexpr std::uint32_t kListBlockSize = 128;
/// At most this many (freq, norm) pairs in a list's score frontier (header).
inline constexpr std::uint32_t kListFrontierCap = 8;
/// Every block summary holds exactly this many (freq code, norm) pairs (short frontiers repeat
/// their first pair).
inline constexpr std::uint32_t kBlockFrontierSlots = 4;
inline constexpr std::uint32_t kBlockSummaryBytes = 2 * kBlockFrontierSlots;
/// Blocks of this many postings are SIMD-BP128 packed; shorter (tail) blocks are bit streams.
inline constexpr std::uint32_t kFullBlock = kListBlockSize;
/// A block's widths fit one byte, (freq_bits << 5) | doc_bits, when doc_bits <= 31 and
/// freq_bits <= kShortFreqBitsMax; otherwise the byte is kWideWidths and two bytes (doc_bits,
/// freq_bits) follow.
inline constexpr unsigned kShortFreqBitsMax = 6;
inline constexpr std::uint8_t kWideWidths = 0xFF;

/// Whether a block's widths take the one-byte form (the writer always uses it when they do).
constexpr bool short_widths(unsigned doc_bits, unsigned freq_bits) {
  return doc_bits <= 31 && freq_bits <= kShortFreqBitsMax;
}

inline std::uint32_t load_u32(const std::byte* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);  // little-endian on every supported target
  return v;
}

inline void store_u32(std::byte* p, std::uint32_t v) {
  std::memcpy(p, &v, sizeof v);
}

/// LEB128: 7 bits per byte, low bits first, high bit set on every byte but the last.
inline std::uint32_t read_varint(const std::byte*& p) {
  std::uint32_t v = 0;
  for (unsigned shift = 0;; shift += 7) {
    const auto byte = static_cast<std::uint32_t>(*p++);
    v |= (byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return v;
  }
}

constexpr std::uint32_t num_blocks_of(std::uint32_t doc_freq) {
  return static_cast<std::uint32_t>((std::uint64_t{doc_freq} + kListBlockSize - 1) /
                                    kListBlockSize);
}

/// Bytes (1..4) that hold v.
constexpr unsigned bytes_for(std::uint32_t v) {
  return v < (1u << 8) ? 1 : v < (1u << 16) ? 2 : v < (1u << 24) ? 3 : 4;
}

/// The mask of the low `bytes` bytes of a u32.
constexpr std::uint32_t byte_mask(unsigned bytes) {
  return bytes >= 4 ? 0xFFFFFFFFu : (std::uint32_t{1} << (8 * bytes)) - 1;
}

/// The header byte of a list of >= 2 blocks: frontier size and the directory's field widths.
struct DirectoryShape {
  std::uint32_t frontier_size = 1;  // 1..kListFrontierCap
  unsigned doc_bytes = 4;           // bytes of each entry's last_doc (1..4)
  unsigned end_bytes = 4;           // bytes of each entry's block_end (1..4)

  std::uint8_t pack() const {
    return static_cast<std::uint8_t>((frontier_size - 1) | (doc_bytes - 1) << 3 |
                                     (end_bytes - 1) << 5);
  }
  /// Bit 7 is reserved (0).
  static DirectoryShape unpack(std::uint8_t b) {
    return {(b & 7u) + 1, ((b >> 3) & 3u) + 1, ((b >> 5) & 3u) + 1};
  }
  unsigned entry_bytes() const { return doc_bytes + end_bytes + kBlockSummaryBytes; }
};

/// A block's bit widths and where its packed payload starts.
struct BlockWidths {
  unsigned doc_bits = 0;
  unsigned freq_bits = 0;
  const std::byte* payload = nullptr;

  /// Reads the width byte(s) at `p` (trusted: a wide form has doc_bits, freq_bits <= 32).
  static BlockWidths read(const std::byte* p) {
    const auto w = static_cast<unsigned>(p[0]);
    if (w != kWideWidths) return {w & 31u, w >> 5, p + 1};
    return {static_cast<unsigned>(p[1]), static_cast<unsigned>(p[2]), p + 3};
  }
};

/// Where the parts of a list are, from its header and the dictionary's doc_freq and total_freq.
struct ListLayout {
  std::uint32_t doc_freq = 0;
  DocId first_doc = 0;
  std::uint32_t single_freq = 0;  // the frequency of a list of one posting (its total_freq)
  std::uint32_t num_blocks = 0;
  std::uint32_t frontier_size = 0;       // lists of >= 2 blocks (a single block is scored instead)
  const std::byte* frontier = nullptr;   // frontier_size x (varint freq, u8 norm)
  const std::byte* directory = nullptr;  // entry_bytes per block (lists of >= 2 blocks)
  const std::byte* blocks = nullptr;     // block 0 starts here (lists of >= 2 postings)
  std::uint32_t entry_bytes = 0;
  std::uint32_t doc_mask = 0;
  std::uint32_t end_mask = 0;
  unsigned doc_bytes = 0;

  /// Parses the header of the trusted list of `doc_freq` (>= 1) postings and `total_freq`
  /// occurrences starting at `list`.
  static ListLayout parse(const std::byte* list, std::uint32_t doc_freq, std::uint64_t total_freq) {
    ListLayout l;
    const std::byte* p = list;
    l.doc_freq = doc_freq;
    l.first_doc = read_varint(p);
    l.single_freq = doc_freq == 1 ? static_cast<std::uint32_t>(total_freq) : 0;
    l.num_blocks = num_blocks_of(doc_freq);
    if (l.num_blocks >= 2) {
      const DirectoryShape shape = DirectoryShape::unpack(static_cast<std::uint8_t>(*p++));
      l.frontier_size = shape.frontier_size;
      l.frontier = p;
      for (std::uint32_t i = 0; i < l.frontier_size; ++i) {
        read_varint(p);
        ++p;
      }
      l.directory = p;
      l.entry_bytes = shape.entry_bytes();
      l.doc_bytes = shape.doc_bytes;
      l.doc_mask = byte_mask(shape.doc_bytes);
      l.end_mask = byte_mask(shape.end_bytes);
      p += std::size_t{l.entry_bytes} * l.num_blocks;
    }
    l.blocks = p;
    return l;
  }

  // Directory fields are read as unaligned u32 loads masked to their width: an entry is at least
  // 10 bytes long, so no load leaves it.
  const std::byte* entry(std::uint32_t block) const {
    return directory + std::size_t{entry_bytes} * block;
  }
  DocId last_doc(std::uint32_t block) const { return load_u32(entry(block)) & doc_mask; }
  std::uint32_t block_end(std::uint32_t block) const {
    return load_u32(entry(block) + doc_bytes) & end_mask;
  }
  const std::byte* block_begin(std::uint32_t block) const {
    return block == 0 ? blocks : blocks + block_end(block - 1);
  }
  std::uint32_t block_count(std::uint32_t block) const {
    return block + 1 < num_blocks ? kListBlockSize : doc_freq - kListBlockSize * (num_blocks - 1);
  }
  /// The document before the block's first one (wraps to 2^32 - 1 for first_doc = 0).
  DocId block_base(std::uint32_t block) const {
    return block == 0 ? first_doc - 1 : last_doc(block - 1);
  }
  /// The first block in [from, num_blocks) whose last document is >= target, or num_blocks if none
  /// (lists of >= 2 blocks). Gallops from `from`, then binary-searches the last step: O(log
  /// distance).
  std::uint32_t find_block(std::uint32_t from, DocId target) const {
    const std::uint32_t n = num_blocks;
    if (from >= n) return n;
    std::uint32_t lo = from;
    std::uint32_t hi = from;
    for (std::uint32_t step = 1; last_doc(hi) < target; step *= 2) {
      if (hi == n - 1) return n;
      lo = hi + 1;
      hi = hi + step < n - 1 ? hi + step : n - 1;
    }
    while (lo < hi) {  // every block before lo ends below target; block hi does not
      const std::uint32_t mid = lo + (hi - lo) / 2;
      if (last_doc(mid) < target) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
  const std::byte* summary(std::uint32_t block) const {
    return entry(block) + (entry_bytes - kBlockSummaryBytes);
  }
};

/// Document gaps a block stores: all of them, except in a tail block 0, whose first document is
/// the header's first_doc (a full block 0 stores its first gap, always 0, to keep 128 values).
constexpr std::uint32_t stored_gaps(std::uint32_t block, std::uint32_t count) {
  return block == 0 && count < kFullBlock ? count - 1 : count;
}

/// Bytes of a block's payload after its width byte(s): SIMD-BP128 for full blocks, one bit
/// stream of the stored gaps then the frequencies for tails.
constexpr std::size_t block_payload_bytes(std::uint32_t block, std::uint32_t count,
                                          unsigned doc_bits, unsigned freq_bits) {
  return count == kFullBlock ? packed128_bytes(doc_bits) + packed128_bytes(freq_bits)
                             : (std::size_t{stored_gaps(block, count)} * doc_bits +
                                std::size_t{count} * freq_bits + 7) /
                                   8;
}

/// Decodes the documents of block `block` (count postings, widths w) into out[0..count).
inline void decode_block_docs(std::uint32_t block, std::uint32_t count, DocId base,
                              const BlockWidths& w, std::uint32_t* out) {
  if (count == kFullBlock) {
    unpack128_doc_gaps(w.payload, w.doc_bits, base, out);
    return;
  }
  const std::uint32_t gaps = stored_gaps(block, count);
  std::uint32_t* g = out + (count - gaps);  // tail block 0: out[0] is base + 1 = first_doc
  unpack_bits(w.payload, gaps, w.doc_bits, g);
  DocId doc = base;
  if (gaps != count) out[0] = doc = base + 1;
  for (std::uint32_t j = count - gaps; j < count; ++j) out[j] = doc = doc + out[j] + 1;
}

/// Decodes the frequencies of the same block into out[0..count).
inline void decode_block_freqs(std::uint32_t block, std::uint32_t count, const BlockWidths& w,
                               std::uint32_t* out) {
  if (count == kFullBlock) {
    unpack128_plus_one(w.payload + packed128_bytes(w.doc_bits), w.freq_bits, out);
    return;
  }
  unpack_bits(w.payload, count, w.freq_bits, out,
              std::size_t{stored_gaps(block, count)} * w.doc_bits);
  for (std::uint32_t j = 0; j < count; ++j) ++out[j];
}

}  // namespace tandem::sparse::codec
