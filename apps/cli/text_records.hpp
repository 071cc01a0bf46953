// Reads the records (id and text) of a corpus or query file for the encode and train commands.
#pragma once

#include <string>
#include <vector>

#include "tandem/core/progress.hpp"

namespace tandem::cli {

struct TextRecords {
  std::vector<std::string> ids;
  std::vector<std::string> texts;
};

/// Reads every non-blank line of `path` (plain or gzipped): JSON (BEIR {"_id","title","text"}:
/// title + " " + text; Anserini {"id","contents"}; queries {"_id","text"} / {"qid","query"}) or
/// TSV `id<TAB>text`. Errors name the file and line.
TextRecords read_text_records(const std::string& path, ProgressSink* progress);

}  // namespace tandem::cli
