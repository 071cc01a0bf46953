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

  // Appends block [begin, begin + count): two width bytes, then packed doc gaps and freqs - 1.
  void block(std::size_t begin, std::uint32_t count, DocId base) {
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
    put_byte(out, doc_bits);
    put_byte(out, freq_bits);
    const std::size_t at = out.size();
    out.resize(at + codec::block_payload_bytes(count, doc_bits, freq_bits));
    std::byte* p = out.data() + at;
    if (count == codec::kFullBlock) {
      codec::pack128(gaps.data(), doc_bits, p);
      codec::pack128(freqs.data(), freq_bits, p + codec::packed128_bytes(doc_bits));
    } else {
      codec::pack_bits(gaps.data(), count, doc_bits, p);
      codec::pack_bits(freqs.data(), count, freq_bits,
                       p + codec::bit_stream_bytes(count, doc_bits));
    }
  }

  void run() {
    const auto n = static_cast<std::uint32_t>(in.docs.size());
    const std::uint32_t num_blocks = codec::num_blocks_of(n);

    double length_sum = 0;
    for (std::size_t i = 0; i < n; ++i) length_sum += lucene_norm_length(norm(i));
    nominal_avgdl = std::max(1.0, length_sum / n);

    put_varint(out, n);
    put_varint(out, in.docs[0]);
    if (num_blocks == 1) {  // no summary: a cursor scores the block to get the exact maximum
      block(0, n, in.docs[0] - 1);
      return;
    }
    frontier(0, n, codec::kListFrontierCap);
    put_byte(out, static_cast<unsigned>(pairs.size()));
    for (const FreqNorm& p : pairs) {
      put_varint(out, p.freq);
      put_byte(out, p.norm);
    }

    const std::size_t directory = out.size();
    const std::size_t blocks = directory + codec::kDirectoryEntryBytes * std::size_t{num_blocks};
    out.resize(blocks, std::byte{0});
    for (std::uint32_t b = 0; b < num_blocks; ++b) {
      const std::size_t begin = std::size_t{b} * kBlockSize;
      const std::uint32_t count =
          std::min<std::uint32_t>(kBlockSize, n - static_cast<std::uint32_t>(begin));
      const DocId base = b == 0 ? in.docs[0] - 1 : in.docs[begin - 1];
      block(begin, count, base);
      if (out.size() - blocks > 0xFFFFFFFFu)
        fail(ErrorKind::limit_exceeded, "a posting list is over 4 GiB");
      std::byte* entry = out.data() + directory + codec::kDirectoryEntryBytes * std::size_t{b};
      codec::store_u32(entry, in.docs[begin + count - 1]);
      codec::store_u32(entry + 4, static_cast<std::uint32_t>(out.size() - blocks));

      frontier(begin, begin + count, codec::kBlockFrontierSlots);
      std::byte* slot = out.data() + directory + codec::kDirectoryEntryBytes * std::size_t{b} + 8;
      for (std::uint32_t s = 0; s < codec::kBlockFrontierSlots; ++s) {
        const FreqNorm& p = pairs[s < pairs.size() ? s : 0];
        slot[2 * s] = static_cast<std::byte>(codec::freq_code_ceil(p.freq));
        slot[2 * s + 1] = static_cast<std::byte>(p.norm);
      }
    }
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
