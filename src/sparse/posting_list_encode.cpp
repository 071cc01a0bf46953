// The posting-list writer: header, block directory, score summaries, packed blocks
// (docs/format.md, "Posting lists").
#include <algorithm>
#include <array>
#include <bit>

#include "tandem/core/error.hpp"
#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/codec/bit_pack_128.hpp"
#include "tandem/sparse/codec/bit_stream.hpp"
#include "tandem/sparse/codec/list_layout.hpp"
#include "tandem/sparse/codec/score_frontier.hpp"
#include "tandem/sparse/posting_list.hpp"

namespace tandem::sparse {
namespace {

using codec::FreqNorm;

void put_byte(std::vector<std::byte>& out, unsigned v) {
  out.push_back(static_cast<std::byte>(v));
}

void put_varint(std::vector<std::byte>& out, std::uint32_t v) {
  while (v >= 0x80) {
    put_byte(out, (v & 0x7F) | 0x80);
    v >>= 7;
  }
  put_byte(out, v);
}

// The low `bytes` bytes of v, little-endian.
void put_le(std::vector<std::byte>& out, std::uint32_t v, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) put_byte(out, (v >> (8 * i)) & 0xFF);
}

void check_input(const PostingListInput& in) {
  if (in.docs.empty())
    fail(ErrorKind::invalid_argument, "a posting list needs at least one document");
  if (in.freqs.size() != in.docs.size()) {
    fail(ErrorKind::invalid_argument, "a posting list has {} documents but {} frequencies",
         in.docs.size(), in.freqs.size());
  }
  if (in.docs.size() > 0xFFFFFFFFu)
    fail(ErrorKind::limit_exceeded, "a posting list is over 2^32 long");
  for (std::size_t i = 0; i < in.docs.size(); ++i) {
    if (in.docs[i] == kEndDoc) fail(ErrorKind::invalid_argument, "DocId {} is reserved", kEndDoc);
    if (i > 0 && in.docs[i] <= in.docs[i - 1]) {
      fail(ErrorKind::invalid_argument,
           "posting list documents are not strictly increasing at {} ({} after {})", i, in.docs[i],
           in.docs[i - 1]);
    }
    if (in.freqs[i] == 0)
      fail(ErrorKind::invalid_argument, "document {} has frequency 0", in.docs[i]);
    if (!in.doc_norms.empty() && in.docs[i] >= in.doc_norms.size()) {
      fail(ErrorKind::invalid_argument, "document {} has no norm (the segment has {})", in.docs[i],
           in.doc_norms.size());
    }
  }
}

struct Encoder {
  const PostingListInput& in;
  std::vector<std::byte>& out;
  std::vector<FreqNorm> pairs;
  double nominal_avgdl = 1;

  std::uint8_t norm(std::size_t i) const {
    return in.doc_norms.empty() ? 0 : in.doc_norms[in.docs[i]];
  }

  // Score frontier of postings [begin, end), coarsened to `cap` pairs.
  void frontier(std::size_t begin, std::size_t end, std::size_t cap) {
    pairs.clear();
    for (std::size_t i = begin; i < end; ++i) pairs.push_back(FreqNorm{in.freqs[i], norm(i)});
    codec::pareto_frontier(pairs);
    codec::coarsen_frontier(pairs, cap, nominal_avgdl);
  }

  // Appends block b, postings [begin, begin + count) after document `base`, to `dst`: the width
  // byte(s), then the stored doc gaps and freqs - 1 (codec::stored_gaps, block_payload_bytes).
  static void put_block(const PostingListInput& in, std::vector<std::byte>& dst, std::uint32_t b,
                        std::size_t begin, std::uint32_t count, DocId base) {
    std::array<std::uint32_t, kBlockSize> gaps{};
    std::array<std::uint32_t, kBlockSize> freqs{};
    std::uint32_t gap_or = 0;
    std::uint32_t freq_or = 0;
    DocId prev = base;
    for (std::uint32_t j = 0; j < count; ++j) {
      gaps[j] = in.docs[begin + j] - prev - 1;  // modular: base may be 2^32 - 1
      freqs[j] = in.freqs[begin + j] - 1;
      prev = in.docs[begin + j];
      gap_or |= gaps[j];
      freq_or |= freqs[j];
    }
    const auto doc_bits = static_cast<unsigned>(std::bit_width(gap_or));
    const auto freq_bits = static_cast<unsigned>(std::bit_width(freq_or));
    if (codec::short_widths(doc_bits, freq_bits)) {
      put_byte(dst, freq_bits << 5 | doc_bits);
    } else {
      put_byte(dst, codec::kWideWidths);
      put_byte(dst, doc_bits);
      put_byte(dst, freq_bits);
    }
    const std::size_t at = dst.size();
    dst.resize(at + codec::block_payload_bytes(b, count, doc_bits, freq_bits));  // zero-filled
    std::byte* p = dst.data() + at;
    if (count == codec::kFullBlock) {
      codec::pack128(gaps.data(), doc_bits, p);
      codec::pack128(freqs.data(), freq_bits, p + codec::packed128_bytes(doc_bits));
    } else {
      const std::uint32_t stored = codec::stored_gaps(b, count);  // a tail block 0 drops gap 0
      codec::pack_bits(gaps.data() + (count - stored), stored, doc_bits, p);
      codec::pack_bits(freqs.data(), count, freq_bits, p, std::size_t{stored} * doc_bits);
    }
  }

  void run() {
    const auto n = static_cast<std::uint32_t>(in.docs.size());
    const std::uint32_t num_blocks = codec::num_blocks_of(n);

    put_varint(out, in.docs[0]);
    if (n == 1) return;     // the frequency is the dictionary's total_freq
    if (num_blocks == 1) {  // no summary: a cursor scores the block to get the exact maximum
      put_block(in, out, 0, 0, n, in.docs[0] - 1);
      return;
    }

    double length_sum = 0;
    for (std::size_t i = 0; i < n; ++i) length_sum += lucene_norm_length(norm(i));
    nominal_avgdl = std::max(1.0, length_sum / n);

    // The blocks first, into their own buffer: the directory's field widths depend on their size.
    std::vector<std::byte> blocks;
    std::vector<std::uint32_t> ends(num_blocks);
    for (std::uint32_t b = 0; b < num_blocks; ++b) {
      const std::size_t begin = std::size_t{b} * kBlockSize;
      const std::uint32_t count =
          std::min<std::uint32_t>(kBlockSize, n - static_cast<std::uint32_t>(begin));
      const DocId base = b == 0 ? in.docs[0] - 1 : in.docs[begin - 1];
      put_block(in, blocks, b, begin, count, base);
      if (blocks.size() > 0xFFFFFFFFu)
        fail(ErrorKind::limit_exceeded, "a posting list is over 4 GiB");
      ends[b] = static_cast<std::uint32_t>(blocks.size());
    }

    frontier(0, n, codec::kListFrontierCap);
    codec::DirectoryShape shape;
    shape.frontier_size = static_cast<std::uint32_t>(pairs.size());
    shape.doc_bytes = codec::bytes_for(in.docs[n - 1]);
    shape.end_bytes = codec::bytes_for(ends[num_blocks - 1]);
    put_byte(out, shape.pack());
    for (const FreqNorm& p : pairs) {
      put_varint(out, p.freq);
      put_byte(out, p.norm);
    }
    for (std::uint32_t b = 0; b < num_blocks; ++b) {
      const std::size_t begin = std::size_t{b} * kBlockSize;
      const std::size_t last = std::min<std::size_t>(begin + kBlockSize, n) - 1;
      put_le(out, in.docs[last], shape.doc_bytes);
      put_le(out, ends[b], shape.end_bytes);
      frontier(begin, last + 1, codec::kBlockFrontierSlots);
      for (std::uint32_t s = 0; s < codec::kBlockFrontierSlots; ++s) {
        const FreqNorm& p = pairs[s < pairs.size() ? s : 0];
        put_byte(out, codec::freq_code_ceil(p.freq));
        put_byte(out, p.norm);
      }
    }
    out.insert(out.end(), blocks.begin(), blocks.end());
  }
};

}  // namespace

PostingListSummary encode_posting_list(const PostingListInput& in, std::vector<std::byte>& out) {
  check_input(in);
  Encoder{in, out, {}, 1}.run();
  PostingListSummary summary;
  summary.doc_freq = static_cast<std::uint32_t>(in.docs.size());
  for (std::uint32_t f : in.freqs) summary.total_freq += f;
  return summary;
}

}  // namespace tandem::sparse
