#include "tandem/pipeline/maxsim_reranker.hpp"

#include <algorithm>
#include <memory>
#include <optional>

#include "tandem/core/error.hpp"
#include "tandem/multi/maxsim.hpp"

namespace tandem::pipeline {

namespace {

struct Scored {
  IndexHit hit;
  std::string id;
};

// Result order: score descending, external id ascending.
bool before(const Scored& a, const Scored& b) {
  if (a.hit.score != b.hit.score) return a.hit.score > b.hit.score;
  return a.id < b.id;
}

}  // namespace

void maxsim_rerank(const index::IndexReader& index, std::span<const float> query, std::size_t nq,
                   std::span<const IndexHit> candidates, const MaxSimOptions& options,
                   std::vector<IndexHit>& out, MaxSimStats* stats) {
  out.clear();
  MaxSimStats st;
  st.candidates = candidates.size();
  const auto& segments = index.segments();
  if (!index.settings().multivec)
    fail(ErrorKind::not_found,
         "the index in {} has no multi-vector field (build it with "
         "`tandem index --multivec FILE`)",
         index.dir().string());
  if (!(options.candidate_ratio >= 0.0 && options.candidate_ratio <= 1.0))
    fail(ErrorKind::invalid_argument, "candidate ratio must lie in [0, 1], not {}",
         options.candidate_ratio);
  std::vector<std::unique_ptr<multi::MaxSimScorer>> scorers(segments.size());
  float best_first = 0;
  for (const auto& c : candidates) best_first = std::max(best_first, c.score);
  const float min_first = static_cast<float>(options.candidate_ratio) * best_first;

  std::vector<Scored> top;  // sorted in result order, at most k
  std::vector<float> scratch;
  std::string id_scratch;
  std::size_t misses = 0;
  for (std::size_t ci = 0; ci < candidates.size(); ++ci) {
    const IndexHit& c = candidates[ci];
    if (options.candidate_ratio > 0 && c.score < min_first) {
      ++st.skipped_ratio;
      continue;
    }
    if (options.patience > 0 && misses >= options.patience) {
      for (std::size_t r = ci; r < candidates.size(); ++r) {
        if (options.candidate_ratio > 0 && candidates[r].score < min_first) {
          ++st.skipped_ratio;
        } else {
          ++st.skipped_exit;
        }
      }
      break;
    }
    // First stages never return deleted documents; a deleted candidate is still never scored
    // (docs/live.md, "Multi-vector fields"), counted as missing.
    if (segments[c.at.segment]->is_deleted(c.at.doc)) {
      ++st.missing;
      continue;
    }
    const multi::MultiVectorStore* store = segments[c.at.segment]->multivec();
    const auto row = store ? store->row_of(c.at.doc) : std::nullopt;
    if (!row) {
      ++st.missing;
      continue;
    }
    auto& scorer = scorers[c.at.segment];
    if (!scorer) scorer = std::make_unique<multi::MaxSimScorer>(*store, query, nq);
    const bool full = top.size() >= options.k;
    std::optional<float> s;
    if (options.bound && full) {
      s = scorer->score_bounded(*row, top.back().hit.score, scratch);
      if (!s) {
        ++st.abandoned;
        ++misses;
        continue;
      }
    } else {
      s = scorer->score(*row, scratch);
    }
    ++st.scored;
    Scored x{{c.at, *s}, std::string(index.external_id(c.at, id_scratch))};
    if (full && !before(x, top.back())) {
      ++misses;
      continue;
    }
    top.insert(std::upper_bound(top.begin(), top.end(), x, before), std::move(x));
    if (top.size() > options.k) top.pop_back();
    misses = 0;
  }
  out.reserve(top.size());
  for (const auto& x : top) out.push_back(x.hit);
  if (stats != nullptr) *stats = st;
}

}  // namespace tandem::pipeline
