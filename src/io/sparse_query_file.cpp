#include "tandem/io/sparse_query_file.hpp"

#include <unordered_map>

#include "tandem/core/error.hpp"
#include "tandem/io/line_reader.hpp"
#include "tandem/io/query_file.hpp"
#include "tandem/io/sparse_vector_parser.hpp"

namespace tandem::io {

namespace {

// Adds (term, weight) to `terms`, summing a repeated term; zero weights are dropped at the end.
void add_term(std::vector<SparseQueryTerm>& terms, std::unordered_map<std::string, std::size_t>& at,
              std::string_view term, double weight) {
  const auto [it, inserted] = at.try_emplace(std::string(term), terms.size());
  if (inserted) {
    terms.push_back({std::string(term), static_cast<float>(weight)});
  } else {
    terms[it->second].weight = static_cast<float>(terms[it->second].weight + weight);
  }
}

void drop_zero(std::vector<SparseQueryTerm>& terms) {
  std::erase_if(terms, [](const SparseQueryTerm& t) { return !(t.weight > 0); });
}

}  // namespace

std::vector<SparseQueryTerm> pretokenized_terms(std::string_view text) {
  std::vector<SparseQueryTerm> terms;
  std::unordered_map<std::string, std::size_t> at;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() &&
           (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
      ++i;
    std::size_t j = i;
    while (j < text.size() &&
           !(text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n'))
      ++j;
    if (j > i) add_term(terms, at, text.substr(i, j - i), 1.0);
    i = j;
  }
  return terms;
}

SparseQuery parse_sparse_query_line(std::string_view line, std::string_view where) {
  std::size_t first = 0;
  while (first < line.size() && (line[first] == ' ' || line[first] == '\t')) ++first;
  SparseQuery q;
  if (first < line.size() && line[first] == '{') {
    SparseVectorParser parser;
    const ParsedSparseVector* v = nullptr;
    try {
      v = &parser.parse_copy(line);
    } catch (const Error& e) {
      fail(ErrorKind::invalid_argument, "{}: {}", where, e.what());
    }
    if (!v->has_vector) {
      const QueryText t = parse_query_line(line, where);
      q.id = t.id;
      q.text = t.text;
      return q;
    }
    q.id = std::string(v->id);
    q.has_vector = true;
    std::unordered_map<std::string, std::size_t> at;
    for (const SparseEntry& e : v->entries) add_term(q.terms, at, e.term, e.weight);
    drop_zero(q.terms);
    return q;
  }
  const QueryText t = parse_query_line(line, where);
  q.id = t.id;
  q.text = t.text;
  return q;
}

std::vector<SparseQuery> read_sparse_queries(const std::filesystem::path& path) {
  LineReader reader(path);
  std::vector<SparseQuery> queries;
  std::unordered_map<std::string, std::uint64_t> seen;
  std::string_view line;
  while (reader.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = path.string() + ":" + std::to_string(reader.line_number());
    SparseQuery q = parse_sparse_query_line(line, where);
    const auto [it, inserted] = seen.try_emplace(q.id, reader.line_number());
    if (!inserted) {
      fail(ErrorKind::invalid_argument, "{}: query id '{}' repeats line {}", where, q.id,
           it->second);
    }
    queries.push_back(std::move(q));
  }
  return queries;
}

}  // namespace tandem::io
