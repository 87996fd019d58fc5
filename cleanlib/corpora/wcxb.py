"""WCXB (Web Content Extraction Benchmark), development split: ``metadata.json`` (``{"files": {id:
{"page_type": ...}}}``), ``html/<id>.html.gz`` and ``ground-truth/<id>.json`` (``{"ground_truth":
{"main_content", "title", "author", "publish_date"}}``). Held out: ``is_heldout(page id)``."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from ..data import DataError, LabeledDoc
from ..learn.align import Gold
from .common import Page, PathLike, page_docs, page_html, read_json

__all__ = ["wcxb_page_types", "wcxb_gold", "wcxb_page_docs", "wcxb_pages", "load_wcxb"]


def wcxb_page_types(root: PathLike) -> dict[str, str]:
    """``{page_id: page_type}`` for every page listed in a WCXB directory's metadata.json, sorted by id."""
    files = read_json(Path(root) / "metadata.json").get("files")
    if not isinstance(files, dict):
        raise DataError(f"{Path(root) / 'metadata.json'}: no 'files' object")
    return {pid: str(meta.get("page_type", "")) for pid, meta in sorted(files.items())}


def wcxb_gold(root: PathLike, page_id: str) -> Gold:
    """A WCXB page's gold: main text, title, author and date (empty strings where missing)."""
    g = read_json(Path(root) / "ground-truth" / f"{page_id}.json")["ground_truth"]
    return Gold(g.get("main_content") or "", g.get("title") or "", g.get("author") or "", g.get("publish_date") or "")


def wcxb_pages(root: PathLike) -> list[Page]:
    """Every WCXB page, in id order; ``extra`` holds its page type and gold author."""
    out = []
    for pid, page_type in wcxb_page_types(root).items():
        gold = wcxb_gold(root, pid)
        out.append(Page(pid, page_html(root, pid), gold, pid, {"page_type": page_type, "author": gold.author}))
    return out


def wcxb_page_docs(root: PathLike, page_id: str, page_type: str,
                   renderers: str | Sequence[str] = ("html_text", "resiliparse")) -> list[LabeledDoc]:
    """The labeled documents of one WCXB page (one per rendering)."""
    gold = wcxb_gold(root, page_id)
    return page_docs(page_id, page_html(root, page_id), gold, {"page_type": page_type, "author": gold.author},
                     renderers)


def load_wcxb(root: PathLike, renderer: str = "html_text", ids: Iterable[str] | None = None) -> list[LabeledDoc]:
    """WCXB pages as labeled documents, one per page, in id order (``ids``: only these pages)."""
    types = wcxb_page_types(root)
    if ids is not None:
        wanted = set(ids)
        missing = sorted(wanted - types.keys())
        if missing:
            raise DataError(f"{root}: pages not in metadata.json: {', '.join(missing[:5])}")
        types = {k: v for k, v in types.items() if k in wanted}
    return [d for pid, t in types.items() for d in wcxb_page_docs(root, pid, t, renderer)]
