"""Cleaning for Hugging Face ``datasets``: ``Dataset.map(batch_fn(), batched=True)``. Imports no ``datasets``.

Only the settings travel with the function to ``map``'s worker processes; each process loads the model once,
through ``cleanlib.api.cached_cleaner`` (the cache ``cleanlib.scale.dask`` uses too).
"""
from __future__ import annotations

import os
from typing import Any, Sequence

from ..api import cached_cleaner, cell_text, check_settings

__all__ = ["batch_fn", "BatchCleaner"]


class BatchCleaner:
    """A picklable batch function for ``Dataset.map(..., batched=True)``: adds ``output_column`` with the cleaned text."""

    def __init__(self, column: str = "text", output_column: str = "clean", model: str | os.PathLike[str] | None = None,
                 threshold: float | None = None, keep: str | Sequence[str] = ("content",), html: bool = False,
                 drop_comment_sections: bool = True):
        self.column = column
        self.output_column = output_column
        self.settings = check_settings(model, threshold, keep, html, drop_comment_sections)

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[str]]:
        """Clean ``batch[column]``; returns ``{output_column: [...]}`` (``map`` keeps the other columns)."""
        return {self.output_column: cached_cleaner(self.settings).clean_many([cell_text(v) for v in batch[self.column]])}

    def __repr__(self) -> str:
        return f"BatchCleaner(column={self.column!r}, output_column={self.output_column!r}, settings={self.settings!r})"


def batch_fn(column: str = "text", output_column: str = "clean", model: str | os.PathLike[str] | None = None,
             threshold: float | None = None, keep: str | Sequence[str] = ("content",), html: bool = False,
             drop_comment_sections: bool = True) -> BatchCleaner:
    """A picklable function for ``Dataset.map(fn, batched=True[, num_proc=N])`` that adds a cleaned-text column
    (``html=True``: the column holds HTML pages, cleaned with the HTML model; ``drop_comment_sections``: as
    ``Cleaner``'s)."""
    return BatchCleaner(column, output_column, model, threshold, keep, html, drop_comment_sections)
