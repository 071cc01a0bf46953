#include "tandem/index/manifest.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/io/file_format.hpp"

namespace tandem::index {

using nlohmann::json;

namespace {

json dense_to_json(const dense::DenseSettings& d) {
  json codes = json::array();
  for (auto c : d.codes) codes.push_back(std::string(dense::to_string(c)));
  json j = {{"metric", std::string(dense::to_string(d.metric))},
            {"dim", d.dim},
            {"codes", codes},
            {"pq_m", d.pq_m},
            {"code_seed", d.code_seed}};
  if (d.storage != dense::Storage::f32) j["storage"] = std::string(dense::to_string(d.storage));
  if (d.hnsw) {
    j["hnsw"] = {{"m", d.hnsw->m},
                 {"ef_construction", d.hnsw->ef_construction},
                 {"seed", d.hnsw->seed},
                 {"deterministic", d.hnsw->deterministic}};
  }
  return j;
}

dense::DenseSettings dense_from_json(const json& j) {
  dense::DenseSettings d;
  d.metric = dense::parse_metric(j.at("metric").get<std::string>());
  d.dim = j.at("dim").get<std::uint32_t>();
  for (const auto& c : j.at("codes"))
    d.codes.push_back(dense::parse_code_kind(c.get<std::string>()));
  d.pq_m = j.value("pq_m", std::uint32_t{0});
  d.code_seed = j.value("code_seed", std::uint64_t{1});
  d.storage = dense::parse_storage(j.value("storage", std::string("fp32")));
  if (j.contains("hnsw")) {
    const json& h = j.at("hnsw");
    dense::HnswParams p;
    p.m = h.at("m").get<std::uint32_t>();
    p.ef_construction = h.at("ef_construction").get<std::uint32_t>();
    p.seed = h.at("seed").get<std::uint64_t>();
    p.deterministic = h.value("deterministic", false);
    d.hnsw = p;
  }
  if (d.dim == 0 || d.dim > 65536) fail(ErrorKind::invalid_argument, "bad dense dimension");
  return d;
}

}  // namespace

std::uint64_t Manifest::num_docs() const {
  std::uint64_t n = 0;
  for (const auto& s : segments) n += s.num_live_docs();
  return n;
}

const SegmentInfo* Manifest::find_segment(std::string_view name) const {
  for (const auto& s : segments) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

namespace {

// A file or folder name written into a manifest: no path separators, no "..".
bool is_plain_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos &&
         name.find("..") == std::string::npos;
}

}  // namespace

std::string Manifest::to_json() const {
  json segments_json = json::array();
  for (const auto& s : segments) {
    json fields = json::object();
    for (const auto& [name, f] : s.fields) {
      fields[name] = {{"doc_count", f.stats.doc_count},
                      {"sum_total_term_freq", f.stats.sum_total_term_freq},
                      {"num_terms", f.num_terms},
                      {"num_postings", f.num_postings},
                      {"postings_bytes", f.postings_bytes}};
    }
    json seg = {{"name", s.name}, {"num_docs", s.num_docs}, {"fields", fields}};
    if (!s.deletes.empty()) seg["deletes"] = {{"file", s.deletes}, {"count", s.num_deleted}};
    if (settings.dense) seg["dense_rows"] = s.dense_rows;
    if (settings.multivec) seg["multivec_rows"] = s.multivec_rows;
    segments_json.push_back(std::move(seg));
  }
  json j = {
      {"format", "tandem-index"},
      {"format_version", format_version},
      {"generation", generation},
      {"created_by", created_by},
      {"settings",
       {{"fields", std::string(to_string(settings.layout))},
        {"analyzer", json::parse(settings.analyzer.to_json())},
        {"store", settings.store}}},
      {"segments", segments_json},
  };
  if (settings.dense) j["settings"]["dense"] = dense_to_json(*settings.dense);
  if (settings.multivec) {
    j["settings"]["multivec"] = {
        {"dim", settings.multivec->dim},
        {"encoding", std::string(multi::to_string(settings.multivec->encoding))}};
  }
  return j.dump(2) + "\n";
}

Manifest Manifest::from_json(std::string_view text, const std::string& source) {
  Manifest m;
  try {
    const json j = json::parse(text);
    if (j.at("format").get<std::string>() != "tandem-index") {
      fail(ErrorKind::corruption, "{}: not a tandem index manifest", source);
    }
    m.format_version = j.at("format_version").get<std::uint32_t>();
    if (m.format_version > kVersion) {
      fail(ErrorKind::unsupported,
           "{}: index format version {} is newer than this build reads ({}); upgrade tandem",
           source, m.format_version, kVersion);
    }
    if (m.format_version < kOldestVersion) {
      fail(ErrorKind::unsupported,
           "{}: index format version {} is no longer read by this build (it reads {}); rebuild "
           "the index",
           source, m.format_version, kVersion);
    }
    m.generation = j.at("generation").get<std::uint64_t>();
    m.created_by = j.value("created_by", "");
    const json& s = j.at("settings");
    m.settings.layout = parse_field_layout(s.at("fields").get<std::string>());
    m.settings.analyzer = text::AnalyzerConfig::from_json(s.at("analyzer").dump());
    m.settings.store = s.at("store").get<bool>();
    if (s.contains("dense")) m.settings.dense = dense_from_json(s.at("dense"));
    if (s.contains("multivec")) {
      multi::MultiVectorSettings mv;
      mv.dim = s.at("multivec").at("dim").get<std::uint32_t>();
      mv.encoding = multi::parse_token_encoding(s.at("multivec").at("encoding").get<std::string>());
      if (mv.dim == 0 || mv.dim > 65536)
        fail(ErrorKind::corruption, "{}: bad multi-vector dimension", source);
      m.settings.multivec = mv;
    }
    for (const json& sj : j.at("segments")) {
      SegmentInfo seg;
      seg.name = sj.at("name").get<std::string>();
      if (!is_plain_name(seg.name)) {
        fail(ErrorKind::corruption, "{}: invalid segment name '{}'", source, seg.name);
      }
      seg.num_docs = sj.at("num_docs").get<std::uint32_t>();
      seg.dense_rows = sj.value("dense_rows", std::uint64_t{0});
      seg.multivec_rows = sj.value("multivec_rows", std::uint64_t{0});
      if (const auto d = sj.find("deletes"); d != sj.end()) {
        seg.deletes = d->at("file").get<std::string>();
        seg.num_deleted = d->at("count").get<std::uint32_t>();
        if (!is_plain_name(seg.deletes) || seg.num_deleted == 0 || seg.num_deleted > seg.num_docs) {
          fail(ErrorKind::corruption, "{}: invalid deletions of segment {}", source, seg.name);
        }
      }
      for (const auto& [name, fj] : sj.at("fields").items()) {
        SegmentFieldInfo f;
        f.stats.doc_count = fj.at("doc_count").get<std::uint64_t>();
        f.stats.sum_total_term_freq = fj.at("sum_total_term_freq").get<std::uint64_t>();
        f.num_terms = fj.at("num_terms").get<std::uint64_t>();
        f.num_postings = fj.at("num_postings").get<std::uint64_t>();
        f.postings_bytes = fj.value("postings_bytes", std::uint64_t{0});
        seg.fields[name] = f;
      }
      for (const auto& field : m.settings.fields()) {
        if (!seg.fields.contains(field))
          fail(ErrorKind::corruption, "{}: segment {} lacks field {}", source, seg.name, field);
      }
      m.segments.push_back(std::move(seg));
    }
  } catch (const json::exception& e) {
    fail(ErrorKind::corruption, "{}: malformed manifest ({})", source, e.what());
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::invalid_argument)
      fail(ErrorKind::corruption, "{}: {}", source, e.what());
    throw;
  }
  return m;
}

Manifest Manifest::read(const std::filesystem::path& dir) {
  const auto path = dir / kFileName;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec))
      fail(ErrorKind::not_found, "{}: no such index directory", dir.string());
    fail(ErrorKind::not_found, "{}: not a tandem index (no {})", dir.string(), kFileName);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return from_json(ss.str(), path.string());
}

void Manifest::publish(const std::filesystem::path& dir) const {
  io::write_file_atomic(dir / kFileName, to_json());
}

}  // namespace tandem::index
