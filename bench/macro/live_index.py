#!/usr/bin/python3
"""Live index: add throughput and search latency while adds run.

What it measures, in one run, on this machine:
  * `tandem index` of the first --initial documents (the starting index),
  * `tandem add` of the remaining documents in batches of --batch (each batch a new segment, the
    size-tiered merge policy on, as users run it): documents/s per batch, overall, and the time the
    policy's merges took,
  * single-threaded search latency (p50 / p99 / mean over the query file, `tandem search --stats`)
    with no writer running: before the adds, after them (several segments), and on the fresh
    one-segment build of the same documents; and repeatedly *while* the adds run (each search
    opens the snapshot in force when it starts),
  * the peer: the Lucene peer in ../shared/peers/lucene cannot add to an index in its harness, so
    the reference is our own from-scratch build of the final document set (docs/s), and the final
    live index must return the same run as that fresh build (checked, reported as "identical_run").
Timings are noisy on a shared 2-core machine; the search under load competes with the writer for
the same cores, which is the point.

Dense mode (--dense-dim D): every document also gets a seeded random D-dimensional vector (.npy
with an id file per batch), the index has a dense field (--metric, --hnsw: graph built for every
new segment and rebuilt by merges), and the final live index must also return the same dense-exact
run as the fresh build.

Usage:
  /usr/bin/python3 bench/macro/live_index.py --name scifact-dense128 --corpus ../shared/data/scifact/corpus.jsonl \
      --queries ../shared/data/scifact/queries.jsonl --initial 2183 --batch 500 --dense-dim 128 --hnsw
  /usr/bin/python3 bench/macro/live_index.py --name scifact --corpus ../shared/data/scifact/corpus.jsonl \
      --queries ../shared/data/scifact/queries.jsonl --initial 2000 --batch 500
  /usr/bin/python3 bench/macro/live_index.py --name syn200k --corpus /tmp/pc/syn1M.jsonl --limit 200000 \
      --queries /tmp/pc/q.msmarco-dev.tsv --max-queries 1000 --initial 100000 --batch 10000
Writes bench/results/live_index.<name>.json.
"""
import argparse
import gzip
import json
import os
import shutil
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from dense_eval import run  # noqa: E402
ROOT = os.path.dirname(os.path.dirname(HERE))


def read_lines(path, limit):
    opener = gzip.open if path.endswith(".gz") else open
    out = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(line if line.endswith("\n") else line + "\n")
                if limit and len(out) >= limit:
                    break
    return out


def write_dense(path, ids, dim, seed):
    """Seeded random vectors for `ids`: path.npy and path.ids; returns the tandem options."""
    import numpy as np  # only the dense mode needs it

    rng = np.random.default_rng(seed)
    np.save(path + ".npy", rng.standard_normal((len(ids), dim), dtype=np.float32))
    with open(path + ".ids", "w") as f:
        f.write("".join(i + "\n" for i in ids))
    return ["--dense", path + ".npy", "--dense-ids", path + ".ids"]


def doc_ids(lines):
    out = []
    for line in lines:
        j = json.loads(line)
        out.append(str(j.get("_id", j.get("id", j.get("docid")))))
    return out


def search_stats(tandem, index, queries, k):
    stats = os.path.join(os.path.dirname(index), f"stats.{threading.get_ident()}.json")
    run([tandem, "search", "--index", index, "--queries", queries, "--threads", "1",
         "--k", str(k), "--run", stats + ".run", "--stats", stats, "-q"])
    with open(stats) as f:
        j = json.load(f)
    return j["latency_us"], j["settings"]["index_generation"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--limit", type=int, default=0, help="use the first N documents")
    ap.add_argument("--max-queries", type=int, default=0)
    ap.add_argument("--initial", type=int, required=True, help="documents in the starting build")
    ap.add_argument("--batch", type=int, required=True, help="documents per `tandem add`")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1, help="indexing threads of index/add")
    ap.add_argument("--work", default="/tmp/tandem-bench-live")
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build/release/apps/cli/tandem"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--dense-dim", type=int, default=0, help="add a dense field of this dimension")
    ap.add_argument("--metric", default="ip")
    ap.add_argument("--hnsw", action="store_true", help="dense mode: build HNSW graphs")
    a = ap.parse_args()

    work = os.path.join(a.work, a.name)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    docs = read_lines(a.corpus, a.limit)
    queries = a.queries
    if a.max_queries:
        lines = read_lines(a.queries, a.max_queries)
        queries = os.path.join(work, "queries" + (".jsonl" if lines[0].startswith("{") else ".tsv"))
        with open(queries, "w") as f:
            f.writelines(lines)
    initial, rest = docs[: a.initial], docs[a.initial:]
    batches = [rest[i: i + a.batch] for i in range(0, len(rest), a.batch)]
    paths = []
    with open(os.path.join(work, "initial.jsonl"), "w") as f:
        f.writelines(initial)
    for i, b in enumerate(batches):
        paths.append(os.path.join(work, f"batch{i:04d}.jsonl"))
        with open(paths[-1], "w") as f:
            f.writelines(b)
    with open(os.path.join(work, "all.jsonl"), "w") as f:
        f.writelines(docs)
    # Dense mode: vectors per part (the fresh build gets the same rows: same seeds, concatenated).
    dense_opts = {}
    dense_settings = []
    if a.dense_dim:
        import numpy as np

        parts = [("initial", initial)] + [(f"batch{i:04d}", b) for i, b in enumerate(batches)]
        all_vecs, all_ids = [], []
        for n, (stem, lines) in enumerate(parts):
            ids = doc_ids(lines)
            dense_opts[stem] = write_dense(os.path.join(work, stem), ids, a.dense_dim, 1000 + n)
            all_vecs.append(np.load(os.path.join(work, stem + ".npy")))
            all_ids += ids
        np.save(os.path.join(work, "all.npy"), np.concatenate(all_vecs))
        with open(os.path.join(work, "all.ids"), "w") as f:
            f.write("".join(i + "\n" for i in all_ids))
        dense_opts["all"] = ["--dense", os.path.join(work, "all.npy"), "--dense-ids",
                             os.path.join(work, "all.ids")]
        dense_settings = ["--metric", a.metric] + (["--hnsw"] if a.hnsw else [])
        dq = np.random.default_rng(7).standard_normal((100, a.dense_dim), dtype=np.float32)
        with open(os.path.join(work, "dense_queries.jsonl"), "w") as f:
            for i, v in enumerate(dq):
                f.write(json.dumps({"id": f"q{i}", "vector": [float(x) for x in v]}) + "\n")

    index = os.path.join(work, "live")
    t = str(a.threads)
    _, initial_s = run([a.tandem, "index", "-q", "--threads", t, "--corpus",
                        os.path.join(work, "initial.jsonl"), "--index", index]
                       + dense_opts.get("initial", []) + dense_settings)
    idle_before, _ = search_stats(a.tandem, index, queries, a.k)

    # Adds in a background thread; searches in a loop meanwhile.
    adds = []
    done = threading.Event()

    def add_all():
        for p in paths:
            stem = os.path.basename(p)[: -len(".jsonl")]
            out, secs = run([a.tandem, "add", "--json", "--threads", t, "--index", index, "--corpus", p]
                            + dense_opts.get(stem, []))
            r = json.loads(out)
            adds.append({"documents": r["documents"], "wall_seconds": secs,
                         "segment_seconds": r["seconds"], "merge_seconds": r["merge"]["seconds"],
                         "merges": r["merge"]["merges"], "segments_after": r["merge"]["segments_after"]})
        done.set()

    writer = threading.Thread(target=add_all)
    t0 = time.time()
    writer.start()
    under_load = []
    while not done.is_set():
        lat, gen = search_stats(a.tandem, index, queries, a.k)
        under_load.append({"generation": gen, **lat})
    writer.join()
    add_wall = time.time() - t0
    idle_after, _ = search_stats(a.tandem, index, queries, a.k)

    fresh = os.path.join(work, "fresh")
    _, fresh_s = run([a.tandem, "index", "-q", "--threads", t, "--corpus",
                      os.path.join(work, "all.jsonl"), "--index", fresh]
                     + dense_opts.get("all", []) + dense_settings)
    idle_fresh, _ = search_stats(a.tandem, fresh, queries, a.k)
    runs = []
    for idx in (index, fresh):
        out_run = os.path.join(work, os.path.basename(idx) + ".run")
        run([a.tandem, "search", "--index", idx, "--queries", queries, "--k", "100", "--exact",
             "--run", out_run, "-q"])
        with open(out_run) as f:
            runs.append(f.read())
    dense_runs = []
    if a.dense_dim:
        for idx in (index, fresh):
            out_run = os.path.join(work, os.path.basename(idx) + ".dense.run")
            run([a.tandem, "search", "--index", idx, "--retriever", "dense-exact", "--queries",
                 os.path.join(work, "dense_queries.jsonl"), "--k", "100", "--run", out_run, "-q"])
            with open(out_run) as f:
                dense_runs.append(f.read())
    info, _ = run([a.tandem, "info", "--json", "--index", index])
    segments = len(json.loads(info)["segments"])

    added = sum(x["documents"] for x in adds)
    summary = {
        "name": a.name, "documents": len(docs), "initial": len(initial), "batch": a.batch,
        "batches": len(batches), "threads": a.threads, "queries": queries, "k": a.k,
        "initial_build_seconds": initial_s,
        "add_docs_per_second_overall": added / add_wall if add_wall > 0 else 0,
        "add_docs_per_second_median_batch": sorted(x["documents"] / x["wall_seconds"] for x in adds)[len(adds) // 2] if adds else 0,
        "merge_seconds_total": sum(x["merge_seconds"] for x in adds),
        "fresh_build_seconds": fresh_s,
        "fresh_build_docs_per_second": len(docs) / fresh_s,
        "segments_at_end": segments,
        "search_idle_before_us": idle_before,
        "search_idle_after_us": idle_after,
        "search_idle_fresh_build_us": idle_fresh,
        "search_under_load_us": {
            "runs": len(under_load),
            "p50_median": sorted(x["p50"] for x in under_load)[len(under_load) // 2] if under_load else None,
            "p99_median": sorted(x["p99"] for x in under_load)[len(under_load) // 2] if under_load else None,
            "p99_max": max(x["p99"] for x in under_load) if under_load else None,
        },
        "identical_run": runs[0] == runs[1],
        "dense": {"dim": a.dense_dim, "metric": a.metric, "hnsw": a.hnsw,
                  "identical_dense_exact_run": dense_runs[0] == dense_runs[1]} if a.dense_dim else None,
        "note": "shared 2-core machine, loaded by other jobs: compare ratios within this run",
        "adds": adds,
        "search_under_load_runs": under_load,
        "command": " ".join(sys.argv),
    }
    out = a.out or os.path.join(ROOT, "bench", "results", f"live_index.{a.name}.json")
    with open(out, "w") as f:
        json.dump(summary, f, indent=2)
    s = summary
    print(f"| {a.name} | {len(docs)} docs | initial {len(initial)} in {initial_s:.1f} s | "
          f"{len(batches)} adds of {a.batch}: {s['add_docs_per_second_overall']:.0f} docs/s overall "
          f"(median batch {s['add_docs_per_second_median_batch']:.0f}), merges {s['merge_seconds_total']:.1f} s | "
          f"fresh build {s['fresh_build_docs_per_second']:.0f} docs/s |")
    print(f"| search p50/p99 us: idle before {idle_before['p50']:.0f}/{idle_before['p99']:.0f}, "
          f"under adds {s['search_under_load_us']['p50_median']}/{s['search_under_load_us']['p99_median']}, "
          f"idle after {idle_after['p50']:.0f}/{idle_after['p99']:.0f} ({segments} segments), "
          f"fresh build {idle_fresh['p50']:.0f}/{idle_fresh['p99']:.0f} (1 segment) | identical run: {s['identical_run']} |")
    if a.dense_dim:
        print(f"| dense {a.dense_dim}-d {a.metric}{' hnsw' if a.hnsw else ''}: identical dense-exact run: "
              f"{s['dense']['identical_dense_exact_run']} |")
    print("wrote", out)


if __name__ == "__main__":
    main()
