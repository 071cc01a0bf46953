#include "tandem/index/sparse_approx.hpp"

#include <chrono>

#include "tandem/core/error.hpp"
#include "tandem/index/manifest.hpp"
#include "tandem/index/segment_files.hpp"
#include "tandem/index/write_lock.hpp"
#include "tandem/sparse/cursor/posting_cursor.hpp"

namespace tandem::index {

sparse::approx::ForwardVectors read_forward_vectors(const SparseFieldFiles& field,
                                                    std::uint32_t num_docs) {
  sparse::approx::ForwardVectors f;
  f.num_terms = static_cast<std::uint32_t>(field.terms.size());
  f.float_impacts = field.meta.quantization == ImpactQuantization::float32;
  f.doc_starts.assign(std::size_t{num_docs} + 1, 0);
  const std::byte* base = field.postings.payload().data();
  // Two passes over the lists: count per document, then place (terms ascending per document).
  field.terms.for_each([&](TermId, std::string_view, const TermEntry& e) {
    for (sparse::PostingCursor c(base + e.postings_offset, {e.doc_freq, e.total_freq});
         c.docid() != kEndDoc; c.next())
      ++f.doc_starts[c.docid() + 1];
  });
  for (std::size_t d = 0; d < num_docs; ++d) f.doc_starts[d + 1] += f.doc_starts[d];
  f.terms.resize(f.doc_starts.back());
  f.impacts.resize(f.doc_starts.back());
  std::vector<std::uint64_t> at(f.doc_starts.begin(), f.doc_starts.end() - 1);
  field.terms.for_each([&](TermId t, std::string_view, const TermEntry& e) {
    for (sparse::PostingCursor c(base + e.postings_offset, {e.doc_freq, e.total_freq});
         c.docid() != kEndDoc; c.next()) {
      const std::uint64_t p = at[c.docid()]++;
      f.terms[p] = t;
      f.impacts[p] = c.freq();
    }
  });
  return f;
}

SparseApproxReport write_sparse_approx(const std::filesystem::path& segment_dir,
                                       const SparseFieldFiles& field, std::uint32_t num_docs,
                                       const sparse::approx::SeismicBuildParams& params,
                                       ProgressSink* progress) {
  const auto start = std::chrono::steady_clock::now();
  const auto index =
      sparse::approx::SeismicIndex::build(read_forward_vectors(field, num_docs), params, progress);
  const auto path = segment_files::sparse_approx(segment_dir);
  index.write(path);
  SparseApproxReport r;
  r.build_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.blocks = index.num_blocks();
  r.postings = index.num_postings();
  r.summary_entries = index.num_summary_entries();
  r.bytes = std::filesystem::file_size(path);
  return r;
}

std::vector<SparseApproxReport> add_sparse_approx(const std::filesystem::path& index_dir,
                                                  const sparse::approx::SeismicBuildParams& params,
                                                  ProgressSink* progress) {
  const WriteLock lock(index_dir);
  const Manifest manifest = Manifest::read(index_dir);
  std::vector<SparseApproxReport> reports;
  for (const SegmentInfo& seg : manifest.segments) {
    const auto dir = index_dir / seg.name;
    const auto field = SparseFieldFiles::open(dir);
    if (!field) continue;
    reports.push_back(write_sparse_approx(dir, *field, seg.num_docs, params, progress));
  }
  if (reports.empty())
    fail(ErrorKind::not_found, "{}: no segment has a sparse field", index_dir.string());
  return reports;
}

}  // namespace tandem::index
