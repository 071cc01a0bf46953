#include "tandem/index/index_writer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/index/corpus_parser.hpp"
#include "tandem/index/doc_store.hpp"
#include "tandem/index/id_table.hpp"
#include "tandem/index/index_reader.hpp"
#include "tandem/index/inverted_field.hpp"
#include "tandem/index/segment_files.hpp"
#include "tandem/index/sparse_approx.hpp"
#include "tandem/index/sparse_field.hpp"
#include "tandem/index/write_lock.hpp"
#include "tandem/io/file_format.hpp"
#include "tandem/multi/multi_vector_input.hpp"
#include "tandem/multi/multi_vector_store.hpp"
#include "tandem/sparse/cursor/posting_cursor.hpp"

#include "dense_ingest.hpp"
#include "segment_writing.hpp"

namespace tandem::index {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void step(const StepHook& hook, std::string_view name) {
  if (hook) hook(name);
}

// `dir` if it holds an index (so that no write.lock is created elsewhere); throws Error(not_found).
const fs::path& existing_index(const fs::path& dir) {
  [[maybe_unused]] const Manifest m = Manifest::read(dir);
  return dir;
}

// One writer's hold on an index: the write lock, the manifest in force, and a clean directory
// (what a crashed writer left is removed on entry).
class Session {
 public:
  explicit Session(fs::path dir) : dir_(std::move(dir)), lock_(existing_index(dir_)) {
    manifest_ = Manifest::read(dir_);  // again, under the lock: the authoritative one
    remove_unreferenced(dir_, manifest_);
  }

  const fs::path& dir() const { return dir_; }
  const Manifest& manifest() const { return manifest_; }
  std::shared_ptr<const IndexReader> open() const {
    auto reader = IndexReader::open(dir_);
    if (reader->manifest().generation != manifest_.generation)
      fail(ErrorKind::io, "{}: the manifest changed under the write lock", dir_.string());
    return reader;
  }
  // The manifest to publish next: the current one with the next generation.
  Manifest next() const {
    Manifest m = manifest_;
    m.format_version = Manifest::kVersion;
    m.generation = manifest_.generation + 1;
    m.created_by = "tandem " TANDEM_VERSION;
    return m;
  }
  void publish(Manifest m, const StepHook& hook) {
    step(hook, "before publish");
    m.publish(dir_);
    manifest_ = std::move(m);
    step(hook, "published");
    remove_unreferenced(dir_, manifest_);
  }

 private:
  fs::path dir_;
  WriteLock lock_;
  Manifest manifest_;
};

std::vector<const TextFieldFiles*> field_files(const SegmentReader& seg, std::size_t num_fields) {
  std::vector<const TextFieldFiles*> files;
  for (std::size_t f = 0; f < num_fields; ++f) files.push_back(&seg.field(f));
  return files;
}

// Adds deletions to segments of `m` (whose segments are reader's, in the same order): `marks`
// maps a segment index to DocIds to delete. Writes one new deletion file per touched segment,
// named after m.generation; segments left without live documents are removed from m.
void apply_deletions(const IndexReader& reader, Manifest& m,
                     const std::map<std::size_t, std::vector<DocId>>& marks, const StepHook& hook) {
  for (const auto& [s, docs] : marks) {
    const SegmentReader& seg = *reader.segments()[s];
    Deletions d = seg.deletions() != nullptr ? *seg.deletions() : Deletions(seg.num_docs());
    for (const DocId doc : docs) d.insert(doc);
    SegmentInfo& info = m.segments[s];
    info.num_deleted = d.count;
    if (d.count == info.num_docs) continue;  // dropped below
    d.count_fields(field_files(seg, reader.field_names().size()));
    info.deletes = deletes_name_for(m.generation);
    d.write(reader.dir() / info.name / info.deletes);
    step(hook, "deletes written");
  }
  std::erase_if(m.segments, [](const SegmentInfo& s) { return s.num_live_docs() == 0; });
}

// A live document of a merge: merged DocId i is the i-th in external id order.
struct MergedDoc {
  std::string id;
  std::uint32_t source = 0;  // index into the merged segments
  DocId doc = 0;
};

std::vector<std::pair<std::uint32_t, DocId>> live_rows(const std::vector<MergedDoc>& live) {
  std::vector<std::pair<std::uint32_t, DocId>> out;
  out.reserve(live.size());
  for (const auto& l : live) out.emplace_back(l.source, l.doc);
  return out;
}

// One source segment's lists of a field: its dictionary and postings (null terms: no field).
struct ListSource {
  const TermDictionary* terms = nullptr;
  const std::byte* postings = nullptr;
};

// Appends the merged lists of `sources` to `inv` (terms in byte order, lists; not lengths): a
// posting (doc, freq) of source k becomes (new_doc[k][doc], impact(k, freq)), dropped when the
// DocId is kEndDoc or the new frequency 0; terms left without postings are dropped.
template <class MapFreq>
void merge_lists(const std::vector<ListSource>& sources,
                 const std::vector<std::vector<DocId>>& new_doc, MapFreq map_freq,
                 InvertedField& inv) {
  struct TermSource {
    std::string term;
    std::uint32_t source;
    TermEntry entry;
  };
  std::vector<TermSource> terms;
  for (std::uint32_t k = 0; k < sources.size(); ++k) {
    if (sources[k].terms == nullptr) continue;
    sources[k].terms->for_each([&](TermId, std::string_view t, const TermEntry& e) {
      terms.push_back({std::string(t), k, e});
    });
  }
  std::sort(terms.begin(), terms.end(), [](const TermSource& a, const TermSource& b) {
    return a.term < b.term || (a.term == b.term && a.source < b.source);
  });
  inv.term_starts.push_back(0);
  inv.list_starts.push_back(0);
  std::vector<std::pair<DocId, std::uint32_t>> postings;
  for (std::size_t i = 0; i < terms.size();) {
    std::size_t j = i;
    postings.clear();
    for (; j < terms.size() && terms[j].term == terms[i].term; ++j) {
      const TermSource& src = terms[j];
      sparse::PostingCursor cursor(sources[src.source].postings + src.entry.postings_offset,
                                   {src.entry.doc_freq, src.entry.total_freq});
      for (; cursor.docid() != kEndDoc; cursor.next()) {
        const DocId nd = new_doc[src.source][cursor.docid()];
        if (nd == kEndDoc) continue;
        const std::uint32_t freq = map_freq(src.source, cursor.freq());
        if (freq != 0) postings.emplace_back(nd, freq);
      }
    }
    if (!postings.empty()) {
      if (j - i > 1) std::sort(postings.begin(), postings.end());
      inv.term_bytes.append(terms[i].term);
      inv.term_starts.push_back(inv.term_bytes.size());
      for (const auto& [d, freq] : postings) {
        inv.docs.push_back(d);
        inv.freqs.push_back(freq);
      }
      inv.list_starts.push_back(inv.docs.size());
    }
    i = j;
  }
}

// The learned-sparse field of a merge: the sources' postings in merged DocId order. Impacts are
// copied, so scores equal the sources'; the quantisation settings are the newest source's (all
// sources share them unless an older index was built with others: then impacts are re-quantised
// from the weights they stand for).
void write_merged_sparse(const IndexReader& reader, const std::vector<std::size_t>& which,
                         const std::vector<std::vector<DocId>>& new_doc, const fs::path& out_dir,
                         unsigned threads, SegmentInfo& info) {
  std::vector<std::optional<SparseFieldFiles>> fields;
  std::optional<SparseFieldMeta> meta;
  for (const std::size_t w : which) {
    fields.push_back(SparseFieldFiles::open(reader.dir() / reader.segments()[w]->info().name));
    if (fields.back()) meta = fields.back()->meta;
  }
  if (!meta) return;
  std::vector<ListSource> sources;
  sources.reserve(fields.size());
  for (const auto& f : fields) {
    sources.push_back(f ? ListSource{&f->terms, f->postings.payload().data()} : ListSource{});
  }
  InvertedField inv;
  merge_lists(
      sources, new_doc,
      [&](std::uint32_t k, std::uint32_t impact) {
        return requantize_impact(impact, fields[k]->meta, *meta);
      },
      inv);
  inv.lengths.assign(info.num_docs, 0);
  for (const DocId d : inv.docs) ++inv.lengths[d];
  if (inv.docs.empty()) return;  // no live document has a vector: no field (as a fresh build)
  info.fields[std::string(kSparseField)] = write_sparse_impacts(out_dir, inv, *meta, threads);
}

// The dense field of a merge: the live vectors copied in merged DocId order (`rows`: the source
// and DocId of each merged document), and the HNSW graph and codes the settings ask for built
// over them.
void write_merged_dense(const IndexReader& reader, const std::vector<std::size_t>& which,
                        const std::vector<std::pair<std::uint32_t, DocId>>& rows,
                        const fs::path& out_dir, unsigned threads, SegmentInfo& info) {
  if (!reader.settings().dense) return;
  const dense::DenseSettings& settings = *reader.settings().dense;
  std::vector<DocId> row_doc;
  std::vector<float> values;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const dense::DenseField* field = reader.segments()[which[rows[i].first]]->dense();
    if (field == nullptr) continue;
    const dense::VectorStore& store = field->vectors();
    const auto docs = store.row_doc();
    const auto it = std::lower_bound(docs.begin(), docs.end(), rows[i].second);
    if (it == docs.end() || *it != rows[i].second) continue;  // a document without a vector
    const float* v = store.row(static_cast<std::size_t>(it - docs.begin()));
    row_doc.push_back(static_cast<DocId>(i));
    values.insert(values.end(), v, v + store.dim());
  }
  if (row_doc.empty()) return;
  dense::write_dense_field(out_dir, settings, row_doc, values, threads, nullptr);
  info.dense_rows = row_doc.size();
}

// The multi-vector field of a merge: the live documents' token vectors in merged DocId order
// (`rows`: the source and DocId of each merged document). f32 tokens are copied exactly; int8
// tokens are decoded and re-quantised with the merged segment's own scales (docs/live.md). The
// file is written even with no rows, as every segment of such an index has one.
void write_merged_multivec(const IndexReader& reader, const std::vector<std::size_t>& which,
                           const std::vector<std::pair<std::uint32_t, DocId>>& rows,
                           const fs::path& out_dir, SegmentInfo& info) {
  if (!reader.settings().multivec) return;
  const multi::MultiVectorSettings& settings = *reader.settings().multivec;
  std::vector<DocId> row_doc;
  std::vector<std::uint64_t> offsets = {0};
  std::vector<float> values;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const multi::MultiVectorStore* store = reader.segments()[which[rows[i].first]]->multivec();
    const auto row = store != nullptr ? store->row_of(rows[i].second) : std::nullopt;
    if (!row) continue;  // a document without token vectors
    const std::size_t n = store->token_count(*row);
    const std::size_t at = values.size();
    values.resize(at + n * settings.dim);
    for (std::size_t j = 0; j < n; ++j)
      store->decode(*row, j, values.data() + at + j * settings.dim);
    row_doc.push_back(static_cast<DocId>(i));
    offsets.push_back(offsets.back() + n);
  }
  multi::write_multi_vector_store(segment_files::multivec(out_dir), settings.dim, settings.encoding,
                                  row_doc, offsets, values);
  info.multivec_rows = row_doc.size();
}

// The build parameters of the approximate sparse index that the newest of `segments` (indexes
// into reader's segments; all of them when empty) keeps, if any keeps one: adds and merges build
// one for their new segment with the same parameters, so the index stays searchable with
// --retriever sparse-approx without a rebuild at search time.
std::optional<sparse::approx::SeismicBuildParams> kept_approx_params(
    const IndexReader& reader, std::vector<std::size_t> segments = {}) {
  if (segments.empty()) {
    segments.resize(reader.segments().size());
    std::iota(segments.begin(), segments.end(), 0);
  }
  for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
    const auto path =
        segment_files::sparse_approx(reader.dir() / reader.segments()[*it]->info().name);
    if (fs::exists(path)) return sparse::approx::SeismicIndex::describe(path).params;
  }
  return std::nullopt;
}

// Writes the live documents of reader's segments `which` as one segment into `out_dir` (which
// exists and is empty): DocIds in external-id order, posting lists re-encoded, so the files equal
// a fresh build's of the same documents. Returns the info without its name.
SegmentInfo write_merged_segment(const IndexReader& reader, const std::vector<std::size_t>& which,
                                 const fs::path& out_dir, unsigned threads, const StepHook& hook) {
  std::vector<MergedDoc> live;
  for (std::uint32_t k = 0; k < which.size(); ++k) {
    const SegmentReader& seg = *reader.segments()[which[k]];
    for (DocId d = 0; d < seg.num_docs(); ++d) {
      if (!seg.is_deleted(d)) live.push_back({seg.ids().id(d), k, d});
    }
  }
  std::sort(live.begin(), live.end(),
            [](const MergedDoc& a, const MergedDoc& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < live.size(); ++i) {
    if (live[i].id == live[i - 1].id)
      fail(ErrorKind::corruption, "{}: id '{}' is live in two segments", reader.dir().string(),
           live[i].id);
  }
  if (live.size() >= kEndDoc)
    fail(ErrorKind::limit_exceeded, "more than {} documents in one segment", kEndDoc - 1);
  std::vector<std::vector<DocId>> new_doc(which.size());
  for (std::size_t k = 0; k < which.size(); ++k)
    new_doc[k].assign(reader.segments()[which[k]]->num_docs(), kEndDoc);
  for (std::size_t i = 0; i < live.size(); ++i)
    new_doc[live[i].source][live[i].doc] = static_cast<DocId>(i);

  std::vector<std::string_view> ids;
  ids.reserve(live.size());
  for (const auto& l : live) ids.push_back(l.id);
  write_id_table(segment_files::ids(out_dir), ids);
  step(hook, "merge ids written");
  if (reader.settings().store) {
    DocStoreWriter store(segment_files::store(out_dir), threads);
    // Each source is read in increasing DocId order: one block cache per source.
    std::vector<DocStore::BlockCache> caches(which.size());
    for (const auto& l : live) {
      store.add(reader.segments()[which[l.source]]->store()->get(l.doc, caches[l.source]));
    }
    store.commit();
    step(hook, "merge store written");
  }

  SegmentInfo info;
  info.num_docs = static_cast<std::uint32_t>(live.size());
  for (std::size_t f = 0; f < reader.field_names().size(); ++f) {
    InvertedField inv;
    inv.lengths.resize(live.size());
    for (std::size_t i = 0; i < live.size(); ++i) {
      const SegmentReader& seg = *reader.segments()[which[live[i].source]];
      inv.lengths[i] = seg.field(f).lengths.view().lengths[live[i].doc];
    }
    std::vector<ListSource> sources;
    for (const std::size_t w : which) {
      const TextFieldFiles& files = reader.segments()[w]->field(f);
      sources.push_back({&files.terms, files.postings.payload().data()});
    }
    merge_lists(
        sources, new_doc, [](std::uint32_t, std::uint32_t freq) { return freq; }, inv);
    const std::string& name = reader.field_names()[f];
    info.fields[name] = write_inverted_field(out_dir, name, inv, threads, nullptr);
    step(hook, "merge field written");
  }
  write_merged_sparse(reader, which, new_doc, out_dir, threads, info);
  step(hook, "merge sparse written");
  write_merged_dense(reader, which, live_rows(live), out_dir, threads, info);
  step(hook, "merge dense written");
  write_merged_multivec(reader, which, live_rows(live), out_dir, info);
  step(hook, "merge multivec written");
  if (const auto params = kept_approx_params(reader, which)) {
    if (const auto field = SparseFieldFiles::open(out_dir)) {
      auto p = *params;
      p.threads = threads;
      write_sparse_approx(out_dir, *field, info.num_docs, p, nullptr);
      step(hook, "merge approximate index written");
    }
  }
  io::sync_directory(out_dir);
  return info;
}

// Merges `which` (indexes into the session's segments) into one new segment and publishes.
void merge_and_publish(Session& session, std::vector<std::size_t> which, unsigned threads,
                       const StepHook& hook, MergeReport& report) {
  const auto reader = session.open();
  Manifest m = session.next();
  std::sort(which.begin(), which.end());
  std::uint64_t live = 0, deleted = 0;
  for (const std::size_t s : which) {
    live += m.segments[s].num_live_docs();
    deleted += m.segments[s].num_deleted;
  }
  const std::string name = segment_name_for(m.generation);
  NewSegmentDir out(session.dir() / name);
  std::vector<SegmentInfo> kept;
  for (std::size_t s = 0; s < m.segments.size(); ++s) {
    if (!std::binary_search(which.begin(), which.end(), s)) kept.push_back(m.segments[s]);
  }
  if (live > 0) {
    SegmentInfo merged = write_merged_segment(*reader, which, out.path(), threads, hook);
    merged.name = name;
    kept.push_back(std::move(merged));
  }
  m.segments = std::move(kept);
  session.publish(std::move(m), hook);
  out.keep();
  ++report.merges;
  report.segments_merged += which.size();
  report.documents += live;
  report.deleted_dropped += deleted;
}

void finish_report(const Session& session, MergeReport& report, Clock::time_point start) {
  report.segments_after = session.manifest().segments.size();
  report.generation = session.manifest().generation;
  report.seconds = seconds_since(start);
}

MergeReport run_policy(Session& session, const MergePolicy& policy, unsigned threads,
                       const StepHook& hook) {
  const auto start = Clock::now();
  MergeReport report;
  for (auto which = next_policy_merge(session.manifest(), policy); !which.empty();
       which = next_policy_merge(session.manifest(), policy)) {
    merge_and_publish(session, std::move(which), threads, hook, report);
  }
  finish_report(session, report, start);
  return report;
}

}  // namespace

std::vector<std::size_t> next_policy_merge(const Manifest& manifest, const MergePolicy& policy) {
  const auto& segs = manifest.segments;
  for (std::size_t s = 0; s < segs.size(); ++s) {
    if (segs[s].num_deleted > 0 &&
        static_cast<double>(segs[s].num_deleted) >
            policy.max_deleted_fraction * static_cast<double>(segs[s].num_docs)) {
      return {s};
    }
  }
  const std::size_t per_tier = std::max<std::size_t>(2, policy.segments_per_tier);
  const double floor_docs = static_cast<double>(std::max<std::uint64_t>(1, policy.floor_docs));
  std::map<int, std::vector<std::size_t>> tiers;
  for (std::size_t s = 0; s < segs.size(); ++s) {
    const double size = static_cast<double>(segs[s].num_live_docs());
    // Below the floor: tier -1. Otherwise F segments of tier t merge into one of tier >= t + 1.
    const int tier = size < floor_docs
                         ? -1
                         : static_cast<int>(std::floor(std::log(size / floor_docs) /
                                                       std::log(static_cast<double>(per_tier))));
    tiers[tier].push_back(s);
  }
  for (auto& [tier, members] : tiers) {
    if (members.size() < per_tier) continue;
    std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
      return segs[a].num_live_docs() < segs[b].num_live_docs();
    });
    members.resize(per_tier);
    std::sort(members.begin(), members.end());
    return members;
  }
  return {};
}

namespace {

// The quantisation settings of the index's sparse field: the newest segment's that has one.
std::optional<SparseFieldMeta> index_sparse_meta(const IndexReader& reader) {
  for (auto it = reader.segments().rbegin(); it != reader.segments().rend(); ++it) {
    if (auto f = SparseFieldFiles::open(reader.dir() / (*it)->info().name)) return f->meta;
  }
  return std::nullopt;
}

}  // namespace

AddReport add_documents(const AddOptions& options, ProgressSink* progress) {
  const auto start = Clock::now();
  AddReport report;
  // As build_index: with no corpus the sparse vectors are the corpus; with neither, the added
  // documents are the dense vectors' (a dense-only index).
  const bool sparse_is_corpus = options.corpus.empty() && options.sparse.has_value();
  const bool dense_only = options.corpus.empty() && !sparse_is_corpus;
  if (dense_only && options.dense_vectors.empty())
    fail(ErrorKind::invalid_argument,
         "give a corpus, sparse vectors, dense vectors, or a combination");
  const auto files =
      dense_only ? std::vector<fs::path>{}
                 : list_corpus_files(sparse_is_corpus ? options.sparse->vectors : options.corpus);
  Session session(options.index_dir);
  const auto reader = session.open();
  Manifest m = session.next();
  if (dense_only && m.settings.layout != FieldLayout::none)
    fail(ErrorKind::invalid_argument,
         "{}: the index has text fields; give the documents with --corpus (and their vectors "
         "with --dense)",
         options.index_dir.string());
  std::optional<io::VectorSet> vectors;
  if (!options.dense_vectors.empty()) {
    if (!m.settings.dense)
      fail(ErrorKind::invalid_argument,
           "{}: the index has no dense field (dense vectors can be added only to an index built "
           "with --dense)",
           options.index_dir.string());
    vectors = read_dense_input(options.dense_vectors, options.dense_ids, m.settings.dense->metric);
    if (vectors->dim != m.settings.dense->dim)
      fail(ErrorKind::invalid_argument,
           "{}: vectors of dimension {}, the index's dense field has {}",
           options.dense_vectors.string(), vectors->dim, m.settings.dense->dim);
  }
  // Token vectors: with the index's dimension and encoding. Every segment of an index with a
  // multi-vector field has the file, so an add without them writes one without rows.
  std::optional<multi::MultiVectorSet> multivec;
  if (!options.multivec.empty()) {
    if (!m.settings.multivec)
      fail(ErrorKind::invalid_argument,
           "{}: the index has no multi-vector field (token vectors can be added only to an index "
           "built with --multivec)",
           options.index_dir.string());
    if (dense_only)
      fail(ErrorKind::invalid_argument,
           "a multi-vector field needs a corpus (its ids must be documents of the corpus)");
    multivec = multi::read_multi_vectors(options.multivec, options.multivec_offsets);
    if (multivec->dim != m.settings.multivec->dim)
      fail(ErrorKind::invalid_argument,
           "{}: token vectors of dimension {}, the index's multi-vector field has {}",
           options.multivec.string(), multivec->dim, m.settings.multivec->dim);
  } else if (!options.multivec_offsets.empty()) {
    fail(ErrorKind::invalid_argument, "multi-vector offsets need token vectors (--multivec)");
  } else if (m.settings.multivec) {
    multivec.emplace();
    multivec->dim = m.settings.multivec->dim;
  }
  const std::string name = segment_name_for(m.generation);
  NewSegmentDir out(session.dir() / name);
  BuildOptions build;
  build.corpus = options.corpus;
  build.index_dir = options.index_dir;
  build.settings = m.settings;
  build.threads = options.threads;
  build.skip_bad = options.skip_bad;
  build.batch_bytes = options.batch_bytes;
  build.sparse = options.sparse;
  if (build.sparse) {
    build.sparse->fixed = index_sparse_meta(*reader);
    build.sparse_approx = kept_approx_params(*reader);
  }
  build.dense_vectors = options.dense_vectors;
  build.dense_ids = options.dense_ids;
  build.multivec = options.multivec;
  build.multivec_offsets = options.multivec_offsets;
  SegmentInfo segment =
      build_segment(build, m.settings, files, out.path(), report.build, start, progress,
                    vectors ? &*vectors : nullptr, multivec ? &*multivec : nullptr);
  segment.name = name;
  report.build.generation = m.generation - 1;
  if (segment.num_docs == 0) return report;  // nothing to publish; `out` is removed
  step(options.hook, "segment written");
  const auto publish_start = Clock::now();

  // Replaced documents: live ids of older segments that the new segment holds.
  std::map<std::size_t, std::vector<DocId>> marks;
  {
    const IdTable added(segment_files::ids(out.path()));
    std::string scratch;
    for (DocId d = 0; d < added.size(); ++d) {
      if (const auto at = reader->find(added.id(d, scratch))) {
        marks[at->segment].push_back(at->doc);
        ++report.replaced;
      }
    }
  }
  apply_deletions(*reader, m, marks, options.hook);
  m.segments.push_back(std::move(segment));
  const std::uint64_t generation = m.generation;
  session.publish(std::move(m), options.hook);
  out.keep();
  report.build.generation = generation;
  report.build.write_seconds += seconds_since(publish_start);
  report.build.index_bytes = index_size_bytes(options.index_dir);
  if (options.auto_merge) {
    report.merge =
        run_policy(session, options.policy, resolve_threads(options.threads), options.hook);
  } else {
    finish_report(session, report.merge, Clock::now());
  }
  return report;
}

DeleteReport delete_documents(const DeleteOptions& options) {
  Session session(options.index_dir);
  const auto reader = session.open();
  DeleteReport report;
  std::vector<std::string> ids = options.ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  report.requested = ids.size();
  std::map<std::size_t, std::vector<DocId>> marks;
  for (const auto& id : ids) {
    if (const auto at = reader->find(id)) {
      marks[at->segment].push_back(at->doc);
      ++report.deleted;
    } else {
      ++report.not_found;
    }
  }
  report.generation = session.manifest().generation;
  if (report.deleted == 0) return report;
  Manifest m = session.next();
  apply_deletions(*reader, m, marks, options.hook);
  report.generation = m.generation;
  session.publish(std::move(m), options.hook);
  return report;
}

MergeReport merge_segments(const MergeOptions& options, ProgressSink* progress) {
  (void)progress;
  const auto start = Clock::now();
  Session session(options.index_dir);
  const unsigned threads = resolve_threads(options.threads);
  const std::size_t max_segments = std::max<std::size_t>(1, options.max_segments);
  MergeReport report;
  const auto& segs = session.manifest().segments;
  if (segs.size() > max_segments) {
    std::vector<std::size_t> order(segs.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return segs[a].num_live_docs() < segs[b].num_live_docs();
    });
    order.resize(segs.size() - max_segments + 1);
    merge_and_publish(session, std::move(order), threads, options.hook, report);
  }
  // Then every segment that still has deletions is rewritten alone.
  for (;;) {
    const auto& now = session.manifest().segments;
    const auto it = std::find_if(now.begin(), now.end(),
                                 [](const SegmentInfo& s) { return s.num_deleted > 0; });
    if (it == now.end()) break;
    merge_and_publish(session, {static_cast<std::size_t>(it - now.begin())}, threads, options.hook,
                      report);
  }
  finish_report(session, report, start);
  return report;
}

}  // namespace tandem::index
