#include "tandem/pipeline/json_spec.hpp"

#include <algorithm>
#include <cmath>

namespace tandem::pipeline {

using nlohmann::json;

std::string brief(const json& value) {
  std::string s = value.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string_view type_name(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::binary:
      return "binary data";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

SpecObject::SpecObject(const json& j, std::string path, std::string source)
    : json_(&j), path_(std::move(path)), source_(std::move(source)) {
  if (!j.is_object())
    fail(ErrorKind::invalid_argument, "{}: {}: expected an object, got {} {}", source_,
         path_.empty() ? "(top level)" : path_, type_name(j), brief(j));
}

std::string SpecObject::key_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return path_ + "." + std::string(key);
}

std::vector<std::string> SpecObject::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : json_->items()) out.push_back(k);
  return out;
}

const json* SpecObject::get(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  const auto it = json_->find(key);
  return it == json_->end() ? nullptr : &*it;
}

std::optional<std::string> SpecObject::string(std::string_view key) {
  const json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) fail_at(key, "expected a string, got {} {}", type_name(*v), brief(*v));
  return v->get<std::string>();
}

std::optional<double> SpecObject::number(std::string_view key) {
  const json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number()) fail_at(key, "expected a number, got {} {}", type_name(*v), brief(*v));
  const double d = v->get<double>();
  if (!std::isfinite(d)) fail_at(key, "expected a finite number, got {}", brief(*v));
  return d;
}

std::optional<std::size_t> SpecObject::count(std::string_view key) {
  const json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_unsigned()) return v->get<std::size_t>();
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (d >= 0 && d < 9.0e15 && std::floor(d) == d) return static_cast<std::size_t>(d);
  }
  fail_at(key, "expected a non-negative integer, got {} {}", type_name(*v), brief(*v));
}

std::optional<bool> SpecObject::boolean(std::string_view key) {
  const json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) fail_at(key, "expected true or false, got {} {}", type_name(*v), brief(*v));
  return v->get<bool>();
}

const json* SpecObject::value(std::string_view key) {
  return get(key);
}

std::optional<SpecObject> SpecObject::object(std::string_view key) {
  const json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) fail_at(key, "expected an object, got {} {}", type_name(*v), brief(*v));
  return SpecObject(*v, key_path(key), source_);
}

std::optional<std::vector<SpecObject>> SpecObject::objects(std::string_view key) {
  const json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array())
    fail_at(key, "expected an array of objects, got {} {}", type_name(*v), brief(*v));
  std::vector<SpecObject> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const std::string p = key_path(key) + "[" + std::to_string(i) + "]";
    out.emplace_back((*v)[i], p, source_);
  }
  return out;
}

void SpecObject::finish() const {
  for (const auto& [k, v] : json_->items()) {
    if (std::find(known_.begin(), known_.end(), k) != known_.end()) continue;
    std::string known;
    for (const auto& n : known_) known += (known.empty() ? "" : ", ") + n;
    fail(ErrorKind::invalid_argument, "{}: {}: unknown key (known here: {})", source_, key_path(k),
         known);
  }
}

}  // namespace tandem::pipeline
