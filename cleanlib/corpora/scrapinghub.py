"""The scrapinghub article extraction benchmark: ``ground-truth.json`` (``{id: {"articleBody": ...}}``) and
``html/<id>.html.gz``. Measured, never trained or tuned on."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from ..data import DataError, LabeledDoc
from ..learn.align import Gold
from .common import Page, PathLike, page_docs, page_html, read_json

__all__ = ["scrapinghub_gold", "scrapinghub_page_docs", "scrapinghub_pages", "load_scrapinghub"]


def scrapinghub_gold(root: PathLike) -> dict[str, str]:
    """``{page_id: articleBody}`` of a scrapinghub directory, sorted by id."""
    gt = read_json(Path(root) / "ground-truth.json")
    if not isinstance(gt, dict):
        raise DataError(f"{Path(root) / 'ground-truth.json'}: expected an object of pages")
    return {pid: v["articleBody"] for pid, v in sorted(gt.items())}


def scrapinghub_pages(root: PathLike) -> list[Page]:
    """Every benchmark page in id order; the gold is its articleBody."""
    return [Page(pid, page_html(root, pid), Gold(body), pid, {"page_type": "article"})
            for pid, body in scrapinghub_gold(root).items()]


def scrapinghub_page_docs(root: PathLike, page_id: str, body: str,
                          renderers: str | Sequence[str] = ("html_text", "resiliparse")) -> list[LabeledDoc]:
    """The labeled documents of one scrapinghub page (one per rendering)."""
    return page_docs(page_id, page_html(root, page_id), Gold(body), {"page_type": "article"}, renderers)


def load_scrapinghub(root: PathLike, renderer: str = "html_text",
                     ids: Iterable[str] | None = None) -> list[LabeledDoc]:
    """The benchmark as labeled documents, one per page, in id order (``ids``: only these)."""
    gold = scrapinghub_gold(root)
    if ids is not None:
        wanted = set(ids)
        gold = {k: v for k, v in gold.items() if k in wanted}
    return [d for pid, body in gold.items() for d in scrapinghub_page_docs(root, pid, body, renderer)]
