#!/usr/bin/env bash
# The quick start: installs the Debian packages tandem needs, builds it, indexes the bundled SciFact
# corpus (5,183 abstracts), runs its 300 test queries with BM25, prints nDCG@10 / R@100 / R@1000
# next to Anserini's published numbers, and shows the hits of one query.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target tandem_cli   # the tool only; scripts/test.sh builds the rest
tandem=build/release/apps/cli/tandem
out=${TANDEM_DEMO_DIR:-out/demo}
mkdir -p "$out"

echo; echo "== tandem index --corpus data/scifact/corpus.jsonl.gz --index $out/scifact"
"$tandem" index --corpus data/scifact/corpus.jsonl.gz --index "$out/scifact" --overwrite
echo; echo "== tandem search (300 test queries, top 1000, Anserini's BM25 settings)"
"$tandem" search --index "$out/scifact" --queries data/scifact/queries.test.tsv \
  --run "$out/scifact.bm25.run" --stats "$out/scifact.bm25.stats.json"
echo; echo "== tandem eval -c (trec_eval's measures and output)"
"$tandem" eval -c -m ndcg_cut.10 -m recall.100,1000 data/scifact/qrels.test.tsv "$out/scifact.bm25.run"
echo "Anserini's published BM25 (beir-v1.0.0-scifact.flat): ndcg_cut_10 0.6789, recall_100 0.9253, recall_1000 0.9767"
query="$(head -n 1 data/scifact/queries.test.tsv | cut -f 2)"
echo; echo "== tandem search --query \"$query\" --k 3"
"$tandem" search --index "$out/scifact" --query "$query" --k 3
