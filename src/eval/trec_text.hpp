// Lexing of TREC-style text files (qrels, runs): lines from memory, fields, numbers.
// Private to the eval layer.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <span>
#include <string_view>
#include <system_error>

#include "tandem/io/line_reader.hpp"
#include "tandem/io/mapped_file.hpp"

namespace tandem::eval::detail {

/// The field separators of trec_eval: C isspace() in the "C" locale, except '\n' (a line end).
inline bool is_field_space(char c) {
  static constexpr auto kTable = [] {
    std::array<bool, 256> t{};
    for (const unsigned char sep : {' ', '\t', '\v', '\f', '\r'}) t[sep] = true;
    return t;
  }();
  return kTable[static_cast<unsigned char>(c)];
}

/// Splits `line` at runs of field separators (ignoring leading and trailing ones). Stores the
/// first out.size() fields in `out` and returns how many fields the line has in total.
inline std::size_t split_fields(std::string_view line, std::span<std::string_view> out) {
  std::size_t count = 0;
  std::size_t i = 0;
  while (true) {
    while (i < line.size() && is_field_space(line[i])) ++i;
    if (i == line.size()) return count;
    const std::size_t start = i;
    while (i < line.size() && !is_field_space(line[i])) ++i;
    if (count < out.size()) out[count] = line.substr(start, i - start);
    ++count;
  }
}

/// Splits `line` at every tab. Same contract as split_fields (empty fields are kept).
inline std::size_t split_tabs(std::string_view line, std::span<std::string_view> out) {
  std::size_t count = 0;
  while (true) {
    const std::size_t tab = line.find('\t');
    if (count < out.size()) out[count] = line.substr(0, tab);
    ++count;
    if (tab == std::string_view::npos) return count;
    line.remove_prefix(tab + 1);
  }
}

/// Parses a decimal floating-point number filling all of `text` (an optional leading '+' is
/// allowed, as strtod allows it; "inf" is accepted, NaN and hexadecimal are not). The value is
/// the correctly rounded double, identical to what trec_eval's atof() gives for the same text.
inline bool parse_score(std::string_view text, double& value) {
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) return false;
  }
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, std::chars_format::general);
  if (ptr != end) return false;
  if (ec == std::errc::result_out_of_range) {
    // Overflow or underflow: take what strtod (and so trec_eval's atof) gives, +-inf or ~0.
    char buffer[128];
    if (text.size() >= sizeof(buffer)) return false;
    std::memcpy(buffer, text.data(), text.size());
    buffer[text.size()] = '\0';
    value = std::strtod(buffer, nullptr);
    return true;
  }
  return ec == std::errc() && value == value;  // value != value only for NaN
}

/// Parses an integer grade: optional sign, digits, and optionally a fraction of zeros ("2.0").
/// Fails on anything else or outside the int32 range.
inline bool parse_grade(std::string_view text, std::int32_t& value) {
  if (const std::size_t dot = text.find('.'); dot != std::string_view::npos) {
    const std::string_view fraction = text.substr(dot + 1);
    if (fraction.empty() || fraction.find_first_not_of('0') != std::string_view::npos) return false;
    text = text.substr(0, dot);
  }
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || text.front() == '+') return false;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

/// Lines of a text in memory, with the interface of io::LineReader used by the readers: lines are
/// returned without "\n" or "\r\n"; a last line without a newline is still returned.
class MemoryLines {
 public:
  explicit MemoryLines(std::string_view text) : rest_(text) {}

  bool next(std::string_view& line) {
    if (rest_.empty()) return false;
    const std::size_t nl = rest_.find('\n');
    line = rest_.substr(0, nl);
    rest_ = nl == std::string_view::npos ? std::string_view() : rest_.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    ++line_number_;
    return true;
  }
  std::uint64_t line_number() const { return line_number_; }

 private:
  std::string_view rest_;
  std::uint64_t line_number_ = 0;
};

/// Calls read(lines) with the lines of `path`: through a memory map for a plain file, through
/// io::LineReader (which also decompresses) otherwise. Same errors as io::LineReader.
template <typename Read>
auto with_file_lines(const std::filesystem::path& path, Read read) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec) && !io::is_gzip_file(path)) {
    const io::MappedFile file(path);
    file.prefetch();
    MemoryLines lines(std::string_view(reinterpret_cast<const char*>(file.data()), file.size()));
    return read(lines);
  }
  io::LineReader lines(path);
  return read(lines);
}

/// True if the line holds a NUL byte (such files are refused: trec_eval would stop reading there).
inline bool has_nul(std::string_view line) {
  return std::memchr(line.data(), '\0', line.size()) != nullptr;
}

}  // namespace tandem::eval::detail
