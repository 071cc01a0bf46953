// Strict reading of a JSON specification (pipelines, their stages and filters): every key is
// either read or reported, and every error names the source and the JSON path of the value at
// fault, e.g. "p.json: legs[1].depth: expected a non-negative integer, got \"ten\"".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"

namespace tandem::pipeline {

/// A JSON object being read. Each getter marks its key as known; finish() then refuses any key
/// that no getter asked for, listing the known ones. Getters throw Error(invalid_argument) for a
/// value of the wrong type.
class SpecObject {
 public:
  /// `json` must outlive this object. Throws if it is not an object.
  SpecObject(const nlohmann::json& json, std::string path, std::string source);

  const std::string& path() const { return path_; }
  const std::string& source() const { return source_; }
  /// The path of a key of this object ("legs[1].depth"; a top-level key is just its name).
  std::string key_path(std::string_view key) const;
  bool has(std::string_view key) const { return json_->contains(key); }
  /// The keys present, in document order (for maps such as filters and weights).
  std::vector<std::string> keys() const;

  std::optional<std::string> string(std::string_view key);
  std::optional<double> number(std::string_view key);
  /// A non-negative integer (a JSON number with no fractional part).
  std::optional<std::size_t> count(std::string_view key);
  std::optional<bool> boolean(std::string_view key);
  /// Any value (marks the key known); nullptr when absent.
  const nlohmann::json* value(std::string_view key);
  std::optional<SpecObject> object(std::string_view key);
  /// An array of objects (each read as its own SpecObject, path "key[i]").
  std::optional<std::vector<SpecObject>> objects(std::string_view key);

  /// Refuses keys no getter asked for.
  void finish() const;

  /// Throws Error(invalid_argument) "SOURCE: PATH.KEY: message".
  template <typename... Args>
  [[noreturn]] void fail_at(std::string_view key, fmt::format_string<Args...> format,
                            Args&&... args) const {
    fail(ErrorKind::invalid_argument, "{}: {}: {}", source_, key_path(key),
         fmt::format(format, std::forward<Args>(args)...));
  }

 private:
  const nlohmann::json* get(std::string_view key);
  const nlohmann::json* json_;
  std::string path_;
  std::string source_;
  std::vector<std::string> known_;
};

/// A short rendering of a JSON value for error messages (at most ~40 characters).
std::string brief(const nlohmann::json& value);
/// "a string", "a number", ... for error messages.
std::string_view type_name(const nlohmann::json& value);

}  // namespace tandem::pipeline
