#include "eval_options.hpp"

namespace tandem::cli {

void add_trec_eval_options(CLI::App& cmd, eval::EvalOptions& options) {
  cmd.add_flag("-c,--complete_rel_info_wanted", options.complete,
               "Average over every query of the qrels; queries the run lacks count as 0");
  cmd.add_option("-l,--level_for_rel", options.relevance_level,
                 "Smallest grade counted as relevant (default 1)");
  cmd.add_option("-M,--Max_retrieved_per_topic", options.max_hits_per_query,
                 "Evaluate only the first N documents of each ranking");
  cmd.add_flag("-J,--Judged_docs_only", options.judged_only,
               "Drop unjudged retrieved documents before evaluating (trec_eval warns against it)");
}

}  // namespace tandem::cli
