// One factory per trec_eval measure, taking the -m parameter text. Private to the eval layer;
// the table in measure_registry.cpp maps names to these.
#pragma once

#include <memory>

#include "measure_kinds.hpp"

namespace tandem::eval::detail {

using MeasurePtr = std::shared_ptr<const Measure>;

// counts.cpp
MeasurePtr make_runid(Params params);
MeasurePtr make_num_q(Params params);
MeasurePtr make_num_ret(Params params);
MeasurePtr make_num_rel(Params params);
MeasurePtr make_num_rel_ret(Params params);
MeasurePtr make_num_nonrel_judged_ret(Params params);

// precision.cpp
MeasurePtr make_P(Params params);
MeasurePtr make_recall(Params params);
MeasurePtr make_relative_P(Params params);
MeasurePtr make_success(Params params);
MeasurePtr make_unj(Params params);
MeasurePtr make_Rprec(Params params);
MeasurePtr make_Rprec_mult(Params params);

// set_measures.cpp
MeasurePtr make_set_P(Params params);
MeasurePtr make_set_relative_P(Params params);
MeasurePtr make_set_recall(Params params);
MeasurePtr make_set_map(Params params);
MeasurePtr make_set_F(Params params);
MeasurePtr make_utility(Params params);

// average_precision.cpp
MeasurePtr make_map(Params params);
MeasurePtr make_gm_map(Params params);
MeasurePtr make_map_cut(Params params);
MeasurePtr make_recip_rank(Params params);
MeasurePtr make_iprec_at_recall(Params params);
MeasurePtr make_11pt_avg(Params params);

// preference.cpp (measures for incomplete judgments)
MeasurePtr make_bpref(Params params);
MeasurePtr make_gm_bpref(Params params);
MeasurePtr make_infAP(Params params);

// gain.cpp
MeasurePtr make_dcg(Params params);
MeasurePtr make_ideal_dcg(Params params);
MeasurePtr make_ndcg(Params params);
MeasurePtr make_ndcg_rel(Params params);
MeasurePtr make_Rndcg(Params params);
MeasurePtr make_ndcg_cut(Params params);
MeasurePtr make_binG(Params params);
MeasurePtr make_G(Params params);
MeasurePtr make_rbp(Params params);
MeasurePtr make_rbp_resid(Params params);

// relstring.cpp
MeasurePtr make_relstring(Params params);

}  // namespace tandem::eval::detail
