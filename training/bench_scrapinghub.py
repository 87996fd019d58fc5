"""Accuracy on the scrapinghub article benchmark (never trained on), with its own metric.

    python training/bench_scrapinghub.py [--model DIR]

Each page's HTML is rendered to plain text (html_text and resiliparse, as in training) and cleaned
with clean(); the result is scored against the page's articleBody: \\w+ tokens with case kept,
4-token shingles with counts, precision and recall averaged over pages, F1 of the two means.
Baselines on the same texts: every paragraph kept, and paragraphs of >= 20 words kept.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cleanlib import Cleaner
from cleanlib.corpora import page_html, scrapinghub_gold
from cleanlib.evaluation.metrics import benchmark_shingle_f1
from cleanlib.html.render import RENDERERS, html_to_text
from cleanlib.core.segment import split_paragraphs

ROOT = Path(__file__).resolve().parent.parent


def load_pages(root: Path) -> list[tuple[str, bytes, str]]:
    """(page id, HTML, articleBody) of every scrapinghub page, in id order."""
    return [(pid, page_html(root, pid), body) for pid, body in scrapinghub_gold(root).items()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data" / "scrapinghub")
    ap.add_argument("--model", help="model directory (default: the shipped model)")
    args = ap.parse_args(argv)
    pages = load_pages(args.shared)
    cleaner = Cleaner(args.model)
    print(f"scrapinghub: {len(pages)} pages")
    print(f"{'rendering':<14}{'pipeline':<26}{'F1':>8}{'P':>8}{'R':>8}")
    for renderer in RENDERERS:
        texts = [html_to_text(html, renderer) for _, html, _ in pages]
        golds = [g for _, _, g in pages]
        runs = {
            "cleanlib clean()": cleaner.clean_many(texts),
            "keep everything": texts,
            "paragraphs >= 20 words": ["\n\n".join(p for p in split_paragraphs(t).texts if len(p.split()) >= 20)
                                       for t in texts],
        }
        for name, outs in runs.items():
            s = benchmark_shingle_f1(zip(outs, golds))
            print(f"{renderer:<14}{name:<26}{s['f1']:>8.4f}{s['precision']:>8.4f}{s['recall']:>8.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
