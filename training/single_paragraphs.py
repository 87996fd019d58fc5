"""Texts of one paragraph: does a model keep a lone sentence of an article and drop a lone menu or prompt line?

    python training/prepare.py                     # once: renders and labels the corpora into data/prepared/
    python training/single_paragraphs.py [--model DIR ...] [--pages 400]
    python training/single_paragraphs.py --html [--model DIR ...]   # pages of one block, with the HTML model

The panel's documents are whole pages, so it cannot show what ``clean`` does with a text of one paragraph
("Subscribe to our newsletter", "Home", one sentence of news). This script makes such texts from the
validation sets' labeled documents (the html-text rendering; turku's lines): from each of up to ``--pages``
pages (a fixed sample), one content paragraph of 5 words or more and one boilerplate paragraph of fewer than
20 words (a longer one is prose that no reader could place without its page: the rescue keeps it), each as a
text of its own, cleaned by ``Cleaner(model).clean_many``. It prints, per set and model, the share of the
content paragraphs kept (also of those under 20 words, and of those the one-line sentences), the share of the
boilerplate lines removed, and the mean of the first and the last (balanced accuracy; keeping everything: 0.5).

With ``--html`` the texts are pages of one block: from the validation sets' HTML (../shared/data), each page's
blocks labeled by the alignment with its gold, one content and one boilerplate block written alone in their own
tag (``html_augment.fragment_html``: a snippet's markup), cleaned by ``Cleaner(model, html=True)``.
"""
from __future__ import annotations

import argparse
import html as html_lib
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


def _pools(texts: list[str], labels: list[str]) -> tuple[list[int], list[int]]:
    """The paragraphs a page can give alone: its content ones of ``CONTENT_WORDS`` words or more, and its
    boilerplate ones of fewer than ``PROSE_WORDS`` (indices)."""
    body = [i for i, (t, l) in enumerate(zip(texts, labels)) if l == "content" and len(t.split()) >= CONTENT_WORDS]
    lines = [i for i, (t, l) in enumerate(zip(texts, labels))
             if l == "boilerplate" and 0 < len(t.split()) < PROSE_WORDS]
    return body, lines


def _draw(texts: list[str], labels: list[str], rng: random.Random) -> list[tuple[int, str]]:
    """(index, label): one paragraph of each of ``_pools``, where the page has it."""
    return [(rng.choice(pool), label) for pool, label in zip(_pools(texts, labels), ("content", "boilerplate")) if pool]


def lone_paragraphs(docs: list[LabeledDoc], renderer: str, pages: int, seed: int = 0) -> list[tuple[str, str]]:
    """(text, label) pairs: one content paragraph and one boilerplate line from each of up to ``pages``
    documents of ``renderer`` (a fixed sample), where the document has them."""
    rng = random.Random(seed)
    docs = [d for d in docs if d.extra.get("renderer") == renderer]
    return [(d.texts[i], label) for d in rng.sample(docs, min(pages, len(docs)))
            for i, label in _draw(d.texts, d.labels, rng)]


HTML_SETS = ("dragnet", "cleaneval", "fundus", "wcxb-all")  # html_panel's sets (held-out pages of the training corpora)


def lone_blocks(pages: list, count: int, seed: int = 0) -> list[tuple[str, str]]:
    """(one-block HTML, label) pairs: one content block and one boilerplate block under ``PROSE_WORDS`` words
    from each of up to ``count`` pages (a fixed sample), each in its own tag alone, where the page has them."""
    from cleanlib.html.dom import html_blocks
    from cleanlib.learn.align import label_paragraphs
    from cleanlib.learn.html_augment import block_alone

    rng = random.Random(seed)
    out = []
    for p in rng.sample(pages, min(count, len(pages))):
        b = html_blocks(p.html)
        out += [(block_alone(b, i), label) for i, label in _draw(b.texts, label_paragraphs(b.texts, p.gold), rng)]
    return out


def _words(text: str) -> str:
    """A pair's text as read: the text of its one block where it is HTML."""
    return html_lib.unescape(re.sub(r"<[^>]*>", "", text)) if text.startswith("<") else text


def is_short_sentence(text: str) -> bool:
    """A paragraph of one line and fewer than ``PROSE_WORDS`` words that ends as a sentence does."""
    text = text.strip()
    return "\n" not in text and len(text.split()) < PROSE_WORDS and bool(SENTENCE.search(text))


def scores(cleaner: Cleaner, pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Content kept (all; under 20 words; of those, the one-line sentences), boilerplate lines removed, and the
    mean of the first and the last."""
    kept = np.array([bool(out.strip()) for out in cleaner.clean_many([t for t, _ in pairs])])
    content = np.array([l == "content" for _, l in pairs])
    short = np.array([len(_words(t).split()) < PROSE_WORDS for t, _ in pairs])
    sentence = np.array([is_short_sentence(_words(t)) for t, _ in pairs])

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
    ap.add_argument("--html", action="store_true", help="pages of one block from the sets' HTML, the HTML model")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data", help="the corpora (--html)")
    args = ap.parse_args(argv)
    models = args.model or [None]
    names = [str(m) if m else "shipped" for m in models]
    cleaners = [Cleaner(m, html=args.html) for m in models]
    print(f"| set (texts) | model | content kept | of them under {PROSE_WORDS} words | of those, sentences (n) "
          "| lines removed | balanced |")
    print("|---|---|---|---|---|---|---|")
    for name, pairs in _pairs(args):
        for model_name, cleaner in zip(names, cleaners):
            s = scores(cleaner, pairs)
            n = sum(l == "content" and is_short_sentence(_words(t)) for t, l in pairs)
            print(f"| {name} ({len(pairs)}) | {model_name} | {s['content kept']:.3f} | {s['short content kept']:.3f} "
                  f"| {s['short sentences kept']:.3f} ({n}) | {s['lines removed']:.3f} | {s['balanced']:.3f} |")
    return 0


def _pairs(args: argparse.Namespace):
    """(set name, pairs) for each set: lone paragraphs of the prepared texts, or with --html lone blocks."""
    if args.html:
        from cleanlib.evaluation.panel import html_panel

        if not args.shared.is_dir():
            raise SystemExit(f"{args.shared}: not found (the corpora folder, for --html)")
        panel = html_panel(args.shared)
        for name in HTML_SETS:
            yield name, lone_blocks(panel[name], args.pages)
        return
    for name, renderer in SETS.items():
        path = args.data / f"{name}.jsonl.gz"
        if not path.is_file():
            print(f"{path}: missing (run training/prepare.py)", file=sys.stderr)
            continue
        yield name, lone_paragraphs(read_labeled(path), renderer, args.pages)


if __name__ == "__main__":
    sys.exit(main())
