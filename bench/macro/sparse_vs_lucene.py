#!/usr/bin/python3
"""Learned-sparse search side by side: tandem's exact impact search, tandem's Seismic-style
approximate index (a sweep of settings) and the Lucene 8.8 peer's impact search (Anserini's
-impact -pretokenized setup), on the same SPLADE-like corpus and real SPLADE++ ED query vectors.

What it measures, in one run, on this machine (single-threaded search, k = 10):
  * build: tandem index time and size; Lucene index time and size; for every approximate build
    setting, `tandem index --sparse-approx` (the index with its persisted approximate index):
    time, peak RSS, size of vector.seismic;
  * latency (mean / p50 / p99, microseconds per query, JIT-warmed for Lucene) of every system;
  * Acc@10 of every approximate setting: the mean overlap of its top-10 with tandem's exact top-10
    (tandem's exact top-10 equals Lucene's: tests/compat/impact).
Timings are noisy on a shared machine; all systems run in the same session, one after the other.

Usage (see bench/README.md and docs/sparse.md):
  /usr/bin/python3 bench/macro/sparse_vs_lucene.py --name syn1M --vectors /tmp/pc/syn1M.splade.jsonl \
      --queries ../shared/data/msmarco-passage-topics-qrels/topics.msmarco-passage.dev-subset.splade-pp-ed.tsv.gz \
      --max-queries 300 --builds 2000:0.1:0.4 --sweep 3:0.9,5:0.9
  (docs/sparse.md, "Benchmark", has the variant that reuses an index and its approximate index)
Prints a markdown table and writes the JSON to --out (default bench/results/sparse_vs_lucene.<name>.json).
"""
import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bm25_vs_lucene import last_json_line  # noqa: E402
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(cmd, env=None):
    t0 = time.time()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    return p.stdout, p.stderr, time.time() - t0


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns stdout, seconds, peak RSS in bytes."""
    out, err, secs = run(["/usr/bin/time", "-f", "MAXRSS_KB %M"] + cmd, env=env)
    rss = 0
    for line in err.splitlines():
        if line.startswith("MAXRSS_KB"):
            rss = int(line.split()[1]) * 1024
    return out, secs, rss


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def prepare_peers(peers_src, work):
    """Copies the read-only peers and compiles the Lucene one (as bm25_vs_lucene.py does)."""
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


def top_docs(run_path, k):
    out = {}
    with open(run_path) as f:
        for line in f:
            qid, _, doc, rank = line.split()[:4]
            if int(rank) <= k:
                out.setdefault(qid, set()).add(doc)
    return out


def accuracy(run_path, exact, k):
    got = top_docs(run_path, k)
    total = 0.0
    for qid, docs in exact.items():
        total += len(docs & got.get(qid, set())) / max(1, len(docs))
    return total / max(1, len(exact))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--name", required=True)
    ap.add_argument("--vectors", required=True, help="JsonVectorCollection JSONL")
    ap.add_argument("--queries", required=True, help="pre-tokenised impact topics (TSV, may be .gz)")
    ap.add_argument("--max-queries", type=int, default=0, help="use the first N queries (0 = all)")
    ap.add_argument("--work", default="/tmp/tandem-bench/sparse")
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build", "release", "apps", "cli", "tandem"))
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "peers"))
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--builds", default="6000:0.1:0.4",
                    help="approximate index builds, N_POSTINGS:CENTROID_FRACTION:SUMMARY_ENERGY, comma-separated")
    ap.add_argument("--sweep", default="3:0.9,5:0.9,5:0.8,10:0.8,10:0.7,20:0.7",
                    help="query settings per build, QUERY_CUT:HEAP_FACTOR, comma-separated")
    ap.add_argument("--skip-lucene", action="store_true")
    ap.add_argument("--in-memory", action="store_true",
                    help="build each approximate index in the search process (from --tandem-index or the "
                         "index built here) instead of `tandem index --sparse-approx` (saves re-indexing)")
    ap.add_argument("--approx-from-index", default=None, metavar="BUILD_JSON",
                    help="--tandem-index already holds a persisted approximate index (tandem index "
                         "--approx-only ... --json, whose output line is this file): sweep it, no --builds")
    ap.add_argument("--keep-approx-indexes", action="store_true", help="keep the indexes built per --builds setting")
    ap.add_argument("--tandem-index", default=None, help="reuse this tandem index (built from --vectors)")
    ap.add_argument("--lucene-index", default=None, help="reuse this Lucene -impact index (built from --vectors)")
    ap.add_argument("--algorithms", default="maxscore,wand,bmw,bmm",
                    help="exact algorithms timed (the first is the reference run for Acc@10)")
    ap.add_argument("--lucene-warmup", type=int, default=1,
                    help="passes over the queries before the timed one (JIT warm-up)")
    ap.add_argument("--threads", type=int, default=2, help="index build threads")
    ap.add_argument("--note", default="", help="put in the JSON (e.g. how loaded the machine was)")
    ap.add_argument("--out", default=None)
    a = ap.parse_args()
    work = os.path.join(a.work, a.name)
    os.makedirs(work, exist_ok=True)
    res = {"name": a.name, "vectors": a.vectors, "queries": a.queries, "k": a.k, "machine_cores": os.cpu_count(),
           "note": a.note, "command": " ".join(sys.argv)}

    java_env = dict(os.environ, LUCENE_JAVA_OPTS=os.environ.get("LUCENE_JAVA_OPTS", "-Xms1g -Xmx3g"))

    # Queries: the first N of the topics, as plain TSV (both systems read the same file).
    qfile = os.path.join(work, "queries.tsv")
    opener = gzip.open if a.queries.endswith(".gz") else open
    with opener(a.queries, "rt") as f, open(qfile, "w") as out:
        n = 0
        for line in f:
            if a.max_queries and n >= a.max_queries:
                break
            out.write(line)
            n += 1
    res["num_queries"] = n

    # tandem index.
    idx = a.tandem_index or os.path.join(work, "tandem-index")
    if a.tandem_index:
        info, _, _ = run([a.tandem, "info", "--index", idx, "--json"])
        seismic = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(idx) for f in fs
                      if f == "vector.seismic")
        res["tandem_index"] = {"bytes": dir_bytes(idx) - seismic, "reused": True, "info": json.loads(info)}
    else:
        out, secs, rss = timed([a.tandem, "index", "--sparse", a.vectors, "--index", idx, "--no-store",
                                "--overwrite", "--json", "--threads", str(a.threads)])
        report = json.loads(out)
        res["tandem_index"] = {"seconds": secs, "bytes": dir_bytes(idx), "peak_rss": rss, "report": report}

    # Lucene index (Anserini's -impact -pretokenized; 2 indexing threads, merged to one segment).
    if not a.skip_lucene:
        runsh = prepare_peers(a.peers, work)
        lidx = a.lucene_index or os.path.join(work, "lucene-index")
        if not os.path.isdir(lidx):
            out, secs, rss = timed(["sh", runsh, "Bm25Index", "-input", a.vectors, "-index", lidx + ".tmp",
                                    "-impact", "-threads", str(a.threads), "-optimize"], env=java_env)
            os.rename(lidx + ".tmp", lidx)
            res["lucene_index"] = {"seconds": secs, "bytes": dir_bytes(lidx), "peak_rss": rss, "report": last_json_line(out)}
        else:
            res["lucene_index"] = {"bytes": dir_bytes(lidx), "reused": True}

    # tandem exact, one run per algorithm (identical results; the first is the Acc@10 reference).
    res["tandem_exact_algorithms"] = {}
    exact = None
    for algorithm in a.algorithms.split(","):
        exact_run = os.path.join(work, f"exact.{algorithm}.run")
        stats = os.path.join(work, f"exact.{algorithm}.stats.json")
        _, secs, rss = timed([a.tandem, "search", "--index", idx, "--retriever", "impact", "--queries", qfile,
                              "--run", exact_run, "--stats", stats, "--k", str(a.k), "--threads", "1",
                              "--algorithm", algorithm, "-q"])
        with open(stats) as f:
            st = json.load(f)
        got = top_docs(exact_run, a.k)
        if exact is None:
            exact = got
        res["tandem_exact_algorithms"][algorithm] = {"stats": st, "peak_rss": rss,
                                                     "same_top_k": got == exact}
    best = min(res["tandem_exact_algorithms"].items(), key=lambda kv: kv[1]["stats"]["latency_us"]["mean"])
    res["tandem_exact"] = dict(best[1], algorithm=best[0])
    res["tandem_exact_maxscore"] = res["tandem_exact_algorithms"].get("maxscore")

    # Lucene impact search (one thread, JIT warmed on the same queries first).
    if not a.skip_lucene:
        lrun = os.path.join(work, "lucene.run")
        out, secs, rss = timed(["sh", runsh, "Bm25Search", "-index", lidx, "-topics", qfile, "-output", lrun,
                                "-hits", str(a.k), "-impact", "-tiebreak", "none", "-threads", "1",
                                "-warmup", str(a.lucene_warmup)], env=java_env)
        res["lucene"] = {"stats": last_json_line(out), "peak_rss": rss, "acc": accuracy(lrun, exact, a.k)}

    # Approximate index: per build setting, an index with its persisted approximate index
    # (`tandem index --sparse-approx`), then one search process sweeping the query settings.
    res["approx"] = []
    res["approx_builds"] = []
    if a.approx_from_index:
        info, _, _ = run([a.tandem, "info", "--index", idx, "--json"])
        seg = json.loads(info)["segments"][0]["sparse_approx"]
        with open(a.approx_from_index) as f:
            built = json.loads(f.read().strip().splitlines()[-1])["sparse_approx"]
        a.builds = f"{seg['n_postings']}:{seg['centroid_fraction']}:{seg['summary_energy']}"
    for build in a.builds.split(","):
        n_postings, fraction, energy = build.split(":")
        arun = os.path.join(work, f"approx.{build.replace(':', '_')}.run")
        astats = arun.replace(".run", ".stats.json")
        build_args = ["--n-postings", n_postings, "--centroid-fraction", fraction, "--summary-energy", energy]
        entry = {"n_postings": int(n_postings), "centroid_fraction": float(fraction), "summary_energy": float(energy)}
        if a.approx_from_index:
            aidx = idx
            extra = []
            entry.update({"approx_seconds": built["seconds"], "approx_bytes": built["bytes"],
                          "blocks": built["blocks"], "index_seconds": float("nan"),
                          "peak_rss": 0, "note": "built by tandem index --approx-only before this run"})
        elif a.in_memory:
            aidx = idx
            extra = build_args + ["--build-threads", str(a.threads)]
        else:
            aidx = os.path.join(work, f"approx-index.{build.replace(':', '_')}")
            out, secs, rss = timed([a.tandem, "index", "--sparse", a.vectors, "--index", aidx, "--no-store",
                                    "--overwrite", "--json", "--threads", str(a.threads), "--sparse-approx"]
                                   + build_args)
            report = json.loads(out)
            seismic = os.path.join(aidx, "seg-000001", "vector.seismic")
            entry.update({"index_seconds": secs, "approx_seconds": report["sparse_approx"]["seconds"],
                          "approx_bytes": os.path.getsize(seismic), "blocks": report["sparse_approx"]["blocks"],
                          "peak_rss": rss})
            extra = []
        res["approx_builds"].append(entry)
        _, secs, rss = timed([a.tandem, "search", "--index", aidx, "--retriever", "sparse-approx", "--queries", qfile,
                              "--run", arun, "--stats", astats, "--k", str(a.k), "--threads", "1",
                              "--sweep", a.sweep, "-q"] + extra)
        res["approx_builds"][-1]["search_peak_rss"] = rss
        for pair in a.sweep.split(","):
            qc, hf = pair.split(":")
            suffix = f".{qc}-{hf}"
            with open(astats + suffix) as f:
                st = json.load(f)
            res["approx"].append({"n_postings": int(n_postings), "centroid_fraction": float(fraction),
                                  "summary_energy": float(energy), "query_cut": int(qc), "heap_factor": float(hf),
                                  "acc": accuracy(arun + suffix, exact, a.k), "stats": st, "peak_rss": rss})
        if a.in_memory:
            first = res["approx"][-1]["stats"]["settings"]["build"]
            entry.update({"approx_seconds": first["build_seconds"], "memory_bytes": first["memory_bytes"],
                          "blocks": first["blocks"], "peak_rss": rss})
        elif not a.keep_approx_indexes and aidx != idx:  # only the indexes built here
            shutil.rmtree(aidx, ignore_errors=True)
    # tandem exact once more after the approximate sweep (the machine's load drifts).
    algorithm = a.algorithms.split(",")[0]
    stats = os.path.join(work, f"exact.{algorithm}.after.stats.json")
    timed([a.tandem, "search", "--index", idx, "--retriever", "impact", "--queries", qfile,
           "--run", os.path.join(work, "exact.after.run"), "--stats", stats, "--k", str(a.k),
           "--threads", "1", "--algorithm", algorithm, "-q"])
    with open(stats) as f:
        res["tandem_exact_after_approx"] = {"algorithm": algorithm, "stats": json.load(f)}

    out_path = a.out or os.path.join(ROOT, "bench", "results", f"sparse_vs_lucene.{a.name}.json")
    with open(out_path, "w") as f:
        json.dump(res, f, indent=2)
    print_table(res)
    print(f"\nJSON: {out_path}")


def print_table(res):
    ex = res["tandem_exact"]["stats"]["latency_us"]
    luc = res.get("lucene", {}).get("stats", {})
    ti = res["tandem_index"]
    docs = ti["report"]["documents"] if "report" in ti else ti["info"].get("documents", 0)
    print(f"## {res['name']}: {docs:,} documents, "
          f"{res['num_queries']:,} queries, k={res['k']}, one search thread\n")
    print("| system | settings | Acc@10 | mean latency (ms) | p50 | p99 | exact / this | Lucene / this |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    lmean = luc.get("lat_mean_us")
    nan = float("nan")
    for algorithm, e in res["tandem_exact_algorithms"].items():
        l = e["stats"]["latency_us"]
        print(f"| tandem exact | impact, {algorithm} | 1.000 | {l['mean'] / 1000:.2f} | {l['p50'] / 1000:.2f} | "
              f"{l['p99'] / 1000:.2f} | {ex['mean'] / l['mean']:.2f}x | {(lmean / l['mean']) if lmean else nan:.1f}x |")
    if lmean:
        print(f"| Lucene 8.8 | -impact | {res['lucene']['acc']:.3f} | {lmean / 1000:.2f} | "
              f"{luc.get('lat_p50_us', 0) / 1000:.2f} | {luc.get('lat_p99_us', 0) / 1000:.2f} | "
              f"{ex['mean'] / lmean:.2f}x | 1.0x |")
    for r in res["approx"]:
        l = r["stats"]["latency_us"]
        print(f"| tandem sparse-approx | n_postings {r['n_postings']}, alpha {r['summary_energy']}, "
              f"query_cut {r['query_cut']}, heap_factor {r['heap_factor']} | "
              f"{r['acc']:.3f} | {l['mean'] / 1000:.2f} | {l['p50'] / 1000:.2f} | {l['p99'] / 1000:.2f} | "
              f"{ex['mean'] / l['mean']:.1f}x | {(lmean / l['mean']) if lmean else nan:.1f}x |")
    after = res.get("tandem_exact_after_approx")
    if after:
        l = after["stats"]["latency_us"]
        print(f"| tandem exact, again after the sweep | impact, {after['algorithm']} | 1.000 | {l['mean'] / 1000:.2f} | "
              f"{l['p50'] / 1000:.2f} | {l['p99'] / 1000:.2f} | {ex['mean'] / l['mean']:.2f}x | "
              f"{(lmean / l['mean']) if lmean else nan:.1f}x |")
    print(f"\n(exact / this: against the fastest exact algorithm, {res['tandem_exact']['algorithm']})")
    print("\n| build | seconds | size | peak RSS |")
    print("| --- | ---: | ---: | ---: |")
    if "seconds" in ti:
        print(f"| tandem index | {ti['seconds']:.1f} | {ti['bytes'] / 2**20:.0f} MiB | {ti['peak_rss'] / 2**30:.2f} GiB |")
    if "lucene_index" in res and "seconds" in res["lucene_index"]:
        li = res["lucene_index"]
        print(f"| Lucene index (merged) | {li['seconds']:.1f} | {li['bytes'] / 2**20:.0f} MiB | {li['peak_rss'] / 2**30:.2f} GiB |")
    for b in res["approx_builds"]:
        name = (f"approximate index (n_postings {b['n_postings']}, fraction {b['centroid_fraction']}, "
                f"alpha {b['summary_energy']})")
        if "note" in b:
            print(f"| {name}, tandem index --approx-only | {b['approx_seconds']:.1f} | "
                  f"vector.seismic {b['approx_bytes'] / 2**20:.0f} MiB | search {b['search_peak_rss'] / 2**30:.2f} GiB |")
        elif "approx_bytes" in b:
            print(f"| tandem index --sparse-approx, {name}: whole / approximate part | {b['index_seconds']:.1f} / "
                  f"{b['approx_seconds']:.1f} | vector.seismic {b['approx_bytes'] / 2**20:.0f} MiB | "
                  f"{b['peak_rss'] / 2**30:.2f} GiB (search {b['search_peak_rss'] / 2**30:.2f} GiB) |")
        else:
            print(f"| {name}, built in memory by the search process | {b['approx_seconds']:.1f} | "
                  f"{b['memory_bytes'] / 2**20:.0f} MiB in memory | {b['peak_rss'] / 2**30:.2f} GiB |")

if __name__ == "__main__":
    main()
