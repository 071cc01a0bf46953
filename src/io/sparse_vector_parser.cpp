#include "tandem/io/sparse_vector_parser.hpp"

#include <cmath>
#include <cstdint>

#include <fmt/format.h>
#include <simdjson.h>

#include "tandem/core/error.hpp"

namespace tandem::io {

static_assert(SparseVectorParser::kPadding >= simdjson::SIMDJSON_PADDING);

struct SparseVectorParser::Impl {
  simdjson::ondemand::parser parser;
  std::string id_number;
  std::string padded;
  std::string index_terms;  // decimal spellings of "indices"
  std::vector<std::uint64_t> index_values;
  std::vector<double> values;
  ParsedSparseVector out;
};

SparseVectorParser::SparseVectorParser() : impl_(std::make_unique<Impl>()) {}
SparseVectorParser::~SparseVectorParser() = default;

namespace {

[[noreturn]] void bad_json(simdjson::error_code error) {
  fail(ErrorKind::invalid_argument, "malformed JSON ({})", simdjson::error_message(error));
}

double read_weight(simdjson::ondemand::value value, std::string_view term) {
  double w = 0;
  if (value.get_double().get(w) != simdjson::SUCCESS) {
    fail(ErrorKind::invalid_argument, "the weight of '{}' is not a number", term);
  }
  if (!std::isfinite(w))
    fail(ErrorKind::invalid_argument, "the weight of '{}' is not finite", term);
  if (w < 0) {
    fail(ErrorKind::invalid_argument,
         "the weight of '{}' is negative ({}); sparse vectors need weights >= 0", term, w);
  }
  return w;
}

simdjson::ondemand::json_type type_of(simdjson::ondemand::value& value) {
  simdjson::ondemand::json_type type;
  if (auto e = value.type().get(type)) bad_json(e);
  return type;
}

}  // namespace

const ParsedSparseVector& SparseVectorParser::parse(std::string_view line, std::size_t readable) {
  Impl& m = *impl_;
  m.out.entries.clear();
  m.out.has_vector = false;
  m.index_values.clear();
  m.values.clear();
  bool has_indices = false, has_values = false;
  simdjson::ondemand::document json;
  if (auto e = m.parser.iterate(line.data(), line.size(), readable).get(json)) bad_json(e);
  simdjson::ondemand::object object;
  if (auto e = json.get_object().get(object)) {
    if (e == simdjson::INCORRECT_TYPE)
      fail(ErrorKind::invalid_argument, "a sparse-vector line must be a JSON object");
    bad_json(e);
  }
  std::string_view id;
  int id_rank = 99;
  for (auto field : object) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) bad_json(e);
    simdjson::ondemand::value value;
    if (auto e = field.value().get(value)) bad_json(e);
    const int rank = key == "_id"        ? 0
                     : key == "id"       ? 1
                     : key == "docid"    ? 2
                     : key == "qid"      ? 3
                     : key == "query_id" ? 4
                                         : -1;
    if (rank >= 0) {
      std::string_view v;
      const auto type = type_of(value);
      if (type == simdjson::ondemand::json_type::string) {
        if (auto e = value.get_string().get(v)) bad_json(e);
      } else if (type == simdjson::ondemand::json_type::number) {
        m.id_number = std::string(simdjson::trim(value.raw_json_token()));
        v = m.id_number;
      } else {
        fail(ErrorKind::invalid_argument, "\"{}\" must be a string or a number", key);
      }
      if (rank < id_rank) {
        id = v;
        id_rank = rank;
      }
    } else if (key == "vector") {
      if (type_of(value) == simdjson::ondemand::json_type::null) continue;
      simdjson::ondemand::object vec;
      if (value.get_object().get(vec) != simdjson::SUCCESS)
        fail(ErrorKind::invalid_argument, "\"vector\" must be an object of term: weight");
      m.out.has_vector = true;
      for (auto entry : vec) {
        std::string_view term;
        if (auto e = entry.unescaped_key().get(term)) bad_json(e);
        simdjson::ondemand::value w;
        if (auto e = entry.value().get(w)) bad_json(e);
        m.out.entries.push_back({term, read_weight(w, term)});
      }
    } else if (key == "indices") {
      simdjson::ondemand::array arr;
      if (value.get_array().get(arr) != simdjson::SUCCESS)
        fail(ErrorKind::invalid_argument, "\"indices\" must be an array of integers");
      has_indices = true;
      for (auto item : arr) {
        std::uint64_t i = 0;
        if (item.get_uint64().get(i) != simdjson::SUCCESS || i > 0xFFFFFFFFu) {
          fail(ErrorKind::invalid_argument,
               "\"indices\" must hold integers in [0, 4294967295] (item {})",
               m.index_values.size());
        }
        m.index_values.push_back(i);
      }
    } else if (key == "values") {
      simdjson::ondemand::array arr;
      if (value.get_array().get(arr) != simdjson::SUCCESS)
        fail(ErrorKind::invalid_argument, "\"values\" must be an array of numbers");
      has_values = true;
      for (auto item : arr) {
        simdjson::ondemand::value w;
        if (auto e = item.get(w)) bad_json(e);
        m.values.push_back(read_weight(w, fmt::format("values[{}]", m.values.size())));
      }
    }
  }
  const char* rest = nullptr;
  if (json.current_location().get(rest) != simdjson::OUT_OF_BOUNDS)
    bad_json(simdjson::TRAILING_CONTENT);
  if (id_rank == 99) fail(ErrorKind::invalid_argument, "the line has no id (expected \"id\")");
  if (id.empty()) fail(ErrorKind::invalid_argument, "the id is empty");
  if (id.size() > 1024) fail(ErrorKind::limit_exceeded, "id longer than 1024 bytes");
  m.out.id = id;
  if (has_indices != has_values)
    fail(ErrorKind::invalid_argument, "\"indices\" and \"values\" must be given together");
  if (has_indices) {
    if (m.out.has_vector)
      fail(ErrorKind::invalid_argument,
           "give either \"vector\" or \"indices\"/\"values\", not both");
    if (m.index_values.size() != m.values.size()) {
      fail(ErrorKind::invalid_argument, "\"indices\" has {} items but \"values\" has {}",
           m.index_values.size(), m.values.size());
    }
    m.out.has_vector = true;
    m.index_terms.clear();
    std::vector<std::size_t> ends;
    ends.reserve(m.index_values.size());
    for (const std::uint64_t i : m.index_values) {
      fmt::format_to(std::back_inserter(m.index_terms), "{}", i);
      ends.push_back(m.index_terms.size());
    }
    std::size_t begin = 0;
    for (std::size_t j = 0; j < ends.size(); ++j) {
      m.out.entries.push_back(
          {std::string_view(m.index_terms).substr(begin, ends[j] - begin), m.values[j]});
      begin = ends[j];
    }
  }
  return m.out;
}

const ParsedSparseVector& SparseVectorParser::parse_copy(std::string_view line) {
  Impl& m = *impl_;
  m.padded.assign(line);
  m.padded.append(kPadding, '\0');
  return parse(std::string_view(m.padded.data(), line.size()), m.padded.size());
}

}  // namespace tandem::io
