#include "tandem/index/index_builder.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <numeric>
#include <optional>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/index/corpus_parser.hpp"
#include "tandem/index/doc_store.hpp"
#include "tandem/index/id_table.hpp"
#include "tandem/index/inverted_field.hpp"
#include "tandem/index/segment_files.hpp"
#include "tandem/index/sparse_approx.hpp"
#include "tandem/index/term_interner.hpp"
#include "tandem/index/write_lock.hpp"
#include "tandem/io/line_reader.hpp"
#include "tandem/io/mapped_file.hpp"
#include "tandem/multi/multi_vector_input.hpp"
#include "tandem/text/analyzer.hpp"

#include "dense_ingest.hpp"
#include "segment_writing.hpp"

namespace tandem::index {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxProblems = 10;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Where a document came from, for messages about bad lines and duplicate ids.
struct Location {
  std::uint32_t file = 0;
  std::uint64_t line = 0;
  friend bool operator<(const Location& a, const Location& b) {
    return a.file < b.file || (a.file == b.file && a.line < b.line);
  }
};

struct LineError {
  Location where;
  std::string message;
};

// A batch of whole input lines from one file, followed by CorpusParser::kPadding readable bytes.
struct Batch {
  std::string data;
  std::vector<std::string_view> lines;
  std::uint32_t file = 0;
  std::uint64_t first_line = 0;
};

// Reads the corpus files in order, one batch at a time.
class BatchReader {
 public:
  BatchReader(std::vector<fs::path> files, std::size_t batch_bytes)
      : files_(std::move(files)), batch_bytes_(batch_bytes) {
    for (const auto& f : files_) total_bytes_ += fs::file_size(f);
  }

  // An empty batch (no lines) means the end of the input.
  Batch next() {
    Batch batch;
    batch.data.reserve(batch_bytes_ + (1 << 16));
    while (file_ < files_.size()) {
      if (!reader_) reader_ = std::make_unique<io::LineReader>(files_[file_]);
      batch.file = static_cast<std::uint32_t>(file_);
      batch.first_line = reader_->line_number() + 1;
      if (reader_->next_chunk(batch.data, batch_bytes_) > 0) break;
      done_bytes_ += reader_->file_size();
      reader_.reset();
      ++file_;
    }
    const std::size_t content = batch.data.size();
    batch.data.append(CorpusParser::kPadding, '\0');
    for (std::size_t pos = 0; pos < content;) {
      const std::size_t nl = batch.data.find('\n', pos);
      batch.lines.emplace_back(batch.data.data() + pos, nl - pos);
      pos = nl + 1;
    }
    for (auto& line : batch.lines) {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    }
    return batch;
  }

  std::uint64_t total_bytes() const { return total_bytes_; }
  std::uint64_t consumed_bytes() const {
    return done_bytes_ + (reader_ ? reader_->bytes_consumed() : 0);
  }
  const fs::path& file(std::uint32_t i) const { return files_[i]; }

 private:
  std::vector<fs::path> files_;
  std::size_t batch_bytes_;
  std::size_t file_ = 0;
  std::unique_ptr<io::LineReader> reader_;
  std::uint64_t total_bytes_ = 0;
  std::uint64_t done_bytes_ = 0;
};

// Appends stored documents to a spill file in arrival order (the store is written later in DocId
// order, which is known only once every id has been read).
class SpillFile {
 public:
  explicit SpillFile(fs::path path) : path_(std::move(path)) {
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) fail_errno(errno, "cannot create " + path_.string());
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  }
  ~SpillFile() {
    if (file_ != nullptr) std::fclose(file_);
    std::error_code ec;
    fs::remove(path_, ec);
  }
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  void append(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
      if (errno == ENOSPC) fail(ErrorKind::io, "{}: disk full while writing", path_.string());
      fail_errno(errno, "cannot write " + path_.string());
    }
    size_ += bytes.size();
    ends_.push_back(size_);
  }
  // Flushes and maps the file for reading.
  void finish() {
    if (std::fflush(file_) != 0) fail_errno(errno, "cannot write " + path_.string());
    if (size_ > 0) map_ = io::MappedFile(path_);
  }
  std::string_view document(std::size_t i) const {
    const std::uint64_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(reinterpret_cast<const char*>(map_.data()) + begin, ends_[i] - begin);
  }

 private:
  fs::path path_;
  std::FILE* file_ = nullptr;
  std::uint64_t size_ = 0;
  std::vector<std::uint64_t> ends_;
  io::MappedFile map_;
};

// The postings of one text field for the documents a worker has read, with worker-local term ids.
struct FieldDocs {
  TermInterner terms;
  std::vector<std::uint32_t> post_terms;
  std::vector<std::uint32_t> post_freqs;
  std::vector<std::uint64_t> doc_ends;  // per local document, end in post_*
  std::vector<std::uint32_t> lengths;   // per local document

  std::pair<std::uint64_t, std::uint64_t> range(std::size_t doc) const {
    return {doc == 0 ? 0 : doc_ends[doc - 1], doc_ends[doc]};
  }
};

// Everything one worker thread accumulates.
struct WorkerState {
  WorkerState(FieldLayout layout, std::size_t num_fields, std::optional<fs::path> spill_path)
      : parser(layout), fields(num_fields) {
    if (spill_path) spill = std::make_unique<SpillFile>(*spill_path);
  }

  std::string_view id(std::size_t doc) const {
    const std::uint64_t b = doc == 0 ? 0 : id_ends[doc - 1];
    return std::string_view(ids).substr(b, id_ends[doc] - b);
  }
  std::size_t num_docs() const { return id_ends.size(); }

  CorpusParser parser;
  std::string ids;
  std::vector<std::uint64_t> id_ends;
  std::vector<Location> locations;
  std::vector<FieldDocs> fields;
  std::unique_ptr<SpillFile> spill;
  std::vector<LineError> errors;
  std::uint64_t blank_lines = 0;
  text::TermList terms;
  std::vector<std::uint32_t> term_ids;
};

bool is_blank(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

void invert_text(const text::Analyzer& analyzer, std::string_view text, WorkerState& st,
                 FieldDocs& fd) {
  st.terms.clear();
  analyzer.analyze(text, st.terms);
  st.term_ids.clear();
  for (std::size_t i = 0; i < st.terms.size(); ++i)
    st.term_ids.push_back(fd.terms.intern(st.terms[i]));
  std::sort(st.term_ids.begin(), st.term_ids.end());
  for (std::size_t i = 0; i < st.term_ids.size();) {
    std::size_t j = i + 1;
    while (j < st.term_ids.size() && st.term_ids[j] == st.term_ids[i]) ++j;
    fd.post_terms.push_back(st.term_ids[i]);
    fd.post_freqs.push_back(static_cast<std::uint32_t>(j - i));
    i = j;
  }
  fd.doc_ends.push_back(fd.post_terms.size());
  fd.lengths.push_back(static_cast<std::uint32_t>(st.terms.size()));
}

void process_line(const Batch& batch, std::size_t i, const text::Analyzer& analyzer,
                  WorkerState& st) {
  const std::string_view line = batch.lines[i];
  if (is_blank(line)) {
    ++st.blank_lines;
    return;
  }
  const Location where{batch.file, batch.first_line + i};
  const std::size_t readable =
      static_cast<std::size_t>(batch.data.data() + batch.data.size() - line.data());
  const ParsedDocument* doc = nullptr;
  try {
    doc = &st.parser.parse(line, readable);
  } catch (const Error& e) {
    st.errors.push_back({where, e.what()});
    return;
  }
  st.ids.append(doc->id);
  st.id_ends.push_back(st.ids.size());
  st.locations.push_back(where);
  if (st.spill) st.spill->append(line);
  for (std::size_t f = 0; f < st.fields.size(); ++f)
    invert_text(analyzer, doc->fields[f], st, st.fields[f]);
}

struct DocRef {
  std::uint32_t worker;
  std::uint32_t index;
};

// Merges the workers' local dictionaries of one field into one sorted dictionary and inverts the
// kept documents (in DocId order) into CSR postings.
InvertedField invert_field(std::vector<std::unique_ptr<WorkerState>>& workers, std::size_t field,
                           const std::vector<DocRef>& kept) {
  struct TermRef {
    std::string_view term;
    std::uint32_t worker;
    std::uint32_t local;
  };
  std::vector<TermRef> refs;
  for (std::uint32_t w = 0; w < workers.size(); ++w) {
    const TermInterner& terms = workers[w]->fields[field].terms;
    for (std::uint32_t t = 0; t < terms.size(); ++t) refs.push_back({terms.term(t), w, t});
  }
  std::sort(refs.begin(), refs.end(),
            [](const TermRef& a, const TermRef& b) { return a.term < b.term; });
  std::vector<std::vector<std::uint32_t>> to_global(workers.size());
  for (std::uint32_t w = 0; w < workers.size(); ++w)
    to_global[w].resize(workers[w]->fields[field].terms.size());
  std::vector<std::string_view> global_terms;
  for (const auto& r : refs) {
    if (global_terms.empty() || global_terms.back() != r.term) global_terms.push_back(r.term);
    to_global[r.worker][r.local] = static_cast<std::uint32_t>(global_terms.size() - 1);
  }
  // Document frequencies over the kept documents; terms seen only in skipped ones are dropped.
  std::vector<std::uint64_t> df(global_terms.size(), 0);
  for (const auto& ref : kept) {
    const FieldDocs& fd = workers[ref.worker]->fields[field];
    const auto [b, e] = fd.range(ref.index);
    for (std::uint64_t p = b; p < e; ++p) ++df[to_global[ref.worker][fd.post_terms[p]]];
  }
  std::vector<std::uint32_t> compact(global_terms.size());
  InvertedField inv;
  inv.term_starts.push_back(0);
  inv.list_starts.push_back(0);
  std::uint32_t next = 0;
  for (std::size_t g = 0; g < global_terms.size(); ++g) {
    if (df[g] == 0) continue;
    compact[g] = next++;
    inv.term_bytes.append(global_terms[g]);
    inv.term_starts.push_back(inv.term_bytes.size());
    inv.list_starts.push_back(inv.list_starts.back() + df[g]);
  }
  for (auto& m : to_global) {
    for (auto& g : m) g = df[g] == 0 ? UINT32_MAX : compact[g];
  }
  inv.docs.resize(inv.list_starts.back());
  inv.freqs.resize(inv.list_starts.back());
  inv.lengths.resize(kept.size());
  std::vector<std::uint64_t> cursor(inv.list_starts.begin(), inv.list_starts.end() - 1);
  for (DocId d = 0; d < kept.size(); ++d) {
    const FieldDocs& fd = workers[kept[d].worker]->fields[field];
    const auto& map = to_global[kept[d].worker];
    const auto [b, e] = fd.range(kept[d].index);
    for (std::uint64_t p = b; p < e; ++p) {
      const std::uint64_t pos = cursor[map[fd.post_terms[p]]]++;
      inv.docs[pos] = d;
      inv.freqs[pos] = fd.post_freqs[p];
    }
    inv.lengths[d] = fd.lengths[kept[d].index];
  }
  return inv;
}

// Prepares the directory: refuses to overwrite an index or write into a foreign folder, and
// returns the previous manifest if there is one.
std::optional<Manifest> prepare_directory(const BuildOptions& options) {
  const fs::path& dir = options.index_dir;
  std::error_code ec;
  if (fs::exists(dir / Manifest::kFileName, ec)) {
    if (!options.overwrite) {
      fail(ErrorKind::invalid_argument,
           "{}: already holds an index; pass --overwrite to replace it", dir.string());
    }
    return Manifest::read(dir);
  }
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec))
      fail(ErrorKind::invalid_argument, "{}: exists and is not a directory", dir.string());
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string name = entry.path().filename().string();
      const bool ours = name.starts_with("seg-") || name == "write.lock" ||
                        name.starts_with("manifest.json.tmp-");
      if (!ours) {
        fail(ErrorKind::invalid_argument,
             "{}: exists and is not a tandem index (it holds '{}'); refusing to write into it",
             dir.string(), name);
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::string segment_name_for(std::uint64_t generation) {
  return fmt::format("seg-{:06d}", generation);
}

std::string deletes_name_for(std::uint64_t generation) {
  return fmt::format("del-{:06d}", generation);
}

NewSegmentDir::NewSegmentDir(fs::path dir) : dir_(std::move(dir)) {
  fs::remove_all(dir_);  // a leftover of a crashed writer with the same generation
  fs::create_directories(dir_);
}

NewSegmentDir::~NewSegmentDir() {
  std::error_code ec;
  if (!keep_) fs::remove_all(dir_, ec);
}

void remove_unreferenced(const fs::path& dir, const Manifest& manifest) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    const SegmentInfo* seg = manifest.find_segment(name);
    std::error_code ec;
    if ((name.starts_with("seg-") && seg == nullptr) || name.starts_with("manifest.json.tmp-")) {
      fs::remove_all(entry.path(), ec);
      continue;
    }
    if (seg == nullptr || !entry.is_directory(ec)) continue;
    // Inside a live segment: old deletion files and temp files of a crashed writer.
    for (const auto& inner : fs::directory_iterator(entry.path(), ec)) {
      const std::string file = inner.path().filename().string();
      const bool stale_deletes = file.starts_with("del-") && file != seg->deletes;
      if (stale_deletes || file.find(".tmp-") != std::string::npos) fs::remove(inner.path(), ec);
    }
  }
}

std::uint64_t index_size_bytes(const fs::path& index_dir) {
  const Manifest m = Manifest::read(index_dir);
  std::uint64_t total = fs::file_size(index_dir / Manifest::kFileName);
  for (const auto& s : m.segments) {
    for (const auto& entry : fs::directory_iterator(index_dir / s.name)) {
      if (entry.is_regular_file()) total += entry.file_size();
    }
  }
  return total;
}

// Writes the multi-vector file of a segment whose DocId i has external id ids[i] (sorted).
std::uint64_t write_multivec_rows(const fs::path& segment_dir, const multi::MultiVectorSet& set,
                                  const fs::path& source, std::span<const std::string_view> ids,
                                  const multi::MultiVectorSettings& settings) {
  std::vector<std::pair<DocId, std::size_t>> rows;  // (doc, index in the set)
  rows.reserve(set.ids.size());
  for (std::size_t i = 0; i < set.ids.size(); ++i) {
    const auto it = std::lower_bound(ids.begin(), ids.end(), std::string_view(set.ids[i]));
    if (it == ids.end() || *it != set.ids[i])
      fail(ErrorKind::invalid_argument,
           "{}: document {} (id '{}') has token vectors but is not a document of the corpus",
           source.string(), i + 1, set.ids[i]);
    rows.emplace_back(static_cast<DocId>(it - ids.begin()), i);
  }
  std::sort(rows.begin(), rows.end());
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].first == rows[r - 1].first)
      fail(ErrorKind::invalid_argument, "{}: id '{}' has token vectors twice (documents {} and {})",
           source.string(), set.ids[rows[r].second],
           std::min(rows[r].second, rows[r - 1].second) + 1,
           std::max(rows[r].second, rows[r - 1].second) + 1);
  }
  std::vector<DocId> row_doc;
  std::vector<std::uint64_t> offsets = {0};
  std::vector<float> values;
  values.reserve(set.values.size());
  for (const auto& [doc, i] : rows) {
    row_doc.push_back(doc);
    const std::uint64_t b = set.offsets[i], e = set.offsets[i + 1];
    values.insert(values.end(), set.values.begin() + static_cast<std::ptrdiff_t>(b * set.dim),
                  set.values.begin() + static_cast<std::ptrdiff_t>(e * set.dim));
    offsets.push_back(offsets.back() + (e - b));
  }
  multi::write_multi_vector_store(segment_files::multivec(segment_dir), set.dim, settings.encoding,
                                  row_doc, offsets, values);
  return row_doc.size();
}

SegmentInfo build_segment(const BuildOptions& options, IndexSettings& settings,
                          const std::vector<fs::path>& files, const fs::path& segment_dir,
                          BuildReport& report, Clock::time_point start, ProgressSink* progress,
                          io::VectorSet* vectors, const multi::MultiVectorSet* multivec) {
  const bool dense_only = files.empty() && vectors != nullptr;
  const auto analyzer = text::make_analyzer(settings.analyzer);
  const auto fields = settings.fields();
  const unsigned threads = resolve_threads(options.threads);
  std::vector<std::unique_ptr<WorkerState>> workers;
  for (unsigned w = 0; w < threads; ++w) {
    std::optional<fs::path> spill;
    if (settings.store) spill = segment_dir / fmt::format("store.spill-{}", w);
    workers.push_back(std::make_unique<WorkerState>(settings.layout, fields.size(), spill));
  }

  // Read, parse and analyse: the next batch is read while the current one is processed.
  BatchReader reader(files, options.batch_bytes);
  report.input_bytes = reader.total_bytes();
  std::future<Batch> pending = std::async(std::launch::async, [&] { return reader.next(); });
  while (true) {
    Batch batch = pending.get();
    if (batch.lines.empty()) break;
    pending = std::async(std::launch::async, [&] { return reader.next(); });
    parallel_for(
        batch.lines.size(), threads,
        [&](std::size_t i, unsigned w) { process_line(batch, i, *analyzer, *workers[w]); }, 64);
    if (!options.skip_bad) {
      for (const auto& w : workers) {
        if (!w->errors.empty()) {
          pending.wait();
          break;
        }
      }
    }
    bool any_error = false;
    for (const auto& w : workers) any_error = any_error || !w->errors.empty();
    if (any_error && !options.skip_bad) break;
    if (progress != nullptr)
      progress->update("indexing", reader.consumed_bytes(), reader.total_bytes());
  }
  if (pending.valid()) pending.wait();
  if (progress != nullptr) progress->finish("indexing");

  std::vector<LineError> errors;
  for (auto& w : workers) {
    errors.insert(errors.end(), w->errors.begin(), w->errors.end());
    report.blank_lines += w->blank_lines;
  }
  std::sort(errors.begin(), errors.end(),
            [](const LineError& a, const LineError& b) { return a.where < b.where; });
  const auto describe = [&](const Location& l) {
    return fmt::format("{}:{}", reader.file(l.file).string(), l.line);
  };
  if (!errors.empty()) {
    if (!options.skip_bad) {
      fail(ErrorKind::invalid_argument, "{}: {} (pass --skip-bad to skip malformed lines)",
           describe(errors[0].where), errors[0].message);
    }
    report.skipped_lines = errors.size();
    for (std::size_t i = 0; i < errors.size() && report.problems.size() < kMaxProblems; ++i) {
      report.problems.push_back(
          fmt::format("skipped {}: {}", describe(errors[i].where), errors[i].message));
    }
  }
  report.read_seconds = seconds_since(start);
  const auto write_start = Clock::now();

  // Documents in byte order of their ids; the first occurrence of a repeated id wins.
  std::vector<DocRef> order;
  for (std::uint32_t w = 0; w < workers.size(); ++w) {
    for (std::uint32_t i = 0; i < workers[w]->num_docs(); ++i) order.push_back({w, i});
  }
  const auto id_of = [&](const DocRef& r) { return workers[r.worker]->id(r.index); };
  const auto loc_of = [&](const DocRef& r) { return workers[r.worker]->locations[r.index]; };
  std::sort(order.begin(), order.end(), [&](const DocRef& a, const DocRef& b) {
    const auto ia = id_of(a), ib = id_of(b);
    return ia < ib || (ia == ib && loc_of(a) < loc_of(b));
  });
  std::vector<DocRef> kept;
  kept.reserve(order.size());
  std::vector<std::string> duplicates;
  std::uint64_t duplicate_count = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i > 0 && id_of(order[i]) == id_of(kept.back())) {
      ++duplicate_count;
      if (duplicates.size() < kMaxProblems) {
        duplicates.push_back(fmt::format("duplicate id '{}' at {} (first at {})", id_of(order[i]),
                                         describe(loc_of(order[i])),
                                         describe(loc_of(kept.back()))));
      }
      continue;
    }
    kept.push_back(order[i]);
  }
  if (duplicate_count > 0) {
    if (!options.skip_bad) {
      fail(ErrorKind::invalid_argument,
           "{} duplicate document id{}: {}{} (pass --skip-bad to keep the first occurrence)",
           duplicate_count, duplicate_count == 1 ? "" : "s", fmt::join(duplicates, "; "),
           duplicate_count > duplicates.size() ? "; ..." : "");
    }
    report.skipped_duplicates = duplicate_count;
    for (auto& d : duplicates) {
      if (report.problems.size() < 2 * kMaxProblems) report.problems.push_back("skipped " + d);
    }
  }
  // Ids and stored documents in DocId order (a dense-only index takes its ids from the vectors).
  std::vector<std::string_view> ids;
  ids.reserve(kept.size());
  for (const auto& r : kept) ids.push_back(id_of(r));
  std::vector<std::string> vector_ids;
  if (dense_only) {
    vector_ids = sorted_vector_ids(*vectors, options.dense_vectors);
    ids.assign(vector_ids.begin(), vector_ids.end());
  }
  if (ids.size() >= kEndDoc)
    fail(ErrorKind::limit_exceeded, "more than {} documents in one segment", kEndDoc - 1);
  report.documents = ids.size();
  write_id_table(segment_files::ids(segment_dir), ids);
  if (settings.store) {
    for (auto& w : workers) w->spill->finish();
    DocStoreWriter store(segment_files::store(segment_dir), threads);
    for (std::size_t d = 0; d < kept.size(); ++d) {
      store.add(workers[kept[d].worker]->spill->document(kept[d].index));
      if (progress != nullptr && d % 65536 == 0) progress->update("writing store", d, kept.size());
    }
    store.commit();
    if (progress != nullptr) progress->finish("writing store");
    for (auto& w : workers) w->spill.reset();
  }

  SegmentInfo segment;
  segment.num_docs = static_cast<std::uint32_t>(ids.size());
  std::vector<bool> has_terms(kept.size(), false);
  for (std::size_t f = 0; f < fields.size(); ++f) {
    InvertedField inv = invert_field(workers, f, kept);
    for (std::size_t d = 0; d < kept.size(); ++d) has_terms[d] = has_terms[d] || inv.lengths[d] > 0;
    for (auto& w : workers) w->fields[f] = FieldDocs{};  // release the worker postings early
    const SegmentFieldInfo info =
        write_inverted_field(segment_dir, fields[f], inv, threads, progress);
    report.postings += info.num_postings;
    report.postings_bytes += info.postings_bytes;
    report.terms += info.num_terms;
    segment.fields[fields[f]] = info;
  }
  if (options.sparse) {
    const SegmentFieldInfo info =
        write_sparse_field(segment_dir, ids, *options.sparse, threads, progress);
    const auto lengths = DocLengthsFile(segment_files::lengths(segment_dir, kSparseField));
    for (std::size_t d = 0; d < kept.size(); ++d)
      has_terms[d] = has_terms[d] || lengths.view().lengths[d] > 0;
    report.postings += info.num_postings;
    report.postings_bytes += info.postings_bytes;
    report.sparse_postings = info.num_postings;
    report.sparse_terms = info.num_terms;
    segment.fields[std::string(kSparseField)] = info;
    if (options.sparse_approx) {
      auto params = *options.sparse_approx;
      params.threads = threads;
      const auto field = SparseFieldFiles::open(segment_dir);
      const SparseApproxReport r = write_sparse_approx(
          segment_dir, *field, static_cast<std::uint32_t>(ids.size()), params, progress);
      report.sparse_approx_seconds = r.build_seconds;
      report.sparse_approx_bytes = r.bytes;
      report.sparse_approx_blocks = r.blocks;
    }
  }
  report.empty_documents =
      fields.empty()
          ? 0
          : static_cast<std::uint64_t>(std::count(has_terms.begin(), has_terms.end(), false));
  if (vectors) {
    segment.dense_rows = write_dense_rows(segment_dir, *vectors, options.dense_vectors, ids,
                                          *settings.dense, threads, progress);
  }
  if (multivec != nullptr) {
    segment.multivec_rows =
        write_multivec_rows(segment_dir, *multivec, options.multivec, ids, *settings.multivec);
    report.multivec_docs = segment.multivec_rows;
    report.multivec_tokens = multivec->offsets.back();
  }
  io::sync_directory(segment_dir);

  report.write_seconds = seconds_since(write_start);
  return segment;
}

BuildReport build_index(const BuildOptions& options, ProgressSink* progress) {
  const auto start = Clock::now();
  BuildReport report;
  // With no corpus, a sparse vector file is the corpus (its lines may carry text); with neither,
  // the index is dense-only.
  const bool sparse_is_corpus = options.corpus.empty() && options.sparse.has_value();
  const bool dense_only = options.corpus.empty() && !sparse_is_corpus;
  if (dense_only && options.dense_vectors.empty()) {
    fail(ErrorKind::invalid_argument,
         "give a corpus, sparse vectors, dense vectors, or a combination");
  }
  if (options.sparse_approx && !options.sparse)
    fail(ErrorKind::invalid_argument,
         "an approximate sparse index needs a sparse field (--sparse)");
  if (!options.dense_vectors.empty() && !options.settings.dense)
    fail(ErrorKind::invalid_argument, "dense vectors need dense settings (a metric)");
  if (dense_only && options.settings.layout != FieldLayout::none)
    fail(ErrorKind::invalid_argument, "a dense-only index has no text fields (layout 'none')");
  // Vectors are read and checked first, so that a bad vector file fails before any other work.
  std::optional<io::VectorSet> vectors;
  if (!options.dense_vectors.empty())
    vectors =
        read_dense_input(options.dense_vectors, options.dense_ids, options.settings.dense->metric);
  std::optional<multi::MultiVectorSet> multivec;
  if (!options.multivec.empty()) {
    if (dense_only)
      fail(ErrorKind::invalid_argument,
           "a multi-vector field needs a corpus (its ids must be documents of the corpus)");
    if (progress != nullptr) progress->update("reading token vectors", 0, 1);
    multivec = multi::read_multi_vectors(options.multivec, options.multivec_offsets);
    if (progress != nullptr) progress->finish("reading token vectors");
  }
  const auto files =
      dense_only ? std::vector<fs::path>{}
                 : list_corpus_files(sparse_is_corpus ? options.sparse->vectors : options.corpus);
  const std::optional<Manifest> previous = prepare_directory(options);
  fs::create_directories(options.index_dir);
  WriteLock lock(options.index_dir);

  Manifest manifest;
  manifest.generation = previous ? previous->generation + 1 : 1;
  manifest.created_by = "tandem " TANDEM_VERSION;
  manifest.settings = options.settings;
  if (dense_only) manifest.settings.store = false;
  if (multivec) {
    if (!manifest.settings.multivec) manifest.settings.multivec = multi::MultiVectorSettings{};
    manifest.settings.multivec->dim = static_cast<std::uint32_t>(multivec->dim);
  } else {
    manifest.settings.multivec.reset();
  }
  const std::string segment_name = segment_name_for(manifest.generation);
  const fs::path segment_dir = options.index_dir / segment_name;
  NewSegmentDir guard(segment_dir);
  SegmentInfo segment =
      build_segment(options, manifest.settings, files, segment_dir, report, start, progress,
                    vectors ? &*vectors : nullptr, multivec ? &*multivec : nullptr);

  segment.name = segment_name;
  const auto publish_start = Clock::now();
  manifest.segments.push_back(std::move(segment));
  manifest.publish(options.index_dir);
  guard.keep();
  remove_unreferenced(options.index_dir, manifest);
  report.generation = manifest.generation;
  report.write_seconds += seconds_since(publish_start);
  report.index_bytes = index_size_bytes(options.index_dir);
  return report;
}

}  // namespace tandem::index
