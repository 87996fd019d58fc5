"""Character classes: bit flags for every code point of the basic plane, from Python's own ``str`` methods."""
from __future__ import annotations

import re
import sys
from functools import lru_cache

import numpy as np

__all__ = ["UPPER", "LOWER", "DIGIT", "SPACE", "PUNCT", "NEWLINE", "SENT", "CLOSING", "UTF32", "char_table",
           "CJK_RANGES", "WORD", "WORD_OR_NUL"]

UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # text.encode(UTF32) is read as np.uint32

UPPER, LOWER, DIGIT, SPACE, PUNCT, NEWLINE, SENT, CLOSING = 1, 2, 4, 8, 16, 32, 64, 128

# Scripts written without spaces between words (Han ideographs, Japanese kana): each character is a word of
# its own, so that word counts, stopword shares and shingles mean something there. Hangul is written with
# spaces and stays as it is.
CJK_RANGES = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0xFF66, 0xFF9F), (0x20000, 0x3134F))
_CJK = "".join(f"{chr(a)}-{chr(b)}" for a, b in CJK_RANGES)
# a word: one CJK character, or a run of other word characters (Python's \w)
WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")
WORD_OR_NUL = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|\x00")


@lru_cache(maxsize=1)
def char_table() -> np.ndarray:
    """The class bits of code points 0-0xFFFF (code points above have none)."""
    cps = [chr(cp) for cp in range(0x10000)]
    table = np.zeros(0x10000, dtype=np.uint8)
    for flag, test in ((UPPER, str.isupper), (DIGIT, str.isdigit), (SPACE, str.isspace)):
        table[np.fromiter(map(test, cps), dtype=bool, count=0x10000)] |= flag
    alpha = np.fromiter(map(str.isalpha, cps), dtype=bool, count=0x10000)
    table[alpha & ((table & UPPER) == 0)] |= LOWER
    punct = ~np.fromiter(map(str.isalnum, cps), dtype=bool) & ((table & SPACE) == 0) \
        & np.fromiter(map(str.isprintable, cps), dtype=bool)
    table[punct] |= PUNCT
    table[ord("\n")] |= NEWLINE
    for c in ".!?…。！？":
        table[ord(c)] |= SENT
    for c in "\"'”’)]*»":  # closing quotes and brackets: skipped when looking for how a paragraph ends
        table[ord(c)] |= CLOSING
    return table
