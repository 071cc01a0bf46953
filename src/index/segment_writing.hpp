// Pieces shared by the writers of index/ (build, add, delete, merge): names of new files, the
// guard of a segment folder not yet published, corpus-to-segment building, and clean-up.
// Internal to src/index.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/index/index_builder.hpp"
#include "tandem/index/manifest.hpp"
#include "tandem/io/vector_file.hpp"
#include "tandem/multi/multi_vector_input.hpp"

namespace tandem::index {

/// "seg-NNNNNN": the folder of a segment first published by manifest generation `generation`.
std::string segment_name_for(std::uint64_t generation);
/// "del-NNNNNN": a deletion file first published by manifest generation `generation`.
std::string deletes_name_for(std::uint64_t generation);

/// A segment folder being written: created empty (a leftover of a crashed writer with the same
/// generation is removed first) and removed on destruction unless keep() was called after the
/// manifest naming it was published.
class NewSegmentDir {
 public:
  explicit NewSegmentDir(std::filesystem::path dir);
  ~NewSegmentDir();
  NewSegmentDir(const NewSegmentDir&) = delete;
  NewSegmentDir& operator=(const NewSegmentDir&) = delete;
  const std::filesystem::path& path() const { return dir_; }
  void keep() { keep_ = true; }

 private:
  std::filesystem::path dir_;
  bool keep_ = false;
};

/// Reads, analyses and inverts the corpus `files` into the (empty) folder `segment_dir`: ids,
/// store, text fields, the learned-sparse field of `options.sparse` and the dense rows of
/// `vectors` (may be null; with no files, a dense-only segment whose ids are the vectors'),
/// fsync'd. Fills the counters of `report` (read_seconds counted from
/// `start`). Returns the segment's info without its name. Throws like build_index.
/// Dense settings the build resolves (e.g. PQ sub-quantizers) are written back to `settings`.
SegmentInfo build_segment(const BuildOptions& options, IndexSettings& settings,
                          const std::vector<std::filesystem::path>& files,
                          const std::filesystem::path& segment_dir, BuildReport& report,
                          std::chrono::steady_clock::time_point start, ProgressSink* progress,
                          io::VectorSet* vectors, const multi::MultiVectorSet* multivec = nullptr);

/// Removes what the manifest does not name: segment folders, deletion files inside named
/// segments other than the current one, and temp files (*.tmp-*, store spills) of crashed
/// writers. Call with the write lock held, after publishing (or at the start of a writer, to
/// recover). Readers that already mapped a removed file keep it alive (POSIX unlink semantics).
void remove_unreferenced(const std::filesystem::path& dir, const Manifest& manifest);

}  // namespace tandem::index
