"""The default model's training data: which prepared corpora, how much each page weighs, which synthetic
documents are added. ``training/build_default.py`` builds the shipped model from ``Recipe()``;
``training/experiment.py`` compares recipes and model settings on the validation panel.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from ..core.chars import WORD
from ..data import LabeledDoc, read_labeled
from .augment import (add_trailers, comment_threads, doc_language, fragments, precleaned, related_blocks, short_articles,
                      without_article)

__all__ = ["Recipe", "training_set", "html_training_set", "coverage"]


@dataclass(frozen=True)
class Recipe:
    """How the training set is made from ``data/prepared`` (the files ``training/prepare.py`` writes)."""

    corpora: tuple[str, ...] = ("wcxb-train", "fundus-train", "readability-train")
    renderings: tuple[str, ...] = ("html_text", "resiliparse", "wet")
    other_types: float = 0.5    # weight of WCXB's non-article pages (listings, forums, products, ...); 0: left out
    trailers: float = 0.35      # share of articles given a credit line, a cue line and a teaser
    related: float = 0.2        # share of articles copied with a related-stories block
    comments: float = 0.5       # ... with a comment thread (0.15 until 2026-12-01: docs/experiments.md)
    long_threads: float = 0.33  # share of those threads with 10-40 comments instead of 2-8 (0 until 2026-12-02)
    forum_voices: float = 0.0   # share of those comments whose text is a post of WCXB's forum pages (else other
                                # articles' sentences)
    short: float = 0.25         # ... cut to a short article
    bare: float = 0.03          # share of pages copied without their article
    precleaned: float = 0.4     # share of pages copied with most of their boilerplate taken out (was 0.2)
    fragments: float = 0.3      # share of pages giving one paragraph alone, content or boilerplate (0 until 2026-12-03)
    forums: float | None = 0.15  # weight of WCXB's forum pages (None: as other_types): their posts are content,
                                 # the comments under an article are not
    html_forums: float | None = 0.05  # the same in the HTML model's training (None: as ``forums``), where a forum's
                                      # posts and an article's comments carry the same class names
    html_comment_pages: float = 6.0  # weight of an article page with a comment thread under comment class names in
                                     # the HTML model's training (was 1.0): the forums' posts carry the same names
    html_threads: float = 0.5   # share of article pages copied with a synthetic comment thread in their HTML
                                # (``html_augment``; the HTML model's training) ...
    html_long_threads: float = 0.33  # ... and the share of those threads with 10-40 comments
    html_forum_voices: float = 0.0  # ... and the share of their comments whose text is a forum page's post
    html_flat_threads: float = 0.0  # ... and the share of threads in older blogs' flat shape (``flat_thread_html``)
    html_fragments: float = 0.1  # share of pages giving one block alone in its own markup (``fragment_html``;
                                 # 0 until 2026-12-04)
    html_threshold: float = 0.4  # the HTML model's threshold (written in its model.json; 0.5 until 2026-12-02)
    subset: float = 1.0         # share of training pages (by group) used: < 1 to measure fit-to-fit spread
    min_coverage: float = 0.3   # a rendering whose content holds less than this share of the gold's words is
                                # left out (the renderer lost the body: nothing to learn but "keep nothing")
    # ParagraphClassifier parameters of the text model (a first pass that does not read position since 2026-12-02;
    # a third pass since 2026-12-03, whose scores veto content on blank-line text: core/scoring.py)
    model: dict[str, Any] = field(default_factory=lambda: {"min_samples_leaf": 100, "first_pass_position": False,
                                                           "third_pass": True})
    html_model: dict[str, Any] = field(default_factory=lambda: {"min_samples_leaf": 100})  # ... of the HTML model

    def but(self, **changes: Any) -> "Recipe":
        """A copy with some fields changed."""
        return replace(self, **changes)

    def model_params(self, html: bool = False) -> dict[str, Any]:
        """The ParagraphClassifier parameters of the text model (or, ``html``, the HTML model)."""
        return dict(self.html_model if html else self.model)

    def forum_weight(self, html: bool = False) -> float:
        """The weight of a WCXB forum page in the text model's training (or, ``html``, the HTML model's)."""
        if html and self.html_forums is not None:
            return self.html_forums
        return self.other_types if self.forums is None else self.forums


def _is_article(d: LabeledDoc) -> bool:
    return d.extra.get("page_type", "article") == "article"


def coverage(d: LabeledDoc) -> float:
    """The share of the gold's words that the document's content paragraphs hold (1.0 for an empty gold)."""
    gold = WORD.findall(str(d.extra.get("gold", "")).lower())
    if not gold:
        return 1.0
    content = " ".join(t for t, l in zip(d.texts, d.labels) if l == "content")
    return min(len(WORD.findall(content.lower())) / len(gold), 1.0)


def training_set(data: Path, recipe: Recipe, seed: int = 0) -> tuple[list[LabeledDoc], np.ndarray]:
    """The training documents of a recipe and one weight a document, seeded."""
    rng = random.Random(seed)
    docs = [d for name in recipe.corpora for d in read_labeled(Path(data) / f"{name}.jsonl.gz")
            if d.extra.get("renderer") in recipe.renderings and coverage(d) >= recipe.min_coverage]
    if recipe.subset < 1:
        groups = sorted({d.extra["group"] for d in docs})
        kept = set(rng.sample(groups, int(round(recipe.subset * len(groups)))))
        docs = [d for d in docs if d.extra["group"] in kept]
    articles = [d for d in docs if _is_article(d)]
    others = [d for d in docs if not _is_article(d)] if recipe.other_types > 0 else []
    forums = [d for d in others if d.extra.get("page_type") == "forum"]
    extra = (related_blocks(articles, rng, recipe.related)
             + comment_threads(articles, rng, recipe.comments, recipe.long_threads, forums, recipe.forum_voices)
             + short_articles(articles, rng, recipe.short) + without_article(docs, rng, recipe.bare)
             + precleaned(docs, rng, recipe.precleaned))
    articles = add_trailers(articles, rng, recipe.trailers)
    extra += fragments(docs, rng, recipe.fragments)  # drawn last: the other synthetic documents stay as they were
    out = articles + others + extra
    forum = recipe.forum_weight()
    weights = np.array([1.0] * len(articles)
                       + [forum if d.extra.get("page_type") == "forum" else recipe.other_types for d in others]
                       + [1.0] * len(extra))
    return out, weights


def html_training_set(shared: Path, recipe: Recipe, seed: int = 0) -> tuple[list, list[list[str]], list[str], np.ndarray]:
    """The HTML model's training data: the training pages of the recipe's corpora (read from ``shared``, the
    corpora folder) as DOM blocks, one label a block aligned with the page's gold, a group and a weight a page;
    plus, at the recipe's shares, short-article and no-article versions of pages (``_html_variants``), copies
    with a synthetic comment thread (``_html_threads``) and pages of one block (``_html_fragments``)."""
    from ..corpora import CORPORA, is_heldout
    from ..html.dom import html_blocks
    from .align import label_paragraphs

    rng = random.Random(seed)
    pages = [p for name in recipe.corpora for p in CORPORA[name.removesuffix("-train")][0](
        Path(shared) / CORPORA[name.removesuffix("-train")][1]) if not is_heldout(p.group)]
    if recipe.subset < 1:
        groups = sorted({p.group for p in pages})
        kept = set(rng.sample(groups, int(round(recipe.subset * len(groups)))))
        pages = [p for p in pages if p.group in kept]
    blocks, labels, groups, weights = [], [], [], []
    forum = recipe.forum_weight(html=True)
    articles = []  # (page, its labeled blocks) of the article pages kept, for the synthetic threads
    forums = []  # the labeled blocks of the forum pages, whose posts may be the threads' comments
    pages_read = []  # (page, blocks, labels) of every page kept, for the pages of one block
    for p in pages:
        page_type = p.extra.get("page_type", "article")
        weight = 1.0 if page_type == "article" else forum if page_type == "forum" else recipe.other_types
        b = html_blocks(p.html)
        page_labels = label_paragraphs(b.texts, p.gold)
        if page_type == "article" and recipe.html_comment_pages != 1.0 and _has_comment_thread(b, page_labels):
            weight = recipe.html_comment_pages
        doc = LabeledDoc(p.id, b.texts, page_labels, {"gold": p.gold.main_text})
        if weight > 0 and len(b) and coverage(doc) >= recipe.min_coverage:
            for kept in [np.arange(len(b))] + _html_variants(rng, page_labels, page_type, recipe):
                blocks.append(b if len(kept) == len(b) else b.take(kept))
                labels.append([page_labels[i] for i in kept])
                groups.append(p.group)
                weights.append(weight)
            pages_read.append((p, b, page_labels))
            if page_type == "article":
                articles.append((p, LabeledDoc(p.id, b.texts, page_labels, p.extra)))
        if page_type == "forum":
            forums.append(LabeledDoc(p.id, b.texts, page_labels, p.extra))
    made = _html_threads(articles, rng, recipe, forums)
    made += _html_fragments(pages_read, random.Random(seed + FRAGMENT_SEED), recipe.html_fragments)
    for p, b, page_labels in made:
        blocks.append(b)
        labels.append(page_labels)
        groups.append(p.group)
        weights.append(1.0)
    return blocks, labels, groups, np.array(weights)


FRAGMENT_SEED = 7919  # the fragments' own random stream, so that the recipe's other documents stay as they were


def _html_fragments(pages: list, rng: random.Random, share: float) -> list:
    """Pages of one block, as (page, blocks, labels): for a ``share`` of the pages (page, blocks, labels), the block
    ``augment.pick_fragment`` picks, in its own tag alone (``html_augment.block_alone``)."""
    if share <= 0:
        return []
    from ..html.dom import html_blocks
    from .augment import pick_fragment
    from .html_augment import block_alone

    out = []
    for p, b, page_labels in pages:
        if rng.random() >= share:
            continue
        picked = pick_fragment(b.texts, page_labels, rng)
        if picked is None:
            continue
        i, label = picked
        one = html_blocks(block_alone(b, i))
        if len(one) == 1:
            out.append((p, one, [label]))
    return out


def _html_threads(articles: list, rng: random.Random, recipe: Recipe, forums: Sequence[LabeledDoc] = ()) -> list:
    """Copies of a ``recipe.html_threads`` share of the article pages (page, labeled blocks) with a synthetic
    comment thread in their HTML (``html_augment``), as (page, blocks, labels); the thread's text is other
    pages' content, or (a ``recipe.html_forum_voices`` share of the comments) posts of the pages ``forums``."""
    if recipe.html_threads <= 0 or not articles:
        return []
    from ..html.dom import decode_page, html_blocks
    from .align import label_paragraphs
    from .augment import _by_language, _in
    from .html_augment import flat_thread_html, thread_html, with_thread

    bodies = _by_language([d for _, d in articles], "content", 8, 80)
    voices = _by_language(forums, "content", 5, 80, lambda t: "\n" not in t) if recipe.html_forum_voices > 0 else {}
    out = []
    for p, d in articles:
        if rng.random() >= recipe.html_threads:
            continue
        lang = doc_language(d)
        own = set(d.texts)  # the page's own text would align with its gold
        pool = [t for t in _in(bodies, lang) if t not in own]
        if not pool:
            continue
        long = recipe.html_long_threads and rng.random() < recipe.html_long_threads
        flat = recipe.html_flat_threads > 0 and rng.random() < recipe.html_flat_threads
        thread = (flat_thread_html if flat else thread_html)(
            rng, lang, pool, rng.randint(10, 40) if long else rng.randint(2, 8),
            [t for t in voices.get(lang, []) if t not in own], recipe.html_forum_voices)
        b = html_blocks(with_thread(decode_page(p.html), thread, rng))
        page_labels = label_paragraphs(b.texts, p.gold)
        if "content" in page_labels:
            out.append((p, b, page_labels))
    return out


def _has_comment_thread(blocks: Any, labels: list[str], words: int = 20) -> bool:
    """Whether a page has a boilerplate block of prose (``words`` or more) under a comment class/id name."""
    from ..html.features import flag_hashes

    comment = flag_hashes("comment")
    prose = np.array([l == "boilerplate" and len(t.split()) >= words for t, l in zip(blocks.texts, labels)])
    hit = np.isin(blocks.token_hash.astype(np.int64), comment)
    return bool(prose[blocks.token_block[hit]].any()) if hit.any() else False


def _html_variants(rng: random.Random, labels: list[str], page_type: str, recipe: Recipe) -> list[np.ndarray]:
    """Block selections of a page to add as documents: its first 1-3 content blocks with all the rest of the
    page (a short article), or the page without its content (no article), at the recipe's shares."""
    content = np.flatnonzero(np.array(labels) == "content")
    out = []
    if page_type == "article" and len(content) >= 3 and rng.random() < recipe.short:
        drop = content[rng.randint(1, 3):]
        out.append(np.setdiff1d(np.arange(len(labels)), drop))
    if len(content) and rng.random() < recipe.bare:
        out.append(np.flatnonzero(np.array(labels) == "boilerplate"))
    return [o for o in out if len(o)]
