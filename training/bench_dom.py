"""Speed of cleanlib.html.dom.html_blocks on the scrapinghub pages, next to two plain-text renderers.

    python training/bench_dom.py [--repeat 5] [--shared ../shared/data/scrapinghub]

Every tool starts from the page's bytes (decoding is timed): ``html_blocks`` (decode_page, parse,
blocks with their structure), resiliparse's ``extract_plain_text`` (its encoding detection and parser,
the options ``cleanlib.html.render`` uses) and html_text's ``extract_text`` (``decode_html``, lxml).
One core; the tools take turns within each repeat so a busy machine slows them alike; prints the
median pages/s by the wall clock and by this process's CPU time, and html_blocks' ratio to each.
"""
from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent


def load(shared: Path) -> list[bytes]:
    """The raw bytes of every page, in file-name order."""
    return [gzip.open(p).read() for p in sorted((shared / "html").glob("*.html.gz"))]


def tools() -> dict[str, Callable[[bytes], object]]:
    """The timed functions, each from a page's bytes."""
    import html_text
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree

    from cleanlib.html.dom import html_blocks
    from cleanlib.html.render import decode_html

    def resiliparse(data: bytes) -> str:
        tree = HTMLTree.parse_from_bytes(data, detect_encoding(data))
        return extract_plain_text(tree, main_content=False, alt_texts=False, links=False, list_bullets=True,
                                  noscript=False)

    return {"cleanlib html_blocks": html_blocks,
            "resiliparse extract_plain_text": resiliparse,
            "html_text extract_text": lambda data: html_text.extract_text(decode_html(data), guess_layout=True)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "scrapinghub")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    pages = load(args.shared)
    if not pages:
        print(f"no pages under {args.shared / 'html'}", file=sys.stderr)
        return 1
    runs = tools()
    for fn in runs.values():  # warm up: imports, tag tables
        fn(pages[0])
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.repeat):
        for name, fn in runs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            for page in pages:
                fn(page)
            wall[name].append(len(pages) / (time.perf_counter() - t0))
            cpu[name].append(len(pages) / (time.process_time() - c0))
    mb = sum(map(len, pages)) / 1e6
    print(f"{len(pages)} scrapinghub pages, {mb:.1f} MB of HTML; median of {args.repeat} runs, 1 thread")
    print(f"{'':<34}{'wall pages/s':>14}{'CPU pages/s':>14}{'html_blocks / it (CPU)':>26}")
    ours = statistics.median(cpu["cleanlib html_blocks"])
    for name in runs:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        print(f"{name:<34}{w:>14.0f}{c:>14.0f}{ours / c:>26.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
