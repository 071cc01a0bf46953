#!/usr/bin/python3
"""Load test of `tandem serve` on loopback with wrk, and a memory soak.

What it measures, in one run, on this machine:
  * the SciFact index (data/scifact, 5,183 abstracts; built once under --work),
  * `tandem serve` answering POST /search {"query", "k"} for the 300 SciFact test queries,
    round-robin (bench/macro/http_wrk.lua), at 1, 8 and 64 connections for --duration seconds
    each: requests/s, latency p50 / p90 / p99 (wrk's, client side, including HTTP and JSON), and
    errors (connect, read, write, timeout, HTTP status >= 400; all must be 0),
  * the reference peer: the same queries through the CLI's in-process batch search
    (`tandem search --threads 1` and `--threads 0`), the engine without HTTP. Lucene
    (../shared/peers) is not an HTTP server, so the in-process figure is the only peer,
  * server RSS before and after each level; with --soak SECONDS, a soak at --soak-connections
    sampling the server's RSS every 10 s (start, end, max, and the slope of a least-squares line
    over the second half, in KiB/min: "stable" means no growth trend).
The server and wrk share this machine's cores (2, shared with other work): numbers are noisy;
compare the ratio to the in-process peer measured in the same run.

Usage:
  /usr/bin/python3 bench/macro/http_load.py                      # load levels, ~1 min
  /usr/bin/python3 bench/macro/http_load.py --soak 600 --skip-load --out bench/results/http_soak.scifact.json
Writes bench/results/http_load.scifact.json (or --out).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    return p.stdout


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wrk(url, lua, bodies, connections, duration):
    threads = max(1, min(connections, 2))
    out = run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "10s", "-s", lua, url, "--", bodies])
    for line in out.splitlines():
        if line.startswith("WRK_JSON "):
            r = json.loads(line[len("WRK_JSON "):])
            r["qps"] = r["requests"] / (r["duration_us"] / 1e6)
            r["connections"] = connections
            r["wrk_threads"] = threads
            r["errors_total"] = sum(r["errors"].values())
            return r
    sys.exit(f"no summary from wrk:\n{out}")


def slope_kib_per_min(samples):
    """Least-squares slope of RSS over time for the second half of the samples."""
    half = samples[len(samples) // 2:]
    if len(half) < 2:
        return 0.0
    n = len(half)
    mx = sum(t for t, _ in half) / n
    my = sum(r for _, r in half) / n
    sxx = sum((t - mx) ** 2 for t, _ in half)
    sxy = sum((t - mx) * (r - my) for t, r in half)
    return (sxy / sxx) * 60 if sxx > 0 else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build/release/apps/cli/tandem"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "data/scifact/corpus.jsonl.gz"))
    ap.add_argument("--queries", default=os.path.join(ROOT, "data/scifact/queries.test.tsv"))
    ap.add_argument("--work", default="/tmp/serve/http_load")
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--connections", default="1,8,64")
    ap.add_argument("--duration", type=int, default=15, help="seconds per connection level")
    ap.add_argument("--server-threads", type=int, default=0, help="tandem serve --threads (0 = default)")
    ap.add_argument("--skip-load", action="store_true", help="only the soak")
    ap.add_argument("--soak", type=int, default=0, help="soak seconds (0 = none)")
    ap.add_argument("--soak-connections", type=int, default=8)
    ap.add_argument("--peer-repeat", type=int, default=20, help="in-process peer: query file repeats")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results/http_load.scifact.json"))
    a = ap.parse_args()

    os.makedirs(a.work, exist_ok=True)
    index = os.path.join(a.work, "scifact")
    if not os.path.exists(os.path.join(index, "manifest.json")):
        print(f"building {index}", flush=True)
        run([a.tandem, "index", "--corpus", a.corpus, "--index", index, "--overwrite", "-q"])
    bodies = os.path.join(a.work, "bodies.jsonl")
    n_queries = 0
    with open(a.queries) as f, open(bodies, "w") as out:
        for line in f:
            if line.strip():
                qid, text = line.rstrip("\n").split("\t", 1)
                out.write(json.dumps({"query": text, "k": a.k}) + "\n")
                n_queries += 1

    result = {
        "benchmark": "http_load",
        "collection": "scifact",
        "queries": n_queries,
        "k": a.k,
        "machine": {"cores": os.cpu_count(), "platform": platform.platform()},
        "note": "shared, loaded 2-core machine (other builds and benchmarks ran at the same time); "
                "wrk and the server compete for the same cores; compare ratios to the in-process "
                "peer of the same run",
        "load_average_at_start": os.getloadavg(),
        "commands": {"load": " ".join(["/usr/bin/python3", "bench/macro/http_load.py"] + sys.argv[1:])},
    }

    # The peer: the engine in process, no HTTP (the CLI's batch search, same queries and k). The
    # 300 queries are repeated --peer-repeat times (distinct qids) so that start-up and the first,
    # cold queries do not dominate the batch's wall time; one warm-up batch first.
    repeated = os.path.join(a.work, "queries.repeated.tsv")
    with open(a.queries) as f:
        lines = [l.rstrip("\n").split("\t", 1) for l in f if l.strip()]
    with open(repeated, "w") as out:
        for r in range(a.peer_repeat):
            out.writelines(f"{qid}-{r}\t{text}\n" for qid, text in lines)
    peer = {"queries": len(lines) * a.peer_repeat}
    run([a.tandem, "search", "--index", index, "--queries", a.queries, "--k", str(a.k),
         "--run", os.path.join(a.work, "warmup.run"), "-q"])
    for threads in (1, 8, 0):
        stats = os.path.join(a.work, f"inproc.{threads}.json")
        run([a.tandem, "search", "--index", index, "--queries", repeated, "--k", str(a.k),
             "--threads", str(threads), "--run", stats + ".run", "--stats", stats, "-q"])
        with open(stats) as f:
            s = json.load(f)
        peer[f"threads_{threads or 'all'}"] = {"qps": s["qps"], "latency_us": s["latency_us"],
                                               "threads": s.get("threads", threads)}
        print(f"in-process, {threads or 'all'} thread(s): {s['qps']:.0f} q/s, p50 {s['latency_us']['p50']:.0f} us", flush=True)
    result["in_process"] = peer

    cmd = [a.tandem, "serve", "--index", index, "--port", "0"]
    if a.server_threads:
        cmd += ["--threads", str(a.server_threads)]
    srv = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = srv.stdout.readline()
    if "listening on http://" not in line:
        srv.kill()
        sys.exit(f"server did not start: {line!r}")
    url = line.split()[4]
    lua = os.path.join(HERE, "http_wrk.lua")
    result["server"] = {"command": " ".join(cmd), "url": url}
    try:
        wrk(url, lua, bodies, 8, 3)  # warm-up: page in the index, start the threads
        if not a.skip_load:
            levels = []
            for c in [int(x) for x in a.connections.split(",")]:
                before = rss_kib(srv.pid)
                r = wrk(url, lua, bodies, c, a.duration)
                r["rss_kib_before"], r["rss_kib_after"] = before, rss_kib(srv.pid)
                levels.append(r)
                print(f"{c:>3} connections: {r['qps']:.0f} req/s, p50 {r['latency_us']['p50'] / 1000:.2f} ms, "
                      f"p99 {r['latency_us']['p99'] / 1000:.2f} ms, errors {r['errors_total']}", flush=True)
            result["levels"] = levels
            # On a loaded machine CPU time is shared per runnable thread: the server (one thread per
            # connection) gets more of it than a 2-thread batch, so compare like thread counts.
            by_c = {l["connections"]: l["qps"] for l in levels}
            result["ratio_http_to_in_process"] = {
                "1_connection_vs_1_thread": by_c.get(1, 0) / peer["threads_1"]["qps"],
                "8_connections_vs_8_threads": by_c.get(8, 0) / peer["threads_8"]["qps"],
            }
        if a.soak:
            samples = []
            box = {}
            t = threading.Thread(target=lambda: box.update(
                r=wrk(url, lua, bodies, a.soak_connections, a.soak)))
            t0 = time.time()
            t.start()
            while t.is_alive():
                samples.append((round(time.time() - t0, 1), rss_kib(srv.pid)))
                t.join(timeout=10)
            samples.append((round(time.time() - t0, 1), rss_kib(srv.pid)))
            r = box["r"]
            rss = [x for _, x in samples]
            slope = slope_kib_per_min(samples)
            result["soak"] = {
                "seconds": a.soak, "connections": a.soak_connections, "qps": r["qps"],
                "requests": r["requests"], "errors": r["errors"], "errors_total": r["errors_total"],
                "latency_us": r["latency_us"],
                "rss_kib": {"start": rss[0], "end": rss[-1], "max": max(rss),
                            "slope_second_half_kib_per_min": slope},
                "samples": samples,
            }
            print(f"soak {a.soak}s at {a.soak_connections} connections: {r['qps']:.0f} req/s, errors "
                  f"{r['errors_total']}, RSS start {rss[0]} KiB, end {rss[-1]}, max {max(rss)}, "
                  f"slope (2nd half) {slope:.1f} KiB/min", flush=True)
    finally:
        srv.terminate()
        srv.wait(timeout=30)
    result["load_average_at_end"] = os.getloadavg()
    with open(a.out, "w") as f:
        json.dump(result, f, indent=2)
        f.write("\n")
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
