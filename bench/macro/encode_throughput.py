#!/usr/bin/python3
"""Encoding throughput of `tandem encode` on this machine (records/s and tokens/s, 1 and 2 threads).

What it measures:
  * the BERT forward pass on ../shared/models/tiny-random-bert (hidden 32, 2 layers, 2 heads, 64
    positions; a random model, so only its speed means anything) over synthetic token-id sequences
    (seeded; lengths uniform in [8, 64], ids uniform over the 30,522-entry vocabulary), with
    mean pooling and with the SPLADE head (top 128 kept, on the first tenth of the sequences),
    each with OpenBLAS sgemm and with plain
    loops (--gemm loop), batches of 32;
  * GloVe-SIF and LSA (256d) models trained on SciFact, encoding SciFact's 5,183 documents
    (tokens = terms after analysis).
Times are the encoding only (inputs already read, output written), from `tandem encode --stats`;
the median of --repeat runs. Also reported: tokens per CPU-second (process CPU time of all
threads while encoding), which does not depend on what else the machine runs; wall-clock rates do,
so the load average is recorded with the results.

Usage:
  /usr/bin/python3 bench/macro/encode_throughput.py [--repeat 3] [--sequences 4000]
Writes bench/results/encode_throughput.json and prints a markdown table.
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.environ.get("TANDEM_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
BERT = os.path.join(SHARED, "models/tiny-random-bert")
GLOVE = os.path.join(SHARED, "models/glove-6b-100d-top100k/glove.6B.100d.top100k.w2v.bin")
SCIFACT = os.path.join(ROOT, "data/scifact/corpus.jsonl.gz")


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-3000:]}")
    return p.stdout


def encode(a, model, inp, extra, threads, out_ext=".jsonl"):
    stats = []
    for _ in range(a.repeat):
        path = os.path.join(a.work, "stats.json")
        run([a.tandem, "encode", "--model", model, "--input", inp, "--output", os.path.join(a.work, "out" + out_ext),
             "--threads", str(threads), "--stats", path, "-q"] + extra)
        with open(path) as f:
            stats.append(json.load(f))
    best = sorted(stats, key=lambda s: s["encode_seconds"])[len(stats) // 2]
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tandem", default=os.path.join(ROOT, "build/release/apps/cli/tandem"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--sequences", type=int, default=4000)
    ap.add_argument("--work", default="/tmp/tandem-encode-throughput")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/results/encode_throughput.json"))
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    rng = random.Random(20241128)
    ids_path = os.path.join(a.work, "ids.jsonl")
    with open(ids_path, "w") as f:
        for i in range(a.sequences):
            n = rng.randint(8, 64)
            seq = [101] + [rng.randrange(1000, 30522) for _ in range(n - 2)] + [102]
            f.write(json.dumps({"id": f"s{i}", "input_ids": seq}) + "\n")
    # SPLADE's decoder (hidden x 30,522 per token) dominates: a tenth of the sequences suffices.
    splade_path = os.path.join(a.work, "ids.splade.jsonl")
    with open(ids_path) as f, open(splade_path, "w") as g:
        g.writelines(line for i, line in enumerate(f) if i < max(1, a.sequences // 10))
    rows = []
    for head, extra, inp in (("mean", ["--head", "mean"], ids_path),
                             ("splade top-128", ["--head", "splade", "--top-k", "128"], splade_path)):
        for gemm in ("blas", "loop"):
            for threads in (1, 2):
                s = encode(a, BERT, inp, extra + ["--gemm", gemm, "--batch-size", "32"], threads)
                rows.append(dict(s, model=f"tiny-random-bert, {head}", gemm=gemm, threads=threads))
    models = {}
    for kind, train in (("glove-sif", ["sif", "--vectors", GLOVE]), ("lsa-256", ["lsa", "--dims", "256"])):
        path = os.path.join(a.work, kind + ".model")
        run([a.tandem, "train"] + train + ["--corpus", SCIFACT, "--out", path, "-q"])
        models[kind] = path
    for kind, path in models.items():
        for threads in (1, 2):
            s = encode(a, path, SCIFACT, [], threads, ".npy")
            rows.append(dict(s, model=f"{kind} (SciFact corpus)", gemm="", threads=threads))
    load = os.getloadavg()
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w") as f:
        json.dump(dict(cpus=os.cpu_count(), load_average=load, rows=rows), f, indent=1)
    print(f"{os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end")
    print()
    print("| model | gemm | threads | records | tokens | wall s | records/s | tokens/s | CPU s | tokens/CPU-s |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['model']} | {r['gemm']} | {r['threads']} | {r['records']} | {r['tokens']} | "
              f"{r['encode_seconds']:.2f} | {r['records_per_second']:.0f} | {r['tokens_per_second']:.0f} | "
              f"{r['encode_cpu_seconds']:.2f} | {r['tokens_per_cpu_second']:.0f} |")


if __name__ == "__main__":
    main()
