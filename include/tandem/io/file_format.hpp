// The envelope of every binary index file: a versioned header, a payload, a checksummed footer
// (docs/format.md). Files are written atomically: temp file, fsync, rename, fsync of the directory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "tandem/io/mapped_file.hpp"

namespace tandem::io {

/// Four-character codes naming what a file holds.
enum class FileKind : std::uint32_t {
  term_dictionary = 0x4d524554,  // "TERM"
  postings = 0x54534f50,         // "POST"
  doc_lengths = 0x4e454c44,      // "DLEN"
  doc_ids = 0x53444944,          // "DIDS"
  doc_store = 0x45524f53,        // "SORE"
  deletions = 0x534c4544,        // "DELS"
  test = 0x54534554,             // "TEST"
  encoder_model = 0x4c444f4d,    // "MODL": a trained text encoder (encode/text_encoder.hpp)
  dense_vectors = 0x43455644,    // "DVEC"
  dense_hnsw = 0x57534e48,       // "HNSW"
  dense_codes = 0x53444f43,      // "CODS"
  multi_vectors = 0x4345564d,    // "MVEC": token vectors of a multi-vector field
  sparse_approx = 0x53494553,    // "SEIS": a Seismic-style approximate sparse index
};

std::string to_string(FileKind kind);

/// Version of the binary layout written by this build. Readers accept exactly the versions they
/// know, kOldestFormatVersion..kFormatVersion (see docs/format.md), and refuse others with
/// ErrorKind::unsupported.
inline constexpr std::uint32_t kFormatVersion = 2;
/// Version 1 was the pre-release layout (u32 lengths, lists that stored their doc_freq); no
/// release wrote it, and this build does not read it.
inline constexpr std::uint32_t kOldestFormatVersion = 2;

inline constexpr std::size_t kHeaderSize = 32;  // magic[8], version u32, kind u32, reserved[16]
inline constexpr std::size_t kFooterSize = 16;  // xxh3-64 of everything before it, magic[8]

/// Writes one file atomically. The header is written on construction; commit() appends the
/// footer, fsyncs, renames the temp file over `path` and fsyncs the directory. If commit() is never
/// called (an exception, a crash), the temp file is removed (or left as *.tmp-* garbage after a
/// crash, which readers ignore) and `path` keeps its previous content.
class FileWriter {
 public:
  FileWriter(std::filesystem::path path, FileKind kind);
  ~FileWriter();
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void write(const void* data, std::size_t size);
  void write(std::span<const std::byte> bytes) { write(bytes.data(), bytes.size()); }
  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void write_pod(const T& value) { write(&value, sizeof(T)); }
  template <typename T>
  requires std::is_trivially_copyable_v<T>
  void write_array(std::span<const T> values) { write(values.data(), values.size_bytes()); }
  /// Pads with zero bytes so that the next payload offset is a multiple of `alignment`.
  void align(std::size_t alignment);
  /// Bytes of payload written so far (the header is not counted): the offset of the next write.
  std::uint64_t payload_offset() const { return written_; }

  void commit();

 private:
  void flush_buffer();
  std::filesystem::path path_;
  std::filesystem::path temp_path_;
  int fd_ = -1;
  std::vector<std::byte> buffer_;
  std::uint64_t written_ = 0;
  void* hash_state_ = nullptr;  // XXH3_state_t, kept opaque here
  bool committed_ = false;
};

/// A mapped file whose header was checked; payload() is what lies between header and footer.
class CheckedFile {
 public:
  CheckedFile() = default;
  /// Maps the file and checks magic, version, kind and the footer magic (not the checksum: see
  /// verify()). Throws Error(corruption) naming the file if anything is wrong, and
  /// Error(unsupported) for a newer format version.
  CheckedFile(const std::filesystem::path& path, FileKind expected);

  std::span<const std::byte> payload() const { return payload_; }
  const std::string& path() const { return file_.path(); }
  std::uint32_t format_version() const { return version_; }
  /// Recomputes the checksum of the whole file; throws Error(corruption) on a mismatch.
  void verify() const;
  void prefetch() const { file_.prefetch(); }

 private:
  MappedFile file_;
  std::span<const std::byte> payload_;
  std::uint32_t version_ = 0;
};

/// Writes a small text file (a manifest, a settings file) atomically: temp, fsync, rename, fsync
/// dir.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

/// fsyncs a directory so that a rename inside it is durable.
void sync_directory(const std::filesystem::path& dir);

}  // namespace tandem::io
