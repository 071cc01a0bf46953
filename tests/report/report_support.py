"""Helpers of the `tandem report` tests: runs on the bundled SciFact data, `tandem eval`'s printed
values, the value cells of a report page, and a small PNG decoder (zlib + struct only)."""
import os
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

SOURCE_DIR = Path(os.environ.get("TANDEM_SOURCE_DIR", Path(__file__).resolve().parents[2]))
CLI = os.environ.get("TANDEM_CLI", str(SOURCE_DIR / "build/release/apps/cli/tandem"))
SCIFACT = SOURCE_DIR / "data/scifact"
BENCH = SOURCE_DIR / "bench/results"


def tandem(*args, check=True):
    proc = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"tandem {' '.join(map(str, args))} failed:\n{proc.stderr}")
    return proc


def scifact_runs(work):
    """Two BM25 runs of SciFact's test queries: Anserini's defaults and k1=1.2, b=0.75."""
    work = Path(work)
    index = work / "index"
    if not index.exists():
        tandem("index", "--corpus", SCIFACT / "corpus.jsonl.gz", "--index", index, "--quiet")
    runs = {}
    for name, extra in (("bm25", []), ("bm25-tuned", ["--k1", 1.2, "--b", 0.75])):
        path = work / f"{name}.run"
        tandem("search", "--index", index, "--queries", SCIFACT / "queries.test.tsv", "--run",
               path, "--k", 100, "--tag", name, "--quiet", *extra)
        runs[name] = path
    return runs


def eval_printed(run, measures=()):
    """{measure: text} of `tandem eval`'s summary lines."""
    args = ["eval", *sum((["-m", m] for m in measures), []), SCIFACT / "qrels.test.tsv", run]
    out = {}
    for line in tandem(*args).stdout.splitlines():
        name, qid, value = line.split("\t")
        assert qid == "all"
        out[name.strip()] = value
    return out


class ValueCells(HTMLParser):
    """Collects <td data-run data-measure data-value>text</td> and <rect data-delta> of a page."""

    def __init__(self):
        super().__init__()
        self.cells = {}  # (run, measure) -> (text, data-value)
        self.deltas = []  # (qid, delta)
        self.polylines = []  # data-series of each curve
        self.tags = []
        self._cell = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "td" and "data-measure" in a:
            self._cell = (a["data-run"], a["data-measure"], a["data-value"])
            self._text = ""
        elif tag == "rect" and "data-delta" in a:
            self.deltas.append((a["data-qid"], float(a["data-delta"])))
        elif tag == "polyline":
            self.polylines.append(a.get("data-series"))

    def handle_data(self, data):
        if self._cell is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            run, measure, value = self._cell
            self.cells[(run, measure)] = (self._text, value)
            self._cell = None


def parse_cells(html):
    p = ValueCells()
    p.feed(html)
    return p


def decode_png(data):
    """(width, height, channels, rows of bytes) of an 8-bit RGB or RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows
