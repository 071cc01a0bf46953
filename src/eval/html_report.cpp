// Renders `tandem report`'s page: plain HTML with inline CSS and inline SVG, no scripts.
#include "tandem/eval/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "tandem/core/error.hpp"

namespace tandem::eval {

namespace {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

constexpr std::string_view kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1d2330;
background:#fff;margin:24px auto;max-width:1040px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde}
h3{font-size:15px;margin:18px 0 6px}.meta{color:#556;font-size:13px}
table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #e4e6ee}
th{background:#f3f4f8;text-align:left}td.v{text-align:right;font-variant-numeric:tabular-nums}
td.best{font-weight:700}tr:hover td{background:#f8f9fc}code{background:#f3f4f8;padding:0 3px}
svg{display:block;margin:8px 0;background:#fff}.axis{stroke:#889;stroke-width:1}
.grid{stroke:#e6e8f0;stroke-width:1}.lbl{font-size:11px;fill:#445}.up{fill:#2b8a4b}
.down{fill:#c8463a}.note{background:#fff8e0;border:1px solid #eed;padding:4px 8px;font-size:13px}
footer{margin-top:32px;color:#778;font-size:12px}
)";

constexpr const char* kPalette[] = {"#3366cc", "#dc3912", "#ff9900", "#109618", "#990099",
                                    "#0099c6", "#dd4477", "#66aa00", "#b82e2e", "#316395"};

// The summary values exactly as format_trec_eval prints them, one per summary column.
std::vector<std::string> printed_summary(const Report& report) {
  const std::string text = format_trec_eval(report, {.per_query = false, .summary = true});
  std::vector<std::string> values;
  std::size_t begin = 0;
  while (begin < text.size()) {
    const std::size_t end = std::min(text.find('\n', begin), text.size());
    const std::string_view line(text.data() + begin, end - begin);
    const std::size_t tab = line.find('\t');
    const std::size_t tab2 = tab == std::string_view::npos ? tab : line.find('\t', tab + 1);
    values.emplace_back(tab2 == std::string_view::npos ? std::string_view{}
                                                       : line.substr(tab2 + 1));
    begin = end + 1;
  }
  return values;
}

void metrics_table(std::string& out, const std::vector<LabelledReport>& reports) {
  // Rows: the measures of the first report, in trec_eval's order; a measure another report lacks
  // shows as an empty cell.
  std::vector<std::vector<std::string>> printed;
  printed.reserve(reports.size());
  for (const auto& r : reports) printed.push_back(printed_summary(r.report));
  out += "<h2>Metrics</h2>\n<table class=\"metrics\">\n<tr><th>measure</th>";
  for (const auto& r : reports) out += fmt::format("<th>{}</th>", escape(r.label));
  out += "</tr>\n";
  const auto& columns = reports[0].report.columns;
  for (const Column& column : columns) {
    if (column.aggregation == Aggregation::none) continue;
    // The best value of a real-valued measure is shown in bold.
    double best = -INFINITY;
    if (column.format == ValueFormat::real && column.aggregation != Aggregation::num_queries) {
      for (const auto& r : reports) {
        if (const auto v = r.report.summary_value(column.name)) best = std::max(best, *v);
      }
    }
    out += fmt::format("<tr><td><code>{}</code></td>", escape(column.name));
    for (std::size_t i = 0; i < reports.size(); ++i) {
      const Report& rep = reports[i].report;
      const auto c = rep.column(column.name);
      if (!c || rep.columns[*c].aggregation == Aggregation::none) {
        out += "<td></td>";
        continue;
      }
      // The index of this column among the printed (summary) lines.
      std::size_t line = 0;
      for (std::size_t k = 0; k < *c; ++k)
        line += rep.columns[k].aggregation == Aggregation::none ? 0 : 1;
      const std::string& text = printed[i][line];
      const double value = rep.summary[*c];
      const bool is_best = column.format == ValueFormat::real && reports.size() > 1 &&
                           std::isfinite(best) && value == best;
      const std::string data =
          column.format == ValueFormat::text ? escape(text) : fmt::format("{}", value);
      out += fmt::format(
          "<td class=\"v{}\" data-run=\"{}\" data-measure=\"{}\" data-value=\"{}\">{}</td>",
          is_best ? " best" : "", escape(reports[i].label), escape(column.name), data,
          escape(text));
    }
    out += "</tr>\n";
  }
  out += "</table>\n<p class=\"meta\">Values as <code>tandem eval</code> (trec_eval) prints them. ";
  for (const auto& r : reports)
    out += fmt::format("<b>{}</b>: {}. ", escape(r.label), escape(r.source));
  out += "</p>\n";
}

std::string default_diff_measure(const Report& report) {
  for (const char* preferred : {"ndcg_cut_10", "map"}) {
    if (const auto c = report.column(preferred); c && report.columns[*c].per_query)
      return preferred;
  }
  for (const Column& c : report.columns) {
    if (c.per_query && c.format == ValueFormat::real) return c.name;
  }
  fail(ErrorKind::invalid_argument, "the report has no per-query real measure to compare");
}

std::size_t diff_column(const LabelledReport& r, const std::string& measure) {
  const auto c = r.report.column(measure);
  if (!c) {
    fail(ErrorKind::invalid_argument, "run '{}' has no measure '{}' (give it with -m)", r.label,
         measure);
  }
  const Column& col = r.report.columns[*c];
  if (!col.per_query || col.format == ValueFormat::text)
    fail(ErrorKind::invalid_argument, "'{}' has no numeric per-query values to compare", measure);
  return *c;
}

struct Delta {
  std::string qid;
  double a = 0, b = 0;
  double d() const { return b - a; }
};

void diff_plot(std::string& out, const LabelledReport& first, const LabelledReport& second,
               const std::string& measure) {
  const std::size_t ca = diff_column(first, measure);
  const std::size_t cb = diff_column(second, measure);
  std::vector<Delta> deltas;
  for (const QueryValues& q : first.report.queries) {
    // Reports list queries in byte order of id, so a merge would do; a lookup keeps it simple.
    const auto it =
        std::lower_bound(second.report.queries.begin(), second.report.queries.end(), q.qid,
                         [](const QueryValues& v, const std::string& id) { return v.qid < id; });
    if (it == second.report.queries.end() || it->qid != q.qid) continue;
    deltas.push_back({q.qid, q.values[ca], it->values[cb]});
  }
  // Largest gain first; ties by query id, so the page is deterministic.
  std::sort(deltas.begin(), deltas.end(), [](const Delta& x, const Delta& y) {
    return x.d() != y.d() ? x.d() > y.d() : x.qid < y.qid;
  });
  std::size_t wins = 0, losses = 0;
  double max_abs = 0;
  for (const Delta& d : deltas) {
    wins += d.d() > 0 ? 1 : 0;
    losses += d.d() < 0 ? 1 : 0;
    max_abs = std::max(max_abs, std::abs(d.d()));
  }
  out += fmt::format("<h2>Per-query differences: <code>{}</code></h2>\n", escape(measure));
  out += fmt::format(
      "<p class=\"meta\" id=\"diff-summary\" data-queries=\"{}\" data-better=\"{}\" "
      "data-worse=\"{}\">Bars show <b>{}</b> &minus; <b>{}</b> for each of the {} queries "
      "evaluated in both runs, sorted: {} better, {} worse, {} equal.</p>\n",
      deltas.size(), wins, losses, escape(second.label), escape(first.label), deltas.size(), wins,
      losses, deltas.size() - wins - losses);
  if (deltas.empty()) return;
  const double width = 1000, height = 280, left = 56, right = 12, top = 12, bottom = 28;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const double scale = max_abs > 0 ? max_abs : 1.0;
  const double zero_y = top + plot_h / 2;
  out += fmt::format(
      "<svg id=\"diff-plot\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"per-query differences\">\n",
      width, height, width, height);
  for (int t = -2; t <= 2; ++t) {
    const double y = zero_y - t * plot_h / 4;
    out += fmt::format(
        "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>"
        "<text class=\"lbl\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{:+.3f}</text>\n",
        left, width - right, y, y, left - 6, y + 4, t * scale / 2);
  }
  const double bar_w = plot_w / static_cast<double>(deltas.size());
  for (std::size_t i = 0; i < deltas.size(); ++i) {
    const Delta& d = deltas[i];
    const double h = std::abs(d.d()) / scale * (plot_h / 2);
    const double x = left + static_cast<double>(i) * bar_w;
    const double y = d.d() >= 0 ? zero_y - h : zero_y;
    out += fmt::format(
        "<rect class=\"{}\" x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" height=\"{:.2f}\" "
        "data-qid=\"{}\" data-delta=\"{}\"><title>{}: {:.4f} &#8594; {:.4f} ({:+.4f})</title>"
        "</rect>\n",
        d.d() >= 0 ? "up" : "down", x, y, std::max(bar_w * 0.85, 0.5), std::max(h, 0.0),
        escape(d.qid), d.d(), escape(d.qid), d.a, d.b, d.d());
  }
  out += fmt::format(
      "<line class=\"axis\" x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>"
      "<line class=\"axis\" x1=\"{}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>"
      "<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">queries, sorted by "
      "difference</text>\n</svg>\n",
      left, width - right, zero_y, zero_y, left, left, top, top + plot_h, left + plot_w / 2,
      height - 8);
  // The largest changes, both ways.
  const std::size_t shown = std::min<std::size_t>(5, deltas.size());
  out += "<table class=\"extremes\"><tr><th>query</th><th>" + escape(first.label) + "</th><th>" +
         escape(second.label) + "</th><th>&Delta;</th></tr>\n";
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < shown; ++i) rows.push_back(i);
  for (std::size_t i = deltas.size() - shown; i < deltas.size(); ++i) {
    if (i >= shown) rows.push_back(i);
  }
  for (std::size_t i : rows) {
    const Delta& d = deltas[i];
    out += fmt::format(
        "<tr><td>{}</td><td class=\"v\">{:.4f}</td><td class=\"v\">{:.4f}</td><td "
        "class=\"v\">{:+.4f}</td></tr>\n",
        escape(d.qid), d.a, d.b, d.d());
  }
  out += "</table>\n";
}

// Nice tick values for a log axis: powers of ten and their 2x and 5x between lo and hi.
std::vector<double> log_ticks(double lo, double hi) {
  std::vector<double> ticks;
  for (double p = std::pow(10.0, std::floor(std::log10(lo))); p <= hi * 1.0001; p *= 10) {
    for (double m : {1.0, 2.0, 5.0}) {
      if (p * m >= lo * 0.9999 && p * m <= hi * 1.0001) ticks.push_back(p * m);
    }
  }
  return ticks;
}

void curve_plot(std::string& out, const BenchmarkResult& b, std::size_t index) {
  double min_recall = 1, max_recall = 0, min_qps = INFINITY, max_qps = 0;
  for (const Curve& c : b.curves) {
    for (const CurvePoint& p : c.points) {
      min_recall = std::min(min_recall, p.recall);
      max_recall = std::max(max_recall, p.recall);
      if (p.qps > 0) {
        min_qps = std::min(min_qps, p.qps);
        max_qps = std::max(max_qps, p.qps);
      }
    }
  }
  if (!(max_qps > 0)) return;
  const double x_lo = std::max(0.0, std::floor(min_recall * 20 - 1) / 20);
  const double x_hi = std::max(std::ceil(max_recall * 20) / 20, x_lo + 0.05);
  const double y_lo = std::pow(10.0, std::floor(std::log10(min_qps)));
  const double y_hi = std::pow(10.0, std::ceil(std::log10(max_qps * 1.0001)));
  const double width = 1000, height = 380, left = 64, right = 220, top = 14, bottom = 40;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  const auto px = [&](double r) { return left + (r - x_lo) / (x_hi - x_lo) * plot_w; };
  const auto py = [&](double q) {
    return top + plot_h -
           (std::log10(q) - std::log10(y_lo)) / (std::log10(y_hi) - std::log10(y_lo)) * plot_h;
  };
  out += fmt::format(
      "<svg class=\"curves\" id=\"curves-{}\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"queries per second against "
      "recall\">\n",
      index, width, height, width, height);
  for (double t : log_ticks(y_lo, y_hi)) {
    out += fmt::format(
        "<line class=\"grid\" x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/><text "
        "class=\"lbl\" x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{:g}</text>\n",
        left, left + plot_w, py(t), py(t), left - 6, py(t) + 4, t);
  }
  for (double r = x_lo; r <= x_hi + 1e-9; r += (x_hi - x_lo) > 0.3 ? 0.1 : 0.05) {
    out += fmt::format(
        "<line class=\"grid\" x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{}\" y2=\"{}\"/><text class=\"lbl\" "
        "x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{:.2f}</text>\n",
        px(r), px(r), top, top + plot_h, px(r), top + plot_h + 16, r);
  }
  out += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" class=\"axis\"/>"
      "<text class=\"lbl\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">recall (quality against the "
      "exact answer)</text><text class=\"lbl\" transform=\"translate(14 {}) rotate(-90)\" "
      "text-anchor=\"middle\">queries per second (log)</text>\n",
      left, top, plot_w, plot_h, left + plot_w / 2, height - 6, top + plot_h / 2);
  for (std::size_t s = 0; s < b.curves.size(); ++s) {
    const Curve& c = b.curves[s];
    const char* color = kPalette[s % std::size(kPalette)];
    std::vector<CurvePoint> pts;
    for (const CurvePoint& p : c.points) {
      if (p.qps > 0) pts.push_back(p);
    }
    std::sort(pts.begin(), pts.end(),
              [](const CurvePoint& x, const CurvePoint& y) { return x.recall < y.recall; });
    std::string line;
    for (const CurvePoint& p : pts) line += fmt::format("{:.1f},{:.1f} ", px(p.recall), py(p.qps));
    out += fmt::format(
        "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\" "
        "data-series=\"{}\"/>\n",
        color, line, escape(c.name));
    for (const CurvePoint& p : pts) {
      out += fmt::format(
          "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\"><title>{} {}: recall {:.4f}, "
          "{:.1f} QPS{}</title></circle>\n",
          px(p.recall), py(p.qps), color, escape(c.name), escape(p.label), p.recall, p.qps,
          p.latency_p50_us >= 0 ? fmt::format(", p50 {:.0f} us", p.latency_p50_us) : "");
    }
    const double ly = top + 8 + static_cast<double>(s) * 18;
    out += fmt::format(
        "<rect x=\"{}\" y=\"{:.1f}\" width=\"14\" height=\"4\" fill=\"{}\"/><text class=\"lbl\" "
        "x=\"{}\" y=\"{:.1f}\">{}</text>\n",
        left + plot_w + 14, ly, color, left + plot_w + 34, ly + 6, escape(c.name));
  }
  out += "</svg>\n";
}

void benchmark_section(std::string& out, const BenchmarkResult& b, std::size_t index) {
  out += fmt::format("<h3>{}</h3>\n<p class=\"meta\">{}</p>\n", escape(b.title), escape(b.source));
  if (!b.note.empty()) out += fmt::format("<p class=\"note\">{}</p>\n", escape(b.note));
  if (!b.curves.empty()) {
    curve_plot(out, b, index);
    out +=
        "<details><summary>points</summary><table><tr><th>series</th><th>setting</th>"
        "<th>recall</th><th>QPS</th><th>p50 (us)</th></tr>\n";
    for (const Curve& c : b.curves) {
      for (const CurvePoint& p : c.points) {
        out += fmt::format(
            "<tr><td>{}</td><td>{}</td><td class=\"v\">{:.4f}</td><td class=\"v\">{:.1f}</td>"
            "<td class=\"v\">{}</td></tr>\n",
            escape(c.name), escape(p.label), p.recall, p.qps,
            p.latency_p50_us >= 0 ? fmt::format("{:.1f}", p.latency_p50_us) : "");
      }
    }
    out += "</table></details>\n";
  }
  if (!b.latencies.empty()) {
    double max_qps = 0;
    for (const auto& l : b.latencies) max_qps = std::max(max_qps, l.qps);
    out +=
        "<table class=\"latency\"><tr><th>measurement</th><th>QPS</th><th></th>"
        "<th>p50 (us)</th><th>p99 (us)</th></tr>\n";
    for (const auto& l : b.latencies) {
      const double w = max_qps > 0 ? 200 * l.qps / max_qps : 0;
      out += fmt::format(
          "<tr><td>{}</td><td class=\"v\">{:.1f}</td><td><svg width=\"204\" height=\"12\">"
          "<rect x=\"0\" y=\"1\" width=\"{:.1f}\" height=\"10\" fill=\"#3366cc\"/></svg></td>"
          "<td class=\"v\">{}</td><td class=\"v\">{}</td></tr>\n",
          escape(l.name), l.qps, w, l.p50_us >= 0 ? fmt::format("{:.1f}", l.p50_us) : "",
          l.p99_us >= 0 ? fmt::format("{:.1f}", l.p99_us) : "");
    }
    out += "</table>\n";
  }
}

}  // namespace

std::string render_html_report(const std::vector<LabelledReport>& reports,
                               const std::vector<BenchmarkResult>& benchmarks,
                               const HtmlReportOptions& options) {
  if (reports.empty()) fail(ErrorKind::invalid_argument, "a report needs at least one run");
  std::string measure;
  if (reports.size() > 1) {
    if (options.diff_first >= reports.size() || options.diff_second >= reports.size() ||
        options.diff_first == options.diff_second) {
      fail(ErrorKind::invalid_argument,
           "the compared runs must be two different runs of the {} given (got {} and {})",
           reports.size(), options.diff_first + 1, options.diff_second + 1);
    }
    measure = options.diff_measure.empty()
                  ? default_diff_measure(reports[options.diff_first].report)
                  : options.diff_measure;
    diff_column(reports[options.diff_first], measure);
    diff_column(reports[options.diff_second], measure);
  }
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style></head>\n<body>\n", escape(options.title),
                     kStyle);
  out += fmt::format("<h1>{}</h1>\n", escape(options.title));
  out += fmt::format(
      "<p class=\"meta\">{} run{} evaluated against <code>{}</code>; {} queries "
      "evaluated in the first run.</p>\n",
      reports.size(), reports.size() == 1 ? "" : "s", escape(options.qrels_source),
      reports[0].report.num_queries());
  metrics_table(out, reports);
  if (reports.size() > 1)
    diff_plot(out, reports[options.diff_first], reports[options.diff_second], measure);
  if (!benchmarks.empty()) {
    out += "<h2>Speed and quality (benchmarks)</h2>\n";
    for (std::size_t i = 0; i < benchmarks.size(); ++i) benchmark_section(out, benchmarks[i], i);
  }
  out += fmt::format("<footer>{}</footer>\n</body></html>\n", escape(options.generator));
  return out;
}

}  // namespace tandem::eval
