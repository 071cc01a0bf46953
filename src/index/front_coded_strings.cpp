#include "tandem/index/front_coded_strings.hpp"

#include <algorithm>

#include "tandem/core/error.hpp"

namespace tandem::index {

namespace {

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Trusted decode (the table was checked at open or by verify()).
std::uint64_t get_varint(const char*& p) {
  std::uint64_t v = 0;
  for (unsigned shift = 0;; shift += 7) {
    const auto byte = static_cast<unsigned char>(*p++);
    v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return v;
  }
}

// Checked decode: false if the varint runs past `end` or over 64 bits.
bool get_varint_checked(const char*& p, const char* end, std::uint64_t& v) {
  v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (p >= end) return false;
    const auto byte = static_cast<unsigned char>(*p++);
    v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

}  // namespace

void FrontCodedWriter::add(std::string_view s, std::span<const std::uint64_t> values) {
  if (values.size() != values_per_entry_) {
    fail(ErrorKind::invalid_argument, "front-coded entry with {} values, expected {}",
         values.size(), values_per_entry_);
  }
  if (count_ > 0 && !(previous_ < s)) {
    fail(ErrorKind::invalid_argument,
         "front-coded strings must be strictly increasing ('{}' after '{}')", s, previous_);
  }
  if (values_per_entry_ > FrontCodedStrings::kMaxValues) {
    fail(ErrorKind::invalid_argument, "front-coded entries hold at most {} values",
         FrontCodedStrings::kMaxValues);
  }
  std::size_t shared = 0;
  const bool first_in_block = count_ % kFrontCodingBlock == 0;
  if (first_in_block) {
    block_offsets_.push_back(data_.size());
  } else {
    const std::size_t limit = std::min(previous_.size(), s.size());
    while (shared < limit && previous_[shared] == s[shared]) ++shared;
  }
  put_varint(data_, shared);
  put_varint(data_, s.size() - shared);
  data_.append(s.substr(shared));
  for (std::uint32_t i = 0; i < values.size(); ++i) {
    if (i == delta_column_) {
      if (!first_in_block && values[i] < previous_delta_value_) {
        fail(ErrorKind::invalid_argument, "front-coded delta column decreases at '{}'", s);
      }
      put_varint(data_, first_in_block ? values[i] : values[i] - previous_delta_value_);
      previous_delta_value_ = values[i];
    } else {
      put_varint(data_, values[i]);
    }
  }
  previous_.assign(s);
  ++count_;
}

void FrontCodedWriter::write_to(io::FileWriter& out) const {
  out.align(8);
  out.write_pod(count_);
  out.write_pod<std::uint64_t>(block_offsets_.size());
  out.write_pod<std::uint32_t>(values_per_entry_);
  out.write_pod<std::uint32_t>(delta_column_ == kNoDeltaColumn ? 0 : delta_column_ + 1);
  out.write_pod<std::uint64_t>(data_.size());
  out.write_array(std::span<const std::uint64_t>(block_offsets_));
  out.write(data_.data(), data_.size());
}

FrontCodedStrings::FrontCodedStrings(const io::ByteView& view, std::uint64_t offset) {
  count_ = view.read<std::uint64_t>(offset, "string count");
  const auto blocks = view.read<std::uint64_t>(offset + 8, "block count");
  values_per_entry_ = view.read<std::uint32_t>(offset + 16, "values per entry");
  const auto delta = view.read<std::uint32_t>(offset + 20, "delta column");
  data_size_ = view.read<std::uint64_t>(offset + 24, "string data size");
  if (values_per_entry_ > kMaxValues) view.corrupt("impossible number of values per entry");
  if (delta > values_per_entry_) view.corrupt("impossible delta column");
  delta_column_ = delta == 0 ? kNoDeltaColumn : delta - 1;
  if (blocks != (count_ + kFrontCodingBlock - 1) / kFrontCodingBlock)
    view.corrupt("block count does not match the string count");
  block_offsets_ = view.array<std::uint64_t>(offset + 32, blocks, "block offsets");
  const std::uint64_t data_offset = offset + 32 + blocks * 8;
  data_ = reinterpret_cast<const char*>(view.bytes(data_offset, data_size_, "string data").data());
  byte_size_ = 32 + blocks * 8 + data_size_;
  for (std::uint64_t b = 0; b < blocks; ++b) {
    if (block_offsets_[b] >= data_size_ || (b > 0 && block_offsets_[b] <= block_offsets_[b - 1])) {
      view.corrupt("block offsets are out of order or out of range");
    }
  }
  // The first entry of every block is read by binary search without further checks: check them now.
  for (std::uint64_t b = 0; b < blocks; ++b) {
    const char* p = data_ + block_offsets_[b];
    const char* end = data_ + data_size_;
    std::uint64_t shared = 0, len = 0;
    if (!get_varint_checked(p, end, shared) || shared != 0 || !get_varint_checked(p, end, len) ||
        len > static_cast<std::uint64_t>(end - p)) {
      view.corrupt("a block does not start with a whole string");
    }
  }
}

const char* FrontCodedStrings::decode_entry(const char* p, std::string& s, std::uint64_t* values,
                                            bool first_in_block) const {
  const std::uint64_t shared = get_varint(p);
  const std::uint64_t len = get_varint(p);
  s.resize(shared);
  s.append(p, len);
  p += len;
  for (std::uint32_t i = 0; i < values_per_entry_; ++i) {
    const std::uint64_t v = get_varint(p);
    values[i] = (i == delta_column_ && !first_in_block) ? values[i] + v : v;
  }
  return p;
}

std::string_view FrontCodedStrings::first_string(std::uint64_t block) const {
  const char* p = block_begin(block);
  get_varint(p);  // shared prefix: 0
  const std::uint64_t len = get_varint(p);
  return {p, len};
}

std::string_view FrontCodedStrings::get(std::uint64_t index, std::string& scratch,
                                        std::uint64_t* values) const {
  std::uint64_t local[kMaxValues];
  std::uint64_t* v = values != nullptr ? values : local;
  const std::uint64_t block = index / kFrontCodingBlock;
  const char* p = block_begin(block);
  for (std::uint64_t i = block * kFrontCodingBlock; i <= index; ++i) {
    p = decode_entry(p, scratch, v, i == block * kFrontCodingBlock);
  }
  return scratch;
}

std::optional<std::uint64_t> FrontCodedStrings::find(std::string_view key, std::string& scratch,
                                                     std::uint64_t* values) const {
  if (count_ == 0) return std::nullopt;
  // The last block whose first string is <= key.
  std::uint64_t lo = 0, hi = num_blocks();
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    if (first_string(mid) <= key) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  std::uint64_t local[kMaxValues];
  std::uint64_t* v = values != nullptr ? values : local;
  const char* p = block_begin(lo);
  const std::uint64_t n = block_size(lo);
  for (std::uint64_t i = 0; i < n; ++i) {
    p = decode_entry(p, scratch, v, i == 0);
    if (scratch == key) return lo * kFrontCodingBlock + i;
    if (key < scratch) return std::nullopt;
  }
  return std::nullopt;
}

void FrontCodedStrings::verify(const std::string& file) const {
  std::string s, previous;
  const char* end = data_ + data_size_;
  for (std::uint64_t b = 0; b < num_blocks(); ++b) {
    const char* p = block_begin(b);
    const char* block_end = b + 1 < num_blocks() ? block_begin(b + 1) : end;
    for (std::uint64_t i = 0; i < block_size(b); ++i) {
      std::uint64_t shared = 0, len = 0, v = 0;
      if (!get_varint_checked(p, block_end, shared) || !get_varint_checked(p, block_end, len) ||
          (i == 0 && shared != 0) || shared > s.size() ||
          len > static_cast<std::uint64_t>(block_end - p)) {
        fail(ErrorKind::corruption, "{}: string {} is damaged", file, b * kFrontCodingBlock + i);
      }
      s.resize(shared);
      s.append(p, len);
      p += len;
      for (std::uint32_t k = 0; k < values_per_entry_; ++k) {
        if (!get_varint_checked(p, block_end, v))
          fail(ErrorKind::corruption, "{}: values of string {} are damaged", file,
               b * kFrontCodingBlock + i);
      }
      if (b + i > 0 && !(previous < s)) {
        fail(ErrorKind::corruption, "{}: strings are not strictly increasing at {}", file,
             b * kFrontCodingBlock + i);
      }
      previous = s;
    }
    if (p != block_end) fail(ErrorKind::corruption, "{}: block {} has trailing bytes", file, b);
  }
}

}  // namespace tandem::index
