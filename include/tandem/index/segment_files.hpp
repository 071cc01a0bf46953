// The files of a segment folder (docs/format.md, "Segments").
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace tandem::index::segment_files {

inline std::filesystem::path ids(const std::filesystem::path& seg) {
  return seg / "ids";
}
inline std::filesystem::path store(const std::filesystem::path& seg) {
  return seg / "store";
}
inline std::filesystem::path terms(const std::filesystem::path& seg, std::string_view field) {
  return seg / (std::string(field) + ".terms");
}
inline std::filesystem::path postings(const std::filesystem::path& seg, std::string_view field) {
  return seg / (std::string(field) + ".postings");
}
inline std::filesystem::path lengths(const std::filesystem::path& seg, std::string_view field) {
  return seg / (std::string(field) + ".lengths");
}
/// The multi-vector field's token vectors (multi/multi_vector_store.hpp).
inline std::filesystem::path multivec(const std::filesystem::path& seg) {
  return seg / "multivec";
}
/// The approximate index of the sparse field (index/sparse_approx.hpp), when one was built.
inline std::filesystem::path sparse_approx(const std::filesystem::path& seg) {
  return seg / "vector.seismic";
}

}  // namespace tandem::index::segment_files
