#include "api.hpp"

#include <cmath>

#include <fmt/format.h>

namespace tandem::server {

using nlohmann::json;

namespace {

[[noreturn]] void bad(std::string_view kind, const std::string& message) {
  throw ApiError(400, std::string(kind), message);
}

std::string type_name(const json& v) {
  if (v.is_number_integer()) return "an integer";
  if (v.is_number_float()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_null()) return "null";
  if (v.is_array()) return "an array";
  return "an object";
}

void check_members(const json& object, std::initializer_list<std::string_view> allowed,
                   std::string_view where) {
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const auto a : allowed) known = known || key == a;
    if (!known) {
      std::string list;
      for (const auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      bad("invalid_argument",
          fmt::format("{}: unknown member \"{}\" (allowed: {})", where, key, list));
    }
  }
}

std::size_t get_k(const json& v, const Limits& limits) {
  if (!v.is_number_integer())
    bad("invalid_argument", fmt::format("\"k\" must be an integer, not {}", type_name(v)));
  const bool positive = v.is_number_unsigned() || v.get<std::int64_t>() >= 1;
  if (!positive || v.get<std::uint64_t>() < 1 || v.get<std::uint64_t>() > limits.max_k)
    bad("limit_exceeded", fmt::format("\"k\" must be in 1..{} (the server's --max-k), not {}",
                                      limits.max_k, v.dump()));
  return static_cast<std::size_t>(v.get<std::uint64_t>());
}

io::SparseQuery get_sparse(const json& v, const Limits& limits) {
  io::SparseQuery q;
  if (v.is_string()) {
    q.text = v.get<std::string>();
    if (q.text.size() > limits.max_query_bytes)
      bad("limit_exceeded", fmt::format("\"sparse\" text has {} bytes; the limit is {}",
                                        q.text.size(), limits.max_query_bytes));
    q.terms = io::pretokenized_terms(q.text);
    if (q.terms.size() > limits.max_sparse_terms)
      bad("limit_exceeded", fmt::format("\"sparse\" has {} terms; the limit is {}", q.terms.size(),
                                        limits.max_sparse_terms));
    q.terms.clear();
    return q;
  }
  if (!v.is_object())
    bad("invalid_argument",
        fmt::format("\"sparse\" must be an object {{\"term\": weight}}, {{\"indices\", "
                    "\"values\"}} or a string, not {}",
                    type_name(v)));
  // The same parser (and so the same rules: summed repeats, zero weights dropped, indices as
  // decimal terms) as the CLI's JSONL query vectors.
  json line = {{"id", "query"}};
  if (v.contains("indices") || v.contains("values")) {
    check_members(v, {"indices", "values"}, "\"sparse\"");
    if (v.contains("indices")) line["indices"] = v["indices"];
    if (v.contains("values")) line["values"] = v["values"];
  } else {
    for (const auto& [term, weight] : v.items()) {
      if (!weight.is_number())
        bad("invalid_argument",
            fmt::format("\"sparse\": the weight of \"{}\" must be a number, not {}", term,
                        type_name(weight)));
    }
    line["vector"] = v;
  }
  const std::size_t n = line.contains("vector") ? v.size()
                        : line.contains("indices") && line["indices"].is_array()
                            ? line["indices"].size()
                            : 0;
  if (n > limits.max_sparse_terms)
    bad("limit_exceeded",
        fmt::format("\"sparse\" has {} terms; the limit is {}", n, limits.max_sparse_terms));
  try {
    q = io::parse_sparse_query_line(line.dump(), "\"sparse\"");
  } catch (const Error& e) {
    bad("invalid_argument", e.what());
  }
  if (!q.has_vector) bad("invalid_argument", "\"sparse\" holds no vector");
  for (const auto& t : q.terms) {
    if (!std::isfinite(t.weight))
      bad("invalid_argument",
          fmt::format("\"sparse\": the weight of \"{}\" is not a finite float", t.term));
  }
  return q;
}

std::vector<float> get_dense(const json& v, const Limits& limits) {
  if (!v.is_array())
    bad("invalid_argument",
        fmt::format("\"dense\" must be an array of numbers, not {}", type_name(v)));
  if (v.empty()) bad("invalid_argument", "\"dense\" is empty");
  if (v.size() > limits.max_dense_dim)
    bad("limit_exceeded",
        fmt::format("\"dense\" has {} values; the limit is {}", v.size(), limits.max_dense_dim));
  std::vector<float> out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number())
      bad("invalid_argument",
          fmt::format("\"dense\"[{}] must be a number, not {}", i, type_name(v[i])));
    const auto x = static_cast<float>(v[i].get<double>());
    if (!std::isfinite(x))
      bad("invalid_argument", fmt::format("\"dense\"[{}] is not a finite float", i));
    out.push_back(x);
  }
  return out;
}

}  // namespace

std::string error_body(std::string_view kind, std::string_view message) {
  return json{{"error", {{"kind", kind}, {"message", message}}}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

int http_status(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument:
    case ErrorKind::limit_exceeded:
    case ErrorKind::unsupported:
      return 400;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::corruption:
    case ErrorKind::io:
      return 500;
  }
  return 500;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t j = 1; j <= n; ++j) {
      if (i + j >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + j]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

json parse_body(std::string_view body, const Limits& limits) {
  if (body.empty()) bad("bad_json", "the request body is empty; it must be a JSON object");
  const std::size_t max_depth = limits.max_json_depth;
  json parsed;
  try {
    parsed =
        json::parse(body.begin(), body.end(), [max_depth](int depth, json::parse_event_t, json&) {
          if (static_cast<std::size_t>(depth) > max_depth)
            throw ApiError(400, "limit_exceeded",
                           fmt::format("the request body nests deeper than {} "
                                       "levels",
                                       max_depth));
          return true;
        });
  } catch (const json::parse_error& e) {
    bad("bad_json", fmt::format("the request body is not valid JSON: {}", e.what()));
  }
  if (!parsed.is_object())
    bad("bad_json",
        fmt::format("the request body must be a JSON object, not {}", type_name(parsed)));
  return parsed;
}

SearchRequest parse_search_request(std::string_view body, const Limits& limits) {
  const json j = parse_body(body, limits);
  check_members(j, {"query", "sparse", "dense", "k", "documents", "pipeline", "explain"},
                "search request");
  SearchRequest r;
  const int given = static_cast<int>(j.contains("query")) + static_cast<int>(j.contains("sparse")) +
                    static_cast<int>(j.contains("dense"));
  if (j.contains("pipeline")) {
    if (!j["pipeline"].is_object())
      bad("invalid_argument",
          fmt::format("\"pipeline\" must be an object, not {}", type_name(j["pipeline"])));
    r.pipeline = j["pipeline"];
  }
  if (given != 1)
    bad("invalid_argument",
        "a search request needs exactly one of \"query\" (text), \"sparse\" or \"dense\"");
  if (r.pipeline && !j.contains("query"))
    bad("invalid_argument", "a \"pipeline\" takes a text \"query\"");
  if (j.contains("explain")) {
    if (!j["explain"].is_boolean())
      bad("invalid_argument",
          fmt::format("\"explain\" must be a boolean, not {}", type_name(j["explain"])));
    r.explain = j["explain"].get<bool>();
    if (r.explain && !r.pipeline) bad("invalid_argument", "\"explain\" goes with \"pipeline\"");
  }
  if (j.contains("query")) {
    const json& q = j["query"];
    if (!q.is_string())
      bad("invalid_argument", fmt::format("\"query\" must be a string, not {}", type_name(q)));
    r.text = q.get<std::string>();
    if (r.text.size() > limits.max_query_bytes)
      bad("limit_exceeded",
          fmt::format("\"query\" has {} bytes; the limit is {} (--max-query-bytes)", r.text.size(),
                      limits.max_query_bytes));
    r.kind = SearchRequest::Kind::text;
  } else if (j.contains("sparse")) {
    r.sparse = get_sparse(j["sparse"], limits);
    r.kind = SearchRequest::Kind::sparse;
  } else if (j.contains("dense")) {
    r.dense = get_dense(j["dense"], limits);
    r.kind = SearchRequest::Kind::dense;
  }
  if (j.contains("k")) r.k = get_k(j["k"], limits);
  if (r.k > limits.max_k) r.k = limits.max_k;
  if (j.contains("documents")) {
    if (!j["documents"].is_boolean())
      bad("invalid_argument",
          fmt::format("\"documents\" must be a boolean, not {}", type_name(j["documents"])));
    r.documents = j["documents"].get<bool>();
  }
  return r;
}

namespace {

// The items of an array member of objects, each dumped as one JSONL line.
std::vector<std::string> object_lines(const json& j, const char* member) {
  const json& items = j[member];
  if (!items.is_array())
    bad("invalid_argument",
        fmt::format("\"{}\" must be an array of objects, not {}", member, type_name(items)));
  std::vector<std::string> lines;
  lines.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].is_object())
      bad("invalid_argument",
          fmt::format("\"{}\"[{}] must be an object, not {}", member, i, type_name(items[i])));
    lines.push_back(items[i].dump());
  }
  return lines;
}

}  // namespace

AddRequest parse_add_request(std::string_view body, const Limits& limits) {
  const json j = parse_body(body, limits);
  check_members(j, {"documents", "sparse", "dense", "multivec"}, "add request");
  if (!j.contains("documents")) bad("invalid_argument", "an add request needs \"documents\"");
  AddRequest r;
  r.documents = object_lines(j, "documents");
  if (r.documents.empty()) bad("invalid_argument", "\"documents\" is empty");
  if (j.contains("sparse")) r.sparse = object_lines(j, "sparse");
  if (j.contains("dense")) r.dense = object_lines(j, "dense");
  if (j.contains("multivec")) r.multivec = object_lines(j, "multivec");
  return r;
}

std::vector<std::string> parse_delete_request(std::string_view body, const Limits& limits) {
  const json j = parse_body(body, limits);
  check_members(j, {"ids"}, "delete request");
  if (!j.contains("ids")) bad("invalid_argument", "a delete request needs \"ids\"");
  const json& ids = j["ids"];
  if (!ids.is_array())
    bad("invalid_argument",
        fmt::format("\"ids\" must be an array of strings, not {}", type_name(ids)));
  if (ids.empty()) bad("invalid_argument", "\"ids\" is empty");
  if (ids.size() > limits.max_ids)
    bad("limit_exceeded",
        fmt::format("\"ids\" has {} items; the limit is {}", ids.size(), limits.max_ids));
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!ids[i].is_string() || ids[i].get_ref<const std::string&>().empty())
      bad("invalid_argument",
          fmt::format("\"ids\"[{}] must be a non-empty string, not {}", i, ids[i].dump()));
    out.push_back(ids[i].get<std::string>());
  }
  return out;
}

}  // namespace tandem::server
