#include "tandem/text/wordpiece.hpp"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "tandem/core/error.hpp"
#include "tandem/io/line_reader.hpp"

namespace tandem::text {

namespace {

bool is_whitespace(UChar32 c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return true;
  return u_charType(c) == U_SPACE_SEPARATOR;
}

bool is_control(UChar32 c) {
  if (c == '\t' || c == '\n' || c == '\r') return false;
  switch (u_charType(c)) {
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
    case U_UNASSIGNED:
    case U_PRIVATE_USE_CHAR:
    case U_SURROGATE:
      return true;
    default:
      return false;
  }
}

bool is_punctuation(UChar32 c) {
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
      (c >= 123 && c <= 126))
    return true;
  switch (u_charType(c)) {
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
      return true;
    default:
      return false;
  }
}

// The CJK Unified Ideographs blocks BERT surrounds with spaces (not Hangul, Hiragana, Katakana).
bool is_cjk(UChar32 c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B820 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

std::u32string to_u32(const icu::UnicodeString& s) {
  std::u32string out;
  for (int32_t i = 0; i < s.length();) {
    const UChar32 c = s.char32At(i);
    out.push_back(static_cast<char32_t>(c));
    i += U16_LENGTH(c);
  }
  return out;
}

void append_utf8(std::string& out, char32_t c) {
  icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(out);
}

// Lower-cases, decomposes and drops non-spacing marks: BERT's lower() + _run_strip_accents.
std::u32string normalize_token(const std::u32string& token) {
  icu::UnicodeString u;
  for (const char32_t c : token) u.append(static_cast<UChar32>(c));
  u.toLower(icu::Locale::getRoot());
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) fail(ErrorKind::unsupported, "ICU has no NFD normaliser");
  const icu::UnicodeString d = nfd->normalize(u, status);
  if (U_FAILURE(status)) fail(ErrorKind::invalid_argument, "cannot normalise a query token");
  std::u32string out;
  for (const char32_t c : to_u32(d)) {
    if (u_charType(static_cast<UChar32>(c)) != U_NON_SPACING_MARK) out.push_back(c);
  }
  return out;
}

}  // namespace

WordPieceTokenizer::WordPieceTokenizer(std::vector<std::string> vocabulary)
    : tokens_(std::move(vocabulary)) {
  bool has_unk = false;
  for (std::uint32_t i = 0; i < tokens_.size(); ++i) {
    if (tokens_[i].empty()) fail(ErrorKind::invalid_argument, "vocabulary entry {} is empty", i);
    if (!ids_.emplace(tokens_[i], i).second)
      fail(ErrorKind::invalid_argument, "vocabulary token '{}' repeats (entry {})", tokens_[i], i);
    if (tokens_[i] == "[UNK]") {
      unk_ = i;
      has_unk = true;
    }
  }
  if (!has_unk) fail(ErrorKind::invalid_argument, "the vocabulary has no [UNK] token");
}

WordPieceTokenizer WordPieceTokenizer::from_file(const std::filesystem::path& vocab_txt) {
  io::LineReader reader(vocab_txt);
  std::vector<std::string> tokens;
  std::string_view line;
  while (reader.next(line)) tokens.emplace_back(line);
  try {
    return WordPieceTokenizer(std::move(tokens));
  } catch (const Error& e) {
    fail(e.kind(), "{}: {}", vocab_txt.string(), e.what());
  }
}

std::optional<std::uint32_t> WordPieceTokenizer::id(std::string_view token) const {
  const auto it = ids_.find(std::string(token));
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

void WordPieceTokenizer::encode_word(const std::u32string& word,
                                     std::vector<std::uint32_t>& ids) const {
  if (word.size() > kMaxWordChars) {
    ids.push_back(unk_);
    return;
  }
  const std::size_t before = ids.size();
  std::string piece;
  for (std::size_t start = 0; start < word.size();) {
    std::size_t end = word.size();
    std::optional<std::uint32_t> found;
    for (; end > start; --end) {
      piece.assign(start > 0 ? "##" : "");
      for (std::size_t i = start; i < end; ++i) append_utf8(piece, word[i]);
      const auto it = ids_.find(piece);
      if (it != ids_.end()) {
        found = it->second;
        break;
      }
    }
    if (!found) {
      ids.resize(before);
      ids.push_back(unk_);
      return;
    }
    ids.push_back(*found);
    start = end;
  }
}

void WordPieceTokenizer::encode(std::string_view text, std::vector<std::uint32_t>& ids) const {
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  // Clean the text and split it on whitespace (CJK ideographs stand alone).
  std::vector<std::u32string> tokens;
  std::u32string current;
  const auto flush = [&] {
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (const char32_t c32 : to_u32(u)) {
    const auto c = static_cast<UChar32>(c32);
    if (c == 0 || c == 0xFFFD || is_control(c)) continue;
    if (is_whitespace(c)) {
      flush();
    } else if (is_cjk(c)) {
      flush();
      current.push_back(c32);
      flush();
    } else {
      current.push_back(c32);
    }
  }
  flush();
  // Normalise each token, split off punctuation, and WordPiece the words.
  std::u32string word;
  for (const auto& token : tokens) {
    word.clear();
    for (const char32_t c : normalize_token(token)) {
      if (is_punctuation(static_cast<UChar32>(c))) {
        if (!word.empty()) encode_word(word, ids);
        word.assign(1, c);
        encode_word(word, ids);
        word.clear();
      } else if (is_whitespace(static_cast<UChar32>(c))) {
        if (!word.empty()) encode_word(word, ids);
        word.clear();
      } else {
        word.push_back(c);
      }
    }
    if (!word.empty()) encode_word(word, ids);
  }
}

}  // namespace tandem::text
