#!/usr/bin/python3
"""What a two-leg pipeline costs over its legs run separately (target: at most +10%).

What it measures, on SciFact's 300 test queries, 1 search thread, in one run of this script:
  * BM25 alone: `tandem search --index BM25 --queries Q --run R --stats S --threads 1` (k 1000),
  * dense alone: `tandem search --index LSA --retriever dense-exact --queries QV.npy --query-ids
    QV.ids.txt ... --threads 1` (k 1000; query vectors encoded beforehand by `tandem encode`),
  * the pipeline: both legs (depth 1000 each, the same query vectors from the same file) fused by
    RRF (k 60) and by min-max convex combination, 1000 results, `--threads 1`.
Times are the searchers' own wall_seconds from --stats (index opening and process start-up are
excluded on both sides). Each configuration runs `--repeat` times in interleaved order; the table
gives medians and the ratio pipeline / (BM25 + dense).

Usage:
  /usr/bin/python3 bench/macro/pipeline_overhead.py [--repeat 5]
Writes bench/results/pipeline_overhead.json and prints a markdown table.
"""
import argparse
import json
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dense_eval import COLLECTIONS, ROOT, run  # noqa: E402


def stats_of(cmd, path):
    run(cmd + ["--stats", path, "-q"])
    with open(path) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build/release/apps/cli/tandem"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--work", default="/tmp/pipe/pipeline-overhead")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results/pipeline_overhead.json"))
    a = ap.parse_args()
    c = COLLECTIONS["scifact"]
    w = a.work
    os.makedirs(w, exist_ok=True)
    t = a.tandem
    run([t, "index", "--corpus", c["corpus"], "--index", w + "/bm25", "--overwrite", "-q"])
    model = f"{w}/lsa.model"
    if not os.path.exists(model):
        run([t, "train", "lsa", "--dims", str(a.dims), "--corpus", c["corpus"], "--out", model, "-q"])
    run([t, "encode", "--model", model, "--input", c["corpus"], "--output", w + "/docs.npy", "-q"])
    run([t, "encode", "--model", model, "--input", c["queries"], "--output", w + "/q.npy", "-q"])
    run([t, "index", "--dense", w + "/docs.npy", "--dense-ids", w + "/docs.ids.txt", "--metric", "ip",
         "--index", w + "/lsa", "--overwrite", "-q"])
    legs = [{"kind": "bm25", "index": w + "/bm25", "depth": 1000},
            {"kind": "dense", "index": w + "/lsa", "method": "exact", "depth": 1000,
             "query_vectors": w + "/q.npy", "query_ids": w + "/q.ids.txt"}]
    pipelines = {
        "pipeline rrf": {"k": 1000, "legs": legs, "fusion": {"method": "rrf", "k": 60}},
        "pipeline min-max": {"k": 1000, "legs": legs,
                             "fusion": {"method": "convex", "normalize": "min-max", "alpha": 0.5}},
    }
    cmds = {
        "bm25": [t, "search", "--index", w + "/bm25", "--queries", c["queries"], "--run", w + "/bm25.run",
                 "--threads", "1", "--k", "1000"],
        "dense": [t, "search", "--index", w + "/lsa", "--retriever", "dense-exact", "--queries", w + "/q.npy",
                  "--query-ids", w + "/q.ids.txt", "--run", w + "/dense.run", "--threads", "1", "--k", "1000"],
    }
    for name, spec in pipelines.items():
        p = f"{w}/{name.replace(' ', '-')}.json"
        with open(p, "w") as f:
            json.dump(spec, f, indent=1)
        cmds[name] = [t, "search", "--pipeline", p, "--queries", c["queries"], "--run", w + "/p.run",
                      "--threads", "1"]
    walls = {name: [] for name in cmds}
    stages = {}
    for _ in range(a.repeat):
        for name, cmd in cmds.items():
            s = stats_of(cmd, f"{w}/{name.replace(' ', '-')}.stats.json")
            walls[name].append(s["wall_seconds"])
            if "stages_us" in s:
                stages[name] = s["stages_us"]
    med = {name: statistics.median(v) for name, v in walls.items()}
    legs_sum = med["bm25"] + med["dense"]
    rows = []
    for name in cmds:
        rows.append(dict(config=name, median_wall_seconds=med[name], runs=walls[name],
                         ratio_to_legs=med[name] / legs_sum if name.startswith("pipeline") else None,
                         stages_us=stages.get(name), command=" ".join(["tandem"] + cmds[name][1:])))
    out = {"note": "1 search thread; a shared 2-core machine loaded by other jobs: medians of interleaved "
                   "repeats, read the ratio, not the absolute times",
           "queries": 300, "collection": "scifact", "dense": f"LSA-{a.dims} exact",
           "legs_sum_seconds": legs_sum, "rows": rows}
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)
    print("| run (SciFact, 300 queries, 1 thread) | median wall (s) | / (BM25 + dense) |")
    print("| --- | ---: | ---: |")
    for r in rows:
        ratio = f"{r['ratio_to_legs']:.3f}" if r["ratio_to_legs"] is not None else ""
        print(f"| {r['config']} | {r['median_wall_seconds']:.3f} | {ratio} |")
    print(f"| BM25 + dense (sum) | {legs_sum:.3f} | 1.000 |")


if __name__ == "__main__":
    main()
