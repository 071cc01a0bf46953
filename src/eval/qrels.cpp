#include "tandem/eval/qrels.hpp"

#include <array>
#include <utility>

#include "tandem/core/error.hpp"

#include "trec_text.hpp"

namespace tandem::eval {

Qrels::Qrels(std::string source) : source_(std::move(source)) {}

void Qrels::add(std::string_view qid, std::string_view doc, std::int32_t rel, std::uint64_t line) {
  std::size_t query;
  if (const auto it = index_.find(qid); it != index_.end()) {
    query = it->second;
  } else {
    query = qids_.size();
    qids_.push_back(strings_.store(qid));
    judgments_.emplace_back();
    index_.emplace(qids_.back(), query);
  }
  judgments_[query].push_back(Judgment{strings_.store(doc), rel, line});
  ++num_judgments_;
}

std::optional<std::size_t> Qrels::find(std::string_view qid) const {
  const auto it = index_.find(qid);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

namespace {

enum class QrelsFormat { trec, beir };

// Decides the format from the first content line (see read_qrels); `header` is set when that
// line is a BEIR header to skip.
QrelsFormat detect_format(const std::string& source, std::uint64_t line_number,
                          std::string_view line, bool& header) {
  std::array<std::string_view, 4> fields;
  if (detail::split_tabs(line, fields) == 3) {
    std::int32_t rel = 0;
    header = !detail::parse_grade(fields[2], rel);
    return QrelsFormat::beir;
  }
  header = false;
  if (detail::split_fields(line, fields) == 4) return QrelsFormat::trec;
  fail(ErrorKind::invalid_argument,
       "{}:{}: not a qrels line: expected 'qid iter docid rel' (TREC) or "
       "'query-id<TAB>corpus-id<TAB>score' (BEIR TSV)",
       source, line_number);
}

template <typename Lines>
Qrels read_qrels_lines(Lines& lines, std::string source) {
  Qrels qrels(std::move(source));
  const std::string& name = qrels.source();
  bool detected = false;
  QrelsFormat format = QrelsFormat::trec;
  std::array<std::string_view, 5> fields;
  std::string_view line;
  while (lines.next(line)) {
    const std::uint64_t number = lines.line_number();
    if (line.empty() || line.front() == '#') continue;
    if (detail::has_nul(line))
      fail(ErrorKind::invalid_argument, "{}:{}: line holds a NUL byte", name, number);
    if (detail::split_fields(line, std::span(fields).first(0)) == 0) continue;  // blank
    if (!detected) {
      bool header = false;
      format = detect_format(name, number, line, header);
      detected = true;
      if (header) continue;
    }
    std::string_view qid, doc, grade;
    if (format == QrelsFormat::trec) {
      const std::size_t n = detail::split_fields(line, fields);
      if (n != 4) {
        fail(ErrorKind::invalid_argument,
             "{}:{}: expected 4 fields 'qid iter docid rel' (TREC qrels), found {}", name, number,
             n);
      }
      qid = fields[0];
      doc = fields[2];
      grade = fields[3];
    } else {
      const std::size_t n = detail::split_tabs(line, fields);
      if (n != 3 || fields[0].empty() || fields[1].empty()) {
        fail(ErrorKind::invalid_argument,
             "{}:{}: expected 3 tab-separated fields 'query-id corpus-id score' (BEIR qrels)", name,
             number);
      }
      qid = fields[0];
      doc = fields[1];
      grade = fields[2];
    }
    std::int32_t rel = 0;
    if (!detail::parse_grade(grade, rel)) {
      fail(ErrorKind::invalid_argument, "{}:{}: relevance '{}' is not an integer", name, number,
           grade);
    }
    qrels.add(qid, doc, rel, number);
  }
  return qrels;
}

}  // namespace

Qrels read_qrels(const std::filesystem::path& path) {
  return detail::with_file_lines(
      path, [&](auto& lines) { return read_qrels_lines(lines, path.string()); });
}

Qrels parse_qrels(std::string_view text, std::string source) {
  detail::MemoryLines lines(text);
  return read_qrels_lines(lines, std::move(source));
}

}  // namespace tandem::eval
