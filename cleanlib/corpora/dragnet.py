"""Dragnet's news and blog pages (2012): ``html/<id>.html.gz`` and ``gold/<id>.txt``, the article text, then on
pages with comments a marker line (``!@#$%^&*()  COMMENTS``, with typos on some pages) and the comments.
Validation only (AGPL-3.0): never in a shipped model's training data."""
from __future__ import annotations

import re
from pathlib import Path

from ..learn.align import Gold
from .common import Page, PathLike, gold_ids, page_html, read_gold_text

__all__ = ["dragnet_pages", "split_comments"]

# the marker and its variants in the corpus: "!@#$%^&*()  COMMENTS", "!@ $%^&*()  COMMENTS", "@#$%^&*() COMMENTS",
# "!@#$%^&*()  CORRECTED", the symbols alone, "COMMNENTS"...
_MARKER = re.compile(r"^[ \t]*[!@#$%^&*() \t]*(?:%\^&|\^&\*|&\*\()[!@#$%^&*() \t]*(?:COMM?N?ENTS|CORRECTED)?[ \t]*$",
                     re.MULTILINE)


def split_comments(gold: str) -> tuple[str, str]:
    """A dragnet gold file's (article, comments): the text before and after the marker line ("" if none)."""
    m = _MARKER.search(gold)
    return (gold, "") if m is None else (gold[:m.start()], gold[m.end():])


def dragnet_pages(root: PathLike) -> list[Page]:
    """Every page in id order; the gold is the article part, ``extra["comments"]`` the comment part."""
    root = Path(root)
    ids = gold_ids(root, ".txt", "dragnet")
    out = []
    for pid in ids:
        article, comments = split_comments(read_gold_text(root / "gold" / f"{pid}.txt"))
        out.append(Page(f"dragnet/{pid}", page_html(root, pid), Gold(article.strip()), f"dragnet/{pid}",
                        {"page_type": "article", "comments": comments.strip()}))
    return out
