// The table of feedback and re-ranking stages a pipeline can name (see pipeline.hpp, "HOW TO ADD
// A STAGE"). Add one line per stage kind; declare its factory in the stage's header.
#include <array>

#include "tandem/pipeline/pipeline.hpp"
#include "tandem/pipeline/prf_stages.hpp"

namespace tandem::pipeline {

namespace {

struct StageEntry {
  std::string_view phase;  // "feedback" or "rerank"
  std::string_view kind;   // the "kind" a pipeline names
  StageFactory factory;
};

// Stages register here, e.g. {"feedback", "rm3", &make_rm3_stage}.
constexpr StageEntry kStages[] = {
    {"", "", nullptr},  // placeholder so the table is never empty; never matches
    {"feedback", "rm3", &make_rm3_stage},
    {"feedback", "rocchio", &make_rocchio_stage},
    {"feedback", "vector-average", &make_vector_average_stage},
    {"feedback", "vector-rocchio", &make_vector_rocchio_stage},
    {"rerank", "maxsim", &make_maxsim_stage},
};

}  // namespace

StageFactory find_stage_factory(std::string_view phase, std::string_view kind) {
  for (const auto& e : kStages) {
    if (e.factory != nullptr && e.phase == phase && e.kind == kind) return e.factory;
  }
  return nullptr;
}

std::vector<std::string> stage_kinds(std::string_view phase) {
  std::vector<std::string> out;
  for (const auto& e : kStages) {
    if (e.factory != nullptr && e.phase == phase) out.emplace_back(e.kind);
  }
  return out;
}

}  // namespace tandem::pipeline
