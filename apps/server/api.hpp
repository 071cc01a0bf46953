// The request side of `tandem serve`: limits, the JSON error every bad request gets, and the
// parsers that turn a request body into a typed request. Everything here is pure (no sockets), so
// the malformed-request rules can be tested and fuzzed without a server.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/io/sparse_query_file.hpp"

namespace tandem::server {

/// Limits on what one request may ask for. Every one is a `tandem serve` flag.
struct Limits {
  std::size_t max_body_bytes = 8u << 20;  // any request body (adds carry documents)
  std::size_t max_k = 1000;               // hits per search
  std::size_t max_query_bytes = 4096;     // a text query, in UTF-8 bytes
  std::size_t max_sparse_terms = 4096;    // dimensions of a sparse query vector
  std::size_t max_dense_dim = 65536;      // values of a dense query vector
  std::size_t max_json_depth = 32;        // nesting of any request body
  std::size_t max_ids = 100000;           // ids in one delete
};

/// A request the server refuses: the HTTP status (always 4xx for bad input) and the body's
/// {"error": {"kind", "message"}}.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string kind, const std::string& message)
      : std::runtime_error(message), status_(status), kind_(std::move(kind)) {}
  int status() const { return status_; }
  const std::string& kind() const { return kind_; }

 private:
  int status_;
  std::string kind_;
};

/// The error body: {"error": {"kind": KIND, "message": MESSAGE}}.
std::string error_body(std::string_view kind, std::string_view message);

/// The HTTP status a library error maps to: invalid_argument and limit_exceeded 400, not_found
/// 404, unsupported 400; corruption and io are the server's problem (500).
int http_status(ErrorKind kind);

/// Parses a request body as one JSON object: bad JSON (including invalid UTF-8 or lone
/// surrogates), nesting deeper than limits.max_json_depth, or a non-object is an ApiError(400).
nlohmann::json parse_body(std::string_view body, const Limits& limits);

/// What a search asks for: exactly one of a text query (BM25), a sparse vector, a dense vector.
struct SearchRequest {
  enum class Kind { text, sparse, dense } kind = Kind::text;
  std::string text;                        // Kind::text
  io::SparseQuery sparse;                  // Kind::sparse: a vector, or text (pre-tokenised)
  std::vector<float> dense;                // Kind::dense
  std::size_t k = 10;                      // 1..limits.max_k
  bool documents = false;                  // include each hit's stored document
  std::optional<nlohmann::json> pipeline;  // a declarative pipeline (docs/pipelines.md)
  bool explain = false;                    // pipeline: add the per-leg explain record
};

/// POST /search body:
///   {"query": "text"} | {"sparse": {"term": w, ...}} | {"sparse": {"indices": [..], "values":
///   [..]}} | {"sparse": "pre-tokenised text"} | {"dense": [x, ...]},
///   with optional "k" (integer), "documents" (bool); or {"query": "text", "pipeline": {...}}
///   with optional "explain" (bool).
/// Unknown members, wrong types, k outside 1..max_k, over-long queries and non-finite numbers are
/// ApiError(400) naming the member.
SearchRequest parse_search_request(std::string_view body, const Limits& limits);

/// An add request: the documents and, optionally, their learned-sparse and dense vectors, each
/// as JSONL lines in the formats `tandem add --corpus/--sparse/--dense` read.
struct AddRequest {
  std::vector<std::string> documents;
  std::vector<std::string> sparse;  // {"id", "vector": {"term": w}} or {"id", "indices", "values"}
  std::vector<std::string> dense;   // {"id", "vector": [x, ...]}
  std::vector<std::string> multivec;  // {"id", "vectors": [[x, ...], ...]} (token vectors)
};

/// POST /documents body: {"documents": [{...}, ...], "sparse": [{...}, ...], "dense": [{...},
/// ...], "multivec": [{...}, ...]} ("sparse", "dense" and "multivec" optional). Each item must be
/// an object; the engine checks ids, fields, weights and dimensions when it adds them (a vector
/// whose id is not among the documents is an error; a document may lack a vector).
AddRequest parse_add_request(std::string_view body, const Limits& limits);

/// POST /documents/delete body: {"ids": ["id", ...]} (non-empty strings).
std::vector<std::string> parse_delete_request(std::string_view body, const Limits& limits);

/// Whether `s` is valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool valid_utf8(std::string_view s);

}  // namespace tandem::server
