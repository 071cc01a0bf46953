#include "model_file.hpp"

#include <cstring>

#include "tandem/core/error.hpp"
#include "tandem/io/byte_view.hpp"

namespace tandem::encode {

ModelFileWriter::ModelFileWriter(const std::filesystem::path& path, std::uint32_t sections)
    : writer_(path, io::FileKind::encoder_model), expected_(sections) {
  writer_.write_pod(kModelVersion);
  writer_.write_pod(sections);
}

void ModelFileWriter::bytes(std::string_view data) {
  writer_.write_pod(static_cast<std::uint64_t>(data.size()));
  writer_.write(data.data(), data.size());
  writer_.align(8);
  ++written_;
}

void ModelFileWriter::floats(std::span<const float> values) {
  bytes(std::string_view(reinterpret_cast<const char*>(values.data()), values.size_bytes()));
}

void ModelFileWriter::strings(std::span<const std::string> values) {
  std::string joined;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i].find('\n') != std::string::npos) {
      fail(ErrorKind::invalid_argument, "a model word contains a newline: '{}'", values[i]);
    }
    if (i > 0) joined += '\n';
    joined += values[i];
  }
  bytes(joined);
}

void ModelFileWriter::commit() {
  if (written_ != expected_) {
    fail(ErrorKind::invalid_argument, "model file: wrote {} sections, announced {}", written_,
         expected_);
  }
  writer_.commit();
}

ModelFileReader::ModelFileReader(const std::filesystem::path& path)
    : file_(path, io::FileKind::encoder_model) {
  file_.verify();
  const io::ByteView view(file_.payload(), file_.path());
  const auto version = view.read<std::uint32_t>(0, "model version");
  if (version != kModelVersion) {
    fail(ErrorKind::unsupported,
         "{}: model version {} is not supported by this build (it reads "
         "version {}); retrain the model",
         file_.path(), version, kModelVersion);
  }
  sections_ = view.read<std::uint32_t>(4, "section count");
}

std::string_view ModelFileReader::bytes(const char* what) {
  if (read_ >= sections_) corrupt(fmt::format("section '{}' is missing", what));
  const io::ByteView view(file_.payload(), file_.path());
  const auto size = view.read<std::uint64_t>(offset_, what);
  const auto data = view.bytes(offset_ + 8, size, what);
  offset_ += 8 + (size + 7) / 8 * 8;
  ++read_;
  return {reinterpret_cast<const char*>(data.data()), data.size()};
}

std::vector<float> ModelFileReader::floats(const char* what, std::uint64_t count) {
  const std::string_view data = bytes(what);
  if (data.size() != count * sizeof(float)) {
    corrupt(fmt::format("section '{}' has {} bytes, expected {} floats", what, data.size(), count));
  }
  std::vector<float> out(count);
  if (count > 0) std::memcpy(out.data(), data.data(), data.size());
  return out;
}

std::vector<std::string> ModelFileReader::strings(const char* what, std::uint64_t count) {
  const std::string_view data = bytes(what);
  std::vector<std::string> out;
  if (count == 0) {
    if (!data.empty()) corrupt(fmt::format("section '{}' should be empty", what));
    return out;
  }
  out.reserve(count);
  std::size_t begin = 0;
  for (;;) {
    const std::size_t end = data.find('\n', begin);
    out.emplace_back(data.substr(begin, end == std::string_view::npos ? end : end - begin));
    if (end == std::string_view::npos) break;
    begin = end + 1;
  }
  if (out.size() != count) {
    corrupt(fmt::format("section '{}' holds {} strings, expected {}", what, out.size(), count));
  }
  return out;
}

void ModelFileReader::corrupt(const std::string& message) const {
  fail(ErrorKind::corruption, "{}: {}", file_.path(), message);
}

}  // namespace tandem::encode
