"""What a model reads: plain-text documents (lists of paragraph strings) or HTML pages (``str``/``bytes``, or
``Blocks`` already parsed). Each kind has its featurizer and its dense columns; a model's ``input``
parameter names its kind."""
from __future__ import annotations

from typing import Any, Sequence

from .core.features import DENSE_NAMES, Features, featurize

__all__ = ["INPUTS", "featurize_input", "feature_names"]

INPUTS = ("text", "html")


def _check(kind: str) -> None:
    if kind not in INPUTS:
        raise ValueError(f"input must be one of {', '.join(INPUTS)}, not {kind!r}")


def feature_names(kind: str) -> list[str]:
    """The dense columns a model of this input kind is trained on."""
    _check(kind)
    if kind == "text":
        return list(DENSE_NAMES)
    from .html.features import HTML_NAMES

    return list(DENSE_NAMES) + list(HTML_NAMES)


def featurize_input(kind: str, X: Sequence[Any]) -> Features:
    """Features of a batch: documents as lists of paragraph strings ("text"), or pages ("html": HTML as str or
    bytes, or ``cleanlib.html.dom.Blocks``)."""
    _check(kind)
    if kind == "text":
        return featurize(X)
    from .html.dom import Blocks, html_blocks
    from .html.features import featurize_html

    return featurize_html([x if isinstance(x, Blocks) else html_blocks(x) for x in X])
