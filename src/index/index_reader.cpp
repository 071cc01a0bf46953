#include "tandem/index/index_reader.hpp"

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/index/segment_files.hpp"
#include "tandem/index/sparse_field.hpp"
#include "tandem/sparse/approx/seismic_index.hpp"

namespace tandem::index {

namespace fs = std::filesystem;

// Implemented in segment_verify.cpp: decodes every posting list of a field.
void verify_field_postings(const TextFieldFiles& field, std::uint32_t num_docs,
                           const std::string& where, bool lengths_count_postings);

SegmentReader::SegmentReader(const fs::path& index_dir, const SegmentInfo& info,
                             const IndexSettings& settings)
    : info_(info), field_names_(settings.fields()), dir_(index_dir / info.name) {
  const fs::path& dir = dir_;
  ids_ = IdTable(segment_files::ids(dir));
  if (ids_.size() != info.num_docs) {
    fail(ErrorKind::corruption, "{}: holds {} ids, the manifest says {} documents",
         segment_files::ids(dir).string(), ids_.size(), info.num_docs);
  }
  if (settings.store) {
    store_.emplace(segment_files::store(dir));
    if (store_->size() != info.num_docs) {
      fail(ErrorKind::corruption, "{}: holds {} documents, the manifest says {}",
           segment_files::store(dir).string(), store_->size(), info.num_docs);
    }
  }
  for (const auto& name : field_names_) {
    TextFieldFiles f{TermDictionary(segment_files::terms(dir, name)),
                     io::CheckedFile(segment_files::postings(dir, name), io::FileKind::postings),
                     DocLengthsFile(segment_files::lengths(dir, name))};
    const SegmentFieldInfo& expected = info.fields.at(name);
    const std::string lengths_path = segment_files::lengths(dir, name).string();
    if (f.lengths.size() != info.num_docs) {
      fail(ErrorKind::corruption, "{}: holds {} lengths, the manifest says {} documents",
           lengths_path, f.lengths.size(), info.num_docs);
    }
    if (f.lengths.stats() != expected.stats || f.terms.size() != expected.num_terms) {
      fail(ErrorKind::corruption, "{}: field statistics disagree with the manifest", lengths_path);
    }
    fields_.push_back(std::move(f));
  }
  // A segment whose documents have no dense vector (added without any) has no dense files.
  std::error_code ec;
  if (settings.dense && (info.dense_rows > 0 || fs::exists(dense::dense_files::vectors(dir), ec))) {
    dense_.emplace(dir, *settings.dense);
    if (dense_->vectors().rows() != info.dense_rows) {
      fail(ErrorKind::corruption, "{}: holds {} vectors, the manifest says {}",
           dense_->vectors().path(), dense_->vectors().rows(), info.dense_rows);
    }
  }
  if (settings.multivec) {
    multivec_.emplace(segment_files::multivec(dir));
    if (multivec_->rows() != info.multivec_rows || multivec_->dim() != settings.multivec->dim ||
        multivec_->encoding() != settings.multivec->encoding) {
      fail(ErrorKind::corruption,
           "{}: holds {} rows of dimension {}, the manifest says {} rows of dimension {}",
           multivec_->path(), multivec_->rows(), multivec_->dim(), info.multivec_rows,
           settings.multivec->dim);
    }
  }
  if (!info.deletes.empty()) {
    deletions_ = Deletions::read(dir / info.deletes, info.num_docs, fields_.size());
    if (deletions_->count != info.num_deleted) {
      fail(ErrorKind::corruption, "{}: holds {} deletions, the manifest says {}",
           (dir / info.deletes).string(), deletions_->count, info.num_deleted);
    }
  }
}

FieldStats SegmentReader::live_stats(std::size_t f) const {
  FieldStats s = fields_[f].lengths.stats();
  if (deletions_) {
    s.doc_count -= deletions_->fields[f].deleted.doc_count;
    s.sum_total_term_freq -= deletions_->fields[f].deleted.sum_total_term_freq;
  }
  return s;
}

void SegmentReader::verify(ProgressSink* progress) const {
  ids_.verify();
  if (progress != nullptr) progress->update("verifying " + info_.name, 1, 3 + fields_.size());
  if (store_) store_->verify();
  if (progress != nullptr) progress->update("verifying " + info_.name, 2, 3 + fields_.size());
  for (std::size_t f = 0; f < fields_.size(); ++f) {
    const TextFieldFiles& field = fields_[f];
    field.postings.verify();
    field.terms.verify(field.postings.payload().size());
    field.lengths.verify();
    verify_field_postings(field, info_.num_docs, info_.name + "/" + field_names_[f], false);
    if (progress != nullptr) progress->update("verifying " + info_.name, 3 + f, 3 + fields_.size());
  }
  if (info_.fields.contains(std::string(kSparseField))) {
    // The sparse field: its lengths count each document's non-zeros; its approximate index, if
    // built, must match it.
    const TextFieldFiles field{
        TermDictionary(segment_files::terms(dir_, kSparseField)),
        io::CheckedFile(segment_files::postings(dir_, kSparseField), io::FileKind::postings),
        DocLengthsFile(segment_files::lengths(dir_, kSparseField))};
    field.postings.verify();
    field.terms.verify(field.postings.payload().size());
    field.lengths.verify();
    verify_field_postings(field, info_.num_docs, info_.name + "/" + std::string(kSparseField),
                          true);
    const fs::path approx = segment_files::sparse_approx(dir_);
    if (fs::exists(approx)) {
      sparse::approx::SeismicIndex::verify(approx, info_.num_docs,
                                           static_cast<std::uint32_t>(field.terms.size()));
    }
  }
  if (dense_) dense_->verify(info_.num_docs);
  if (multivec_) multivec_->verify(info_.num_docs);
  if (deletions_) {
    const fs::path path = dir_ / info_.deletes;
    Deletions again =
        Deletions::read(path, info_.num_docs, fields_.size(), /*verify_checksum=*/true);
    std::vector<const TextFieldFiles*> files;
    for (const auto& f : fields_) files.push_back(&f);
    again.count_fields(files);
    for (std::size_t f = 0; f < fields_.size(); ++f) {
      if (again.fields[f].deleted != deletions_->fields[f].deleted ||
          again.fields[f].doc_freqs != deletions_->fields[f].doc_freqs) {
        fail(ErrorKind::corruption, "{}: statistics of the deleted documents in field {} are wrong",
             path.string(), field_names_[f]);
      }
    }
  }
}

std::shared_ptr<const IndexReader> IndexReader::open(const fs::path& dir) {
  // A writer may publish a new manifest and remove the old segments between our reading the
  // manifest and opening its files; then the manifest has changed and we read it again.
  for (int attempt = 0;; ++attempt) {
    std::shared_ptr<IndexReader> reader(new IndexReader());
    reader->dir_ = dir;
    reader->manifest_ = Manifest::read(dir);
    reader->field_names_ = reader->manifest_.settings.fields();
    try {
      for (const auto& seg : reader->manifest_.segments) {
        reader->segments_.push_back(
            std::make_unique<SegmentReader>(dir, seg, reader->manifest_.settings));
      }
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::not_found || attempt >= 3) throw;
      if (Manifest::read(dir).generation == reader->manifest_.generation) throw;
      continue;
    }
    reader->analyzer_ = text::make_analyzer(reader->manifest_.settings.analyzer);
    return reader;
  }
}

std::size_t IndexReader::field_index(std::string_view name) const {
  for (std::size_t i = 0; i < field_names_.size(); ++i) {
    if (field_names_[i] == name) return i;
  }
  fail(ErrorKind::not_found, "the index has no field '{}' (fields: {})", name,
       fmt::join(field_names_, ", "));
}

FieldStats IndexReader::field_stats(std::size_t field) const {
  FieldStats total;
  for (const auto& s : segments_) total += s->live_stats(field);
  return total;
}

std::optional<DocLocation> IndexReader::find(std::string_view external_id) const {
  for (std::uint32_t s = 0; s < segments_.size(); ++s) {
    const auto d = segments_[s]->ids().find(external_id);
    if (d && !segments_[s]->is_deleted(*d)) return DocLocation{s, *d};
  }
  return std::nullopt;
}

bool IndexReader::same_locations(const IndexReader& other) const {
  if (segments_.size() != other.segments_.size()) return false;
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    if (!segments_[s]->ids().same_ids(other.segments_[s]->ids())) return false;
  }
  return true;
}

std::string IndexReader::stored_document(const DocLocation& at) const {
  const DocStore* store = segments_.at(at.segment)->store();
  if (store == nullptr)
    fail(ErrorKind::not_found, "{}: the index keeps no stored documents (built with --no-store)",
         dir_.string());
  return store->get(at.doc);
}

void IndexReader::verify(ProgressSink* progress) const {
  for (const auto& s : segments_) s->verify(progress);
  if (progress != nullptr) progress->finish("verifying");
}

}  // namespace tandem::index
