// Similarity of dense vectors. Every metric is turned into a score where larger is better, so the
// engine's one result order (score descending, then DocId ascending) serves all of them.
#pragma once

#include <string_view>

namespace tandem::dense {

enum class Metric {
  ip,      // score = <q, x>
  cosine,  // score = <q/|q|, x/|x|>: vectors are normalised once (documents at build, queries at
           // search), then searched as ip; a zero vector has no direction and is refused
  l2,      // score = -|q - x|^2 (negated squared Euclidean distance)
};

std::string_view to_string(Metric metric);
/// "ip", "cosine" or "l2"; throws Error(invalid_argument) otherwise.
Metric parse_metric(std::string_view name);

}  // namespace tandem::dense
