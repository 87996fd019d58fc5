"""Which paragraphs ``clean`` keeps: those whose probability of a kept label reaches the threshold; and, in a
document where none does, its prose paragraphs that score best (the rescue: a short article the model doubts
must not vanish, while a page with no paragraph of prose still comes out empty).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from .chars import WORD

__all__ = ["kept", "RESCUE_FLOOR", "RESCUE_SHARE", "RESCUE_WORDS"]

RESCUE_FLOOR = 0.05  # a paragraph scoring below this is never rescued
RESCUE_SHARE = 0.3   # ... nor one scoring below this share of its document's best
RESCUE_WORDS = 30    # ... nor one of fewer words (a CJK character counts as a word)


def kept(score: np.ndarray, docs: Sequence[Sequence[str]], threshold: float, rescue: bool = True) -> np.ndarray:
    """One keep flag a paragraph. ``score``: each paragraph's probability of the kept labels, documents one
    after another; ``docs``: each document's paragraphs (their texts read only in documents that keep nothing)."""
    score = np.asarray(score, dtype=np.float64)
    keep = score >= threshold
    if not rescue or keep.all() or len(score) == 0:
        return keep
    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    doc = np.repeat(np.arange(len(sizes)), sizes)
    none_kept = np.bincount(doc, weights=keep, minlength=len(sizes)) == 0
    best = np.zeros(len(sizes))
    full = sizes > 0
    best[full] = np.maximum.reduceat(score, bounds[:-1][full])
    floor = np.maximum(RESCUE_FLOOR, RESCUE_SHARE * best)[doc]
    for row in np.flatnonzero(none_kept[doc] & (score >= floor)):
        keep[row] = len(WORD.findall(docs[doc[row]][row - bounds[doc[row]]])) >= RESCUE_WORDS
    return keep
