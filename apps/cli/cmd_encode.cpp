// `tandem encode`: turns a corpus or a query file into vectors with a model — a trained GloVe-SIF
// or LSA model file (over text), or a BERT model folder (over text, tokenised with WordPiece, or
// over pre-tokenised ids) with a dense pooling or the SPLADE head — and writes them in the formats
// the index ingests: JSONL {"id","vector":[...]} or .npy for dense vectors, Anserini's
// JsonVectorCollection {"id","vector":{"token":weight}} for sparse ones.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tandem/core/error.hpp"
#include "tandem/core/parallel.hpp"
#include "tandem/encode/bert_model.hpp"
#include "tandem/encode/text_encoder.hpp"
#include "tandem/io/line_reader.hpp"
#include "tandem/io/text_file_writer.hpp"
#include "tandem/text/wordpiece.hpp"

#include "commands.hpp"
#include "terminal_progress.hpp"
#include "text_records.hpp"

namespace tandem::cli {

namespace {

struct EncodeArgs {
  std::string model;
  std::string input;
  std::string output;
  std::string format = "auto";
  unsigned threads = 0;
  std::size_t batch_size = 32;
  std::string head = "mean";
  bool normalize = false;
  std::string activation = "log1p_relu";
  std::size_t top_k = 0;
  std::string vocab;
  std::size_t max_length = 0;
  std::string gemm = "blas";
  std::string stats;
  bool quiet = false;
};

constexpr std::size_t kWindow = 4096;  // records encoded between two writes

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  out += '"';
}

// Writes vectors as JSONL, or as .npy (float32 [n, dims]) plus the ids, one per line, in
// <stem>.ids.txt. Every file appears only when commit() succeeds.
class VectorWriter {
 public:
  VectorWriter(const std::string& path, bool npy, std::size_t count, std::size_t dims)
      : npy_(npy), out_(path) {
    if (!npy_) return;
    ids_ = std::make_unique<io::TextFileWriter>(
        std::filesystem::path(path).replace_extension(".ids.txt"));
    std::string header =
        fmt::format("{{'descr': '<f4', 'fortran_order': False, 'shape': ({}, {}), }}", count, dims);
    const std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::string preamble = "\x93NUMPY";
    preamble += '\x01';
    preamble += '\x00';
    preamble += static_cast<char>(header.size() & 0xff);
    preamble += static_cast<char>(header.size() >> 8);
    out_.write(preamble + header);
  }

  void dense(std::string_view id, std::span<const float> v) {
    if (npy_) {
      out_.write(std::string_view(reinterpret_cast<const char*>(v.data()), v.size_bytes()));
      line_.assign(id);
      line_ += '\n';
      ids_->write(line_);
      return;
    }
    line_ = "{\"id\":";
    append_json_string(line_, id);
    line_ += ",\"vector\":[";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) line_ += ',';
      fmt::format_to(std::back_inserter(line_), "{}", v[i]);
    }
    line_ += "]}\n";
    out_.write(line_);
  }

  void sparse(std::string_view id, const encode::SparseVector& v,
              const std::vector<std::string>& vocab) {
    line_ = "{\"id\":";
    append_json_string(line_, id);
    line_ += ",\"vector\":{";
    for (std::size_t i = 0; i < v.ids.size(); ++i) {
      if (i > 0) line_ += ',';
      if (v.ids[i] < vocab.size()) {
        append_json_string(line_, vocab[v.ids[i]]);
      } else {
        fmt::format_to(std::back_inserter(line_), "\"{}\"", v.ids[i]);
      }
      fmt::format_to(std::back_inserter(line_), ":{}", v.weights[i]);
    }
    line_ += "}}\n";
    out_.write(line_);
  }

  void commit() {
    out_.commit();
    if (ids_) ids_->commit();
  }

 private:
  bool npy_;
  io::TextFileWriter out_;
  std::unique_ptr<io::TextFileWriter> ids_;
  std::string line_;
};

struct Stats {
  std::size_t records = 0;
  std::size_t tokens = 0;
  double read_seconds = 0;
  double encode_seconds = 0;
  double encode_cpu_seconds = 0;  // process CPU time (all threads) while encoding
};

double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool wants_npy(const EncodeArgs& a) {
  if (a.format == "npy") return true;
  if (a.format == "jsonl") return false;
  return a.output.ends_with(".npy");
}

Stats encode_texts(const EncodeArgs& a, const encode::TextEncoder& model, unsigned threads,
                   ProgressSink& progress) {
  Stats stats;
  auto start = std::chrono::steady_clock::now();
  const TextRecords records = read_text_records(a.input, &progress);
  stats.read_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  const std::size_t dims = model.dims();
  VectorWriter writer(a.output, wants_npy(a), records.ids.size(), dims);
  std::vector<float> vectors(kWindow * dims);
  std::vector<std::size_t> tokens(kWindow);
  for (std::size_t first = 0; first < records.ids.size(); first += kWindow) {
    const std::size_t n = std::min(kWindow, records.ids.size() - first);
    parallel_for(
        n, threads,
        [&](std::size_t i, unsigned) {
          tokens[i] = model.encode(records.texts[first + i],
                                   std::span<float>(vectors.data() + i * dims, dims));
        },
        16);
    for (std::size_t i = 0; i < n; ++i) {
      writer.dense(records.ids[first + i], std::span<const float>(vectors.data() + i * dims, dims));
      stats.tokens += tokens[i];
    }
    progress.update("encoding", first + n, records.ids.size());
  }
  progress.finish("encoding");
  writer.commit();
  stats.records = records.ids.size();
  stats.encode_seconds = seconds_since(start);
  stats.encode_cpu_seconds = cpu_seconds() - cpu_start;
  return stats;
}

// BERT input: either pre-tokenised sequences (input_ids, type_ids) or texts to tokenise.
struct TokenRecords {
  std::vector<std::string> ids;
  std::vector<std::vector<std::uint32_t>> input_ids;
  std::vector<std::vector<std::uint32_t>> type_ids;
  std::vector<std::string> texts;
};

// True if the first non-blank line of `path` is a JSON object with "input_ids" (pre-tokenised
// input); anything else (corpus JSONL, queries TSV/JSONL) is text.
bool has_token_ids(const std::string& path) {
  io::LineReader reader(path);
  std::string_view line;
  while (reader.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    return j.is_object() && j.contains("input_ids");
  }
  return false;
}

// Turns text into [CLS] pieces... [SEP], at most `max_length` ids: the pieces past max_length - 2
// are dropped (Hugging Face's truncation of a single sequence).
struct TextTokenizer {
  text::WordPieceTokenizer wordpiece;
  std::uint32_t cls = 0, sep = 0;
  std::size_t max_length = 0;

  void tokenize(std::string_view text, std::vector<std::uint32_t>& ids) const {
    ids.clear();
    ids.push_back(cls);
    wordpiece.encode(text, ids);
    if (ids.size() > max_length - 1) ids.resize(max_length - 1);
    ids.push_back(sep);
  }
};

TextTokenizer load_text_tokenizer(const EncodeArgs& a, const std::filesystem::path& dir,
                                  const encode::BertConfig& config) {
  const std::filesystem::path path =
      a.vocab.empty() ? dir / "vocab.txt" : std::filesystem::path(a.vocab);
  if (!std::filesystem::exists(path)) {
    fail(ErrorKind::not_found,
         "{}: no such file; BERT over text needs the model's WordPiece vocabulary "
         "(--vocab FILE, default vocab.txt in the model folder)",
         path.string());
  }
  TextTokenizer t{text::WordPieceTokenizer::from_file(path), 0, 0, 0};
  const auto cls = t.wordpiece.id("[CLS]"), sep = t.wordpiece.id("[SEP]");
  if (!cls || !sep) {
    fail(ErrorKind::invalid_argument, "{}: the vocabulary has no [CLS] or no [SEP] token",
         path.string());
  }
  if (t.wordpiece.size() > config.vocab_size) {
    fail(ErrorKind::invalid_argument,
         "{}: {} tokens, more than the model's vocab_size {} (config.json)", path.string(),
         t.wordpiece.size(), config.vocab_size);
  }
  t.cls = *cls;
  t.sep = *sep;
  t.max_length = a.max_length == 0 ? config.max_position_embeddings : a.max_length;
  if (t.max_length < 2 || t.max_length > config.max_position_embeddings) {
    fail(ErrorKind::invalid_argument,
         "--max-length {}: must be between 2 and the model's max_position_embeddings ({})",
         t.max_length, config.max_position_embeddings);
  }
  return t;
}

// Pre-tokenised input: JSONL {"id": ..., "input_ids": [...], "token_type_ids": [...]?}.
TokenRecords read_token_records(const std::string& path) {
  io::LineReader reader(path);
  TokenRecords out;
  std::string_view line;
  while (reader.next(line)) {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    const auto where = fmt::format("{}:{}", path, reader.line_number());
    try {
      const auto j = nlohmann::json::parse(line);
      const auto& id = j.contains("id") ? j.at("id") : j.at("_id");
      out.ids.push_back(id.is_string() ? id.get<std::string>() : id.dump());
      out.input_ids.push_back(j.at("input_ids").get<std::vector<std::uint32_t>>());
      out.type_ids.push_back(j.contains("token_type_ids")
                                 ? j.at("token_type_ids").get<std::vector<std::uint32_t>>()
                                 : std::vector<std::uint32_t>{});
    } catch (const nlohmann::json::exception& e) {
      fail(ErrorKind::invalid_argument,
           "{}: expected {{\"id\", \"input_ids\": [...]}} with non-negative integer ids ({})",
           where, e.what());
    }
  }
  return out;
}

std::vector<std::string> read_vocab(const std::string& path) {
  std::vector<std::string> vocab;
  if (path.empty()) return vocab;
  std::ifstream in(path);
  if (!in) fail(ErrorKind::not_found, "{}: cannot read the vocabulary", path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    vocab.push_back(line);
  }
  return vocab;
}

Stats encode_tokens(const EncodeArgs& a, const std::filesystem::path& dir, unsigned threads,
                    ProgressSink& progress) {
  const bool splade = a.head == "splade";
  if (splade && wants_npy(a))
    fail(ErrorKind::invalid_argument,
         "SPLADE vectors are sparse: "
         "write them as JSONL, not .npy");
  const auto model = encode::BertModel::load(
      dir, {.gemm = a.gemm == "loop" ? encode::GemmBackend::loop : encode::GemmBackend::blas,
            .mlm_head = splade});
  const bool text_input = !has_token_ids(a.input);
  std::optional<TextTokenizer> tokenizer;
  std::vector<std::string> vocab;  // SPLADE keys
  if (text_input) {
    tokenizer = load_text_tokenizer(a, dir, model.config());
    if (splade) {
      for (std::uint32_t id = 0; id < tokenizer->wordpiece.size(); ++id) {
        vocab.emplace_back(tokenizer->wordpiece.token(id));
      }
    }
  } else {
    std::string vocab_path = a.vocab;
    if (vocab_path.empty() && std::filesystem::exists(dir / "vocab.txt")) {
      vocab_path = (dir / "vocab.txt").string();
    }
    vocab = read_vocab(vocab_path);
  }
  const encode::SpladeOptions splade_options{
      .activation = a.activation == "log1p_log1p_relu" ? encode::SpladeActivation::log1p_log1p_relu
                                                       : encode::SpladeActivation::log1p_relu,
      .top_k = a.top_k};
  const auto pooling = a.head == "cls" ? encode::Pooling::cls : encode::Pooling::mean;

  Stats stats;
  auto start = std::chrono::steady_clock::now();
  TokenRecords records;
  if (text_input) {
    TextRecords texts = read_text_records(a.input, &progress);
    records.ids = std::move(texts.ids);
    records.texts = std::move(texts.texts);
  } else {
    records = read_token_records(a.input);
  }
  stats.read_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  const std::size_t n = records.ids.size(), dims = model.config().hidden_size;
  const std::size_t batch = std::max<std::size_t>(1, a.batch_size);
  VectorWriter writer(a.output, wants_npy(a), n, dims);
  std::vector<float> dense(kWindow * dims);
  std::vector<encode::SparseVector> sparse(kWindow);
  std::vector<std::size_t> lengths(kWindow);
  for (std::size_t first = 0; first < n; first += kWindow) {
    const std::size_t count = std::min(kWindow, n - first);
    parallel_for((count + batch - 1) / batch, threads, [&](std::size_t chunk, unsigned) {
      const std::size_t begin = chunk * batch, end = std::min(count, begin + batch);
      std::vector<std::vector<std::uint32_t>> tokenized(text_input ? end - begin : 0);
      std::vector<encode::TokenSequence> sequences;
      for (std::size_t i = begin; i < end; ++i) {
        if (text_input) {
          auto& ids = tokenized[i - begin];
          tokenizer->tokenize(records.texts[first + i], ids);
          sequences.push_back({ids, {}});
        } else {
          sequences.push_back({records.input_ids[first + i], records.type_ids[first + i]});
        }
        lengths[i] = sequences.back().ids.size();
      }
      encode::HiddenStates hidden;
      try {
        hidden = model.encode(sequences);
      } catch (const Error& e) {
        fail(e.kind(), "{}: batch from record {} ('{}'): {}", a.input, first + begin + 1,
             records.ids[first + begin], e.what());
      }
      if (splade) {
        auto vectors = model.splade(hidden, splade_options);
        for (std::size_t i = begin; i < end; ++i) sparse[i] = std::move(vectors[i - begin]);
      } else {
        const auto pooled = encode::BertModel::pool(hidden, pooling, a.normalize);
        std::copy(pooled.begin(), pooled.end(),
                  dense.begin() + static_cast<std::ptrdiff_t>(begin * dims));
      }
    });
    for (std::size_t i = 0; i < count; ++i) {
      if (splade) {
        writer.sparse(records.ids[first + i], sparse[i], vocab);
      } else {
        writer.dense(records.ids[first + i], std::span<const float>(dense.data() + i * dims, dims));
      }
      stats.tokens += lengths[i];
    }
    progress.update("encoding", first + count, n);
  }
  progress.finish("encoding");
  writer.commit();
  stats.records = n;
  stats.encode_seconds = seconds_since(start);
  stats.encode_cpu_seconds = cpu_seconds() - cpu_start;
  return stats;
}

int run_encode(const EncodeArgs& a) {
  const unsigned threads = resolve_threads(a.threads);
  // Threads go to whole batches; each sgemm then runs on one core.
  encode::set_blas_threads(1);
  TerminalProgress progress;
  std::string spec = a.model, kind;
  for (const char* prefix : {"glove:", "sif:", "lsa:", "bert:"}) {
    if (spec.starts_with(prefix)) {
      kind = std::string(prefix, std::strlen(prefix) - 1);
      spec = spec.substr(kind.size() + 1);
    }
  }
  const auto load_start = std::chrono::steady_clock::now();
  Stats stats;
  std::string model_kind;
  double load_seconds = 0;
  if (kind == "bert" || (kind.empty() && std::filesystem::is_directory(spec))) {
    model_kind = a.head == "splade" ? "bert-splade" : "bert-" + a.head;
    stats = encode_tokens(a, spec, threads, progress);
  } else {
    const auto model = encode::load_text_encoder(spec);
    load_seconds = seconds_since(load_start);
    if ((kind == "glove" || kind == "sif") && model->kind() != "glove-sif") {
      fail(ErrorKind::invalid_argument, "{}: a {} model, not glove-sif", spec, model->kind());
    }
    if (kind == "lsa" && model->kind() != "lsa") {
      fail(ErrorKind::invalid_argument, "{}: a {} model, not lsa", spec, model->kind());
    }
    model_kind = std::string(model->kind());
    stats = encode_texts(a, *model, threads, progress);
  }
  const double docs_per_s =
      static_cast<double>(stats.records) / std::max(stats.encode_seconds, 1e-9);
  const double tokens_per_s =
      static_cast<double>(stats.tokens) / std::max(stats.encode_seconds, 1e-9);
  if (!a.quiet) {
    fmt::print(
        stderr,
        "encoded {} records ({} tokens) with {} on {} threads in {:.2f} s: {:.1f} records/s, "
        "{:.0f} tokens/s -> {}\n",
        stats.records, stats.tokens, model_kind, threads, stats.encode_seconds, docs_per_s,
        tokens_per_s, a.output);
  }
  if (!a.stats.empty()) {
    const nlohmann::json j = {
        {"model", model_kind},
        {"records", stats.records},
        {"tokens", stats.tokens},
        {"threads", threads},
        {"gemm", a.gemm},
        {"batch_size", a.batch_size},
        {"load_seconds", load_seconds},
        {"read_seconds", stats.read_seconds},
        {"encode_seconds", stats.encode_seconds},
        {"encode_cpu_seconds", stats.encode_cpu_seconds},
        {"tokens_per_cpu_second",
         static_cast<double>(stats.tokens) / std::max(stats.encode_cpu_seconds, 1e-9)},
        {"records_per_second", docs_per_s},
        {"tokens_per_second", tokens_per_s}};
    io::TextFileWriter out(a.stats);
    out.write(j.dump(1) + "\n");
    out.commit();
  }
  return 0;
}

}  // namespace

void add_encode_command(CLI::App& app, Action& run) {
  auto a = std::make_shared<EncodeArgs>();
  auto* cmd = app.add_subcommand(
      "encode", "Turn a corpus or query file into dense or sparse vectors with a model.");
  cmd->description(
      "Turn a corpus or query file into vectors with a model, in the formats the index ingests.\n\n"
      "Models (--model):\n"
      "  glove:FILE / lsa:FILE / FILE  a model file made by `tandem train sif|lsa` (over text;\n"
      "        input: corpus JSONL, BEIR or Anserini, or queries TSV/JSONL). Vectors have unit\n"
      "        length, so inner product = cosine.\n"
      "  bert:DIR / DIR  a Hugging Face BERT folder (config.json + model.safetensors [+ "
      "vocab.txt])\n"
      "        over text (the same inputs; tokenised with BERT's uncased WordPiece and the\n"
      "        vocabulary of --vocab, default DIR/vocab.txt, as [CLS] ... [SEP], truncated to\n"
      "        --max-length tokens) or over pre-tokenised JSONL {\"id\", \"input_ids\": [...],\n"
      "        \"token_type_ids\"?} with [CLS] ... [SEP] included (used as given). --head\n"
      "        cls|mean gives dense vectors, --head splade sparse ones over the vocabulary\n"
      "        (keys: vocab.txt tokens, else the ids).\n\n"
      "Output (--output): .npy (float32 [n, dims], ids in <stem>.ids.txt) or JSONL\n"
      "{\"id\",\"vector\":[...]}; sparse vectors as Anserini's JsonVectorCollection\n"
      "{\"id\",\"vector\":{\"token\":weight}}. Written atomically.");
  cmd->footer(
      "\nExamples:\n"
      "  tandem train lsa --corpus data/scifact/corpus.jsonl.gz --out scifact.lsa\n"
      "  tandem encode --model lsa:scifact.lsa --input data/scifact/corpus.jsonl.gz --output "
      "d.npy\n"
      "  tandem encode --model ../shared/models/tiny-random-bert --head splade --top-k 128 \\\n"
      "      --vocab ../shared/models/bert-base-uncased-vocab/vocab.txt \\\n"
      "      --input data/scifact/queries.test.tsv --output s.jsonl");
  cmd->add_option("--model,-m", a->model, "glove:FILE, lsa:FILE, bert:DIR, or a file / folder")
      ->required();
  cmd->add_option("--input,-i", a->input, "Corpus or queries (plain or gzipped)")->required();
  cmd->add_option("--output,-o", a->output, "Vector file to write (.jsonl or .npy)")->required();
  cmd->add_option("--format", a->format, "auto (by the output's name), jsonl or npy")
      ->check(CLI::IsMember({"auto", "jsonl", "npy"}))
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "Encoding threads (0 = all cores)");
  cmd->add_option("--batch-size", a->batch_size, "BERT: sequences per forward pass")
      ->capture_default_str();
  cmd->add_option("--head", a->head, "BERT: cls, mean (dense) or splade (sparse)")
      ->check(CLI::IsMember({"cls", "mean", "splade"}))
      ->capture_default_str();
  cmd->add_flag("--normalize", a->normalize, "BERT dense: L2-normalise the pooled vectors");
  cmd->add_option("--activation", a->activation,
                  "SPLADE: log1p_relu (log(1+ReLU)) or log1p_log1p_relu")
      ->check(CLI::IsMember({"log1p_relu", "log1p_log1p_relu"}))
      ->capture_default_str();
  cmd->add_option("--top-k", a->top_k, "SPLADE: keep the k largest weights (0 = all)")
      ->capture_default_str();
  cmd->add_option("--vocab", a->vocab,
                  "BERT: vocab.txt for tokenising text and naming SPLADE's dimensions "
                  "(default: DIR/vocab.txt)");
  cmd->add_option("--max-length", a->max_length,
                  "BERT over text: at most this many tokens, [CLS] and [SEP] included; longer "
                  "texts are truncated (0 = the model's max_position_embeddings)")
      ->capture_default_str();
  cmd->add_option("--gemm", a->gemm, "BERT: blas (OpenBLAS) or loop (plain loops, for comparison)")
      ->check(CLI::IsMember({"blas", "loop"}))
      ->capture_default_str();
  cmd->add_option("--stats", a->stats,
                  "Write timings as JSON (records, tokens, seconds, records/s, tokens/s)");
  cmd->add_flag("--quiet,-q", a->quiet, "Print nothing");
  cmd->callback([&run, a] { run = [a] { return run_encode(*a); }; });
}

}  // namespace tandem::cli
