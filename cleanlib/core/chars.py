"""Character classes: bit flags for every code point of the basic plane, from Python's own ``str`` methods."""
from __future__ import annotations

import sys
from functools import lru_cache

import numpy as np

__all__ = ["UPPER", "LOWER", "DIGIT", "SPACE", "PUNCT", "NEWLINE", "SENT", "CLOSING", "UTF32", "char_table"]

UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"  # text.encode(UTF32) is read as np.uint32

UPPER, LOWER, DIGIT, SPACE, PUNCT, NEWLINE, SENT, CLOSING = 1, 2, 4, 8, 16, 32, 64, 128


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
