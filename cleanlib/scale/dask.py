"""Clean Dask bags and DataFrame columns on a cluster (``pip install 'cleanlib-text[dask]'``).

Only the settings (model directory path, threshold, keep) travel with the tasks; each worker process loads
the model once, on first use, and every later partition reuses it (``cleanlib.api.cached_cleaner``). ``model=None`` loads the default model
shipped inside the installed package on each worker, so a custom model directory must be readable at the
same path on every worker.
"""
from __future__ import annotations

import json
import os
from typing import Any, Iterable, Sequence

try:
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd
except ImportError as e:  # pragma: no cover - exercised only without the extra
    raise ImportError("cleanlib.scale.dask needs dask[bag,dataframe] and distributed: pip install 'cleanlib-text[dask]'") from e

from ..api import Settings, cached_cleaner, cell_text, check_settings

__all__ = ["clean_bag", "clean_dataframe"]

TEXT = "string[pyarrow]"  # the dtype of the added columns (dask's own text dtype; object columns break to_parquet)


def _clean_partition(texts: Iterable[Any], settings: Settings) -> list[str]:
    """Clean one bag partition with this process's cached ``Cleaner``."""
    texts = [cell_text(t) for t in texts]
    return cached_cleaner(settings).clean_many(texts) if texts else []


def _clean_frame(part: pd.DataFrame, column: str, output_column: str, labels_column: str | None,
                 settings: Settings) -> pd.DataFrame:
    """Add the cleaned column (and the labels column) to one DataFrame partition."""
    part = part.copy()
    texts = [cell_text(t) for t in part[column]]
    if not texts:  # also the metadata pass: no model is loaded for an empty partition
        part[output_column] = pd.Series([], index=part.index, dtype=TEXT)
        if labels_column is not None:
            part[labels_column] = pd.Series([], index=part.index, dtype=TEXT)
        return part
    cleaner = cached_cleaner(settings)
    part[output_column] = pd.Series(cleaner.clean_many(texts), index=part.index, dtype=TEXT)
    if labels_column is not None:
        part[labels_column] = pd.Series([json.dumps([p.label for p in ps]) for ps in cleaner.classify_many(texts)],
                                        index=part.index, dtype=TEXT)
    return part


def clean_bag(bag: db.Bag, model: str | os.PathLike[str] | None = None, threshold: float | None = None,
              keep: str | Sequence[str] = ("content",), html: bool = False,
              drop_comment_sections: bool = True) -> db.Bag:
    """A bag of the cleaned texts of ``bag`` (str or bytes items; HTML pages with ``html=True``), in order, one
    model load per worker process (``drop_comment_sections``: as ``Cleaner``'s)."""
    return bag.map_partitions(_clean_partition, check_settings(model, threshold, keep, html, drop_comment_sections))


def clean_dataframe(df: dd.DataFrame, column: str = "text", model: str | os.PathLike[str] | None = None,
                    threshold: float | None = None, keep: str | Sequence[str] = ("content",), labels: bool = False,
                    output_column: str = "clean", labels_column: str = "labels", html: bool = False,
                    drop_comment_sections: bool = True) -> dd.DataFrame:
    """``df`` plus ``output_column`` (cleaned ``column``; HTML pages with ``html=True``) and, if ``labels``,
    ``labels_column``: a JSON array of paragraph labels (``drop_comment_sections``: as ``Cleaner``'s)."""
    if column not in df.columns:
        raise KeyError(f"column {column!r} not in the DataFrame (columns: {', '.join(map(str, df.columns))})")
    settings = check_settings(model, threshold, keep, html, drop_comment_sections)
    lc = labels_column if labels else None
    meta = _clean_frame(df._meta, column, output_column, lc, settings)
    return df.map_partitions(_clean_frame, column, output_column, lc, settings, meta=meta)
