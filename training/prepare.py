"""Turn the HTML + gold corpora in ../shared/data into labeled paragraphs (data/prepared/).

    python training/prepare.py [--shared ../shared/data] [--out data/prepared]

Each WCXB-dev page is rendered twice (html_text and resiliparse, so the model learns no one
tool's line breaking), split into paragraphs and labeled by cleanlib.align. The split is by page
and fixed: a page is held out when its id's SHA-1 is 0 mod 5 (20%). Outputs, all ignored by git:
wcxb-train.jsonl.gz, wcxb-heldout.jsonl.gz (with the gold text and page type of each page) and
scrapinghub.jsonl.gz (the benchmark, for evaluation only, never for training).
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

from joblib import Parallel, delayed

from cleanlib.align import Gold, label_paragraphs
from cleanlib.data import LabeledDoc, write_labeled
from cleanlib.render import RENDERERS, html_to_text
from cleanlib.segment import split_paragraphs

ROOT = Path(__file__).resolve().parent.parent


def is_heldout(page_id: str) -> bool:
    """The fixed 20% page-level held-out split."""
    return int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 5 == 0


def _docs_for_page(page_id: str, html: bytes, gold: Gold, extra: dict) -> list[LabeledDoc]:
    docs = []
    for renderer in RENDERERS:
        text = html_to_text(html, renderer)
        texts = split_paragraphs(text).texts
        labels = label_paragraphs(texts, gold)
        docs.append(LabeledDoc(f"{page_id}/{renderer}", texts, labels,
                               {"renderer": renderer, "gold": gold.main_text, **extra}))
    return docs


def _wcxb_page(root: Path, page_id: str, page_type: str) -> list[LabeledDoc]:
    rec = json.loads((root / "ground-truth" / f"{page_id}.json").read_text(encoding="utf-8"))
    g = rec["ground_truth"]
    gold = Gold(g.get("main_content") or "", g.get("title") or "", g.get("author") or "",
                g.get("publish_date") or "")
    html = gzip.open(root / "html" / f"{page_id}.html.gz").read()
    return _docs_for_page(page_id, html, gold, {"page_type": page_type, "author": gold.author})


def _scrapinghub_page(root: Path, page_id: str, body: str) -> list[LabeledDoc]:
    html = gzip.open(root / "html" / f"{page_id}.html.gz").read()
    return _docs_for_page(page_id, html, Gold(body), {"page_type": "article"})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "prepared")
    ap.add_argument("--jobs", type=int, default=-1)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    wcxb = args.shared / "wcxb-dev"
    files = json.loads((wcxb / "metadata.json").read_text())["files"]
    pages = Parallel(n_jobs=args.jobs)(
        delayed(_wcxb_page)(wcxb, pid, meta["page_type"]) for pid, meta in sorted(files.items()))
    train = [d for page in pages for d in page if not is_heldout(d.id.split("/")[0])]
    held = [d for page in pages for d in page if is_heldout(d.id.split("/")[0])]
    n_train = write_labeled(args.out / "wcxb-train.jsonl.gz", train)
    n_held = write_labeled(args.out / "wcxb-heldout.jsonl.gz", held)

    sh = args.shared / "scrapinghub"
    gt = json.loads((sh / "ground-truth.json").read_text())
    pages = Parallel(n_jobs=args.jobs)(
        delayed(_scrapinghub_page)(sh, pid, v["articleBody"]) for pid, v in sorted(gt.items()))
    n_sh = write_labeled(args.out / "scrapinghub.jsonl.gz", [d for page in pages for d in page])
    print(f"wrote {n_train} train, {n_held} held-out WCXB documents and {n_sh} scrapinghub documents "
          f"({len(RENDERERS)} renderings a page) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
