#!/usr/bin/python3
"""BM25 vs BM25 + RM3 vs BM25 + Rocchio (Anserini's definitions and defaults) on the shared test
collections.

What it measures: for each collection (../shared/data/<name>: corpus.jsonl, queries.jsonl,
qrels/test.tsv) an index with tandem's defaults (Anserini's analyzer, flat field, stored documents,
which feedback reads), then three runs of 1000 hits, each evaluated by `tandem eval -c` (trec_eval
-c): MAP, nDCG@10, R@100, R@1000:
  * bm25:          tandem search                                  (Anserini -bm25)
  * bm25+rm3:      tandem search --rm3     (fbDocs 10, fbTerms 10, originalQueryWeight 0.5; -rm3)
  * bm25+rocchio:  tandem search --rocchio (top 10 docs / 10 terms, alpha 1, beta 0.75; -rocchio)
and the queries per second of each search on 2 threads (the machine is shared: a rough number).

Usage (see docs/prf.md):
  /usr/bin/python3 bench/macro/prf_eval.py [--collections scifact,nfcorpus,cranfield,npl]
Writes bench/results/prf_eval.json and prints a markdown table.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dense_eval import run  # noqa: E402
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("TANDEM_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))

VARIANTS = {
    "bm25": [],
    "bm25+rm3": ["--rm3"],
    "bm25+rocchio": ["--rocchio"],
}
MEASURES = ["map", "ndcg_cut_10", "recall_100", "recall_1000"]


def evaluate(tandem, qrels, run_path):
    out, _ = run([tandem, "eval", "-c", "-m", "map", "-m", "ndcg_cut.10", "-m", "recall.100,1000",
                  qrels, run_path])
    values = {}
    for line in out.strip().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == "all":
            values[parts[0]] = float(parts[2])
    return {m: values[m] for m in MEASURES}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--collections", default="scifact,nfcorpus,cranfield,npl")
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build", "release", "apps", "cli", "tandem"))
    ap.add_argument("--work", default="/tmp/prf/prf_eval")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "prf_eval.json"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    res = {
        "what": "BM25 vs BM25+RM3 vs BM25+Rocchio, Anserini's definitions and default parameters, "
                "1000 hits, trec_eval -c measures by tandem eval",
        "note": "machine shared with other jobs (2 cores, loaded): qps are rough",
        "tandem_version": run([a.tandem, "--version"])[0].strip(),
        "threads": a.threads,
        "collections": {},
    }
    for name in a.collections.split(","):
        data = os.path.join(SHARED, "data", name)
        corpus, queries = os.path.join(data, "corpus.jsonl"), os.path.join(data, "queries.jsonl")
        qrels = os.path.join(data, "qrels", "test.tsv")
        idx = os.path.join(a.work, name + ".idx")
        index_cmd = [a.tandem, "index", "--corpus", corpus, "--index", idx, "--threads",
                     str(a.threads), "--overwrite", "--quiet"]
        run(index_cmd)
        col = {"corpus": corpus, "queries": queries, "qrels": qrels, "index_command": " ".join(index_cmd),
               "runs": {}}
        for variant, flags in VARIANTS.items():
            run_path = os.path.join(a.work, f"{name}.{variant}.run")
            stats_path = os.path.join(a.work, f"{name}.{variant}.stats.json")
            cmd = [a.tandem, "search", "--index", idx, "--queries", queries, "--run", run_path,
                   "--threads", str(a.threads), "--stats", stats_path, "--quiet"] + flags
            run(cmd)
            with open(stats_path) as f:
                stats = json.load(f)
            col["runs"][variant] = {
                "command": " ".join(cmd),
                "measures": evaluate(a.tandem, qrels, run_path),
                "qps": stats["qps"],
                "latency_p50_us": stats["latency_us"]["p50"],
                "settings": stats["settings"],
            }
            print(f"{name} {variant}: {col['runs'][variant]['measures']} ({stats['qps']:.0f} q/s)",
                  file=sys.stderr)
        res["collections"][name] = col
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(res, f, indent=2)
    print_table(res)
    print(f"\nJSON: {a.out}")


def print_table(res):
    print("| collection | run | MAP | nDCG@10 | R@100 | R@1000 | q/s |")
    print("|---|---|---|---|---|---|---|")
    for name, col in res["collections"].items():
        for variant, r in col["runs"].items():
            m = r["measures"]
            print(f"| {name} | {variant} | {m['map']:.4f} | {m['ndcg_cut_10']:.4f} | "
                  f"{m['recall_100']:.4f} | {m['recall_1000']:.4f} | {r['qps']:.0f} |")


if __name__ == "__main__":
    main()
