// Stored documents of a segment (file "store"): each document's source line, zstd-compressed in
// blocks, so a hit can show its document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tandem/core/types.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::index {

/// Writes documents in DocId order, packed into blocks of about `block_bytes` before compression.
/// Blocks are compressed on `threads` threads, 64 at a time, and written in order.
class DocStoreWriter {
 public:
  explicit DocStoreWriter(const std::filesystem::path& path, unsigned threads = 1,
                          int zstd_level = 3, std::size_t block_bytes = 32 << 10);
  ~DocStoreWriter();
  DocStoreWriter(const DocStoreWriter&) = delete;
  DocStoreWriter& operator=(const DocStoreWriter&) = delete;

  void add(std::string_view document);
  void commit();

 private:
  void close_block();    // the current block joins the pending ones
  void flush_pending();  // compresses the pending blocks and writes them
  struct BlockRef {
    std::uint64_t offset;
    std::uint32_t compressed_size;
    std::uint32_t first_doc;
  };
  struct PendingBlock {
    std::string raw;  // u32 count, u32 ends[count], documents
    std::uint32_t first_doc = 0;
    std::string compressed;
  };
  io::FileWriter file_;
  unsigned threads_;
  int level_;
  std::size_t block_bytes_;
  std::vector<std::uint32_t> ends_;  // of the documents in the current block
  std::string block_;
  std::uint32_t block_first_doc_ = 0;
  std::vector<PendingBlock> pending_;
  std::vector<BlockRef> blocks_;
  std::uint32_t num_docs_ = 0;
  std::vector<void*> contexts_;  // ZSTD_CCtx per thread
};

/// A memory-mapped document store. Layout: docs/format.md, "store". Thread-safe.
class DocStore {
 public:
  DocStore() = default;
  explicit DocStore(const std::filesystem::path& path);

  std::uint32_t size() const { return num_docs_; }
  /// The stored source of a document (decompresses its block).
  std::string get(DocId doc) const;

  /// The last block a get(doc, cache) decompressed; keep one per reader of consecutive documents.
  struct BlockCache {
    std::size_t block = SIZE_MAX;
    std::string raw;
  };
  /// The same, reusing `cache` when the document lies in the block it holds, so that reading
  /// documents in increasing order (a merge) decompresses each block once. The view lives until
  /// the cache changes.
  std::string_view get(DocId doc, BlockCache& cache) const;
  /// Checksum, and every block decompresses to the sizes its table says.
  void verify() const;

 private:
  struct BlockRef {
    std::uint64_t offset;
    std::uint32_t compressed_size;
    std::uint32_t first_doc;
  };
  std::string decompress_block(std::size_t block) const;
  io::CheckedFile file_;
  std::span<const BlockRef> blocks_ = {};
  std::uint32_t num_docs_ = 0;
};

}  // namespace tandem::index
