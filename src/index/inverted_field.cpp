#include "tandem/index/inverted_field.hpp"

#include <algorithm>

#include "tandem/core/parallel.hpp"
#include "tandem/index/segment_files.hpp"
#include "tandem/index/term_dictionary.hpp"
#include "tandem/io/file_format.hpp"
#include "tandem/sparse/bm25.hpp"
#include "tandem/sparse/posting_list.hpp"

namespace tandem::index {

namespace {

// Terms are encoded in chunks, each into its own buffer with every list aligned relative to the
// chunk start; chunks are written at aligned file offsets, so every list is aligned in the file.
struct EncodedChunk {
  std::vector<std::byte> bytes;
  std::vector<std::uint64_t> list_offsets;  // relative to the chunk
  std::vector<sparse::PostingListSummary> summaries;
};

void pad_to(std::vector<std::byte>& out, std::size_t alignment) {
  out.resize((out.size() + alignment - 1) / alignment * alignment, std::byte{0});
}

}  // namespace

SegmentFieldInfo write_inverted_field(const std::filesystem::path& segment_dir,
                                      std::string_view field, const InvertedField& inv,
                                      unsigned threads, ProgressSink* progress) {
  const std::size_t num_terms = inv.num_terms();
  std::vector<std::uint8_t> norms(inv.lengths.size());
  for (std::size_t d = 0; d < norms.size(); ++d) norms[d] = sparse::lucene_norm(inv.lengths[d]);

  // Chunks of about 2^16 postings keep the threads busy and the buffers small.
  std::vector<std::size_t> chunk_starts{0};
  std::uint64_t acc = 0;
  for (std::size_t t = 0; t < num_terms; ++t) {
    acc += inv.list_starts[t + 1] - inv.list_starts[t];
    if (acc >= (1u << 16)) {
      chunk_starts.push_back(t + 1);
      acc = 0;
    }
  }
  if (chunk_starts.back() != num_terms) chunk_starts.push_back(num_terms);
  const std::size_t num_chunks = chunk_starts.size() - 1;

  io::FileWriter postings(segment_files::postings(segment_dir, field), io::FileKind::postings);
  std::vector<TermEntry> entries(num_terms);
  SegmentFieldInfo info;
  info.stats = {};
  info.num_terms = num_terms;
  info.num_postings = inv.docs.size();

  // Waves of chunks bound the memory held by encoded buffers.
  const std::size_t wave = std::max<std::size_t>(64, 16 * std::size_t{threads});
  std::vector<EncodedChunk> encoded;
  std::size_t terms_done = 0;
  for (std::size_t first = 0; first < num_chunks; first += wave) {
    const std::size_t count = std::min(wave, num_chunks - first);
    encoded.assign(count, {});
    parallel_for(count, threads, [&](std::size_t i, unsigned) {
      EncodedChunk& chunk = encoded[i];
      for (std::size_t t = chunk_starts[first + i]; t < chunk_starts[first + i + 1]; ++t) {
        pad_to(chunk.bytes, sparse::kPostingListAlignment);
        chunk.list_offsets.push_back(chunk.bytes.size());
        const std::size_t b = inv.list_starts[t], e = inv.list_starts[t + 1];
        const sparse::PostingListInput in{std::span(inv.docs).subspan(b, e - b),
                                          std::span(inv.freqs).subspan(b, e - b), norms};
        chunk.summaries.push_back(sparse::encode_posting_list(in, chunk.bytes));
      }
    });
    for (std::size_t i = 0; i < count; ++i) {
      postings.align(sparse::kPostingListAlignment);
      const std::uint64_t base = postings.payload_offset();
      const EncodedChunk& chunk = encoded[i];
      const std::size_t t0 = chunk_starts[first + i];
      for (std::size_t j = 0; j < chunk.list_offsets.size(); ++j) {
        entries[t0 + j] = TermEntry{base + chunk.list_offsets[j], chunk.summaries[j].total_freq,
                                    chunk.summaries[j].doc_freq};
      }
      postings.write(chunk.bytes.data(), chunk.bytes.size());
      terms_done = chunk_starts[first + i + 1];
    }
    if (progress != nullptr) progress->update("writing postings", terms_done, num_terms);
  }
  info.postings_bytes = postings.payload_offset();
  postings.commit();
  if (progress != nullptr) progress->finish("writing postings");

  write_term_dictionary(segment_files::terms(segment_dir, field), inv.term_bytes, inv.term_starts,
                        entries);
  info.stats = write_doc_lengths(segment_files::lengths(segment_dir, field), inv.lengths);
  return info;
}

}  // namespace tandem::index
