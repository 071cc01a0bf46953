#!/usr/bin/python3
"""End-to-end tests of `tandem serve` (run by ctest; stdlib only).

    http_test.py --tandem BUILD/apps/cli/tandem --source REPO CASE

CASE is one of:
  equal      BM25, sparse and dense results over HTTP equal `tandem search`'s run files (same ids,
             same order, same float scores) for the same queries and index.
  malformed  every malformed request gets a 4xx JSON error {"error": {"kind", "message"}} and the
             server keeps serving (health checked after each; the process is still alive).
  live       add, fetch, search and delete documents through the API; the snapshot changes.
  auth       an API key is enforced, and a non-loopback address without one is refused.
  metrics    Prometheus counters and histograms reflect the requests made.
"""
import argparse
import gzip
import http.client
import json
import os
import random
import shutil
import socket
import struct
import subprocess
import sys
import tempfile

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"command failed ({r.returncode}): {' '.join(cmd)}\n{r.stderr}")
    return r


def tokens(text):
    out = []
    for w in text.lower().replace(".", " ").replace(",", " ").split():
        w = "".join(c for c in w if c.isalnum())
        if w:
            out.append(w)
    return out


def build_fixture(tandem, source, tmp, docs=400, queries=30, dim=8):
    """A small SciFact slice with text, a sparse field (title words) and a dense field (seeded)."""
    rng = random.Random(7)
    corpus, sparse, dense = [], [], []
    with gzip.open(os.path.join(source, "data/scifact/corpus.jsonl.gz"), "rt") as f:
        for line in f:
            d = json.loads(line)
            corpus.append(line.rstrip("\n"))
            vec = {}
            for t in tokens(d["title"]):
                vec[t] = vec.get(t, 0) + 1
            if not vec:
                vec = {"empty": 1}
            sparse.append(json.dumps({"id": d["_id"], "vector": vec}))
            dense.append(json.dumps({"id": d["_id"], "vector": [round(rng.uniform(-1, 1), 4) for _ in range(dim)]}))
            if len(corpus) == docs:
                break
    for name, lines in (("corpus.jsonl", corpus), ("sparse.jsonl", sparse), ("dense.jsonl", dense)):
        with open(os.path.join(tmp, name), "w") as f:
            f.write("\n".join(lines) + "\n")
    qs = []
    with open(os.path.join(source, "data/scifact/queries.test.tsv")) as f:
        for line in f:
            qid, text = line.rstrip("\n").split("\t", 1)
            qs.append((qid, text))
            if len(qs) == queries:
                break
    with open(os.path.join(tmp, "q.tsv"), "w") as f:
        f.writelines(f"{qid}\t{text}\n" for qid, text in qs)
    sq, dq = [], []
    with open(os.path.join(tmp, "sq.jsonl"), "w") as f:
        for qid, text in qs:
            vec = {}
            for t in tokens(text):
                vec[t] = round(vec.get(t, 0) + rng.uniform(0.1, 2.0), 3)
            sq.append((qid, vec))
            f.write(json.dumps({"qid": qid, "vector": vec}) + "\n")
    with open(os.path.join(tmp, "dq.jsonl"), "w") as f:
        for qid, _ in qs:
            v = [round(rng.uniform(-1, 1), 4) for _ in range(dim)]
            dq.append((qid, v))
            f.write(json.dumps({"qid": qid, "vector": v}) + "\n")
    index = os.path.join(tmp, "idx")
    run([tandem, "index", "--corpus", os.path.join(tmp, "corpus.jsonl"), "--sparse",
         os.path.join(tmp, "sparse.jsonl"), "--dense", os.path.join(tmp, "dense.jsonl"),
         "--metric", "ip", "--index", index, "-q"])
    return index, qs, sq, dq


class Server:
    def __init__(self, tandem, index, *extra):
        self.proc = subprocess.Popen([tandem, "serve", "--index", index, "--port", "0", *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if "listening on http://" not in line:
            self.proc.kill()
            raise SystemExit(f"server did not start: {line!r} {self.proc.stderr.read()}")
        self.port = int(line.split("http://", 1)[1].split()[0].rsplit(":", 1)[1])
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        h = dict(headers or {})
        if body is not None:
            h.setdefault("Content-Type", "application/json")
        try:
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
            data = r.read()
        except (http.client.HTTPException, ConnectionError):
            # The server closed the connection (it does after refusing an unread body): retry once.
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=h)
            r = self.conn.getresponse()
            data = r.read()
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        return r.status, data, r

    def json(self, method, path, body=None, headers=None):
        status, data, _ = self.request(method, path, body, headers)
        return status, json.loads(data)

    def stop(self):
        self.conn.close()
        self.proc.terminate()
        try:
            rc = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = "killed"
        check(rc == 0, f"server exits 0 on SIGTERM (got {rc})")


def read_run(path):
    runs = {}
    with open(path) as f:
        for line in f:
            qid, _, doc, rank, score, _ = line.split()
            runs.setdefault(qid, []).append((doc, float(score)))
    return runs


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def compare(kind, qid, hits, expected):
    got = [(h["id"], h["score"]) for h in hits]
    check([d for d, _ in got] == [d for d, _ in expected], f"{kind} {qid}: ids {got[:3]} vs {expected[:3]}")
    for (gd, gs), (ed, es) in zip(got, expected):
        if gs != es or f32(gs) != f32(es):
            check(False, f"{kind} {qid} {gd}: score {gs!r} vs CLI {es!r}")
            break
    check([h["rank"] for h in hits] == list(range(1, len(hits) + 1)), f"{kind} {qid}: ranks")


def case_equal(tandem, tmp, fixture):
    index, qs, sq, dq = fixture
    k = 10
    run([tandem, "search", "--index", index, "--queries", os.path.join(tmp, "q.tsv"), "--run",
         os.path.join(tmp, "bm25.run"), "--scores", "raw", "--k", str(k), "-q"])
    run([tandem, "search", "--index", index, "--retriever", "impact", "--queries",
         os.path.join(tmp, "sq.jsonl"), "--run", os.path.join(tmp, "sparse.run"), "--k", str(k), "-q"])
    run([tandem, "search", "--index", index, "--retriever", "dense-exact", "--query-block", "1",
         "--queries", os.path.join(tmp, "dq.jsonl"), "--run", os.path.join(tmp, "dense.run"),
         "--k", str(k), "-q"])
    bm25, sparse, dense = (read_run(os.path.join(tmp, n)) for n in ("bm25.run", "sparse.run", "dense.run"))
    srv = Server(tandem, index)
    try:
        for qid, text in qs:
            status, body = srv.json("POST", "/search", {"query": text, "k": k})
            check(status == 200, f"bm25 {qid}: status {status} {body}")
            compare("bm25", qid, body.get("hits", []), bm25.get(qid, []))
            check(body.get("settings", {}).get("k") == k or "settings" in body, f"bm25 {qid}: settings")
        # The settings equal the CLI's single-query settings (printed with every result).
        cli = json.loads(run([tandem, "search", "--index", index, "--query", qs[0][1], "--k", str(k),
                              "--json"]).stdout)
        status, body = srv.json("POST", "/search", {"query": qs[0][1], "k": k, "documents": True})
        check(body["settings"] == cli["settings"], f"settings {body['settings']} vs CLI {cli['settings']}")
        check([h["id"] for h in body["hits"]] == [h["id"] for h in cli["hits"]], "single-query ids")
        check(all(f32(a["score"]) == f32(b["score"]) for a, b in zip(body["hits"], cli["hits"])),
              "single-query scores equal the CLI's --json scores as floats")
        check(body["hits"][0]["document"] == cli["hits"][0]["document"]
              or json.dumps(body["hits"][0]["document"], sort_keys=True)
              == json.dumps(json.loads(cli["hits"][0]["document"]), sort_keys=True),
              "stored document returned with documents: true")
        for qid, vec in sq:
            status, body = srv.json("POST", "/search", {"sparse": vec, "k": k})
            check(status == 200, f"sparse {qid}: status {status} {body}")
            compare("sparse", qid, body.get("hits", []), sparse.get(qid, []))
        for qid, vec in dq:
            status, body = srv.json("POST", "/search", {"dense": vec, "k": k})
            check(status == 200, f"dense {qid}: status {status} {body}")
            compare("dense", qid, body.get("hits", []), dense.get(qid, []))
        # indices/values is the same query as {"term": weight} when the terms are numbers.
        status, a = srv.json("POST", "/search", {"sparse": {"7": 1.5, "42": 2}, "k": 5})
        status2, b = srv.json("POST", "/search", {"sparse": {"indices": [7, 42], "values": [1.5, 2]}, "k": 5})
        check(status == 200 and status2 == 200 and a["hits"] == b["hits"], "indices/values == vector")
        # k is honoured, and a smaller k is a prefix of a larger one.
        _, k3 = srv.json("POST", "/search", {"query": qs[1][1], "k": 3})
        _, k10 = srv.json("POST", "/search", {"query": qs[1][1], "k": 10})
        check(len(k3["hits"]) == 3 and k3["hits"] == k10["hits"][:3], "k=3 is the prefix of k=10")
        # A pipeline (BM25 + impact on the query text, fused by RRF) equals `tandem search --pipeline`.
        pipe = {"legs": [{"kind": "bm25", "depth": 50}, {"kind": "impact", "depth": 50}],
                "fusion": {"method": "rrf"}}
        with open(os.path.join(tmp, "p.json"), "w") as f:
            json.dump({**pipe, "index": index}, f)
        for qid, text in qs[:5]:
            cli = json.loads(run([tandem, "search", "--pipeline", os.path.join(tmp, "p.json"),
                                  "--query", text, "--k", str(k), "--json"]).stdout)
            status, body = srv.json("POST", "/search", {"query": text, "pipeline": pipe, "k": k, "explain": True})
            check(status == 200, f"pipeline {qid}: {status} {body}")
            check([(h["id"], h["score"]) for h in body.get("hits", [])]
                  == [(h["id"], h["score"]) for h in cli["hits"]],
                  f"pipeline {qid}: {body.get('hits', [])[:2]} vs CLI {cli['hits'][:2]}")
            # Equal settings but for "pipeline", the description's source (a file for the CLI).
            strip = lambda x: {key: v for key, v in x.items() if key != "pipeline"}
            check("explain" in body and strip(body["settings"]) == strip(cli["settings"]),
                  f"pipeline {qid}: explain, settings {body.get('settings')} vs CLI {cli['settings']}")
        for bad_pipe in ({**pipe, "index": "/etc"}, {"legs": [{"kind": "impact", "query_encoder": "idf:/etc"}]}):
            status, body = srv.json("POST", "/search", {"query": "x", "pipeline": bad_pipe})
            check(status == 400 and "pipeline." in body["error"]["message"], f"pipeline naming files refused: {body}")
    finally:
        srv.stop()


def case_malformed(tandem, tmp, fixture):
    index = fixture[0]
    srv = Server(tandem, index, "--max-body-bytes", "1048576")
    big = b'{"query": "' + b"a" * (2 << 20) + b'"}'
    deep = '{"query": "x", "pipeline": ' + "[" * 200 + "]" * 200 + "}"
    cases = [
        ("POST", "/search", b"{", "bad JSON"),
        ("POST", "/search", b"", "empty body"),
        ("POST", "/search", b"[]", "an array"),
        ("POST", "/search", b'"just a string"', "a string"),
        ("POST", "/search", b'{"query": "x",}', "trailing comma"),
        ("POST", "/search", b'{"query": "x"} trailing', "trailing garbage"),
        ("POST", "/search", b'{"query": "\xff\xfe caf\xc3"}', "invalid UTF-8"),
        ("POST", "/search", b'{"query": "\\ud800"}', "lone surrogate"),
        ("POST", "/search", b'{"query": "x", "k": "ten"}', "k a string"),
        ("POST", "/search", b'{"query": "x", "k": 1.5}', "k a float"),
        ("POST", "/search", b'{"query": "x", "k": -1}', "k negative"),
        ("POST", "/search", b'{"query": "x", "k": 0}', "k zero"),
        ("POST", "/search", b'{"query": "x", "k": 1000001}', "k over the limit"),
        ("POST", "/search", b'{"query": "x", "k": 99999999999999999999999}', "k huge"),
        ("POST", "/search", b'{"query": 5}', "query a number"),
        ("POST", "/search", b'{"query": null}', "query null"),
        ("POST", "/search", b'{"query": "x", "documents": "yes"}', "documents a string"),
        ("POST", "/search", b'{"query": "x", "colour": "blue"}', "unknown member"),
        ("POST", "/search", b'{}', "no query"),
        ("POST", "/search", b'{"query": "x", "dense": [1]}', "two queries"),
        ("POST", "/search", ('{"query": "' + "a " * 3000 + '"}').encode(), "query too long"),
        ("POST", "/search", b'{"dense": [1, 2]}', "dense wrong dimension"),
        ("POST", "/search", b'{"dense": []}', "dense empty"),
        ("POST", "/search", b'{"dense": [1, "a", 3, 4, 5, 6, 7, 8]}', "dense a string element"),
        ("POST", "/search", b'{"dense": [1e39, 0, 0, 0, 0, 0, 0, 0]}', "dense overflows float"),
        ("POST", "/search", b'{"dense": {"a": 1}}', "dense an object"),
        ("POST", "/search", b'{"sparse": {"a": "heavy"}}', "sparse weight a string"),
        ("POST", "/search", b'{"sparse": {"indices": [1, 2]}}', "indices without values"),
        ("POST", "/search", b'{"sparse": {"indices": [1], "values": [1, 2]}}', "indices/values lengths"),
        ("POST", "/search", b'{"sparse": {"indices": [-1], "values": [1]}}', "negative index"),
        ("POST", "/search", b'{"sparse": [1, 2]}', "sparse an array"),
        ("POST", "/search", b'{"sparse": {"a": 1e39}}', "sparse weight overflows float"),
        ("POST", "/search", deep.encode(), "nested 200 deep"),
        ("POST", "/search", b'{"query": "x", "pipeline": {}}', "pipeline without legs"),
        ("POST", "/search", b'{"query": "x", "pipeline": {"legs": [{"kind": "warp"}]}}', "pipeline unknown leg"),
        ("POST", "/search", b'{"query": "x", "pipeline": [1]}', "pipeline an array"),
        ("POST", "/search", b'{"dense": [1], "pipeline": {"legs": [{"kind": "bm25"}]}}', "pipeline without text"),
        ("POST", "/search", b'{"query": "x", "explain": true}', "explain without pipeline"),
        ("POST", "/search", big, "a body over --max-body-bytes"),
        ("GET", "/search", None, "wrong method"),
        ("DELETE", "/search", None, "wrong method DELETE"),
        ("PUT", "/documents", b"{}", "wrong method PUT"),
        ("GET", "/nope", None, "unknown endpoint"),
        ("POST", "/nope", b'{"query": "x"}', "unknown endpoint with a body"),
        ("GET", "/documents/no-such-id", None, "unknown document"),
        ("GET", "/documents/%FF%FE", None, "document id not UTF-8"),
        ("POST", "/documents", b'{"documents": "x"}', "documents a string"),
        ("POST", "/documents", b'{"documents": []}', "documents empty"),
        ("POST", "/documents", b'{"documents": [1]}', "a document not an object"),
        ("POST", "/documents", b'{"documents": [{"text": "no id"}]}', "a document without id"),
        ("POST", "/documents", b'{"docs": []}', "add: unknown member"),
        ("POST", "/documents", b'{"documents": [{"_id": "a"}], "dense": 5}', "add: dense not an array"),
        ("POST", "/documents", b'{"documents": [{"_id": "a"}], "sparse": [3]}', "add: a sparse vector not an object"),
        ("POST", "/documents", b'{"documents": [{"_id": "a"}], "multivec": {"id": "a"}}', "add: multivec not an array"),
        ("POST", "/documents/delete", b'{"ids": [1]}', "delete: id a number"),
        ("POST", "/documents/delete", b'{"ids": "x"}', "delete: ids a string"),
        ("POST", "/documents/delete", b'{"ids": [""]}', "delete: empty id"),
    ]
    try:
        for method, path, body, what in cases:
            status, data, resp = srv.request(method, path, body)
            check(400 <= status < 500, f"{what}: status {status} {data[:200]!r}")
            try:
                err = json.loads(data)["error"]
                check(isinstance(err["kind"], str) and isinstance(err["message"], str) and err["message"],
                      f"{what}: error body {data[:200]!r}")
                check(err["kind"].replace("_", "").isalpha() and err["kind"].islower(),
                      f"{what}: kind {err['kind']!r} is an identifier")
            except (ValueError, KeyError, TypeError):
                check(False, f"{what}: not a JSON error body: {data[:200]!r}")
            if what == "wrong method":
                check(status == 405 and resp.getheader("Allow") == "POST", f"{what}: 405 with Allow")
            if what.startswith("unknown endpoint"):
                check(status == 404, f"{what}: 404")
            if what == "unknown document":
                check(status == 404 and err["kind"] == "not_found", f"{what}: 404 not_found")
            if what == "a body over --max-body-bytes":
                check(status == 413, f"{what}: 413 (got {status})")
            hs, hbody, _ = srv.request("GET", "/health")
            check(hs == 200, f"after {what}: health {hs} {hbody[:100]!r}")
        # Raw bytes: a garbage request line and a truncated body; then a normal request.
        for raw in (b"GARBAGE\r\n\r\n", b"POST /search HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"qu",
                    b"\x00\xff\r\n\r\n"):
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
            s.sendall(raw)
            s.shutdown(socket.SHUT_WR)
            reply = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
            s.close()
            check(reply == b"" or reply.startswith(b"HTTP/1.1 4"), f"raw {raw[:20]!r}: {reply[:60]!r}")
        status, body = srv.json("POST", "/search", {"query": "cell", "k": 3})
        check(status == 200 and len(body["hits"]) == 3, "still serving after the malformed requests")
        check(srv.proc.poll() is None, "the server process is alive")
    finally:
        srv.stop()


def case_live(tandem, tmp, fixture):
    # Live changes on a text-only index, then on one with sparse and dense fields.
    index = os.path.join(tmp, "idx-text")
    run([tandem, "index", "--corpus", os.path.join(tmp, "corpus.jsonl"), "--index", index, "-q"])
    srv = Server(tandem, index)
    try:
        status, h = srv.json("GET", "/health")
        gen0, docs0 = h["generation"], h["documents"]
        doc = {"_id": "zz-new", "title": "Xylophone", "text": "a quokkaesque xylophone study"}
        status, rep = srv.json("POST", "/documents", {"documents": [doc]})
        check(status == 200 and rep.get("generation", 0) > gen0, f"add: {status} {rep}")
        status, body = srv.json("POST", "/search", {"query": "quokkaesque xylophone", "k": 3})
        check(status == 200 and body["hits"] and body["hits"][0]["id"] == "zz-new", f"added doc found: {body}")
        check(body["generation"] == rep.get("generation"), f"search answers from the new generation: {rep}")
        status, got = srv.json("GET", "/documents/zz-new")
        check(status == 200 and got["document"]["text"] == doc["text"], f"fetch: {got}")
        status, h = srv.json("GET", "/health")
        check(h["documents"] == docs0 + 1, f"documents {h['documents']} == {docs0} + 1")
        # The CLI sees the same index, and gives the same hits.
        cli = json.loads(run([tandem, "search", "--index", index, "--query", "quokkaesque xylophone",
                              "--k", "3", "--json"]).stdout)
        check([x["id"] for x in cli["hits"]] == [x["id"] for x in body["hits"]], "CLI == server after add")
        status, rep = srv.json("DELETE", "/documents/zz-new")
        check(status == 200 and rep.get("deleted") == 1, f"delete: {rep}")
        status, body = srv.json("POST", "/search", {"query": "quokkaesque xylophone", "k": 3})
        check(all(x["id"] != "zz-new" for x in body["hits"]), "deleted doc gone")
        status, _ = srv.json("GET", "/documents/zz-new")
        check(status == 404, "deleted doc 404")
        status, rep = srv.json("POST", "/documents/delete", {"ids": ["no-such", "also-not"]})
        check(status == 200 and rep.get("not_found") == 2, f"bulk delete of unknown ids: {rep}")
        # On a copy of the fixture's index (sparse + dense fields): documents with their vectors.
        vec_index = os.path.join(tmp, "idx-vectors")
        shutil.rmtree(vec_index, ignore_errors=True)
        shutil.copytree(fixture[0], vec_index)
        srv2 = Server(tandem, vec_index)
        try:
            dim = len(fixture[3][0][1])
            dvec = [0.5] * dim
            body = {"documents": [doc], "sparse": [{"id": "zz-new", "vector": {"quokkaesque": 7}}],
                    "dense": [{"id": "zz-new", "vector": dvec}]}
            status, rep = srv2.json("POST", "/documents", body)
            check(status == 200, f"add with vectors: {status} {rep}")
            status, got = srv2.json("POST", "/search", {"sparse": {"quokkaesque": 1}, "k": 1})
            check(status == 200 and [h["id"] for h in got["hits"]] == ["zz-new"], f"sparse finds the added doc: {got}")
            status, got = srv2.json("POST", "/search", {"dense": [1.0] * dim, "k": 400})
            check(status == 200 and any(h["id"] == "zz-new" for h in got["hits"]), "dense finds the added doc")
            # The CLI sees the same change.
            with open(os.path.join(tmp, "one.jsonl"), "w") as f:
                f.write(json.dumps({"qid": "q", "vector": {"quokkaesque": 1}}) + "\n")
            r = run([tandem, "search", "--index", vec_index, "--retriever", "impact", "--queries",
                     os.path.join(tmp, "one.jsonl"), "--run", os.path.join(tmp, "one.run"), "--k", "1", "-q"])
            check(read_run(os.path.join(tmp, "one.run")).get("q", [("", 0)])[0][0] == "zz-new", "CLI == server after a vector add")
            # A vector of the wrong dimension is a 400 naming the member, and changes nothing.
            status, rep = srv2.json("POST", "/documents", {"documents": [dict(doc, _id="zz-bad")],
                                                           "dense": [{"id": "zz-bad", "vector": [1.0]}]})
            check(status == 400 and "dense" in rep["error"]["message"], f"wrong dimension: {status} {rep}")
            status, _ = srv2.json("GET", "/documents/zz-bad")
            check(status == 404, "a refused add adds nothing")
            status, _ = srv2.json("GET", "/health")
            check(status == 200, "serving after a refused add")
        finally:
            srv2.stop()
    finally:
        srv.stop()


def case_auth(tandem, tmp, fixture):
    index = fixture[0]
    r = subprocess.run([tandem, "serve", "--help"], capture_output=True, text=True, timeout=30)
    check(r.returncode == 0 and all(o in r.stdout for o in ("--api-key", "--max-k", "--max-body-bytes",
                                                           "--read-timeout", "--threads", "TANDEM_API_KEY")),
          "serve --help lists the security and limit options")
    r = subprocess.run([tandem, "serve", "--index", index, "--host", "0.0.0.0", "--port", "0"],
                       capture_output=True, text=True, timeout=30, env={**os.environ, "TANDEM_API_KEY": ""})
    check(r.returncode != 0 and "API key" in r.stderr and "listening" not in r.stdout,
          f"non-loopback without a key is refused: {r.returncode} {r.stderr!r}")
    srv = Server(tandem, index, "--api-key", "s3cret")
    try:
        status, body = srv.json("POST", "/search", {"query": "cell"})
        check(status == 401 and body["error"]["kind"] == "unauthorized", f"no key: {status}")
        status, body = srv.json("POST", "/search", {"query": "cell"}, {"Authorization": "Bearer wrong"})
        check(status == 401, f"wrong key: {status}")
        status, body = srv.json("POST", "/search", {"query": "cell"}, {"Authorization": "Bearer s3cret"})
        check(status == 200 and body["hits"], f"right key: {status}")
        status, _ = srv.json("GET", "/health")
        check(status == 200, "health needs no key")
        status, _, _ = srv.request("GET", "/metrics")
        check(status == 401, "metrics needs the key")
    finally:
        srv.stop()


def case_metrics(tandem, tmp, fixture):
    index = fixture[0]
    srv = Server(tandem, index)
    try:
        for _ in range(3):
            srv.json("POST", "/search", {"query": "cell"})
        srv.request("POST", "/search", b"{")
        status, data, resp = srv.request("GET", "/metrics")
        text = data.decode()
        check(status == 200 and resp.getheader("Content-Type", "").startswith("text/plain"), "metrics 200 text")
        check('tandem_http_requests_total{endpoint="/search",status="200"} 3' in text, "3 searches counted")
        check('tandem_http_requests_total{endpoint="/search",status="400"} 1' in text, "1 bad search counted")
        check('tandem_http_request_duration_seconds_count{endpoint="/search"} 4' in text, "histogram count 4")
        check('tandem_http_request_duration_seconds_bucket{endpoint="/search",le="+Inf"} 4' in text, "+Inf bucket")
        check("# TYPE tandem_http_request_duration_seconds histogram" in text, "histogram type")
        check("tandem_index_documents 400" in text, "documents gauge")
        status, info = srv.json("GET", "/info")
        check(status == 200 and "index" in info and info["server"]["limits"]["max_k"] == 1000, f"info: {info}")
    finally:
        srv.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tandem", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("case", choices=["equal", "malformed", "live", "auth", "metrics"])
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tandem-http-") as tmp:
        fixture = build_fixture(a.tandem, a.source, tmp)
        globals()["case_" + a.case](a.tandem, tmp, fixture)
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed", file=sys.stderr)
        return 1
    print(f"http {a.case}: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
