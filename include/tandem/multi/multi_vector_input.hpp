// Reading per-document token vectors: JSONL lines {"id": "...", "vectors": [[...], ...]} (plain or
// gzipped), or a .npy matrix of all tokens (rows = tokens, in document order) with an offsets
// file of "id<TAB>token count" lines, one per document, in the same order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::multi {

/// Token vectors of many documents: document i has ids[i] and tokens offsets[i]..offsets[i+1]-1,
/// each `dim` floats of `values` (row-major).
struct MultiVectorSet {
  std::size_t dim = 0;
  std::vector<std::string> ids;
  std::vector<std::uint64_t> offsets = {0};
  std::vector<float> values;
};

/// Parses one JSONL line and appends the document to `out`. The id is "id", "_id" or "docid" (a
/// string or an integer); "vectors" is a non-empty array of arrays of finite numbers, each of
/// out.dim numbers (out.dim == 0: the first row sets it). Throws Error(invalid_argument) with a
/// message prefixed by `where` naming the token row and what is wrong; on error `out` is left as
/// it was.
void parse_multi_vector_line(std::string_view line, std::string_view where, MultiVectorSet& out);

/// Reads a whole input: `path` ending in .npy takes `offsets_path` (required); anything else is
/// JSONL (.gz allowed). Errors name the file and line. Blank lines are skipped; an input without
/// documents is an error.
MultiVectorSet read_multi_vectors(const std::filesystem::path& path,
                                  const std::filesystem::path& offsets_path = {});

}  // namespace tandem::multi
