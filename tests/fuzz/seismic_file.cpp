// Fuzz target: arbitrary bytes as the payload of a persisted approximate index (vector.seismic,
// docs/format.md). SeismicIndex::open must either reject them with tandem::Error or accept an
// index that is then safe to search: every query over in-range terms returns at most k hits, each
// a document below num_docs with a finite score, in result order. Any violation aborts.
//
// Input: the payload (the file envelope, header and footer, is added here with io::FileWriter).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <unistd.h>

#include "tandem/core/error.hpp"
#include "tandem/core/top_k.hpp"
#include "tandem/io/file_format.hpp"
#include "tandem/sparse/approx/seismic_index.hpp"

namespace {

using namespace tandem;
using namespace tandem::sparse::approx;

void require(bool ok) {
  if (!ok) std::abort();
}

std::filesystem::path scratch_path() {
  const std::filesystem::path shm = "/dev/shm";
  const auto dir = std::filesystem::exists(shm) ? shm : std::filesystem::temp_directory_path();
  return dir / ("tandem-fuzz-seismic-" + std::to_string(::getpid()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path path = scratch_path();
  {
    io::FileWriter out(path, io::FileKind::sparse_approx);
    out.write(data, size);
    out.commit();
  }
  SeismicIndex index;
  try {
    index = SeismicIndex::open(path);
  } catch (const Error&) {
    return 0;
  }
  if (index.num_terms() == 0 || index.num_docs() == 0) return 0;
  SeismicScratch scratch;
  for (const SeismicSearchParams params : {SeismicSearchParams{}, SeismicSearchParams::exact()}) {
    std::vector<SeismicQueryTerm> query;
    for (TermId t = 0; t < index.num_terms() && query.size() < 8; t += 1 + index.num_terms() / 8)
      query.push_back({t, 1.0f + static_cast<float>(t % 5)});
    TopK top(5);
    index.search(query, params, top, scratch);
    const auto hits = top.take_sorted();
    require(hits.size() <= 5);
    for (std::size_t i = 0; i < hits.size(); ++i) {
      require(hits[i].doc < index.num_docs());
      require(!std::isnan(hits[i].score));
      if (i > 0) require(hits[i - 1].score >= hits[i].score);
    }
  }
  return 0;
}
