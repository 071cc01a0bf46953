#include "tandem/encode/idf_query_encoder.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"

namespace tandem::encode {

namespace fs = std::filesystem;

std::vector<std::pair<std::string, float>> parse_idf_json(std::string_view text,
                                                          const std::string& source) {
  std::vector<std::pair<std::string, float>> out;
  nlohmann::ordered_json j;
  try {
    j = nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail(ErrorKind::invalid_argument, "{}: malformed JSON ({})", source, e.what());
  }
  if (!j.is_object())
    fail(ErrorKind::invalid_argument, "{}: expected an object of token: weight", source);
  for (const auto& [token, value] : j.items()) {
    if (!value.is_number())
      fail(ErrorKind::invalid_argument, "{}: the weight of '{}' is not a number", source, token);
    const double w = value.get<double>();
    if (!std::isfinite(w) || w < 0)
      fail(ErrorKind::invalid_argument, "{}: the weight of '{}' must be finite and >= 0 ({})",
           source, token, w);
    out.emplace_back(token, static_cast<float>(w));
  }
  return out;
}

IdfQueryEncoder IdfQueryEncoder::open(const fs::path& idf_json, const fs::path& vocab_txt) {
  std::ifstream in(idf_json, std::ios::binary);
  if (!in) fail(ErrorKind::not_found, "{}: cannot open the idf table", idf_json.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  const auto table = parse_idf_json(ss.str(), idf_json.string());
  IdfQueryEncoder e;
  if (vocab_txt.empty()) {
    std::vector<std::string> vocab;
    vocab.reserve(table.size());
    for (const auto& [token, w] : table) vocab.push_back(token);
    try {
      e.tokenizer_ = std::make_shared<text::WordPieceTokenizer>(std::move(vocab));
    } catch (const Error& err) {
      fail(err.kind(), "{}: {}", idf_json.string(), err.what());
    }
  } else {
    e.tokenizer_ =
        std::make_shared<text::WordPieceTokenizer>(text::WordPieceTokenizer::from_file(vocab_txt));
  }
  e.weights_.assign(e.tokenizer_->size(), 0.0f);
  for (const auto& [token, w] : table) {
    if (const auto id = e.tokenizer_->id(token)) e.weights_[*id] = w;
  }
  return e;
}

IdfQueryEncoder IdfQueryEncoder::from_spec(std::string_view spec) {
  if (!spec.starts_with("idf:"))
    fail(ErrorKind::invalid_argument,
         "unknown query encoder '{}' (known: idf:PATH[,vocab=VOCAB_TXT])", spec);
  std::string_view rest = spec.substr(4);
  fs::path vocab;
  if (const auto comma = rest.find(",vocab="); comma != std::string_view::npos) {
    vocab = std::string(rest.substr(comma + 7));
    rest = rest.substr(0, comma);
  }
  fs::path idf(std::string{rest});
  std::error_code ec;
  if (fs::is_directory(idf, ec)) idf /= "idf.json";
  return open(idf, vocab);
}

std::vector<io::SparseQueryTerm> IdfQueryEncoder::encode(std::string_view text) const {
  thread_local std::vector<std::uint32_t> ids;
  ids.clear();
  tokenizer_->encode(text, ids);
  std::vector<io::SparseQueryTerm> out;
  std::vector<std::uint32_t> seen;
  for (const std::uint32_t id : ids) {
    if (weights_[id] <= 0.0f) continue;
    if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
    seen.push_back(id);
    out.push_back({std::string(tokenizer_->token(id)), weights_[id]});
  }
  return out;
}

}  // namespace tandem::encode
