#include "tandem/io/query_file.hpp"

#include <unordered_map>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/io/line_reader.hpp"

namespace tandem::io {

namespace {

std::string json_scalar_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return v.dump();
  return {};
}

}  // namespace

QueryText parse_query_line(std::string_view line, std::string_view where) {
  std::size_t first = 0;
  while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
  QueryText q;
  if (first < line.size() && line[first] == '{') {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      fail(ErrorKind::invalid_argument, "{}: malformed JSON ({})", where, e.what());
    }
    if (!j.is_object())
      fail(ErrorKind::invalid_argument, "{}: a query line must be a JSON object", where);
    for (const char* key : {"_id", "qid", "id", "query_id"}) {
      if (j.contains(key)) {
        q.id = json_scalar_text(j[key]);
        if (q.id.empty())
          fail(ErrorKind::invalid_argument, "{}: \"{}\" must be a non-empty string or an integer",
               where, key);
        break;
      }
    }
    if (q.id.empty())
      fail(ErrorKind::invalid_argument, "{}: query has no id (\"_id\", \"qid\" or \"id\")", where);
    bool found = false;
    for (const char* key : {"text", "query", "title", "contents"}) {
      if (j.contains(key) && !j[key].is_null()) {
        if (!j[key].is_string())
          fail(ErrorKind::invalid_argument, "{}: \"{}\" must be a string", where, key);
        q.text = j[key].get<std::string>();
        found = true;
        break;
      }
    }
    if (!found)
      fail(ErrorKind::invalid_argument, "{}: query {} has no text (\"text\" or \"query\")", where,
           q.id);
    return q;
  }
  const std::size_t tab = line.find('\t');
  if (tab == std::string_view::npos) {
    fail(ErrorKind::invalid_argument, "{}: expected \"qid<TAB>text\" or a JSON object", where);
  }
  std::string_view id = line.substr(0, tab);
  while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
  while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
  if (id.empty()) fail(ErrorKind::invalid_argument, "{}: empty query id", where);
  q.id = std::string(id);
  q.text = std::string(line.substr(tab + 1));
  return q;
}

std::vector<QueryText> read_queries(const std::filesystem::path& path) {
  LineReader reader(path);
  std::vector<QueryText> queries;
  std::unordered_map<std::string, std::uint64_t> seen;
  std::string_view line;
  while (reader.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = path.string() + ":" + std::to_string(reader.line_number());
    QueryText q = parse_query_line(line, where);
    const auto [it, inserted] = seen.emplace(q.id, reader.line_number());
    if (!inserted) {
      fail(ErrorKind::invalid_argument, "{}: query id '{}' repeats the one at line {}", where, q.id,
           it->second);
    }
    queries.push_back(std::move(q));
  }
  return queries;
}

}  // namespace tandem::io
