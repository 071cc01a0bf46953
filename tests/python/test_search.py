"""The module returns what the CLI returns: BM25 batches and single queries against
`tandem search` runs, and an index built by tandem.build_index against one built by `tandem index`."""
import json
import threading

import numpy as np
import pytest
import tandem

from conftest import SCIFACT, cli, read_run


def test_search_batch_equals_cli_run(scifact_index, scifact_queries, tmp_path):
    run_path = tmp_path / "bm25.run"
    cli("search", "--index", scifact_index, "--queries", SCIFACT / "queries.test.tsv",
        "--run", run_path, "--k", 100, "--scores", "raw", "--threads", 1, "--quiet")
    expected = read_run(run_path)
    with tandem.Index(scifact_index) as index:
        D, I = index.search_batch(scifact_queries, k=100, threads=2)
    assert D.dtype == np.float32 and D.shape == (len(scifact_queries), 100)
    assert I.dtype == object and I.shape == D.shape
    compared = 0
    for row, qid in enumerate(scifact_queries):
        hits = expected.get(qid, [])
        got = [(I[row, j], D[row, j]) for j in range(100) if I[row, j] is not None]
        assert [doc for doc, _ in got] == [doc for doc, _ in hits], qid
        # --scores raw writes the shortest text that reads back to the same float32.
        assert [s for _, s in got] == [np.float32(s) for _, s in hits], qid
        assert all(D[row, j] == -np.inf for j in range(len(got), 100))
        compared += len(hits)
    assert compared > 20000  # 300 queries, most with 100 hits


def test_single_search_equals_cli_query(scifact_index):
    query = "vitamin D deficiency and bone density"
    printed = json.loads(cli("search", "--index", scifact_index, "--query", query, "--k", 10,
                             "--json"))
    index = tandem.open(scifact_index)
    hits = index.search(query, k=10)
    assert [doc for doc, _ in hits] == [h["id"] for h in printed["hits"]]
    assert [score for _, score in hits] == [h["score"] for h in printed["hits"]]
    D, I = index.search_batch([query], k=10)
    assert list(I[0]) == [doc for doc, _ in hits]
    assert list(D[0]) == [np.float32(score) for _, score in hits]


def test_bm25_parameters_equal_cli(scifact_index, scifact_queries, tmp_path):
    run_path = tmp_path / "tuned.run"
    cli("search", "--index", scifact_index, "--queries", SCIFACT / "queries.test.tsv",
        "--run", run_path, "--k", 20, "--k1", 1.2, "--b", 0.75, "--exact", "--quiet")
    expected = read_run(run_path)
    D, I = tandem.Index(scifact_index).search_batch(scifact_queries, k=20, k1=1.2, b=0.75,
                                                     lengths="exact")
    for row, qid in enumerate(scifact_queries):
        assert [d for d in I[row] if d is not None] == [doc for doc, _ in expected.get(qid, [])]
        assert [s for s, d in zip(D[row], I[row]) if d is not None] == \
            [np.float32(s) for _, s in expected.get(qid, [])]


def test_module_built_index_equals_cli_built_index(scifact_index, scifact_queries, tmp_path):
    report = tandem.build_index(tmp_path / "idx", SCIFACT / "corpus.jsonl.gz", threads=2)
    assert report["documents"] == 5183
    ours = tandem.Index(str(tmp_path / "idx"))
    theirs = tandem.Index(scifact_index)
    assert len(ours) == len(theirs) == 5183
    queries = dict(list(scifact_queries.items())[:50])
    D1, I1 = ours.search_batch(queries, k=50)
    D2, I2 = theirs.search_batch(queries, k=50)
    assert (I1 == I2).all() and np.array_equal(D1, D2)


def test_info_document_and_len(scifact_index):
    index = tandem.Index(scifact_index)
    info = index.info()
    assert info["documents"] == len(index) == 5183
    assert info["settings"]["store"] is True
    doc_id = index.search("coronavirus", k=1)[0][0]
    source = json.loads(index.document(doc_id))
    assert source["_id"] == doc_id
    assert index.document("no-such-document") is None
    assert repr(index).startswith("tandem.Index(")


def test_threads_share_an_index(scifact_index, scifact_queries):
    index = tandem.Index(scifact_index)
    texts = list(scifact_queries.values())[:40]
    expected = [index.search(t, k=5) for t in texts]
    results = [None] * 4

    def work(slot):
        results[slot] = [index.search(t, k=5) for t in texts]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_k_larger_than_matches_pads(scifact_index):
    D, I = tandem.Index(scifact_index).search_batch(["zzzzunknownterm", "vitamin"], k=7)
    assert all(i is None for i in I[0]) and np.all(D[0] == -np.inf)
    assert all(i is not None for i in I[1])


def test_batch_search_releases_the_gil(scifact_index, scifact_queries):
    """While one thread is inside search_batch, another runs Python code: with the GIL held for
    the whole call the counter could not move."""
    index = tandem.Index(scifact_index)
    queries = list(scifact_queries.values()) * 20
    done = threading.Event()
    ticks = 0

    def work():
        index.search_batch(queries, k=100, threads=1)
        done.set()

    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        ticks += 1
    worker.join()
    assert ticks > 1000
