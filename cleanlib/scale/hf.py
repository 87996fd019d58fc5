"""Cleaning for Hugging Face ``datasets`` (``Dataset.map(batch_fn(), batched=True)``) and a per-process
cache of ``Cleaner`` objects shared with ``cleanlib.scale.dask``. Imports neither ``datasets`` nor ``dask``."""
from __future__ import annotations

import os
import threading
from typing import Any, Sequence

from ..api import Cleaner, as_text
from ..data import LABELS

__all__ = ["batch_fn", "BatchCleaner", "cached_cleaner"]


_CACHE: dict[tuple[str | None, float | None, tuple[str, ...]], Cleaner] = {}
_LOCK = threading.Lock()


def _settings(model: str | os.PathLike[str] | None, threshold: float | None,
              keep: Sequence[str]) -> tuple[str | None, float | None, tuple[str, ...]]:
    """Check the settings without loading a model and return them as a hashable, picklable key."""
    if model is not None and not isinstance(model, (str, os.PathLike)):
        raise TypeError(f"model must be a model directory path or None, got {type(model).__name__}")
    keep = (keep,) if isinstance(keep, str) else tuple(keep)
    bad = [k for k in keep if k not in LABELS]
    if bad or not keep:
        raise ValueError(f"keep must name labels among {', '.join(LABELS)}; got {keep!r}")
    if threshold is not None and not 0.0 <= float(threshold) <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    return (None if model is None else os.fspath(model), None if threshold is None else float(threshold), keep)


def cached_cleaner(model: str | None, threshold: float | None, keep: tuple[str, ...]) -> Cleaner:
    """The ``Cleaner`` for these settings, loaded once per process and reused by every later call."""
    key = (model, threshold, tuple(keep))
    c = _CACHE.get(key)
    if c is None:
        with _LOCK:
            c = _CACHE.get(key)
            if c is None:
                c = _CACHE[key] = Cleaner(model, threshold=threshold, keep=keep)
    return c


def _text(value: Any) -> str | bytes:
    """A cell as text: missing values (None, NaN, pd.NA) become the empty string."""
    if value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType":
        return ""
    return value if isinstance(value, (bytes, bytearray, memoryview)) else as_text(value)


class BatchCleaner:
    """A picklable batch function for ``Dataset.map(..., batched=True)``: adds ``output_column`` with the cleaned text."""

    def __init__(self, column: str = "text", output_column: str = "clean", model: str | os.PathLike[str] | None = None,
                 threshold: float | None = None, keep: Sequence[str] = ("content",)):
        self.column = column
        self.output_column = output_column
        self.settings = _settings(model, threshold, keep)

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[str]]:
        """Clean ``batch[column]``; returns ``{output_column: [...]}`` (``map`` keeps the other columns)."""
        return {self.output_column: cached_cleaner(*self.settings).clean_many([_text(v) for v in batch[self.column]])}

    def __repr__(self) -> str:
        return f"BatchCleaner(column={self.column!r}, output_column={self.output_column!r}, settings={self.settings!r})"


def batch_fn(column: str = "text", output_column: str = "clean", model: str | os.PathLike[str] | None = None,
             threshold: float | None = None, keep: Sequence[str] = ("content",)) -> BatchCleaner:
    """A picklable function for ``Dataset.map(fn, batched=True[, num_proc=N])`` that adds a cleaned-text column."""
    return BatchCleaner(column, output_column, model, threshold, keep)
