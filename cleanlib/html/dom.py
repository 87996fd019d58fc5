"""An HTML page as an ordered list of text blocks with the DOM structure around each (extra ``cleanlib-text[html]``).

A *block* is the text a browser lays out as one block box: the own text of a block-level element
(``BLOCK_TAGS``: p, div, li, td, h1-h6, ...), with the text of its inline descendants (a, span, b,
em, code, ...) included. A nested block-level element ends the block it interrupts and a new one
starts after it, so ``<div>intro <p>para</p> tail</div>`` gives three blocks: "intro", "para",
"tail" (CSS's anonymous block boxes). ``<br>`` is a line break ("\\n") inside a block; whitespace is
collapsed as a browser does (``str.split``, so no-break spaces too), except inside ``<pre>`` and
``<textarea>``; blocks with no text are dropped. Scripts, styles, embedded objects, comments and
hidden elements (``hidden``, ``aria-hidden="true"``, inline ``display:none``/``visibility:hidden``)
are skipped with their subtree (``SKIP_TAGS``).

``html_blocks(page)`` gives a ``Blocks`` (columnar: one entry of each array per block, in document
order) and the page's own declarations in ``Blocks.page`` (a ``PageInfo``)::

    b = html_blocks("<nav><a href='/'>Home</a></nav><main><p>Bridge <b>plans</b> approved.</p></main>")
    b.texts, b.tag, b.in_main.tolist()   # ['Home', 'Bridge plans approved.'], ['nav', 'p'], [False, True]
    b.link_chars / b.chars               # link density: [1.0, 0.0]

Every step is linear in the page size: the walk is iterative, per-node work is a few dict lookups,
text is joined and collapsed once per block, and pages nested deeper than ``MAX_DEPTH`` (by a quick
estimate) are flattened before parsing (the HTML parser itself takes quadratic time on deep
``<div>`` nesting).
"""
from __future__ import annotations

import codecs
import contextlib
import gc
import itertools
import json
import operator
import re
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from ..core import native
from ..core.cues import is_comment_heading
from . import native_walk

__all__ = ["ANCESTOR_TAGS", "BLOCK_TAGS", "MAX_DEPTH", "SKIP_TAGS", "TOKEN_LEVELS", "Blocks", "PageInfo",
           "ancestor_bit", "blocks_text", "decode_page", "html_blocks", "split_tokens"]

# ---------------------------------------------------------------------------------------------------
# Vocabularies
# ---------------------------------------------------------------------------------------------------

#: Block-level elements, each a block of its own text; ``Blocks.tag_code`` indexes this tuple
#: ("other" last, for a tag outside it). HTML's flow/sectioning/list/table/form containers
#: (the HTML standard's ``display: block``, ``list-item`` and ``table-*`` elements), plus ``title``,
#: ``textarea``, ``select`` and ``option`` (a form's lists, one option a block).
BLOCK_TAGS: tuple[str, ...] = (
    "html", "head", "title", "body",
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "dd",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext",
    "pre", "search", "section", "summary", "ul", "xmp",
    "table", "caption", "colgroup", "thead", "tbody", "tfoot", "tr", "td", "th",
    "select", "optgroup", "option", "textarea", "noscript",
    "other",
)
_OTHER_CODE = len(BLOCK_TAGS) - 1

#: Elements skipped with their whole subtree (``noscript`` is read only when the rest of the page has
#: no text). Comments are skipped too, and void elements without text (img, input, ...) are ignored.
SKIP_TAGS: tuple[str, ...] = (
    "script", "style", "template", "noscript", "svg", "math", "iframe", "frame", "frameset", "noframes",
    "object", "embed", "applet", "param", "canvas", "audio", "video", "source", "track", "picture", "img",
    "input", "datalist", "meta", "link", "base", "noembed", "rp",
)

#: Bits of ``Blocks.ancestors`` (bit i = ``1 << i``) and ``Blocks.inner``. Tag names, plus
#: ``role=...`` (an ARIA landmark role on the element; "role=menu" also stands for menubar and
#: menuitem) and ``itemprop=articlebody``.
ANCESTOR_TAGS: tuple[str, ...] = (
    "nav", "aside", "header", "footer", "main", "article", "section", "form", "ul", "ol", "li", "table",
    "blockquote", "figure", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6", "a", "button", "label",
    "select", "details", "dialog", "menu", "address", "time", "pre", "code", "p", "div", "td", "th",
    "dl", "dt", "dd", "summary", "caption", "fieldset", "option", "textarea", "title", "head", "hgroup",
    "search", "small", "strong", "b", "em", "i", "span",
    "role=main", "role=navigation", "role=banner", "role=contentinfo", "role=complementary", "role=search",
    "role=dialog", "role=menu", "role=alert", "itemprop=articlebody",
)
assert len(ANCESTOR_TAGS) <= 64

#: Ancestor levels that give class/id tokens (0 = the block element itself) and tokens kept an element.
TOKEN_LEVELS = 8
_TOKENS_PER_ELEMENT = 16

#: Enclosing block elements recorded for each block (``Blocks.containers``: parent container, its parent, ...).
CONTAINER_LEVELS = 8

#: Pages nested deeper than this (by a quick count of open tags) have their deeper tags dropped
#: (their text kept) before parsing; browsers cap the tree similarly (Chromium at 512).
MAX_DEPTH = 512
_GUARD_MIN_TAGS = 4096  # below this many '<', even the parser's worst case is a few milliseconds

_ROLE_BITS = {"main": "role=main", "navigation": "role=navigation", "banner": "role=banner",
              "contentinfo": "role=contentinfo", "complementary": "role=complementary", "search": "role=search",
              "dialog": "role=dialog", "alertdialog": "role=dialog", "menu": "role=menu", "menubar": "role=menu",
              "menuitem": "role=menu", "alert": "role=alert"}
_MAIN_BITS_NAMES = ("main", "article", "role=main", "itemprop=articlebody")
_PRE_TAGS = ("pre", "textarea", "listing", "xmp", "plaintext")


def ancestor_bit(name: str) -> int:
    """The ``Blocks.ancestors`` bit of one of ``ANCESTOR_TAGS``."""
    return 1 << ANCESTOR_TAGS.index(name)


_MAIN_MASK = sum(ancestor_bit(n) for n in _MAIN_BITS_NAMES)

# ---------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------


@dataclass
class PageInfo:
    """What the page declares about itself: ``<html lang>``, ``<title>``, meta tags and JSON-LD."""

    lang: str = ""
    title: str = ""
    og_title: str = ""
    og_type: str = ""
    description: str = ""          # <meta name=description>, else og:description
    ld_types: tuple[str, ...] = ()  # every JSON-LD @type seen, in order
    headline: str = ""
    article_body: str = ""
    authors: tuple[str, ...] = ()
    date_published: str = ""


@dataclass
class Blocks:
    """Text blocks of a page in document order; every array has one entry a block (``len(blocks)``).

    ``chars`` and ``link_chars`` count non-space characters (link density = link_chars / chars).
    ``depth`` is the block element's depth (html = 0), ``node_index`` its position among the
    ``n_nodes`` walked nodes (elements and text nodes outside skipped subtrees). ``parent_id`` is the
    ``node_index`` of the block's container (the block element's nearest block-level ancestor, or the
    block element itself for the text runs around its nested blocks; -1 for none), so siblings share
    it; ``parent_chars``/``parent_blocks`` total all blocks inside that container. ``ancestors`` has the
    ``ANCESTOR_TAGS`` bits of the block element and its ancestors, ``inner`` those of the inline
    elements opened inside the block's text. Class/id tokens come as coordinates: ``token_block[k]``
    (block index), ``token_level[k]`` (0 = block element, 1 = its parent, ... < ``TOKEN_LEVELS``),
    ``token_hash[k]`` (zlib.crc32 of the UTF-8 token) and ``token_text[k]`` (built on demand from
    ``token_words[token_id[k]]``). ``containers[i]`` holds the ``node_index`` of block i's enclosing block
    elements, innermost first (``containers[i, 0] == parent_id[i]``), -1 past the root. ``in_comments[i]``:
    the block element or one of its ancestors within ``TOKEN_LEVELS`` levels is a comment section
    (``comment_section``), or the block opens or follows a comment thread's heading (``after_comment_headings``).
    """

    texts: list[str]
    tag: list[str]
    tag_code: np.ndarray      # int16, index into BLOCK_TAGS
    depth: np.ndarray         # int32
    chars: np.ndarray         # int32
    link_chars: np.ndarray    # int32
    ancestors: np.ndarray     # uint64
    inner: np.ndarray         # uint64
    in_main: np.ndarray       # bool
    preformatted: np.ndarray  # bool: inside <pre>/<textarea>, whitespace kept
    node_index: np.ndarray    # int32
    parent_id: np.ndarray     # int32
    parent_chars: np.ndarray  # int32
    parent_blocks: np.ndarray  # int32
    token_block: np.ndarray   # int32
    token_level: np.ndarray   # int8
    token_hash: np.ndarray    # uint32
    token_id: np.ndarray      # int32, index into token_words
    token_words: list[str]    # the tokens of the elements read (token_text[k] = token_words[token_id[k]])
    containers: np.ndarray = field(default_factory=lambda: np.zeros((0, CONTAINER_LEVELS), np.int32))
    in_comments: np.ndarray = field(default_factory=lambda: np.zeros(0, np.bool_))  # see comment_section
    n_nodes: int = 0
    page: PageInfo = field(default_factory=PageInfo)

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def token_text(self) -> list[str]:
        """The token of each coordinate, as text."""
        words = self.token_words
        return [words[i] for i in self.token_id.tolist()]

    def window(self, start: int, stop: int) -> "Blocks":
        """Blocks ``start:stop`` as a ``Blocks`` of their own (a long page is scored a window at a time)."""
        return self.take(np.arange(start, min(stop, len(self))))

    def take(self, rows: np.ndarray) -> "Blocks":
        """The blocks at ``rows`` (increasing indices) as a ``Blocks`` of their own, same page."""
        rows = np.asarray(rows, dtype=np.int64)
        new = np.full(len(self) + 1, -1, dtype=np.int64)
        new[rows] = np.arange(len(rows))
        keep = new[self.token_block] >= 0
        pick = rows.tolist()
        return Blocks([self.texts[i] for i in pick], [self.tag[i] for i in pick], self.tag_code[rows],
                      self.depth[rows], self.chars[rows], self.link_chars[rows], self.ancestors[rows],
                      self.inner[rows], self.in_main[rows], self.preformatted[rows], self.node_index[rows],
                      self.parent_id[rows], self.parent_chars[rows], self.parent_blocks[rows],
                      new[self.token_block[keep]].astype(self.token_block.dtype), self.token_level[keep],
                      self.token_hash[keep], self.token_id[keep], self.token_words, self.containers[rows],
                      self.in_comments[rows], self.n_nodes, self.page)


def blocks_text(blocks: Blocks) -> str:
    """The blocks' texts joined by blank lines, as a plain-text rendering of the page."""
    return "\n\n".join(blocks.texts)


# ---------------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_CHARSET_RE = re.compile(rb"<meta\s[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]{1,40})", re.I)
_XML_DECL_RE = re.compile(rb"^\s*<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:\-]{1,40})", re.I)
# The HTML standard's label mapping where Python's codec of the same name differs (a page whose
# declaration can be read as ASCII is not in UTF-16/32, whatever it says).
_WHATWG_CODECS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
                  "l1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "iso-8859-9": "cp1254",
                  "latin5": "cp1254", "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932",
                  "x-sjis": "cp932", "ms_kanji": "cp932", "gb2312": "gb18030", "gbk": "gb18030",
                  "x-gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "big5": "big5hkscs",
                  "tis-620": "cp874", "iso-8859-11": "cp874", "x-mac-roman": "mac-roman",
                  "x-user-defined": "cp1252", "unicode": "utf-8",
                  **{f"utf-{n}{e}": "utf-8" for n in ("16", "32") for e in ("", "le", "be", "-le", "-be")}}
_MAX_BAD = 0.002  # share of U+FFFD above which a decoding is taken to be the wrong one


def decode_page(html: str | bytes) -> str:
    """Page bytes to text: BOM, else valid UTF-8, else the declared charset, else detection (never raises)."""
    if isinstance(html, str):
        return html
    if not isinstance(html, (bytes, bytearray, memoryview)):
        raise TypeError(f"html must be str or bytes, not {type(html).__name__}")
    data = bytes(html)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, "replace")
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, "replace")
    declared = _declared_codec(data)
    if b"\x1b" in data and declared and declared.startswith("iso2022"):
        return data.decode(declared, "replace")  # 7-bit, so it would pass for UTF-8
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _decode_best(data, (lambda: declared, lambda: _detected_codec(data), lambda: "utf-8", lambda: "cp1252"))


def _decode_best(data: bytes, candidates: Iterable[Callable[[], str | None]]) -> str:
    """Decode with the first candidate codec that gives few replacement characters, else the one with fewest;
    each candidate is computed only when those before it failed (detection reads the page: about 2 ms)."""
    best, best_bad, tried = "", None, set()
    for candidate in candidates:
        codec = candidate()
        if not codec or codec in tried:
            continue
        tried.add(codec)
        text = data.decode(codec, "replace")
        bad = text.count("\ufffd")
        if bad <= _MAX_BAD * len(text):
            return text
        if best_bad is None or bad < best_bad:
            best, best_bad = text, bad
    return best


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NUL bytes sit at every other position of the page's start."""
    head = data[:2048]
    if len(head) < 16 or head.count(0) < len(head) // 3:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > 0.9 * len(head) // 2 and even < len(head) // 8:
        return "utf-16-le"
    if even > 0.9 * len(head) // 2 and odd < len(head) // 8:
        return "utf-16-be"
    return None


def _declared_codec(data: bytes) -> str | None:
    """The Python codec of the charset a ``<meta>`` or XML declaration names in the first 4 KB, if usable."""
    head = data[:4096]
    m = _XML_DECL_RE.match(head) or _CHARSET_RE.search(head)
    return _codec(m.group(1).decode("ascii", "replace")) if m else None


def _codec(label: str) -> str | None:
    """Python's codec name for a charset label, or None when unknown or not a text encoding."""
    label = label.strip().lower()
    label = _WHATWG_CODECS.get(label, label)
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None  # base64, rot13, zlib ...
    return info.name


def _detected_codec(data: bytes) -> str | None:
    """The codec resiliparse's detector guesses, if resiliparse is installed and the guess is usable."""
    try:
        from resiliparse.parse.encoding import detect_encoding
    except ImportError:
        return None
    try:
        return _codec(detect_encoding(data) or "")
    except Exception:  # noqa: BLE001 - a detector failure only loses one candidate
        return None


# ---------------------------------------------------------------------------------------------------
# Deep nesting guard
# ---------------------------------------------------------------------------------------------------

# Names (their first four letters) the depth estimate does not count: void elements, elements the
# parser usually closes itself (p, li, td, ...), and raw-text elements (never dropped: else their content
# would turn into page text).
_VOID = ("area", "base", "br", "col", "embe", "hr", "img", "inpu", "link", "meta", "para", "sour", "trac", "wbr",
         "keyg", "fram", "imag")
_SELF_CLOSING = ("p", "li", "dt", "dd", "opti", "tr", "td", "th", "thea", "tbod", "tfoo", "rb", "rt", "rtc", "rp",
                 "colg", "capt")
_RAW = ("scri", "styl", "text", "titl", "xmp", "ifra", "noem", "nofr", "nosc", "plai")


def _name_key(name: str) -> int:
    """A tag name's first four letters packed into an int, as ``_tag_scan`` computes it."""
    b = name.encode()[:4].ljust(4, b"\0")
    return int.from_bytes(b, "big")


_NEUTRAL_KEYS = np.array(sorted({_name_key(n) for n in (*_VOID, *_SELF_CLOSING, *_RAW)}), dtype=np.int64)
_RAW_KEYS = np.array(sorted({_name_key(n) for n in _RAW}), dtype=np.int64)


def _flatten_deep(data: bytes) -> bytes:
    """``data`` with the tags nested deeper than ``MAX_DEPTH`` removed (their text kept); else unchanged."""
    if data.count(b"<") < _GUARD_MIN_TAGS:
        return data
    start, end, step, raw = _tag_scan(data)
    if not len(step):
        return data
    depth = np.cumsum(step)
    depth -= np.minimum(np.minimum.accumulate(depth), 0)  # depth never below 0: x_i = max(x_(i-1) + s_i, 0)
    if int(depth.max()) <= MAX_DEPTH:
        return data
    before = np.concatenate(([0], depth[:-1]))
    drop = np.flatnonzero((before + np.maximum(step, 0) > MAX_DEPTH) & ~raw)
    cuts_from, cuts_to = start[drop].tolist(), (end[drop] + 1).tolist()
    keep_from = [0, *cuts_to]
    keep_to = [*cuts_from, len(data)]
    return b"".join(data[a:b] for a, b in zip(keep_from, keep_to))


def _tag_scan(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Tags of a page found with numpy: start and end ('>') offsets, depth step (+1 open, -1 close, 0 not
    counted) and whether raw-text; a '<' counts as a tag if a letter (or '/' and a letter) follows and a
    '>' comes before the next '<'."""
    arr = np.frombuffer(data + b"\0" * 8, dtype=np.uint8)
    lt = np.flatnonzero(arr == 0x3C)
    gt = np.flatnonzero(arr == 0x3E)
    close = arr[lt + 1] == 0x2F
    at = lt + 1 + close
    letters = [arr[at + k] | 0x20 for k in range(4)]
    is_name = [(c >= 0x61) & (c <= 0x7A) | (arr[at + k] >= 0x30) & (arr[at + k] <= 0x39) for k, c in enumerate(letters)]
    is_tag = (letters[0] >= 0x61) & (letters[0] <= 0x7A)
    j = np.searchsorted(gt, lt)
    end = gt[np.minimum(j, len(gt) - 1)] if len(gt) else np.full(len(lt), len(arr), dtype=np.int64)
    next_lt = np.append(lt[1:], len(arr))
    is_tag &= (j < len(gt)) & (end < next_lt)
    key = np.zeros(len(lt), dtype=np.int64)
    going = np.ones(len(lt), dtype=bool)
    for k in range(4):  # the name's first four characters, 0 once it has ended
        going &= is_name[k]
        key = key * 256 + np.where(going, letters[k], 0)
    step = np.where(close, -1, 1)
    step[_member(key, _NEUTRAL_KEYS)] = 0
    raw = _member(key, _RAW_KEYS)
    return lt[is_tag], end[is_tag], step[is_tag], raw[is_tag]


def _member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each value is one of ``sorted_keys`` (a binary search: ``np.isin`` sorts, 10x slower here)."""
    at = np.minimum(np.searchsorted(sorted_keys, values), len(sorted_keys) - 1)
    return sorted_keys[at] == values


# ---------------------------------------------------------------------------------------------------
# Tag tables (lexbor tag ids, built once)
# ---------------------------------------------------------------------------------------------------

_INLINE, _BLOCK, _SKIP, _BR, _LINK, _PRE = range(6)
_TEXT_ID, _COMMENT_ID = 2, 4


@dataclass
class _Tables:
    """Per lexbor tag id: (kind, ANCESTOR_TAGS bit, BLOCK_TAGS code); custom elements are inline."""

    info: dict[int, tuple[int, int, int]]
    names: dict[int, str]
    noscript_id: int


_TABLES: _Tables | None = None


def _parser_class() -> Any:
    """selectolax's lexbor parser class, with a clear message when the extra is missing."""
    try:
        from selectolax.lexbor import LexborHTMLParser
    except ImportError as e:
        raise ImportError(f"reading HTML blocks needs the 'html' extra: pip install 'cleanlib-text[html]' ({e})") from e
    return LexborHTMLParser


def _tables() -> _Tables:
    """The tag-id tables, built on first use from lexbor's own ids."""
    global _TABLES
    if _TABLES is None:
        doc = _parser_class()("")
        names = {doc.create_node(n).tag_id: n for n in {*BLOCK_TAGS[:-1], *SKIP_TAGS, *ANCESTOR_TAGS, "br", "a"}
                 if "=" not in n}
        info = {tid: _tag_info(name) for tid, name in names.items()}
        info[_COMMENT_ID] = (_SKIP, 0, _OTHER_CODE)
        _TABLES = _Tables(info, names, doc.create_node("noscript").tag_id)
    return _TABLES


def _tag_info(name: str) -> tuple[int, int, int]:
    """(kind, ancestor bit, block code) of one tag name."""
    bit = ancestor_bit(name) if name in ANCESTOR_TAGS else 0
    code = BLOCK_TAGS.index(name) if name in BLOCK_TAGS else _OTHER_CODE
    if name in SKIP_TAGS:
        kind = _SKIP
    elif name == "br":
        kind = _BR
    elif name == "a":
        kind = _LINK
    elif name in _PRE_TAGS:
        kind = _PRE
    elif name in BLOCK_TAGS:
        kind = _BLOCK
    else:
        kind = _INLINE
    return kind, bit, code


def _tables_reading_noscript(tables: _Tables) -> dict[int, tuple[int, int, int]]:
    """The info table with ``<noscript>`` read as a block instead of skipped."""
    info = dict(tables.info)
    info[tables.noscript_id] = (_BLOCK, 0, BLOCK_TAGS.index("noscript"))
    return info


# ---------------------------------------------------------------------------------------------------
# Class/id tokens
# ---------------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+")
_MAX_ATTR = 512
_TOKEN_CACHE: dict[str, tuple[tuple[str, ...], tuple[int, ...]]] = {}
_NO_TOKENS: tuple[tuple[str, ...], tuple[int, ...]] = ((), ())


def split_tokens(value: str) -> list[str]:
    """Lowercase word tokens of a class/id value, split on non-alphanumerics and camelCase; digits-only dropped."""
    return [w.lower() for w in _WORD_RE.findall(value) if not w.isdigit()]


#: A class name or id naming a comment section has one of these words ("comment-body", "commentlist", id
#: "respond", "disqus_thread"), or a word made on "comment" ("commentbody", "commentform"; not "commentary" nor
#: "commentator", an opinion piece and its writer), and at most two words (not a heading's slug id,
#: "respond-to-review-comments", nor a theme's switch on the body, "verbosa-comment-placeholder"), none of them
#: a switch ("no-comments", "comments-open", "has-comments" on a page's body or article).
COMMENT_WORDS = frozenset({"comment", "comments", "commentlist", "respond", "disqus"})
_COMMENT_SWITCHES = frozenset({"no", "open", "closed", "status", "enabled", "disabled", "allowed", "allow", "off",
                               "has", "with"})
_SECTION_CACHE: dict[tuple[str | None, str | None], bool] = {}


def _comment_word(word: str) -> bool:
    return word in COMMENT_WORDS or (word.startswith("comment") and not word.startswith(("commentar", "commentat")))


def _comment_name(name: str) -> bool:
    words = split_tokens(name)
    return 0 < len(words) <= 2 and any(map(_comment_word, words)) and _COMMENT_SWITCHES.isdisjoint(words)


_HEADING_CODES = np.array([BLOCK_TAGS.index(f"h{k}") for k in range(1, 7)], dtype=np.int16)
_THREAD_AFTER_WORDS = 30  # a comment heading opens a thread only after this many words in its container
_THREAD_HEADINGS = 8      # ... and only a page's first this many comment headings are read (a page has one or two)


def after_comment_headings(blocks: "Blocks") -> np.ndarray:
    """One flag a block: it is a heading that opens a comment thread (``cues.is_comment_heading``), or it
    follows one inside the heading's container, where the container holds ``_THREAD_AFTER_WORDS`` words before
    the heading (the article comes first: a "Comments" widget's heading above it opens nothing). Blogs of the
    2000s (Movable Type, TypePad) write their comments as plain siblings after an ``<h2 id="comments">``, in
    elements that name no comment section."""
    out = np.zeros(len(blocks), np.bool_)
    heads = [i for i in np.flatnonzero(np.isin(blocks.tag_code, _HEADING_CODES)).tolist()
             if is_comment_heading(blocks.texts[i])]
    if not heads:
        return out
    words = np.fromiter((len(t.split()) for t in blocks.texts), dtype=np.int64, count=len(blocks))
    rows = np.arange(len(blocks))
    for h in heads[:_THREAD_HEADINGS]:
        parent = blocks.parent_id[h]
        if parent < 0:
            continue
        inside = (blocks.containers == parent).any(axis=1)
        if words[:h][inside[:h]].sum() >= _THREAD_AFTER_WORDS:
            out |= (rows >= h) & inside
    return out


def _may_name_comments(value: str | None) -> bool:
    """Whether a value can hold a comment name: every word of ``COMMENT_WORDS`` is a lowercased substring of
    the value it was split from, and most values hold none of them (the regex split is then skipped)."""
    if not value:
        return False
    low = value[:_MAX_ATTR].lower()
    return "comment" in low or "respond" in low or "disqus" in low


def comment_section(cls: str | None, eid: str | None) -> bool:
    """Whether an element with these class and id values is a comment section (a thread, one comment, its
    header or form): one of its class names, or its id, is a comment name (``COMMENT_WORDS``)."""
    key = (cls, eid)
    hit = _SECTION_CACHE.get(key)
    if hit is None and not _may_name_comments(cls) and not _may_name_comments(eid):
        return False
    if hit is None:
        hit = any(_comment_name(name) for name in (cls or "")[:_MAX_ATTR].split()) or \
            _comment_name((eid or "")[:_MAX_ATTR])
        if len(_SECTION_CACHE) > 100_000:
            _SECTION_CACHE.clear()
        if len(cls or "") + len(eid or "") <= _MAX_ATTR:
            _SECTION_CACHE[key] = hit
    return hit


def _in_sections(lens: np.ndarray, ids: np.ndarray, entry_flags: np.ndarray) -> np.ndarray:
    """One flag a block: whether an element of its chain (``lens[i]`` entry ids of ``ids``) is flagged."""
    if not len(ids):
        return np.zeros(len(lens), np.bool_)
    block = np.repeat(np.arange(len(lens)), lens)
    return np.bincount(block, weights=entry_flags[ids], minlength=len(lens)) > 0


def _attr_tokens(value: str) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """(tokens, crc32 hashes) of an attribute value (its first ``_MAX_ATTR`` characters), memoised (bounded)."""
    hit = _TOKEN_CACHE.get(value)
    if hit is None:
        hit = native.attr_tokens(value, _MAX_ATTR, _TOKENS_PER_ELEMENT)
        if hit is None:  # no extension: the same in Python
            words = tuple(dict.fromkeys(split_tokens(value[:_MAX_ATTR])))[:_TOKENS_PER_ELEMENT]
            hit = (words, tuple(zlib.crc32(w.encode()) for w in words))
        if len(_TOKEN_CACHE) > 100_000:
            _TOKEN_CACHE.clear()
        if len(value) <= _MAX_ATTR:
            _TOKEN_CACHE[value] = hit
    return hit


def _element_tokens(node: Any) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Tokens of one element's class and id, plus ``role:<value>`` and ``itemprop:<value>`` ones."""
    attrs = node.attributes
    if not attrs:
        return _NO_TOKENS
    return _value_tokens(attrs.get("class"), attrs.get("id"), attrs.get("role"), attrs.get("itemprop"))


def _value_tokens(cls: str | None, eid: str | None, role: str | None, itemprop: str | None
                  ) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Tokens of an element's class, id, role and itemprop values (None: no such attribute)."""
    value = (cls + " " + eid if eid else cls) if cls else eid
    hit = (_TOKEN_CACHE.get(value) or _attr_tokens(value)) if value else _NO_TOKENS
    if role is not None or itemprop is not None:
        extra = tuple(f"{k}:{w}" for k, v in (("role", role), ("itemprop", itemprop))
                      for w in (v or "")[:_MAX_ATTR].lower().split()[:4])
        hit = (hit[0] + extra, hit[1] + tuple(zlib.crc32(w.encode()) for w in extra))
    return hit


# ---------------------------------------------------------------------------------------------------
# The walk
# ---------------------------------------------------------------------------------------------------

# A frame of the walk's stack is a list: [children iterator, kind, mask (ANCESTOR_TAGS bits of the
# element and its ancestors), node, token entry id or None (not read yet)]. A block-level element's
# frame goes on with what its blocks need: [..., stack position, node index, BLOCK_TAGS code, tag,
# preformatted, parent block frame, has nested blocks, chars of the blocks inside, number of blocks
# inside, some block's parent, the node indices of it and its enclosing block elements (CONTAINER_LEVELS)].
_IT, _KIND, _MASK, _NODE, _TOK = range(5)
_POS, _INDEX, _CODE, _NAME, _PRE_, _PARENT, _HAS_BLOCKS, _CHARS, _NBLOCKS, _IS_PARENT, _CHAIN = range(5, 16)
_TOK_OF = operator.itemgetter(_TOK)


class _Builder:
    """Collects blocks (one row a block) while the walk runs."""

    def __init__(self, stack: list[list[Any]]) -> None:
        self.stack = stack
        self.texts: list[str] = []
        # per block: (tag, tag_code, depth, chars, link_chars, ancestors, inner, pre, node_index, parent)
        self.rows: list[tuple[Any, ...]] = []
        self.totals: dict[int, tuple[int, int]] = {}
        self.chains: list[list[int]] = []  # per block: token entry ids of levels 0, 1, ...
        self.words: list[str] = []  # tokens of the elements read, element after element
        self.hashes: list[int] = []
        self.entry_count: list[int] = [0]  # per element read: how many tokens it has (entry 0: none)
        self.entry_sections: list[bool] = [False]  # ... and whether it is a comment section
        self.containers: list[tuple[int, ...]] = []  # per block: node_index of its enclosing block elements

    def flush(self, owner: list, anonymous: bool, pieces: list[str], links: list[str], inner: int) -> None:
        """Close the current text run of ``owner`` as a block (if it has text); empties the piece lists."""
        raw = "".join(pieces)
        pieces.clear()
        pre = owner[_PRE_]
        if pre:
            text = _preformatted(raw)
        elif len(raw) <= _CHUNK and "\x00" not in raw:
            text = " ".join(raw.split())
        else:
            text = _collapse(raw)
        if not text:
            links.clear()
            return
        link_chars = 0
        if links:
            link_chars = _nonspace_len("".join(links))
            links.clear()
        parent = owner if anonymous else owner[_PARENT]
        chars = _nonspace_len(text) if pre else len(text) - text.count(" ") - text.count("\n")
        self.texts.append(text)
        pos = owner[_POS]
        self.rows.append((owner[_NAME], owner[_CODE], pos, chars, link_chars, owner[_MASK], inner, pre,
                          owner[_INDEX], parent))
        self.containers.append(parent[_CHAIN] if parent is not None else ())
        frames = self.stack[pos - TOKEN_LEVELS + 1 if pos >= TOKEN_LEVELS else 0:pos + 1]
        chain = list(map(_TOK_OF, frames))  # token entry ids, from the top ancestor down to the block element
        if None in chain:
            self._read_tokens(frames, chain)
        chain.reverse()
        self.chains.append(chain)
        owner[_CHARS] += chars
        owner[_NBLOCKS] += 1
        if parent is not None:
            parent[_IS_PARENT] = True

    def _read_tokens(self, frames: list[list[Any]], chain: list[int | None]) -> None:
        """Read the tokens of the frames not read yet into new entries, filling their ids into ``chain``
        (those are mostly the innermost ones, so the end of the chain is read first)."""
        k = len(chain) - 1
        while k >= 0 and chain[k] is None:
            chain[k] = self._read(frames[k])
            k -= 1
        if None in chain:
            for i, frame in enumerate(frames):
                if chain[i] is None:
                    chain[i] = self._read(frame)

    def _read(self, frame: list[Any]) -> int:
        """Read one element's class/id tokens into a new entry; its id, kept in the frame (0 when none)."""
        words, hashes = _element_tokens(frame[_NODE])
        entry = 0  # the empty entry
        if words:
            self.words.extend(words)
            self.hashes.extend(hashes)
            self.entry_count.append(len(words))
            attrs = frame[_NODE].attributes
            self.entry_sections.append(comment_section(attrs.get("class"), attrs.get("id")))
            entry = len(self.entry_count) - 1
        frame[_TOK] = entry
        return entry

    def result(self, n_nodes: int, page: PageInfo) -> Blocks:
        """The collected rows as a columnar ``Blocks``."""
        cols = list(zip(*self.rows)) if self.rows else [()] * 10
        tag, code, depth, chars, link_chars, anc, inner, pre, index, parents = cols
        anc = _array(anc, np.uint64)
        totals = self.totals
        parent_id = [p[_INDEX] if p is not None else -1 for p in parents]
        sums = [totals.get(i, (0, 0)) for i in parent_id]
        lens = np.fromiter(map(len, self.chains), dtype=np.int64, count=len(self.chains))
        ids = np.fromiter(itertools.chain.from_iterable(self.chains), dtype=np.int64, count=int(lens.sum()))
        token_block, token_level, token_id, token_hash = _token_coordinates(lens, ids, self.entry_count, self.hashes)
        return Blocks(
            texts=self.texts, tag=list(tag),
            tag_code=_array(code, np.int16),
            depth=_array(depth, np.int32),
            chars=_array(chars, np.int32),
            link_chars=_array(link_chars, np.int32),
            ancestors=anc, inner=_array(inner, np.uint64),
            in_main=(anc & np.uint64(_MAIN_MASK)) != 0,
            preformatted=_array(pre, np.bool_),
            node_index=_array(index, np.int32),
            parent_id=_array(parent_id, np.int32),
            parent_chars=_array([t[0] for t in sums], np.int32),
            parent_blocks=_array([t[1] for t in sums], np.int32),
            token_block=token_block, token_level=token_level, token_hash=token_hash, token_id=token_id,
            token_words=self.words, containers=_padded(self.containers, CONTAINER_LEVELS),
            in_comments=_in_sections(lens, ids, np.array(self.entry_sections, np.float64)), n_nodes=n_nodes, page=page)


def _padded(rows: list[tuple[int, ...]], width: int) -> np.ndarray:
    """Rows of up to ``width`` ints as an (n, width) int32 array, -1 where a row is shorter."""
    out = np.full((len(rows), width), -1, dtype=np.int32)
    lens = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    if lens.sum():
        out[np.repeat(np.arange(len(rows)), lens), np.arange(int(lens.sum())) - np.repeat(np.cumsum(lens) - lens, lens)] = \
            np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int32, count=int(lens.sum()))
    return out


def _array(values: Any, dtype: Any) -> np.ndarray:
    """A 1-d array of a sized sequence of Python numbers (``np.fromiter``: twice as fast as ``np.array``)."""
    return np.fromiter(values, dtype=dtype, count=len(values))


def _token_coordinates(lens: np.ndarray, ids: np.ndarray, entry_count: list[int], hashes: list[int]
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(token_block, token_level, token_id, token_hash) from per-block chains of element token entries
    (block i's chain: ``lens[i]`` entry ids of ``ids``, the block element's first)."""
    if not hashes:
        return np.zeros(0, np.int32), np.zeros(0, np.int8), np.zeros(0, np.int32), np.zeros(0, np.uint32)
    per_entry = _array(entry_count, np.int64)
    block = np.repeat(np.arange(len(lens), dtype=np.int32), lens)
    level = np.arange(len(ids)) - np.repeat(np.cumsum(lens) - lens, lens)  # position in the block's chain
    count = per_entry[ids]
    first = np.repeat((np.cumsum(per_entry) - per_entry)[ids], count)
    index = first + np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    return (np.repeat(block, count), np.repeat(level, count).astype(np.int8), index.astype(np.int32),
            _array(hashes, np.uint32)[index])


_CHUNK = 1 << 20  # texts longer than this are collapsed a chunk at a time, so no list of all their words is made


def _collapse(raw: str) -> str:
    """Browser whitespace collapsing; NUL marks a ``<br>`` (the parser leaves none in text)."""
    if "\x00" not in raw:
        return _squeeze(raw)
    lines = (_squeeze(line) for line in raw.split("\x00"))
    return "\n".join(line for line in lines if line)


def _squeeze(raw: str) -> str:
    """Runs of white space to one space, trimmed; a long text in chunks (bounded memory)."""
    if len(raw) <= _CHUNK:
        return " ".join(raw.split())
    out: list[str] = []
    for i in range(0, len(raw), _CHUNK):
        chunk = raw[i:i + _CHUNK]
        words = " ".join(chunk.split())
        if words:
            if out and (chunk[0].isspace() or raw[i - 1].isspace()):  # else a word goes on across the cut
                out.append(" ")
            out.append(words)
    return "".join(out)


def _nonspace_len(text: str) -> int:
    """Number of non-white-space characters of ``text`` (in chunks when it is long)."""
    if len(text) <= _CHUNK:
        return len("".join(text.split()))
    return sum(len("".join(text[i:i + _CHUNK].split())) for i in range(0, len(text), _CHUNK))


def _preformatted(raw: str) -> str:
    """Text of a ``<pre>``-like block: kept as is, less blank lines and trailing spaces at its edges."""
    text = raw.replace("\x00", "\n").rstrip()
    start = 0
    while True:  # drop leading blank lines, keep the first line's indent
        nl = text.find("\n", start)
        if nl < 0 or text[start:nl].strip():
            break
        start = nl + 1
    return text[start:] if text.strip() else ""


def _walk(root: Any, info: dict[int, tuple[int, int, int]], names: dict[int, str],
          role_bits: dict[int, int], builder: _Builder) -> int:
    """Walk the tree from ``root`` once, iteratively, feeding text runs to ``builder``; the node count.

    A frame is pushed for every element entered; a frame whose child iterator runs out is the element's
    end. Text nodes and ``<br>`` go into ``pieces``; a block element's start and end flush them as a
    block of the innermost open block element (``block``). Hot loop: names are locals.
    """
    INLINE, SKIP, BR, LINK, PRE, TEXT = _INLINE, _SKIP, _BR, _LINK, _PRE, _TEXT_ID  # noqa: N806
    KIND, MASK, INDEX, PARENT, HAS_BLOCKS, CHARS, NBLOCKS, IS_PARENT, CHAIN = (  # noqa: N806
        _KIND, _MASK, _INDEX, _PARENT, _HAS_BLOCKS, _CHARS, _NBLOCKS, _IS_PARENT, _CHAIN)
    LEVELS = CONTAINER_LEVELS  # noqa: N806
    stack, totals, flush = builder.stack, builder.totals, builder.flush
    push = stack.append
    _, bit, code = info.get(root.tag_id, (_BLOCK, 0, _OTHER_CODE))
    block = [root.iter(True), _BLOCK, bit, root, None,
             0, 0, code, names.get(root.tag_id) or root.tag or "html", False, None, False, 0, 0, False, (0,)]
    push(block)
    pieces: list[str] = []
    links: list[str] = []  # the pieces inside <a href>
    inline = (INLINE, 0, _OTHER_CODE)
    inner = link_depth = pre_depth = 0
    n = 1
    while stack:
        frame = stack[-1]
        for node in frame[0]:
            tid = node.tag_id
            if tid == TEXT:
                n += 1
                text = node.text_content
                if pieces or pre_depth or not text.isspace():  # leading white space of a run is dropped anyway
                    pieces.append(text)
                    if link_depth:
                        links.append(text)
                continue
            kind, bit, code = info.get(tid, inline)
            if kind == SKIP:
                continue
            n += 1
            if kind == BR:
                pieces.append("\n" if pre_depth else "\x00")
                continue
            if role_bits:
                bit |= role_bits.get(node.mem_id, 0)
            mask = frame[MASK] | bit
            if kind == INLINE:
                inner |= bit
                push([node.iter(True), kind, mask, node, None])
            elif kind == LINK:
                inner |= bit
                if "href" in node.attributes:
                    link_depth += 1
                else:
                    kind = INLINE
                push([node.iter(True), kind, mask, node, None])
            else:  # a block (or pre) starts: the text before it is an anonymous block of its container
                if pieces:
                    flush(block, True, pieces, links, inner)
                inner = 0
                if kind == PRE:
                    pre_depth += 1
                block[HAS_BLOCKS] = True
                block = [node.iter(True), kind, mask, node, None,
                         len(stack), n - 1, code, names[tid], pre_depth > 0, block, False, 0, 0, False,
                         (n - 1,) + block[CHAIN][:LEVELS - 1]]
                push(block)
            break
        else:  # the frame's element ends
            kind = frame[KIND]
            if kind == LINK:
                link_depth -= 1
            elif kind != INLINE:  # it is ``block``
                if pieces:  # before the pop: the block's tokens read the stack
                    flush(block, block[HAS_BLOCKS], pieces, links, inner)
                inner = 0
                if block[IS_PARENT]:
                    totals[block[INDEX]] = (block[CHARS], block[NBLOCKS])
                parent = block[PARENT]
                if parent is not None:
                    parent[CHARS] += block[CHARS]
                    parent[NBLOCKS] += block[NBLOCKS]
                    block = parent
                if kind == PRE:
                    pre_depth -= 1
            stack.pop()
    return n


# ---------------------------------------------------------------------------------------------------
# Page preparation: hidden elements, landmark roles, declarations
# ---------------------------------------------------------------------------------------------------

_SPECIAL_SELECTOR = ('[hidden], [aria-hidden="true" i], [style*="none" i], [style*="hidden" i], [role], '
                     '[itemprop~="articleBody" i], meta, script[type*="ld+json" i]')
_HIDDEN_STYLE_RE = re.compile(r"(?:^|[;\s])(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)
_NEVER_HIDDEN = frozenset(("html", "head", "body"))


@dataclass
class _Prepared:
    """What one CSS pass over the page found: hidden elements, landmark bits, metas and JSON-LD texts."""

    hidden: list[Any] = field(default_factory=list)
    role_bits: dict[int, int] = field(default_factory=dict)
    metas: dict[str, str] = field(default_factory=dict)
    ld_json: list[str] = field(default_factory=list)


def _prepare(tree: Any) -> _Prepared:
    """One selector pass collecting hidden elements, role/itemprop bits, meta values and JSON-LD."""
    prep = _Prepared()
    for node in tree.css(_SPECIAL_SELECTOR):
        tag = node.tag
        attrs = node.attributes
        if tag == "meta":
            _read_meta(attrs, prep.metas)
            continue
        if tag == "script":
            prep.ld_json.append(node.text(deep=True))
            continue
        if tag not in _NEVER_HIDDEN and _is_hidden(attrs):
            prep.hidden.append(node)
            continue
        bits = _role_bits(attrs)
        if bits:
            prep.role_bits[node.mem_id] = bits
    return prep


def _is_hidden(attrs: dict[str, str | None]) -> bool:
    """Whether an element's attributes hide it: hidden, aria-hidden=true, display:none/visibility:hidden."""
    if "hidden" in attrs:
        return True
    if (attrs.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = attrs.get("style")
    return bool(style) and _HIDDEN_STYLE_RE.search(style) is not None


def _role_bits(attrs: dict[str, str | None]) -> int:
    """``ANCESTOR_TAGS`` bits of an element's ARIA role and itemprop=articleBody."""
    bits = 0
    role = attrs.get("role")
    if role:
        for r in role.lower().split():
            if r in _ROLE_BITS:
                bits |= ancestor_bit(_ROLE_BITS[r])
    itemprop = attrs.get("itemprop")
    if itemprop and "articlebody" in itemprop.lower().split():
        bits |= ancestor_bit("itemprop=articlebody")
    return bits


def _remove(nodes: list[Any]) -> None:
    """Remove nodes from the tree, innermost first (so no removed node is touched again)."""
    for node in reversed(nodes):
        node.decompose()


_MAX_META = 10_000
_META_KEYS = {"og:title": "og_title", "og:type": "og_type", "description": "description",
              "og:description": "og_description"}


def _read_meta(attrs: dict[str, str | None], metas: dict[str, str]) -> None:
    """Keep the first og:title/og:type/description/og:description a ``<meta>`` gives."""
    key = (attrs.get("property") or attrs.get("name") or "").strip().lower()
    slot = _META_KEYS.get(key)
    if slot and slot not in metas:
        metas[slot] = " ".join((attrs.get("content") or "")[:_MAX_META].split())


def _page_info(tree: Any, prep: _Prepared, title: str) -> PageInfo:
    """The page's declarations: lang, title, meta tags, JSON-LD."""
    root = tree.root
    lang = ((root.attributes.get("lang") or "") if root is not None else "").strip()
    m = prep.metas
    info = PageInfo(lang=lang, title=title, og_title=m.get("og_title", ""), og_type=m.get("og_type", ""),
                    description=m.get("description") or m.get("og_description", ""))
    _read_json_ld(prep.ld_json, info)
    return info


# ---------------------------------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------------------------------


def _json_ld_objects(texts: list[str]) -> list[dict[str, Any]]:
    """The JSON-LD objects of the page's scripts: top-level ones, @graph members and mainEntity; bad JSON skipped."""
    out: list[dict[str, Any]] = []
    for text in texts:
        try:
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            continue
        todo = list(data) if isinstance(data, list) else [data]
        while todo and len(out) < 200:
            obj = todo.pop(0)
            if not isinstance(obj, dict):
                continue
            out.append(obj)
            graph = obj.get("@graph")
            if isinstance(graph, list):
                todo.extend(graph)
            elif isinstance(graph, dict):
                todo.append(graph)
            main = obj.get("mainEntity")
            if isinstance(main, dict):
                todo.append(main)
    return out


def _types(obj: dict[str, Any]) -> list[str]:
    """The @type values of a JSON-LD object, as strings."""
    t = obj.get("@type")
    if isinstance(t, str):
        return [t]
    return [x for x in t if isinstance(x, str)] if isinstance(t, list) else []


def _names(value: Any) -> list[str]:
    """Author names from a JSON-LD author value: a string, an object with a name, or a list of them."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items[:20]:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, list):
            name = next((x for x in name if isinstance(x, str)), None)
        if isinstance(name, str) and name.strip():
            names.append(" ".join(name.split()))
    return names


def _first_str(objs: list[dict[str, Any]], key: str) -> str:
    """The first string value of ``key`` among ``objs``."""
    for obj in objs:
        v = obj.get(key)
        if isinstance(v, list):
            v = next((x for x in v if isinstance(x, str)), None)
        if isinstance(v, str) and v.strip():
            return v.strip()
    return ""


def _read_json_ld(texts: list[str], info: PageInfo) -> None:
    """Fill ``info``'s JSON-LD fields, preferring article-like objects (whose type names an article or post)."""
    objs = _json_ld_objects(texts)
    if not objs:
        return
    info.ld_types = tuple(dict.fromkeys(t for o in objs for t in _types(o)))
    articles = [o for o in objs if any(("article" in t.lower() or "posting" in t.lower()) for t in _types(o))]
    ranked = articles + [o for o in objs if o not in articles]
    info.headline = _first_str(ranked, "headline")
    info.article_body = _first_str(ranked, "articleBody")
    info.date_published = _first_str(ranked, "datePublished")
    for obj in ranked:
        names = _names(obj.get("author"))
        if names:
            info.authors = tuple(dict.fromkeys(names))
            break


# ---------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------


def _source(html: str | bytes) -> str | bytes:
    """What to parse: plain UTF-8 bytes as they are (lexbor reads UTF-8; this saves a decode and an encode),
    else the text ``decode_page`` gives; a page with many tags as UTF-8 bytes, flattened when deep."""
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        if _plain_utf8(data):
            return _flatten_deep(data)
        html = decode_page(data)
    html = html.removeprefix("\ufeff")  # a byte-order mark left at the start of a str is no text of the page
    if html.count("<") < _GUARD_MIN_TAGS:
        return html
    return _flatten_deep(html.encode("utf-8", "replace"))


def _plain_utf8(data: bytes) -> bool:
    """Whether ``decode_page`` would read ``data`` as UTF-8 without a BOM (and it has no NUL to strip)."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        return False
    if b"\x1b" in data and (_declared_codec(data) or "").startswith("iso2022"):
        return False
    if data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _parse(html: str | bytes) -> Any:
    """Parse with lexbor, without DOM mutation events (they clone a select's chosen option into
    ``<selectedcontent>``, and take quadratic time on long option lists); text that cannot be UTF-8
    encoded (lone surrogates) has those characters replaced."""
    parser, options = _parser_class(), _parser_options()
    try:
        return parser(html, **options)
    except UnicodeEncodeError:
        return parser(html.encode("utf-8", "replace"), **options)


def _parser_options() -> dict[str, int]:
    """lexbor's document option that turns DOM mutation events off (none on a selectolax before 1.0)."""
    try:
        from selectolax.lexbor import LexborDocumentOptions
    except ImportError:
        return {}
    return {"options": int(LexborDocumentOptions.WO_EVENTS.value)}


def html_blocks(html: str | bytes) -> Blocks:
    """The text blocks of an HTML page (str, or bytes read as ``decode_page`` does), with their structure,
    and the page's declarations in ``.page``. Raises TypeError for anything but str/bytes."""
    if not isinstance(html, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"html must be str or bytes, not {type(html).__name__}")
    tables = _tables()
    with _gc_paused():
        tree = _parse(_source(html))
        prep = _prepare(tree)
        _remove(prep.hidden)
        blocks = _page_blocks(tree.root, tables, prep)
        blocks.in_comments = blocks.in_comments | after_comment_headings(blocks)
        title = next((t for t, tag in zip(blocks.texts, blocks.tag) if tag == "title"), "")
        blocks.page = _page_info(tree, prep, title)
    return blocks


def _page_blocks(root: Any, tables: _Tables, prep: _Prepared) -> Blocks:
    """The blocks of the tree; read again with ``<noscript>`` content when nothing but a title was found
    (pages that keep their whole text there, for readers without JavaScript)."""
    blocks = _blocks_from(root, tables.info, tables.names, prep)
    if root is not None and all(tag == "title" for tag in blocks.tag):
        retry = _blocks_from(root, _tables_reading_noscript(tables), tables.names, prep)
        if len(retry) > len(blocks):
            return retry
    return blocks


def _blocks_from(root: Any, info: dict[int, tuple[int, int, int]], names: dict[int, str],
                 prep: _Prepared) -> Blocks:
    """One walk of the tree into a ``Blocks`` (no page info yet): the compiled walk where it runs."""
    if root is not None and native_walk.enabled(_parser_class()):
        root_name = names.get(root.tag_id) or root.tag or "html"
        cols = native_walk.walk_columns(root, info, names, _OTHER_CODE, prep.role_bits, root_name, _TEXT_ID)
        if cols is not None:
            return _native_blocks(cols)
    builder = _Builder([])
    n = _walk(root, info, names, prep.role_bits, builder) if root is not None else 0
    return builder.result(n, PageInfo())


_SLOT_CACHE: dict[tuple[str | None, ...], tuple[tuple[str, ...], tuple[int, ...], bool]] = {}


def _slot_tokens(values: tuple[str | None, ...]) -> tuple[tuple[str, ...], tuple[int, ...], bool]:
    """``_value_tokens`` of a compiled-walk slot (class, id, role, itemprop) and whether it is a comment section
    (``comment_section``), memoised (bounded; long values are not kept)."""
    hit = (*_value_tokens(*values), comment_section(values[0], values[1]))
    if len(_SLOT_CACHE) > 100_000:
        _SLOT_CACHE.clear()
    if sum(len(v) for v in values if v) <= _MAX_ATTR:
        _SLOT_CACHE[values] = hit
    return hit


def _native_blocks(cols: dict[str, Any]) -> Blocks:
    """A ``Blocks`` from the compiled walk's columns (``native_walk.walk_columns``)."""
    def col(name: str, dtype: Any) -> np.ndarray:
        return np.frombuffer(cols[name], dtype=dtype).copy()

    texts, pre = cols["texts"], col("preformatted", np.bool_)
    for i in np.flatnonzero(pre).tolist():
        texts[i] = _preformatted(texts[i])
    # slot k (1, 2, ...): an element read, with its (class, id, role, itemprop); the ones with tokens
    # become token entries 1, 2, ... in order (entry 0: none), as dom._Builder._read numbers them
    hits = [_SLOT_CACHE.get(values) or _slot_tokens(values) for values in cols["slots"]]
    counts = np.fromiter((len(h[0]) for h in hits), dtype=np.int64, count=len(hits))
    has = np.flatnonzero(counts)
    entry_of = np.zeros(len(hits) + 1, np.int64)
    entry_of[has + 1] = np.arange(1, len(has) + 1)
    words = list(itertools.chain.from_iterable(h[0] for h in hits))
    hashes = list(itertools.chain.from_iterable(h[1] for h in hits))
    ids = entry_of[col("chain_ids", np.int32)]
    lens = col("chain_lens", np.int32).astype(np.int64)
    token_block, token_level, token_id, token_hash = _token_coordinates(lens, ids, [0, *counts[has].tolist()], hashes)
    in_section = np.fromiter((h[2] for h in hits), dtype=np.float64, count=len(hits))
    sections = np.concatenate([[0.0], in_section[has]])
    anc = col("ancestors", np.uint64)
    return Blocks(
        texts=texts, tag=cols["tag"], tag_code=col("tag_code", np.int16), depth=col("depth", np.int32),
        chars=col("chars", np.int32), link_chars=col("link_chars", np.int32), ancestors=anc,
        inner=col("inner", np.uint64), in_main=(anc & np.uint64(_MAIN_MASK)) != 0, preformatted=pre,
        node_index=col("node_index", np.int32), parent_id=col("parent_id", np.int32),
        parent_chars=col("parent_chars", np.int32), parent_blocks=col("parent_blocks", np.int32),
        token_block=token_block, token_level=token_level, token_hash=token_hash, token_id=token_id,
        token_words=words, containers=col("containers", np.int32).reshape(-1, CONTAINER_LEVELS),
        in_comments=_in_sections(lens, ids, sections), n_nodes=int(cols["n_nodes"]), page=PageInfo())


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: the walk makes many short-lived, acyclic objects (freed by
    reference counting), and collections triggered by them cost up to a third of the time on big pages."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
