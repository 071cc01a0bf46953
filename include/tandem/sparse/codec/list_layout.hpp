// The byte layout of one encoded posting list (docs/format.md, "Posting lists"), shared by the
// writer, the validator and the cursors. Reading here is unchecked: lists are trusted once written
// by this process or accepted by validate_posting_list.
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
/// One directory entry per block: u32 last document, u32 end of the block's bytes (from the first
/// block), then the block's summary. Interleaved so that a skip or a block-max lookup touches one
/// cache line.
inline constexpr std::uint32_t kDirectoryEntryBytes = 8 + kBlockSummaryBytes;
/// Blocks of this many postings are SIMD-BP128 packed; shorter (tail) blocks are bit streams.
inline constexpr std::uint32_t kFullBlock = kListBlockSize;

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

/// Where the parts of a list are, from its header.
struct ListLayout {
  std::uint32_t doc_freq = 0;
  DocId first_doc = 0;
  std::uint32_t num_blocks = 0;
  std::uint32_t frontier_size = 0;       // lists of >= 2 blocks (a single block is scored instead)
  const std::byte* frontier = nullptr;   // frontier_size x (varint freq, u8 norm)
  const std::byte* directory = nullptr;  // kDirectoryEntryBytes per block (lists of >= 2 blocks)
  const std::byte* blocks = nullptr;     // block 0 starts here

  /// Parses the header of the trusted list starting at `list`.
  static ListLayout parse(const std::byte* list) {
    ListLayout l;
    const std::byte* p = list;
    l.doc_freq = read_varint(p);
    l.first_doc = read_varint(p);
    l.num_blocks = num_blocks_of(l.doc_freq);
    if (l.num_blocks >= 2) {
      l.frontier_size = static_cast<std::uint32_t>(*p++);
      l.frontier = p;
      for (std::uint32_t i = 0; i < l.frontier_size; ++i) {
        read_varint(p);
        ++p;
      }
      l.directory = p;
      p += kDirectoryEntryBytes * std::size_t{l.num_blocks};
    }
    l.blocks = p;
    return l;
  }

  const std::byte* entry(std::uint32_t block) const {
    return directory + kDirectoryEntryBytes * std::size_t{block};
  }
  DocId last_doc(std::uint32_t block) const { return load_u32(entry(block)); }
  std::uint32_t block_end(std::uint32_t block) const { return load_u32(entry(block) + 4); }
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
  const std::byte* summary(std::uint32_t block) const { return entry(block) + 8; }
};

/// Bytes of a block's payload after its two width bytes: SIMD-BP128 for full blocks, bit streams
/// for tails.
constexpr std::size_t block_payload_bytes(std::uint32_t count, unsigned doc_bits,
                                          unsigned freq_bits) {
  return count == kFullBlock
             ? packed128_bytes(doc_bits) + packed128_bytes(freq_bits)
             : bit_stream_bytes(count, doc_bits) + bit_stream_bytes(count, freq_bits);
}

}  // namespace tandem::sparse::codec
