"""Paragraph features, computed for all paragraphs of all documents at once.

``featurize(docs)`` takes documents as lists of paragraph strings and returns a ``Features``:

- ``dense``: one row a paragraph, the columns in ``DENSE_NAMES``: the paragraph's own text
  (length, word and character statistics, end punctuation, shares of capitals, digits, URLs and
  @handles, stopword density over 33 languages) and its context in the document (position,
  neighbours, word overlap with the rest of the document, a cue line such as "Watch Next:"
  before it, repeats).
- ``sparse``: the paragraph's hashed words (binary, L2-normalized) and hashed cue tokens (its first
  and last words, its end punctuation, and the whole text of a short paragraph); ``N_HASH`` columns.

One pass over the batch's characters (compiled in ``_speedups.c``, or numpy and regexes without it) gives
the character counts and word hashes; every other statistic is a numpy reduction over the paragraphs or the
(paragraph, word) pairs of the whole batch.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Sequence

import numpy as np

from . import native
from .cues import KINDS as CUE_KINDS, cue_flags
from .stopwords import stopword_lists
from .chars import CLOSING as _CLOSING, DIGIT as _DIGIT, LOWER as _LOWER, NEWLINE as _NEWLINE, PUNCT as _PUNCT, \
    SENT as _SENT, SPACE as _SPACE, UPPER as _UPPER, UTF32, WORD, WORD_OR_NUL, char_table as _char_table

if TYPE_CHECKING:  # scipy is imported only where a sparse matrix is built (training)
    import scipy.sparse as sp

__all__ = ["DENSE_NAMES", "N_HASH", "Features", "featurize", "scan_batch", "batch_features", "shift_many", "mix"]

N_HASH = 2 ** 18            # columns of the sparse block the model sees
_WORD_SPACE = 2 ** 22       # hash space for word identity inside a batch (collisions ~1e-6)
_MARK = zlib.crc32(b"\x00")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|html?)\b")
_HANDLE = re.compile(r"[@#](?<![\w@#][@#])\w")  # "@name" or "#tag" not inside a word; the @ first is faster to scan for
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
# a date ("September 13, 2018", "13 Sep 2018", "2018-09-13", "09/13/2018"), a clock time, or "2 days ago"
# (every date starts with a digit or a month's first letter: the lookahead skips other words fast)
_DATE = re.compile(rf"(?i)\b(?=[\djfmasond])(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
                   r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
                   r"|\d{1,2}:\d{2}\s*(?:[ap]\.?m\b)?|\d+\s+(?:second|minute|hour|day|week|month|year)s?\s+ago)\b")
_LONG = 25                  # a paragraph of this many words or more counts as "long"


@lru_cache(maxsize=1)
def _stopword_masks() -> tuple[np.ndarray, int]:
    """For each word hash, the bit mask of the languages whose stopword list holds that word."""
    masks = np.zeros(_WORD_SPACE, dtype=np.uint64)
    n_langs = 0
    for bit, (_, stopwords) in enumerate(stopword_lists()):
        words = {t for w in stopwords for t in WORD.findall(w.lower())}
        cols = np.fromiter((zlib.crc32(w.encode()) % _WORD_SPACE for w in words), dtype=np.int64)
        masks[cols] |= np.uint64(1 << bit)
        n_langs = bit + 1
    return masks, n_langs


OWN_NAMES = [
    "log_chars", "log_words", "mean_word_len", "upper_share", "lower_share", "digit_share", "punct_share",
    "space_share", "log_lines", "log_sentences", "ends_sentence", "ends_colon", "ends_other_punct",
    "ends_alnum", "starts_bullet", "starts_upper", "title_case_share", "stop_share", "stop_share_any",
    "log_urls", "log_handles", "pipe_share", "emoji_share", "is_cue", "log_dates", "is_dateline",
] + [f"cue_{kind}" for kind in CUE_KINDS]
DOCUMENT_NAMES = [
    "rel_pos", "log_from_start", "log_from_end", "log_doc_paras", "log_doc_words", "word_share_of_doc",
    "overlap_rest", "cosine_rest", "cosine_long", "after_cue", "cues_before", "repeats",
    "words_before_share", "long_paras_after", "log_short_run", "log_prose_run", "datelines_before",
    "datelines_after", "related_cues_before", "comment_cues_before",
]
NEIGHBOUR_BASE = ["log_words", "stop_share", "ends_sentence", "is_cue", "log_urls", "overlap_rest", "is_dateline",
                  "cue_related", "cue_comments"]
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
DENSE_NAMES = OWN_NAMES + DOCUMENT_NAMES + [
    f"{name}@{k:+d}" for k in NEIGHBOUR_OFFSETS for name in NEIGHBOUR_BASE + ["exists"]]
_BULLETS = np.array([ord(c) for c in "•*-–—·|>»›►▪■●◦"], dtype=np.uint32)


@dataclass(kw_only=True)
class Features:
    """Feature matrices of a batch of documents; ``doc`` gives each paragraph's document index."""

    dense: np.ndarray
    doc: np.ndarray
    # the sparse block as coordinates (row, column, value; repeated cells add up)
    sparse_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sparse_cols: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sparse_vals: np.ndarray = field(default_factory=lambda: np.zeros(0))
    # content words: one entry a (paragraph, distinct word) pair, with the index of its (document, word) key
    word_para: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    word_key: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    key_doc: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    names: Sequence[str] = tuple(DENSE_NAMES)  # the dense columns (the HTML features add their own)
    # each paragraph's enclosing containers, innermost first, numbered across the batch (an HTML block's
    # enclosing block elements; -1 past the root); None: plain text, no containers
    containers: np.ndarray | None = None
    # per document: True where its paragraphs are the lines of a text with no blank line (a crawl's WET text,
    # ``segment.split_paragraphs``'s "line" mode); None: every document's paragraphs are blank-line blocks
    lines: np.ndarray | None = None

    def column(self, name: str) -> np.ndarray:
        return self.dense[:, list(self.names).index(name)]

    @cached_property
    def sparse(self) -> sp.csr_matrix:
        """The sparse block as a CSR matrix of ``N_HASH`` columns (training needs it; prediction does not)."""
        return _csr(self.sparse_rows, self.sparse_cols, self.sparse_vals, len(self.doc))

    def sparse_dot(self, weights: np.ndarray) -> np.ndarray:
        """``sparse @ weights`` for a dense (N_HASH, k) array, without building the matrix: the same sums,
        in the same order, as scipy's CSR product."""
        n, k = len(self.doc), weights.shape[1]
        compiled = native.sparse_dot(self.sparse_rows, self.sparse_cols, self.sparse_vals, weights, n)
        if compiled is not None:
            return compiled
        terms = weights[self.sparse_cols] * self.sparse_vals[:, None]
        # one bincount over (row, column) cells: each cell adds its terms in entry order, as a column's would
        cells = (self.sparse_rows[:, None] * k + np.arange(k)).ravel()
        return np.bincount(cells, weights=terms.ravel(), minlength=n * k).reshape(n, k)


def shift_many(values: np.ndarray, offsets: Sequence[int], doc: np.ndarray,
               fill: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """``values[i + k]`` for each offset k where paragraph i + k is in the same document, else ``fill``: one
    column an offset (an axis, for 2-D ``values``); and the mask of where it is."""
    n = len(values)
    idx = np.arange(n)[:, None] + np.asarray(offsets, dtype=np.int64)[None, :]
    safe = np.minimum(np.maximum(idx, 0), max(n - 1, 0))
    ok = (idx >= 0) & (idx < n) & (doc[safe] == doc[:, None])
    return np.where(ok if values.ndim == 1 else ok[..., None], values[safe], fill).astype(np.float64), ok


def run_lengths(flag: np.ndarray, doc: np.ndarray) -> np.ndarray:
    """For each paragraph, the length of the run of equal ``flag`` values it belongs to, within its document."""
    n = len(flag)
    if n == 0:
        return np.zeros(0)
    change = np.ones(n, dtype=bool)
    change[1:] = (flag[1:] != flag[:-1]) | (doc[1:] != doc[:-1])
    run = np.cumsum(change) - 1
    return np.bincount(run)[run].astype(np.float64)


def _char_stats(texts: Sequence[str]) -> dict[str, np.ndarray]:
    """Counts of character classes a paragraph, and its first and last non-space characters."""
    n = len(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    cps = np.frombuffer("".join(texts).encode(UTF32, "surrogatepass"), dtype=np.uint32)
    seg = np.repeat(np.arange(n), lengths)
    bmp = cps < 0x10000
    flags = np.where(bmp, _char_table()[np.minimum(cps, 0xFFFF)], 0)
    space = (flags & _SPACE) > 0
    # a word starts where a non-space follows a space or a paragraph start
    prev_space = np.ones(len(cps), dtype=bool)
    prev_space[1:] = space[:-1]
    ends = np.cumsum(lengths)
    starts = ends - lengths
    prev_space[starts[lengths > 0]] = True
    next_space = np.ones(len(cps), dtype=bool)
    next_space[:-1] = space[1:]
    next_space[ends[lengths > 0] - 1] = True
    word_start = ~space & prev_space

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(seg, weights=mask.astype(np.float64), minlength=n)

    out = {name: count((flags & bit) > 0) for name, bit in (
        ("upper", _UPPER), ("lower", _LOWER), ("digit", _DIGIT), ("space", _SPACE), ("punct", _PUNCT),
        ("newline", _NEWLINE))}
    out["sentences"] = count(((flags & _SENT) > 0) & next_space)
    out["space_words"] = count(word_start)
    out["capitalized"] = count(word_start & ((flags & _UPPER) > 0))
    out["astral"] = count(~bmp)
    out["pipes"] = count((cps == ord("|")) | (cps == ord("»")) | (cps == ord("›")))
    out["chars"] = lengths.astype(np.float64)
    out["first"] = np.where(lengths > 0, cps[np.minimum(starts, len(cps) - 1)], 0) if len(cps) else np.zeros(n)
    # the last character that is not a closing quote or bracket decides how a paragraph ends
    closing = (flags & (_CLOSING | _SPACE)) > 0
    nonempty = np.flatnonzero(lengths > 0)
    last_idx = np.full(n, -1)
    if len(nonempty):  # between two non-empty paragraphs' starts lie only the first one's characters
        last_idx[nonempty] = np.maximum.reduceat(np.where(closing, -1, np.arange(len(cps))), starts[nonempty])
    out["last"] = np.where(last_idx >= 0, cps[np.maximum(last_idx, 0)] if len(cps) else 0, 0)
    out["last_flags"] = np.where(last_idx >= 0, flags[np.maximum(last_idx, 0)] if len(cps) else 0, 0)
    return out


def _count_matches(pattern: re.Pattern[str], texts: Sequence[str], rows: np.ndarray | None = None) -> np.ndarray:
    """Matches of ``pattern`` a paragraph (of ``rows`` only, if given), found in one pass: the paragraphs
    are joined by NUL, which no pattern here matches, so no match spans two."""
    sub = texts if rows is None else [texts[i] for i in rows]
    para_at = np.cumsum(np.fromiter(map(len, sub), dtype=np.int64, count=len(sub)) + 1)
    pos = np.fromiter((m.start() for m in pattern.finditer("\x00".join(sub))), dtype=np.int64)
    counts = np.bincount(np.searchsorted(para_at, pos, side="right"), minlength=len(sub))[:len(sub)]
    out = np.zeros(len(texts))
    out[slice(None) if rows is None else rows] = counts
    return out


def _scan(texts: Sequence[str]) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """The numpy and regex version of ``native.scan_text``: the same statistics, word hashes and counts."""
    cs = _char_stats(texts)
    cs["urls"], cs["handles"] = _count_matches(_URL, texts), _count_matches(_HANDLE, texts)
    cs["date_hint"] = cs["digit"] + cs["astral"] > 0  # a digit above the basic plane counts as astral
    return (cs, *_tokenize(texts))


def _tokenize(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """CRC-32 of every lowercased word of the batch in order (``chars.WORD``: a CJK character, or a run of
    other ``\\w`` characters), and the word count a paragraph."""
    if any("\x00" in t for t in texts):
        texts = [t.replace("\x00", " ") for t in texts]
    tokens = WORD_OR_NUL.findall("\x00".join(texts).lower())
    hashes = np.fromiter(map(zlib.crc32, map(str.encode, tokens)), dtype=np.uint32, count=len(tokens))
    marks = np.flatnonzero(hashes == _MARK)
    if len(marks) != len(texts) - 1:  # a word whose CRC-32 equals the marker's: find the markers by text
        marks = np.array([i for i, t in enumerate(tokens) if t == "\x00"], dtype=np.int64)
    bounds = np.concatenate([[-1], marks, [len(tokens)]])
    n_words = np.diff(bounds) - 1
    keep = np.ones(len(tokens), dtype=bool)
    keep[marks] = False
    return hashes[keep].astype(np.int64), n_words


def mix(h: np.ndarray, salt: int | np.ndarray) -> np.ndarray:
    """A feature's column from a word hash and a salt naming the kind of feature."""
    return ((h.astype(np.uint64) * np.uint64(0x9E3779B1) + np.asarray(salt, dtype=np.uint64))
            % np.uint64(N_HASH)).astype(np.int64)


_POLY_POWERS = np.cumprod(np.array([1] + [1000003] * 4, dtype=np.uint64))  # 1000003**k, k < 5 (mod 2**64)


def _cue_entries(tok_hash: np.ndarray, tok_start: np.ndarray, n_words: np.ndarray,
                 end_class: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the hashed cue tokens: first word, last word, first two words, end class by
    length, and the whole text of a paragraph of up to 5 words."""
    has = n_words > 0
    empty, r = np.flatnonzero(~has), np.flatnonzero(has)
    start, count = tok_start[r], n_words[r]
    first = tok_hash[start].astype(np.uint64)
    last = tok_hash[start + count - 1]
    two = np.where(count > 1, tok_hash[np.minimum(start + 1, len(tok_hash) - 1)], 0).astype(np.uint64)
    # the whole text of a short paragraph: the polynomial hash sum(word_k * 1000003**(count-1-k)), mod 2**64
    short = count <= 5
    k = np.arange(5)
    s_count = count[short][:, None]
    words = np.where(k < s_count, tok_hash[np.minimum(start[short][:, None] + k, len(tok_hash) - 1)], 0)
    whole = (words.astype(np.uint64) * _POLY_POWERS[np.maximum(s_count - 1 - k, 0)]).sum(axis=1, dtype=np.uint64)
    hashes = [end_class[empty], first, last, first * np.uint64(31) + two, end_class[r] * 8 + np.minimum(count, 6), whole]
    salts = np.repeat(np.array([7, 1, 2, 3, 4, 5], dtype=np.uint64), [len(h) for h in hashes])
    rows = np.concatenate([empty, r, r, r, r, r[short]])
    return rows, mix(np.concatenate([h.astype(np.uint64) for h in hashes]), salts)


# np.unique of integers by a sort: numpy 2's hashing unique, and np.unique's own overhead on small
# arrays, cost several times more here
def _unique(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    return values[np.concatenate([[True], values[1:] != values[:-1]])] if len(values) else values


def _unique_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    values = np.sort(values)
    first = np.flatnonzero(np.concatenate([[True], values[1:] != values[:-1]])) if len(values) else values[:0]
    return values[first], np.diff(np.append(first, len(values)))


def _unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    new = np.concatenate([[True], ordered[1:] != ordered[:-1]]) if len(values) else np.zeros(0, dtype=bool)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def _group_sizes(doc: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """For each paragraph, how many paragraphs of its document share its key."""
    order = np.lexsort((keys, doc))
    k, d = keys[order], doc[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = (k[1:] != k[:-1]) | (d[1:] != d[:-1])
    group = np.cumsum(new) - 1
    sizes = np.empty(len(order))
    sizes[order] = np.bincount(group)[group]
    return sizes


def _csr(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int) -> sp.csr_matrix:
    """A CSR matrix of ``n`` rows and N_HASH columns from coordinates (duplicates add up)."""
    import scipy.sparse as sp

    order = np.argsort(rows, kind="stable")
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))])
    index = np.int32 if len(rows) < 2 ** 31 else np.int64
    return sp.csr_matrix((vals[order], cols[order].astype(index), indptr.astype(index)), shape=(n, N_HASH))


@dataclass
class _Batch:
    """A batch of documents after one scan of its characters: what every stage below reads."""

    texts: list[str]
    doc: np.ndarray          # each paragraph's document
    sizes: np.ndarray        # paragraphs a document
    cs: dict[str, np.ndarray]  # character statistics a paragraph (native.STAT_NAMES, chars)
    tok_hash: np.ndarray     # CRC-32 of every word, in text order
    n_words: np.ndarray      # words a paragraph (int)
    entry_para: np.ndarray   # one entry a (paragraph, distinct word) pair: its paragraph,
    entry_word: np.ndarray   # ... its word (hash in _WORD_SPACE),
    pair_count: np.ndarray   # ... how often the word occurs in the paragraph,
    entry_mask: np.ndarray   # ... and the stopword languages that hold it (bit mask)

    @property
    def n(self) -> int:
        return len(self.texts)

    @property
    def n_docs(self) -> int:
        return len(self.sizes)

    @cached_property
    def first_row(self) -> np.ndarray:
        """Each document's first paragraph row."""
        return np.concatenate([[0], np.cumsum(self.sizes)[:-1]])

    @cached_property
    def tok_start(self) -> np.ndarray:
        """Each paragraph's first word in ``tok_hash``."""
        return np.cumsum(self.n_words) - self.n_words

    @cached_property
    def end_class(self) -> np.ndarray:
        """How a paragraph ends: 0 sentence punctuation, 1 a colon, 2 other punctuation, 3 a letter or digit."""
        last, flags = self.cs["last"], self.cs["last_flags"]
        return np.where((flags & _SENT) > 0, 0,
                        np.where((last == ord(":")) | (last == ord("：")), 1,
                                 np.where((flags & (_UPPER | _LOWER | _DIGIT)) > 0, 3, 2)))

    def before(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` over the earlier paragraphs of the same document."""
        c = np.concatenate([[0.0], np.cumsum(values)])
        return c[:-1] - c[self.first_row[self.doc]]

    def doc_total(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` over each paragraph's whole document."""
        return np.bincount(self.doc, weights=values, minlength=self.n_docs)[self.doc]


def scan_batch(docs: Sequence[Sequence[str]]) -> _Batch:
    """Stage 1: one pass over the batch's characters (compiled, or numpy) for the character statistics and
    the words; then each paragraph's distinct words with their counts and stopword languages."""
    sizes = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    doc = np.repeat(np.arange(len(docs)), sizes)
    texts = [t for d in docs for t in d]
    cs, tok_hash, n_words = native.scan_text(texts, _scan) or _scan(texts)
    tok_para = np.repeat(np.arange(len(texts)), n_words)
    pair_key, pair_count = _unique_counts(tok_para * _WORD_SPACE + tok_hash % _WORD_SPACE)
    entry_word = pair_key % _WORD_SPACE
    return _Batch(texts, doc, sizes, cs, tok_hash, n_words, pair_key // _WORD_SPACE, entry_word, pair_count,
                  _stopword_masks()[0][entry_word])


def _stopword_counts(b: _Batch) -> tuple[np.ndarray, np.ndarray]:
    """Stopwords a paragraph: of its document's language (the one whose stopwords the document uses most),
    and of any language."""
    n_langs = _stopword_masks()[1]
    stop = np.flatnonzero(b.entry_mask)
    bits = np.unpackbits(b.entry_mask[stop].view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")[:, :n_langs]
    # stopword occurrences a document and language: the entries are sorted by paragraph, so by document;
    # sum each document's run of (languages x entries) columns
    stop_doc = b.doc[b.entry_para[stop]]
    doc_lang = np.zeros((b.n_docs, n_langs))
    if len(stop):
        first = np.flatnonzero(np.concatenate([[True], stop_doc[1:] != stop_doc[:-1]]))
        weighted = np.ascontiguousarray(bits.T) * b.pair_count[stop].astype(np.int32)  # languages x entries
        doc_lang[stop_doc[first]] = np.add.reduceat(weighted, first, axis=1).T
    best = doc_lang.argmax(axis=1)
    in_best = ((b.entry_mask >> best[b.doc[b.entry_para]].astype(np.uint64)) & np.uint64(1)).astype(bool)
    in_doc_language = np.bincount(b.entry_para, weights=b.pair_count * in_best, minlength=b.n)
    in_any = np.bincount(b.entry_para, weights=b.pair_count * (b.entry_mask > 0), minlength=b.n)
    return in_doc_language, in_any


def own_features(b: _Batch) -> dict[str, np.ndarray]:
    """Stage 2: the paragraph's own text (OWN_NAMES): length, characters, how it starts and ends, stopwords,
    links and handles, a cue line ("Watch Next:"), dates, and which kind of boilerplate cue phrase it starts
    with in any of our languages (``cues.py``: related stories, share, subscribe, cookies, comments, ads,
    copyright, navigation)."""
    cs, end_class = b.cs, b.end_class
    n_words = b.n_words.astype(np.float64)
    safe_words = np.maximum(n_words, 1)
    chars = np.maximum(cs["chars"], 1)
    stop_words, any_stop = _stopword_counts(b)
    is_cue = ((n_words <= 5) & (end_class == 1)).astype(np.float64)
    dates = _count_matches(_DATE, b.texts, np.flatnonzero(cs["date_hint"]))  # every date has a hint
    return {
        "log_chars": np.log1p(cs["chars"]),
        "log_words": np.log1p(n_words),
        "mean_word_len": (cs["upper"] + cs["lower"] + cs["digit"]) / safe_words,
        "upper_share": cs["upper"] / np.maximum(cs["upper"] + cs["lower"], 1),
        "lower_share": cs["lower"] / chars,
        "digit_share": cs["digit"] / chars,
        "punct_share": cs["punct"] / chars,
        "space_share": cs["space"] / chars,
        "log_lines": np.log1p(cs["newline"]),
        "log_sentences": np.log1p(cs["sentences"]),
        "ends_sentence": (end_class == 0).astype(np.float64),
        "ends_colon": (end_class == 1).astype(np.float64),
        "ends_other_punct": (end_class == 2).astype(np.float64),
        "ends_alnum": (end_class == 3).astype(np.float64),
        "starts_bullet": (cs["first"][:, None] == _BULLETS).any(axis=1).astype(np.float64),
        "starts_upper": (cs["first"] < 0x10000) * ((_char_table()[np.minimum(cs["first"], 0xFFFF).astype(np.int64)]
                                                    & _UPPER) > 0),
        "title_case_share": cs["capitalized"] / np.maximum(cs["space_words"], 1),
        "stop_share": stop_words / safe_words,
        "stop_share_any": any_stop / safe_words,
        "log_urls": np.log1p(cs["urls"]),
        "log_handles": np.log1p(cs["handles"]),
        "pipe_share": cs["pipes"] / safe_words,
        "emoji_share": cs["astral"] / chars,
        "is_cue": is_cue,
        "log_dates": np.log1p(dates),
        "is_dateline": ((dates > 0) & (n_words <= 20)).astype(np.float64),
        **dict(zip((f"cue_{kind}" for kind in CUE_KINDS),
                   cue_flags(b.tok_hash, b.tok_start, b.n_words, cs["first"]).T)),
    }


@dataclass
class _ContentWords:
    """The batch's content words (no language's stopword): one entry a (paragraph, distinct word) pair, with
    the index of its (document, word) key; and, a key, its document, and in how many paragraphs of the
    document (and of its long paragraphs) the word occurs."""

    para: np.ndarray
    key: np.ndarray
    key_doc: np.ndarray
    in_paras: np.ndarray
    in_long: np.ndarray
    own_types: np.ndarray    # distinct content words a paragraph

    def cosine_to_rest(self, b: _Batch, key_total: np.ndarray, self_in_total: np.ndarray) -> np.ndarray:
        """Cosine between a paragraph's content words and those of the rest of its document."""
        b_dot_t = np.bincount(self.para, weights=key_total[self.key], minlength=b.n)
        doc_sq = np.bincount(self.key_doc, weights=key_total ** 2, minlength=b.n_docs)
        dot = b_dot_t - self_in_total * self.own_types
        rest_sq = doc_sq[b.doc] - 2 * self_in_total * b_dot_t + self_in_total * self.own_types
        denom = np.sqrt(np.maximum(rest_sq, 0) * self.own_types)
        return np.where(denom > 0, dot / np.maximum(denom, 1e-12), 0.0)


def _content_words(b: _Batch, long_para: np.ndarray) -> _ContentWords:
    content = b.entry_mask == 0
    para = b.entry_para[content]
    keys, inv = _unique_inverse(b.doc[para] * _WORD_SPACE + b.entry_word[content])
    inv = inv.ravel()
    in_paras = np.bincount(inv)
    return _ContentWords(para, inv, keys // _WORD_SPACE, in_paras,
                         np.bincount(inv, weights=long_para[para], minlength=len(in_paras)),
                         np.bincount(para, minlength=b.n).astype(np.float64))


def document_features(b: _Batch, own: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], _ContentWords]:
    """Stage 3: the paragraph's place in its document (DOCUMENT_NAMES): position, its words' overlap with the
    rest of the document, cue lines before it, repeats, runs of short lines or of prose, datelines around."""
    n, doc, end_class = b.n, b.doc, b.end_class
    n_words = b.n_words.astype(np.float64)
    idx_in_doc = np.arange(n) - b.first_row[doc]
    doc_len = b.sizes[doc].astype(np.float64)
    doc_words = b.doc_total(n_words)
    long_para = (n_words >= _LONG).astype(np.float64)
    words = _content_words(b, long_para)
    is_cue, is_dateline = own["is_cue"], own["is_dateline"]
    text_keys = np.fromiter(map(hash, map(str.lower, b.texts)), dtype=np.int64, count=n)
    ctx = {
        "rel_pos": idx_in_doc / np.maximum(doc_len - 1, 1),
        "log_from_start": np.log1p(idx_in_doc),
        "log_from_end": np.log1p(doc_len - 1 - idx_in_doc),
        "log_doc_paras": np.log1p(doc_len),
        "log_doc_words": np.log1p(doc_words),
        "word_share_of_doc": n_words / np.maximum(doc_words, 1),
        "overlap_rest": np.bincount(words.para, weights=words.in_paras[words.key] > 1, minlength=n)
        / np.maximum(words.own_types, 1),
        "cosine_rest": words.cosine_to_rest(b, words.in_paras.astype(np.float64), np.ones(n)),
        "cosine_long": words.cosine_to_rest(b, words.in_long, long_para),
        "after_cue": shift_many(is_cue, (-1,), doc)[0][:, 0],
        "cues_before": np.log1p(b.before(is_cue)),
        "repeats": np.log(_group_sizes(doc, text_keys)),
        "words_before_share": b.before(n_words) / np.maximum(doc_words, 1),
        "long_paras_after": np.log1p(b.doc_total(long_para) - b.before(long_para) - long_para),
        # a list of short unpunctuated lines (menus, related headlines) vs a run of prose
        "log_short_run": np.log(run_lengths((n_words <= 15) & (end_class != 0), doc)),
        "log_prose_run": np.log(run_lengths((n_words >= 8) & (end_class == 0), doc)),
        # comment threads: a short line with a date or time before each comment
        "datelines_before": np.log1p(b.before(is_dateline)),
        "datelines_after": np.log1p(b.doc_total(is_dateline) - b.before(is_dateline) - is_dateline),
        # below a "Related stories" or a "Comments" line, everything is likely boilerplate
        "related_cues_before": np.log1p(b.before(own["cue_related"])),
        "comment_cues_before": np.log1p(b.before(own["cue_comments"])),
    }
    return ctx, words


def dense_matrix(columns: dict[str, np.ndarray], doc: np.ndarray) -> np.ndarray:
    """Stage 4: the dense block (DENSE_NAMES): the own and document columns, then for each neighbour offset
    the neighbour's NEIGHBOUR_BASE columns and whether it exists."""
    n = len(doc)
    dense = np.empty((n, len(DENSE_NAMES)))
    for j, name in enumerate(OWN_NAMES + DOCUMENT_NAMES):
        dense[:, j] = columns[name]
    near = np.column_stack([columns[name] for name in NEIGHBOUR_BASE])
    shifted, ok = shift_many(near, NEIGHBOUR_OFFSETS, doc)  # each offset: the neighbour's columns, then "exists"
    dense[:, len(OWN_NAMES) + len(DOCUMENT_NAMES):] = np.concatenate([shifted, ok[..., None]], axis=2).reshape(n, -1)
    return dense


def hashed_tokens(b: _Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stage 5: the sparse block as (row, column, value) coordinates: each paragraph's distinct words folded
    into N_HASH columns (binary, L2-normalized), then its cue tokens (value 1). Kept as coordinates: scipy's
    sparse sums and products cost O(N_HASH) a call."""
    word_cells = _unique(b.entry_para * N_HASH + b.entry_word % N_HASH)
    w_rows, w_cols = word_cells // N_HASH, word_cells % N_HASH
    w_vals = 1.0 / np.sqrt(np.bincount(w_rows, minlength=b.n)[w_rows])
    c_rows, c_cols = _cue_entries(b.tok_hash, b.tok_start, b.n_words, b.end_class)
    return (np.concatenate([w_rows, c_rows]), np.concatenate([w_cols, c_cols]),
            np.concatenate([w_vals, np.ones(len(c_rows))]))


def featurize(docs: Sequence[Sequence[str]], lines: Sequence[bool] | None = None) -> Features:
    """Features of every paragraph of every document (documents as lists of paragraph strings); ``lines``,
    one flag a document: whether its paragraphs are a text's lines (``Features.lines``)."""
    F = batch_features(scan_batch(docs))
    if lines is not None:
        F.lines = np.asarray(lines, dtype=bool).reshape(-1)
        if len(F.lines) != len(docs):
            raise ValueError(f"lines has {len(F.lines)} flags for {len(docs)} documents")
    return F


def batch_features(b: _Batch) -> Features:
    """The stages after the scan: ``featurize`` of a scanned batch."""
    if b.n == 0:
        return Features(dense=np.zeros((0, len(DENSE_NAMES))), doc=b.doc)
    own = own_features(b)
    ctx, words = document_features(b, own)
    rows, cols, vals = hashed_tokens(b)
    return Features(dense=dense_matrix({**own, **ctx}, b.doc), doc=b.doc, sparse_rows=rows, sparse_cols=cols,
                    sparse_vals=vals, word_para=words.para, word_key=words.key, key_doc=words.key_doc)
