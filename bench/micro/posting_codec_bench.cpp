// Posting codecs: decode speed and bytes per posting, tandem's lists vs Stream VByte.
//
// What: every posting list of the synthetic 1M-document collection
// (bench/micro/synthetic_index.hpp, ~34M postings) decoded in full, documents and frequencies,
// block by block as a cursor does:
//  - tandem/blocks: the list format (SIMD-BP128 full blocks, bit-stream tails), decode kernels
//  only (list_layout.hpp's decode_block_docs / decode_block_freqs);
//  - tandem/cursor: the same through PostingCursor::next() and freq();
//  - streamvbyte/...: Debian's libstreamvbyte 0.4.1 on the same blocks of 128 (documents with
//    streamvbyte_delta_encode from the previous block's last document, frequencies with
//    streamvbyte_encode, or freq - 1 with streamvbyte_encode_0124, which spends no data byte on 0).
// Reported: postings/s (items_per_second; each posting is two integers) and bytes/posting:
// tandem's counts everything in a list (header, block directory, score summaries), Stream VByte's
// only its data streams (no directory, no summaries): a lower bound for a list format built on it.
// Env:  TANDEM_BENCH_CORPUS / TANDEM_BENCH_QUERIES: a real pre-tokenized collection instead (see
//       bench/micro/query_bench.cpp).
// Run:  cmake --preset bench && cmake --build build/bench -j2 --target bench_posting_codec_bench &&
//       build/bench/bench/bench_posting_codec_bench --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true
#include <cstdlib>
#include <vector>

#include <benchmark/benchmark.h>

#include "tandem/sparse/codec/list_layout.hpp"
#include "tandem/sparse/cursor/posting_cursor.hpp"

#include "synthetic_index.hpp"

#ifdef TANDEM_HAVE_STREAMVBYTE
#include <streamvbyte.h>
#include <streamvbytedelta.h>
#endif

namespace {

using namespace tandem;
using namespace tandem::sparse;

const bench::SyntheticIndex& collection() {
  static const bench::SyntheticIndex ix = [] {
    const char* corpus = std::getenv("TANDEM_BENCH_CORPUS");
    const char* queries = std::getenv("TANDEM_BENCH_QUERIES");
    if (corpus != nullptr && queries != nullptr)
      return bench::load_tokenized_index(corpus, queries);
    bench::SyntheticParams p;
    p.num_queries = 0;
    if (const char* n = std::getenv("TANDEM_BENCH_DOCS")) {
      p.num_docs = static_cast<std::uint32_t>(std::strtoul(n, nullptr, 10));
    }
    return bench::build_synthetic_index(p);
  }();
  return ix;
}

std::vector<std::uint32_t> nonempty_terms() {
  std::vector<std::uint32_t> t;
  for (std::uint32_t i = 0; i + 1 < collection().term_begin.size(); ++i) {
    if (collection().doc_freq(i) > 0) t.push_back(i);
  }
  return t;
}

void report(benchmark::State& state, std::uint64_t postings, double bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(postings));
  state.counters["bytes/posting"] = bytes / static_cast<double>(collection().docs.size());
}

void tandem_blocks(benchmark::State& state) {
  const auto& ix = collection();
  const std::vector<std::uint32_t> terms = nonempty_terms();
  alignas(16) std::uint32_t docs[128];
  alignas(16) std::uint32_t freqs[128];
  std::uint64_t postings = 0;
  for (auto _ : state) {
    for (std::uint32_t t : terms) {
      const PostingListSummary& sum = ix.summaries[t];
      const codec::ListLayout l = codec::ListLayout::parse(ix.postings.data() + ix.offsets[t],
                                                           sum.doc_freq, sum.total_freq);
      if (l.doc_freq == 1) {  // the list is its document; the frequency is the dictionary's
        docs[0] = l.first_doc;
        freqs[0] = l.single_freq;
        benchmark::DoNotOptimize(docs);
        benchmark::DoNotOptimize(freqs);
        ++postings;
        continue;
      }
      for (std::uint32_t b = 0; b < l.num_blocks; ++b) {
        const codec::BlockWidths w = codec::BlockWidths::read(l.block_begin(b));
        const std::uint32_t n = l.block_count(b);
        codec::decode_block_docs(b, n, l.block_base(b), w, docs);
        codec::decode_block_freqs(b, n, w, freqs);
        benchmark::DoNotOptimize(docs);
        benchmark::DoNotOptimize(freqs);
        postings += n;
      }
    }
  }
  report(state, postings, static_cast<double>(ix.postings.size()));
}
BENCHMARK(tandem_blocks)->Unit(benchmark::kMillisecond);

void tandem_cursor(benchmark::State& state) {
  const auto& ix = collection();
  const std::vector<std::uint32_t> terms = nonempty_terms();
  std::uint64_t postings = 0;
  for (auto _ : state) {
    std::uint64_t sum = 0;
    for (std::uint32_t t : terms) {
      PostingCursor c(ix.postings.data() + ix.offsets[t], ix.summaries[t]);
      for (; c.docid() != kEndDoc; c.next()) sum += c.docid() + c.freq();
      postings += c.size();
    }
    benchmark::DoNotOptimize(sum);
  }
  report(state, postings, static_cast<double>(ix.postings.size()));
}
BENCHMARK(tandem_cursor)->Unit(benchmark::kMillisecond);

#ifdef TANDEM_HAVE_STREAMVBYTE
// Every list as blocks of 128: [docs stream][freqs stream], with the block sizes kept aside.
struct SvbLists {
  std::vector<std::uint8_t> bytes;
  struct Block {
    std::uint64_t docs_at, freqs_at;
    std::uint32_t n, prev;
  };
  std::vector<Block> blocks;
};

SvbLists encode_svb(bool zero_free_freqs) {
  const auto& ix = collection();
  SvbLists out;
  std::vector<std::uint32_t> f(128);
  for (std::uint32_t t : nonempty_terms()) {
    const std::uint64_t begin = ix.term_begin[t];
    const std::uint32_t df = ix.doc_freq(t);
    std::uint32_t prev = 0;
    for (std::uint32_t i = 0; i < df; i += 128) {
      const std::uint32_t n = std::min(128u, df - i);
      SvbLists::Block b{out.bytes.size(), 0, n, prev};
      out.bytes.resize(out.bytes.size() + streamvbyte_max_compressedbytes(n));
      const std::size_t d = streamvbyte_delta_encode(ix.docs.data() + begin + i, n,
                                                     out.bytes.data() + b.docs_at, prev);
      out.bytes.resize(b.docs_at + d);
      b.freqs_at = out.bytes.size();
      for (std::uint32_t j = 0; j < n; ++j)
        f[j] = ix.freqs[begin + i + j] - (zero_free_freqs ? 1 : 0);
      out.bytes.resize(out.bytes.size() + streamvbyte_max_compressedbytes(n));
      const std::size_t fb =
          zero_free_freqs ? streamvbyte_encode_0124(f.data(), n, out.bytes.data() + b.freqs_at)
                          : streamvbyte_encode(f.data(), n, out.bytes.data() + b.freqs_at);
      out.bytes.resize(b.freqs_at + fb);
      out.blocks.push_back(b);
      prev = ix.docs[begin + i + n - 1];
    }
  }
  return out;
}

void streamvbyte_blocks(benchmark::State& state, bool zero_free_freqs) {
  const SvbLists svb = encode_svb(zero_free_freqs);
  alignas(16) std::uint32_t docs[128];
  alignas(16) std::uint32_t freqs[128];
  std::uint64_t postings = 0;
  for (auto _ : state) {
    for (const SvbLists::Block& b : svb.blocks) {
      streamvbyte_delta_decode(svb.bytes.data() + b.docs_at, docs, b.n, b.prev);
      if (zero_free_freqs) {
        streamvbyte_decode_0124(svb.bytes.data() + b.freqs_at, freqs, b.n);
        for (std::uint32_t j = 0; j < b.n; ++j) ++freqs[j];
      } else {
        streamvbyte_decode(svb.bytes.data() + b.freqs_at, freqs, b.n);
      }
      benchmark::DoNotOptimize(docs);
      benchmark::DoNotOptimize(freqs);
      postings += b.n;
    }
  }
  report(state, postings, static_cast<double>(svb.bytes.size()));
}
BENCHMARK_CAPTURE(streamvbyte_blocks, freqs, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(streamvbyte_blocks, freqs_minus_one_0124, true)->Unit(benchmark::kMillisecond);
#endif

}  // namespace
