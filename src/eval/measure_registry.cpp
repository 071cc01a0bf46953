// The one table that turns measure names into measures: trec_eval's measures.c, in its order.
#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include "tandem/core/error.hpp"
#include "tandem/eval/measure_set.hpp"

#include "measures/factories.hpp"

namespace tandem::eval {

namespace {

using detail::MeasurePtr;
using detail::Params;

struct Entry {
  std::string_view name;
  MeasurePtr (*make)(Params);
};

// The order of trec_eval's te_trec_measures[], which is also its output order. Its preference
// and judgment-group measures (prefs_*, *_avgjg, yaap), which need other input formats, are not
// provided.
constexpr std::array kMeasures{
    Entry{"runid", detail::make_runid},
    Entry{"num_q", detail::make_num_q},
    Entry{"num_ret", detail::make_num_ret},
    Entry{"num_rel", detail::make_num_rel},
    Entry{"num_rel_ret", detail::make_num_rel_ret},
    Entry{"map", detail::make_map},
    Entry{"gm_map", detail::make_gm_map},
    Entry{"Rprec", detail::make_Rprec},
    Entry{"bpref", detail::make_bpref},
    Entry{"recip_rank", detail::make_recip_rank},
    Entry{"iprec_at_recall", detail::make_iprec_at_recall},
    Entry{"P", detail::make_P},
    Entry{"relstring", detail::make_relstring},
    Entry{"recall", detail::make_recall},
    Entry{"infAP", detail::make_infAP},
    Entry{"gm_bpref", detail::make_gm_bpref},
    Entry{"Rprec_mult", detail::make_Rprec_mult},
    Entry{"utility", detail::make_utility},
    Entry{"11pt_avg", detail::make_11pt_avg},
    Entry{"binG", detail::make_binG},
    Entry{"G", detail::make_G},
    Entry{"dcg", detail::make_dcg},
    Entry{"ideal_dcg", detail::make_ideal_dcg},
    Entry{"ndcg", detail::make_ndcg},
    Entry{"ndcg_rel", detail::make_ndcg_rel},
    Entry{"Rndcg", detail::make_Rndcg},
    Entry{"ndcg_cut", detail::make_ndcg_cut},
    Entry{"map_cut", detail::make_map_cut},
    Entry{"relative_P", detail::make_relative_P},
    Entry{"success", detail::make_success},
    Entry{"set_P", detail::make_set_P},
    Entry{"set_relative_P", detail::make_set_relative_P},
    Entry{"set_recall", detail::make_set_recall},
    Entry{"set_map", detail::make_set_map},
    Entry{"set_F", detail::make_set_F},
    Entry{"num_nonrel_judged_ret", detail::make_num_nonrel_judged_ret},
    Entry{"rbp", detail::make_rbp},
    Entry{"rbp_resid", detail::make_rbp_resid},
    Entry{"unj", detail::make_unj},
};

struct Nickname {
  std::string_view name;
  std::vector<std::string_view> measures;
};

const std::vector<Nickname>& nicknames() {
  static const std::vector<Nickname> table{
      {"official",
       {"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "map", "gm_map", "Rprec", "bpref",
        "recip_rank", "iprec_at_recall", "P"}},
      {"set",
       {"runid", "num_q", "num_ret", "num_rel", "num_rel_ret", "utility", "set_P", "set_recall",
        "set_relative_P", "set_map", "set_F"}},
      {"all_trec",
       {"runid",
        "num_q",
        "num_ret",
        "num_rel",
        "num_rel_ret",
        "map",
        "gm_map",
        "Rprec",
        "bpref",
        "recip_rank",
        "iprec_at_recall",
        "P",
        "relstring",
        "recall",
        "unj",
        "rbp",
        "rbp_resid",
        "infAP",
        "gm_bpref",
        "utility",
        "11pt_avg",
        "ndcg",
        "relative_P",
        "Rprec_mult",
        "success",
        "map_cut",
        "ndcg_cut",
        "ndcg_rel",
        "Rndcg",
        "binG",
        "G",
        "set_P",
        "set_recall",
        "set_relative_P",
        "set_map",
        "set_F",
        "num_nonrel_judged_ret"}},
  };
  return table;
}

std::optional<std::size_t> measure_index(std::string_view name) {
  for (std::size_t i = 0; i < kMeasures.size(); ++i) {
    if (kMeasures[i].name == name) return i;
  }
  return std::nullopt;
}

}  // namespace

MeasureSet parse_measures(const std::vector<std::string>& args_in) {
  const std::vector<std::string> official{"official"};
  const std::vector<std::string>& args = args_in.empty() ? official : args_in;
  std::array<bool, kMeasures.size()> marked{};
  std::vector<std::pair<std::string_view, std::string_view>> params;  // first given wins
  for (const std::string& arg : args) {
    std::string_view name = arg;
    if (const std::size_t dot = name.find('.'); dot != std::string_view::npos) {
      if (dot + 1 == name.size()) {
        fail(ErrorKind::invalid_argument, "measure '{}': empty parameter list after '.'", arg);
      }
      params.emplace_back(name.substr(0, dot), name.substr(dot + 1));
      name = name.substr(0, dot);
    }
    const auto nick = std::find_if(nicknames().begin(), nicknames().end(),
                                   [&](const Nickname& n) { return n.name == name; });
    if (nick != nicknames().end()) {
      for (const std::string_view m : nick->measures) marked[*measure_index(m)] = true;
      continue;
    }
    const auto index = measure_index(name);
    if (!index) {
      if (name == "all_prefs" || name == "prefs" || name == "qrels_jg" ||
          name.starts_with("prefs_") || name.ends_with("_avgjg") || name == "yaap") {
        fail(ErrorKind::unsupported,
             "measure '{}' needs trec_eval's preference or judgment-group input formats, which are "
             "not supported",
             arg);
      }
      fail(ErrorKind::invalid_argument, "unknown measure '{}' (see `tandem eval --help`)", arg);
    }
    marked[*index] = true;
  }
  std::vector<std::shared_ptr<const Measure>> measures;
  for (std::size_t i = 0; i < kMeasures.size(); ++i) {
    if (!marked[i]) continue;
    Params given;
    for (const auto& [name, p] : params) {
      if (name == kMeasures[i].name) {
        given = p;
        break;
      }
    }
    measures.push_back(kMeasures[i].make(given));
  }
  return MeasureSet(std::move(measures));
}

std::vector<std::string> measure_names() {
  std::vector<std::string> names;
  names.reserve(kMeasures.size());
  for (const Entry& e : kMeasures) names.emplace_back(e.name);
  return names;
}

std::vector<std::pair<std::string, std::vector<std::string>>> measure_nicknames() {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  out.reserve(nicknames().size());
  for (const Nickname& n : nicknames()) {
    out.emplace_back(std::string(n.name),
                     std::vector<std::string>(n.measures.begin(), n.measures.end()));
  }
  return out;
}

}  // namespace tandem::eval
