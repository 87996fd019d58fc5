"""Mozilla Readability's test pages: ``html/<id>.html.gz`` (the page) and ``gold/<id>.html`` (the article HTML
that Readability.js extracts). The gold text is that HTML rendered to text, a block a paragraph."""
from __future__ import annotations

from pathlib import Path

from ..html.render import html_to_text
from ..learn.align import Gold
from .common import Page, PathLike, gold_ids, page_html

__all__ = ["readability_pages"]


def readability_pages(root: PathLike) -> list[Page]:
    """Every test page in id order; a page is its own hold-out group."""
    root = Path(root)
    ids = gold_ids(root, ".html", "readability")
    out = []
    for pid in ids:
        gold_html = (root / "gold" / f"{pid}.html").read_bytes()
        out.append(Page(f"readability/{pid}", page_html(root, pid), Gold(html_to_text(gold_html, "html_text")),
                        f"readability/{pid}", {"page_type": "article"}))
    return out
