"""Fixtures of the Python module's tests: the `tandem` CLI, the bundled SciFact data, and indexes
built once per session under a temporary directory. ctest sets TANDEM_CLI, TANDEM_SOURCE_DIR and
PYTHONPATH (the module's build directory)."""
import os
import subprocess
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("TANDEM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
CLI = os.environ.get("TANDEM_CLI", str(SOURCE_DIR / "build/release/apps/cli/tandem"))
SCIFACT = SOURCE_DIR / "data/scifact"


def cli(*args):
    """Runs the tandem CLI; returns stdout, fails the test with stderr on a non-zero exit."""
    proc = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    assert proc.returncode == 0, f"tandem {' '.join(map(str, args))} failed:\n{proc.stderr}"
    return proc.stdout


def read_run(path):
    """A TREC run as {qid: [(doc, score_text), ...]} in file order."""
    run = {}
    for line in Path(path).read_text().splitlines():
        qid, _, doc, _, score, _ = line.split()
        run.setdefault(qid, []).append((doc, score))
    return run


def read_queries(path):
    out = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            qid, text = line.split("\t", 1)
            out[qid] = text
    return out


@pytest.fixture(scope="session")
def scifact_index(tmp_path_factory):
    """The SciFact index built by the CLI (`tandem index`)."""
    path = tmp_path_factory.mktemp("scifact") / "index"
    cli("index", "--corpus", SCIFACT / "corpus.jsonl.gz", "--index", path, "--quiet")
    return path


@pytest.fixture(scope="session")
def scifact_queries():
    return read_queries(SCIFACT / "queries.test.tsv")
