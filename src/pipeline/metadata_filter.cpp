#include "tandem/pipeline/metadata_filter.hpp"

namespace tandem::pipeline {

using nlohmann::json;

namespace {

bool is_scalar(const json& v) {
  return v.is_string() || v.is_number() || v.is_boolean();
}

bool equal(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) return a.get<double>() == b.get<double>();
  if (a.is_string() && b.is_string())
    return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
  if (a.is_boolean() && b.is_boolean()) return a.get<bool>() == b.get<bool>();
  return false;
}

// -1, 0, 1 when comparable (both numbers or both strings); 2 otherwise.
int compare(const json& a, const json& b) {
  if (a.is_number() && b.is_number()) {
    const double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_string() && b.is_string()) {
    const int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  return 2;
}

}  // namespace

MetadataFilter MetadataFilter::parse(SpecObject spec) {
  MetadataFilter f;
  json copy = json::object();
  for (const std::string& field : spec.keys()) {
    const json& cond = *spec.value(field);
    copy[field] = cond;
    std::vector<std::string> path;
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = field.find('.', start);
      path.push_back(field.substr(start, dot == std::string::npos ? dot : dot - start));
      if (path.back().empty()) spec.fail_at(field, "empty part in the field name");
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    if (is_scalar(cond)) {
      f.conditions_.push_back({path, Op::eq, cond});
      continue;
    }
    if (!cond.is_object() || cond.empty())
      spec.fail_at(field,
                   "expected a value to match or an object of operators (eq, in, gt, gte, lt, "
                   "lte), got {} {}",
                   type_name(cond), brief(cond));
    for (const auto& [name, v] : cond.items()) {
      const std::string where = std::string(field).append(".").append(name);
      Op op;
      if (name == "eq") {
        op = Op::eq;
      } else if (name == "in") {
        op = Op::in;
      } else if (name == "gt") {
        op = Op::gt;
      } else if (name == "gte") {
        op = Op::gte;
      } else if (name == "lt") {
        op = Op::lt;
      } else if (name == "lte") {
        op = Op::lte;
      } else {
        spec.fail_at(where, "unknown operator (known: eq, in, gt, gte, lt, lte)");
      }
      if (op == Op::in) {
        if (!v.is_array() || v.empty())
          spec.fail_at(where, "expected a non-empty array of values, got {} {}", type_name(v),
                       brief(v));
        for (const auto& e : v) {
          if (!is_scalar(e))
            spec.fail_at(where, "expected strings, numbers or booleans, got {} {}", type_name(e),
                         brief(e));
        }
      } else if (op == Op::eq) {
        if (!is_scalar(v))
          spec.fail_at(where, "expected a string, number or boolean, got {} {}", type_name(v),
                       brief(v));
      } else if (!v.is_number() && !v.is_string()) {
        spec.fail_at(where, "expected a number or a string, got {} {}", type_name(v), brief(v));
      }
      f.conditions_.push_back({path, op, v});
    }
  }
  f.spec_ = std::move(copy);
  return f;
}

bool MetadataFilter::test(const Condition& c, const json& v) {
  if (v.is_array()) {
    for (const auto& e : v) {
      if (!e.is_array() && test(c, e)) return true;
    }
    return false;
  }
  switch (c.op) {
    case Op::eq:
      return equal(v, c.value);
    case Op::in:
      for (const auto& e : c.value) {
        if (equal(v, e)) return true;
      }
      return false;
    case Op::gt:
      return compare(v, c.value) == 1;
    case Op::gte: {
      const int r = compare(v, c.value);
      return r == 1 || r == 0;
    }
    case Op::lt:
      return compare(v, c.value) == -1;
    case Op::lte: {
      const int r = compare(v, c.value);
      return r == -1 || r == 0;
    }
  }
  return false;
}

bool MetadataFilter::matches(const json& document) const {
  for (const Condition& c : conditions_) {
    const json* v = &document;
    for (const auto& part : c.path) {
      if (!v->is_object()) return false;
      const auto it = v->find(part);
      if (it == v->end()) return false;
      v = &*it;
    }
    if (!test(c, *v)) return false;
  }
  return true;
}

bool MetadataFilter::matches_source(std::string_view source) const {
  if (conditions_.empty()) return true;
  const json doc = json::parse(source, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return false;
  return matches(doc);
}

}  // namespace tandem::pipeline
