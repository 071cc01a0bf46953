#include "tandem/dense/dense_field.hpp"

#include "tandem/core/error.hpp"
#include "tandem/dense/code_index.hpp"
#include "tandem/dense/hnsw.hpp"

namespace tandem::dense {

std::string_view to_string(CodeKind kind) {
  switch (kind) {
    case CodeKind::sq8:
      return "sq8";
    case CodeKind::binary:
      return "binary";
    case CodeKind::pq:
      return "pq";
  }
  return "?";
}

CodeKind parse_code_kind(std::string_view name) {
  if (name == "sq8") return CodeKind::sq8;
  if (name == "binary") return CodeKind::binary;
  if (name == "pq") return CodeKind::pq;
  fail(ErrorKind::invalid_argument, "unknown code kind '{}' (known: sq8, binary, pq)", name);
}

void write_dense_field(const std::filesystem::path& segment_dir, const DenseSettings& settings,
                       std::span<const DocId> row_doc, std::span<const float> values,
                       unsigned threads, ProgressSink* progress) {
  write_vector_store(dense_files::vectors(segment_dir), settings.metric, settings.dim, row_doc,
                     values, settings.storage);
  if (settings.hnsw) {
    // The graph links the stored values (rounded to binary16 under fp16 storage).
    std::vector<float> rounded;
    if (settings.storage == Storage::f16) rounded = round_to_half(values);
    build_hnsw(dense_files::hnsw(segment_dir), settings.metric,
               rounded.empty() ? values.data() : rounded.data(), row_doc.size(), settings.dim,
               *settings.hnsw, threads, progress);
  }
  if (!settings.codes.empty()) {
    const VectorStore store(dense_files::vectors(segment_dir));
    for (CodeKind kind : settings.codes) {
      if (progress != nullptr) progress->update(fmt::format("encoding {}", to_string(kind)), 0, 0);
      build_codes(dense_files::codes(segment_dir, kind), kind, store, settings.pq_m,
                  settings.code_seed, threads);
      if (progress != nullptr) progress->finish(fmt::format("encoding {}", to_string(kind)));
    }
  }
}

DenseField::DenseField(const std::filesystem::path& segment_dir, const DenseSettings& settings)
    : vectors_(std::make_unique<VectorStore>(dense_files::vectors(segment_dir))) {
  if (vectors_->dim() != settings.dim || vectors_->metric() != settings.metric ||
      vectors_->storage() != settings.storage)
    fail(ErrorKind::corruption, "{}: dimension, metric or storage disagrees with the manifest",
         vectors_->path());
  if (settings.hnsw) hnsw_ = std::make_unique<HnswGraph>(dense_files::hnsw(segment_dir), *vectors_);
  codes_.resize(3);
  for (CodeKind kind : settings.codes) {
    codes_[static_cast<std::size_t>(kind)] =
        std::make_unique<CodeIndex>(dense_files::codes(segment_dir, kind), *vectors_);
  }
}

DenseField::~DenseField() = default;
DenseField::DenseField(DenseField&&) noexcept = default;
DenseField& DenseField::operator=(DenseField&&) noexcept = default;

const CodeIndex* DenseField::codes(CodeKind kind) const {
  return codes_[static_cast<std::size_t>(kind)].get();
}

void DenseField::verify(std::uint32_t num_docs) const {
  vectors_->verify(num_docs);
  if (hnsw_) hnsw_->verify();
  for (const auto& c : codes_) {
    if (c) c->verify();
  }
}

}  // namespace tandem::dense
