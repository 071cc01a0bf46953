// The approximate index on disk (docs/format.md, "Sparse approximate index"): the standard
// envelope (io/file_format.hpp) around a fixed header and the arrays of SeismicArrays, each at an
// 8-byte-aligned offset, memory-mapped at open.
#include <algorithm>
#include <bit>
#include <cmath>
#include <memory>

#include "tandem/core/error.hpp"
#include "tandem/io/byte_view.hpp"
#include "tandem/io/file_format.hpp"
#include "tandem/sparse/approx/seismic_index.hpp"

namespace tandem::sparse::approx {

namespace {

/// Layout version of the payload; a file with another one must be rebuilt.
constexpr std::uint32_t kSeismicLayoutVersion = 1;

struct SeismicFileHeader {
  std::uint32_t layout_version = kSeismicLayoutVersion;
  std::uint32_t num_terms = 0;
  std::uint32_t num_docs = 0;
  std::uint32_t flags = 0;  // bit 0: float impacts
  std::uint32_t n_postings = 0;
  float centroid_fraction = 0;
  float summary_energy = 0;
  std::uint32_t reserved = 0;
  std::uint64_t seed = 0;
  std::uint64_t forward_postings = 0;
  std::uint64_t blocks = 0;
  std::uint64_t block_postings = 0;
  std::uint64_t components = 0;
  std::uint64_t entries = 0;
};
static_assert(sizeof(SeismicFileHeader) == 80);

std::uint64_t align8(std::uint64_t x) {
  return (x + 7) / 8 * 8;
}

// A mapped file kept alive by the index.
struct MappedStorage {
  io::CheckedFile file;
};

template <typename T>
std::span<const T> take(const io::ByteView& view, std::uint64_t& off, std::uint64_t count,
                        const char* what) {
  const auto s = view.array<T>(off, count, what);
  off = align8(off + s.size_bytes());
  return s;
}

// Offsets arrays: start at 0, never decrease, end at `total`.
void check_offsets(const io::ByteView& view, std::span<const std::uint64_t> offsets,
                   std::uint64_t total, const char* what) {
  if (offsets.empty() || offsets.front() != 0 || offsets.back() != total)
    view.corrupt(fmt::format("{} do not run from 0 to {}", what, total));
  for (std::size_t i = 1; i < offsets.size(); ++i) {
    if (offsets[i] < offsets[i - 1]) view.corrupt(fmt::format("{} decrease at entry {}", what, i));
  }
}

// Every offset in range, every DocId/TermId/block number in range: what search relies on.
void check_structure(const io::ByteView& view, const SeismicArrays& a) {
  check_offsets(view, a.doc_starts, a.doc_terms.size(), "document offsets");
  check_offsets(view, a.list_blocks, a.block_steps.size(), "list block offsets");
  check_offsets(view, a.block_doc_starts, a.block_docs.size(), "block document offsets");
  check_offsets(view, a.list_components, a.component_terms.size(), "list component offsets");
  check_offsets(view, a.component_starts, a.entry_codes.size(), "component entry offsets");
  const auto max_of = [](auto span) {
    std::uint32_t m = 0;
    for (const auto v : span) m = std::max<std::uint32_t>(m, v);
    return m;
  };
  if (!a.doc_terms.empty() && max_of(a.doc_terms) >= a.num_terms)
    view.corrupt("a document component's term is out of range");
  if (a.float_impacts) {
    for (const std::uint32_t bits : a.doc_impacts) {
      const float v = std::bit_cast<float>(bits);
      if (!(v > 0) || !std::isfinite(v)) view.corrupt("a float impact is not positive and finite");
    }
  }
  if (!a.block_docs.empty() && max_of(a.block_docs) >= a.num_docs)
    view.corrupt("a block's document is out of range");
  if (!a.component_terms.empty() && max_of(a.component_terms) >= a.num_terms)
    view.corrupt("a summary component's term is out of range");
  for (std::uint32_t t = 0; t < a.num_terms; ++t) {
    const std::uint64_t nb = a.list_blocks[t + 1] - a.list_blocks[t];
    if (nb > kMaxBlocksPerList) view.corrupt(fmt::format("list {} has {} blocks", t, nb));
    const std::uint64_t e0 = a.component_starts[a.list_components[t]];
    const std::uint64_t e1 = a.component_starts[a.list_components[t + 1]];
    for (std::uint64_t e = e0; e < e1; ++e) {
      if (a.entry_blocks[e] >= nb)
        view.corrupt(fmt::format("a summary entry of list {} names block {} of {}", t,
                                 a.entry_blocks[e], nb));
    }
  }
}

}  // namespace

void SeismicIndex::write(const std::filesystem::path& path) const {
  SeismicFileHeader h;
  h.num_terms = a_.num_terms;
  h.num_docs = a_.num_docs;
  h.flags = a_.float_impacts ? 1u : 0u;
  h.n_postings = params_.n_postings;
  h.centroid_fraction = params_.centroid_fraction;
  h.summary_energy = params_.summary_energy;
  h.seed = params_.seed;
  h.forward_postings = a_.doc_terms.size();
  h.blocks = a_.block_steps.size();
  h.block_postings = a_.block_docs.size();
  h.components = a_.component_terms.size();
  h.entries = a_.entry_codes.size();
  io::FileWriter out(path, io::FileKind::sparse_approx);
  out.write_pod(h);
  const auto put = [&](auto span) {
    out.write_array(span);
    out.align(8);
  };
  put(a_.doc_starts);
  put(a_.doc_terms);
  put(a_.doc_impacts);
  put(a_.list_blocks);
  put(a_.block_doc_starts);
  put(a_.block_steps);
  put(a_.block_docs);
  put(a_.list_components);
  put(a_.component_terms);
  put(a_.component_starts);
  put(a_.entry_blocks);
  put(a_.entry_codes);
  out.commit();
}

SeismicIndex SeismicIndex::open(const std::filesystem::path& path, std::uint32_t num_docs,
                                std::uint32_t num_terms) {
  auto storage = std::make_shared<MappedStorage>();
  storage->file = io::CheckedFile(path, io::FileKind::sparse_approx);
  const io::ByteView view(storage->file.payload(), storage->file.path());
  const auto h = view.read<SeismicFileHeader>(0, "header");
  if (h.layout_version != kSeismicLayoutVersion) {
    fail(ErrorKind::unsupported,
         "{}: approximate index layout version {}, this build reads version {}: rebuild it "
         "(tandem index --sparse-approx)",
         path.string(), h.layout_version, kSeismicLayoutVersion);
  }
  if ((num_docs != 0 && h.num_docs != num_docs) || (num_terms != 0 && h.num_terms != num_terms)) {
    view.corrupt(
        fmt::format("built for {} documents and {} terms, the segment's sparse field has {} and {}",
                    h.num_docs, h.num_terms, num_docs, num_terms));
  }
  if (h.flags > 1) view.corrupt("unknown flags");
  SeismicArrays a;
  a.num_terms = h.num_terms;
  a.num_docs = h.num_docs;
  a.float_impacts = (h.flags & 1u) != 0;
  std::uint64_t off = sizeof(SeismicFileHeader);
  a.doc_starts = take<std::uint64_t>(view, off, std::uint64_t{h.num_docs} + 1, "document offsets");
  a.doc_terms = take<TermId>(view, off, h.forward_postings, "document terms");
  a.doc_impacts = take<std::uint32_t>(view, off, h.forward_postings, "document impacts");
  a.list_blocks = take<std::uint64_t>(view, off, std::uint64_t{h.num_terms} + 1, "list blocks");
  a.block_doc_starts = take<std::uint64_t>(view, off, h.blocks + 1, "block document offsets");
  a.block_steps = take<float>(view, off, h.blocks, "block steps");
  a.block_docs = take<DocId>(view, off, h.block_postings, "block documents");
  a.list_components =
      take<std::uint64_t>(view, off, std::uint64_t{h.num_terms} + 1, "list components");
  a.component_terms = take<TermId>(view, off, h.components, "component terms");
  a.component_starts = take<std::uint64_t>(view, off, h.components + 1, "component offsets");
  a.entry_blocks = take<std::uint16_t>(view, off, h.entries, "entry blocks");
  a.entry_codes = take<std::uint8_t>(view, off, h.entries, "entry codes");
  if (off != view.size())
    view.corrupt(fmt::format("{} bytes of payload, the arrays take {}", view.size(), off));
  check_structure(view, a);
  SeismicIndex index;
  index.a_ = a;
  index.params_.n_postings = h.n_postings;
  index.params_.centroid_fraction = h.centroid_fraction;
  index.params_.summary_energy = h.summary_energy;
  index.params_.seed = h.seed;
  index.storage_ = std::move(storage);
  index.mapped_ = true;
  return index;
}

SeismicFileSummary SeismicIndex::describe(const std::filesystem::path& path) {
  const io::CheckedFile file(path, io::FileKind::sparse_approx);
  const io::ByteView view(file.payload(), file.path());
  const auto h = view.read<SeismicFileHeader>(0, "header");
  SeismicFileSummary s;
  s.layout_version = h.layout_version;
  s.num_docs = h.num_docs;
  s.num_terms = h.num_terms;
  s.params.n_postings = h.n_postings;
  s.params.centroid_fraction = h.centroid_fraction;
  s.params.summary_energy = h.summary_energy;
  s.params.seed = h.seed;
  s.forward_postings = h.forward_postings;
  s.blocks = h.blocks;
  s.block_postings = h.block_postings;
  s.summary_entries = h.entries;
  s.bytes = std::filesystem::file_size(path);
  return s;
}

void SeismicIndex::verify(const std::filesystem::path& path, std::uint32_t num_docs,
                          std::uint32_t num_terms) {
  io::CheckedFile(path, io::FileKind::sparse_approx).verify();
  const SeismicIndex index = open(path, num_docs, num_terms);
  const SeismicArrays& a = index.a_;
  const auto corrupt = [&](const std::string& what) {
    fail(ErrorKind::corruption, "{}: {}", path.string(), what);
  };
  for (std::uint32_t d = 0; d < a.num_docs; ++d) {
    for (std::uint64_t p = a.doc_starts[d] + 1; p < a.doc_starts[d + 1]; ++p) {
      if (a.doc_terms[p] <= a.doc_terms[p - 1])
        corrupt(fmt::format("document {}: terms not increasing", d));
    }
  }
  for (std::uint32_t t = 0; t < a.num_terms; ++t) {
    for (std::uint64_t c = a.list_components[t] + 1; c < a.list_components[t + 1]; ++c) {
      if (a.component_terms[c] <= a.component_terms[c - 1])
        corrupt(fmt::format("list {}: summary components not increasing", t));
    }
    // Every document of a list's blocks holds the list's term.
    for (std::uint64_t b = a.list_blocks[t]; b < a.list_blocks[t + 1]; ++b) {
      for (std::uint64_t i = a.block_doc_starts[b]; i < a.block_doc_starts[b + 1]; ++i) {
        const DocId d = a.block_docs[i];
        const auto begin = a.doc_terms.begin() + static_cast<std::ptrdiff_t>(a.doc_starts[d]);
        const auto end = a.doc_terms.begin() + static_cast<std::ptrdiff_t>(a.doc_starts[d + 1]);
        if (!std::binary_search(begin, end, t))
          corrupt(
              fmt::format("block {} of list {} holds document {}, which lacks the term", b, t, d));
      }
    }
  }
  for (const float step : a.block_steps) {
    if (!(step > 0) || !std::isfinite(step)) corrupt("a block's summary step is not positive");
  }
}

}  // namespace tandem::sparse::approx
