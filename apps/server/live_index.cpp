#include "live_index.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "tandem/core/error.hpp"
#include "tandem/core/stopwatch.hpp"
#include "tandem/engine/pipeline_searcher.hpp"

namespace tandem::server {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxCachedSearchers = 64;  // per kind; other k get a searcher per request

// The float's shortest decimal spelling (as a raw run file and the CLI print it), as a JSON
// number: parsing it back as a float gives the same float.
json score_json(Score score) {
  const std::string text = fmt::format("{}", score);
  return json(std::strtod(text.c_str(), nullptr));
}

json document_json(const std::string& source) {
  json parsed = json::parse(source, nullptr, false);
  return parsed.is_discarded() ? json(source) : parsed;
}

}  // namespace

Snapshot::Snapshot(engine::Index index, const EngineOptions& options)
    : index_(std::move(index)), options_(options) {}

template <typename S, typename Make>
Snapshot::Entry<S> Snapshot::cached(std::map<std::size_t, Entry<S>>& cache, std::size_t k,
                                    Make make) const {
  {
    std::lock_guard lock(mutex_);
    const auto it = cache.find(k);
    if (it != cache.end()) return it->second;
  }
  Entry<S> e;
  e.searcher = make();  // outside the lock: may throw, may take a while
  e.settings = json::parse(e.searcher->settings_json());
  std::lock_guard lock(mutex_);
  if (cache.size() < kMaxCachedSearchers) cache.emplace(k, e);
  return e;
}

std::string Snapshot::search(const SearchRequest& r) const {
  const auto start = std::chrono::steady_clock::now();
  std::vector<engine::Hit> hits;
  json settings;
  std::string retriever;
  switch (r.kind) {
    case SearchRequest::Kind::text: {
      const auto e = cached(bm25_, r.k, [&] {
        engine::SearchOptions o = options_.bm25;
        o.k = r.k;
        return std::make_shared<const engine::Searcher>(index_, o);
      });
      hits = e.searcher->search(r.text);
      settings = e.settings;
      retriever = "bm25";
      break;
    }
    case SearchRequest::Kind::sparse: {
      const auto e = cached(sparse_, r.k, [&] {
        engine::SparseSearchOptions o = options_.sparse;
        o.k = r.k;
        return std::make_shared<const engine::SparseSearcher>(index_, o);
      });
      hits = e.searcher->search(r.sparse);
      settings = e.settings;
      retriever = std::string(engine::to_string(options_.sparse.retriever));
      break;
    }
    case SearchRequest::Kind::dense: {
      const auto e = cached(dense_, r.k, [&] {
        engine::DenseSearchOptions o = options_.dense;
        o.k = r.k;
        return std::make_shared<const engine::DenseSearcher>(index_, o);
      });
      io::VectorSet q;
      q.dim = r.dense.size();
      q.values = r.dense;
      q.ids = {"query"};
      auto batch = e.searcher->search_batch(q, 1, "\"dense\"");
      hits = std::move(batch.results.at(0).hits);
      settings = e.settings;
      retriever = std::string(pipeline::to_string(options_.dense.dense.method));
      break;
    }
  }
  const bool store = r.documents && index_.reader().settings().store;
  json list = json::array();
  for (std::size_t i = 0; i < hits.size(); ++i) {
    json h = {{"rank", i + 1}, {"id", hits[i].id}, {"score", score_json(hits[i].score)}};
    if (store) h["document"] = document_json(index_.reader().stored_document(hits[i].at));
    list.push_back(std::move(h));
  }
  const double took_us = micros_since(start);
  json out = {{"retriever", retriever},     {"k", r.k},
              {"generation", generation()}, {"took_us", std::round(took_us)},
              {"hits", std::move(list)},    {"settings", std::move(settings)}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace {

// Members of a pipeline description that name files on the server.
bool names_a_file(const std::string& key) {
  for (const char* k : {"index", "queries", "query_encoder", "encoder", "query_vectors",
                        "query_ids", "model", "vocab", "path", "file"}) {
    if (key == k) return true;
  }
  return false;
}

void check_pipeline_paths(const json& j, const std::string& at, bool allow_files) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      const std::string path = at.empty() ? key : fmt::format("{}.{}", at, key);
      if (names_a_file(key) && (key == "index" || !allow_files)) {
        throw ApiError(400, "invalid_argument",
                       key == "index"
                           ? fmt::format("pipeline.{}: a served pipeline searches the server's "
                                         "index; leave \"index\" out",
                                         path)
                           : fmt::format("pipeline.{}: pipelines over HTTP may not name files "
                                         "unless the server runs with --allow-pipeline-files",
                                         path));
      }
      check_pipeline_paths(value, path, allow_files);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      check_pipeline_paths(j[i], fmt::format("{}[{}]", at, i), allow_files);
  }
}

}  // namespace

std::string Snapshot::search_pipeline(const SearchRequest& r, bool allow_files) const {
  const auto start = std::chrono::steady_clock::now();
  check_pipeline_paths(*r.pipeline, "", allow_files);
  json spec_json = *r.pipeline;
  spec_json["index"] = index_.reader().dir().string();
  pipeline::PipelineSpec spec = pipeline::parse_pipeline_spec(spec_json.dump(), "pipeline");
  const engine::PipelineSearcher searcher(std::move(spec), r.k);
  const engine::PipelineBatch b = searcher.search(r.text, "query");
  const pipeline::QueryState& st = b.states.at(0);
  json list = json::array();
  const bool store = r.documents && index_.reader().settings().store;
  for (std::size_t i = 0; i < st.fused.size(); ++i) {
    json h = {{"rank", i + 1}, {"id", st.fused[i].id}, {"score", st.fused[i].score}};
    if (store) {
      if (const auto doc = index_.document(st.fused[i].id)) h["document"] = document_json(*doc);
    }
    list.push_back(std::move(h));
  }
  const double took_us = micros_since(start);
  json out = {{"retriever", "pipeline"},    {"k", r.k},
              {"generation", generation()}, {"took_us", std::round(took_us)},
              {"hits", std::move(list)},    {"settings", searcher.pipeline().settings()}};
  if (r.explain)
    out["explain"] = json::parse(engine::explain_json(searcher.pipeline(), st, st.fused.size()));
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

LiveIndex::LiveIndex(std::filesystem::path dir, EngineOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {
  reopen();
}

void LiveIndex::reopen() {
  current_.store(std::make_shared<const Snapshot>(engine::Index::open(dir_), options_));
}

namespace {

// A private temporary folder, removed with everything in it when this goes out of scope.
class TempFolder {
 public:
  TempFolder() {
    std::string t = (std::filesystem::temp_directory_path() / "tandem-serve-XXXXXX").string();
    if (::mkdtemp(t.data()) == nullptr) fail_errno(errno, "creating a temporary folder");
    path_ = t;
  }
  ~TempFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// Writes JSONL lines to a file; throws Error(io) naming it on failure.
void write_lines(const std::filesystem::path& file, const std::vector<std::string>& lines) {
  std::ofstream out(file, std::ios::binary);
  for (const auto& line : lines) out << line << '\n';
  out.flush();
  if (!out) fail(ErrorKind::io, "{}: cannot write the request's lines", file.string());
}

}  // namespace

json LiveIndex::add(const AddRequest& request) {
  std::lock_guard lock(write_mutex_);
  TempFolder tmp;
  // The request's members by their temporary files, so that errors name the member, not a path.
  const std::pair<std::filesystem::path, const char*> files[] = {
      {tmp.path() / "documents.jsonl", "documents"},
      {tmp.path() / "sparse.jsonl", "sparse"},
      {tmp.path() / "dense.jsonl", "dense"},
      {tmp.path() / "multivec.jsonl", "multivec"}};
  index::AddOptions o;
  o.index_dir = dir_;
  o.threads = options_.add_threads;
  write_lines(files[0].first, request.documents);
  o.corpus = files[0].first;
  if (!request.sparse.empty()) {
    write_lines(files[1].first, request.sparse);
    o.sparse = index::SparseFieldOptions{.vectors = files[1].first};
  }
  if (!request.dense.empty()) {
    write_lines(files[2].first, request.dense);
    o.dense_vectors = files[2].first;
  }
  if (!request.multivec.empty()) {
    write_lines(files[3].first, request.multivec);
    o.multivec = files[3].first;
  }
  index::AddReport report;
  try {
    report = engine::add_documents(o);
  } catch (const Error& e) {
    // Name the request's members (line n = member[n-1]), not the temporary files.
    std::string message = e.what();
    for (const auto& [path, member] : files) message = replace_all(message, path.string(), member);
    throw Error(e.kind(), message);
  }
  reopen();
  json j = json::parse(engine::to_json(report));
  j["generation"] = snapshot()->generation();
  return j;
}

json LiveIndex::remove(const std::vector<std::string>& ids) {
  std::lock_guard lock(write_mutex_);
  index::DeleteOptions o;
  o.index_dir = dir_;
  o.ids = ids;
  const index::DeleteReport report = engine::delete_documents(o);
  reopen();
  json j = json::parse(engine::to_json(report));
  j["generation"] = snapshot()->generation();
  return j;
}

}  // namespace tandem::server
