"""Synthetic training documents: labels line up, inputs are left alone, a seed gives the same documents."""
import random

import numpy as np

from cleanlib.core.cues import KINDS
from cleanlib.core.features import featurize
from cleanlib.data import LabeledDoc
from cleanlib.learn.augment import (FRAGMENT_WORDS, add_trailers, comment_threads, doc_language, fragments,
                                    related_blocks, short_articles, without_article)

from conftest import synthetic_docs


def _snapshot(docs):
    return [(d.id, list(d.texts), list(d.labels)) for d in docs]


def test_every_augmentation_keeps_labels_aligned_and_inputs_unchanged():
    docs = synthetic_docs(30)
    before = _snapshot(docs)
    for make in (related_blocks, comment_threads, short_articles, without_article, fragments):
        out = make(docs, random.Random(1), 1.0)
        assert out and all(len(d.texts) == len(d.labels) and all(d.texts) for d in out)
        assert _snapshot(make(docs, random.Random(1), 1.0)) == _snapshot(out)  # seeded
    out = add_trailers(docs, random.Random(1), 1.0)
    assert len(out) == len(docs) and all(len(d.texts) == len(d.labels) for d in out)
    assert _snapshot(docs) == before


def test_related_block_starts_with_a_related_cue_and_is_boilerplate():
    docs = synthetic_docs(30)
    for d in related_blocks(docs, random.Random(2), 1.0):
        orig = next(o for o in docs if o.id == d.id.removesuffix("#related"))
        added = len(d.texts) - len(orig.texts)
        assert added >= 4 and d.labels.count("boilerplate") - orig.labels.count("boilerplate") == added
        start = next(i for i, (a, b) in enumerate(zip(d.texts, orig.texts + [None])) if a != b)
        assert featurize([[d.texts[start]]]).column("cue_related")[0] == 1.0


def test_comment_threads_add_only_boilerplate_after_the_body():
    docs = synthetic_docs(30)
    for d in comment_threads(docs, random.Random(3), 1.0):
        orig = next(o for o in docs if o.id == d.id.removesuffix("#comments"))
        assert d.labels.count("content") == orig.labels.count("content")
        assert d.labels.count("boilerplate") > orig.labels.count("boilerplate") + 3


def test_long_threads_hold_ten_comments_or_more_and_leave_the_default_draws_alone():
    docs = synthetic_docs(30)
    def added(threads):
        return [len(d.texts) - len(next(o for o in docs if o.id == d.id.removesuffix("#comments")).texts)
                for d in threads]
    short, long = added(comment_threads(docs, random.Random(3), 1.0)), added(comment_threads(docs, random.Random(3), 1.0, 1.0))
    assert max(short) <= 8 * 5 + 2 and min(long) >= 10 * 2 + 1  # a comment is 2-5 lines, plus the heading
    assert sum(long) > 2 * sum(short)
    assert _snapshot(comment_threads(docs, random.Random(3), 1.0, 0.0)) == _snapshot(comment_threads(docs, random.Random(3), 1.0))


def test_forum_voices_put_forum_posts_in_the_threads_and_leave_the_default_draws_alone():
    docs = synthetic_docs(30)
    posts = [LabeledDoc(f"forum{i}", [f"Thanks, that fixed it for me number {i} today.", "Reply\nQuote"],
                        ["content", "boilerplate"], {}) for i in range(5)]
    threads = comment_threads(docs, random.Random(3), 1.0, 0.0, posts, 0.5)
    added = [t for d in threads for t, l in zip(d.texts, d.labels) if l == "boilerplate"]
    assert any(t.startswith("Thanks, that fixed it") for t in added)
    assert not any(t == "Reply\nQuote" for t in added)  # a post's text, not its lines of controls
    assert all(d.labels.count("content") == o.labels.count("content") for d, o in zip(threads, docs))
    assert _snapshot(comment_threads(docs, random.Random(3), 1.0, 0.0, posts, 0.0)) == _snapshot(
        comment_threads(docs, random.Random(3), 1.0))


def test_short_articles_keep_one_to_three_body_paragraphs_and_bare_pages_none():
    docs = synthetic_docs(30)
    shorts = short_articles(docs, random.Random(4), 1.0)
    assert {d.labels.count("content") for d in shorts} <= {1, 2, 3} and len(shorts) == len(docs)
    assert all(d.labels[0] == "meta" or d.labels[1] == "meta" for d in shorts)  # title or byline kept
    assert all("content" not in d.labels and "meta" not in d.labels for d in without_article(docs, random.Random(5), 1.0))


def test_cue_lines_are_in_the_page_language():
    de = LabeledDoc("x", ["a"], ["content"], {"country": "at"})
    assert doc_language(de) == "de" and doc_language(LabeledDoc("y", [], [], {})) == "en"


def test_cue_flags_kinds_and_languages():
    texts = ["Lesen Sie auch:", "• Share this article", "Te puede interesar", "© 2024 Reuters", "Reply",
             "Homeland security officials met.", "相关新闻", "Related Articles", "»Weiterlesen", "Kommentare (12)",
             "Wir verwenden Cookies", "Anzeige", "Startseite", "A normal sentence about shares."]
    F = featurize([texts])
    got = [[k for k in KINDS if F.column(f"cue_{k}")[i]] for i in range(len(texts))]
    assert got == [["related"], ["share"], ["related"], ["copyright"], ["comments"], [], ["related"], ["related"],
                   ["related"], ["comments"], ["cookie"], ["ads"], ["navigation"], []]
    assert np.all(F.column("related_cues_before") == np.log1p(np.array([0, 1, 1, 2, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5])))


def test_fragments_are_one_paragraph_of_their_page_with_its_label_at_even_odds():
    docs = synthetic_docs(200)
    out = fragments(docs, random.Random(4), 1.0)
    assert len(out) >= 150  # every page with both labels gives one
    by_id = {d.id: d for d in docs}
    for f in out:
        page = by_id[f.id.removesuffix("#fragment")]
        assert len(f.texts) == 1 and (f.texts[0], f.labels[0]) in set(zip(page.texts, page.labels))
        assert f.labels[0] == "boilerplate" or len(f.texts[0].split()) >= FRAGMENT_WORDS
    share = sum(f.labels[0] == "content" for f in out) / len(out)
    assert 0.35 < share < 0.65
    assert len(fragments(docs, random.Random(4), 0.2)) < len(out) / 2
