"""tandem.evaluate gives the numbers `tandem eval` prints (trec_eval's), from files and from
dicts built out of (D, I)."""
import numpy as np
import pytest
import tandem

from conftest import SCIFACT, cli

MEASURES = ["map", "ndcg_cut.10,100", "P.5", "recall.100", "num_rel_ret"]


def eval_cli(qrels, run, per_query=False):
    """{(qid, measure): printed value} from `tandem eval`."""
    args = ["eval", *sum((["-m", m] for m in MEASURES), []), qrels, run]
    if per_query:
        args.insert(1, "-q")
    out = {}
    for line in cli(*args).splitlines():
        name, qid, value = line.split("\t")
        out[(qid, name.strip())] = value
    return out


def printed(value):
    return str(value) if isinstance(value, int) else f"{value:6.4f}"


@pytest.fixture(scope="module")
def bm25_run(scifact_index, tmp_path_factory):
    path = tmp_path_factory.mktemp("eval") / "bm25.run"
    cli("search", "--index", scifact_index, "--queries", SCIFACT / "queries.test.tsv",
        "--run", path, "--k", 100, "--quiet")
    return path


def test_evaluate_file_equals_tandem_eval(bm25_run):
    qrels = SCIFACT / "qrels.test.tsv"
    expected = eval_cli(qrels, bm25_run, per_query=True)
    got = tandem.evaluate(str(qrels), bm25_run, MEASURES, per_query=True)
    assert got["num_q"] == 300
    # trec_eval's order, as `tandem eval` prints it.
    names = [name for qid, name in expected if qid == "all"]
    assert list(got["all"]) == names and len(names) == 6
    for name in names:
        assert printed(got["all"][name]) == expected[("all", name)], name
    checked = 0
    for qid, values in got["queries"].items():
        for name, value in values.items():
            assert printed(value) == expected[(qid, name)], (qid, name)
            checked += 1
    assert checked == 300 * len(names)
    # BM25 on SciFact: Anserini's published nDCG@10 is 0.679 (flat index).
    assert got["all"]["ndcg_cut_10"] == pytest.approx(0.679, abs=0.002)


def test_evaluate_dict_from_arrays(scifact_index, scifact_queries, tmp_path):
    index = tandem.Index(scifact_index)
    D, I = index.search_batch(scifact_queries, k=100)
    run = {qid: [(I[r, j], float(D[r, j])) for j in range(100)]
           for r, qid in enumerate(scifact_queries)}
    raw = tmp_path / "raw.run"
    cli("search", "--index", scifact_index, "--queries", SCIFACT / "queries.test.tsv",
        "--run", raw, "--k", 100, "--scores", "raw", "--quiet")
    from_dict = tandem.evaluate(SCIFACT / "qrels.test.tsv", run, MEASURES)
    from_file = tandem.evaluate(SCIFACT / "qrels.test.tsv", str(raw), MEASURES)
    assert from_dict["all"] == from_file["all"]
    qrels = {"q1": {"a": 1, "b": 0}, "q2": {"c": 2}}
    result = tandem.evaluate(qrels, {"q1": {"a": 1.0, "b": 2.0}, "q2": [("c", 0.5)]},
                             ["P.1", "num_rel"])
    assert result["all"]["P_1"] == pytest.approx(0.5)  # q1: b first (0), q2: c (1)
    assert result["all"]["num_rel"] == 2


def test_evaluate_errors(bm25_run, tmp_path):
    with pytest.raises(tandem.InvalidArgumentError, match="nosuchmeasure"):
        tandem.evaluate(SCIFACT / "qrels.test.tsv", bm25_run, ["nosuchmeasure"])
    with pytest.raises(tandem.NotFoundError, match="missing.qrels"):
        tandem.evaluate(tmp_path / "missing.qrels", bm25_run)
    bad = tmp_path / "bad.run"
    bad.write_text("1 Q0 d1 1 notanumber tag\n")
    with pytest.raises(tandem.InvalidArgumentError, match=r"bad.run.*1"):
        tandem.evaluate(SCIFACT / "qrels.test.tsv", bad)
    with pytest.raises(tandem.InvalidArgumentError):
        tandem.evaluate({"q": {"d": 1}}, {"q": {"d": float("nan")}})
    with pytest.raises(tandem.InvalidArgumentError):
        tandem.evaluate(SCIFACT / "qrels.test.tsv", 42)
    with pytest.raises(tandem.InvalidArgumentError, match="grade"):
        tandem.evaluate({"q": {"d": 1.5}}, {"q": {"d": 1.0}})
