"""Synthetic trailers for training: the pattern the product must remove, taught explicitly.

Many scraped articles end with a byline or credit line, then a cue line ("Watch Next:", "Related:")
and a teaser of an unrelated story. The corpus holds few such trailers in plain text, so a share of
the training articles get one: a credit line (meta) built from another page's gold author, a cue line
and a content paragraph of another article (both boilerplate), inserted after the body's last content
paragraph or at the very end. Seeded, so a rebuild is reproducible.
"""
from __future__ import annotations

import random

from cleanlib.data import LabeledDoc

CUES = ["Watch Next:", "Read Next:", "Related:", "Read more:", "Recommended:", "Up Next:", "You may also like:",
        "Watch:", "More from us:", "Related Articles:", "Popular now:", "Trending:", "Also read:", "Don't miss:"]
CREDITS = ["By {a}. Additional reporting by {b}.", "Reporting by {a}; Editing by {b}", "(Reporting by {a}; writing by {b})",
           "By {a} and {b}.", "{a} contributed to this report.", "Written by {a}. Edited by {b}."]


def add_trailers(docs: list[LabeledDoc], share: float = 0.35, seed: int = 0) -> list[LabeledDoc]:
    """Copies of ``docs``, a ``share`` of them with a synthetic credit line, cue line and unrelated teaser."""
    rng = random.Random(seed)
    authors = [a for a in (d.extra.get("author", "") for d in docs) if a and len(a.split()) <= 4] or ["Jane Doe", "John Roe"]
    teasers = [t for d in docs for t, l in zip(d.texts, d.labels) if l == "content" and 15 <= len(t.split()) <= 80]
    out = []
    for d in docs:
        texts, labels = list(d.texts), list(d.labels)
        content_at = [i for i, l in enumerate(labels) if l == "content"]
        if teasers and content_at and rng.random() < share:
            trailer, kinds = [], []
            if rng.random() < 0.5:
                trailer.append(rng.choice(CREDITS).format(a=rng.choice(authors), b=rng.choice(authors)))
                kinds.append("meta")
            trailer += [rng.choice(CUES), rng.choice(teasers)]
            kinds += ["boilerplate", "boilerplate"]
            at = content_at[-1] + 1 if rng.random() < 0.5 else len(texts)
            texts[at:at] = trailer
            labels[at:at] = kinds
        out.append(LabeledDoc(d.id, texts, labels, d.extra))
    return out
