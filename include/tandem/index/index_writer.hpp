// Changes a published index without rebuilding it: add documents (a new segment), delete documents
// by external id (deletion files), merge segments (dropping deleted documents), and a size-tiered
// merge policy that runs after adds. docs/live.md says what a user sees; docs/format.md the files.
//
// Every operation holds the index's write lock for its whole duration, writes new immutable files,
// and then publishes a new manifest (temp, fsync, rename, fsync dir): the publish is the commit
// point. An operation that returned has been published durably; one that was interrupted (error,
// kill -9, power loss) left the previous manifest in force, and the next writer removes what it
// left behind. Readers keep reading the manifest they opened.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/index/index_builder.hpp"
#include "tandem/index/manifest.hpp"

namespace tandem::index {

/// Called at named points of a writer's work ("segment written", "deletes written", "merge field
/// written", "before publish", "published"), for tests that need to stretch the windows in which
/// a kill can land. Must not throw. Null: no calls.
using StepHook = std::function<void(std::string_view step)>;

/// The size-tiered merge policy (Lucene's TieredMergePolicy, simplified). A segment's size is its
/// live document count; its tier is floor(log_F(size / floor_docs)) with F = segments_per_tier,
/// and every segment under floor_docs is in one floor tier below tier 0. Whenever a tier holds F
/// segments, its F smallest are merged into one, which lands in a higher tier (from the floor tier:
/// possibly the floor tier again, until it reaches floor_docs). So an index of n documents keeps
/// O(F log_F n) segments and a document is rewritten about log_F(n / floor_docs) + 1 times. A
/// segment with more than max_deleted_fraction of its documents deleted is rewritten alone.
struct MergePolicy {
  std::size_t segments_per_tier = 10;
  std::uint64_t floor_docs = 1000;
  double max_deleted_fraction = 0.5;
};

/// Which segments (indexes into manifest.segments) the policy merges next; empty when none.
std::vector<std::size_t> next_policy_merge(const Manifest& manifest, const MergePolicy& policy);

struct MergeReport {
  std::uint64_t merges = 0;           // merged segments published
  std::uint64_t segments_merged = 0;  // input segments of those merges
  std::uint64_t documents = 0;        // live documents the merges rewrote
  std::uint64_t deleted_dropped = 0;  // deleted documents the merges dropped
  std::size_t segments_after = 0;
  std::uint64_t generation = 0;  // of the last published manifest
  double seconds = 0;
};

struct AddOptions {
  std::filesystem::path corpus;     // JSONL(.gz) file or directory, as for build_index; empty when
                                    // the sparse vectors are the corpus, or for a dense-only index
  std::filesystem::path index_dir;  // an existing index
  unsigned threads = 0;             // 0 = all hardware threads
  bool skip_bad = false;            // as BuildOptions::skip_bad
  std::size_t batch_bytes = 8 << 20;
  bool auto_merge = true;  // run the merge policy after publishing the new segment
  MergePolicy policy;
  StepHook hook;
  /// Learned-sparse vectors of the added documents (as BuildOptions::sparse). When the index
  /// already has a sparse field, its quantisation and scales are used as they are (their own
  /// settings are ignored), so that impacts mean the same weights in every segment.
  std::optional<SparseFieldOptions> sparse;
  /// Dense vectors of the added documents (as BuildOptions::dense_vectors / dense_ids): the index
  /// must have a dense field of the same dimension; its metric, graph and code settings apply.
  std::filesystem::path dense_vectors;
  std::filesystem::path dense_ids;
  /// Token vectors of the added documents (as BuildOptions::multivec / multivec_offsets): the
  /// index must have a multi-vector field of the same dimension; its encoding applies (int8: the
  /// new segment's own scales). Without them, the new segment's multi-vector file has no rows.
  std::filesystem::path multivec;
  std::filesystem::path multivec_offsets;
};

struct AddReport {
  BuildReport build;           // the new segment (documents == 0: nothing was published)
  std::uint64_t replaced = 0;  // older live documents with an id of the batch, now deleted
  MergeReport merge;           // what the policy merged afterwards
};

/// Adds the corpus's documents as one new segment. An id that is already live in the index is
/// replaced (Lucene's updateDocument): the old document is deleted in the same publish that adds
/// the new one, so no reader sees both or neither. Ids repeated inside the corpus are an error
/// (or, with skip_bad, the first occurrence wins), as in build_index. The documents are analysed
/// with the index's own settings. A document may lack a sparse or a dense vector or token vectors
/// (it is then not found through that field); a vector whose id is not an added document is an
/// error.
AddReport add_documents(const AddOptions& options, ProgressSink* progress = nullptr);

struct DeleteOptions {
  std::filesystem::path index_dir;
  std::vector<std::string> ids;  // external ids; ids not in the index are counted, not errors
  StepHook hook;
};

struct DeleteReport {
  std::uint64_t requested = 0;  // distinct ids asked for
  std::uint64_t deleted = 0;
  std::uint64_t not_found = 0;
  std::uint64_t generation = 0;  // of the manifest that holds the result
};

/// Deletes the live documents with these ids: writes a new deletion file for every segment that
/// holds one (or drops a segment left without live documents) and publishes.
DeleteReport delete_documents(const DeleteOptions& options);

struct MergeOptions {
  std::filesystem::path index_dir;
  std::size_t max_segments = 1;  // merge the smallest segments until at most this many remain
  unsigned threads = 0;
  StepHook hook;
};

/// Merges the smallest segments (by live documents) into one until at most max_segments remain,
/// then rewrites every remaining segment that has deletions: afterwards no segment has deleted
/// documents. A merged segment's text and sparse files are byte-identical to a fresh build of its
/// live documents (sparse: with the same quantisation settings); its dense vectors are copied
/// and its HNSW graph and codes rebuilt (byte-identical with a deterministic graph).
MergeReport merge_segments(const MergeOptions& options, ProgressSink* progress = nullptr);

}  // namespace tandem::index
