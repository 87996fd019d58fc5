"""fundus's parser test pages (news, 2023-2026, many languages): ``pages.json`` (``{html path: {json, version}}``),
``<cc>/<Publisher>_<YYYY_MM_DD>.html.gz`` and ``<cc>/<Publisher>.json`` (``{version: {title, authors,
publishing_date, body: {summary: [...], sections: [{headline: [...], paragraphs: [...]}]}}}``).

The gold main text is the summary, then each section's headline and paragraphs (the article's own body, its
sub-headings included); title, authors and date are meta. Pages are held out by publisher
(``is_heldout("fundus/<cc>/<Publisher>")``), so that no held-out site was seen in training.
"""
from __future__ import annotations

import gzip
from pathlib import Path

from ..data import DataError
from ..learn.align import Gold
from .common import Page, PathLike, read_json

__all__ = ["fundus_pages", "fundus_gold"]


def _strings(value: object) -> list[str]:
    """A gold field as a list of non-empty strings (fundus gives lists; be lenient with a lone string)."""
    items = value if isinstance(value, list) else [value]
    return [s.strip() for s in items if isinstance(s, str) and s.strip()]


def fundus_gold(record: dict) -> Gold:
    """One version's record as a ``Gold``: summary, sub-headings and paragraphs, a paragraph a block."""
    body = record.get("body") or {}
    blocks = _strings(body.get("summary"))
    for section in body.get("sections") or []:
        blocks += _strings(section.get("headline")) + _strings(section.get("paragraphs"))
    date = record.get("publishing_date") or ""
    return Gold("\n\n".join(blocks), record.get("title") or "", ", ".join(_strings(record.get("authors"))),
                date[:10] if isinstance(date, str) else "")


def fundus_pages(root: PathLike) -> list[Page]:
    """Every fundus page in path order, with its publisher as the hold-out group."""
    root = Path(root)
    out = []
    for html_path, ref in sorted(read_json(root / "pages.json").items()):
        versions = read_json(root / ref["json"])
        if ref["version"] not in versions:
            raise DataError(f"{root / ref['json']}: no version {ref['version']!r} for {html_path}")
        stem = html_path.removesuffix(".html.gz")
        publisher = stem.rsplit("_", 3)[0]  # "de/BR_2024_04_22" -> "de/BR"
        try:
            with gzip.open(root / html_path) as f:
                html = f.read()
        except FileNotFoundError:
            raise DataError(f"{root / html_path}: not found") from None
        gold = fundus_gold(versions[ref["version"]])
        out.append(Page(f"fundus/{stem}", html, gold, f"fundus/{publisher}",
                        {"page_type": "article", "author": gold.author, "country": stem.split("/")[0]}))
    return out
