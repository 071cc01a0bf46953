"""Dense search with numpy matrices and learned-sparse search with dicts: shapes, dtypes, the CLI's
runs, and brute-force answers computed here with numpy / plain Python."""
import json

import numpy as np
import pytest
import tandem

from conftest import cli, read_run

ROWS, DIM = 400, 16


@pytest.fixture(scope="module")
def dense_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("dense")
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((ROWS, DIM)).astype(np.float32)
    np.save(root / "docs.npy", vectors)
    (root / "ids.txt").write_text("".join(f"doc{i:04d}\n" for i in range(ROWS)))
    queries = rng.standard_normal((25, DIM)).astype(np.float32)
    np.save(root / "queries.npy", queries)
    report = tandem.build_index(root / "index", dense=root / "docs.npy",
                                dense_ids=root / "ids.txt", metric="ip", hnsw=True, seed=3,
                                deterministic=True, threads=1)
    assert report["documents"] == ROWS
    return root, vectors, queries


def test_dense_exact_equals_numpy_and_cli(dense_index):
    root, vectors, queries = dense_index
    index = tandem.Index(root / "index")
    D, I = index.dense_search(queries, k=10)
    assert D.shape == (25, 10) and D.dtype == np.float32 and I.shape == (25, 10)
    scores = queries @ vectors.T
    for q in range(25):
        order = sorted(range(ROWS), key=lambda d: (-scores[q, d], d))[:10]
        assert list(I[q]) == [f"doc{d:04d}" for d in order]
        assert np.allclose(D[q], scores[q, order], rtol=1e-5, atol=1e-5)
    cli("search", "--index", root / "index", "--retriever", "dense-exact", "--queries",
        root / "queries.npy", "--run", root / "dense.run", "--k", 10, "--quiet")
    run = read_run(root / "dense.run")
    for q in range(25):
        assert [doc for doc, _ in run[str(q)]] == list(I[q])
        assert [np.float32(s) for _, s in run[str(q)]] == list(D[q])


def test_dense_hnsw_and_one_row(dense_index):
    root, _, queries = dense_index
    index = tandem.Index(root / "index")
    D, I = index.dense_search(queries, k=5, retriever="hnsw", ef=200)
    exact_D, exact_I = index.dense_search(queries, k=5)
    recall = np.mean([len(set(I[q]) & set(exact_I[q])) / 5 for q in range(25)])
    assert recall >= 0.9
    D1, I1 = index.dense_search(queries[3], k=5)  # one query as a vector
    assert D1.shape == (1, 5) and list(I1[0]) == list(exact_I[3])
    strided = np.asfortranarray(queries)  # not C-contiguous: copied in order
    D2, I2 = index.dense_search(strided, k=5)
    assert (I2 == exact_I).all()
    D3, I3 = index.dense_search(queries[:2], k=ROWS + 50)  # more than there are documents
    assert sum(i is not None for i in I3[0]) == ROWS and D3[0, -1] == -np.inf


def test_dense_bad_input(dense_index):
    root, _, queries = dense_index
    index = tandem.Index(root / "index")
    with pytest.raises(tandem.InvalidArgumentError, match="float32"):
        index.dense_search(queries.astype(np.float64))
    with pytest.raises(tandem.InvalidArgumentError, match="float32"):
        index.dense_search([[0.0] * DIM])
    with pytest.raises(tandem.InvalidArgumentError, match="shape"):
        index.dense_search(np.zeros((2, 2, DIM), np.float32))
    with pytest.raises(tandem.InvalidArgumentError, match="dimension"):
        index.dense_search(np.zeros((2, DIM + 1), np.float32))
    with pytest.raises(tandem.InvalidArgumentError, match="NaN"):
        index.dense_search(np.full((1, DIM), np.nan, np.float32))
    with pytest.raises(tandem.InvalidArgumentError, match="k must be"):
        index.dense_search(queries, k=0)
    with pytest.raises(tandem.InvalidArgumentError):
        index.dense_search(queries, retriever="nope")
    D, I = index.dense_search(np.zeros((0, DIM), np.float32), k=3)
    assert D.shape == (0, 3)


@pytest.fixture(scope="module")
def sparse_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("sparse")
    rng = np.random.default_rng(11)
    vocab = [f"t{i}" for i in range(60)]
    docs = {}
    with open(root / "vectors.jsonl", "w") as f:
        for d in range(300):
            terms = rng.choice(vocab, size=8, replace=False)
            vec = {t: int(w) for t, w in zip(terms, rng.integers(1, 50, size=8))}
            docs[f"d{d:03d}"] = vec
            f.write(json.dumps({"id": f"d{d:03d}", "vector": vec}) + "\n")
    report = tandem.build_index(root / "index", sparse=root / "vectors.jsonl", threads=1)
    assert report["documents"] == 300
    queries = []
    for _ in range(20):
        terms = rng.choice(vocab, size=4, replace=False)
        queries.append({t: int(w) for t, w in zip(terms, rng.integers(1, 5, size=4))})
    return root, docs, queries


def brute_force(docs, query, k):
    scored = [(-sum(w * vec.get(t, 0) for t, w in query.items()), d) for d, vec in docs.items()]
    return [(d, -s) for s, d in sorted(s for s in scored if s[0] < 0)][:k]


def test_sparse_equals_brute_force_and_cli(sparse_index):
    root, docs, queries = sparse_index
    index = tandem.Index(root / "index")
    for q in queries[:5]:
        assert index.sparse_search(q, k=10) == brute_force(docs, q, 10)
    D, I = index.sparse_search(queries, k=10)
    assert D.shape == (20, 10) and D.dtype == np.float32
    for row, q in enumerate(queries):
        expected = brute_force(docs, q, 10)
        assert [i for i in I[row] if i is not None] == [d for d, _ in expected]
        assert [s for s, i in zip(D[row], I[row]) if i is not None] == [s for _, s in expected]
    with open(root / "queries.jsonl", "w") as f:
        for n, q in enumerate(queries):
            f.write(json.dumps({"qid": str(n), "vector": q}) + "\n")
    cli("search", "--index", root / "index", "--retriever", "impact", "--queries",
        root / "queries.jsonl", "--run", root / "sparse.run", "--k", 10, "--quiet")
    run = read_run(root / "sparse.run")
    for row in range(20):
        assert [d for d, _ in run.get(str(row), [])] == [i for i in I[row] if i is not None]
    # Pre-tokenised text: a token repeated w times has weight w.
    assert index.sparse_search("t1 t1 t2", k=5) == brute_force(docs, {"t1": 2, "t2": 1}, 5)


def test_sparse_bad_input(sparse_index):
    root, _, _ = sparse_index
    index = tandem.Index(root / "index")
    with pytest.raises(tandem.InvalidArgumentError, match="not finite"):
        index.sparse_search({"t1": float("inf")})
    with pytest.raises(tandem.InvalidArgumentError, match="terms must be str"):
        index.sparse_search({1: 1.0})
    with pytest.raises(tandem.InvalidArgumentError, match="dict"):
        index.sparse_search([{"t1": 1.0}, 3])
    with pytest.raises(tandem.InvalidArgumentError):
        index.sparse_search({"t1": 1.0}, retriever="nope")
    assert index.sparse_search({"t1": 0.0, "unknown": 2.0}, k=3) == []
