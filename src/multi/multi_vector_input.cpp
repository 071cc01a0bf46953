#include "tandem/multi/multi_vector_input.hpp"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/io/line_reader.hpp"
#include "tandem/io/mapped_file.hpp"
#include "tandem/io/vector_file.hpp"

namespace tandem::multi {

namespace {

using nlohmann::json;

std::string id_of(const json& j, std::string_view where) {
  for (const char* key : {"id", "_id", "docid"}) {
    const auto it = j.find(key);
    if (it == j.end() || it->is_null()) continue;
    if (it->is_string()) {
      std::string id = it->get<std::string>();
      if (id.empty()) fail(ErrorKind::invalid_argument, "{}: empty id", where);
      return id;
    }
    if (it->is_number_integer()) return it->dump();
    fail(ErrorKind::invalid_argument, "{}: \"{}\" must be a string or an integer", where, key);
  }
  fail(ErrorKind::invalid_argument, "{}: no id (\"id\", \"_id\" or \"docid\")", where);
}

}  // namespace

void parse_multi_vector_line(std::string_view line, std::string_view where, MultiVectorSet& out) {
  json j;
  try {
    j = json::parse(line);
  } catch (const json::exception& e) {
    fail(ErrorKind::invalid_argument, "{}: malformed JSON ({})", where, e.what());
  }
  if (!j.is_object()) fail(ErrorKind::invalid_argument, "{}: not a JSON object", where);
  std::string id = id_of(j, where);
  const auto v = j.find("vectors");
  if (v == j.end() || !v->is_array())
    fail(ErrorKind::invalid_argument, "{}: \"vectors\" must be an array of token vectors", where);
  if (v->empty()) fail(ErrorKind::invalid_argument, "{}: \"vectors\" holds no token", where);
  std::size_t dim = out.dim;
  std::vector<float> values;
  for (std::size_t t = 0; t < v->size(); ++t) {
    const json& row = (*v)[t];
    if (!row.is_array())
      fail(ErrorKind::invalid_argument, "{}: token {} is not an array of numbers", where, t + 1);
    if (dim == 0) dim = row.size();
    if (row.size() != dim || dim == 0)
      fail(ErrorKind::invalid_argument, "{}: token {} has {} values, expected {}", where, t + 1,
           row.size(), dim);
    if (dim > 65536)
      fail(ErrorKind::invalid_argument, "{}: dimension {} is over 65536", where, dim);
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (!row[c].is_number())
        fail(ErrorKind::invalid_argument, "{}: token {} value {} is not a number", where, t + 1,
             c + 1);
      const double x = row[c].get<double>();
      const auto f = static_cast<float>(x);
      if (!std::isfinite(f))
        fail(ErrorKind::invalid_argument, "{}: token {} value {} is not finite in float32", where,
             t + 1, c + 1);
      values.push_back(f);
    }
  }
  out.dim = dim;
  out.ids.push_back(std::move(id));
  out.values.insert(out.values.end(), values.begin(), values.end());
  out.offsets.push_back(out.offsets.back() + v->size());
}

MultiVectorSet read_multi_vectors(const std::filesystem::path& path,
                                  const std::filesystem::path& offsets_path) {
  MultiVectorSet out;
  const std::string name = path.string();
  if (name.size() >= 4 && name.compare(name.size() - 4, 4, ".npy") == 0) {
    if (offsets_path.empty())
      fail(ErrorKind::invalid_argument,
           "{}: a .npy of token vectors needs an offsets file (id<TAB>token count per document)",
           name);
    io::VectorSet tokens;
    {
      const io::MappedFile file(path);
      io::parse_npy(file.bytes(), name, tokens);
    }
    out.dim = tokens.dim;
    const std::size_t rows = tokens.rows();
    out.values = std::move(tokens.values);
    io::LineReader reader(offsets_path);
    std::string_view line;
    while (reader.next(line)) {
      const std::string where = fmt::format("{}:{}", offsets_path.string(), reader.line_number());
      if (line.empty()) continue;
      const auto tab = line.find('\t');
      if (tab == std::string_view::npos || tab == 0)
        fail(ErrorKind::invalid_argument, "{}: expected id<TAB>token count", where);
      std::uint64_t count = 0;
      const std::string_view num = line.substr(tab + 1);
      const auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), count);
      if (ec != std::errc() || ptr != num.data() + num.size() || count == 0)
        fail(ErrorKind::invalid_argument, "{}: token count '{}' is not a positive integer", where,
             num);
      out.ids.emplace_back(line.substr(0, tab));
      out.offsets.push_back(out.offsets.back() + count);
      if (out.offsets.back() > rows)
        fail(ErrorKind::invalid_argument, "{}: counts add up to more than the {} rows of {}", where,
             rows, name);
    }
    if (out.offsets.back() != rows)
      fail(ErrorKind::invalid_argument, "{}: counts add up to {} but {} holds {} token rows",
           offsets_path.string(), out.offsets.back(), name, rows);
  } else {
    io::LineReader reader(path);
    std::string_view line;
    while (reader.next(line)) {
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      parse_multi_vector_line(line, fmt::format("{}:{}", name, reader.line_number()), out);
    }
  }
  if (out.ids.empty()) fail(ErrorKind::invalid_argument, "{}: holds no documents", name);
  return out;
}

}  // namespace tandem::multi
