// Regular expressions over character classes, compiled to a DFA with JFlex's rule semantics.
// Internal to the text layer; the StandardTokenizer grammar (standard_grammar.cpp) is written with
// it.
//
// The construction is the textbook one (Aho, Sethi, Ullman, "Compilers", 3.7-3.9): Thompson's
// construction of an NFA from each rule, the subset construction over a finite alphabet of input
// classes, then Moore's partition refinement to minimise. As in JFlex, each DFA state accepts with
// the first rule (lowest index) among the rules whose NFA accepting state it contains.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <vector>

namespace tandem::text::detail {

/// A set of input classes, each described by the mask of character sets its characters belong to:
/// a class is in the set if its mask has a bit of `any` and no bit of `none` (or always, if `all`).
struct ClassSet {
  std::uint32_t any = 0;
  std::uint32_t none = 0;
  bool all = false;
  bool contains(std::uint32_t mask) const {
    return all || ((mask & any) != 0 && (mask & none) == 0);
  }
};

/// An immutable regular expression; copies share structure.
class Regex {
 public:
  struct Node;
  explicit Regex(std::shared_ptr<const Node> node) : node_(std::move(node)) {}
  const Node& node() const { return *node_; }

 private:
  std::shared_ptr<const Node> node_;
};

Regex any_of(ClassSet set);                     // one character from `set`
Regex seq(std::initializer_list<Regex> parts);  // concatenation
Regex alt(std::initializer_list<Regex> parts);  // alternation
Regex star(const Regex& r);                     // r*
Regex plus(const Regex& r);                     // r+
Regex opt(const Regex& r);                      // r?

/// The compiled automaton. State 0 is the dead state (no match can continue); state 1 is the start.
struct Dfa {
  static constexpr std::uint16_t kDead = 0;
  static constexpr std::uint16_t kStart = 1;
  std::uint32_t num_states = 0;
  std::uint32_t num_classes = 0;
  std::vector<std::uint16_t> next;    // next[state * num_classes + class]
  std::vector<std::int16_t> accepts;  // per state: the rule it accepts with, or -1
};

/// Compiles `rules` (in priority order) over the input classes whose masks are `class_masks`.
/// The result is minimal: no two states accept the same continuations with the same rules.
Dfa compile_rules(const std::vector<Regex>& rules, const std::vector<std::uint32_t>& class_masks);

}  // namespace tandem::text::detail
