// `tandem serve`: the HTTP/JSON face of the engine (docs/http.md). Routes, authentication, limits,
// timeouts and metrics live here; every answer comes from a LiveIndex snapshot.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "api.hpp"
#include "live_index.hpp"

namespace tandem::server {

struct ServeOptions {
  std::filesystem::path index_dir;
  std::string host = "127.0.0.1";
  int port = 8080;       // 0 = any free port (printed when listening)
  unsigned threads = 0;  // connection-handling threads; 0 = max(64, 4 x cores)
  std::string api_key;   // required (Authorization: Bearer KEY) when non-empty
  Limits limits;
  int read_timeout_s = 10;
  int write_timeout_s = 10;
  std::size_t keep_alive_max = 100;   // requests per connection before it is closed
  int keep_alive_timeout_s = 5;       // idle seconds before a kept-alive connection is closed
  bool access_log = false;            // one line per request on stderr
  bool allow_pipeline_files = false;  // request pipelines may name files (encoders, vectors)
  EngineOptions engine;
};

/// Whether `host` names only this machine: "localhost", an IPv4 address in 127.0.0.0/8, or ::1.
bool is_loopback(const std::string& host);

/// The route a request belongs to ("/search", "/documents/{id}", ...), or "" for none.
std::string route_of(const std::string& method, const std::string& path);

/// Opens the index, listens, and serves until SIGINT or SIGTERM. Refuses (Error invalid_argument)
/// to listen on a non-loopback address without an API key. `on_listening(port)` runs once the
/// socket is bound. Returns the exit code.
int serve(const ServeOptions& options, const std::function<void(int port)>& on_listening);

}  // namespace tandem::server
