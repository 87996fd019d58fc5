"""Label a page's paragraphs by aligning them with a human-written gold text.

The rule (documented in the README, used by training/ and by ``evaluate --corpus``):

1. ``content``: the paragraph has >= 4 tokens and at least half of its 4-token shingles
   occur in the gold main text; or it has 1-3 tokens and equals a whole gold line
   (a sub-heading, a short list item). Tokens are lowercased ``\\w+``.
2. ``meta`` (overrides 1, for paragraphs of at most 40 tokens): a paragraph in the first half
   of the page whose tokens match the gold title (>= 90% of the title's tokens, at most 30%
   extra tokens); and, up to two paragraphs past the last content paragraph (so not the
   comments), a paragraph holding every token of the gold author within 12 extra tokens, or
   one of at most 16 tokens that holds the gold publication date in a common spelling.
3. ``boilerplate`` otherwise.

Shingles rather than single tokens keep related headlines, "Share this" and copyright lines
out of ``content``: they share words with any article, rarely four in a row. A token is a lowercased
``\\w+`` run, except that each CJK character is a token of its own (``cleanlib.core.chars.WORD``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.chars import WORD

__all__ = ["Gold", "label_paragraphs"]

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"]


def _tokens(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _shingles(tokens: list[str], n: int = 4) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


@dataclass
class Gold:
    """What a page's gold gives: its main text, and where known its title, author and date."""

    main_text: str
    title: str = ""
    author: str = ""
    date: str = ""  # ISO yyyy-mm-dd, or ""


def _date_patterns(iso: str) -> list[re.Pattern[str]]:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return []
    y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
    if not 1 <= mo <= 12:
        return []
    name, ab = _MONTHS[mo - 1], _MONTHS[mo - 1][:3]
    day = rf"0?{d}(?:st|nd|rd|th)?"
    return [re.compile(p) for p in (
        rf"\b(?:{name}|{ab})\.?\s+{day},?\s+{y}\b",          # September 30, 2018
        rf"\b{day}\.?\s+(?:of\s+)?(?:{name}|{ab})\.?,?\s+{y}\b",  # 30 September 2018
        rf"\b{y}[-/.]0?{mo}[-/.]0?{d}\b",                    # 2018-09-30
        rf"\b0?{mo}[-/.]0?{d}[-/.]{y}\b",                    # 09/30/2018
        rf"\b0?{d}[-/.]0?{mo}[-/.]{y}\b",                    # 30.09.2018
    )]


def _is_content(toks: list[str], gold_shingles: set, gold_lines: set) -> bool:
    if len(toks) >= 4:
        sh = _shingles(toks)
        return sum(s in gold_shingles for s in sh) >= 0.5 * len(sh)
    return bool(toks) and " ".join(toks) in gold_lines


def label_paragraphs(paragraphs: list[str], gold: Gold) -> list[str]:
    """One label (content, meta, boilerplate) for each paragraph, by the rule above."""
    gold_shingles = set(_shingles(_tokens(gold.main_text)))
    gold_lines = {" ".join(_tokens(line)) for line in gold.main_text.splitlines()}
    gold_lines.discard("")
    title = set(_tokens(gold.title))
    author = set(_tokens(gold.author))
    dates = _date_patterns(gold.date)
    tokens = [_tokens(t) for t in paragraphs]
    labels = ["content" if _is_content(t, gold_shingles, gold_lines) else "boilerplate" for t in tokens]
    content_at = [i for i, l in enumerate(labels) if l == "content"]
    byline_until = (content_at[-1] + 2) if content_at else len(paragraphs)
    for i, (text, toks) in enumerate(zip(paragraphs, tokens)):
        if not toks or len(toks) > 40:
            continue
        tset = set(toks)
        if title and i < max(len(paragraphs) // 2, 1) and len(title & tset) >= 0.9 * len(title) \
                and len(tset - title) <= 0.3 * len(tset):
            labels[i] = "meta"
        elif i <= byline_until and author and author <= tset and len(toks) <= len(author) + 12:
            labels[i] = "meta"
        elif i <= byline_until and dates and len(toks) <= 16 and any(p.search(text.lower()) for p in dates):
            labels[i] = "meta"
    return labels
