// Record parsing with the field rules of the Lucene peer's Common.parse / Common.readTopics.
#include "tandem/text/record_parser.hpp"

#include <optional>

#include <simdjson.h>

#include "tandem/core/error.hpp"
#include "tandem/text/utf8.hpp"
#include "tandem/text/whitespace_tokenizer.hpp"

namespace tandem::text {

namespace {

std::string abbreviate(std::string_view s) {
  return s.size() > 120 ? std::string(s.substr(0, 120)) + "..." : std::string(s);
}

// Java's String.trim(): drops leading and trailing code units <= U+0020.
std::string_view java_trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= 0x20) s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= 0x20) s.remove_suffix(1);
  return s;
}

// Java's String.stripLeading(): drops leading Character.isWhitespace code points.
std::string_view strip_leading(std::string_view s) {
  while (!s.empty()) {
    const Decoded d = decode_utf8(s.data(), s.size());
    if (!is_java_whitespace(d.cp)) break;
    s.remove_prefix(d.length);
  }
  return s;
}

bool is_id_field(std::string_view k) {
  return k == "id" || k == "_id" || k == "docid" || k == "doc_id" || k == "qid" || k == "query_id";
}

}  // namespace

bool is_blank_line(std::string_view line) {
  return strip_leading(line).empty();
}

struct RecordParser::Impl {
  simdjson::ondemand::parser parser;
  std::string padded;     // the line, sanitized, with simdjson's padding
  std::string sanitized;  // scratch for lines with malformed UTF-8

  // Jackson's getValueAsString(): strings unescaped, numbers and booleans as written, else null.
  static std::optional<std::string> value_as_string(simdjson::ondemand::value value) {
    simdjson::ondemand::json_type type;
    if (value.type().get(type) != simdjson::SUCCESS) return std::nullopt;
    switch (type) {
      case simdjson::ondemand::json_type::string: {
        std::string_view s;
        if (value.get_string().get(s) != simdjson::SUCCESS) {
          fail(ErrorKind::invalid_argument, "a JSON string is malformed");
        }
        return std::string(s);
      }
      case simdjson::ondemand::json_type::number:
      case simdjson::ondemand::json_type::boolean: {
        std::string_view raw = value.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r' ||
                                raw.back() == '\n')) {
          raw.remove_suffix(1);
        }
        return std::string(raw);
      }
      default:
        return std::nullopt;
    }
  }

  void parse_json(std::string_view line, TextRecord& out) {
    if (!is_valid_utf8(line)) {
      sanitized.clear();
      append_sanitized_utf8(line, sanitized);
      line = sanitized;
    }
    padded.assign(line);
    padded.resize(line.size() + simdjson::SIMDJSON_PADDING, ' ');
    std::optional<std::string> id, contents, title, text, query;
    try {
      auto doc = parser.iterate(padded.data(), line.size(), padded.size());
      simdjson::ondemand::object object;
      if (doc.get_object().get(object) != simdjson::SUCCESS) {
        fail(ErrorKind::invalid_argument, "not a JSON object: {}", abbreviate(line));
      }
      for (auto field : object) {
        std::string_view key;
        if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
          fail(ErrorKind::invalid_argument, "malformed JSON: {}", abbreviate(line));
        }
        if (is_id_field(key)) {
          if (!id) id = value_as_string(field.value());
        } else if (key == "contents") {
          contents = value_as_string(field.value());
        } else if (key == "title") {
          title = value_as_string(field.value());
        } else if (key == "text") {
          text = value_as_string(field.value());
        } else if (key == "query") {
          query = value_as_string(field.value());
        }
      }
    } catch (const simdjson::simdjson_error& e) {
      fail(ErrorKind::invalid_argument, "malformed JSON ({}): {}", e.what(), abbreviate(line));
    }
    if (!id) fail(ErrorKind::invalid_argument, "record without id: {}", abbreviate(line));
    out.id = std::move(*id);
    if (contents) {
      out.text = std::move(*contents);
    } else if (text && title && !title->empty()) {
      out.text = *title + " " + *text;
    } else if (text) {
      out.text = std::move(*text);
    } else if (query) {
      out.text = std::move(*query);
    } else {
      out.text = title ? std::move(*title) : std::string();
    }
  }
};

RecordParser::RecordParser() : impl_(std::make_unique<Impl>()) {}
RecordParser::~RecordParser() = default;

void RecordParser::parse_json(std::string_view line, TextRecord& out) {
  impl_->parse_json(line, out);
}

void RecordParser::parse_topic(std::string_view line, TextRecord& out) {
  const std::string_view trimmed = strip_leading(line);
  if (!trimmed.empty() && trimmed.front() == '{') {
    impl_->parse_json(trimmed, out);
    return;
  }
  const std::size_t tab = line.find('\t');
  if (tab == std::string_view::npos) {
    fail(ErrorKind::invalid_argument, "topic line is neither JSON nor id<TAB>text: {}",
         abbreviate(line));
  }
  out.id.clear();
  append_sanitized_utf8(java_trim(line.substr(0, tab)), out.id);
  out.text.clear();
  append_sanitized_utf8(line.substr(tab + 1), out.text);
}

}  // namespace tandem::text
