// The raw cursor over one encoded posting list: documents and frequencies, block by block.
#pragma once

#include <array>
#include <bit>
#include <cassert>
#include <cstdint>

#include <emmintrin.h>

#include "tandem/core/types.hpp"
#include "tandem/sparse/codec/bit_pack_128.hpp"
#include "tandem/sparse/codec/bit_stream.hpp"
#include "tandem/sparse/codec/list_layout.hpp"
#include "tandem/sparse/cursor/concepts.hpp"
#include "tandem/sparse/posting_list.hpp"

namespace tandem::sparse {

/// Walks one trusted posting list (see validate_posting_list for the trust model). Decodes one
/// block's documents when it enters the block and its frequencies only when freq() is first asked
/// for there, so postings that pruned algorithms skip cost nothing. next_geq() finds the target's
/// block in the directory of last documents (galloping, then binary search) without decoding the
/// blocks in between. Move-only; holds its decode buffers inline (about 1 KiB).
class PostingCursor {
 public:
  /// Opens the list starting at `list`, whose doc_freq and total_freq the term dictionary gives in
  /// `summary`, positioned on its first posting.
  PostingCursor(const std::byte* list, const PostingListSummary& summary)
      : layout_(codec::ListLayout::parse(list, summary.doc_freq, summary.total_freq)) {
    enter_block(0);
  }
  PostingCursor(PostingCursor&&) noexcept = default;
  PostingCursor& operator=(PostingCursor&&) noexcept = default;
  PostingCursor(const PostingCursor&) = delete;
  PostingCursor& operator=(const PostingCursor&) = delete;

  DocId docid() const { return docid_; }
  std::uint32_t size() const { return layout_.doc_freq; }

  void next() {
    if (++pos_ < count_) {
      docid_ = docs_[pos_];
      return;
    }
    if (block_ + 1 < layout_.num_blocks) {
      enter_block(block_ + 1);
    } else {
      set_end();
    }
  }

  void next_geq(DocId target) {
    if (target <= docid_) return;  // also at the end: docid_ == kEndDoc
    if (target > block_last_) {
      if (!skip_to_block(target)) return;
    }
    // docs_[count_ - 1] == block_last_ >= target: the scan stops inside the block. Four documents
    // per step (SSE2 has only a signed compare: both sides are biased by 2^31); the lanes below
    // target are a prefix of the four (documents are sorted), so the first other lane is the
    // answer, and lanes past count_ (stale, inside the padded buffer) are never reached. Equivalent
    // to `while (docs_[p] < target) ++p;`.
    const __m128i bias = _mm_set1_epi32(static_cast<int>(0x80000000u));
    const __m128i t = _mm_xor_si128(_mm_set1_epi32(static_cast<int>(target)), bias);
    std::uint32_t p = pos_;
    for (;; p += 4) {
      const __m128i v =
          _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(docs_.data() + p)), bias);
      const int below = _mm_movemask_ps(_mm_castsi128_ps(_mm_cmplt_epi32(v, t)));
      if (below != 0xF) {
        p += static_cast<std::uint32_t>(std::countr_one(static_cast<unsigned>(below)));
        break;
      }
    }
    pos_ = p;
    docid_ = docs_[p];
  }

  std::uint32_t freq() {
    assert(docid_ != kEndDoc);
    if (!freqs_ready_) decode_freqs();
    return freqs_[pos_];
  }

  /// The parsed header (directory, summaries, frontier) for the scored cursors.
  const codec::ListLayout& layout() const { return layout_; }
  /// The block the current posting is in (num_blocks() - 1 at the end).
  std::uint32_t block() const { return block_; }
  /// Postings of the current block, and the i-th of them (i < block_size()): direct access for
  /// scoring a whole block (a list's only block at open). Zero at the end.
  std::uint32_t block_size() const { return count_; }
  DocId doc_at(std::uint32_t i) const { return docs_[i]; }
  std::uint32_t freq_at(std::uint32_t i) {
    if (!freqs_ready_) decode_freqs();
    return freqs_[i];
  }

 private:
  void enter_block(std::uint32_t block) {
    block_ = block;
    count_ = layout_.block_count(block);
    pos_ = 0;
    if (layout_.doc_freq == 1) {  // the list is its document; the frequency is the dictionary's
      docs_[0] = docid_ = block_last_ = layout_.first_doc;
      freqs_[0] = layout_.single_freq;
      freqs_ready_ = true;
      return;
    }
    widths_ = codec::BlockWidths::read(layout_.block_begin(block));
    codec::decode_block_docs(block, count_, layout_.block_base(block), widths_, docs_.data());
    freqs_ready_ = false;
    docid_ = docs_[0];
    block_last_ = docs_[count_ - 1];
  }

  void decode_freqs() {
    codec::decode_block_freqs(block_, count_, widths_, freqs_.data());
    freqs_ready_ = true;
  }

  // Enters the first block after the current one whose last document is >= target; false (and at
  // the end) if there is none.
  bool skip_to_block(DocId target) {
    const std::uint32_t b = block_ + 1 < layout_.num_blocks ? layout_.find_block(block_ + 1, target)
                                                            : layout_.num_blocks;
    if (b >= layout_.num_blocks) {
      set_end();
      return false;
    }
    enter_block(b);
    return true;
  }

  void set_end() {
    block_ = layout_.num_blocks - 1;
    docid_ = kEndDoc;
    block_last_ = kEndDoc;
    count_ = 0;
    pos_ = 0;
  }

  // Hot state first (one cache line), then the header, then the decode buffers.
  DocId docid_ = kEndDoc;
  std::uint32_t pos_ = 0;
  std::uint32_t count_ = 0;
  DocId block_last_ = kEndDoc;  // last document of the current block
  std::uint32_t block_ = 0;
  bool freqs_ready_ = false;
  codec::BlockWidths widths_;  // of the current block
  codec::ListLayout layout_;
  // Padded by 4 for the four-wide scan in next_geq.
  alignas(16) std::array<std::uint32_t, codec::kListBlockSize + 4> docs_{};
  alignas(16) std::array<std::uint32_t, codec::kListBlockSize> freqs_{};
};
static_assert(FreqCursor<PostingCursor>);

}  // namespace tandem::sparse
