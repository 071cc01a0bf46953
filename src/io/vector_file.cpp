#include "tandem/io/vector_file.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include <simdjson.h>

#include "tandem/core/error.hpp"
#include "tandem/io/line_reader.hpp"
#include "tandem/io/mapped_file.hpp"

namespace tandem::io {

static_assert(std::endian::native == std::endian::little, "vector files are little-endian");

namespace {

void check_finite(float v, std::string_view where, std::size_t row, std::size_t col) {
  if (!std::isfinite(v))
    fail(ErrorKind::invalid_argument, "{}: row {}: element {} is {} (vectors must be finite)",
         where, row + 1, col, std::isnan(v) ? "NaN" : "infinite");
}

// The value of `key` in a Python dict literal such as "{'descr': '<f4', 'shape': (3, 4), }".
std::string_view dict_value(std::string_view dict, std::string_view key, std::string_view where) {
  const std::string quoted = "'" + std::string(key) + "'";
  const std::size_t at = dict.find(quoted);
  if (at == std::string_view::npos)
    fail(ErrorKind::invalid_argument, "{}: .npy header has no '{}'", where, key);
  std::size_t p = dict.find(':', at + quoted.size());
  if (p == std::string_view::npos)
    fail(ErrorKind::invalid_argument, "{}: malformed .npy header", where);
  ++p;
  while (p < dict.size() && dict[p] == ' ') ++p;
  std::size_t end = p;
  if (p < dict.size() && dict[p] == '(') {
    end = dict.find(')', p);
    if (end == std::string_view::npos)
      fail(ErrorKind::invalid_argument, "{}: malformed .npy shape", where);
    ++end;
  } else {
    while (end < dict.size() && dict[end] != ',' && dict[end] != '}') ++end;
  }
  std::string_view v = dict.substr(p, end - p);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

std::size_t parse_dim(std::string_view s, std::string_view where) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty() || s.size() > 15)
    fail(ErrorKind::invalid_argument, "{}: bad .npy shape entry '{}'", where, s);
  std::size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      fail(ErrorKind::invalid_argument, "{}: bad .npy shape entry '{}'", where, s);
    v = v * 10 + static_cast<std::size_t>(c - '0');
  }
  return v;
}

}  // namespace

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1f;
  std::uint32_t mant = h & 0x3ff;
  std::uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise
      int e = -1;
      do {
        ++e;
        mant <<= 1;
      } while ((mant & 0x400) == 0);
      bits = sign | (static_cast<std::uint32_t>(127 - 15 - e) << 23) | ((mant & 0x3ff) << 13);
    }
  } else if (exp == 31) {
    bits = sign | 0x7f800000u | (mant << 13);
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  return std::bit_cast<float>(bits);
}

std::uint16_t float_to_half(float f) {
  const std::uint32_t x = std::bit_cast<std::uint32_t>(f);
  const std::uint16_t sign = static_cast<std::uint16_t>((x >> 16) & 0x8000);
  const std::uint32_t ax = x & 0x7fffffff;
  if (ax >= 0x7f800000)
    return static_cast<std::uint16_t>(sign | 0x7c00 | (ax > 0x7f800000 ? 0x200 : 0));
  if (ax >= 0x477ff000) return static_cast<std::uint16_t>(sign | 0x7c00);  // rounds to infinity
  if (ax < 0x38800000) {  // subnormal half (or zero)
    if (ax < 0x33000000) return sign;
    const std::uint32_t e = ax >> 23;
    const std::uint32_t m = (ax & 0x7fffff) | 0x800000;
    const std::uint32_t shift = 126 - e;  // 14 + (112 - e) ... places the value in 10 bits
    std::uint32_t v = m >> shift;
    const std::uint32_t rem = m & ((1u << shift) - 1);
    const std::uint32_t half = 1u << (shift - 1);
    if (rem > half || (rem == half && (v & 1))) ++v;
    return static_cast<std::uint16_t>(sign | v);
  }
  std::uint32_t v = ((ax - 0x38000000) >> 13);
  const std::uint32_t rem = ax & 0x1fff;
  if (rem > 0x1000 || (rem == 0x1000 && (v & 1))) ++v;
  return static_cast<std::uint16_t>(sign | v);
}

NpyHeader parse_npy_header(std::span<const std::byte> bytes, std::string_view where) {
  static constexpr char kMagic[6] = {'\x93', 'N', 'U', 'M', 'P', 'Y'};
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, 6) != 0)
    fail(ErrorKind::invalid_argument, "{}: not a .npy file (bad magic)", where);
  const auto major = static_cast<unsigned>(bytes[6]);
  std::size_t header_len = 0;
  std::size_t start = 0;
  if (major == 1) {
    header_len = static_cast<std::size_t>(bytes[8]) | (static_cast<std::size_t>(bytes[9]) << 8);
    start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail(ErrorKind::invalid_argument, "{}: truncated .npy header", where);
    std::uint32_t len = 0;
    std::memcpy(&len, bytes.data() + 8, 4);
    header_len = len;
    start = 12;
  } else {
    fail(ErrorKind::invalid_argument, "{}: .npy format version {} is not supported", where, major);
  }
  if (header_len > bytes.size() - start)
    fail(ErrorKind::invalid_argument, "{}: truncated .npy header", where);
  const std::string_view dict(reinterpret_cast<const char*>(bytes.data() + start), header_len);
  NpyHeader h;
  const std::string_view descr = dict_value(dict, "descr", where);
  if (descr == "'<f4'") {
    h.dtype = NpyHeader::Dtype::f32;
  } else if (descr == "'<f2'") {
    h.dtype = NpyHeader::Dtype::f16;
  } else if (descr == "'<f8'") {
    h.dtype = NpyHeader::Dtype::f64;
  } else {
    fail(ErrorKind::invalid_argument,
         "{}: .npy dtype {} is not supported (use little-endian float32, float16 or float64)",
         where, descr);
  }
  if (dict_value(dict, "fortran_order", where) != "False")
    fail(ErrorKind::invalid_argument, "{}: .npy array must be in C order", where);
  std::string_view shape = dict_value(dict, "shape", where);
  if (shape.size() < 2 || shape.front() != '(' || shape.back() != ')')
    fail(ErrorKind::invalid_argument, "{}: malformed .npy shape", where);
  shape = shape.substr(1, shape.size() - 2);
  std::vector<std::size_t> dims;
  while (!shape.empty()) {
    const std::size_t comma = shape.find(',');
    const std::string_view part = shape.substr(0, comma);
    if (part.find_first_not_of(' ') != std::string_view::npos)
      dims.push_back(parse_dim(part, where));
    if (comma == std::string_view::npos) break;
    shape.remove_prefix(comma + 1);
  }
  if (dims.size() == 1) {
    h.rows = 1;
    h.cols = dims[0];
  } else if (dims.size() == 2) {
    h.rows = dims[0];
    h.cols = dims[1];
  } else {
    fail(ErrorKind::invalid_argument, "{}: .npy array must be 2-d (rows x dim), not {}-d", where,
         dims.size());
  }
  if (h.cols == 0 || h.cols > 65536)
    fail(ErrorKind::invalid_argument, "{}: vector dimension {} is out of range (1..65536)", where,
         h.cols);
  h.data_offset = start + header_len;
  const std::size_t elem = h.dtype == NpyHeader::Dtype::f32   ? 4
                           : h.dtype == NpyHeader::Dtype::f16 ? 2
                                                              : 8;
  const std::size_t available = (bytes.size() - h.data_offset) / elem;
  if (h.rows > available / h.cols)
    fail(ErrorKind::invalid_argument,
         "{}: truncated: the header says {} x {} values, the file holds {} complete rows", where,
         h.rows, h.cols, available / h.cols);
  return h;
}

void parse_npy(std::span<const std::byte> bytes, std::string_view where, VectorSet& out) {
  const NpyHeader h = parse_npy_header(bytes, where);
  out.dim = h.cols;
  out.ids.clear();
  out.values.resize(h.rows * h.cols);
  const std::byte* p = bytes.data() + h.data_offset;
  for (std::size_t i = 0; i < out.values.size(); ++i) {
    float v;
    if (h.dtype == NpyHeader::Dtype::f32) {
      std::memcpy(&v, p + 4 * i, 4);
    } else if (h.dtype == NpyHeader::Dtype::f16) {
      std::uint16_t x;
      std::memcpy(&x, p + 2 * i, 2);
      v = half_to_float(x);
    } else {
      double d;
      std::memcpy(&d, p + 8 * i, 8);
      v = static_cast<float>(d);
    }
    check_finite(v, where, i / h.cols, i % h.cols);
    out.values[i] = v;
  }
}

void parse_fvecs(std::span<const std::byte> bytes, std::string_view where, VectorSet& out) {
  out.ids.clear();
  out.values.clear();
  out.dim = 0;
  std::size_t pos = 0;
  for (std::size_t row = 0; pos < bytes.size(); ++row) {
    if (bytes.size() - pos < 4)
      fail(ErrorKind::invalid_argument, "{}: row {}: truncated (no complete dimension)", where,
           row + 1);
    std::int32_t d = 0;
    std::memcpy(&d, bytes.data() + pos, 4);
    if (d <= 0 || d > 65536)
      fail(ErrorKind::invalid_argument, "{}: row {}: dimension {} is out of range (1..65536)",
           where, row + 1, d);
    const auto dim = static_cast<std::size_t>(d);
    if (row == 0) {
      out.dim = dim;
      out.values.reserve(bytes.size() / (4 * (dim + 1)) * dim);
    } else if (dim != out.dim) {
      fail(ErrorKind::invalid_argument, "{}: row {}: dimension {}, but row 1 has {}", where,
           row + 1, dim, out.dim);
    }
    pos += 4;
    if ((bytes.size() - pos) / 4 < dim)
      fail(ErrorKind::invalid_argument, "{}: row {}: truncated ({} of {} values present)", where,
           row + 1, (bytes.size() - pos) / 4, dim);
    const std::size_t base = out.values.size();
    out.values.resize(base + dim);
    std::memcpy(out.values.data() + base, bytes.data() + pos, 4 * dim);
    for (std::size_t c = 0; c < dim; ++c) check_finite(out.values[base + c], where, row, c);
    pos += 4 * dim;
  }
}

void parse_vector_line(std::string_view line, std::string_view where, std::string& id,
                       std::vector<float>& vector) {
  thread_local simdjson::ondemand::parser parser;
  const simdjson::padded_string padded(line);
  id.clear();
  vector.clear();
  bool has_id = false, has_vector = false;
  int id_rank = 99;
  const auto bad = [&](simdjson::error_code e) {
    fail(ErrorKind::invalid_argument, "{}: malformed JSON ({})", where, simdjson::error_message(e));
  };
  simdjson::ondemand::document doc;
  if (auto e = parser.iterate(padded).get(doc)) bad(e);
  simdjson::ondemand::object object;
  if (auto e = doc.get_object().get(object)) {
    if (e == simdjson::INCORRECT_TYPE)
      fail(ErrorKind::invalid_argument, "{}: a vector line must be a JSON object", where);
    bad(e);
  }
  static constexpr std::string_view kIdKeys[] = {"id", "_id", "docid", "qid", "query_id"};
  for (auto field : object) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) bad(e);
    simdjson::ondemand::value value;
    if (auto e = field.value().get(value)) bad(e);
    int rank = -1;
    for (int r = 0; r < 5; ++r) {
      if (key == kIdKeys[r]) rank = r;
    }
    if (rank >= 0) {
      simdjson::ondemand::json_type type;
      if (auto e = value.type().get(type)) bad(e);
      std::string text;
      if (type == simdjson::ondemand::json_type::string) {
        std::string_view s;
        if (auto e = value.get_string().get(s)) bad(e);
        text = std::string(s);
      } else if (type == simdjson::ondemand::json_type::number) {
        std::string_view raw = value.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
                                raw.back() == '\r'))
          raw.remove_suffix(1);
        text = std::string(raw);
      } else {
        fail(ErrorKind::invalid_argument, "{}: \"{}\" must be a string or a number", where, key);
      }
      if (text.empty()) fail(ErrorKind::invalid_argument, "{}: empty \"{}\"", where, key);
      if (rank < id_rank) {
        id_rank = rank;
        id = std::move(text);
        has_id = true;
      }
    } else if (key == "vector") {
      simdjson::ondemand::array array;
      if (auto e = value.get_array().get(array)) {
        if (e == simdjson::INCORRECT_TYPE)
          fail(ErrorKind::invalid_argument, "{}: \"vector\" must be an array of numbers", where);
        bad(e);
      }
      vector.clear();
      for (auto element : array) {
        double x;
        if (auto e = element.get_double().get(x)) {
          if (e == simdjson::INCORRECT_TYPE)
            fail(ErrorKind::invalid_argument, "{}: element {} of \"vector\" is not a number", where,
                 vector.size());
          bad(e);
        }
        const auto v = static_cast<float>(x);
        if (!std::isfinite(v))
          fail(ErrorKind::invalid_argument, "{}: element {} is {} (vectors must be finite)", where,
               vector.size(), std::isnan(x) ? "NaN" : "infinite or out of float range");
        vector.push_back(v);
      }
      has_vector = true;
    }
  }
  if (!has_id)
    fail(ErrorKind::invalid_argument, "{}: no id (\"id\", \"docid\", \"_id\" or \"qid\")", where);
  if (!has_vector) fail(ErrorKind::invalid_argument, "{}: no \"vector\"", where);
  if (vector.empty()) fail(ErrorKind::invalid_argument, "{}: \"vector\" is empty", where);
}

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void read_jsonl(const std::filesystem::path& path, VectorSet& out) {
  LineReader reader(path);
  std::string_view line;
  std::string id;
  std::vector<float> vector;
  out.dim = 0;
  std::size_t row = 0;
  while (reader.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const std::string where = fmt::format("{}:{}", path.string(), reader.line_number());
    parse_vector_line(line, where, id, vector);
    if (row == 0) {
      out.dim = vector.size();
    } else if (vector.size() != out.dim) {
      fail(ErrorKind::invalid_argument, "{}: row {} ('{}') has dimension {}, but row 1 has {}",
           where, row + 1, id, vector.size(), out.dim);
    }
    out.values.insert(out.values.end(), vector.begin(), vector.end());
    out.ids.push_back(id);
    ++row;
  }
}

}  // namespace

VectorSet read_vectors(const std::filesystem::path& path, const std::filesystem::path& ids_path) {
  VectorSet out;
  const std::string name = path.string();
  if (ends_with(name, ".npy") || ends_with(name, ".fvecs")) {
    const MappedFile file(path);
    if (ends_with(name, ".npy")) {
      parse_npy(file.bytes(), name, out);
    } else {
      parse_fvecs(file.bytes(), name, out);
    }
  } else {
    read_jsonl(path, out);
  }
  if (out.rows() == 0) fail(ErrorKind::invalid_argument, "{}: holds no vectors", name);
  if (!ids_path.empty()) {
    LineReader reader(ids_path);
    std::vector<std::string> ids;
    std::string_view line;
    while (reader.next(line)) {
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
      if (line.empty())
        fail(ErrorKind::invalid_argument, "{}:{}: empty id", ids_path.string(),
             reader.line_number());
      ids.emplace_back(line);
    }
    if (ids.size() != out.rows())
      fail(ErrorKind::invalid_argument, "{} holds {} ids but {} holds {} vectors",
           ids_path.string(), ids.size(), name, out.rows());
    out.ids = std::move(ids);
  }
  return out;
}

std::string row_id(const VectorSet& set, std::size_t i) {
  return set.ids.empty() ? std::to_string(i) : set.ids[i];
}

}  // namespace tandem::io
