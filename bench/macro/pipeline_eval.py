#!/usr/bin/python3
"""Effectiveness of hybrid pipelines (docs/pipelines.md) on SciFact and NFCorpus, next to their legs.

What it measures: nDCG@10 and R@100 (trec_eval -c, by `tandem eval`) of
  * BM25 (Anserini's defaults) as a one-leg pipeline,
  * each dense leg built here: LSA-512 and GloVe-SIF (`tandem train`), documents encoded by
    `tandem encode` into a dense-only index, queries encoded by the pipeline itself ("encoder"),
    exact search,
  * BM25 + each dense leg fused by min-max convex combination (alpha = BM25's weight, swept
    0.1..0.9) and by RRF (k = 60), every leg 1000 deep, 1000 results,
  * the alpha chosen by `tandem tune` on a seeded 50/50 split of the test qrels, scored on the
    held-out half only (the honest number: the sweep rows above peek at the test queries).
Every row is one `tandem search --pipeline FILE` command; the pipeline files are kept in the work
folder and the JSON result names them.

Usage:
  /usr/bin/python3 bench/macro/pipeline_eval.py [--collections scifact,nfcorpus] [--threads 2]
Writes bench/results/pipeline_eval.json and prints a markdown table.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dense_eval import COLLECTIONS, GLOVE, ROOT, evaluate, run  # noqa: E402

ALPHAS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def collection(name, w):
    """The collection's files; NFCorpus's test queries are taken from BEIR's queries.jsonl (the
    judged ids of the test qrels) when Anserini's topic file is not in ../shared."""
    c = dict(COLLECTIONS[name])
    if not os.path.exists(c["queries"]) and name == "nfcorpus":
        judged = set()
        with open(c["qrels"]) as f:
            for line in f:
                if line.strip():
                    judged.add(line.split()[0])
        path = os.path.join(w, "queries.test.tsv")
        with open(os.path.join(os.path.dirname(c["corpus"]), "queries.jsonl")) as f, open(path, "w") as out:
            for line in f:
                q = json.loads(line)
                if q["_id"] in judged:
                    out.write(q["_id"] + "\t" + " ".join(q["text"].split()) + "\n")
        c["queries"] = path
    return c


def write_pipeline(path, spec):
    with open(path, "w") as f:
        json.dump(spec, f, indent=1)
    return path


def prepare(a, name, c, w):
    """Indexes, models and dense indexes of one collection; returns {leg name: leg spec}."""
    run([a.tandem, "index", "--corpus", c["corpus"], "--index", w + "/bm25", "--overwrite", "-q"])
    legs = {"bm25": {"kind": "bm25", "name": "bm25", "index": w + "/bm25"}}
    models = [("lsa512", ["lsa", "--dims", "512"], "LSA-512"),
              ("sif", ["sif", "--vectors", GLOVE], "GloVe-SIF")]
    for key, train, label in models:
        model = f"{w}/{key}.model"
        if not os.path.exists(model):
            run([a.tandem, "train"] + train + ["--corpus", c["corpus"], "--out", model,
                                               "--threads", str(a.threads), "-q"])
        docs = f"{w}/{key}.docs.npy"
        if not os.path.exists(docs):
            run([a.tandem, "encode", "--model", model, "--input", c["corpus"], "--output", docs,
                 "--threads", str(a.threads), "-q"])
        run([a.tandem, "index", "--dense", docs, "--dense-ids", docs[:-4] + ".ids.txt",
             "--metric", "ip", "--index", f"{w}/{key}-idx", "--overwrite", "-q"])
        legs[key] = {"kind": "dense", "name": key, "index": f"{w}/{key}-idx", "method": "exact",
                     "encoder": model, "_label": label}
    return legs


def leg(spec):
    return {k: v for k, v in spec.items() if not k.startswith("_")}


def search(a, c, w, label, spec, results, name):
    p = write_pipeline(f"{w}/{label}.pipeline.json", spec)
    runf = f"{w}/{label}.run"
    cmd = [a.tandem, "search", "--pipeline", p, "--queries", c["queries"], "--run", runf,
           "--threads", str(a.threads), "-q"]
    _, seconds = run(cmd)
    ndcg, r100 = evaluate(a.tandem, c["qrels"], runf)
    results.append(dict(collection=name, row=label, ndcg10=ndcg, r100=r100, seconds=seconds,
                        pipeline=spec, command=" ".join(["tandem"] + cmd[1:])))
    print(f"{name} {label}: nDCG@10 {ndcg:.4f} R@100 {r100:.4f}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build/release/apps/cli/tandem"))
    ap.add_argument("--collections", default="scifact,nfcorpus")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--work", default="/tmp/pipe/pipeline-eval")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results/pipeline_eval.json"))
    a = ap.parse_args()
    results, tuned = [], []
    for name in a.collections.split(","):
        w = os.path.join(a.work, name)
        os.makedirs(w, exist_ok=True)
        c = collection(name, w)
        legs = prepare(a, name, c, w)
        search(a, c, w, "bm25", {"k": 1000, "legs": [leg(legs["bm25"])]}, results, name)
        for key in ("lsa512", "sif"):
            search(a, c, w, key, {"k": 1000, "legs": [leg(legs[key])]}, results, name)
        for key in ("lsa512", "sif"):
            two = [leg(legs["bm25"]), leg(legs[key])]
            for alpha in ALPHAS:
                search(a, c, w, f"bm25+{key} minmax a={alpha}",
                       {"k": 1000, "legs": two,
                        "fusion": {"method": "convex", "normalize": "min-max", "alpha": alpha}},
                       results, name)
            search(a, c, w, f"bm25+{key} rrf k=60",
                   {"k": 1000, "legs": two, "fusion": {"method": "rrf", "k": 60}}, results, name)
            # alpha chosen on half of the queries, scored on the other half only.
            p = write_pipeline(f"{w}/tune-{key}.pipeline.json",
                               {"k": 1000, "legs": two,
                                "fusion": {"method": "convex", "normalize": "min-max", "alpha": 0.5}})
            cmd = [a.tandem, "tune", "--pipeline", p, "--queries", c["queries"], "--qrels", c["qrels"],
                   "--train-fraction", "0.5", "--seed", "42", "--measure", "ndcg_cut.10",
                   "--param", "fusion.alpha=0:1:0.1", "--threads", str(a.threads), "--json", "-q"]
            out, seconds = run(cmd)
            report = json.loads(out)
            # Each leg alone on the same held-out half: alpha 1 ranks by BM25, alpha 0 by the dense leg.
            alone = {}
            for fixed in ("1", "0"):
                o, _ = run(cmd[:cmd.index("--param") + 1] + [f"fusion.alpha={fixed}"] + cmd[cmd.index("--param") + 2:])
                alone[fixed] = json.loads(o)["test"]
            tuned.append(dict(collection=name, legs=f"bm25+{key}", chosen=report["chosen"],
                              train_ndcg10=report["chosen_train"], test_ndcg10=report["test"],
                              test_ndcg10_bm25_alone=alone["1"], test_ndcg10_dense_alone=alone["0"],
                              train_queries=report["train_queries"], test_queries=report["test_queries"],
                              seconds=seconds, command=" ".join(["tandem"] + cmd[1:])))
            print(f"{name} tune bm25+{key}: {report['chosen']} test {report['test']:.4f}", file=sys.stderr)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump({"note": "2 threads on a shared, loaded 2-core machine (times are not benchmarks); "
                           "effectiveness numbers do not depend on load",
                   "rows": results, "tuned": tuned}, f, indent=1)
    print("| collection | run | nDCG@10 | R@100 |")
    print("| --- | --- | ---: | ---: |")
    for r in results:
        print(f"| {r['collection']} | {r['row']} | {r['ndcg10']:.4f} | {r['r100']:.4f} |")
    print()
    print("| collection | legs | chosen on the train half | train nDCG@10 | test nDCG@10 | BM25 alone, test | dense alone, test |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: |")
    for t in tuned:
        print(f"| {t['collection']} | {t['legs']} | {json.dumps(t['chosen'])} | {t['train_ndcg10']:.4f} | "
              f"{t['test_ndcg10']:.4f} | {t['test_ndcg10_bm25_alone']:.4f} | {t['test_ndcg10_dense_alone']:.4f} |")


if __name__ == "__main__":
    main()
