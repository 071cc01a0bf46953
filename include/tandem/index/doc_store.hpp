// Stored documents of a segment (file "store"): each document's source line, zstd-compressed in
// blocks, so a hit can show its document.
#pragma once

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
class DocStoreWriter {
 public:
  explicit DocStoreWriter(const std::filesystem::path& path, int zstd_level = 3, std::size_t block_bytes = 32 << 10);
  ~DocStoreWriter();
  DocStoreWriter(const DocStoreWriter&) = delete;
  DocStoreWriter& operator=(const DocStoreWriter&) = delete;

  void add(std::string_view document);
  void commit();

 private:
  void flush_block();
  struct BlockRef {
    std::uint64_t offset;
    std::uint32_t compressed_size;
    std::uint32_t first_doc;
  };
  io::FileWriter file_;
  int level_;
  std::size_t block_bytes_;
  std::vector<std::uint32_t> ends_;  // of the documents in the current block
  std::string block_;
  std::string compressed_;
  std::vector<BlockRef> blocks_;
  std::uint32_t num_docs_ = 0;
  void* context_ = nullptr;  // ZSTD_CCtx
};

/// A memory-mapped document store. Layout: docs/format.md, "store". Thread-safe.
class DocStore {
 public:
  DocStore() = default;
  explicit DocStore(const std::filesystem::path& path);

  std::uint32_t size() const { return num_docs_; }
  /// The stored source of a document (decompresses its block).
  std::string get(DocId doc) const;
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
