"""The CleanEval development set (2007, mixed page kinds): ``html/<id>.html.gz`` (the page inside a
``<text id=URL ...>`` element) and ``gold/<id>.txt`` (a ``URL: ...`` line, then the text with a ``<p>``, ``<h>``
or ``<l>`` marker at each paragraph's start). Validation only."""
from __future__ import annotations

import re
from pathlib import Path

from ..learn.align import Gold
from .common import Page, PathLike, gold_ids, page_html, read_gold_text

__all__ = ["cleaneval_pages", "cleaneval_text"]

_MARK = re.compile(r"^\s*<([phl])>", re.MULTILINE)


def cleaneval_text(gold: str) -> str:
    """A CleanEval gold file as plain text: the URL line dropped, a blank line at each paragraph marker."""
    if gold.startswith("URL:"):
        gold = gold.split("\n", 1)[1] if "\n" in gold else ""
    parts = (" ".join(p.split()) for p in _MARK.split(gold)[::2] if p.strip())
    return "\n\n".join(p for p in parts if p)


def cleaneval_pages(root: PathLike) -> list[Page]:
    """Every page in id order (ids are numbers: numeric order)."""
    root = Path(root)
    ids = gold_ids(root, ".txt", "cleaneval", key=lambda s: (len(s), s))
    return [Page(f"cleaneval/{pid}", page_html(root, pid),
                 Gold(cleaneval_text(read_gold_text(root / "gold" / f"{pid}.txt"))), f"cleaneval/{pid}",
                 {"page_type": "mixed"}) for pid in ids]
