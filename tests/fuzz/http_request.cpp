// Fuzz target: `tandem serve` request bodies (apps/server/api.hpp). Any input must either parse or
// be refused with a 4xx ApiError; nothing else may escape, and a parsed search is within limits.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  tandem::server::Limits limits;
  limits.max_k = 100;
  limits.max_query_bytes = 64;
  limits.max_sparse_terms = 16;
  limits.max_dense_dim = 16;
  limits.max_json_depth = 8;
  try {
    const auto r = tandem::server::parse_search_request(body, limits);
    if (r.k < 1 || r.k > limits.max_k) __builtin_trap();
    if (r.text.size() > limits.max_query_bytes) __builtin_trap();
    if (r.dense.size() > limits.max_dense_dim) __builtin_trap();
  } catch (const tandem::server::ApiError& e) {
    if (e.status() < 400 || e.status() > 499) __builtin_trap();
  }
  try {
    const auto add = tandem::server::parse_add_request(body, limits);
    if (add.documents.empty()) __builtin_trap();
  } catch (const tandem::server::ApiError& e) {
    if (e.status() < 400 || e.status() > 499) __builtin_trap();
  }
  try {
    tandem::server::parse_delete_request(body, limits);
  } catch (const tandem::server::ApiError& e) {
    if (e.status() < 400 || e.status() > 499) __builtin_trap();
  }
  return 0;
}
