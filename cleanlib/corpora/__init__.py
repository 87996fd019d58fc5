"""Load the HTML + gold corpora into labeled documents, exactly as training prepares them.

Two layouts are read (both as distributed in ``../shared/data``):

- WCXB: ``metadata.json`` (``{"files": {id: {"page_type": ...}}}``), ``html/<id>.html.gz`` and
  ``ground-truth/<id>.json`` (``{"ground_truth": {"main_content", "title", "author", "publish_date"}}``);
- scrapinghub: ``ground-truth.json`` (``{id: {"articleBody": ...}}``) and ``html/<id>.html.gz``.

Each page is rendered with :func:`cleanlib.html.render.html_to_text`, split into paragraphs and labeled
by :func:`cleanlib.learn.align.label_paragraphs` against its gold. Every document's ``extra`` holds
``renderer``, ``group`` (the page id, shared by a page's renderings so that hold-out splits and
cross-validation folds never separate them), ``gold`` (the gold main text, which ``evaluate`` scores
against) and ``page_type``.
``training/prepare.py`` builds its files with these same functions.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..learn.align import Gold, label_paragraphs
from ..data import DataError, LabeledDoc
from ..html.render import RENDERERS, html_to_text
from ..core.segment import split_paragraphs

__all__ = ["is_heldout", "page_docs", "page_html", "wcxb_page_types", "wcxb_gold", "wcxb_page_docs",
           "scrapinghub_page_docs", "scrapinghub_gold", "load_wcxb", "load_scrapinghub"]

PathLike = str | os.PathLike[str]


def is_heldout(page_id: str) -> bool:
    """The fixed 20% page-level held-out split of WCXB: the id's SHA-1 is 0 mod 5."""
    return int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 5 == 0


def _renderers(renderers: str | Sequence[str]) -> tuple[str, ...]:
    out = (renderers,) if isinstance(renderers, str) else tuple(renderers)
    for r in out:
        if r not in RENDERERS:
            raise ValueError(f"unknown renderer {r!r}; choose one of {', '.join(RENDERERS)}")
    return out


def page_docs(page_id: str, html: bytes | str, gold: Gold, extra: dict[str, Any],
              renderers: str | Sequence[str] = RENDERERS) -> list[LabeledDoc]:
    """One labeled document per renderer for a page: id ``<page_id>/<renderer>``."""
    docs = []
    for renderer in _renderers(renderers):
        text = html_to_text(html, renderer)
        texts = split_paragraphs(text).texts
        labels = label_paragraphs(texts, gold)
        docs.append(LabeledDoc(f"{page_id}/{renderer}", texts, labels,
                               {"renderer": renderer, "group": page_id, "gold": gold.main_text, **extra}))
    return docs


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: not found (is this the right corpus directory?)") from None
    except json.JSONDecodeError as e:
        raise DataError(f"{path}: invalid JSON ({e.msg} at line {e.lineno})") from None


def page_html(root: PathLike, page_id: str) -> bytes:
    """The raw HTML of a page of either corpus (``html/<id>.html.gz``)."""
    path = Path(root) / "html" / f"{page_id}.html.gz"
    try:
        with gzip.open(path) as f:
            return f.read()
    except FileNotFoundError:
        raise DataError(f"{path}: not found") from None


def wcxb_page_types(root: PathLike) -> dict[str, str]:
    """``{page_id: page_type}`` for every page listed in a WCXB directory's metadata.json, sorted by id."""
    files = _read_json(Path(root) / "metadata.json").get("files")
    if not isinstance(files, dict):
        raise DataError(f"{Path(root) / 'metadata.json'}: no 'files' object")
    return {pid: str(meta.get("page_type", "")) for pid, meta in sorted(files.items())}


def wcxb_page_docs(root: PathLike, page_id: str, page_type: str,
                   renderers: str | Sequence[str] = RENDERERS) -> list[LabeledDoc]:
    """The labeled documents of one WCXB page (one per renderer)."""
    gold = wcxb_gold(root, page_id)
    return page_docs(page_id, page_html(root, page_id), gold, {"page_type": page_type, "author": gold.author},
                     renderers)


def wcxb_gold(root: PathLike, page_id: str) -> Gold:
    """A WCXB page's gold: main text, title, author and date (empty strings where missing)."""
    g = _read_json(Path(root) / "ground-truth" / f"{page_id}.json")["ground_truth"]
    return Gold(g.get("main_content") or "", g.get("title") or "", g.get("author") or "", g.get("publish_date") or "")


def scrapinghub_page_docs(root: PathLike, page_id: str, body: str,
                          renderers: str | Sequence[str] = RENDERERS) -> list[LabeledDoc]:
    """The labeled documents of one scrapinghub page (one per renderer); the gold is its articleBody."""
    return page_docs(page_id, page_html(root, page_id), Gold(body), {"page_type": "article"}, renderers)


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


def scrapinghub_gold(root: PathLike) -> dict[str, str]:
    """``{page_id: articleBody}`` of a scrapinghub directory, sorted by id."""
    gt = _read_json(Path(root) / "ground-truth.json")
    if not isinstance(gt, dict):
        raise DataError(f"{Path(root) / 'ground-truth.json'}: expected an object of pages")
    return {pid: v["articleBody"] for pid, v in sorted(gt.items())}


def load_scrapinghub(root: PathLike, renderer: str = "html_text",
                     ids: Iterable[str] | None = None) -> list[LabeledDoc]:
    """The scrapinghub benchmark as labeled documents, one per page, in id order (``ids``: only these)."""
    gold = scrapinghub_gold(root)
    if ids is not None:
        wanted = set(ids)
        gold = {k: v for k, v in gold.items() if k in wanted}
    return [d for pid, body in gold.items() for d in scrapinghub_page_docs(root, pid, body, renderer)]
