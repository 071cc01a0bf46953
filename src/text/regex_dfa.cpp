// Thompson NFA -> subset construction -> Moore minimisation (see regex_dfa.hpp).
#include "regex_dfa.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "tandem/core/error.hpp"

namespace tandem::text::detail {

struct Regex::Node {
  enum class Kind { any_of, seq, alt, star, plus, opt };
  Kind kind;
  ClassSet set;
  std::vector<Regex> parts;
};

namespace {

Regex make(Regex::Node::Kind kind, std::vector<Regex> parts, ClassSet set = {}) {
  return Regex(std::make_shared<const Regex::Node>(Regex::Node{kind, set, std::move(parts)}));
}

// The NFA: each state has epsilon edges and at most one labelled edge.
struct NfaState {
  std::vector<std::uint32_t> epsilon;
  ClassSet label;
  std::int64_t target = -1;  // state reached on a character in `label`; -1 if none
  int accepts = -1;          // rule index for a final state
};

struct Fragment {
  std::uint32_t start;
  std::uint32_t end;
};

class NfaBuilder {
 public:
  std::vector<NfaState> states;

  std::uint32_t add_state() {
    states.emplace_back();
    return static_cast<std::uint32_t>(states.size() - 1);
  }
  void epsilon(std::uint32_t from, std::uint32_t to) { states[from].epsilon.push_back(to); }

  Fragment build(const Regex& r) {
    using Kind = Regex::Node::Kind;
    const Regex::Node& n = r.node();
    const std::uint32_t s = add_state();
    const std::uint32_t e = add_state();
    switch (n.kind) {
      case Kind::any_of:
        states[s].label = n.set;
        states[s].target = e;
        break;
      case Kind::seq: {
        std::uint32_t at = s;
        for (const Regex& p : n.parts) {
          const Fragment f = build(p);
          epsilon(at, f.start);
          at = f.end;
        }
        epsilon(at, e);
        break;
      }
      case Kind::alt:
        for (const Regex& p : n.parts) {
          const Fragment f = build(p);
          epsilon(s, f.start);
          epsilon(f.end, e);
        }
        break;
      case Kind::star:
      case Kind::plus:
      case Kind::opt: {
        const Fragment f = build(n.parts.front());
        epsilon(s, f.start);
        epsilon(f.end, e);
        if (n.kind != Kind::plus) epsilon(s, e);
        if (n.kind != Kind::opt) epsilon(f.end, f.start);
        break;
      }
    }
    return {s, e};
  }
};

using StateSet = std::vector<std::uint32_t>;  // sorted NFA state numbers

void close(const std::vector<NfaState>& nfa, StateSet& set) {
  std::vector<bool> seen(nfa.size(), false);
  std::vector<std::uint32_t> stack(set.begin(), set.end());
  for (std::uint32_t s : set) seen[s] = true;
  while (!stack.empty()) {
    const std::uint32_t s = stack.back();
    stack.pop_back();
    for (std::uint32_t t : nfa[s].epsilon) {
      if (!seen[t]) {
        seen[t] = true;
        set.push_back(t);
        stack.push_back(t);
      }
    }
  }
  std::sort(set.begin(), set.end());
}

// Subset construction. The dead state (empty set) is state 0, the start state 1.
Dfa determinise(const std::vector<NfaState>& nfa, std::uint32_t nfa_start,
                const std::vector<std::uint32_t>& class_masks) {
  Dfa dfa;
  dfa.num_classes = static_cast<std::uint32_t>(class_masks.size());
  std::map<StateSet, std::uint16_t> ids;
  std::vector<StateSet> sets;
  auto intern = [&](StateSet set) -> std::uint16_t {
    auto [it, inserted] = ids.emplace(set, static_cast<std::uint16_t>(sets.size()));
    if (inserted) {
      if (sets.size() >= 0xFFFF)
        fail(ErrorKind::limit_exceeded, "tokenizer grammar DFA has too many states");
      sets.push_back(std::move(set));
    }
    return it->second;
  };
  intern({});
  StateSet start{nfa_start};
  close(nfa, start);
  intern(std::move(start));
  for (std::size_t d = 0; d < sets.size(); ++d) {
    int accepts = -1;
    for (std::uint32_t s : sets[d]) {
      if (nfa[s].accepts >= 0 && (accepts < 0 || nfa[s].accepts < accepts))
        accepts = nfa[s].accepts;
    }
    dfa.accepts.push_back(static_cast<std::int16_t>(accepts));
    for (std::uint32_t c = 0; c < dfa.num_classes; ++c) {
      StateSet moved;
      for (std::uint32_t s : sets[d]) {
        if (nfa[s].target >= 0 && nfa[s].label.contains(class_masks[c])) {
          moved.push_back(static_cast<std::uint32_t>(nfa[s].target));
        }
      }
      std::uint16_t to = Dfa::kDead;
      if (!moved.empty()) {
        close(nfa, moved);
        moved.erase(std::unique(moved.begin(), moved.end()), moved.end());
        to = intern(std::move(moved));
      }
      dfa.next.push_back(to);  // sets[d] is still valid: intern() only appends
    }
  }
  dfa.num_states = static_cast<std::uint32_t>(sets.size());
  return dfa;
}

// Moore's algorithm: start from the partition by accepted rule (the dead state alone), split blocks
// whose states go to different blocks on some class, until stable. Renumbers so that the dead state
// stays 0 and the start state 1.
Dfa minimise(const Dfa& dfa) {
  const std::uint32_t n = dfa.num_states;
  std::vector<std::uint32_t> block(n);
  for (std::uint32_t s = 0; s < n; ++s)
    block[s] = s == Dfa::kDead ? 0 : 1 + static_cast<std::uint32_t>(dfa.accepts[s] + 1);
  std::size_t num_blocks = 0;
  for (;;) {
    // A state's signature: its block and the blocks it moves to. Refining only splits blocks, so
    // an unchanged number of blocks means an unchanged partition.
    std::map<std::vector<std::uint32_t>, std::uint32_t> signatures;
    std::vector<std::uint32_t> refined(n);
    for (std::uint32_t s = 0; s < n; ++s) {
      std::vector<std::uint32_t> signature{block[s]};
      for (std::uint32_t c = 0; c < dfa.num_classes; ++c) {
        signature.push_back(block[dfa.next[s * dfa.num_classes + c]]);
      }
      const auto fresh = static_cast<std::uint32_t>(signatures.size());
      refined[s] = signatures.emplace(std::move(signature), fresh).first->second;
    }
    block = std::move(refined);
    if (signatures.size() == num_blocks) break;
    num_blocks = signatures.size();
  }
  // Renumber blocks: the dead state's block 0, the start state's block 1, then first-seen order.
  std::vector<std::int64_t> id(n, -1);
  std::uint32_t next_id = 0;
  auto number = [&](std::uint32_t b) {
    if (id[b] < 0) id[b] = next_id++;
  };
  number(block[Dfa::kDead]);
  number(block[Dfa::kStart]);
  for (std::uint32_t s = 0; s < n; ++s) number(block[s]);
  Dfa out;
  out.num_states = next_id;
  out.num_classes = dfa.num_classes;
  out.next.assign(static_cast<std::size_t>(out.num_states) * out.num_classes, Dfa::kDead);
  out.accepts.assign(out.num_states, -1);
  for (std::uint32_t s = 0; s < n; ++s) {
    const auto to = static_cast<std::uint32_t>(id[block[s]]);
    out.accepts[to] = dfa.accepts[s];
    for (std::uint32_t c = 0; c < dfa.num_classes; ++c) {
      out.next[to * out.num_classes + c] =
          static_cast<std::uint16_t>(id[block[dfa.next[s * dfa.num_classes + c]]]);
    }
  }
  return out;
}

}  // namespace

Regex any_of(ClassSet set) {
  return make(Regex::Node::Kind::any_of, {}, set);
}
Regex seq(std::initializer_list<Regex> parts) {
  return make(Regex::Node::Kind::seq, parts);
}
Regex alt(std::initializer_list<Regex> parts) {
  return make(Regex::Node::Kind::alt, parts);
}
Regex star(const Regex& r) {
  return make(Regex::Node::Kind::star, {r});
}
Regex plus(const Regex& r) {
  return make(Regex::Node::Kind::plus, {r});
}
Regex opt(const Regex& r) {
  return make(Regex::Node::Kind::opt, {r});
}

Dfa compile_rules(const std::vector<Regex>& rules, const std::vector<std::uint32_t>& class_masks) {
  NfaBuilder builder;
  const std::uint32_t start = builder.add_state();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Fragment f = builder.build(rules[i]);
    builder.epsilon(start, f.start);
    builder.states[f.end].accepts = static_cast<int>(i);
  }
  return minimise(determinise(builder.states, start, class_masks));
}

}  // namespace tandem::text::detail
