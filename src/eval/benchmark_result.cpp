// Reads the speed/quality points of bench/results JSON files for the HTML report.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/eval/html_report.hpp"

namespace tandem::eval {

namespace {

using nlohmann::json;

const json* number_at(const json& o, std::initializer_list<const char*> path) {
  const json* at = &o;
  for (const char* key : path) {
    if (!at->is_object()) return nullptr;
    const auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at->is_number() ? at : nullptr;
}

bool is_accuracy_key(const std::string& key) {
  // "acc10": accuracy of the top 10 against the exact answer (sparse_vs_lucene).
  if (key.size() < 4 || key.compare(0, 3, "acc") != 0) return false;
  return std::all_of(key.begin() + 3, key.end(), [](char c) { return std::isdigit(c) != 0; });
}

const json* recall_of(const json& o) {
  if (const json* r = number_at(o, {"recall"})) return r;
  for (const auto& [key, value] : o.items()) {
    if (value.is_number() && (key.rfind("recall", 0) == 0 || is_accuracy_key(key))) return &value;
  }
  return nullptr;
}

const json* qps_of(const json& o) {
  if (const json* q = number_at(o, {"qps"})) return q;
  return number_at(o, {"stats", "qps"});
}

double p50_of(const json& o) {
  for (const auto& path : {std::initializer_list<const char*>{"latency_us_p50"},
                           std::initializer_list<const char*>{"latency_us", "p50"},
                           std::initializer_list<const char*>{"stats", "latency_us", "p50"},
                           std::initializer_list<const char*>{"p50"}}) {
    if (const json* v = number_at(o, path)) return v->get<double>();
  }
  return -1;
}

double p99_of(const json& o) {
  for (const auto& path : {std::initializer_list<const char*>{"latency_us_p99"},
                           std::initializer_list<const char*>{"latency_us", "p99"},
                           std::initializer_list<const char*>{"p99"}}) {
    if (const json* v = number_at(o, path)) return v->get<double>();
  }
  return -1;
}

// The knob settings of a point ("ef=40", "query_cut=3 heap_factor=0.9").
std::string knob_label(const json& o) {
  std::string label;
  for (const char* key : {"ef", "rerank", "query_cut", "heap_factor", "nprobe", "k"}) {
    const json* v = number_at(o, {key});
    if (v == nullptr) continue;
    if (!label.empty()) label += ' ';
    label += key;
    label += '=';
    label += v->is_number_integer() ? std::to_string(v->get<long long>()) : v->dump();
  }
  return label;
}

void walk(const json& j, const std::string& path, BenchmarkResult& out) {
  if (j.is_array()) {
    if (path.size() >= 5 && path.compare(path.size() - 5, 5, "_runs") == 0) return;
    Curve curve;
    curve.name = path;
    if (curve.name.size() > 7 && curve.name.compare(curve.name.size() - 7, 7, "/points") == 0)
      curve.name.resize(curve.name.size() - 7);
    if (curve.name.empty()) curve.name = "points";
    for (const json& e : j) {
      if (!e.is_object()) continue;
      const json* r = recall_of(e);
      const json* q = qps_of(e);
      if (r == nullptr || q == nullptr) continue;
      curve.points.push_back({r->get<double>(), q->get<double>(), p50_of(e), knob_label(e)});
    }
    if (!curve.points.empty()) out.curves.push_back(std::move(curve));
    return;
  }
  if (!j.is_object()) return;
  const json* qps = number_at(j, {"qps"});
  if (qps != nullptr && recall_of(j) == nullptr && (p50_of(j) >= 0 || p99_of(j) >= 0)) {
    out.latencies.push_back(
        {path.empty() ? "summary" : path, qps->get<double>(), p50_of(j), p99_of(j)});
    return;
  }
  for (const auto& [key, value] : j.items())
    walk(value, path.empty() ? key : std::string(path).append("/").append(key), out);
}

}  // namespace

BenchmarkResult parse_benchmark_result(const std::string& json_text, const std::string& source) {
  json j;
  try {
    j = json::parse(json_text);
  } catch (const json::parse_error& e) {
    fail(ErrorKind::invalid_argument, "{}: not valid JSON ({})", source, e.what());
  }
  BenchmarkResult out;
  out.source = source;
  out.title = std::filesystem::path(source).filename().string();
  if (j.is_object()) {
    if (const auto it = j.find("name"); it != j.end() && it->is_string())
      out.title = it->get<std::string>() + " (" + out.title + ")";
    if (const auto it = j.find("note"); it != j.end() && it->is_string())
      out.note = it->get<std::string>();
  }
  walk(j, "", out);
  if (out.curves.empty() && out.latencies.empty()) {
    fail(ErrorKind::invalid_argument,
         "{}: no benchmark points found (expected arrays of objects with 'recall' or 'accN' and "
         "'qps', or objects with 'qps' and 'p50'/'p99')",
         source);
  }
  return out;
}

BenchmarkResult read_benchmark_result(const std::filesystem::path& path) {
  std::error_code dir_ec;
  if (std::filesystem::is_directory(path, dir_ec))
    fail(ErrorKind::invalid_argument, "{}: is a directory, not a benchmark JSON file",
         path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
      fail(ErrorKind::not_found, "{}: no such benchmark file", path.string());
    fail(ErrorKind::io, "{}: cannot read the benchmark file", path.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail(ErrorKind::io, "{}: read error", path.string());
  return parse_benchmark_result(text.str(), path.string());
}

}  // namespace tandem::eval
