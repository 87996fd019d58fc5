"""clean()'s throughput on the scrapinghub texts, on one core.

    python training/bench_speed.py [--repeat 5] [--renderer html_text] [--model DIR]
    python training/bench_speed.py --html      # HTML in, text out, with the HTML model

The pages are rendered to text first (not timed); then every text is cleaned, one clean() call a
page and in batches with Cleaner.clean_many. Prints the median of the repeats in pages/s and MB/s
(UTF-8 bytes of input text), by the wall clock and by this process's CPU time (which another job on
a shared machine disturbs less). BLAS is limited to one thread. It says whether the compiled
speedups (and, with --html, the compiled DOM walk) are in use; ``CLEANLIB_PURE_NUMPY=1`` in the environment measures
the numpy and Python fallbacks.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from threadpoolctl import threadpool_limits

from cleanlib import Cleaner
from cleanlib.core import native
from cleanlib.corpora import scrapinghub_pages
from cleanlib.html.render import html_to_text

ROOT = Path(__file__).resolve().parent.parent


def _walk_state() -> str:
    """Whether the HTML pipeline's DOM walk is the compiled one (cleanlib/html/_walk.c)."""
    from cleanlib.html import native_walk
    from cleanlib.html.dom import _parser_class

    return f", DOM walk {'compiled' if native_walk.enabled(_parser_class()) else 'in Python'}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "scrapinghub")
    ap.add_argument("--renderer", default="html_text")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--model", help="model directory (default: the shipped model)")
    ap.add_argument("--html", action="store_true",
                    help="HTML in, text out: the pages' HTML (decoded by the page's charset), with the HTML model")
    args = ap.parse_args(argv)
    pages = scrapinghub_pages(args.shared)
    texts = [p.html for p in pages] if args.html else [html_to_text(p.html, args.renderer) for p in pages]
    mb = sum(len(t if isinstance(t, bytes) else t.encode("utf-8")) for t in texts) / 1e6
    cleaner = Cleaner(args.model, html=args.html)
    cleaner.clean_many(texts[:8])  # warm up: model load, lookup tables
    runs = {"clean() a page at a time": lambda: [cleaner.clean(t) for t in texts],
            "Cleaner.clean_many (batches of 64)": lambda: cleaner.clean_many(texts)}
    what = "as HTML (bytes)" if args.html else f"rendered by {args.renderer}"
    print(f"{len(texts)} scrapinghub pages {what}: {mb:.2f} MB, "
          f"median {statistics.median(len(t) for t in texts)} characters a page; median of {args.repeat} runs, 1 thread; "
          f"compiled speedups {'on' if native.ENABLED else 'off (numpy only)'}{_walk_state() if args.html else ''}")
    print(f"{'':<38}{'wall clock':>24}{'CPU time of this process':>30}")
    with threadpool_limits(1):
        for name, fn in runs.items():
            wall, cpu = [], []
            for _ in range(args.repeat):
                t0, c0 = time.perf_counter(), time.process_time()
                fn()
                wall.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            w, c = statistics.median(wall), statistics.median(cpu)
            print(f"{name:<38}{len(texts) / w:>8.0f} pages/s {mb / w:>7.2f} MB/s"
                  f"{len(texts) / c:>14.0f} pages/s {mb / c:>7.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
