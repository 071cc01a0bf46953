#!/usr/bin/python3
"""Dense retrieval: tandem next to FAISS (Debian), hnswlib (Debian) and usearch (npm).

What it measures, on one vector set (base.fvecs, query.fvecs, groundtruth.ivecs as
../shared/tools/perfcorpus makes them, e.g. GloVe-100 with glove_to_fvecs.py):

  * the machine's read bandwidth on one core (bench/macro/stream_read.cpp, a STREAM-like sum over
    1 GiB), measured in the same run;
  * exact search: tandem dense-exact (blocks of 128 queries through the register-tiled block
    product, and one query at a time through the SIMD scan) against FAISS IndexFlat (its batch
    search multiplies through the BLAS it is linked to: Debian's OpenBLAS, whose run-time CPU
    detection is recorded as "openblas_core"; FAISS's batch is also run with OPENBLAS_CORETYPE=
    SkylakeX, forcing OpenBLAS's AVX-512 kernels), on --exact-threads threads each; the
    single-query scan's bandwidth (rows * dim * 4 bytes per query) against the read kernel's;
    with --check-gt, tandem's exact top-100 ids against groundtruth.ivecs (all queries);
  * HNSW: tandem, FAISS IndexHNSWFlat, hnswlib and usearch built with the same M and efConstruction
    on the same number of threads, then searched on one thread (each library's native batch loop,
    so no interpreter runs per query) over a sweep of ef; recall@10 against the ground truth, QPS,
    build time, index size, peak RSS of the search process; QPS at recall 0.90 / 0.95 / 0.99 is the
    best QPS among the sweep points that reach it;
  * codes: tandem sq8 / binary (asymmetric score, and Hamming distance) / pq, re-ranking a sweep of
    candidate counts with the full vectors, and each kind's default depth: recall@10, QPS, bytes
    per vector in memory.

Run (after scripts/setup.sh, a release build, and `cp -r ../shared/peers /tmp/peers && (cd
/tmp/peers/npm && npm ci)`):

  /usr/bin/python3 /tmp/perfcorpus/glove_to_fvecs.py --outdir /tmp/glove   # or ../shared/tools/...
  /usr/bin/python3 bench/macro/dense_vs_peers.py --data /tmp/glove --name glove100 \\
      --peers /tmp/peers --out bench/results/dense_vs_peers.glove100.json

Prints a table and writes the JSON (every measured point) to --out.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def sh(cmd, **kw):
    """Runs a command under /usr/bin/time; returns (stdout, wall seconds, peak RSS in MiB)."""
    t0 = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "@@RSS %M"] + cmd, capture_output=True, text=True, **kw)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("command failed (%d): %s\n%s\n%s" % (p.returncode, " ".join(cmd), p.stdout[-2000:], p.stderr[-2000:]))
    rss = re.search(r"@@RSS (\d+)", p.stderr)
    return p.stdout, wall, (int(rss.group(1)) / 1024.0 if rss else 0.0)


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                pass
    # a pretty-printed object (tandem --json)
    return json.loads(text[text.index("{"):])


def read_ivecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    d = int(raw[0])
    return raw.reshape(-1, d + 1)[:, 1:]


def recall_at(run_path, gt, k=10):
    got = {}
    with open(run_path) as f:
        for line in f:
            q, _, doc, rank, _, _ = line.split()
            if int(rank) <= k:
                got.setdefault(int(q), []).append(int(doc))
    hits = sum(len(set(got.get(i, [])) & set(gt[i, :k].tolist())) for i in range(gt.shape[0]))
    return hits / float(gt.shape[0] * k)


def at_targets(points, targets=(0.90, 0.95, 0.99)):
    out = {}
    for t in targets:
        ok = [p["qps"] for p in points if p["recall"] >= t]
        out["%.2f" % t] = round(max(ok), 1) if ok else None
    return out


def openblas_core():
    """The kernel set Debian's OpenBLAS picks on this CPU (what FAISS's batch search multiplies with)."""
    import ctypes
    try:
        lib = ctypes.CDLL("libopenblas.so.0")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        return lib.openblas_get_corename().decode()
    except OSError:
        return None


def dir_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="folder with base.fvecs, query.fvecs, groundtruth.ivecs")
    ap.add_argument("--name", default="dense")
    ap.add_argument("--metric", default="ip", choices=["ip", "l2"])
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build/release/apps/cli/tandem"))
    ap.add_argument("--peers", default="/tmp/peers", help="an installed copy of ../shared/peers")
    ap.add_argument("--work", default="/tmp/dense_vs_peers")
    ap.add_argument("--out", help="JSON results file")
    ap.add_argument("--M", type=int, default=16)
    ap.add_argument("--ef-construction", type=int, default=200)
    ap.add_argument("--build-threads", type=int, default=2)
    ap.add_argument("--efs", default="10,16,24,32,48,64,96,128,192,256,384,512")
    ap.add_argument("--reranks", default="50,100,200,500,1000,2000,5000")
    ap.add_argument("--exact-threads", type=int, default=1, help="threads of exact search (tandem and FAISS)")
    ap.add_argument("--code-kinds", default="sq8,binary,pq", help="codes to build and measure")
    ap.add_argument("--fp16", action="store_true",
                    help="also build an index with --dense-storage fp16 and measure its exact search")
    ap.add_argument("--check-gt", action="store_true",
                    help="check tandem's exact top-100 ids against groundtruth.ivecs (every query)")
    ap.add_argument("--max-queries", type=int, default=0, help="use only the first N queries (0 = all)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="run every search this many times and keep the fastest (the machine may be shared)")
    ap.add_argument("--skip", default="",
                    help="comma list of: stream,exact,faiss,faiss-single,faiss-skylakex,faiss-hnsw,hnswlib,usearch,"
                         "hnsw,codes")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    os.makedirs(a.work, exist_ok=True)
    base, query = os.path.join(a.data, "base.fvecs"), os.path.join(a.data, "query.fvecs")
    gt = read_ivecs(os.path.join(a.data, "groundtruth.ivecs"))
    if a.max_queries and a.max_queries < gt.shape[0]:
        gt = gt[:a.max_queries]
        qd = int(np.fromfile(query, dtype=np.int32, count=1)[0])
        sub = os.path.join(a.work, "query.%d.fvecs" % a.max_queries)
        np.fromfile(query, dtype=np.int32)[:a.max_queries * (qd + 1)].tofile(sub)
        query = sub
    xb_rows = os.path.getsize(base) // (4 * (1 + int(np.fromfile(base, dtype=np.int32, count=1)[0])))
    dim = int(np.fromfile(base, dtype=np.int32, count=1)[0])
    nq = gt.shape[0]
    efs = [int(x) for x in a.efs.split(",")]
    res = {"name": a.name, "rows": int(xb_rows), "dim": dim, "queries": nq, "metric": a.metric, "M": a.M,
           "ef_construction": a.ef_construction, "build_threads": a.build_threads, "search_threads": 1,
           "date": time.strftime("%Y-%m-%d %H:%M:%S"), "loadavg_start": os.getloadavg()[0],
           "cpu": open("/proc/cpuinfo").read().split("model name")[1].split("\n")[0].strip(": "),
           "exact_threads": a.exact_threads, "openblas_core": openblas_core(),
           "note": "shared machine (2 cores, other builds running): compare ratios within this run"}
    T = a.tandem
    peers_py = os.path.join(a.peers, "dense", "ann.py")
    peers_js = os.path.join(a.peers, "npm", "ann.mjs")

    if "stream" not in skip:
        exe = os.path.join(a.work, "stream_read")
        subprocess.run(["g++", "-O3", "-march=native", "-o", exe, os.path.join(HERE, "stream_read.cpp")], check=True)
        out, _, _ = sh([exe, "1024", "5"])
        res["stream_read_gb_per_s"] = last_json(out)["read_gb_per_s"]

    # ---- tandem indexes -----------------------------------------------------------------------
    tix = os.path.join(a.work, "tandem-hnsw")
    graph = [] if "hnsw" in skip else ["--hnsw", "--hnsw-m", str(a.M), "--ef-construction", str(a.ef_construction)]
    out, wall, rss = sh([T, "index", "--dense", base, "--metric", a.metric] + graph +
                        ["--threads", str(a.build_threads), "--index", tix, "--overwrite", "--json"])
    res["tandem_build"] = {"seconds": round(wall, 2), "peak_rss_mib": round(rss, 1), "index_bytes": dir_bytes(tix)}

    def tandem_search(index, retriever, extra, tag, threads=1):
        run = os.path.join(a.work, "run.%s" % tag)
        stats = os.path.join(a.work, "stats.%s.json" % tag)
        s = None
        for _ in range(a.repeat):
            _, _, rss = sh([T, "search", "--index", index, "--retriever", retriever, "--queries", query, "--run",
                            run, "--k", "10", "--threads", str(threads), "--stats", stats, "-q"] + extra)
            one = json.load(open(stats))
            if s is None or one["qps"] > s["qps"]:
                s = one
        return {"qps": round(s["qps"], 1), "recall": round(recall_at(run, gt), 4),
                "latency_us_p50": round(s["latency_us"]["p50"], 1), "latency_us_p99": round(s["latency_us"]["p99"], 1),
                "peak_rss_mib": round(rss, 1), "bytes_per_vector": s["settings"].get("bytes_per_vector"),
                "rerank": s["settings"].get("rerank")}

    # ---- exact ---------------------------------------------------------------------------------
    if "exact" not in skip:
        et = a.exact_threads
        ex = {"tandem_blocked": tandem_search(tix, "dense-exact", ["--query-block", "128"], "exact128", et),
              "tandem_scan": tandem_search(tix, "dense-exact", ["--query-block", "1"], "exact1")}
        if a.fp16:
            hix = os.path.join(a.work, "tandem-fp16")
            _, wall, rss = sh([T, "index", "--dense", base, "--metric", a.metric, "--dense-storage", "fp16",
                               "--threads", str(a.build_threads), "--index", hix, "--overwrite", "-q"])
            res["tandem_build_fp16"] = {"seconds": round(wall, 2), "peak_rss_mib": round(rss, 1),
                                        "index_bytes": dir_bytes(hix)}
            ex["tandem_blocked_fp16"] = tandem_search(hix, "dense-exact", ["--query-block", "128"], "exact128h", et)
            ex["tandem_scan_fp16"] = tandem_search(hix, "dense-exact", ["--query-block", "1"], "exact1h")
            ex["tandem_scan_fp16"]["scan_gb_per_s"] = round(xb_rows * dim * 2 * ex["tandem_scan_fp16"]["qps"] / 1e9, 2)
        if a.check_gt:
            gt_full = read_ivecs(os.path.join(a.data, "groundtruth.ivecs"))[:nq]
            run = os.path.join(a.work, "run.exact-k100")
            sh([T, "search", "--index", tix, "--retriever", "dense-exact", "--queries", query, "--run", run,
                "--k", str(gt_full.shape[1]), "--threads", str(et), "-q"])
            got = {}
            with open(run) as f:
                for line in f:
                    q, _, doc, rank, _, _ = line.split()
                    got.setdefault(int(q), []).append(int(doc))
            same = sum(got.get(i, []) == gt_full[i].tolist() for i in range(nq))
            ex["top%d_ids_equal_groundtruth" % gt_full.shape[1]] = "%d/%d" % (same, nq)
        scan_bytes = xb_rows * dim * 4
        ex["tandem_scan"]["scan_gb_per_s"] = round(scan_bytes * ex["tandem_scan"]["qps"] / 1e9, 2)
        ex["tandem_blocked"]["effective_gb_per_s"] = round(scan_bytes * ex["tandem_blocked"]["qps"] / 1e9, 2)
        if "faiss" not in skip:
            fidx = os.path.join(a.work, "faiss-flat.index")
            sh(["/usr/bin/python3", peers_py, "build", "--backend", "faiss", "--factory", "Flat", "--vectors", base,
                "--index", fidx, "--metric", a.metric, "--threads", "1"])
            modes = [("batch", "batch", None, et)]
            if "faiss-skylakex" not in skip:
                modes.append(("batch_openblas_skylakex", "batch", "SkylakeX", et))
            if "faiss-single" not in skip:
                modes.append(("single", "single", None, 1))
            for tag, mode, core, threads in modes:
                run = os.path.join(a.work, "run.faiss-flat-" + tag)
                # FAISS's --threads sets OpenMP only; OpenBLAS (pthreads) would use every core
                env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads))
                if core:
                    env["OPENBLAS_CORETYPE"] = core
                s = None
                for _ in range(a.repeat):
                    out, _, rss = sh(["/usr/bin/python3", peers_py, "search", "--backend", "faiss", "--index", fidx,
                                      "--queries", query, "--output", run, "--hits", "10", "--threads",
                                      str(threads), "--mode", mode], env=env)
                    one = last_json(out)
                    if s is None or one["qps"] > s["qps"]:
                        s = one
                ex["faiss_flat_" + tag] = {"qps": s["qps"], "recall": round(recall_at(run, gt), 4),
                                           "peak_rss_mib": round(rss, 1), "threads": threads}
            ex["speedup_blocked_vs_faiss_batch"] = round(ex["tandem_blocked"]["qps"] / ex["faiss_flat_batch"]["qps"], 2)
            if "faiss_flat_batch_openblas_skylakex" in ex:
                ex["speedup_blocked_vs_faiss_batch_skylakex"] = round(
                    ex["tandem_blocked"]["qps"] / ex["faiss_flat_batch_openblas_skylakex"]["qps"], 2)
            if "faiss_flat_single" in ex:
                ex["speedup_scan_vs_faiss_single"] = round(ex["tandem_scan"]["qps"] / ex["faiss_flat_single"]["qps"], 2)
        if "stream_read_gb_per_s" in res:
            ex["scan_fraction_of_stream"] = round(ex["tandem_scan"]["scan_gb_per_s"] / res["stream_read_gb_per_s"], 3)
        res["exact"] = ex

    # ---- HNSW ----------------------------------------------------------------------------------
    systems = {}
    if "hnsw" not in skip:
        pts = []
        for ef in efs:
            p = tandem_search(tix, "hnsw", ["--ef", str(ef)], "hnsw-%d" % ef)
            p["ef"] = ef
            pts.append(p)
        systems["tandem"] = {"build_seconds": res["tandem_build"]["seconds"],
                             "index_bytes": res["tandem_build"]["index_bytes"], "points": pts}

    def peer(name, script_cmd, build_extra, search_extra, index, cwd=None):
        out, wall, _ = sh(script_cmd + ["build"] + build_extra + ["--vectors", base, "--index", index,
                                                                  "--metric", a.metric, "--M", str(a.M),
                                                                  "--ef-construction", str(a.ef_construction),
                                                                  "--threads", str(a.build_threads)], cwd=cwd)
        b = last_json(out)
        pts = []
        for ef in efs:
            run = os.path.join(a.work, "run.%s-%d" % (name, ef))
            s = None
            for _ in range(a.repeat):
                out, _, rss = sh(script_cmd + ["search"] + search_extra + ["--index", index, "--queries", query,
                                                                           "--output", run, "--hits", "10",
                                                                           "--ef-search", str(ef), "--threads", "1",
                                                                           "--mode", "batch"], cwd=cwd)
                one = last_json(out)
                if s is None or one["qps"] > s["qps"]:
                    s = one
            pts.append({"ef": ef, "qps": round(s["qps"], 1), "recall": round(recall_at(run, gt), 4),
                        "peak_rss_mib": round(rss, 1)})
        systems[name] = {"build_seconds": round(b["build_ms"] / 1000.0, 2), "index_bytes": b.get("index_bytes"),
                         "points": pts}

    py = ["/usr/bin/python3", peers_py]
    if "faiss" not in skip and "faiss-hnsw" not in skip:
        peer("faiss-hnsw", py, ["--backend", "faiss", "--factory", "HNSW%d" % a.M], ["--backend", "faiss"],
             os.path.join(a.work, "faiss-hnsw.index"))
    if "hnswlib" not in skip:
        peer("hnswlib", py, ["--backend", "hnswlib"], ["--backend", "hnswlib"], os.path.join(a.work, "hnswlib.index"))
    if "usearch" not in skip and os.path.isdir(os.path.join(a.peers, "npm", "node_modules")):
        # usearch 2.25.3's ESM loader finds its prebuilt binary relative to the working directory
        # (its stack-trace lookup fails on file:// URLs), so it runs from its own package folder.
        peer("usearch", ["node", peers_js], ["--backend", "usearch"], ["--backend", "usearch"],
             os.path.join(a.work, "usearch.index"), cwd=os.path.join(a.peers, "npm", "node_modules", "usearch"))
    for s in systems.values():
        s["qps_at_recall"] = at_targets(s["points"])
    res["hnsw"] = systems

    # ---- codes ---------------------------------------------------------------------------------
    if "codes" not in skip:
        cix = os.path.join(a.work, "tandem-codes")
        kinds = a.code_kinds.split(",")
        _, wall, _ = sh([T, "index", "--dense", base, "--metric", a.metric, "--codes", a.code_kinds,
                         "--threads", str(a.build_threads), "--index", cix, "--overwrite", "-q"])
        codes = {"build_seconds": round(wall, 2), "kinds_built": kinds}
        for kind, retriever, extra in (("sq8", "sq8", []), ("binary", "binary", []),
                                       ("binary_hamming", "binary", ["--binary-hamming"]), ("pq", "pq", [])):
            if retriever not in kinds:
                continue
            pts = []
            for r in [int(x) for x in a.reranks.split(",")]:
                p = tandem_search(cix, retriever, ["--rerank", str(r)] + extra, "%s-%d" % (kind, r))
                p["rerank"] = r
                pts.append(p)
            default = tandem_search(cix, retriever, extra, "%s-default" % kind)
            codes[kind] = {"bytes_per_vector": pts[0]["bytes_per_vector"],
                           "compression": round(dim * 4 / pts[0]["bytes_per_vector"], 1), "points": pts,
                           "default": default}
        res["codes"] = codes
    res["loadavg_end"] = os.getloadavg()[0]

    # ---- report --------------------------------------------------------------------------------
    print("\n%s: %d x %d, %d queries, metric %s, k=10, search on 1 thread" % (a.name, xb_rows, dim, nq, a.metric))
    if "stream_read_gb_per_s" in res:
        print("read bandwidth (1 core, 1 GiB): %.1f GB/s" % res["stream_read_gb_per_s"])
    if "exact" in res:
        ex = res["exact"]
        print("\nexact search (%d threads for batches)   qps      recall" % a.exact_threads)
        for key in ("tandem_blocked", "tandem_scan", "tandem_blocked_fp16", "tandem_scan_fp16", "faiss_flat_batch",
                    "faiss_flat_batch_openblas_skylakex", "faiss_flat_single"):
            if key in ex:
                print("  %-36s %9.1f  %.4f" % (key, ex[key]["qps"], ex[key]["recall"]))
        print("  tandem scan bandwidth %.1f GB/s; blocked vs faiss batch x%s; scan vs faiss single x%s" % (
            ex["tandem_scan"]["scan_gb_per_s"], ex.get("speedup_blocked_vs_faiss_batch"),
            ex.get("speedup_scan_vs_faiss_single")))
    if systems:
        print("\nHNSW (M=%d, efC=%d)   build s   index MB   qps@0.90   qps@0.95   qps@0.99   max recall" % (
            a.M, a.ef_construction))
        for name, s in systems.items():
            q = s["qps_at_recall"]
            f = lambda v: "%10s" % ("-" if v is None else "%.0f" % v)
            print("  %-18s %8.1f %10.1f %s %s %s %11.4f" % (name, s["build_seconds"], (s["index_bytes"] or 0) / 1e6,
                                                          f(q["0.90"]), f(q["0.95"]), f(q["0.99"]),
                                                          max(p["recall"] for p in s["points"])))
    if "codes" in res:
        print("\ncodes (re-ranked)    bytes/vec  x smaller   default rerank:recall/qps | sweep rerank:recall/qps")
        for kind in ("sq8", "binary", "binary_hamming", "pq"):
            if kind not in res["codes"]:
                continue
            c = res["codes"][kind]
            dflt = c["default"]
            print("  %-14s %8.1f %10.1f   %s:%.4f/%.0f | %s" % (
                kind, c["bytes_per_vector"], c["compression"], dflt["rerank"], dflt["recall"], dflt["qps"],
                "  ".join("%d:%.4f/%.0f" % (p["rerank"], p["recall"], p["qps"]) for p in c["points"])))
    print(json.dumps(res))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(res, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
