"""Split plain text into paragraphs with character offsets into the original text.

Rules, in order:
- Line breaks are ``\\n``, ``\\r\\n``, ``\\r``, U+2028, U+0085, VT, FF and U+001C-U+001E.
- A paragraph ends at a blank line (a line of whitespace only, NBSP included) or at U+2029.
- A text with no such break at all is taken one paragraph a line (the shape of a crawl's WET text).
- Each paragraph is stripped of surrounding whitespace; its text is ``text[start:end]``, never altered.
- A byte-order mark (U+FEFF) as the very first character is skipped, as a decoder would have dropped it:
  it is in no paragraph, and offsets still count it (they index the text as given). A U+FEFF anywhere
  else is a zero-width no-break space and stays in its paragraph, like any other character.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np

from . import native

__all__ = ["Segments", "split_paragraphs", "SPLIT_MODES"]

SplitMode = Literal["auto", "blank", "line"]
SPLIT_MODES: tuple[str, ...] = get_args(SplitMode)

# Every line break becomes "\n" in a copy of the same length, so offsets stay valid.
_CRLF = re.compile(r"\r\n")
_OTHER_BREAK = re.compile("[\r\u2028\x85\x0b\x0c\x1c\x1d\x1e]")
# A blank line, or U+2029, separates paragraphs. Each pattern starts with a literal
# character and its inner runs cannot overlap, so matching stays linear in the text length.
_BLANK_SEP = re.compile(r"\n[^\S\n\u2029]*(?:[\n\u2029][^\S\n\u2029]*)+|\u2029")
_LINE_SEP = re.compile(r"[\n\u2029]")
BOM = "\ufeff"


@dataclass(frozen=True)
class Segments:
    """Paragraph spans of one text: ``texts[i] == text[starts[i]:ends[i]]``; ``mode``: how the text was split,
    "blank" (at blank lines) or "line" (one paragraph a line)."""

    texts: list[str]
    starts: np.ndarray
    ends: np.ndarray
    mode: str = "blank"

    def __len__(self) -> int:
        return len(self.texts)


def _normalize_breaks(text: str) -> str:
    return _OTHER_BREAK.sub("\n", _CRLF.sub(" \n", text))


def split_paragraphs(text: str, mode: SplitMode = "auto") -> Segments:
    """Paragraphs of ``text``: blank-line blocks, or one a line when the text has no blank line."""
    if mode not in SPLIT_MODES:
        raise ValueError(f"mode must be 'auto', 'blank' or 'line', not {mode!r}")
    spans = native.split_spans(text, mode)
    if spans is not None:
        starts_, ends_, used = spans
        return Segments([text[a:b] for a, b in zip(starts_.tolist(), ends_.tolist())], starts_, ends_, used)
    norm = _normalize_breaks(text)
    if mode == "auto":
        mode = "blank" if _BLANK_SEP.search(norm) else "line"
    sep = _BLANK_SEP if mode == "blank" else _LINE_SEP
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    pos = 1 if text.startswith(BOM) else 0  # no separator starts at 0 then: the first piece starts after it
    bounds = [(m.start(), m.end()) for m in sep.finditer(norm)]
    bounds.append((len(norm), len(norm)))
    for sep_start, sep_end in bounds:
        piece = text[pos:sep_start]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            start = pos + lead
            starts.append(start)
            ends.append(start + len(stripped))
            texts.append(stripped)
        pos = sep_end
    return Segments(texts, np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64), mode)
