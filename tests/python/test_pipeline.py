"""tandem.Pipeline against `tandem search --pipeline` runs and against the plain BM25 search."""
import json

import numpy as np
import pytest
import tandem

from conftest import SCIFACT, cli, read_run


def hybrid(index):
    return {"version": 1, "index": str(index), "k": 50,
            "legs": [{"name": "bm25", "kind": "bm25", "depth": 200},
                     {"name": "tuned", "kind": "bm25", "k1": 1.2, "b": 0.75, "depth": 200}],
            "fusion": {"method": "rrf", "k": 60}}


def test_pipeline_batch_equals_cli_run(scifact_index, scifact_queries, tmp_path):
    spec = tmp_path / "hybrid.json"
    spec.write_text(json.dumps(hybrid(scifact_index)))
    cli("search", "--pipeline", spec, "--queries", SCIFACT / "queries.test.tsv", "--run",
        tmp_path / "hybrid.run", "--quiet")
    expected = read_run(tmp_path / "hybrid.run")
    pipeline = tandem.Pipeline(spec)
    assert pipeline.k == 50
    D, I = pipeline.search_batch(scifact_queries, threads=2)
    assert D.shape == (300, 50) and D.dtype == np.float32
    for row, qid in enumerate(scifact_queries):
        hits = expected.get(qid, [])
        assert [i for i in I[row] if i is not None] == [d for d, _ in hits], qid
        assert [s for s, i in zip(D[row], I[row]) if i is not None] == \
            [np.float32(s) for _, s in hits], qid
    # The same spec as a dict, one query, with its explain record.
    from_dict = tandem.Pipeline(hybrid(scifact_index), k=5)
    first_qid, first_text = next(iter(scifact_queries.items()))
    hits, explain = from_dict.search(first_text, qid=first_qid, explain=True)
    assert [d for d, _ in hits] == list(I[0][:5])
    assert [h["id"] for h in explain["hits"]] == [d for d, _ in hits]
    assert set(explain["hits"][0]["legs"]) == {"bm25", "tuned"}
    assert from_dict.settings()["fusion"]["method"] == "rrf"


def test_one_leg_pipeline_equals_index_search(scifact_index, scifact_queries):
    spec = {"version": 1, "index": str(scifact_index), "k": 20,
            "legs": [{"kind": "bm25", "depth": 20}]}
    D, I = tandem.Pipeline(spec).search_batch(scifact_queries)
    D2, I2 = tandem.Index(scifact_index).search_batch(scifact_queries, k=20)
    assert (I == I2).all()


def test_pipeline_errors(scifact_index, tmp_path):
    with pytest.raises(tandem.InvalidArgumentError, match="dept"):
        tandem.Pipeline({"version": 1, "index": str(scifact_index),
                         "legs": [{"kind": "bm25", "dept": 10}]})
    with pytest.raises(tandem.NotFoundError):
        tandem.Pipeline(tmp_path / "missing.json")
    with pytest.raises(tandem.InvalidArgumentError, match="k must be"):
        tandem.Pipeline(hybrid(scifact_index), k=0)
    with pytest.raises(tandem.InvalidArgumentError):
        tandem.Pipeline(hybrid(scifact_index), k="ten")
    with pytest.raises(tandem.InvalidArgumentError, match="list of str"):
        tandem.Pipeline(hybrid(scifact_index)).search_batch(7)
