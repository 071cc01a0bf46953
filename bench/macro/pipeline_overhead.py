#!/usr/bin/python3
"""What a two-leg pipeline costs over its legs run separately (target: at most +10%).

What it measures, on SciFact's 300 test queries, 1 search thread, in one run of this script, for
two layouts of the same data:
  * "two indexes": a BM25 index (`tandem index --corpus`) and a dense-only index (`tandem index
    --dense`), the layout of docs/pipelines.md's first example; fusion matches documents by id;
  * "one index": one index holding the text and the dense field (`tandem index --corpus C --dense
    V --dense-ids I`); fusion matches documents by location;
  * "two indexes, by id": as "two indexes", but the dense index is built from the first half of
    the vectors and `tandem add` adds the rest as a second segment, so documents sit at other
    locations than in the BM25 index and fusion matches them by id (hashing ids, and every leg
    looks up the ids of all its hits);
and in each
  * BM25 alone: `tandem search --index BM25 --queries Q --run R --stats S --threads 1` (k 1000),
  * dense alone: `tandem search --index LSA --retriever dense-exact --queries QV.npy --query-ids
    QV.ids.txt ... --threads 1` (k 1000; query vectors encoded beforehand by `tandem encode`),
  * the pipeline: both legs (depth 1000 each, the same query vectors from the same file) fused by
    RRF (k 60) and by min-max convex combination, 1000 results, `--threads 1`.
Times are the searchers' own wall_seconds from --stats (index opening and process start-up are
excluded on both sides). Each configuration runs `--repeat` times in interleaved order; the table
gives the median and the minimum of each, and the ratio pipeline / (BM25 + dense) of the same layout
for both. On a shared machine other work only ever adds time, so the minimum over many repeats is the
steadier estimate of what a run costs; the median shows how noisy the machine was.

Usage:
  /usr/bin/python3 bench/macro/pipeline_overhead.py [--repeat 15]
Writes bench/results/pipeline_overhead.json and prints a markdown table.
"""
import argparse
import json
import os
import statistics
import sys

import numpy as np

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
    ap.add_argument("--repeat", type=int, default=15)
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
    run([t, "index", "--corpus", c["corpus"], "--dense", w + "/docs.npy", "--dense-ids", w + "/docs.ids.txt",
         "--metric", "ip", "--index", w + "/both", "--overwrite", "-q"])
    # The dense index in two segments: rows [0, n/2) indexed, the rest added.
    docs = np.load(w + "/docs.npy")
    with open(w + "/docs.ids.txt") as f:
        doc_ids = f.read().split("\n")[: len(docs)]
    half = len(docs) // 2
    for part, rows in (("a", slice(0, half)), ("b", slice(half, len(docs)))):
        np.save(f"{w}/docs.{part}.npy", docs[rows])
        with open(f"{w}/docs.{part}.ids.txt", "w") as f:
            f.write("\n".join(doc_ids[rows]) + "\n")
    run([t, "index", "--dense", w + "/docs.a.npy", "--dense-ids", w + "/docs.a.ids.txt", "--metric", "ip",
         "--index", w + "/lsa2", "--overwrite", "-q"])
    run([t, "add", "--dense", w + "/docs.b.npy", "--dense-ids", w + "/docs.b.ids.txt", "--no-auto-merge",
         "--index", w + "/lsa2", "-q"])
    layouts = {"two indexes": (w + "/bm25", w + "/lsa"), "one index": (w + "/both", w + "/both"),
               "two indexes, by id": (w + "/bm25", w + "/lsa2")}
    cmds = {}
    for layout, (text_index, dense_index) in layouts.items():
        tag = layout.replace(" ", "-").replace(",", "")
        cmds[f"{layout}: bm25"] = [
            t, "search", "--index", text_index, "--queries", c["queries"], "--run", w + "/bm25.run",
            "--threads", "1", "--k", "1000"]
        cmds[f"{layout}: dense"] = [
            t, "search", "--index", dense_index, "--retriever", "dense-exact", "--queries", w + "/q.npy",
            "--query-ids", w + "/q.ids.txt", "--run", w + "/dense.run", "--threads", "1", "--k", "1000"]
        legs = [{"kind": "bm25", "index": text_index, "depth": 1000},
                {"kind": "dense", "index": dense_index, "method": "exact", "depth": 1000,
                 "query_vectors": w + "/q.npy", "query_ids": w + "/q.ids.txt"}]
        pipelines = {
            "pipeline rrf": {"k": 1000, "legs": legs, "fusion": {"method": "rrf", "k": 60}},
            "pipeline min-max": {"k": 1000, "legs": legs,
                                 "fusion": {"method": "convex", "normalize": "min-max", "alpha": 0.5}},
        }
        for name, spec in pipelines.items():
            p = f"{w}/{tag}-{name.replace(' ', '-')}.json"
            with open(p, "w") as f:
                json.dump(spec, f, indent=1)
            cmds[f"{layout}: {name}"] = [t, "search", "--pipeline", p, "--queries", c["queries"], "--run",
                                         w + "/p.run", "--threads", "1"]
    walls = {name: [] for name in cmds}
    stages = {}
    for _ in range(a.repeat):
        for name, cmd in cmds.items():
            s = stats_of(cmd, f"{w}/{name.replace(' ', '-').replace(':', '').replace(',', '')}.stats.json")
            walls[name].append(s["wall_seconds"])
            if "stages_us" in s:
                stages[name] = s["stages_us"]
    med = {name: statistics.median(v) for name, v in walls.items()}
    low = {name: min(v) for name, v in walls.items()}
    legs_sum = {layout: med[f"{layout}: bm25"] + med[f"{layout}: dense"] for layout in layouts}
    legs_min = {layout: low[f"{layout}: bm25"] + low[f"{layout}: dense"] for layout in layouts}
    rows = []
    for name in cmds:
        layout = name.split(":")[0]
        pipe = "pipeline" in name
        rows.append(dict(config=name, median_wall_seconds=med[name], min_wall_seconds=low[name],
                         runs=walls[name],
                         ratio_to_legs=med[name] / legs_sum[layout] if pipe else None,
                         ratio_to_legs_min=low[name] / legs_min[layout] if pipe else None,
                         stages_us=stages.get(name), command=" ".join(["tandem"] + cmds[name][1:])))
    out = {"note": "1 search thread; medians of interleaved repeats: read the ratio, not the absolute times",
           "queries": 300, "collection": "scifact", "dense": f"LSA-{a.dims} exact",
           "repeat": a.repeat, "legs_sum_seconds": legs_sum, "legs_sum_min_seconds": legs_min,
           "rows": rows}
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)
    print(f"| run (SciFact, 300 queries, 1 thread, {a.repeat} repeats) | median wall (s) | min wall (s) "
          "| / (BM25 + dense), medians | / (BM25 + dense), minima |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for r in rows:
        ratio = f"{r['ratio_to_legs']:.3f}" if r["ratio_to_legs"] is not None else ""
        ratio_min = f"{r['ratio_to_legs_min']:.3f}" if r["ratio_to_legs_min"] is not None else ""
        print(f"| {r['config']} | {r['median_wall_seconds']:.3f} | {r['min_wall_seconds']:.3f} | {ratio} "
              f"| {ratio_min} |")
    for layout in layouts:
        print(f"| {layout}: BM25 + dense (sum) | {legs_sum[layout]:.3f} | {legs_min[layout]:.3f} | 1.000 | 1.000 |")

if __name__ == "__main__":
    main()
