#include "text_records.hpp"

#include "tandem/core/error.hpp"
#include "tandem/io/line_reader.hpp"
#include "tandem/text/record_parser.hpp"

namespace tandem::cli {

TextRecords read_text_records(const std::string& path, ProgressSink* progress) {
  io::LineReader reader(path);
  text::RecordParser parser;
  text::TextRecord record;
  TextRecords out;
  std::string_view line;
  while (reader.next(line)) {
    if (text::is_blank_line(line)) continue;
    try {
      parser.parse_topic(line, record);
    } catch (const Error& e) {
      fail(ErrorKind::invalid_argument, "{}:{}: {}", path, reader.line_number(), e.what());
    }
    out.ids.push_back(record.id);
    out.texts.push_back(record.text);
    if (progress != nullptr && out.ids.size() % 4096 == 0) {
      progress->update("reading", out.ids.size(), 0);
    }
  }
  if (progress != nullptr) progress->finish("reading");
  return out;
}

}  // namespace tandem::cli
