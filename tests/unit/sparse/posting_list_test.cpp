// Posting lists: encoding round trips through the cursors, skipping, sentinels, score summaries,
// encoder input checks and the validator.
#include "tandem/sparse/posting_list.hpp"

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "tandem/core/error.hpp"
#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/codec/list_layout.hpp"
#include "tandem/sparse/cursor/posting_cursor.hpp"
#include "tandem/sparse/cursor/scored_cursor.hpp"
#include "tandem/sparse/scorer/bm25_scorer.hpp"

#include "sparse_test_index.hpp"

namespace tandem::sparse {
namespace {

static_assert(FreqCursor<PostingCursor>);
static_assert(BlockMaxCursor<ScoredPostingCursor<Bm25LuceneScorer>>);
static_assert(BlockMaxCursor<ScoredPostingCursor<Bm25ExactScorer>>);

struct Shape {
  const char* name;
  test::RawPostings postings;
};

std::vector<std::byte> encode(const test::RawPostings& p,
                              std::span<const std::uint8_t> norms = {}) {
  std::vector<std::byte> out;
  const PostingListSummary s = encode_posting_list({p.docs, p.freqs, norms}, out);
  EXPECT_EQ(s.doc_freq, p.docs.size());
  std::uint64_t total = 0;
  for (auto f : p.freqs) total += f;
  EXPECT_EQ(s.total_freq, total);
  return out;
}

/// The term dictionary's numbers for p, which every reader of its list needs.
PostingListSummary summary_of(const test::RawPostings& p) {
  PostingListSummary s;
  s.doc_freq = static_cast<std::uint32_t>(p.docs.size());
  for (auto f : p.freqs) s.total_freq += f;
  return s;
}

test::RawPostings make(std::vector<DocId> docs, std::vector<std::uint32_t> freqs = {}) {
  if (freqs.empty()) freqs.assign(docs.size(), 1);
  return {std::move(docs), std::move(freqs)};
}

test::RawPostings random_postings(std::size_t n, std::uint32_t max_gap, std::uint32_t max_freq,
                                  std::mt19937& rng) {
  test::RawPostings p;
  std::uint64_t doc = rng() % (max_gap + 1);
  for (std::size_t i = 0; i < n && doc < kEndDoc; ++i) {
    p.docs.push_back(static_cast<DocId>(doc));
    p.freqs.push_back(1 + static_cast<std::uint32_t>(rng() % max_freq));
    doc += 1 + rng() % max_gap;
  }
  return p;
}

std::vector<Shape> shapes() {
  std::mt19937 rng(42);
  std::vector<Shape> s;
  s.push_back({"df1_doc0", make({0})});
  s.push_back({"df1_last_doc", make({kEndDoc - 1}, {7})});
  s.push_back({"df2", make({3, 1000000}, {1, 2})});
  s.push_back({"df3_huge_gaps", make({0, 0x7FFFFFFF, kEndDoc - 1}, {1, 0xFFFFFFFFu, 5})});
  s.push_back({"dense_127", random_postings(127, 1, 1, rng)});
  s.push_back({"dense_128", random_postings(128, 1, 1, rng)});
  s.push_back({"dense_129", random_postings(129, 1, 1, rng)});
  s.push_back({"exactly_two_blocks", random_postings(256, 50, 3, rng)});
  s.push_back({"tail_of_one", random_postings(257, 50, 3, rng)});
  s.push_back({"freq_one_only", random_postings(1000, 1000, 1, rng)});
  s.push_back({"large_freqs", random_postings(700, 10, 0xFFFFFFFFu, rng)});
  s.push_back({"huge_gaps", random_postings(300, 0x00FFFFFF, 100, rng)});
  s.push_back({"long_zipf_like", random_postings(20000, 8, 20, rng)});
  test::RawPostings from_big_first = random_postings(400, 2, 2, rng);
  for (auto& d : from_big_first.docs) d += 3000000000u;  // dense list starting at a large id
  s.push_back({"dense_from_large_id", from_big_first});
  return s;
}

void expect_full_walk(const test::RawPostings& p, const std::vector<std::byte>& bytes) {
  PostingCursor c(bytes.data(), summary_of(p));
  EXPECT_EQ(c.size(), p.docs.size());
  for (std::size_t i = 0; i < p.docs.size(); ++i) {
    ASSERT_EQ(c.docid(), p.docs[i]) << i;
    ASSERT_EQ(c.freq(), p.freqs[i]) << i;
    c.next();
  }
  EXPECT_EQ(c.docid(), kEndDoc);
  c.next();  // stays at the end
  EXPECT_EQ(c.docid(), kEndDoc);
  c.next_geq(5);
  EXPECT_EQ(c.docid(), kEndDoc);
}

TEST(PostingList, RoundTripsEveryShape) {
  for (const Shape& s : shapes()) {
    SCOPED_TRACE(s.name);
    const std::vector<std::byte> bytes = encode(s.postings);
    EXPECT_EQ(validate_posting_list(bytes, summary_of(s.postings)), bytes.size());
    expect_full_walk(s.postings, bytes);
  }
}

TEST(PostingList, NextGeqToEveryPositionAndBetween) {
  for (const Shape& s : shapes()) {
    SCOPED_TRACE(s.name);
    const auto& docs = s.postings.docs;
    const std::vector<std::byte> bytes = encode(s.postings);
    const std::size_t stride = docs.size() > 2000 ? 37 : 1;
    for (std::size_t i = 0; i < docs.size(); i += stride) {
      PostingCursor c(bytes.data(), summary_of(s.postings));
      c.next_geq(docs[i]);  // exactly a posting
      ASSERT_EQ(c.docid(), docs[i]);
      ASSERT_EQ(c.freq(), s.postings.freqs[i]);
      if (docs[i] > 0) {
        PostingCursor d(bytes.data(), summary_of(s.postings));
        d.next_geq(docs[i] - 1);  // just before a posting: the gap's end, or the previous posting
        ASSERT_EQ(d.docid(), *std::lower_bound(docs.begin(), docs.end(), docs[i] - 1));
      }
      c.next_geq(docs[i]);  // never moves backwards or stays beyond
      ASSERT_EQ(c.docid(), docs[i]);
      if (docs[i] > 0) {
        c.next_geq(docs[i] - 1);
        ASSERT_EQ(c.docid(), docs[i]);
      }
    }
    PostingCursor past(bytes.data(), summary_of(s.postings));
    if (docs.back() < kEndDoc - 1) {
      past.next_geq(docs.back() + 1);
      EXPECT_EQ(past.docid(), kEndDoc);
    }
    PostingCursor sentinel(bytes.data(), summary_of(s.postings));
    sentinel.next_geq(kEndDoc);
    EXPECT_EQ(sentinel.docid(), kEndDoc);
  }
}

TEST(PostingList, RandomSkipSequencesMatchLinearSearch) {
  std::mt19937 rng(9);
  for (const Shape& s : shapes()) {
    SCOPED_TRACE(s.name);
    const auto& docs = s.postings.docs;
    const std::vector<std::byte> bytes = encode(s.postings);
    for (int round = 0; round < 20; ++round) {
      PostingCursor c(bytes.data(), summary_of(s.postings));
      DocId target = 0;
      for (;;) {
        const std::uint64_t jump = rng() % (round % 2 ? 64 : (docs.back() / 8 + 2));
        if (target + jump >= kEndDoc) break;
        target = static_cast<DocId>(target + jump);
        c.next_geq(target);
        const auto it = std::lower_bound(docs.begin(), docs.end(), target);
        if (it == docs.end()) {
          ASSERT_EQ(c.docid(), kEndDoc);
          break;
        }
        ASSERT_EQ(c.docid(), *it);
        ASSERT_EQ(c.freq(), s.postings.freqs[static_cast<std::size_t>(it - docs.begin())]);
        target = c.docid();
        if (rng() % 3 == 0) {
          c.next();
          const auto nx = it + 1;
          ASSERT_EQ(c.docid(), nx == docs.end() ? kEndDoc : *nx);
          if (nx == docs.end()) break;
          target = c.docid();
        }
      }
    }
  }
}

TEST(PostingList, BoundsCoverEveryScore) {
  std::mt19937 rng(21);
  const std::uint32_t num_docs = 50000;
  std::vector<std::uint32_t> lengths(num_docs);
  for (auto& l : lengths) l = 1 + rng() % (rng() % 10 == 0 ? 3000 : 60);
  std::vector<std::uint8_t> norms(num_docs);
  for (std::uint32_t d = 0; d < num_docs; ++d) norms[d] = lucene_norm(lengths[d]);
  for (int round = 0; round < 12; ++round) {
    test::RawPostings p = random_postings(1 + rng() % 3000, 1 + rng() % 40, 1 + rng() % 50, rng);
    while (!p.docs.empty() && p.docs.back() >= num_docs) {
      p.docs.pop_back();
      p.freqs.pop_back();
    }
    if (p.docs.empty()) continue;
    const std::vector<std::byte> bytes = encode(p, norms);
    EXPECT_EQ(validate_posting_list(bytes, summary_of(p), {num_docs, norms}), bytes.size());
    for (LengthMode mode : {LengthMode::lucene, LengthMode::exact}) {
      const Bm25Model model({0.9f, 0.4f}, mode, num_docs, 30 * std::uint64_t{num_docs});
      const Bm25TermScorer ts =
          model.term_scorer(p.docs.size(), 1.0f + round % 3, DocLengths{norms, lengths});
      auto check = [&](auto scorer) {
        ScoredPostingCursor c(bytes.data(), summary_of(p), scorer, 0);
        Score list_max = 0;
        for (std::size_t i = 0; i < p.docs.size(); ++i) {
          ASSERT_EQ(c.docid(), p.docs[i]);
          c.next_geq_shallow(p.docs[i]);
          ASSERT_GE(c.block_max_docid(), p.docs[i]);
          const Score s = c.score();
          ASSERT_GE(c.block_max_score(), s) << i;
          ASSERT_LE(c.block_max_score(), c.max_score());
          list_max = std::max(list_max, s);
          c.next();
        }
        EXPECT_GE(c.max_score(), list_max);
        // Without coarsening the list bound is the maximum itself (lucene mode, <= 8 frontier
        // pairs).
        if (mode == LengthMode::lucene) {
          EXPECT_LE(c.max_score(), list_max * 1.5f);
        }
      };
      if (mode == LengthMode::lucene) {
        check(Bm25LuceneScorer(ts));
      } else {
        check(Bm25ExactScorer(ts));
      }
    }
  }
}

TEST(PostingList, ShallowWindowCoversRanges) {
  std::mt19937 rng(4);
  const test::RawPostings p = random_postings(1000, 30, 5, rng);
  const std::vector<std::byte> bytes = encode(p);
  std::vector<std::uint8_t> norms(p.docs.back() + 1, 3);
  const Bm25Model model({0.9f, 0.4f}, LengthMode::lucene, norms.size(), 10 * norms.size());
  ScoredPostingCursor c(bytes.data(), summary_of(p),
                        Bm25LuceneScorer(model.term_scorer(1000, 1, DocLengths{norms, {}})), 0);
  // Windows move forward only and end at block boundaries: doc 128 * i - 1 ends block i - 1.
  c.next_geq_shallow(p.docs[300]);
  EXPECT_EQ(c.block_max_docid(), p.docs[383]);
  c.next_geq_shallow(p.docs[10]);  // backwards: no move
  EXPECT_EQ(c.block_max_docid(), p.docs[383]);
  c.next_geq_shallow(p.docs[383] + 1);
  EXPECT_EQ(c.block_max_docid(), p.docs[511]);
  c.next_geq_shallow(p.docs[999]);
  EXPECT_EQ(c.block_max_docid(), kEndDoc - 1);  // the last block covers the rest
  c.next_geq_shallow(kEndDoc - 1);
  EXPECT_EQ(c.block_max_docid(), kEndDoc - 1);
  EXPECT_EQ(c.docid(), p.docs[0]);  // the posting never moved
}

TEST(PostingList, EncoderRejectsBadInput) {
  std::vector<std::byte> out;
  const std::vector<DocId> docs = {1, 5, 5};
  const std::vector<std::uint32_t> freqs = {1, 1, 1};
  const std::vector<std::uint32_t> zero = {1, 0};
  const std::vector<DocId> two = {1, 2};
  const std::vector<DocId> end = {kEndDoc};
  const std::vector<std::uint32_t> one = {1};
  const std::vector<std::uint8_t> norms = {0, 0};
  EXPECT_THROW(encode_posting_list({{}, {}, {}}, out), Error);
  EXPECT_THROW(encode_posting_list({docs, freqs, {}}, out), Error);  // not increasing
  EXPECT_THROW(encode_posting_list({two, freqs, {}}, out), Error);   // size mismatch
  EXPECT_THROW(encode_posting_list({two, zero, {}}, out), Error);    // freq 0
  EXPECT_THROW(encode_posting_list({end, one, {}}, out), Error);     // the sentinel
  EXPECT_THROW(encode_posting_list({two, std::vector<std::uint32_t>{1, 1}, norms}, out),
               Error);  // doc 2 has no norm
  EXPECT_TRUE(out.empty());
}

TEST(PostingList, SizesAreCompact) {
  // df = 1: nothing but the varint document; the frequency is the dictionary's total_freq.
  EXPECT_EQ(encode(make({5})).size(), 1u);
  EXPECT_EQ(encode(make({5}, {2})).size(), 1u);
  EXPECT_EQ(encode(make({300}, {9})).size(), 2u);
  // df = 2: varint 3, one width byte (doc_bits 20, freq_bits 1), then one bit stream: the second
  // gap (1000000 - 3 - 1, 20 bits; the first is implied by first_doc) and freqs - 1 (0, 1: 1 bit
  // each) = 22 bits in 3 bytes.
  EXPECT_EQ(encode(make({3, 1000000}, {1, 2})),
            (std::vector<std::byte>{std::byte{0x03}, std::byte{0x34}, std::byte{0x3C},
                                    std::byte{0x42}, std::byte{0x2F}}));
  // 128 consecutive docs with freq 1: all gaps and freqs - 1 are 0, so a 0-bit block: varint
  // 1000 (2 bytes) and the width byte.
  std::vector<DocId> dense(128);
  for (DocId i = 0; i < 128; ++i) dense[i] = 1000 + i;
  EXPECT_EQ(encode(make(dense)).size(), 2u + 1u);
  // 256 of them: header (varint 1000, shape byte, pair (1, 0) = 2 bytes), directory 2 x (2-byte
  // last_doc + 1-byte block_end + 8-byte summary), two 0-bit blocks of one width byte each.
  std::vector<DocId> dense2(256);
  for (DocId i = 0; i < 256; ++i) dense2[i] = 1000 + i;
  EXPECT_EQ(encode(make(dense2)).size(), 2u + 1u + 2u + 2u * 11u + 2u);
}

TEST(PostingList, WidthByteFormsRoundTrip) {
  // One width byte up to 31 doc bits and 6 frequency bits, three bytes beyond (byte 1 follows the
  // one-byte varint of doc 0).
  struct Case {
    test::RawPostings p;
    std::byte width;
  };
  const Case cases[] = {
      {make({0, 1, 2}, {1, 64, 3}), std::byte{6 << 5}},              // freq - 1 = 63: 6 bits
      {make({0, 1, 2}, {1, 65, 3}), std::byte{codec::kWideWidths}},  // 64: 7 bits
      {make({0, 0x80000000u, 0xFFFFFFF0u}, {1, 2, 3}), std::byte{2 << 5 | 31}},
      {make({0, 0x80000001u, 0xFFFFFFF0u}, {1, 2, 3}), std::byte{codec::kWideWidths}},  // 32 bits
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.p.docs[1]);
    const std::vector<std::byte> bytes = encode(c.p);
    EXPECT_EQ(validate_posting_list(bytes, summary_of(c.p)), bytes.size());
    expect_full_walk(c.p, bytes);
    EXPECT_EQ(bytes[1], c.width);
  }
}

TEST(Validate, RejectsEveryTruncationAndReportsCorruption) {
  std::mt19937 rng(8);
  for (const Shape& s : shapes()) {
    if (s.postings.docs.size() > 3000) continue;
    SCOPED_TRACE(s.name);
    const std::vector<std::byte> bytes = encode(s.postings);
    for (std::size_t n = 0; n < bytes.size(); n += 1 + n / 50) {
      // An exact-size copy: ASan catches any read past it.
      const std::vector<std::byte> cut(bytes.begin(),
                                       bytes.begin() + static_cast<std::ptrdiff_t>(n));
      try {
        validate_posting_list(cut, summary_of(s.postings));
        ADD_FAILURE() << "accepted a list cut to " << n << " of " << bytes.size() << " bytes";
      } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::corruption);
      }
    }
  }
}

TEST(Validate, RejectsOutOfRangeDocsAndWrongSummaries) {
  const test::RawPostings tiny = make({1, 7, 9}, {1, 4, 2});
  const std::vector<std::byte> tiny_bytes = encode(tiny);
  EXPECT_EQ(validate_posting_list(tiny_bytes, summary_of(tiny), {10, {}}), tiny_bytes.size());
  EXPECT_THROW(validate_posting_list(tiny_bytes, summary_of(tiny), {9, {}}),
               Error);  // doc 9 >= num_docs
  // The dictionary's numbers must agree with the list.
  EXPECT_THROW(validate_posting_list(tiny_bytes, {3, 8}), Error);  // total_freq is 7
  EXPECT_THROW(validate_posting_list(tiny_bytes, {2, 7}), Error);  // read as 2: total 3
  EXPECT_THROW(validate_posting_list(tiny_bytes, {0, 0}), Error);  // no postings
  EXPECT_THROW(validate_posting_list(tiny_bytes, {4, 7}), Error);  // truncated

  // 300 documents 0..299, freq 1 except doc 150 (freq 4).
  std::vector<DocId> docs(300);
  std::vector<std::uint32_t> freqs(300, 1);
  for (DocId d = 0; d < 300; ++d) docs[d] = d;
  freqs[150] = 4;
  const test::RawPostings p = make(docs, freqs);
  std::vector<std::uint8_t> norms(300, 5);
  // Encoded without norms (all 0), checked against real norms: every summary pair has norm 0, which
  // bounds any real norm.
  const std::vector<std::byte> without = encode(p);
  EXPECT_EQ(validate_posting_list(without, summary_of(p), {300, norms}), without.size());
  // Encoded with norms: fine until doc 150 turns out shorter than its summary says.
  const std::vector<std::byte> with_norms = encode(p, norms);
  EXPECT_EQ(validate_posting_list(with_norms, summary_of(p), {300, norms}), with_norms.size());
  norms[150] = 4;
  EXPECT_THROW(validate_posting_list(with_norms, summary_of(p), {300, norms}), Error);
  // A longer document than encoded is still bounded.
  norms[150] = 6;
  EXPECT_EQ(validate_posting_list(with_norms, summary_of(p), {300, norms}), with_norms.size());
  // Norms that do not cover num_docs are a caller error.
  EXPECT_THROW(validate_posting_list(with_norms, summary_of(p), {400, norms}), Error);
}

TEST(Validate, RejectsBadWidthsAndDirectories) {
  std::mt19937 rng(1);
  const test::RawPostings p = random_postings(300, 20, 3, rng);
  const PostingListSummary sum = summary_of(p);
  std::vector<std::byte> bytes = encode(p);
  const codec::ListLayout layout =
      codec::ListLayout::parse(bytes.data(), sum.doc_freq, sum.total_freq);
  ASSERT_EQ(layout.num_blocks, 3u);
  const auto shape_at = static_cast<std::size_t>(layout.frontier - bytes.data()) - 1;
  const auto blocks = static_cast<std::size_t>(layout.blocks - bytes.data());
  const auto directory = static_cast<std::size_t>(layout.directory - bytes.data());
  ASSERT_EQ(validate_posting_list(bytes, sum), bytes.size());
  auto rejects = [&](std::size_t at, std::initializer_list<unsigned> values) {
    std::vector<std::byte> bad = bytes;
    for (unsigned v : values) bad[at++] = static_cast<std::byte>(v);
    EXPECT_THROW(validate_posting_list(bad, sum), Error);
  };
  rejects(blocks, {0xE0});         // a one-byte form with 7 frequency bits
  rejects(blocks, {0xFF, 33, 0});  // a wide form over 32 bits
  rejects(blocks, {0xFF, 4, 1});   // a wide form that fits one byte
  rejects(shape_at, {static_cast<unsigned>(bytes[shape_at]) | 0x80});  // the reserved bit
  // A last-doc entry that disagrees with the block.
  rejects(directory, {static_cast<unsigned>(bytes[directory]) ^ 1});
  // A block end pointing far outside.
  const auto ends = directory + layout.doc_bytes;
  rejects(ends, {0xFF, 0xFF});
  // A claimed doc_freq of 2^32 - 1 with a tiny buffer: rejected without a huge allocation.
  const std::vector<std::byte> tiny = {std::byte{0}, std::byte{0}, std::byte{1}, std::byte{1},
                                       std::byte{0}};
  EXPECT_THROW(validate_posting_list(tiny, {0xFFFFFFFFu, 0xFFFFFFFFu}), Error);
  // One posting: the dictionary's total_freq is its frequency, so it must be one.
  const std::vector<std::byte> one = {std::byte{7}};
  EXPECT_EQ(validate_posting_list(one, {1, 0xFFFFFFFFu}), 1u);
  EXPECT_THROW(validate_posting_list(one, {1, 0}), Error);
  EXPECT_THROW(validate_posting_list(one, {1, 0x100000000u}), Error);
  EXPECT_THROW(validate_posting_list(one, {1, 1}, {7, {}}), Error);  // doc 7 >= num_docs
}

}  // namespace
}  // namespace tandem::sparse
