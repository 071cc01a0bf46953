#include "tandem/eval/report.hpp"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace tandem::eval {

std::optional<std::size_t> Report::column(std::string_view name) const {
  for (std::size_t c = 0; c < columns.size(); ++c) {
    if (columns[c].name == name) return c;
  }
  return std::nullopt;
}

std::optional<double> Report::summary_value(std::string_view name) const {
  const auto c = column(name);
  if (!c) return std::nullopt;
  return summary[*c];
}

std::optional<double> Report::value(std::string_view qid, std::string_view name) const {
  const auto c = column(name);
  if (!c) return std::nullopt;
  for (const QueryValues& q : queries) {
    if (q.qid == qid) return q.values[*c];
  }
  return std::nullopt;
}

namespace {

// Appends one line exactly as trec_eval's printf calls write it.
void append_line(std::string& out, const Column& column, const std::string& qid, double value,
                 const std::string* text) {
  char buffer[128];
  const char* name = column.name.c_str();
  int n = 0;
  std::string long_line;
  switch (column.format) {
    case ValueFormat::real:
      n = std::snprintf(buffer, sizeof(buffer), "%-22s\t%s\t%6.4f\n", name, qid.c_str(), value);
      break;
    case ValueFormat::integer:
      n = std::snprintf(buffer, sizeof(buffer), "%-22s\t%s\t%ld\n", name, qid.c_str(),
                        static_cast<long>(value));
      break;
    case ValueFormat::text:
      if (column.aggregation == Aggregation::run_id) {
        n = std::snprintf(buffer, sizeof(buffer), "%-22s\t%s\t%s\n", name, qid.c_str(),
                          text->c_str());
      } else {
        n = std::snprintf(buffer, sizeof(buffer), "%-22s\t%s\t'%s'\n", name, qid.c_str(),
                          text->c_str());
      }
      break;
  }
  if (n >= 0 && static_cast<std::size_t>(n) < sizeof(buffer)) {
    out.append(buffer, static_cast<std::size_t>(n));
    return;
  }
  // Long ids or texts: format again into a buffer of the right size.
  long_line.resize(static_cast<std::size_t>(n) + 1);
  switch (column.format) {
    case ValueFormat::real:
      std::snprintf(long_line.data(), long_line.size(), "%-22s\t%s\t%6.4f\n", name, qid.c_str(),
                    value);
      break;
    case ValueFormat::integer:
      std::snprintf(long_line.data(), long_line.size(), "%-22s\t%s\t%ld\n", name, qid.c_str(),
                    static_cast<long>(value));
      break;
    case ValueFormat::text:
      std::snprintf(
          long_line.data(), long_line.size(),
          column.aggregation == Aggregation::run_id ? "%-22s\t%s\t%s\n" : "%-22s\t%s\t'%s'\n", name,
          qid.c_str(), text->c_str());
      break;
  }
  long_line.pop_back();
  out += long_line;
}

}  // namespace

std::string format_trec_eval(const Report& report, const FormatOptions& options) {
  std::string out;
  if (options.per_query) {
    for (const QueryValues& q : report.queries) {
      for (std::size_t c = 0; c < report.columns.size(); ++c) {
        if (!report.columns[c].per_query) continue;
        append_line(out, report.columns[c], q.qid, q.values[c],
                    q.texts.empty() ? nullptr : &q.texts[c]);
      }
    }
  }
  if (options.summary) {
    const std::string all = "all";
    for (std::size_t c = 0; c < report.columns.size(); ++c) {
      const Column& column = report.columns[c];
      if (column.aggregation == Aggregation::none) continue;
      append_line(out, column, all, report.summary[c], &report.run_id);
    }
  }
  return out;
}

namespace {

nlohmann::ordered_json json_value(const Column& column, double value, const std::string* text) {
  switch (column.format) {
    case ValueFormat::integer:
      return static_cast<long>(value);
    case ValueFormat::text:
      return text != nullptr ? *text : std::string();
    case ValueFormat::real:
      break;
  }
  if (!std::isfinite(value)) return nullptr;
  return value;
}

}  // namespace

std::string to_json(const Report& report, const FormatOptions& options) {
  nlohmann::ordered_json out;
  out["run_id"] = report.run_id;
  out["num_q"] = report.num_queries();
  nlohmann::ordered_json names = nlohmann::ordered_json::array();
  for (const Column& column : report.columns) names.push_back(column.name);
  out["measures"] = std::move(names);
  if (options.summary) {
    nlohmann::ordered_json all = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < report.columns.size(); ++c) {
      const Column& column = report.columns[c];
      if (column.aggregation == Aggregation::none) continue;
      all[column.name] = json_value(column, report.summary[c], &report.run_id);
    }
    out["all"] = std::move(all);
  }
  if (options.per_query) {
    nlohmann::ordered_json queries = nlohmann::ordered_json::object();
    for (const QueryValues& q : report.queries) {
      nlohmann::ordered_json values = nlohmann::ordered_json::object();
      for (std::size_t c = 0; c < report.columns.size(); ++c) {
        if (!report.columns[c].per_query) continue;
        values[report.columns[c].name] =
            json_value(report.columns[c], q.values[c], q.texts.empty() ? nullptr : &q.texts[c]);
      }
      queries[q.qid] = std::move(values);
    }
    out["queries"] = std::move(queries);
  }
  return out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace tandem::eval
