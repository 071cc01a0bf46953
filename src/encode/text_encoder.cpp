#include "tandem/encode/text_encoder.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/encode/lsa_model.hpp"
#include "tandem/encode/sif_model.hpp"

#include "model_file.hpp"

namespace tandem::encode {

void l2_normalize(std::span<float> v) {
  double norm = 0;
  for (const float x : v) norm += double{x} * x;
  if (norm == 0) return;
  const double inv = 1.0 / std::sqrt(norm);
  for (auto& x : v) x = static_cast<float>(x * inv);
}

std::unique_ptr<TextEncoder> load_text_encoder(const std::filesystem::path& path) {
  ModelFileReader reader(path);
  const std::string_view meta = reader.bytes("metadata");
  std::string kind;
  try {
    kind = nlohmann::json::parse(meta).at("model").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    reader.corrupt(fmt::format("bad model metadata ({})", e.what()));
  }
  if (kind == "glove-sif") return std::make_unique<SifModel>(SifModel::read(reader, meta));
  if (kind == "lsa") return std::make_unique<LsaModel>(LsaModel::read(reader, meta));
  fail(ErrorKind::unsupported, "{}: model kind '{}' is not known to this build", path.string(),
       kind);
}

}  // namespace tandem::encode
