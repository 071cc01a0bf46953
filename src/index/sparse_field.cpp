#include "tandem/index/sparse_field.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/index/corpus_parser.hpp"
#include "tandem/index/inverted_field.hpp"
#include "tandem/index/segment_files.hpp"
#include "tandem/index/term_interner.hpp"
#include "tandem/io/line_reader.hpp"
#include "tandem/io/sparse_vector_parser.hpp"

namespace tandem::index {

namespace fs = std::filesystem;

std::string_view to_string(ImpactQuantization q) {
  switch (q) {
    case ImpactQuantization::automatic:
      return "auto";
    case ImpactQuantization::integer:
      return "integer";
    case ImpactQuantization::u8:
      return "u8";
    case ImpactQuantization::u16:
      return "u16";
    case ImpactQuantization::float32:
      return "float";
  }
  return "?";
}

ImpactQuantization parse_impact_quantization(std::string_view name) {
  for (const auto q :
       {ImpactQuantization::automatic, ImpactQuantization::integer, ImpactQuantization::u8,
        ImpactQuantization::u16, ImpactQuantization::float32}) {
    if (name == to_string(q)) return q;
  }
  fail(ErrorKind::invalid_argument,
       "unknown impact quantisation '{}' (known: auto, integer, u8, u16, float)", name);
}

std::string SparseFieldMeta::to_json() const {
  const nlohmann::json j = {{"format", "tandem-sparse-field"},
                            {"version", 1},
                            {"quantization", std::string(to_string(quantization))},
                            {"impact_scale", impact_scale},
                            {"ingest_scale", ingest_scale}};
  return j.dump(2) + "\n";
}

SparseFieldMeta SparseFieldMeta::from_json(std::string_view text, const std::string& source) {
  SparseFieldMeta m;
  try {
    const auto j = nlohmann::json::parse(text);
    if (j.at("format").get<std::string>() != "tandem-sparse-field")
      fail(ErrorKind::corruption, "{}: not a sparse field settings file", source);
    if (j.at("version").get<int>() != 1)
      fail(ErrorKind::unsupported, "{}: sparse field version {} is not supported", source,
           j.at("version").get<int>());
    m.quantization = parse_impact_quantization(j.at("quantization").get<std::string>());
    m.impact_scale = j.at("impact_scale").get<double>();
    m.ingest_scale = j.value("ingest_scale", 1.0);
    if (m.quantization == ImpactQuantization::automatic || !(m.impact_scale > 0) ||
        !std::isfinite(m.impact_scale))
      fail(ErrorKind::corruption, "{}: invalid quantisation settings", source);
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorKind::corruption, "{}: malformed sparse field settings ({})", source, e.what());
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::invalid_argument)
      fail(ErrorKind::corruption, "{}: {}", source, e.what());
    throw;
  }
  return m;
}

namespace {

fs::path meta_path(const fs::path& segment_dir) {
  return segment_dir / (std::string(kSparseField) + ".json");
}

// The vectors of every document, as read: per document a range of (term, weight) pairs with
// distinct, increasing local term ids.
struct RawVectors {
  TermInterner terms;
  std::vector<std::uint32_t> post_terms;
  std::vector<double> post_weights;
  std::vector<std::uint64_t> doc_begin;  // per DocId; kNoVector if absent
  std::vector<std::uint64_t> doc_end;
  static constexpr std::uint64_t kNoVector = ~std::uint64_t{0};
};

void read_vectors(const SparseFieldOptions& options, std::span<const std::string_view> ids,
                  RawVectors& raw, ProgressSink* progress) {
  raw.doc_begin.assign(ids.size(), RawVectors::kNoVector);
  raw.doc_end.assign(ids.size(), 0);
  io::SparseVectorParser parser;
  std::vector<std::pair<std::uint32_t, double>> doc;
  for (const fs::path& file : list_corpus_files(options.vectors)) {
    io::LineReader reader(file);
    std::string_view line;
    while (reader.next(line)) {
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      const auto where = [&] { return fmt::format("{}:{}", file.string(), reader.line_number()); };
      const io::ParsedSparseVector* v = nullptr;
      try {
        v = &parser.parse_copy(line);
      } catch (const Error& e) {
        fail(ErrorKind::invalid_argument, "{}: {}", where(), e.what());
      }
      const auto it = std::lower_bound(ids.begin(), ids.end(), v->id);
      if (it == ids.end() || *it != v->id)
        fail(ErrorKind::invalid_argument, "{}: id '{}' is not in the corpus", where(), v->id);
      const auto d = static_cast<std::size_t>(it - ids.begin());
      if (raw.doc_begin[d] != RawVectors::kNoVector)
        fail(ErrorKind::invalid_argument, "{}: a second vector for id '{}'", where(), v->id);
      doc.clear();
      for (const io::SparseEntry& e : v->entries) {
        if (e.term.empty())
          fail(ErrorKind::invalid_argument, "{}: an empty term in the vector", where());
        doc.emplace_back(raw.terms.intern(e.term), e.weight);
      }
      std::sort(doc.begin(), doc.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      raw.doc_begin[d] = raw.post_terms.size();
      for (std::size_t i = 0; i < doc.size(); ++i) {
        if (i > 0 && doc[i].first == doc[i - 1].first) {
          raw.post_weights.back() += doc[i].second;  // Anserini sums a repeated term
        } else {
          raw.post_terms.push_back(doc[i].first);
          raw.post_weights.push_back(doc[i].second);
        }
      }
      raw.doc_end[d] = raw.post_terms.size();
      if (progress != nullptr && reader.line_number() % 65536 == 0)
        progress->update("reading vectors", reader.bytes_consumed(), reader.file_size());
    }
  }
  if (progress != nullptr) progress->finish("reading vectors");
}

// Resolves automatic quantisation and returns the settings the impacts are made with.
SparseFieldMeta choose_quantization(const SparseFieldOptions& options, const RawVectors& raw) {
  if (options.fixed) return *options.fixed;
  SparseFieldMeta meta;
  meta.quantization = options.quantization;
  meta.ingest_scale = options.scale;
  if (!(options.scale > 0) || !std::isfinite(options.scale))
    fail(ErrorKind::invalid_argument, "the impact scale must be a finite number > 0");
  double max_weight = 0;
  bool integral = true;
  for (const double w : raw.post_weights) {
    max_weight = std::max(max_weight, w);
    integral = integral && w == std::floor(w);
  }
  if (meta.quantization == ImpactQuantization::automatic)
    meta.quantization = integral ? ImpactQuantization::integer : ImpactQuantization::u8;
  if (meta.quantization == ImpactQuantization::u8 || meta.quantization == ImpactQuantization::u16) {
    const double levels = meta.quantization == ImpactQuantization::u8 ? 255.0 : 65535.0;
    meta.impact_scale = max_weight > 0 ? max_weight / levels : 1.0;
    meta.ingest_scale = 1.0;
  } else {
    meta.impact_scale = 1.0;
  }
  if (meta.quantization != ImpactQuantization::integer) meta.ingest_scale = 1.0;
  return meta;
}

// The impact stored for a weight; 0 means "drop the posting".
std::uint32_t quantize(double w, const SparseFieldMeta& meta) {
  switch (meta.quantization) {
    case ImpactQuantization::integer: {
      const double q = std::round(w * meta.ingest_scale);
      if (q > 4294967295.0)
        fail(ErrorKind::limit_exceeded, "the weight {} times scale {} exceeds 2^32 - 1", w,
             meta.ingest_scale);
      return static_cast<std::uint32_t>(q);
    }
    case ImpactQuantization::u8:
    case ImpactQuantization::u16: {
      // Above 255 (65535) only with a fixed scale (an add with a weight above the first build's
      // largest): kept, as the codec stores 32-bit impacts, so that the grid stays the same.
      const double q = std::round(w / meta.impact_scale);
      if (q > 4294967295.0)
        fail(ErrorKind::limit_exceeded, "the weight {} exceeds 2^32 - 1 steps of {}", w,
             meta.impact_scale);
      return static_cast<std::uint32_t>(q);
    }
    case ImpactQuantization::float32: {
      const auto f = static_cast<float>(w);
      return f > 0 ? std::bit_cast<std::uint32_t>(f) : 0;
    }
    case ImpactQuantization::automatic:
      break;
  }
  return 0;
}

// The weight an impact stands for.
double impact_weight(std::uint32_t impact, const SparseFieldMeta& meta) {
  switch (meta.quantization) {
    case ImpactQuantization::integer:
      return static_cast<double>(impact) / meta.ingest_scale;
    case ImpactQuantization::u8:
    case ImpactQuantization::u16:
      return static_cast<double>(impact) * meta.impact_scale;
    case ImpactQuantization::float32:
      return static_cast<double>(std::bit_cast<float>(impact));
    case ImpactQuantization::automatic:
      break;
  }
  return 0;
}

bool same_settings(const SparseFieldMeta& a, const SparseFieldMeta& b) {
  return a.quantization == b.quantization && a.impact_scale == b.impact_scale &&
         a.ingest_scale == b.ingest_scale;
}

}  // namespace

std::uint32_t requantize_impact(std::uint32_t impact, const SparseFieldMeta& from,
                                const SparseFieldMeta& to) {
  if (same_settings(from, to)) return impact;
  return quantize(impact_weight(impact, from), to);
}

SegmentFieldInfo write_sparse_impacts(const fs::path& segment_dir, const InvertedField& inv,
                                      const SparseFieldMeta& meta, unsigned threads) {
  SegmentFieldInfo info = write_inverted_field(segment_dir, kSparseField, inv, threads, nullptr);
  io::write_file_atomic(meta_path(segment_dir), meta.to_json());
  return info;
}

SegmentFieldInfo write_sparse_field(const fs::path& segment_dir,
                                    std::span<const std::string_view> sorted_ids,
                                    const SparseFieldOptions& options, unsigned threads,
                                    ProgressSink* progress) {
  RawVectors raw;
  read_vectors(options, sorted_ids, raw, progress);
  const SparseFieldMeta meta = choose_quantization(options, raw);

  // Impacts in place of weights; zero impacts marked for dropping.
  std::vector<std::uint32_t> impacts(raw.post_weights.size());
  for (std::size_t p = 0; p < impacts.size(); ++p) impacts[p] = quantize(raw.post_weights[p], meta);
  raw.post_weights = {};

  // Dictionary order: terms in byte order.
  const std::uint32_t num_local = raw.terms.size();
  std::vector<std::uint32_t> by_bytes(num_local);
  for (std::uint32_t t = 0; t < num_local; ++t) by_bytes[t] = t;
  std::sort(by_bytes.begin(), by_bytes.end(), [&](std::uint32_t a, std::uint32_t b) {
    return raw.terms.term(a) < raw.terms.term(b);
  });
  std::vector<std::uint64_t> df(num_local, 0);
  for (std::size_t p = 0; p < impacts.size(); ++p) {
    if (impacts[p] != 0) ++df[raw.post_terms[p]];
  }
  InvertedField inv;
  inv.term_starts.push_back(0);
  inv.list_starts.push_back(0);
  std::vector<std::uint64_t> cursor(num_local, 0);
  for (const std::uint32_t t : by_bytes) {
    if (df[t] == 0) continue;
    inv.term_bytes.append(raw.terms.term(t));
    inv.term_starts.push_back(inv.term_bytes.size());
    cursor[t] = inv.list_starts.back();
    inv.list_starts.push_back(inv.list_starts.back() + df[t]);
  }
  inv.docs.resize(inv.list_starts.back());
  inv.freqs.resize(inv.list_starts.back());
  inv.lengths.assign(sorted_ids.size(), 0);
  for (DocId d = 0; d < sorted_ids.size(); ++d) {
    if (raw.doc_begin[d] == RawVectors::kNoVector) continue;
    for (std::uint64_t p = raw.doc_begin[d]; p < raw.doc_end[d]; ++p) {
      if (impacts[p] == 0) continue;
      const std::uint64_t at = cursor[raw.post_terms[p]]++;
      inv.docs[at] = d;
      inv.freqs[at] = impacts[p];
      ++inv.lengths[d];
    }
  }
  impacts = {};
  raw = RawVectors{};
  SegmentFieldInfo info = write_inverted_field(segment_dir, kSparseField, inv, threads, progress);
  io::write_file_atomic(meta_path(segment_dir), meta.to_json());
  return info;
}

std::optional<SparseFieldFiles> SparseFieldFiles::open(const fs::path& segment_dir) {
  const fs::path meta = meta_path(segment_dir);
  std::error_code ec;
  if (!fs::exists(meta, ec)) return std::nullopt;
  std::ifstream in(meta, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  SparseFieldFiles f{
      TermDictionary(segment_files::terms(segment_dir, kSparseField)),
      io::CheckedFile(segment_files::postings(segment_dir, kSparseField), io::FileKind::postings),
      SparseFieldMeta::from_json(ss.str(), meta.string())};
  return f;
}

}  // namespace tandem::index
