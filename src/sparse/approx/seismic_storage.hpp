// The owned arrays of a freshly built approximate index (SeismicArrays views them).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <malloc.h>

#include "tandem/sparse/approx/seismic_index.hpp"

namespace tandem::sparse::approx {

struct SeismicStorage {
  ForwardVectors forward;
  std::vector<std::uint64_t> list_blocks;
  std::vector<std::uint64_t> block_doc_starts;
  std::vector<float> block_steps;
  std::vector<DocId> block_docs;
  std::vector<std::uint64_t> list_components;
  std::vector<TermId> component_terms;
  std::vector<std::uint64_t> component_starts;
  std::vector<std::uint16_t> entry_blocks;
  std::vector<std::uint8_t> entry_codes;

  /// Concatenates per-term lists (indexed by TermId), releasing each once copied. `Lists` is a
  /// vector of ListBuild (seismic_index.cpp).
  template <typename Lists>
  void concatenate(Lists& lists) {
    std::uint64_t blocks = 0, docs = 0, comps = 0, entries = 0;
    for (const auto& l : lists) {
      blocks += l.block_doc_counts.size();
      docs += l.docs.size();
      comps += l.component_terms.size();
      entries += l.entry_codes.size();
    }
    list_blocks.assign(1, 0);
    list_components.assign(1, 0);
    block_doc_starts.assign(1, 0);
    component_starts.assign(1, 0);
    list_blocks.reserve(lists.size() + 1);
    list_components.reserve(lists.size() + 1);
    block_doc_starts.reserve(blocks + 1);
    block_steps.reserve(blocks);
    block_docs.reserve(docs);
    component_terms.reserve(comps);
    component_starts.reserve(comps + 1);
    entry_blocks.reserve(entries);
    entry_codes.reserve(entries);
    std::size_t copied = 0;
    for (auto& l : lists) {
      for (const std::uint32_t n : l.block_doc_counts)
        block_doc_starts.push_back(block_doc_starts.back() + n);
      block_steps.insert(block_steps.end(), l.steps.begin(), l.steps.end());
      block_docs.insert(block_docs.end(), l.docs.begin(), l.docs.end());
      component_terms.insert(component_terms.end(), l.component_terms.begin(),
                             l.component_terms.end());
      for (const std::uint32_t n : l.component_counts)
        component_starts.push_back(component_starts.back() + n);
      entry_blocks.insert(entry_blocks.end(), l.entry_blocks.begin(), l.entry_blocks.end());
      entry_codes.insert(entry_codes.end(), l.entry_codes.begin(), l.entry_codes.end());
      list_blocks.push_back(block_steps.size());
      list_components.push_back(component_terms.size());
      l = {};
      // The lists' many small blocks do not go back to the system by themselves: without this
      // the lists and the concatenated arrays would be held together at the peak.
      if (++copied % 1024 == 0) malloc_trim(0);
    }
    malloc_trim(0);
  }

  SeismicArrays arrays() const {
    SeismicArrays a;
    a.num_terms = forward.num_terms;
    a.num_docs = forward.num_docs();
    a.float_impacts = forward.float_impacts;
    a.doc_starts = forward.doc_starts;
    a.doc_terms = forward.terms;
    a.doc_impacts = forward.impacts;
    a.list_blocks = list_blocks;
    a.block_doc_starts = block_doc_starts;
    a.block_steps = block_steps;
    a.block_docs = block_docs;
    a.list_components = list_components;
    a.component_terms = component_terms;
    a.component_starts = component_starts;
    a.entry_blocks = entry_blocks;
    a.entry_codes = entry_codes;
    return a;
  }
};

}  // namespace tandem::sparse::approx
