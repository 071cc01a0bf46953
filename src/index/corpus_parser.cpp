#include "tandem/index/corpus_parser.hpp"

#include <algorithm>

#include <simdjson.h>

#include "tandem/core/error.hpp"

namespace tandem::index {

static_assert(CorpusParser::kPadding >= simdjson::SIMDJSON_PADDING);

std::string_view to_string(FieldLayout layout) {
  if (layout == FieldLayout::none) return "none";
  return layout == FieldLayout::flat ? "flat" : "multifield";
}

FieldLayout parse_field_layout(std::string_view name) {
  if (name == "flat") return FieldLayout::flat;
  if (name == "multifield") return FieldLayout::multifield;
  if (name == "none") return FieldLayout::none;
  fail(ErrorKind::invalid_argument, "unknown field layout '{}' (known: flat, multifield)", name);
}

std::vector<std::string> field_names(FieldLayout layout) {
  if (layout == FieldLayout::flat) return {"contents"};
  if (layout == FieldLayout::none) return {};
  return {"title", "contents"};
}

struct CorpusParser::Impl {
  FieldLayout layout;
  simdjson::ondemand::parser parser;
  std::string id_number;  // an id given as a JSON number, as written
  std::string flat_text;  // title + "\n" + text
  std::string padded;     // parse_copy's buffer
  ParsedDocument doc;
};

CorpusParser::CorpusParser(FieldLayout layout) : impl_(std::make_unique<Impl>()) {
  impl_->layout = layout;
  impl_->doc.fields.resize(field_names(layout).size());
}

CorpusParser::~CorpusParser() = default;

namespace {

[[noreturn]] void bad_json(simdjson::error_code error) {
  fail(ErrorKind::invalid_argument, "malformed JSON ({})", simdjson::error_message(error));
}

// Reads a string value; null counts as absent. Any other type is an error naming the key.
bool read_text(simdjson::ondemand::value value, std::string_view key, std::string_view& out) {
  simdjson::ondemand::json_type type;
  if (auto e = value.type().get(type)) bad_json(e);
  if (type == simdjson::ondemand::json_type::null) return false;
  if (type != simdjson::ondemand::json_type::string) {
    fail(ErrorKind::invalid_argument, "\"{}\" must be a string", key);
  }
  if (auto e = value.get_string().get(out)) bad_json(e);
  return true;
}

}  // namespace

const ParsedDocument& CorpusParser::parse(std::string_view line, std::size_t readable) {
  Impl& m = *impl_;
  simdjson::ondemand::document json;
  if (auto e = m.parser.iterate(line.data(), line.size(), readable).get(json)) bad_json(e);
  simdjson::ondemand::object object;
  if (auto e = json.get_object().get(object)) {
    if (e == simdjson::INCORRECT_TYPE) {
      fail(ErrorKind::invalid_argument, "a corpus line must be a JSON object");
    }
    bad_json(e);
  }
  std::string_view id, contents, title, text;
  bool has_id = false, has_contents = false, has_title = false, has_text = false;
  int id_rank = 99;  // "_id" beats "id" beats "docid" when several are present
  for (auto field : object) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) bad_json(e);
    simdjson::ondemand::value value;
    if (auto e = field.value().get(value)) bad_json(e);
    const int rank = key == "_id" ? 0 : key == "id" ? 1 : key == "docid" ? 2 : -1;
    if (rank >= 0) {
      simdjson::ondemand::json_type type;
      if (auto e = value.type().get(type)) bad_json(e);
      std::string_view v;
      if (type == simdjson::ondemand::json_type::string) {
        if (auto e = value.get_string().get(v)) bad_json(e);
      } else if (type == simdjson::ondemand::json_type::number) {
        m.id_number = std::string(simdjson::trim(value.raw_json_token()));
        v = m.id_number;
      } else {
        fail(ErrorKind::invalid_argument, "\"{}\" must be a string or a number", key);
      }
      if (rank < id_rank) {
        id = v;
        id_rank = rank;
        has_id = true;
      }
    } else if (key == "contents") {
      has_contents = read_text(value, key, contents);
    } else if (key == "title") {
      has_title = read_text(value, key, title);
    } else if (key == "text") {
      has_text = read_text(value, key, text);
    }
  }
  // Anything after the object (a second value on the line) is an error, not silently ignored.
  const char* rest = nullptr;
  if (json.current_location().get(rest) != simdjson::OUT_OF_BOUNDS)
    bad_json(simdjson::TRAILING_CONTENT);
  if (!has_id) fail(ErrorKind::invalid_argument, "document has no id (expected \"_id\" or \"id\")");
  if (id.empty()) fail(ErrorKind::invalid_argument, "document id is empty");
  if (id.size() > 1024) fail(ErrorKind::limit_exceeded, "document id longer than 1024 bytes");
  m.doc.id = id;
  const std::string_view body = has_contents ? contents : text;
  if (m.layout == FieldLayout::flat) {
    if (has_contents || !has_title) {
      m.doc.fields[0] = body;
    } else {
      m.flat_text.assign(title);
      if (has_text) {
        m.flat_text.push_back('\n');
        m.flat_text.append(text);
      }
      m.doc.fields[0] = m.flat_text;
    }
  } else {
    m.doc.fields[0] = has_title ? title : std::string_view();
    m.doc.fields[1] = (has_contents || has_text) ? body : std::string_view();
  }
  return m.doc;
}

const ParsedDocument& CorpusParser::parse_copy(std::string_view line) {
  Impl& m = *impl_;
  m.padded.assign(line);
  m.padded.append(kPadding, '\0');
  return parse(std::string_view(m.padded.data(), line.size()), m.padded.size());
}

std::vector<std::filesystem::path> list_corpus_files(const std::filesystem::path& corpus) {
  std::error_code ec;
  if (!std::filesystem::exists(corpus, ec)) {
    fail(ErrorKind::not_found, "{}: no such file or directory", corpus.string());
  }
  if (!std::filesystem::is_directory(corpus, ec)) return {corpus};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    const std::string name = entry.path().filename().string();
    const auto ends_with = [&](std::string_view s) {
      return name.size() >= s.size() && name.ends_with(s);
    };
    if (entry.is_regular_file() && (ends_with(".jsonl") || ends_with(".json") ||
                                    ends_with(".jsonl.gz") || ends_with(".json.gz"))) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    fail(ErrorKind::not_found,
         "{}: directory has no *.jsonl, *.json, *.jsonl.gz or *.json.gz files", corpus.string());
  }
  return files;
}

}  // namespace tandem::index
