#!/usr/bin/env python3
"""Renders a `tandem report` page for two SciFact runs in headless Chromium and checks what a
reader would see: the screenshot is not blank (it has the table's text, the green and red bars of
the difference plot, and the curve colours) and the values in the DOM Chromium built equal
`tandem eval`'s output. Exit 77 (ctest: skipped) only when Chromium is not installed."""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from report_support import BENCH, SCIFACT, decode_png, eval_printed, parse_cells, scifact_runs, tandem


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(browser, *args):
    # --no-sandbox: the tests may run as root; --disable-gpu: no display here.
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def main():
    browser = chromium()
    if browser is None:
        print("SKIPPED: chromium is not installed (apt-get install chromium; scripts/setup.sh "
              "installs it)")
        return 77
    with tempfile.TemporaryDirectory(prefix="tandem-report-") as tmp:
        work = Path(tmp)
        runs = scifact_runs(work)
        page = work / "report.html"
        tandem("report", "--qrels", SCIFACT / "qrels.test.tsv", "--run", runs["bm25"], "--run",
               runs["bm25-tuned"], "-m", "official", "-m", "ndcg_cut.10", "--bench",
               BENCH / "dense_vs_peers.glove100.json", "-o", page, "--quiet")
        shot = work / "shot.png"
        proc = run_chromium(browser, f"--screenshot={shot}", "--window-size=1100,2600",
                            page.as_uri())
        assert shot.exists(), f"chromium wrote no screenshot:\n{proc.stderr[-2000:]}"
        width, height, ch, rows = decode_png(shot.read_bytes())
        assert (width, height) == (1100, 2600), (width, height)
        white = dark = green = red = 0
        total = width * height
        lum_sum = lum_sq = 0
        for row in rows:
            for x in range(0, width * ch, ch):
                r, g, b = row[x], row[x + 1], row[x + 2]
                lum = (r * 299 + g * 587 + b * 114) // 1000
                lum_sum += lum
                lum_sq += lum * lum
                white += lum > 245
                dark += lum < 100
                green += abs(r - 43) < 30 and abs(g - 138) < 30 and abs(b - 75) < 30
                red += abs(r - 200) < 30 and abs(g - 70) < 30 and abs(b - 58) < 30
        mean = lum_sum / total
        variance = lum_sq / total - mean * mean
        print(f"screenshot {width}x{height}: luminance variance {variance:.1f}, "
              f"{dark} dark, {green} green, {red} red pixels")
        assert variance > 100, "the screenshot is (nearly) uniform: a blank page"
        assert dark > 2000, "too little text on the page"
        assert green > 500 and red > 500, "the difference plot's bars were not drawn"
        dom = run_chromium(browser, "--dump-dom", page.as_uri()).stdout
        cells = parse_cells(dom).cells
        for label in ("bm25", "bm25-tuned"):
            printed = eval_printed(runs[label], ["official", "ndcg_cut.10"])
            for measure, text in printed.items():
                got = cells.get((f"{label}.run", measure))
                assert got is not None and got[0] == text, (label, measure, got, text)
        print(f"DOM values equal tandem eval's for {len(cells)} cells")
    return 0


if __name__ == "__main__":
    sys.exit(main())
