"""Features of HTML blocks: every plain-text feature of the block's text (``core.features``), plus what the
page's structure says about it (``HTML_NAMES``):

- its links, depth, place in the DOM and tag, and which kinds of elements it sits in (nav, aside, footer,
  article, a list, a table, a form, a landmark role...);
- its container: how many blocks share it, the block's share of its text;
- the class and id names around it ("comment", "related", "share", "cookie", "byline"...): as dense flags for
  a vocabulary of telling words, near (the element and its two parents) and far; and every token, hashed
  into the sparse block with its distance band, so a site's own names can be learned too;
- the page's own declarations, as evidence: how much of the block the JSON-LD ``articleBody`` holds, and
  whether it is the declared headline or names a declared author.

``featurize_html(pages)`` gives the same ``Features`` as ``featurize`` with these columns appended
(``Features.names``) and the class/id tokens added to the sparse block.
"""
from __future__ import annotations

import zlib
from typing import Sequence

import numpy as np

from ..core.chars import WORD
from ..core.features import DENSE_NAMES, Features, batch_features, mix, scan_batch
from .dom import BLOCK_TAGS, Blocks, ancestor_bit

__all__ = ["HTML_NAMES", "CLASS_WORDS", "featurize_html", "flag_hashes"]

_TAGS = ("p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "title", "blockquote", "figcaption", "dd", "dt",
         "pre", "option", "span-like")
_ANCESTORS = ("nav", "aside", "header", "footer", "main", "article", "section", "form", "ul", "ol", "li", "table",
              "blockquote", "figure", "figcaption", "a", "button", "label", "select", "details", "dialog", "menu",
              "address", "h1", "h2", "h3", "p", "td", "dl", "role=navigation", "role=banner", "role=contentinfo",
              "role=complementary", "role=search", "role=dialog", "role=menu", "role=alert", "itemprop=articlebody")
_INNER = ("a", "time", "strong", "b", "em", "button", "code")
# class/id words that tell what a block is; each maps to the flag it raises (plural and variant forms too)
CLASS_WORDS: dict[str, str] = {w: flag for flag, words in {
    "comment": ("comment", "comments", "reply", "replies", "disqus", "discussion", "respond", "responses"),
    "related": ("related", "recommend", "recommended", "recommendations", "popular", "trending", "most",
                "readmore", "more", "next", "teaser", "teasers", "outbrain", "taboola", "suggested"),
    "share": ("share", "sharing", "social", "sharebar", "facebook", "twitter", "whatsapp", "follow"),
    "cookie": ("cookie", "cookies", "consent", "gdpr", "privacy", "cmp", "onetrust", "didomi", "notice"),
    "subscribe": ("newsletter", "subscribe", "subscription", "signup", "register", "paywall", "premium", "login"),
    "byline": ("byline", "author", "authors", "writer", "contributor", "dateline", "date", "time", "published",
               "timestamp", "meta", "info", "credit", "credits"),
    "nav": ("nav", "navigation", "menu", "navbar", "breadcrumb", "breadcrumbs", "pagination", "pager", "skip",
            "toolbar", "tabs"),
    "footer": ("footer", "foot", "copyright", "legal", "bottom"),
    "header": ("header", "masthead", "top", "logo", "brand", "topbar"),
    "sidebar": ("sidebar", "aside", "widget", "widgets", "rail", "column", "secondary"),
    "ad": ("ad", "ads", "advert", "advertisement", "adslot", "sponsor", "sponsored", "promo", "promotion",
           "banner", "dfp", "gpt"),
    "tag": ("tag", "tags", "category", "categories", "topics", "keywords", "label"),
    "caption": ("caption", "figcaption", "photo", "image", "img", "media", "gallery", "video", "figure"),
    "article": ("article", "story", "post", "entry", "body", "content", "text", "main", "prose", "blog",
                "articlebody", "richtext", "paragraph"),
    "hidden": ("hidden", "hide", "modal", "popup", "overlay", "dialog", "sr", "visually", "offscreen"),
}.items() for w in words}
_FLAGS = tuple(dict.fromkeys(CLASS_WORDS.values()))
HTML_NAMES = (["link_density", "log_link_chars", "log_depth", "rel_node", "in_main", "preformatted",
               "log_parent_blocks", "parent_char_share"]
              + [f"tag_{t}" for t in _TAGS] + [f"in_{a}" for a in _ANCESTORS] + [f"has_{t}" for t in _INNER]
              + [f"class_{f}_{band}" for f in _FLAGS for band in ("near", "far")]
              + ["ld_body_share", "has_ld_body", "is_headline", "names_author"])
_NEAR = 2                      # token levels 0..2 are "near"
_TOKEN_SALT = 11               # hashed class/id tokens: salt + band (0 own element, 1 near parents, 2 far)
_TAG_CODE = {t: BLOCK_TAGS.index(t) for t in _TAGS if t in BLOCK_TAGS}
_WORD_FLAG = {zlib.crc32(w.encode()): _FLAGS.index(f) for w, f in CLASS_WORDS.items()}


def _bits(mask: np.ndarray, names: Sequence[str]) -> np.ndarray:
    """Columns of 0/1: whether each name's ``ANCESTOR_TAGS`` bit is set in ``mask``."""
    want = np.array([ancestor_bit(n) for n in names], dtype=np.uint64)
    return ((mask[:, None] & want) > 0).astype(np.float64)


def _concat(pages: Sequence[Blocks], field: str, dtype) -> np.ndarray:
    return np.concatenate([np.asarray(getattr(b, field), dtype=dtype) for b in pages]) if pages else np.zeros(0, dtype)


_FLAG_KEYS = np.array(sorted(_WORD_FLAG), dtype=np.int64)
_FLAG_OF_KEY = np.array([_WORD_FLAG[k] for k in sorted(_WORD_FLAG)], dtype=np.int64)


def flag_hashes(flag: str) -> np.ndarray:
    """The sorted token hashes (``Blocks.token_hash``'s CRC-32) of the class/id words that raise ``flag``."""
    return _FLAG_KEYS[_FLAG_OF_KEY == _FLAGS.index(flag)]


def _class_flags(pages: Sequence[Blocks], offsets: np.ndarray, n: int) -> np.ndarray:
    """(n, flags x 2): whether a telling class/id word is on the block's element or its near parents, or further up."""
    out = np.zeros((n, len(_FLAGS) * 2))
    hashes = _concat(pages, "token_hash", np.int64)
    if not len(hashes):
        return out
    rows = np.concatenate([at + b.token_block.astype(np.int64) for b, at in zip(pages, offsets)])
    at = np.minimum(np.searchsorted(_FLAG_KEYS, hashes), len(_FLAG_KEYS) - 1)
    hit = _FLAG_KEYS[at] == hashes
    band = (_concat(pages, "token_level", np.int64)[hit] > _NEAR).astype(np.int64)
    out[rows[hit], _FLAG_OF_KEY[at[hit]] * 2 + band] = 1.0
    return out


def _token_entries(pages: Sequence[Blocks], offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sparse (row, column) entries of every class/id token, hashed with its distance band (a token that
    comes twice in a band counts twice)."""
    rows = np.concatenate([at + b.token_block.astype(np.int64) for b, at in zip(pages, offsets)]) if pages else \
        np.zeros(0, np.int64)
    if not len(rows):
        return rows, rows
    level = _concat(pages, "token_level", np.int64)
    band = np.where(level == 0, 0, np.where(level <= _NEAR, 1, 2))
    return rows, mix(_concat(pages, "token_hash", np.uint64), (_TOKEN_SALT + band).astype(np.uint64))


def _word_hashes(text: str) -> np.ndarray:
    """The sorted distinct word hashes of a text (as the features hash words: CRC-32 of the lowercased word)."""
    return np.unique(np.fromiter((zlib.crc32(w.encode()) for w in WORD.findall(text.lower())), dtype=np.int64))


def _sequence_hashes(tok_hash: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """A hash of each block's whole word sequence (polynomial in the word hashes, mod 2**64)."""
    out = np.zeros(len(n_words), dtype=np.uint64)
    if not len(tok_hash):
        return out
    ends = np.cumsum(n_words)
    owner = np.repeat(np.arange(len(n_words)), n_words)
    from_end = ends[owner] - 1 - np.arange(len(tok_hash))
    powers = np.concatenate([[1], np.cumprod(np.full(int(from_end.max()), 1000003, dtype=np.uint64))]).astype(np.uint64)
    terms = tok_hash.astype(np.uint64) * powers[from_end]
    has = n_words > 0
    out[has] = np.add.reduceat(terms, (ends - n_words)[has])
    return out


def _declared(pages: Sequence[Blocks], tok_hash: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """(n, 4): the share of a block's words in the page's JSON-LD articleBody, whether the page has one, whether
    the block is the declared headline (JSON-LD, og:title), whether it holds every word of a declared author."""
    n = len(n_words)
    out = np.zeros((n, 4))
    owner = np.repeat(np.arange(n), n_words)
    seq = _sequence_hashes(tok_hash, n_words)
    word_at = np.concatenate([[0], np.cumsum(n_words)])
    row = 0
    for b in pages:
        m, info = len(b), b.page
        words = slice(int(word_at[row]), int(word_at[row + m]))
        own, rows = tok_hash[words], owner[words]
        if info.article_body:
            hit = np.isin(own, _word_hashes(info.article_body))
            out[row:row + m, 0] = np.bincount(rows - row, weights=hit, minlength=m) / np.maximum(n_words[row:row + m], 1)
            out[row:row + m, 1] = 1.0
        heads = [h for h in (info.headline, info.og_title) if h]
        if heads:
            head_seq = _sequence_hashes(*(lambda w: (w, np.array([len(w)])))(
                np.fromiter((zlib.crc32(t.encode()) for t in WORD.findall(heads[0].lower())), dtype=np.int64)))
            out[row:row + m, 2] = seq[row:row + m] == head_seq[0]
        for author in info.authors[:4]:
            names = _word_hashes(author)
            if len(names) and len(author) >= 4:
                found = np.bincount(rows - row, weights=np.isin(own, names), minlength=m)
                out[row:row + m, 3] = np.maximum(out[row:row + m, 3], (found >= len(names)) & (n_words[row:row + m] <= 40))
        row += m
    return out


def featurize_html(pages: Sequence[Blocks]) -> Features:
    """Features of every block of every page: the text features, then ``HTML_NAMES``, then class/id tokens."""
    texts = [b.texts for b in pages]
    batch = scan_batch(texts)
    F = batch_features(batch)
    n = batch.n
    names = tuple(DENSE_NAMES) + tuple(HTML_NAMES)
    if n == 0:
        return Features(dense=np.zeros((0, len(names))), doc=F.doc, names=names)
    offsets = np.concatenate([[0], np.cumsum([len(b) for b in pages])[:-1]]).astype(np.int64)
    chars = _concat(pages, "chars", np.float64)
    links = _concat(pages, "link_chars", np.float64)
    node = _concat(pages, "node_index", np.float64)
    n_nodes = np.repeat([max(b.n_nodes, 1) for b in pages], [len(b) for b in pages]).astype(np.float64)
    tag_code = _concat(pages, "tag_code", np.int64)
    ancestors = _concat(pages, "ancestors", np.uint64)
    tags = np.column_stack([tag_code == _TAG_CODE[t] for t in _TAGS if t in _TAG_CODE]
                           + [~np.isin(tag_code, list(_TAG_CODE.values()))]).astype(np.float64)
    dense = np.empty((n, len(names)))
    dense[:, :len(DENSE_NAMES)] = F.dense
    at = len(DENSE_NAMES)
    for part in (
        np.column_stack([links / np.maximum(chars, 1), np.log1p(links), np.log1p(_concat(pages, "depth", np.float64)),
                         node / n_nodes, _concat(pages, "in_main", np.float64), _concat(pages, "preformatted", np.float64),
                         np.log1p(_concat(pages, "parent_blocks", np.float64)),
                         chars / np.maximum(_concat(pages, "parent_chars", np.float64), 1)]),
        tags, _bits(ancestors, _ANCESTORS), _bits(_concat(pages, "inner", np.uint64), _INNER),
        _class_flags(pages, offsets, n), _declared(pages, batch.tok_hash, batch.n_words),
    ):
        dense[:, at:at + part.shape[1]] = part
        at += part.shape[1]
    t_rows, t_cols = _token_entries(pages, offsets)
    # a block's enclosing block elements, numbered across the batch: (page, element); the second pass sums
    # the first pass's content over them
    ids = np.vstack([b.containers for b in pages]).astype(np.int64)
    page_of = np.repeat(np.arange(len(pages), dtype=np.int64), [len(b) for b in pages])
    containers = np.where(ids >= 0, page_of[:, None] * 2 ** 32 + ids, -1)
    return Features(dense=dense, doc=F.doc, names=names,
                    sparse_rows=np.concatenate([F.sparse_rows, t_rows]), sparse_cols=np.concatenate([F.sparse_cols, t_cols]),
                    sparse_vals=np.concatenate([F.sparse_vals, np.ones(len(t_rows))]),
                    word_para=F.word_para, word_key=F.word_key, key_doc=F.key_doc, containers=containers)
