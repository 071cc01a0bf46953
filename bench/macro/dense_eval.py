#!/usr/bin/python3
"""Effectiveness of the built-in dense encoders (GloVe-SIF, LSA) with exact search, next to BM25.

What it measures: for each collection, nDCG@10 and R@100 (trec_eval -c, by `tandem eval`) of
  * BM25 (tandem index + search, Anserini's defaults), for reference,
  * GloVe-SIF: `tandem train sif` on the corpus, `tandem encode` of corpus and queries,
  * LSA: `tandem train lsa --dims D` on the corpus, the same,
where the dense runs rank every document by exact inner product of unit vectors (= cosine) with
numpy (a brute-force scan; ties broken by document id), 1000 hits per query. Also reports the
training and encoding times of each model (2 threads).

Usage (see docs/encoders.md):
  /usr/bin/python3 bench/macro/dense_eval.py [--collections scifact,nfcorpus] [--dims 256] [--variants]
Writes bench/results/dense_eval.json and prints a markdown table.
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("TANDEM_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
GLOVE = os.path.join(SHARED, "models/glove-6b-100d-top100k/glove.6B.100d.top100k.w2v.bin")

COLLECTIONS = {
    "scifact": dict(corpus=os.path.join(ROOT, "data/scifact/corpus.jsonl.gz"),
                    queries=os.path.join(ROOT, "data/scifact/queries.test.tsv"),
                    qrels=os.path.join(ROOT, "data/scifact/qrels.test.tsv")),
    "nfcorpus": dict(corpus=os.path.join(SHARED, "data/nfcorpus/corpus.jsonl"),
                     queries=os.path.join(SHARED, "data/nfcorpus/anserini/topics.beir-v1.0.0-nfcorpus.test.tsv.gz"),
                     qrels=os.path.join(SHARED, "data/nfcorpus/anserini/qrels.beir-v1.0.0-nfcorpus.test.txt")),
}


def run(cmd):
    t0 = time.time()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    return p.stdout, time.time() - t0


def load_npy(path):
    vectors = np.load(path)
    stem = path[: -len(".npy")]
    with open(stem + ".ids.txt", encoding="utf-8") as f:
        ids = [line.rstrip("\n") for line in f]
    assert len(ids) == vectors.shape[0], path
    return ids, vectors


def exact_search(qids, q, dids, d, run_path, k=1000, tag="dense"):
    """Exact inner-product top-k; ties by document id ascending (the engine's rule)."""
    order_by_id = np.argsort(np.array(dids, dtype=object))  # rank of each doc id in id order
    id_rank = np.empty(len(dids), dtype=np.int64)
    id_rank[order_by_id] = np.arange(len(dids))
    scores = q.astype(np.float64) @ d.astype(np.float64).T
    with open(run_path, "w") as out:
        for i, qid in enumerate(qids):
            s = scores[i]
            top = np.lexsort((id_rank, -s))[:k]
            for r, j in enumerate(top):
                out.write(f"{qid} Q0 {dids[j]} {r + 1} {s[j]:.6f} {tag}\n")


def evaluate(tandem, qrels, run_path):
    out, _ = run([tandem, "eval", "-c", "-m", "ndcg_cut.10", "-m", "recall.100", "--json", qrels, run_path])
    summary = json.loads(out)["all"]
    return summary["ndcg_cut_10"], summary["recall_100"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build/release/apps/cli/tandem"))
    ap.add_argument("--collections", default="scifact,nfcorpus")
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--variants", action="store_true", help="also SIF a=1e-4 and 1e-2, LSA 128d and 512d")
    ap.add_argument("--work", default="/tmp/tandem-dense-eval")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results/dense_eval.json"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    results = []
    for name in a.collections.split(","):
        c = COLLECTIONS[name]
        w = os.path.join(a.work, name)
        os.makedirs(w, exist_ok=True)
        # BM25 for reference.
        run([a.tandem, "index", "--corpus", c["corpus"], "--index", w + "/bm25", "--overwrite", "-q"])
        run([a.tandem, "search", "--index", w + "/bm25", "--queries", c["queries"], "--run", w + "/bm25.run"])
        ndcg, r100 = evaluate(a.tandem, c["qrels"], w + "/bm25.run")
        results.append(dict(collection=name, model="BM25 (k1=0.9, b=0.4)", ndcg10=ndcg, r100=r100))
        configs = [("sif", "1e-3", a.dims), ("lsa", "1e-3", a.dims)]
        if a.variants:
            configs += [("sif", "1e-4", a.dims), ("sif", "1e-2", a.dims), ("lsa", "", 128), ("lsa", "", 512)]
        for model, sif_a, dims in configs:
            path = f"{w}/{model}.model"
            if model == "sif":
                train = [a.tandem, "train", "sif", "--vectors", GLOVE, "--a", sif_a]
                label = f"GloVe-SIF (100d, a={sif_a})"
            else:
                train = [a.tandem, "train", "lsa", "--dims", str(dims)]
                label = f"LSA ({dims}d, TF-IDF, seed 42)"
            _, train_s = run(train + ["--corpus", c["corpus"], "--out", path, "--threads", str(a.threads), "-q"])
            stats = {}
            for side, src in (("docs", c["corpus"]), ("queries", c["queries"])):
                run([a.tandem, "encode", "--model", path, "--input", src, "--output", f"{w}/{model}.{side}.npy",
                     "--threads", str(a.threads), "--stats", f"{w}/{model}.{side}.stats.json", "-q"])
                with open(f"{w}/{model}.{side}.stats.json") as f:
                    stats[side] = json.load(f)
            dids, d = load_npy(f"{w}/{model}.docs.npy")
            qids, q = load_npy(f"{w}/{model}.queries.npy")
            exact_search(qids, q, dids, d, f"{w}/{model}.run", tag=model)
            ndcg, r100 = evaluate(a.tandem, c["qrels"], f"{w}/{model}.run")
            results.append(dict(collection=name, model=label, ndcg10=ndcg, r100=r100, train_seconds=train_s,
                                docs_per_second=stats["docs"]["records_per_second"],
                                tokens_per_second=stats["docs"]["tokens_per_second"]))
        print(f"{name}: done", file=sys.stderr)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(results, f, indent=1)
    print("| collection | model | nDCG@10 | R@100 | train (s) | encode docs/s |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for r in results:
        train = f"{r['train_seconds']:.1f}" if "train_seconds" in r else ""
        dps = f"{r['docs_per_second']:.0f}" if "docs_per_second" in r else ""
        print(f"| {r['collection']} | {r['model']} | {r['ndcg10']:.4f} | {r['r100']:.4f} | {train} | {dps} |")


if __name__ == "__main__":
    main()
