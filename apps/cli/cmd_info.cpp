// `tandem info`: what an index holds.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tandem/engine/engine.hpp"

#include "commands.hpp"

namespace tandem::cli {

namespace {

struct InfoArgs {
  std::string index;
  bool json = false;
};

int run_info(const InfoArgs& a) {
  const auto index = engine::Index::open(a.index);
  const std::string info = index.info_json();
  if (a.json) {
    fmt::print("{}\n", info);
    return 0;
  }
  const auto j = nlohmann::json::parse(info);
  fmt::print("index      {}\n", j["index"].get<std::string>());
  fmt::print("documents  {}\n", j["documents"].get<std::uint64_t>());
  fmt::print("size       {:.1f} MB in {} segment{}\n", j["bytes"].get<double>() / (1 << 20),
             j["segments"].size(), j["segments"].size() == 1 ? "" : "s");
  fmt::print("format     version {}, generation {}, written by {}\n",
             j["format_version"].get<int>(), j["generation"].get<std::uint64_t>(),
             j["created_by"].get<std::string>());
  fmt::print("fields     {} (stored documents: {})\n", j["settings"]["fields"].get<std::string>(),
             j["settings"]["store"].get<bool>() ? "yes" : "no");
  fmt::print("analyzer   {}\n", j["settings"]["analyzer"].dump());
  if (j["settings"].contains("dense")) fmt::print("dense      {}\n", j["settings"]["dense"].dump());
  for (const auto& [name, f] : j["fields"].items()) {
    std::uint64_t terms = 0, postings = 0, bytes = 0;
    for (const auto& s : j["segments"]) {
      terms += s["fields"][name]["terms"].get<std::uint64_t>();
      postings += s["fields"][name]["postings"].get<std::uint64_t>();
      bytes += s["fields"][name]["postings_bytes"].get<std::uint64_t>();
    }
    fmt::print(
        "field {:<10} {} documents with terms, {} tokens (avg {:.2f}), {} terms, {} postings, "
        "{:.2f} bytes/posting\n",
        name, f["doc_count"].get<std::uint64_t>(), f["sum_total_term_freq"].get<std::uint64_t>(),
        f["avgdl"].get<double>(), terms, postings,
        postings > 0 ? static_cast<double>(bytes) / static_cast<double>(postings) : 0.0);
  }
  // The sparse field and its approximate index, per segment.
  for (const auto& s : j["segments"]) {
    if (!s.contains("sparse")) continue;
    const auto& f = s["fields"]["vector"];
    const auto docs = f["doc_count"].get<std::uint64_t>();
    const auto postings = f["postings"].get<std::uint64_t>();
    fmt::print(
        "sparse     {}: {} documents with a vector, {} dimensions, {} non-zeros (avg {:.1f}), "
        "{:.2f} bytes/posting, impacts {} (scale {})\n",
        s["name"].get<std::string>(), docs, f["terms"].get<std::uint64_t>(), postings,
        docs > 0 ? static_cast<double>(postings) / static_cast<double>(docs) : 0.0,
        f["bytes_per_posting"].get<double>(), s["sparse"]["quantization"].get<std::string>(),
        s["sparse"]["impact_scale"].get<double>());
    if (s.contains("sparse_approx")) {
      const auto& approx = s["sparse_approx"];
      fmt::print(
          "approx     {}: {} ({:.1f} MB, layout {}): n_postings {}, centroid_fraction {}, "
          "summary_energy {}, {} blocks, {} postings, {} summary entries\n",
          s["name"].get<std::string>(), approx["file"].get<std::string>(),
          approx["bytes"].get<double>() / (1 << 20), approx["layout_version"].get<int>(),
          approx["n_postings"].get<std::uint64_t>(), approx["centroid_fraction"].get<double>(),
          approx["summary_energy"].get<double>(), approx["blocks"].get<std::uint64_t>(),
          approx["postings"].get<std::uint64_t>(), approx["summary_entries"].get<std::uint64_t>());
    } else {
      fmt::print("approx     {}: none (tandem index --sparse-approx builds one)\n",
                 s["name"].get<std::string>());
    }
  }
  return 0;
}

}  // namespace

void add_info_command(CLI::App& app, Action& run) {
  auto a = std::make_shared<InfoArgs>();
  auto* cmd = app.add_subcommand(
      "info", "Show what an index holds: documents, fields, statistics, settings, size");
  cmd->add_option("--index", a->index, "Index directory")->required();
  cmd->add_flag("--json", a->json, "Print as JSON");
  cmd->callback([&run, a] { run = [a] { return run_info(*a); }; });
}

}  // namespace tandem::cli
