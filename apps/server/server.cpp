#include "server.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include "tandem/core/error.hpp"

#include "metrics.hpp"

namespace tandem::server {

using nlohmann::json;

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    static const in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
    return std::equal(std::begin(v6.s6_addr), std::end(v6.s6_addr), std::begin(loopback.s6_addr));
  }
  return false;
}

std::string route_of(const std::string& method, const std::string& path) {
  if (path == "/health" || path == "/info" || path == "/metrics" || path == "/search" ||
      path == "/documents")
    return path;
  if (path == "/documents/delete" && method == "POST") return path;
  if (path.starts_with("/documents/") && path.size() > 11) return "/documents/{id}";
  return "";
}

namespace {

// The methods each route answers (anything else is 405 with an Allow header).
std::string allowed_methods(const std::string& route) {
  if (route == "/search" || route == "/documents" || route == "/documents/delete") return "POST";
  if (route == "/documents/{id}") return "GET, DELETE";
  return "GET";
}

bool method_allowed(const std::string& route, const std::string& method) {
  const std::string allowed = allowed_methods(route);
  if (method == "HEAD" && allowed.find("GET") != std::string::npos) return true;
  std::size_t at = 0;
  while (at < allowed.size()) {
    const std::size_t end = std::min(allowed.find(", ", at), allowed.size());
    if (allowed.compare(at, end - at, method) == 0) return true;
    at = end + 2;
  }
  return false;
}

// The library's error category as an identifier (the "kind" of the JSON error body).
std::string_view error_kind(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument:
      return "invalid_argument";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::corruption:
      return "corruption";
    case ErrorKind::io:
      return "io";
    case ErrorKind::unsupported:
      return "unsupported";
    case ErrorKind::limit_exceeded:
      return "limit_exceeded";
  }
  return "internal";
}

void set_error(httplib::Response& res, int status, std::string_view kind,
               std::string_view message) {
  res.status = status;
  res.set_content(error_body(kind, message), "application/json");
}

void set_json(httplib::Response& res, const std::string& body) {
  res.status = 200;
  res.set_content(body, "application/json");
}

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Compares in time independent of where the strings differ.
bool same_secret(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ (i < b.size() ? b[i] : 0));
  return diff == 0;
}

int stop_pipe[2] = {-1, -1};  // written by the SIGINT/SIGTERM handler, read by the stopper

// When the current request started routing (set by the pre-routing handler, read by the logger on
// the same thread); nullopt for a request refused before routing (bad request line, huge body).
thread_local std::optional<std::chrono::steady_clock::time_point> request_start;

class Service {
 public:
  explicit Service(const ServeOptions& options)
      : options_(options), live_(options.index_dir, options.engine) {}

  void install(httplib::Server& svr) {
    svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      return pre_route(req, res);
    });
    svr.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          // Errors httplib answers itself: a bad request line or headers, a body over the limit.
          std::string kind = "bad_request";
          std::string message = "the request could not be read";
          if (res.status == 413) {
            kind = "payload_too_large";
            message = "the request body is over the server's --max-body-bytes";
          } else if (res.status == 414) {
            kind = "uri_too_long";
            message = "the request target is too long";
          } else if (res.status == 404) {
            kind = "not_found";
            message = "no such endpoint";
          } else if (res.status >= 500) {
            kind = "internal";
            message = "internal error";
          }
          set_error(res, res.status, kind, message);
          return httplib::Server::HandlerResponse::Handled;
        }));
    svr.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, const std::exception_ptr&) {
          set_error(res, 500, "internal", "internal error");
        });
    svr.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      double seconds = 0;
      if (request_start) {
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - *request_start)
                      .count();
        request_start.reset();
      }
      std::string route = route_of(req.method, req.path);
      if (route.empty()) route = "other";
      metrics_.record(route, res.status, seconds);
      if (options_.access_log)
        fmt::print(stderr, "{} {} {} {:.3f} ms\n", req.method, req.path, res.status, seconds * 1e3);
    });

    svr.Get("/health", guard([this](const httplib::Request&, httplib::Response& res) {
              const auto snap = live_.snapshot();
              set_json(res, dump({{"status", "ok"},
                                  {"generation", snap->generation()},
                                  {"documents", snap->index().reader().num_docs()}}));
            }));
    svr.Get("/info", guard([this](const httplib::Request&, httplib::Response& res) {
              const auto snap = live_.snapshot();
              const Limits& l = options_.limits;
              json server = {{"version", TANDEM_VERSION},
                             {"threads", threads()},
                             {"auth", !options_.api_key.empty()},
                             {"limits",
                              {{"max_body_bytes", l.max_body_bytes},
                               {"max_k", l.max_k},
                               {"max_query_bytes", l.max_query_bytes},
                               {"max_sparse_terms", l.max_sparse_terms},
                               {"max_dense_dim", l.max_dense_dim},
                               {"max_json_depth", l.max_json_depth},
                               {"max_ids", l.max_ids}}},
                             {"read_timeout_s", options_.read_timeout_s},
                             {"write_timeout_s", options_.write_timeout_s}};
              set_json(res, dump({{"generation", snap->generation()},
                                  {"index", json::parse(snap->index().info_json())},
                                  {"server", std::move(server)}}));
            }));
    svr.Get("/metrics", guard([this](const httplib::Request&, httplib::Response& res) {
              const auto snap = live_.snapshot();
              const std::string extra = fmt::format(
                  "# HELP tandem_index_generation The generation of the snapshot being served.\n"
                  "# TYPE tandem_index_generation gauge\ntandem_index_generation {}\n"
                  "# HELP tandem_index_documents Live documents in the snapshot being served.\n"
                  "# TYPE tandem_index_documents gauge\ntandem_index_documents {}\n",
                  snap->generation(), snap->index().reader().num_docs());
              res.status = 200;
              res.set_content(metrics_.render(extra), "text/plain; version=0.0.4");
            }));
    svr.Post("/search", guard([this](const httplib::Request& req, httplib::Response& res) {
               const SearchRequest r = parse_search_request(req.body, options_.limits);
               if (r.pipeline) {
                 set_json(res, live_.snapshot()->search_pipeline(r, options_.allow_pipeline_files));
                 return;
               }
               set_json(res, live_.snapshot()->search(r));
             }));
    svr.Post("/documents", guard([this](const httplib::Request& req, httplib::Response& res) {
               const AddRequest add = parse_add_request(req.body, options_.limits);
               set_json(res, dump(live_.add(add)));
             }));
    svr.Post("/documents/delete",
             guard([this](const httplib::Request& req, httplib::Response& res) {
               const auto ids = parse_delete_request(req.body, options_.limits);
               set_json(res, dump(live_.remove(ids)));
             }));
    svr.Get("/documents/(.+)", guard([this](const httplib::Request& req, httplib::Response& res) {
              const std::string id = document_id(req);
              const auto snap = live_.snapshot();
              if (!snap->index().reader().settings().store)
                throw ApiError(404, "not_found",
                               "the index does not store documents (it was built with --no-store)");
              const auto doc = snap->index().document(id);
              if (!doc)
                throw ApiError(404, "not_found", fmt::format("no document has id \"{}\"", id));
              json parsed = json::parse(*doc, nullptr, false);
              set_json(res, dump({{"id", id},
                                  {"generation", snap->generation()},
                                  {"document", parsed.is_discarded() ? json(*doc) : parsed}}));
            }));
    svr.Delete("/documents/(.+)",
               guard([this](const httplib::Request& req, httplib::Response& res) {
                 set_json(res, dump(live_.remove({document_id(req)})));
               }));
  }

  unsigned threads() const {
    if (options_.threads != 0) return options_.threads;
    return std::max(64u, 4u * std::max(1u, std::thread::hardware_concurrency()));
  }

  const LiveIndex& live() const { return live_; }

 private:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // Every handler answers bad input with a 4xx JSON error and never lets an exception out.
  static Handler guard(Handler fn) {
    return [fn = std::move(fn)](const httplib::Request& req, httplib::Response& res) {
      try {
        fn(req, res);
      } catch (const ApiError& e) {
        set_error(res, e.status(), e.kind(), e.what());
      } catch (const Error& e) {
        set_error(res, http_status(e.kind()), error_kind(e.kind()), e.what());
      } catch (const std::bad_alloc&) {
        set_error(res, 503, "out_of_memory", "the server ran out of memory for this request");
      } catch (const std::exception& e) {
        set_error(res, 500, "internal", fmt::format("internal error: {}", e.what()));
      }
    };
  }

  static std::string document_id(const httplib::Request& req) {
    std::string id = req.matches.size() > 1 ? req.matches[1].str() : "";
    if (!valid_utf8(id))
      throw ApiError(400, "invalid_argument", "the document id is not valid UTF-8");
    return id;
  }

  httplib::Server::HandlerResponse pre_route(const httplib::Request& req, httplib::Response& res) {
    request_start = std::chrono::steady_clock::now();
    const std::string route = route_of(req.method, req.path);
    const bool has_body = req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
    auto refuse = [&](int status, std::string_view kind, const std::string& message) {
      set_error(res, status, kind, message);
      // The body is not read: close the connection rather than parse it as the next request.
      if (has_body) res.set_header("Connection", "close");
      return httplib::Server::HandlerResponse::Handled;
    };
    if (route.empty())
      return refuse(404, "not_found",
                    fmt::format("no endpoint {} (see docs/http.md: /search, /documents, "
                                "/documents/{{id}}, /info, /health, /metrics)",
                                valid_utf8(req.path) ? req.path : "with this path"));
    if (!method_allowed(route, req.method)) {
      res.set_header("Allow", allowed_methods(route));
      return refuse(405, "method_not_allowed",
                    fmt::format("{} does not answer {}; it answers {}", route, req.method,
                                allowed_methods(route)));
    }
    if (!options_.api_key.empty() && route != "/health") {
      const std::string auth = req.get_header_value("Authorization");
      const std::string_view prefix = "Bearer ";
      if (!auth.starts_with(prefix) ||
          !same_secret(std::string_view(auth).substr(prefix.size()), options_.api_key)) {
        res.set_header("WWW-Authenticate", "Bearer");
        return refuse(401, "unauthorized",
                      "this server needs an API key: send 'Authorization: Bearer KEY'");
      }
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  const ServeOptions& options_;
  LiveIndex live_;
  Metrics metrics_;
};

}  // namespace

int serve(const ServeOptions& options, const std::function<void(int port)>& on_listening) {
  if (!is_loopback(options.host) && options.api_key.empty())
    fail(ErrorKind::invalid_argument,
         "refusing to listen on {} (not a loopback address) without an API key: give --api-key "
         "KEY or set TANDEM_API_KEY (clients then send 'Authorization: Bearer KEY'), or listen on "
         "127.0.0.1",
         options.host);
  if (options.port < 0 || options.port > 65535)
    fail(ErrorKind::invalid_argument, "--port must be in 0..65535, not {}", options.port);

  // SIGINT/SIGTERM stop the server: the handler only writes a byte to a pipe (async-signal-safe);
  // a thread reading the pipe calls stop(). (A handler, not sigwait: libraries such as OpenBLAS
  // start threads before main, and a blocked mask would not cover them.)
  if (::pipe(stop_pipe) != 0) fail_errno(errno, "creating the stop pipe");
  struct sigaction action {};
  action.sa_handler = [](int) {
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(stop_pipe[1], &byte, 1);
  };
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  Service service(options);
  httplib::Server svr;
  const unsigned threads = service.threads();
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_payload_max_length(options.limits.max_body_bytes);
  svr.set_read_timeout(options.read_timeout_s, 0);
  svr.set_write_timeout(options.write_timeout_s, 0);
  svr.set_keep_alive_max_count(options.keep_alive_max);
  svr.set_keep_alive_timeout(options.keep_alive_timeout_s);
  svr.set_tcp_nodelay(true);
  service.install(svr);

  int port = options.port;
  if (port == 0) {
    port = svr.bind_to_any_port(options.host);
  } else if (!svr.bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port < 0)
    fail(ErrorKind::io,
         "cannot listen on {}:{} (address in use, or not an address of this machine)", options.host,
         options.port);

  std::thread stopper([&svr] {
    char byte = 0;
    while (::read(stop_pipe[0], &byte, 1) < 0 && errno == EINTR) {
    }
    svr.stop();
  });
  if (on_listening) on_listening(port);
  const bool ok = svr.listen_after_bind();
  const char byte = 0;
  [[maybe_unused]] const auto n = ::write(stop_pipe[1], &byte, 1);  // wakes it if no signal came
  stopper.join();
  return ok ? 0 : 1;
}

}  // namespace tandem::server
