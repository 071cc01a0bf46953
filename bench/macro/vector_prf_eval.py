#!/usr/bin/python3
"""Vector pseudo-relevance feedback for a dense leg (docs/prf.md), alone and interpolated with BM25.

What it measures, on SciFact and NFCorpus (the same collections, indexes and LSA-512 leg as
bench/macro/pipeline_eval.py, whose preparation this script reuses): nDCG@10 and R@100
(trec_eval -c, by `tandem eval`) of one `tandem search --pipeline FILE` per row:
  * the dense leg alone, then with `vector-average` (k 3) and `vector-rocchio` (alpha 0.9,
    beta 0.1, k 3) feedback (Li et al., TOIS 2023, as Pyserini implements them);
  * BM25 + the dense leg fused by min-max (alpha 0.5, fixed beforehand, not tuned on these
    queries), then with each feedback stage in the three places of Li et al., SIGIR 2022:
    "after"   feedback documents from the dense leg's own list, the new list fused with BM25 again;
    "before"  feedback documents from the fused list, the new list alone;
    "both"    feedback documents from the fused list, the new list fused with BM25 again.
Every leg 1000 deep, 1000 results.

Usage (see docs/prf.md):
  /usr/bin/python3 bench/macro/vector_prf_eval.py [--collections scifact,nfcorpus] [--threads 2]
Writes bench/results/vector_prf_eval.json and prints a markdown table.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dense_eval import ROOT  # noqa: E402
from pipeline_eval import collection, leg, prepare, search  # noqa: E402

STAGES = {
    "average": {"kind": "vector-average", "fb_docs": 3},
    "rocchio": {"kind": "vector-rocchio", "fb_docs": 3, "alpha": 0.9, "beta": 0.1},
}
PLACES = {"after": ("leg", True), "before": ("fused", False), "both": ("fused", True)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build/release/apps/cli/tandem"))
    ap.add_argument("--collections", default="scifact,nfcorpus")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", default="/tmp/pipe/pipeline-eval")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results/vector_prf_eval.json"))
    a = ap.parse_args()
    results = []
    for name in a.collections.split(","):
        w = os.path.join(a.work, name)
        os.makedirs(w, exist_ok=True)
        c = collection(name, w)
        legs = prepare(a, name, c, w)
        dense = leg(legs["lsa512"])
        search(a, c, w, "lsa512", {"k": 1000, "legs": [dense]}, results, name)
        for stage, spec in STAGES.items():
            search(a, c, w, f"lsa512 +{stage}", {"k": 1000, "legs": [dense], "feedback": [spec]},
                   results, name)
        two = [leg(legs["bm25"]), dense]
        fusion = {"method": "convex", "normalize": "min-max", "alpha": 0.5}
        search(a, c, w, "bm25+lsa512 minmax a=0.5", {"k": 1000, "legs": two, "fusion": fusion},
               results, name)
        for stage, spec in STAGES.items():
            for place, (source, fuse_after) in PLACES.items():
                search(a, c, w, f"bm25+lsa512 minmax a=0.5 +{stage} {place}",
                       {"k": 1000, "legs": two, "fusion": fusion,
                        "feedback": [dict(spec, leg="lsa512", source=source, fuse_after=fuse_after)]},
                       results, name)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"measures": "nDCG@10 and R@100, trec_eval -c", "rows": results}, f, indent=1)
    names = a.collections.split(",")
    print("| run | " + " | ".join(f"{n} nDCG@10 | {n} R@100" for n in names) + " |")
    print("| --- |" + " ---: | ---: |" * len(names))
    for row in dict.fromkeys(r["row"] for r in results):
        cells = []
        for n in names:
            r = next(x for x in results if x["collection"] == n and x["row"] == row)
            cells.append(f"{r['ndcg10']:.4f} | {r['r100']:.4f}")
        print(f"| {row} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
