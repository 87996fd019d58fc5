"""Bootstrap over documents: the ``HEADLINE`` figures on resamples of the documents, and their 95% intervals.

One seeded stream of resample indices serves every model scored on the same documents, so that the
differences between two models are paired.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .scores import HEADLINE, Scores, headline

__all__ = ["resample", "interval", "N_BOOTSTRAP", "BOOTSTRAP_SEED", "LEVEL"]

N_BOOTSTRAP = 1000
BOOTSTRAP_SEED = 0
LEVEL = 0.95
_RESAMPLE_CELLS = 2_000_000  # resample indices drawn at a time (bounds the bootstrap's memory)


def resample(scored: Sequence[Scores], n: int = N_BOOTSTRAP, seed: int = BOOTSTRAP_SEED) -> list[dict[str, np.ndarray]]:
    """The headline figures of each model on ``n`` bootstrap resamples of the documents.

    Every model sees the same resample indices (one seeded stream), so differences are paired.
    """
    m = len(scored[0].word)
    out: list[dict[str, list[np.ndarray]]] = [{key: [] for key in HEADLINE} for _ in scored]
    if m == 0:
        return [{key: np.zeros(0) for key in HEADLINE} for _ in scored]
    rng = np.random.default_rng(seed)
    chunk = max(1, _RESAMPLE_CELLS // m)
    for start in range(0, n, chunk):
        idx = rng.integers(0, m, size=(min(chunk, n - start), m))
        for o, s in zip(out, scored):
            for key, v in headline(s, idx).items():
                o[key].append(v)
    return [{key: np.concatenate(v) for key, v in o.items()} for o in out]


def interval(v: np.ndarray) -> list[float] | None:
    """The 95% percentile interval of bootstrap values (None when there are none)."""
    return [float(x) for x in np.percentile(v, [2.5, 97.5])] if len(v) else None
