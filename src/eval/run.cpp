#include "tandem/eval/run.hpp"

#include <array>
#include <utility>

#include "tandem/core/error.hpp"

#include "trec_text.hpp"

namespace tandem::eval {

Run::Run(std::string source) : source_(std::move(source)) {}

void Run::add(std::string_view qid, std::string_view doc, double score, std::uint64_t line) {
  if (score != score) {
    fail(ErrorKind::invalid_argument, "{}: NaN score for query '{}', document '{}'", source_, qid,
         doc);
  }
  std::size_t query = last_query_;
  if (query >= qids_.size() || qids_[query] != qid) {
    if (const auto it = index_.find(qid); it != index_.end()) {
      query = it->second;
    } else {
      query = qids_.size();
      qids_.push_back(strings_.store(qid));
      hits_.emplace_back();
      index_.emplace(qids_.back(), query);
    }
    last_query_ = query;
  }
  hits_[query].push_back(RunHit{strings_.store(doc), score, line});
  ++num_hits_;
}

std::optional<std::size_t> Run::find(std::string_view qid) const {
  const auto it = index_.find(qid);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

namespace {

template <typename Lines>
Run read_run_lines(Lines& lines, std::string source) {
  Run run(std::move(source));
  const std::string& name = run.source();
  std::array<std::string_view, 6> fields;
  std::string_view line;
  std::string tag;
  while (lines.next(line)) {
    const std::uint64_t number = lines.line_number();
    const std::size_t n = detail::split_fields(line, fields);
    if (n == 0 || fields[0].front() == '#') continue;
    if (detail::has_nul(line))
      fail(ErrorKind::invalid_argument, "{}:{}: line holds a NUL byte", name, number);
    if (n < 6) {
      fail(ErrorKind::invalid_argument,
           "{}:{}: expected 6 fields 'qid iter docid rank score tag' (TREC run), found {}", name,
           number, n);
    }
    double score = 0;
    if (!detail::parse_score(fields[4], score)) {
      fail(ErrorKind::invalid_argument, "{}:{}: score '{}' is not a number", name, number,
           fields[4]);
    }
    run.add(fields[0], fields[2], score, number);
    if (fields[5] != tag) tag.assign(fields[5]);
  }
  run.set_run_id(tag);
  return run;
}

}  // namespace

Run read_run(const std::filesystem::path& path) {
  return detail::with_file_lines(path,
                                 [&](auto& lines) { return read_run_lines(lines, path.string()); });
}

Run parse_run(std::string_view text, std::string source) {
  detail::MemoryLines lines(text);
  return read_run_lines(lines, std::move(source));
}

}  // namespace tandem::eval
