"""The compiled speedups (``cleanlib/core/_speedups.c``), with the numpy code as the fallback.

``pip install`` compiles the extension where a C compiler is found; without one the build skips it
and cleanlib runs the same computations in numpy, about three times slower. Either way the results
are the same (tests/test_native.py compares the two). ``CLEANLIB_PURE_NUMPY=1`` in the environment
turns the extension off, for comparisons. ``ENABLED`` says whether it is in use.

Each function here returns ``None`` when the caller should use its numpy version instead (without the
extension); ``scan_text`` hands the paragraphs it cannot do to the numpy version it is given.
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from .chars import CJK_RANGES, UTF32, char_table

__all__ = ["ENABLED", "scan_text", "split_spans", "tree_scores", "sparse_dot", "attr_tokens", "STAT_NAMES"]

try:
    from . import _speedups  # type: ignore[attr-defined]
except ImportError:  # not compiled: the numpy versions do the work
    _speedups = None

ENABLED: bool = _speedups is not None and os.environ.get("CLEANLIB_PURE_NUMPY", "") in ("", "0")

# the columns of scan_text's statistics, in the order _speedups.c writes them
STAT_NAMES = ("upper", "lower", "digit", "space", "punct", "newline", "sentences", "space_words", "capitalized",
              "astral", "pipes", "first", "last", "last_flags", "date_hint", "urls",
              "handles")
_WORD, _SPECIAL = 1, 2  # word-table bits, as in _speedups.c


def _word_bits(c: str) -> tuple[int, int]:
    """Word-table bits and lowercase code point of one character, by Python's own ``str.lower`` and ``\\w``."""
    low = c.lower()
    # İ lowercases to two characters; Σ's lowercase depends on its context; a CJK character is a word alone
    if len(low) != 1 or c == "\u03a3" or any(a <= ord(c) <= b for a, b in CJK_RANGES):
        return _SPECIAL, ord(c)
    return (_WORD if low.isalnum() or low == "_" else 0), ord(low)


@lru_cache(maxsize=1)
def _bmp_word_tables() -> tuple[np.ndarray, np.ndarray]:
    """``_word_bits`` of every code point of the basic plane, computed a table at a time."""
    chars = list(map(chr, range(0x10000)))
    lows = list(map(str.lower, chars))
    one = np.fromiter(map(len, lows), dtype=np.int64, count=0x10000) == 1
    lows = [low if ok else c for c, low, ok in zip(chars, lows, one.tolist())]
    lower = np.frombuffer("".join(lows).encode(UTF32, "surrogatepass"), dtype=np.uint32).copy()
    word = np.fromiter(map(str.isalnum, lows), dtype=bool, count=0x10000) | (lower == ord("_"))
    bits = np.where(word, _WORD, 0).astype(np.uint8)
    bits[~one] = _SPECIAL
    bits[0x3A3], lower[0x3A3] = _SPECIAL, 0x3A3
    for a, b in CJK_RANGES:
        if a < 0x10000:
            bits[a:b + 1] = _SPECIAL
    return bits, lower


Scan = tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]


def scan_text(texts: Sequence[str], fallback: Callable[[Sequence[str]], Scan]) -> Scan | None:
    """Character-class counts a paragraph (``STAT_NAMES``), the CRC-32 of every lowercased ``\\w+`` word
    in order, and the word count a paragraph; ``None`` without the extension. Paragraphs holding a capital
    sigma or dotted capital I (whose lowercase is not one fixed character) or a CJK character (a word each)
    go to ``fallback``, the numpy version, and the two results are merged in paragraph order."""
    if not ENABLED:
        return None
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    cps = np.frombuffer("".join(texts).encode(UTF32, "surrogatepass"), dtype=np.uint32)
    astral = np.unique(cps[cps >= 0x10000]) if len(cps) and cps.max() >= 0x10000 else np.zeros(0, np.uint32)
    a_bits, a_low = (zip(*map(_word_bits, map(chr, astral.tolist())))) if len(astral) else ((), ())
    a_bits, a_low = np.array(a_bits, dtype=np.uint8), np.array(a_low, dtype=np.uint32)
    wtab, ltab = _bmp_word_tables()
    stats = np.empty((n, len(STAT_NAMES)), dtype=np.int64)
    hashes = np.empty((len(cps) + n + 1) // 2, dtype=np.int64)  # a word and a separator: at most this many words
    n_words = np.empty(n, dtype=np.int64)
    n_tokens = _speedups.scan_text(cps, lengths, char_table(), wtab, ltab, astral.astype(np.uint32),
                                   a_low, a_bits, stats, hashes, n_words)
    if n_tokens < 0:
        return _split_scan(texts, _special_paragraphs(cps, lengths, wtab, astral, a_bits), fallback)
    out = dict(zip(STAT_NAMES, stats.T.astype(np.float64)), chars=lengths.astype(np.float64))
    out.update({name: stats[:, STAT_NAMES.index(name)] for name in ("first", "last", "last_flags")})
    out["date_hint"] = out["date_hint"] > 0
    return out, hashes[:n_tokens], n_words


def _special_paragraphs(cps: np.ndarray, lengths: np.ndarray, wtab: np.ndarray, astral: np.ndarray,
                        a_bits: np.ndarray) -> np.ndarray:
    """Which paragraphs hold a character the compiled scan leaves to numpy."""
    special = np.zeros(len(cps), dtype=bool)
    bmp = cps < 0x10000
    special[bmp] = wtab[cps[bmp]] == _SPECIAL
    special[~bmp] = np.isin(cps[~bmp], astral[a_bits == _SPECIAL])
    para = np.repeat(np.arange(len(lengths)), lengths)
    return np.bincount(para[special], minlength=len(lengths)) > 0


def _split_scan(texts: Sequence[str], special: np.ndarray, fallback: Callable[[Sequence[str]], Scan]) -> Scan:
    """The compiled scan of the ordinary paragraphs and ``fallback``'s of the special ones, in paragraph order.
    (A paragraph's statistics and words do not depend on the others': the compiled scan walks each paragraph
    by its length, and the numpy scan joins paragraphs with NUL, which no pattern matches across.)"""
    rows = (np.flatnonzero(~special), np.flatnonzero(special))
    parts = (scan_text([texts[i] for i in rows[0]], fallback), fallback([texts[i] for i in rows[1]]))
    n = len(texts)

    def in_order(ordinary: np.ndarray, special_part: np.ndarray) -> np.ndarray:
        out = np.empty(n, dtype=np.result_type(ordinary, special_part))
        out[rows[0]], out[rows[1]] = ordinary, special_part
        return out

    stats = {name: in_order(parts[0][0][name], parts[1][0][name]) for name in parts[1][0]}
    n_words = in_order(parts[0][2], parts[1][2])
    # each token's paragraph, then a stable sort by it puts the two token lists back in text order
    owner = np.concatenate([np.repeat(r, part[2]) for r, part in zip(rows, parts)])
    hashes = np.concatenate([parts[0][1], parts[1][1]])[np.argsort(owner, kind="stable")]
    return stats, hashes, n_words


def split_spans(text: str, mode: str) -> tuple[np.ndarray, np.ndarray, str] | None:
    """Start and end offsets of ``text``'s paragraphs by ``segment.split_paragraphs``'s rules (``mode``:
    "auto", "blank" or "line"), and the mode used ("blank" or "line"); ``None`` without the extension."""
    if not ENABLED:
        return None
    cps = np.frombuffer(text.encode(UTF32, "surrogatepass"), dtype=np.uint32)
    raw, blank = _speedups.split_spans(cps, ("auto", "blank", "line").index(mode), char_table())
    spans = np.frombuffer(raw, dtype=np.int64).reshape(-1, 2)
    return spans[:, 0].copy(), spans[:, 1].copy(), "blank" if blank else "line"


def tree_scores(layout: dict, X: np.ndarray) -> np.ndarray | None:
    """Raw scores of the trees in ``trees.complete_layout`` form, one row a row of ``X``; ``None``
    without the extension."""
    if not ENABLED:
        return None
    X = np.ascontiguousarray(X, dtype=np.float64)
    out = np.zeros((len(X), len(layout["c_baseline"])))
    if len(X):
        feat, thr, leaf, klass = (np.ascontiguousarray(layout[k], dtype=t) for k, t in (
            ("c_feat", np.int64), ("c_thr", np.float64), ("c_leaf", np.float64), ("c_class", np.int32)))
        miss = np.ascontiguousarray(layout["c_miss"], dtype=bool).view(np.uint8)
        _speedups.tree_scores(X, X.shape[1], feat, thr, miss, leaf, klass, int(layout["c_depth"]), out)
    return out + layout["c_baseline"]


def sparse_dot(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray | None:
    """``Features.sparse_dot``: the (n, k) product of coordinates (row, column, value) and a dense (columns, k)
    array, the same sums in the same order; ``None`` without the extension."""
    if not ENABLED:
        return None
    k = weights.shape[1]
    out = np.zeros((n, k))
    if len(rows):
        _speedups.sparse_dot(np.ascontiguousarray(rows, dtype=np.int64), np.ascontiguousarray(cols, dtype=np.int64),
                             np.ascontiguousarray(vals, dtype=np.float64),
                             np.ascontiguousarray(weights, dtype=np.float64), k, out)
    return out


def attr_tokens(value: str, max_chars: int, max_tokens: int) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """The first ``max_tokens`` distinct words of ``html.dom.split_tokens(value[:max_chars])`` and their CRC-32s;
    ``None`` without the extension."""
    if not ENABLED:
        return None
    return _speedups.attr_tokens(value, max_chars, max_tokens)
