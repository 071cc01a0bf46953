"""Bad input raises tandem.Error subclasses with clear messages; nothing crashes the interpreter."""
import numpy as np
import pytest
import tandem

from conftest import SCIFACT


def test_exception_classes():
    assert issubclass(tandem.InvalidArgumentError, tandem.Error)
    assert issubclass(tandem.InvalidArgumentError, ValueError)
    for name, kind in [("NotFoundError", "not_found"), ("CorruptionError", "corruption"),
                       ("IoError", "io"), ("UnsupportedError", "unsupported"),
                       ("LimitExceededError", "limit_exceeded")]:
        cls = getattr(tandem, name)
        assert issubclass(cls, tandem.Error) and cls.kind == kind


def test_open_missing_index(tmp_path):
    with pytest.raises(tandem.NotFoundError, match="nowhere") as e:
        tandem.Index(tmp_path / "nowhere")
    assert e.value.kind == "not_found"
    with pytest.raises(tandem.InvalidArgumentError, match="path"):
        tandem.Index(12)


def test_corrupt_index(scifact_index, tmp_path):
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(scifact_index, copy)
    manifest = next(p for p in copy.iterdir() if p.is_file() and "manifest" in p.name)
    manifest.write_bytes(b"garbage" * 10)
    with pytest.raises(tandem.Error, match="manifest"):
        tandem.Index(copy)


@pytest.mark.parametrize("k", [0, -1, -100])
def test_bad_k(scifact_index, k):
    index = tandem.Index(scifact_index)
    with pytest.raises(tandem.InvalidArgumentError, match="k must be at least 1"):
        index.search("vitamin", k=k)
    with pytest.raises(tandem.InvalidArgumentError, match="k must be at least 1"):
        index.search_batch(["vitamin"], k=k)


def test_k_over_limit(scifact_index):
    with pytest.raises(tandem.LimitExceededError):
        tandem.Index(scifact_index).search("vitamin", k=10**7)


def test_bad_queries(scifact_index):
    index = tandem.Index(scifact_index)
    with pytest.raises(tandem.InvalidArgumentError, match="list of str"):
        index.search_batch("one string", k=3)
    with pytest.raises(tandem.InvalidArgumentError, match=r"queries\[1\]"):
        index.search_batch(["ok", 5], k=3)
    with pytest.raises(tandem.InvalidArgumentError, match="dict"):
        index.search_batch({1: "x"}, k=3)
    with pytest.raises(tandem.InvalidArgumentError, match="lengths"):
        index.search("x", lengths="weird")
    with pytest.raises(tandem.InvalidArgumentError):
        index.search("x", algorithm="nope")
    with pytest.raises(tandem.InvalidArgumentError, match="threads"):
        index.search_batch(["x"], threads=-2)
    D, I = index.search_batch([], k=4)
    assert D.shape == (0, 4) and I.shape == (0, 4)


def test_closed_index(scifact_index):
    index = tandem.Index(scifact_index)
    index.close()
    assert index.closed
    for call in (lambda: index.search("x"), lambda: index.search_batch(["x"]),
                 lambda: index.info(), lambda: len(index), lambda: index.document("1"),
                 lambda: index.dense_search(np.zeros((1, 4), np.float32))):
        with pytest.raises(tandem.InvalidArgumentError, match="closed"):
            call()
    with tandem.Index(scifact_index) as scoped:
        assert len(scoped) == 5183
    assert scoped.closed


def test_no_dense_or_sparse_field(scifact_index):
    index = tandem.Index(scifact_index)
    with pytest.raises(tandem.Error, match="dense"):
        index.dense_search(np.zeros((2, 8), np.float32))
    with pytest.raises(tandem.Error, match="sparse"):
        index.sparse_search({"vitamin": 1.0})


def test_build_errors(tmp_path):
    with pytest.raises(tandem.InvalidArgumentError, match="corpus"):
        tandem.build_index(tmp_path / "x")
    with pytest.raises(tandem.NotFoundError):
        tandem.build_index(tmp_path / "x", tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"_id": "a", "text": "fine"}\n{"_id": "b", "text": \n')
    with pytest.raises(tandem.InvalidArgumentError, match=r"bad.jsonl.*2"):
        tandem.build_index(tmp_path / "x", bad)
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").glob("manifest*"))
    with pytest.raises(tandem.InvalidArgumentError, match="hnsw"):
        tandem.build_index(tmp_path / "y", SCIFACT / "corpus.jsonl.gz", hnsw=True)
    with pytest.raises(tandem.InvalidArgumentError):
        tandem.build_index(tmp_path / "y", SCIFACT / "corpus.jsonl.gz", fields="nope")
