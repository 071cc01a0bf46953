#!/usr/bin/python3
"""MaxSim re-ranking of BM25's top 100 on SciFact, with token vectors made from GloVe.

There is no ColBERT model on this machine, so the multi-vector field is built from static word
vectors: each document's (and query's) distinct words - lower-cased [a-z0-9]+ runs, Lucene's 33
English stop words removed, words missing from GloVe dropped, at most 256 per document - each
mapped to its unit-length GloVe 6B 100-d vector. MaxSim(q, d) = sum over query words of the best
cosine with a document word. This is a demonstration of the machinery on realistic data, not a
learned late-interaction model: expect it to lose to BM25 (and the table says so if it does).

What it measures: nDCG@10 (`tandem eval -c`) of BM25 and of BM25 top 100 -> MaxSim top 10 (f32
and int8 token vectors), and the re-ranking time per query (ms, 1 thread, from `tandem search
--stats`) with no pruning, the exact bound pruning (same results), and the two approximate
prunings (BM25-score ratio 0.5; early exit after 20 candidates that do not enter the top 10).

Usage (see docs/prf.md):
  /usr/bin/python3 bench/macro/maxsim_glove.py
Writes bench/results/maxsim_glove.json and prints a markdown table.
"""
import argparse
import gzip
import json
import os
import re
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dense_eval import run  # noqa: E402
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("TANDEM_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
GLOVE = os.path.join(SHARED, "models/glove-6b-100d-top100k/glove.6B.100d.top100k.w2v.bin")
DATA = os.path.join(ROOT, "data", "scifact")
STOP = set("a an and are as at be but by for if in into is it no not of on or such that the their "
           "then there these they this to was will with".split())
WORD = re.compile(r"[a-z0-9]+")
MAX_TOKENS = 256


def load_glove(path):
    """word2vec binary: "N D\\n", then per word: the word, a space, D float32 (and maybe "\\n")."""
    with open(path, "rb") as f:
        data = f.read()
    nl = data.index(b"\n")
    n, d = map(int, data[:nl].split())
    pos = nl + 1
    index, vecs = {}, np.empty((n, d), dtype=np.float32)
    for i in range(n):
        while data[pos:pos + 1] in (b"\n", b" "):
            pos += 1
        sp = data.index(b" ", pos)
        word = data[pos:sp].decode("utf-8", "replace")
        vecs[i] = np.frombuffer(data, dtype="<f4", count=d, offset=sp + 1)
        index.setdefault(word, i)
        pos = sp + 1 + 4 * d
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs /= np.maximum(norms, 1e-12)
    return index, vecs


def token_rows(text, index):
    seen, rows = set(), []
    for w in WORD.findall(text.lower()):
        if w in STOP or w in seen or w not in index:
            continue
        seen.add(w)
        rows.append(index[w])
        if len(rows) == MAX_TOKENS:
            break
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build", "release", "apps", "cli", "tandem"))
    ap.add_argument("--work", default="/tmp/prf/maxsim_glove")
    ap.add_argument("--repeats", type=int, default=3, help="timed searches per setting (median)")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "results", "maxsim_glove.json"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    corpus = os.path.join(DATA, "corpus.jsonl.gz")
    queries = os.path.join(DATA, "queries.test.tsv")
    qrels = os.path.join(DATA, "qrels.test.tsv")

    t0 = time.time()
    index, vecs = load_glove(GLOVE)
    dim = vecs.shape[1]
    # Documents: title + " " + text, as the flat field reads them.
    ids, rows = [], []
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            j = json.loads(line)
            r = token_rows((j.get("title") or "") + " " + (j.get("text") or ""), index)
            if r:
                ids.append(str(j["_id"]))
                rows.append(r)
    tokens_npy = os.path.join(a.work, "doc_tokens.npy")
    offsets_tsv = os.path.join(a.work, "doc_tokens.offsets.tsv")
    np.save(tokens_npy, vecs[np.concatenate([np.array(r) for r in rows])])
    with open(offsets_tsv, "w") as f:
        for i, r in zip(ids, rows):
            f.write(f"{i}\t{len(r)}\n")
    qtok = os.path.join(a.work, "query_tokens.jsonl")
    n_queries = 0
    with open(queries, encoding="utf-8") as f, open(qtok, "w") as out:
        for line in f:
            qid, text = line.rstrip("\n").split("\t", 1)
            r = token_rows(text, index) or [index["the"]]  # a query without known words
            out.write(json.dumps({"id": qid, "vectors": [[round(float(x), 6) for x in vecs[i]] for i in r]}) + "\n")
            n_queries += 1
    prep_seconds = time.time() - t0
    total_tokens = sum(len(r) for r in rows)
    print(f"token vectors: {len(ids)} documents, {total_tokens} tokens, dim {dim} ({prep_seconds:.0f} s)",
          file=sys.stderr)

    res = {
        "what": "SciFact test: BM25 top 100 -> MaxSim over GloVe-6B-100d word vectors (distinct non-stop words, "
                "unit length, at most 256 per document); nDCG@10 / R@100 by tandem eval -c; re-ranking ms/query "
                "on 1 thread (median of repeats)",
        "note": "machine shared with other jobs (2 cores, loaded): times are rough; GloVe word vectors are not a "
                "trained late-interaction model",
        "tandem_version": run([a.tandem, "--version"])[0].strip(),
        "documents_with_tokens": len(ids), "tokens": total_tokens, "dim": dim, "queries": n_queries,
        "index": {}, "runs": {},
    }
    for enc in ("f32", "int8"):
        idx = os.path.join(a.work, f"scifact.{enc}.idx")
        cmd = [a.tandem, "index", "--corpus", corpus, "--index", idx, "--multivec", tokens_npy,
               "--multivec-offsets", offsets_tsv, "--multivec-encoding", enc, "--overwrite", "--threads", "2",
               "--json", "--quiet"]
        out, secs = run(cmd)
        mv_bytes = os.path.getsize(os.path.join(idx, [d for d in os.listdir(idx) if d.startswith("seg")][0], "multivec"))
        res["index"][enc] = {"command": " ".join(cmd), "seconds": secs, "multivec_bytes": mv_bytes}

    def search(name, idx, extra, k=10, measure_time=True):
        run_path = os.path.join(a.work, name + ".run")
        stats_path = os.path.join(a.work, name + ".stats.json")
        cmd = [a.tandem, "search", "--index", idx, "--queries", queries, "--run", run_path, "--k", str(k),
               "--threads", "1", "--stats", stats_path, "--quiet"] + extra
        times, stats = [], None
        for _ in range(a.repeats if measure_time else 1):
            run(cmd)
            with open(stats_path) as f:
                stats = json.load(f)
            times.append(stats["maxsim"]["ms_per_query"] if "maxsim" in stats else stats["latency_us"]["mean"] / 1e3)
        out, _ = run([a.tandem, "eval", "-c", "-m", "ndcg_cut.10", "-m", "recall.100", qrels, run_path])
        m = {p.split()[0]: float(p.split()[2]) for p in out.strip().splitlines()}
        entry = {"command": " ".join(cmd), "k": k, "ndcg_cut_10": m["ndcg_cut_10"],
                 "ms_per_query": sorted(times)[len(times) // 2]}
        if k >= 100:
            entry["recall_100"] = m["recall_100"]
        if "maxsim" in stats:
            entry["maxsim_stats"] = stats["maxsim"]
        res["runs"][name] = entry
        print(f"{name}: {entry['ndcg_cut_10']:.4f} nDCG@10, {entry['ms_per_query']:.3f} ms/query", file=sys.stderr)

    f32 = os.path.join(a.work, "scifact.f32.idx")
    i8 = os.path.join(a.work, "scifact.int8.idx")
    search("bm25", f32, [], k=100)
    for enc, idx in (("f32", f32), ("int8", i8)):
        search(f"maxsim.{enc}.no-pruning", idx, ["--maxsim", qtok, "--maxsim-no-bound"])
        search(f"maxsim.{enc}.bound", idx, ["--maxsim", qtok])
    search("maxsim.f32.bound+ratio0.5", f32, ["--maxsim", qtok, "--maxsim-ratio", "0.5"])
    search("maxsim.f32.bound+patience20", f32, ["--maxsim", qtok, "--maxsim-patience", "20"])

    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(res, f, indent=2)
    print("| run | nDCG@10 | ms/query (re-rank; BM25: whole search) | scored / abandoned / skipped |")
    print("|---|---|---|---|")
    for name, r in res["runs"].items():
        s = r.get("maxsim_stats")
        work = (f"{s['scored']} / {s['abandoned_by_bound']} / {s['skipped_by_ratio'] + s['skipped_by_early_exit']}"
                if s else "")
        print(f"| {name} | {r['ndcg_cut_10']:.4f} | {r['ms_per_query']:.3f} | {work} |")
    print(f"\nJSON: {a.out}")


if __name__ == "__main__":
    main()
