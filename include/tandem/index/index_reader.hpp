// Opens an index: its manifest and the memory-mapped files of its segments.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tandem/core/progress.hpp"
#include "tandem/dense/dense_field.hpp"
#include "tandem/index/deletions.hpp"
#include "tandem/index/doc_lengths.hpp"
#include "tandem/index/doc_store.hpp"
#include "tandem/index/id_table.hpp"
#include "tandem/index/manifest.hpp"
#include "tandem/index/term_dictionary.hpp"
#include "tandem/io/file_format.hpp"
#include "tandem/multi/multi_vector_store.hpp"
#include "tandem/text/analyzer.hpp"

namespace tandem::index {

/// The files of one text field in one segment.
struct TextFieldFiles {
  TermDictionary terms;
  io::CheckedFile postings;
  DocLengthsFile lengths;
};

/// One segment: ids, stored documents and text fields, all memory-mapped. Opening checks headers
/// and that the files agree with each other and with the manifest; verify() checks everything.
class SegmentReader {
 public:
  SegmentReader(const std::filesystem::path& index_dir, const SegmentInfo& info,
                const IndexSettings& settings);

  const SegmentInfo& info() const { return info_; }
  /// Documents in the files, deleted ones included (DocIds are 0..num_docs()-1).
  std::uint32_t num_docs() const { return info_.num_docs; }
  std::uint32_t num_live_docs() const { return info_.num_live_docs(); }
  const IdTable& ids() const { return ids_; }
  const DocStore* store() const { return store_ ? &*store_ : nullptr; }
  const TextFieldFiles& field(std::size_t f) const { return fields_[f]; }
  /// The dense vector field, or nullptr if the index has none or no document of this segment has a
  /// dense vector.
  const dense::DenseField* dense() const { return dense_ ? &*dense_ : nullptr; }
  /// The multi-vector field, or nullptr if the index has none.
  const multi::MultiVectorStore* multivec() const { return multivec_ ? &*multivec_ : nullptr; }

  /// The segment's deletions, or nullptr when it has none.
  const Deletions* deletions() const { return deletions_ ? &*deletions_ : nullptr; }
  sparse::DeletedDocs deleted_docs() const {
    return deletions_ ? deletions_->view() : sparse::DeletedDocs();
  }
  bool is_deleted(DocId d) const { return deletions_ && deletions_->contains(d); }
  /// A field's statistics over the live documents.
  FieldStats live_stats(std::size_t f) const;
  /// Live documents in the list of the term with dictionary entry `e` in field `f`.
  std::uint32_t live_doc_freq(std::size_t f, const TermEntry& e) const {
    return deletions_ ? e.doc_freq - deletions_->fields[f].deleted_doc_freq(e.postings_offset)
                      : e.doc_freq;
  }

  /// Recomputes every checksum and checks every structure: ids sorted and unique, dictionaries
  /// sorted, every posting list decodable with docs in range and increasing, each document's
  /// frequencies summing to its length, statistics equal to the data.
  void verify(ProgressSink* progress) const;

 private:
  SegmentInfo info_;
  std::vector<std::string> field_names_;
  std::filesystem::path dir_;
  IdTable ids_;
  std::optional<DocStore> store_;
  std::vector<TextFieldFiles> fields_;
  std::optional<dense::DenseField> dense_;
  std::optional<multi::MultiVectorStore> multivec_;
  std::optional<Deletions> deletions_;
};

/// Where a document lives.
struct DocLocation {
  std::uint32_t segment = 0;
  DocId doc = 0;
};

/// An open index (one published manifest). Immutable and thread-safe; share it with shared_ptr.
class IndexReader {
 public:
  /// Opens the index in `dir`. Throws Error(not_found) if there is none, Error(corruption) naming
  /// the file if a file is damaged, Error(unsupported) for a newer format.
  static std::shared_ptr<const IndexReader> open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  const Manifest& manifest() const { return manifest_; }
  const IndexSettings& settings() const { return manifest_.settings; }
  const std::vector<std::string>& field_names() const { return field_names_; }
  /// The index of a field by name; throws Error(not_found) listing the fields.
  std::size_t field_index(std::string_view name) const;
  const std::vector<std::unique_ptr<SegmentReader>>& segments() const { return segments_; }
  /// Live documents (deleted ones excluded).
  std::uint64_t num_docs() const { return manifest_.num_docs(); }
  /// A field's statistics over the live documents, summed over the segments.
  FieldStats field_stats(std::size_t field) const;
  /// The analyzer the index was built with.
  const text::Analyzer& analyzer() const { return *analyzer_; }

  /// Where the live document with this id is (at most one segment holds it live), or nullopt.
  std::optional<DocLocation> find(std::string_view external_id) const;
  /// True when `other` has the same segments holding the same ids in the same order, so a
  /// DocLocation names the same document in both (deletions may differ). Costs one byte-wise
  /// comparison of the id tables.
  bool same_locations(const IndexReader& other) const;
  /// The external id of a document, decoded into `scratch`.
  std::string_view external_id(const DocLocation& at, std::string& scratch) const {
    return segments_[at.segment]->ids().id(at.doc, scratch);
  }
  /// The stored source of a document; throws Error(not_found) if the index keeps none.
  std::string stored_document(const DocLocation& at) const;

  void verify(ProgressSink* progress = nullptr) const;

 private:
  IndexReader() = default;
  std::filesystem::path dir_;
  Manifest manifest_;
  std::vector<std::string> field_names_;
  std::vector<std::unique_ptr<SegmentReader>> segments_;
  std::unique_ptr<text::Analyzer> analyzer_;
};

}  // namespace tandem::index
