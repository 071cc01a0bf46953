"""`tandem report` on SciFact runs: the page's numbers equal `tandem eval`'s, the difference plot
holds one bar per query with the right differences, benchmark curves are drawn, nothing refers to
a network, and bad inputs give clear errors without touching an existing output."""
import json
import re

import pytest

from report_support import BENCH, SCIFACT, eval_printed, parse_cells, scifact_runs, tandem

MEASURES = ["official", "ndcg_cut.10", "recall.100"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return scifact_runs(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def page(runs, tmp_path_factory):
    out = tmp_path_factory.mktemp("page") / "report.html"
    args = ["report", "--qrels", SCIFACT / "qrels.test.tsv", "--run", runs["bm25"], "--run",
            runs["bm25-tuned"], "--label", "bm25", "--label", "tuned", "-o", out,
            "--bench", BENCH / "dense_vs_peers.glove100.json",
            "--bench", BENCH / "sparse_vs_lucene.syn1M.partial.json",
            "--bench", BENCH / "bm25_vs_lucene.scifact.json"]
    for m in MEASURES:
        args += ["-m", m]
    proc = tandem(*args)
    assert "wrote" in proc.stdout
    return out.read_text(encoding="utf-8")


def test_numbers_equal_tandem_eval(runs, page):
    cells = parse_cells(page).cells
    for label, run in (("bm25", runs["bm25"]), ("tuned", runs["bm25-tuned"])):
        printed = eval_printed(run, MEASURES)
        assert len(printed) > 30
        for measure, text in printed.items():
            assert cells[(label, measure)][0] == text, (label, measure)
        # data-value holds the full-precision value behind the printed text.
        ndcg = float(cells[(label, "ndcg_cut_10")][1])
        assert f"{ndcg:6.4f}" == printed["ndcg_cut_10"]
    assert cells[("bm25", "runid")][0] == "bm25"


def test_difference_plot(runs, page):
    deltas = dict(parse_cells(page).deltas)
    per_query = {}
    for label in ("bm25", "bm25-tuned"):
        out = tandem("eval", "--json", "-q", "-m", "ndcg_cut.10", SCIFACT / "qrels.test.tsv",
                     runs[label]).stdout
        per_query[label] = {q: v["ndcg_cut_10"] for q, v in json.loads(out)["queries"].items()}
    assert set(deltas) == set(per_query["bm25"]) and len(deltas) == 300
    for qid, delta in deltas.items():
        assert delta == pytest.approx(per_query["bm25-tuned"][qid] - per_query["bm25"][qid],
                                      abs=1e-12)
    ordered = [d for _, d in parse_cells(page).deltas]
    assert ordered == sorted(ordered, reverse=True)
    m = re.search(r'data-better="(\d+)" data-worse="(\d+)"', page)
    assert int(m.group(1)) == sum(d > 0 for d in ordered)
    assert int(m.group(2)) == sum(d < 0 for d in ordered)
    assert 0 < int(m.group(1)) < 300 and 0 < int(m.group(2)) < 300


def test_benchmark_curves_and_latencies(page):
    series = parse_cells(page).polylines
    # glove100: 4 HNSW systems and 3 codes; sparse: the approximate index's sweep.
    for name in ("hnsw/tandem", "hnsw/faiss-hnsw", "hnsw/hnswlib", "codes/pq", "approx"):
        assert name in series
    assert len(series) == 8
    assert "search/k10/lucene" in page and "search/k10/tandem" in page  # latency table


def test_self_contained(page):
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "url(" not in page and "@import" not in page
    links = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert links <= {"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched


def test_one_run_has_no_difference_plot(runs, tmp_path):
    out = tmp_path / "one.html"
    tandem("report", "--qrels", SCIFACT / "qrels.test.tsv", "--run", runs["bm25"], "-o", out,
           "--quiet")
    html = out.read_text()
    assert 'id="diff-plot"' not in html and "bm25.run" in html
    cells = parse_cells(html).cells
    assert cells[("bm25.run", "map")][0] == eval_printed(runs["bm25"])["map"]


@pytest.mark.parametrize("extra, code, message", [
    (["--run", "MISSING"], 3, "missing.run"),
    (["--compare", "1", "3"], 2, "--compare"),
    (["--label", "only-one"], 2, "--label"),
    (["--diff-measure", "nosuch"], 2, "nosuch"),
    (["--diff-measure", "num_q"], 2, "num_q"),
    (["-m", "nosuchmeasure"], 2, "nosuchmeasure"),
    (["--bench", "BADJSON"], 2, "bad.json"),
    (["--bench", "NOPOINTS"], 2, "no benchmark points"),
])
def test_bad_input_keeps_existing_output(runs, tmp_path, extra, code, message):
    (tmp_path / "bad.json").write_text('{"name": "x", "points": [1, 2,')
    (tmp_path / "nopoints.json").write_text('{"name": "x", "rows": [{"a": 1}]}')
    subst = {"MISSING": tmp_path / "missing.run", "BADJSON": tmp_path / "bad.json",
             "NOPOINTS": tmp_path / "nopoints.json"}
    out = tmp_path / "out.html"
    out.write_text("previous")
    args = ["report", "--qrels", SCIFACT / "qrels.test.tsv", "--run", runs["bm25"], "--run",
            runs["bm25-tuned"], "-o", out] + [subst.get(a, a) for a in extra]
    proc = tandem(*args, check=False)
    assert proc.returncode == code, proc.stderr
    assert message in proc.stderr
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out.html")] == ["out.html"]


def test_same_labels_refused(runs, tmp_path):
    proc = tandem("report", "--qrels", SCIFACT / "qrels.test.tsv", "--run", runs["bm25"],
                  "--run", runs["bm25"], "-o", tmp_path / "x.html", check=False)
    assert proc.returncode == 2 and "labelled" in proc.stderr
