#!/usr/bin/python3
"""Pre-tokenizes a JSONL corpus and a TSV query file identically for tandem's sparse micro-benchmark
and for the Lucene peer (run with its whitespace analyzer), so both index exactly the same tokens.

Tokens: lowercased ASCII letter/digit runs, minus Lucene's English stopword set. No stemming.

usage: pretokenize.py CORPUS.jsonl QUERIES.tsv OUTDIR [--max-docs N]
writes OUTDIR/corpus.jsonl ({"id", "contents"}: Lucene peer input), OUTDIR/corpus.tsv (id TAB tokens:
bench/micro/query_bench with TANDEM_BENCH_CORPUS) and OUTDIR/queries.tsv (qid TAB tokens; queries with
no token left are dropped).
"""
import json
import re
import sys

STOP = set("a an and are as at be but by for if in into is it no not of on or such that the their then "
           "there these they this to was will with".split())
TOKEN = re.compile(r"[a-z0-9]+")


def tokens(text):
    return [t for t in TOKEN.findall(text.lower()) if t not in STOP]


def main():
    args = sys.argv[1:]
    max_docs = None
    if "--max-docs" in args:
        i = args.index("--max-docs")
        max_docs = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 3:
        sys.exit(__doc__)
    corpus, queries, out = args
    n = 0
    with open(corpus, encoding="utf-8") as f, open(out + "/corpus.jsonl", "w") as lj, \
            open(out + "/corpus.tsv", "w") as lt:
        for line in f:
            doc = json.loads(line)
            toks = tokens(doc.get("contents", doc.get("text", "")))
            if not toks:
                continue
            text = " ".join(toks)
            lj.write(json.dumps({"id": doc["id"], "contents": text}) + "\n")
            lt.write(doc["id"] + "\t" + text + "\n")
            n += 1
            if max_docs and n >= max_docs:
                break
    q = 0
    with open(queries, encoding="utf-8") as f, open(out + "/queries.tsv", "w") as o:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            toks = tokens(text)
            if toks:
                o.write(qid + "\t" + " ".join(toks) + "\n")
                q += 1
    print(f"{n} documents, {q} queries")


if __name__ == "__main__":
    main()
