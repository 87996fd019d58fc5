"""Which paragraphs ``clean`` keeps: those whose probability of a kept label reaches the threshold; in a
document where none does, or where those that do hold fewer than 30 words together (a stray header line), the
paragraphs that score best (the rescue: those of 30 words or more, and the best one from 20 words, or, where
it is shorter, the run of paragraphs around it that holds 20 together: a short article the model doubts must
not vanish, while a page with no paragraph of prose still comes out empty: a paragraph counts only where
three quarters of its characters are word characters or spaces, so decoded random bytes are no prose); and in
a short text that keeps one or two paragraphs, the prose paragraphs next to them (a short article's paragraphs
belong together: the second pass, which learned that an unrelated paragraph at the end of a long article is a
teaser, doubts the last paragraph of a two-paragraph one). Paragraphs ``vetoed`` (an HTML page's blocks inside
a comment section) are never kept, unless what the page keeps outside them holds fewer than 30 words (a forum
thread: its posts are its content). In plain text, a comment thread's heading ("Comments", "12 Comments":
``cues.is_comment_heading``) after 60 words kept opens the thread: it and every paragraph after it are not kept
(``threads``; the first such heading counts, so that a "3 Comments" link under a title cuts nothing). With the
rescue on (and a threshold above 0), a text of one paragraph is kept only where that paragraph is written in
words (the same three quarters): decoded random bytes read as one odd block.
"""
from __future__ import annotations

import re
from itertools import islice
from typing import Sequence

import numpy as np

from .chars import WORD
from .cues import is_comment_heading

__all__ = ["kept", "comment_heads", "RESCUE_FLOOR", "RESCUE_SHARE", "RESCUE_WORDS", "SHORT_KEPT", "SHORT_PROSE",
           "SHORT_FLOOR", "PROSE_WORDS", "RUN_WORDS", "WORDY_SHARE"]

RESCUE_FLOOR = 0.05  # a paragraph scoring below this is never rescued
RESCUE_SHARE = 0.3   # ... nor one scoring below this share of its document's best
RESCUE_WORDS = 30    # ... nor one of fewer words (a CJK character counts as a word), but the best: PROSE_WORDS;
                     # and a document whose kept paragraphs hold fewer words than this is rescued as one keeping none
SHORT_KEPT = 2       # a text keeping at most this many paragraphs (and at least one)
SHORT_PROSE = 4      # ... that holds at most this many prose paragraphs
SHORT_FLOOR = 0.2    # ... keeps a prose paragraph next to a kept one that scores at least this
PROSE_WORDS = 20     # a prose paragraph: this many words or more (a CJK character counts as a word)
RUN_WORDS = 3        # a best paragraph shorter than PROSE_WORDS is rescued with its neighbouring candidates of
                     # this many words or more, when together they hold PROSE_WORDS
THREAD_WORDS = 60    # a comment heading closes a text's article after this many words kept (30: panel +0.001,
                     # within noise, but a standfirst and a "12 Comments" link under it would cut a body)
WORDY_SHARE = 0.75   # the rules above count only paragraphs with at least this share of word characters and spaces
WORDY_SAMPLE = 4096  # ... among their first this many characters (random bytes decoded hold about 0.6)
_NOT_WORDY = re.compile(r"[^\w\s]")


def kept(score: np.ndarray, docs: Sequence[Sequence[str]], threshold: float, rescue: bool = True,
         vetoed: np.ndarray | None = None, threads: bool = False) -> np.ndarray:
    """One keep flag a paragraph. ``score``: each paragraph's probability of the kept labels, documents one
    after another; ``docs``: each document's paragraphs (their texts read only in documents that keep nothing or
    little: up to 30 words of what they keep, and the paragraphs the rescue or the short-text rule weighs; and
    in documents with a comment heading, up to 60 words kept before it);
    ``vetoed``: one flag a paragraph, those not to keep where the document keeps 30 words without them;
    ``threads``: a comment heading (``comment_heads``) closes a text's article (plain text; an HTML page's
    threads come as ``vetoed``)."""
    keep = _kept(np.asarray(score, dtype=np.float64), docs, threshold, rescue)
    if threads:
        heads = comment_heads(docs)
        if heads.any():
            _cut_threads(keep, docs, heads)
    if vetoed is None or not (keep & vetoed).any():
        return keep
    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    doc = np.repeat(np.arange(len(sizes)), sizes)
    outside = keep & ~vetoed
    little = _keeps_little(outside, docs, bounds, np.bincount(doc, weights=outside, minlength=len(sizes)))
    keep[vetoed & ~little[doc]] = False
    return keep


def comment_heads(docs: Sequence[Sequence[str]]) -> np.ndarray:
    """One flag a paragraph of ``docs``: whether it is a comment thread's heading (only paragraphs of 200
    characters or fewer are read)."""
    texts = [t for d in docs for t in d]
    short = np.flatnonzero(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) <= 200)
    out = np.zeros(len(texts), dtype=bool)
    out[short] = [is_comment_heading(texts[i]) for i in short.tolist()]
    return out


def _cut_threads(keep: np.ndarray, docs: Sequence[Sequence[str]], heads: np.ndarray) -> None:
    """In each document, from its first comment heading that follows ``THREAD_WORDS`` kept words, keep nothing
    (in place)."""
    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    doc = np.repeat(np.arange(len(sizes)), sizes)
    for d in np.unique(doc[heads]).tolist():
        start, end = int(bounds[d]), int(bounds[d + 1])
        words = 0
        for row in range(start, end):
            if heads[row] and words >= THREAD_WORDS:
                keep[row:end] = False
                break
            if keep[row]:
                words += sum(1 for _ in islice(WORD.finditer(docs[d][row - start]), THREAD_WORDS - words))


def _kept(score: np.ndarray, docs: Sequence[Sequence[str]], threshold: float, rescue: bool) -> np.ndarray:
    """``kept`` without a veto: the threshold, the short-text rule and the rescue."""
    keep = score >= threshold
    if not rescue or threshold <= 0 or len(score) == 0:
        return keep
    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    for d in np.flatnonzero((sizes == 1) & keep[np.minimum(bounds[:-1], len(keep) - 1)]).tolist():
        keep[bounds[d]] = _is_wordy(docs[d][0])  # a text of one paragraph is an article only if written in words
    if keep.all():
        return keep
    doc = np.repeat(np.arange(len(sizes)), sizes)
    n_kept = np.bincount(doc, weights=keep, minlength=len(sizes))
    _complete_short(keep, score, docs, doc, bounds, (n_kept >= 1) & (n_kept <= SHORT_KEPT))
    little = _keeps_little(keep, docs, bounds, np.bincount(doc, weights=keep, minlength=len(sizes)))
    rest = np.where(keep, -np.inf, score)  # the rescue reads the paragraphs not kept yet
    best = np.full(len(sizes), -np.inf)
    full = sizes > 0
    best[full] = np.maximum.reduceat(rest, bounds[:-1][full])
    floor = np.maximum(RESCUE_FLOOR, RESCUE_SHARE * best)[doc]
    candidate = little[doc] & (rest >= floor)
    for row in np.flatnonzero(candidate):
        d = doc[row]
        text = docs[d][row - bounds[d]]
        if rest[row] != best[d]:
            keep[row] |= _has_words(text, RESCUE_WORDS)
        elif _has_words(text, PROSE_WORDS):
            keep[row] = True
        else:
            _rescue_run(keep, candidate, docs[d], bounds[d], bounds[d + 1], row)
    return keep


def _rescue_run(keep: np.ndarray, candidate: np.ndarray, texts: Sequence[str], start: int, end: int,
                best: int) -> None:
    """Keep (in place) the run of rescue candidates of ``RUN_WORDS`` words or more each around and with a
    document's best paragraph ``best`` (rows ``start:end``), when the run has two paragraphs or more and
    ``PROSE_WORDS`` words together: a short article written in short paragraphs."""
    def member(row: int) -> bool:
        return start <= row < end and bool(candidate[row]) and _has_words(texts[row - start], RUN_WORDS)

    if not member(best):
        return
    lo = hi = best
    while member(lo - 1):
        lo -= 1
    while member(hi + 1):
        hi += 1
    if hi > lo and sum(len(WORD.findall(texts[r - start])) for r in range(lo, hi + 1)) >= PROSE_WORDS:
        keep[lo:hi + 1] = True


def _keeps_little(keep: np.ndarray, docs: Sequence[Sequence[str]], bounds: np.ndarray,
                  n_kept: np.ndarray) -> np.ndarray:
    """One flag a document: whether its kept paragraphs (``n_kept`` of them) hold fewer than ``RESCUE_WORDS``
    words together, none kept included; words are counted, up to that many, only where fewer paragraphs are kept."""
    little = n_kept == 0
    for d in np.flatnonzero((n_kept > 0) & (n_kept < RESCUE_WORDS)).tolist():
        words = 0
        for row in np.flatnonzero(keep[bounds[d]:bounds[d + 1]]).tolist():
            words += sum(1 for _ in islice(WORD.finditer(docs[d][row]), RESCUE_WORDS - words))
            if words >= RESCUE_WORDS:
                break
        little[d] = words < RESCUE_WORDS
    return little


def _is_wordy(text: str) -> bool:
    """Whether at least ``WORDY_SHARE`` of a paragraph's first ``WORDY_SAMPLE`` characters are word characters or
    spaces (text, not undecodable bytes or symbols)."""
    sample = text[:WORDY_SAMPLE]
    return len(_NOT_WORDY.findall(sample)) <= (1 - WORDY_SHARE) * len(sample)


def _has_words(text: str, n: int) -> bool:
    """Whether a paragraph has ``n`` words or more (a CJK character counts as a word), and is written in words:
    at least ``WORDY_SHARE`` of its first ``WORDY_SAMPLE`` characters are word characters or spaces (text, not
    undecodable bytes or symbols); stops counting at ``n`` words."""
    if len(text) < n or sum(1 for _ in islice(WORD.finditer(text), n)) < n:
        return False
    return _is_wordy(text)


def _complete_short(keep: np.ndarray, score: np.ndarray, docs: Sequence[Sequence[str]], doc: np.ndarray,
                    bounds: np.ndarray, candidate: np.ndarray) -> None:
    """In each ``candidate`` document with at most ``SHORT_PROSE`` prose paragraphs, keep (in place) the prose
    paragraphs next to one the threshold keeps that score at least ``SHORT_FLOOR``."""
    rows = np.flatnonzero(candidate[doc])
    if not len(rows):
        return
    prose = np.zeros(len(keep), dtype=bool)
    prose[rows] = [_has_words(docs[d][r - bounds[d]], PROSE_WORDS) for r, d in zip(rows.tolist(), doc[rows].tolist())]
    short = candidate & (np.bincount(doc, weights=prose, minlength=len(candidate)) <= SHORT_PROSE)
    same_doc = doc[1:] == doc[:-1]
    beside = np.zeros(len(keep), dtype=bool)
    beside[1:] |= keep[:-1] & same_doc
    beside[:-1] |= keep[1:] & same_doc
    keep |= short[doc] & prose & beside & (score >= SHORT_FLOOR)
