#!/usr/bin/python3
"""BM25 side by side: tandem and the Lucene 8.8 peer (Anserini's setup) on the same corpus and queries.

What it measures, in one run, on this machine:
  * index build time (tandem with 1 thread and with all cores; Lucene with 1 indexing thread + forceMerge(1)),
  * index size (tandem without stored documents, like the peer's index, and with them),
  * single-threaded search: mean / p50 / p99 latency and throughput at k=10 and k=1000
    (Lucene in its fastest mode, `-tiebreak none`: block-max WAND after 1000 hits; JIT warmed up),
  * multi-threaded search throughput,
  * with --qrels: effectiveness of both runs in Anserini mode (nDCG@10, R@1000 by `tandem eval`).
Timings are noisy on a shared 2-core machine: each search is repeated --repeat times, alternating the
two systems, and the median is reported.

Usage (see bench/README.md):
  /usr/bin/python3 bench/macro/bm25_vs_lucene.py --name scifact --corpus data/scifact/corpus.jsonl.gz \
      --queries data/scifact/queries.test.tsv --qrels data/scifact/qrels.test.tsv
Prints a markdown table and writes the JSON to --out (default bench/results/bm25_vs_lucene.<name>.json).
`--table JSON` re-prints the table of a saved result (docs/benchmarks.md is made that way).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(cmd, env=None, capture=True):
    t0 = time.time()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE if capture else None, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    return p.stdout, time.time() - t0


def last_json_line(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in output")


def dir_bytes(path):
    total = 0
    for dirpath, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total


def prepare_peers(peers_src, work):
    peers = os.path.join(work, "peers")
    if not os.path.isdir(os.path.join(peers, "lucene", "classes")):
        shutil.rmtree(peers, ignore_errors=True)
        shutil.copytree(peers_src, peers)
        for root, dirs, files in os.walk(peers):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o755 if f.endswith(".sh") else 0o644)
        run(["sh", os.path.join(peers, "lucene", "build.sh")])
    return os.path.join(peers, "lucene", "run.sh")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--table":  # re-print the table of a saved result
        with open(sys.argv[2]) as f:
            print_table(json.load(f))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--table", metavar="JSON", help="only print the table of a saved result and exit")
    ap.add_argument("--name", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True, help="TSV qid<TAB>text")
    ap.add_argument("--qrels", help="qrels for an effectiveness check of both runs")
    ap.add_argument("--work", default="/tmp/tandem-bench")
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build", "release", "apps", "cli", "tandem"))
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "peers"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--java-opts", default="-Xms2g -Xmx8g")
    ap.add_argument("--skip-build", action="store_true", help="reuse indexes from a previous run in --work")
    ap.add_argument("--reuse-lucene", metavar="DIR",
                    help="build tandem's indexes but search this existing Lucene index (built by an earlier run "
                         "of this script on the same corpus); its size is measured, its build time not")
    ap.add_argument("--out")
    a = ap.parse_args()

    work = os.path.join(a.work, a.name)
    os.makedirs(work, exist_ok=True)
    lucene = prepare_peers(os.path.abspath(a.peers), a.work)
    env = dict(os.environ, LUCENE_JAVA_OPTS=a.java_opts)
    nproc = os.cpu_count() or 1
    res = {"name": a.name, "corpus": a.corpus, "queries": a.queries, "cores": nproc,
           "tandem_version": run([a.tandem, "--version"])[0].strip(), "build": {}, "search": {}, "quality": {}}

    t_idx = os.path.join(work, "tandem")
    t_idx_store = os.path.join(work, "tandem-store")
    l_idx = os.path.abspath(a.reuse_lucene) if a.reuse_lucene else os.path.join(work, "lucene")
    if not a.skip_build:
        for threads in (1, nproc):
            shutil.rmtree(t_idx, ignore_errors=True)
            out, wall = run([a.tandem, "index", "--corpus", a.corpus, "--index", t_idx, "--threads", str(threads),
                             "--no-store", "--json"])
            rep = json.loads(out)
            res["build"][f"tandem_{threads}t"] = {"seconds": wall, "documents": rep["documents"],
                                                 "index_bytes": rep["index_bytes"],
                                                 "bytes_per_posting": rep["bytes_per_posting"]}
        shutil.rmtree(t_idx_store, ignore_errors=True)
        out, wall = run([a.tandem, "index", "--corpus", a.corpus, "--index", t_idx_store, "--threads", str(nproc), "--json"])
        res["build"]["tandem_store"] = {"seconds": wall, "index_bytes": json.loads(out)["index_bytes"]}
        if a.reuse_lucene:
            res["build"]["lucene_1t"] = {"seconds": None, "reused": l_idx, "index_bytes": dir_bytes(l_idx)}
        else:
            shutil.rmtree(l_idx, ignore_errors=True)
            out, wall = run(["sh", lucene, "Bm25Index", "-input", a.corpus, "-index", l_idx, "-optimize", "-threads", "1"],
                            env=env)
            rep = last_json_line(out)
            res["build"]["lucene_1t"] = {"seconds": wall, "build_ms": rep["build_ms"], "documents": rep["docs"],
                                         "index_bytes": rep["index_bytes"]}

    for k in (10, 1000):
        tandem_runs, lucene_runs = [], []
        for r in range(a.repeat + 1):  # the first round warms the page cache (and is dropped)
            stats = os.path.join(work, f"tandem.k{k}.stats.json")
            run([a.tandem, "search", "--index", t_idx, "--queries", a.queries, "--run", os.path.join(work, f"tandem.k{k}.run"),
                 "--k", str(k), "--threads", "1", "--stats", stats, "--quiet"])
            with open(stats) as f:
                s = json.load(f)
            out, _ = run(["sh", lucene, "Bm25Search", "-index", l_idx, "-topics", a.queries, "-output",
                          os.path.join(work, f"lucene.k{k}.run"), "-hits", str(k), "-tiebreak", "none", "-warmup", "1",
                          "-threads", "1"], env=env)
            l = last_json_line(out)
            if r == 0:
                continue
            tandem_runs.append({"qps": s["qps"], "mean": s["latency_us"]["mean"], "p50": s["latency_us"]["p50"],
                                "p99": s["latency_us"]["p99"]})
            lucene_runs.append({"qps": l["qps"], "mean": l["lat_mean_us"], "p50": l["lat_p50_us"], "p99": l["lat_p99_us"]})
        med = lambda runs, key: statistics.median(x[key] for x in runs)
        res["search"][f"k{k}"] = {
            "tandem": {key: med(tandem_runs, key) for key in ("qps", "mean", "p50", "p99")},
            "lucene": {key: med(lucene_runs, key) for key in ("qps", "mean", "p50", "p99")},
            "tandem_runs": tandem_runs, "lucene_runs": lucene_runs,
            "algorithm": s["settings"]["algorithm"],
        }
    # Throughput with all cores (k=10).
    stats = os.path.join(work, "tandem.mt.stats.json")
    run([a.tandem, "search", "--index", t_idx, "--queries", a.queries, "--run", os.path.join(work, "tandem.mt.run"),
         "--k", "10", "--threads", str(nproc), "--stats", stats, "--quiet"])
    with open(stats) as f:
        t_mt = json.load(f)["qps"]
    out, _ = run(["sh", lucene, "Bm25Search", "-index", l_idx, "-topics", a.queries, "-output",
                  os.path.join(work, "lucene.mt.run"), "-hits", "10", "-tiebreak", "none", "-warmup", "1",
                  "-threads", str(nproc)], env=env)
    res["search"]["k10_all_cores"] = {"threads": nproc, "tandem_qps": t_mt, "lucene_qps": last_json_line(out)["qps"]}

    if a.qrels:
        t_run = os.path.join(work, "tandem.anserini.run")
        l_run = os.path.join(work, "lucene.anserini.run")
        run([a.tandem, "search", "--index", t_idx, "--queries", a.queries, "--run", t_run, "--quiet"])
        run(["sh", lucene, "Bm25Search", "-index", l_idx, "-topics", a.queries, "-output", l_run, "-hits", "1000"], env=env)
        for who, path in (("tandem", t_run), ("lucene", l_run)):
            out, _ = run([a.tandem, "eval", "-c", "-m", "ndcg_cut.10", "-m", "recall.1000", a.qrels, path])
            res["quality"][who] = {line.split()[0]: float(line.split()[2]) for line in out.strip().splitlines()}
        # Same documents at the same ranks (the printed scores may differ in the last digit: the peer
        # adjusts ties in double, Anserini and tandem in float).
        ranking = lambda path: [line.split()[:4] for line in open(path)]
        res["quality"]["same_ranking"] = ranking(t_run) == ranking(l_run)

    out_path = a.out or os.path.join(ROOT, "bench", "results", f"bm25_vs_lucene.{a.name}.json")
    os.makedirs(os.path.dirname(out_path), exist_ok=True)
    with open(out_path, "w") as f:
        json.dump(res, f, indent=2)
    print_table(res)
    print(f"\nJSON: {out_path}")


def print_table(res):
    b, s = res["build"], res["search"]
    print(f"## {res['name']}: tandem vs Lucene 8.8 (Anserini BM25), {res['cores']} cores\n")
    print("| | tandem | Lucene 8.8 | ratio |")
    print("| --- | ---: | ---: | ---: |")
    if b:
        if b["lucene_1t"]["seconds"] is None:  # --reuse-lucene
            print(f"| build, 1 thread (s) | {b['tandem_1t']['seconds']:.1f} | (reused) | |")
        else:
            print(f"| build, 1 thread (s) | {b['tandem_1t']['seconds']:.1f} | {b['lucene_1t']['seconds']:.1f} | "
                  f"{b['lucene_1t']['seconds'] / b['tandem_1t']['seconds']:.2f}x faster |")
        nt = [k for k in b if k.startswith("tandem_") and k.endswith("t") and k != "tandem_1t"]
        for key in nt:
            print(f"| build, {key[7:-1]} threads (s) | {b[key]['seconds']:.1f} | | |")
        print(f"| index size (MB) | {b['tandem_1t']['index_bytes'] / 2**20:.1f} | {b['lucene_1t']['index_bytes'] / 2**20:.1f} | "
              f"{b['tandem_1t']['index_bytes'] / b['lucene_1t']['index_bytes']:.2f} |")
        print(f"| index size with stored documents (MB) | {b['tandem_store']['index_bytes'] / 2**20:.1f} | | |")
    for k in ("k10", "k1000"):
        t, l = s[k]["tandem"], s[k]["lucene"]
        print(f"| {k} throughput, 1 thread (queries/s) | {t['qps']:.0f} | {l['qps']:.0f} | {t['qps'] / l['qps']:.2f}x |")
        print(f"| {k} latency mean / p50 / p99 (ms) | {t['mean']/1000:.2f} / {t['p50']/1000:.2f} / {t['p99']/1000:.2f} | "
              f"{l['mean']/1000:.2f} / {l['p50']/1000:.2f} / {l['p99']/1000:.2f} | |")
    mt = s["k10_all_cores"]
    print(f"| k10 throughput, {mt['threads']} threads (queries/s) | {mt['tandem_qps']:.0f} | {mt['lucene_qps']:.0f} | "
          f"{mt['tandem_qps'] / mt['lucene_qps']:.2f}x |")
    q = res["quality"]
    if q:
        for m in ("ndcg_cut_10", "recall_1000"):
            print(f"| {m} | {q['tandem'][m]:.4f} | {q['lucene'][m]:.4f} | |")
        if "same_ranking" in q:
            print(f"| same documents at the same ranks (Anserini mode, k=1000) | {'yes' if q['same_ranking'] else 'no'} | | |")


if __name__ == "__main__":
    main()
