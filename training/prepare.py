"""Turn the corpora in ../shared/data into labeled paragraphs (data/prepared/, ignored by git).

    python training/prepare.py [--shared ../shared/data] [--out data/prepared] [--jobs N]

Every page with HTML is rendered three ways (cleanlib.corpora.TEXT_RENDERINGS: html-text, resiliparse, and
resiliparse one block a line, the shape of a crawl's WET text), so that the text model learns no one tool's
line breaking (the HTML model reads the pages themselves: cleanlib.learn.recipe.html_training_set); each
rendering is split into paragraphs and labeled by alignment with the page's gold
(cleanlib.learn.align). Files written, one document a rendering:

- training corpora, split by a fixed hash (cleanlib.corpora.is_heldout, 20% held out):
  wcxb-train / wcxb-heldout (by page; every page type), fundus-train / fundus-heldout (by publisher),
  readability-train / readability-heldout (by page);
- validation only, never trained on: dragnet (the gold's comment part in ``extra["comments"]``),
  cleaneval, turku (crawl lines labeled by hand; no HTML), scrapinghub (the benchmark: measured, never tuned on).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from joblib import Parallel, delayed

from cleanlib.corpora import CORPORA, TEXT_RENDERINGS, TRAINING_CORPORA, Page, is_heldout, page_docs, turku_docs
from cleanlib.data import LabeledDoc, write_labeled

ROOT = Path(__file__).resolve().parent.parent


def _docs(corpus: str, page: Page) -> list[LabeledDoc]:
    return page_docs(page.id, page.html, page.gold, {"corpus": corpus, **page.extra}, TEXT_RENDERINGS, page.group)


def prepare_corpus(corpus: str, shared: Path, out: Path, jobs: int) -> dict[str, int]:
    """Render, label and write one corpus; returns documents written per file."""
    reader, folder = CORPORA[corpus]
    split = corpus in TRAINING_CORPORA
    pages = reader(shared / folder)
    docs = [d for page_docs_ in Parallel(n_jobs=jobs, batch_size=8)(delayed(_docs)(corpus, p) for p in pages)
            for d in page_docs_]
    if not split:
        return {corpus: write_labeled(out / f"{corpus}.jsonl.gz", docs)}
    held = {p.group for p in pages if is_heldout(p.group)}
    return {f"{corpus}-train": write_labeled(out / f"{corpus}-train.jsonl.gz",
                                             [d for d in docs if d.extra["group"] not in held]),
            f"{corpus}-heldout": write_labeled(out / f"{corpus}-heldout.jsonl.gz",
                                               [d for d in docs if d.extra["group"] in held])}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "prepared")
    ap.add_argument("--jobs", type=int, default=-1, help="worker processes for rendering (-1: all cores)")
    ap.add_argument("--corpora", default=",".join([*CORPORA, "turku"]),
                    help=f"comma-separated subset of {', '.join([*CORPORA, 'turku'])}")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for corpus in args.corpora.split(","):
        if corpus == "turku":
            counts = {"turku": write_labeled(args.out / "turku.jsonl.gz", turku_docs(args.shared / "turku-lines"))}
        elif corpus in CORPORA:
            counts = prepare_corpus(corpus, args.shared, args.out, args.jobs)
        else:
            ap.error(f"unknown corpus {corpus!r}")
        print(", ".join(f"{name}: {n} documents" for name, n in counts.items()), flush=True)
    print(f"wrote to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
