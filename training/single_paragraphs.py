"""Texts of one paragraph: does a model keep a lone sentence of an article and drop a lone menu or prompt line?

    python training/prepare.py                     # once: renders and labels the corpora into data/prepared/
    python training/single_paragraphs.py [--model DIR ...] [--pages 400]

The panel's documents are whole pages, so it cannot show what ``clean`` does with a text of one paragraph
("Subscribe to our newsletter", "Home", one sentence of news). This script makes such texts from the
validation sets' labeled documents (the html-text rendering; turku's lines): from each of up to ``--pages``
pages (a fixed sample), one content paragraph of 5 words or more and one boilerplate paragraph of fewer than
20 words (a longer one is prose that no reader could place without its page: the rescue keeps it), each as a
text of its own, cleaned by ``Cleaner(model).clean_many``. It prints, per set and model, the share of the
content paragraphs kept (also of those under 20 words, and of those the one-line sentences), the share of the
boilerplate lines removed, and the mean of the first and the last (balanced accuracy; keeping everything: 0.5).
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

import numpy as np

from cleanlib import Cleaner
from cleanlib.data import LabeledDoc, read_labeled

ROOT = Path(__file__).resolve().parent.parent
SETS = {"dragnet": "html_text", "cleaneval": "html_text", "fundus-heldout": "html_text",
        "wcxb-heldout": "html_text", "turku": "lines"}
CONTENT_WORDS = 5   # a content paragraph alone: a sentence, not a sub-heading
PROSE_WORDS = 20    # a boilerplate paragraph alone: a line, not prose
SENTENCE = re.compile(r"[.!?][\"”']?$")  # a one-line paragraph ending so is written as a sentence


def lone_paragraphs(docs: list[LabeledDoc], renderer: str, pages: int, seed: int = 0) -> list[tuple[str, str]]:
    """(text, label) pairs: one content paragraph and one boilerplate line from each of up to ``pages``
    documents of ``renderer`` (a fixed sample), where the document has them."""
    rng = random.Random(seed)
    docs = [d for d in docs if d.extra.get("renderer") == renderer]
    out = []
    for d in rng.sample(docs, min(pages, len(docs))):
        body = [t for t, l in zip(d.texts, d.labels) if l == "content" and len(t.split()) >= CONTENT_WORDS]
        lines = [t for t, l in zip(d.texts, d.labels) if l == "boilerplate" and 0 < len(t.split()) < PROSE_WORDS]
        out += [(rng.choice(pool), label) for pool, label in ((body, "content"), (lines, "boilerplate")) if pool]
    return out


def is_short_sentence(text: str) -> bool:
    """A paragraph of one line and fewer than ``PROSE_WORDS`` words that ends as a sentence does."""
    text = text.strip()
    return "\n" not in text and len(text.split()) < PROSE_WORDS and bool(SENTENCE.search(text))


def scores(cleaner: Cleaner, pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Content kept (all; under 20 words; of those, the one-line sentences), boilerplate lines removed, and the
    mean of the first and the last."""
    kept = np.array([bool(out.strip()) for out in cleaner.clean_many([t for t, _ in pairs])])
    content = np.array([l == "content" for _, l in pairs])
    short = np.array([len(t.split()) < PROSE_WORDS for t, _ in pairs])
    sentence = np.array([is_short_sentence(t) for t, _ in pairs])

    def share(rows: np.ndarray) -> float:
        return float(kept[rows].mean()) if rows.any() else float("nan")

    out = {"content kept": share(content), "short content kept": share(content & short),
           "short sentences kept": share(content & sentence), "lines removed": 1 - share(~content)}
    out["balanced"] = (out["content kept"] + out["lines removed"]) / 2
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", action="append", type=Path, help="a text model directory (repeatable; default: the "
                                                                 "shipped model)")
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "prepared")
    ap.add_argument("--pages", type=int, default=400, help="pages sampled a set")
    args = ap.parse_args(argv)
    models = args.model or [None]
    names = [str(m) if m else "shipped" for m in models]
    cleaners = [Cleaner(m) for m in models]
    print(f"| set (texts) | model | content kept | of them under {PROSE_WORDS} words | of those, sentences (n) "
          "| lines removed | balanced |")
    print("|---|---|---|---|---|---|---|")
    for name, renderer in SETS.items():
        path = args.data / f"{name}.jsonl.gz"
        if not path.is_file():
            print(f"{path}: missing (run training/prepare.py)", file=sys.stderr)
            continue
        pairs = lone_paragraphs(read_labeled(path), renderer, args.pages)
        for model_name, cleaner in zip(names, cleaners):
            s = scores(cleaner, pairs)
            n = sum(l == "content" and is_short_sentence(t) for t, l in pairs)
            print(f"| {name} ({len(pairs)}) | {model_name} | {s['content kept']:.3f} | {s['short content kept']:.3f} "
                  f"| {s['short sentences kept']:.3f} ({n}) | {s['lines removed']:.3f} | {s['balanced']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
