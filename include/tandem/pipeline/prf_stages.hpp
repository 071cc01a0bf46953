// Pipeline stages of pseudo-relevance feedback and multi-vector re-ranking (docs/prf.md and
// docs/pipelines.md, "feedback" and "rerank"):
//   feedback  rm3, rocchio           term feedback on a bm25 leg (pipeline/term_feedback.hpp)
//             vector-average,        vector PRF on a dense leg (pipeline/vector_feedback.hpp)
//             vector-rocchio
//   rerank    maxsim                 ColBERT MaxSim over a multi-vector field
//                                    (pipeline/maxsim_reranker.hpp)
// A feedback stage takes its feedback documents from its leg's own list ("source": "leg", the
// default) or from the fused list ("source": "fused": interpolation before PRF, Li et al., SIGIR
// 2022), runs the leg again with the new query, and fuses the legs again with the new list in
// place of the leg's ("fuse_after": true, the default: interpolation after PRF) or keeps only the
// new list ("fuse_after": false). The legs' first lists stay as they were, so stages do not feed
// on each other and `tandem tune` can finish the same legs several times.
#pragma once

#include <memory>

#include "tandem/pipeline/pipeline.hpp"

namespace tandem::pipeline {

std::unique_ptr<Stage> make_rm3_stage(SpecObject& spec, const Pipeline& pipeline);
std::unique_ptr<Stage> make_rocchio_stage(SpecObject& spec, const Pipeline& pipeline);
std::unique_ptr<Stage> make_vector_average_stage(SpecObject& spec, const Pipeline& pipeline);
std::unique_ptr<Stage> make_vector_rocchio_stage(SpecObject& spec, const Pipeline& pipeline);
std::unique_ptr<Stage> make_maxsim_stage(SpecObject& spec, const Pipeline& pipeline);

}  // namespace tandem::pipeline
