"""What every corpus reader shares: the page record, renderings, labeling a page, the fixed hold-out split."""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ..core.segment import split_paragraphs
from ..data import DataError, LabeledDoc
from ..html.render import html_to_text
from ..learn.align import Gold, label_paragraphs

__all__ = ["Page", "RENDERINGS", "TEXT_RENDERINGS", "PathLike", "is_heldout", "page_docs", "page_html", "page_texts",
           "html_docs", "gold_ids", "read_json", "render", "read_gold_text", "as_lines"]

PathLike = str | os.PathLike[str]


def as_lines(text: str) -> str:
    """The shape of a crawl's WET text: one block a line, no blank lines."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _dom_text(html: bytes | str) -> str:
    from ..html.dom import blocks_text, html_blocks

    return blocks_text(html_blocks(html))


# how a page's HTML becomes the plain text a user would have: two HTML-to-text tools, and the second
# one's text one block a line (what a crawl's WET record looks like); "dom" is cleanlib's own blocks
# (cleanlib.html.dom), what the HTML model sees
RENDERINGS: dict[str, Callable[[bytes | str], str]] = {
    "html_text": lambda html: html_to_text(html, "html_text"),
    "resiliparse": lambda html: html_to_text(html, "resiliparse"),
    "wet": lambda html: as_lines(html_to_text(html, "resiliparse")),
    "dom": _dom_text,
}
TEXT_RENDERINGS = ("html_text", "resiliparse", "wet")


def page_texts(html: bytes | str, rendering: str) -> list[str]:
    """A page's paragraphs in one rendering: the rendered text split into paragraphs, or for "dom" the blocks."""
    if rendering == "dom":
        from ..html.dom import html_blocks

        return html_blocks(html).texts
    return split_paragraphs(render(html, rendering)).texts


def render(html: bytes | str, rendering: str) -> str:
    """A page's plain text in one of ``RENDERINGS``."""
    try:
        return RENDERINGS[rendering](html)
    except KeyError:
        raise ValueError(f"unknown renderer {rendering!r}; choose one of {', '.join(RENDERINGS)}") from None


@dataclass
class Page:
    """One page of a corpus: its HTML (None for text-only corpora) and gold, with the unit it is held out by."""

    id: str                 # unique across corpora: "<corpus>/<page>" (WCXB and scrapinghub: the bare page id)
    html: bytes | None
    gold: Gold
    group: str              # pages of one group are never split between training and held-out (a site, a page)
    extra: dict[str, Any] = field(default_factory=dict)


def is_heldout(key: str) -> bool:
    """The fixed 20% held-out split: the SHA-1 of a page id (or, for fundus, a publisher) is 0 mod 5."""
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % 5 == 0


def _renderings(renderers: str | Sequence[str]) -> tuple[str, ...]:
    out = (renderers,) if isinstance(renderers, str) else tuple(renderers)
    for r in out:
        if r not in RENDERINGS:
            raise ValueError(f"unknown renderer {r!r}; choose one of {', '.join(RENDERINGS)}")
    return out


def page_docs(page_id: str, html: bytes | str, gold: Gold, extra: dict[str, Any],
              renderers: str | Sequence[str] = ("html_text", "resiliparse"), group: str | None = None) -> list[LabeledDoc]:
    """One labeled document per rendering of a page: id ``<page_id>/<rendering>``, labels aligned with the gold."""
    docs = []
    for renderer in _renderings(renderers):
        texts = page_texts(html, renderer)
        labels = label_paragraphs(texts, gold)
        docs.append(LabeledDoc(f"{page_id}/{renderer}", texts, labels,
                               {"renderer": renderer, "group": group or page_id, "gold": gold.main_text, **extra}))
    return docs


def html_docs(pages: Sequence[Page]) -> list[LabeledDoc]:
    """Pages as the HTML model reads them: one labeled document a page, its DOM blocks as the paragraphs
    (labels aligned with the gold) and the ``Blocks`` themselves in ``extra["blocks"]`` (in memory only:
    they are not written to JSON)."""
    from ..html.dom import html_blocks

    out = []
    for p in pages:
        blocks = html_blocks(p.html)
        out.append(LabeledDoc(f"{p.id}/dom", blocks.texts, label_paragraphs(blocks.texts, p.gold),
                              {"renderer": "dom", "group": p.group, "gold": p.gold.main_text, **p.extra,
                               "blocks": blocks}))
    return out


def read_json(path: Path) -> Any:
    """A corpus's JSON file; a missing or broken one raises ``DataError`` naming it."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: not found (is this the right corpus directory?)") from None
    except json.JSONDecodeError as e:
        raise DataError(f"{path}: invalid JSON ({e.msg} at line {e.lineno})") from None


def gold_ids(root: Path, suffix: str, corpus: str, key=None) -> list[str]:
    """The page ids of a corpus that keeps one gold file a page in ``gold/<id><suffix>``, sorted (by ``key``);
    none at all raises ``DataError``, naming the corpus expected there."""
    ids = sorted((p.name.removesuffix(suffix) for p in (Path(root) / "gold").glob(f"*{suffix}")), key=key)
    if not ids:
        raise DataError(f"{Path(root) / 'gold'}: no gold files (is this the {corpus} corpus?)")
    return ids


def page_html(root: PathLike, page_id: str) -> bytes:
    """The raw HTML of a page stored as ``html/<id>.html.gz``."""
    path = Path(root) / "html" / f"{page_id}.html.gz"
    try:
        with gzip.open(path) as f:
            return f.read()
    except FileNotFoundError:
        raise DataError(f"{path}: not found") from None


def read_gold_text(path: Path) -> str:
    """A gold text file: UTF-16 or UTF-8 by its byte-order mark, else UTF-8, else cp1252 (older corpora);
    line breaks as ``\\n``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: not found") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")
