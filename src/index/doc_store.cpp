#include "tandem/index/doc_store.hpp"

#include <algorithm>
#include <cstring>

#include <zstd.h>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::index {

// Payload: compressed blocks back to back, then the block table (BlockRef per block), then
// u64 num_docs, u64 num_blocks, u64 table_offset. A decompressed block is u32 count,
// u32 ends[count] (end offsets of the documents after the ends array), document bytes.

DocStoreWriter::DocStoreWriter(const std::filesystem::path& path, unsigned threads, int zstd_level,
                               std::size_t block_bytes)
    : file_(path, io::FileKind::doc_store),
      threads_(std::max(1u, threads)),
      level_(zstd_level),
      block_bytes_(block_bytes) {
  for (unsigned t = 0; t < threads_; ++t) {
    contexts_.push_back(ZSTD_createCCtx());
    if (contexts_.back() == nullptr)
      fail(ErrorKind::io, "cannot create a zstd compression context");
  }
}

DocStoreWriter::~DocStoreWriter() {
  for (void* c : contexts_) ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(c));
}

void DocStoreWriter::add(std::string_view document) {
  if (document.size() > (1u << 30)) {
    fail(ErrorKind::limit_exceeded, "a stored document is larger than 1 GiB");
  }
  block_.append(document);
  ends_.push_back(static_cast<std::uint32_t>(block_.size()));
  ++num_docs_;
  if (block_.size() >= block_bytes_) close_block();
}

void DocStoreWriter::close_block() {
  if (ends_.empty()) return;
  PendingBlock b;
  b.raw.resize(4 + ends_.size() * 4);
  const auto count = static_cast<std::uint32_t>(ends_.size());
  std::memcpy(b.raw.data(), &count, 4);
  std::memcpy(b.raw.data() + 4, ends_.data(), ends_.size() * 4);
  b.raw.append(block_);
  b.first_doc = block_first_doc_;
  pending_.push_back(std::move(b));
  block_first_doc_ = num_docs_;
  block_.clear();
  ends_.clear();
  if (pending_.size() >= 64) flush_pending();
}

void DocStoreWriter::flush_pending() {
  parallel_for(pending_.size(), threads_, [&](std::size_t i, unsigned worker) {
    PendingBlock& b = pending_[i];
    b.compressed.resize(ZSTD_compressBound(b.raw.size()));
    const std::size_t n =
        ZSTD_compressCCtx(static_cast<ZSTD_CCtx*>(contexts_[worker]), b.compressed.data(),
                          b.compressed.size(), b.raw.data(), b.raw.size(), level_);
    if (ZSTD_isError(n)) fail(ErrorKind::io, "zstd compression failed: {}", ZSTD_getErrorName(n));
    b.compressed.resize(n);
  });
  for (const PendingBlock& b : pending_) {
    blocks_.push_back(
        {file_.payload_offset(), static_cast<std::uint32_t>(b.compressed.size()), b.first_doc});
    file_.write(b.compressed.data(), b.compressed.size());
  }
  pending_.clear();
}

void DocStoreWriter::commit() {
  close_block();
  flush_pending();
  file_.align(8);
  const std::uint64_t table_offset = file_.payload_offset();
  for (const auto& b : blocks_) {
    file_.write_pod(b.offset);
    file_.write_pod(b.compressed_size);
    file_.write_pod(b.first_doc);
  }
  file_.write_pod<std::uint64_t>(num_docs_);
  file_.write_pod<std::uint64_t>(blocks_.size());
  file_.write_pod(table_offset);
  file_.commit();
}

DocStore::DocStore(const std::filesystem::path& path) : file_(path, io::FileKind::doc_store) {
  static_assert(sizeof(BlockRef) == 16);
  const io::ByteView view(file_.payload(), file_.path());
  if (view.size() < 24) view.corrupt("store too short");
  const std::uint64_t tail = view.size() - 24;
  const auto num_docs = view.read<std::uint64_t>(tail, "document count");
  const auto num_blocks = view.read<std::uint64_t>(tail + 8, "block count");
  const auto table = view.read<std::uint64_t>(tail + 16, "block table offset");
  if (num_docs >= kEndDoc) view.corrupt("impossible document count");
  num_docs_ = static_cast<std::uint32_t>(num_docs);
  blocks_ = view.array<BlockRef>(table, num_blocks, "block table");
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    const auto& ref = blocks_[b];
    view.bytes(ref.offset, ref.compressed_size, "compressed block");
    if ((b == 0 && ref.first_doc != 0) || (b > 0 && ref.first_doc <= blocks_[b - 1].first_doc) ||
        ref.first_doc >= num_docs_) {
      view.corrupt("block table is out of order");
    }
  }
  if (num_docs_ > 0 && blocks_.empty()) view.corrupt("documents without blocks");
}

std::string DocStore::decompress_block(std::size_t block) const {
  const auto& ref = blocks_[block];
  const auto* src = file_.payload().data() + ref.offset;
  const unsigned long long raw_size = ZSTD_getFrameContentSize(src, ref.compressed_size);
  if (raw_size == ZSTD_CONTENTSIZE_ERROR || raw_size == ZSTD_CONTENTSIZE_UNKNOWN ||
      raw_size > (2ull << 30)) {
    fail(ErrorKind::corruption, "{}: block {} is not a valid zstd frame", file_.path(), block);
  }
  std::string raw(raw_size, '\0');
  const std::size_t n = ZSTD_decompress(raw.data(), raw.size(), src, ref.compressed_size);
  if (ZSTD_isError(n) || n != raw_size) {
    fail(ErrorKind::corruption, "{}: block {} does not decompress", file_.path(), block);
  }
  const std::uint32_t expected =
      (block + 1 < blocks_.size() ? blocks_[block + 1].first_doc : num_docs_) - ref.first_doc;
  std::uint32_t count = 0;
  if (raw.size() >= 4) std::memcpy(&count, raw.data(), 4);
  if (raw.size() < 4 + std::uint64_t{count} * 4 || count != expected) {
    fail(ErrorKind::corruption, "{}: block {} holds {} documents, the table says {}", file_.path(),
         block, count, expected);
  }
  std::uint32_t prev = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t end = 0;
    std::memcpy(&end, raw.data() + 4 + i * 4, 4);
    if (end < prev || end > raw.size() - 4 - count * 4) {
      fail(ErrorKind::corruption, "{}: block {} has bad document offsets", file_.path(), block);
    }
    prev = end;
  }
  return raw;
}

std::string DocStore::get(DocId doc) const {
  BlockCache cache;
  return std::string(get(doc, cache));
}

std::string_view DocStore::get(DocId doc, BlockCache& cache) const {
  if (doc >= num_docs_) fail(ErrorKind::not_found, "{}: no stored document {}", file_.path(), doc);
  const auto it = std::upper_bound(blocks_.begin(), blocks_.end(), doc,
                                   [](DocId d, const BlockRef& b) { return d < b.first_doc; });
  const std::size_t block = static_cast<std::size_t>(it - blocks_.begin()) - 1;
  if (cache.block != block) {
    cache.raw = decompress_block(block);
    cache.block = block;
  }
  const std::string& raw = cache.raw;
  std::uint32_t count = 0;
  std::memcpy(&count, raw.data(), 4);
  const std::uint32_t i = doc - blocks_[block].first_doc;
  std::uint32_t begin = 0, end = 0;
  if (i > 0) std::memcpy(&begin, raw.data() + 4 + (i - 1) * 4, 4);
  std::memcpy(&end, raw.data() + 4 + i * 4, 4);
  const std::size_t base = 4 + std::size_t{count} * 4;
  return std::string_view(raw).substr(base + begin, end - begin);
}

void DocStore::verify() const {
  file_.verify();
  for (std::size_t b = 0; b < blocks_.size(); ++b) decompress_block(b);
}

}  // namespace tandem::index
