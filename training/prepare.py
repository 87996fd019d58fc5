"""Turn the HTML + gold corpora in ../shared/data into labeled paragraphs (data/prepared/).

    python training/prepare.py [--shared ../shared/data] [--out data/prepared]

Each WCXB-dev page is rendered twice (html_text and resiliparse, so the model learns no one
tool's line breaking), split into paragraphs and labeled by cleanlib.learn.align. The split is by page
and fixed: a page is held out when its id's SHA-1 is 0 mod 5 (20%). Outputs, all ignored by git:
wcxb-train.jsonl.gz, wcxb-heldout.jsonl.gz (with the gold text and page type of each page) and
scrapinghub.jsonl.gz (the benchmark, for evaluation only, never for training).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from joblib import Parallel, delayed

from cleanlib.corpora import is_heldout, scrapinghub_gold, scrapinghub_page_docs, wcxb_page_docs, wcxb_page_types
from cleanlib.data import write_labeled
from cleanlib.html.render import RENDERERS

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "prepared")
    ap.add_argument("--jobs", type=int, default=-1)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    wcxb = args.shared / "wcxb-dev"
    pages = Parallel(n_jobs=args.jobs)(
        delayed(wcxb_page_docs)(wcxb, pid, page_type) for pid, page_type in wcxb_page_types(wcxb).items())
    train = [d for page in pages for d in page if not is_heldout(d.id.split("/")[0])]
    held = [d for page in pages for d in page if is_heldout(d.id.split("/")[0])]
    n_train = write_labeled(args.out / "wcxb-train.jsonl.gz", train)
    n_held = write_labeled(args.out / "wcxb-heldout.jsonl.gz", held)

    sh = args.shared / "scrapinghub"
    pages = Parallel(n_jobs=args.jobs)(
        delayed(scrapinghub_page_docs)(sh, pid, body) for pid, body in scrapinghub_gold(sh).items())
    n_sh = write_labeled(args.out / "scrapinghub.jsonl.gz", [d for page in pages for d in page])
    print(f"wrote {n_train} train, {n_held} held-out WCXB documents and {n_sh} scrapinghub documents "
          f"({len(RENDERERS)} renderings a page) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
