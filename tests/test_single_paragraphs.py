"""training/single_paragraphs.py: lone paragraphs drawn from labeled pages, scored by what clean keeps (fast)."""
from cleanlib import Cleaner
from cleanlib.data import LabeledDoc

from conftest import synthetic_docs, training_script


def test_each_page_gives_a_content_sentence_and_a_boilerplate_line():
    mod = training_script("single_paragraphs")
    docs = [LabeledDoc(d.id, d.texts, d.labels, {"renderer": "html_text"}) for d in synthetic_docs(10)]
    docs.append(LabeledDoc("other", ["Home", "A sentence of the body here."], ["boilerplate", "content"],
                           {"renderer": "wet"}))  # another rendering: not drawn
    pairs = mod.lone_paragraphs(docs, "html_text", pages=8)
    assert len(pairs) == 16 and [l for _, l in pairs] == ["content", "boilerplate"] * 8
    for text, label in pairs:
        assert any((text, label) in zip(d.texts, d.labels) for d in docs[:10])
        n = len(text.split())
        assert n >= mod.CONTENT_WORDS if label == "content" else 0 < n < mod.PROSE_WORDS
    assert mod.lone_paragraphs(docs, "html_text", pages=8) == pairs  # a fixed sample


def test_scores_read_what_clean_keeps():
    mod = training_script("single_paragraphs")
    keep_all = Cleaner(threshold=0.0, rescue=False)
    pairs = [("The council approved the new budget for the city schools on Tuesday.", "content"),
             ("Share this article", "boilerplate"), ("Home", "boilerplate")]
    s = mod.scores(keep_all, pairs)
    assert s == {"content kept": 1.0, "short content kept": 1.0, "short sentences kept": 1.0, "lines removed": 0.0,
                 "balanced": 0.5}
    none = mod.scores(Cleaner(threshold=1.0, rescue=False), pairs)
    assert none["content kept"] == 0.0 and none["lines removed"] == 1.0


def test_lone_blocks_are_pages_of_one_block_labeled_by_the_gold():
    import pytest

    pytest.importorskip("selectolax", reason="the html extra is not installed (pip install 'cleanlib-text[html]')")
    from cleanlib.corpora.common import Page
    from cleanlib.learn.align import Gold
    from cleanlib.html.dom import html_blocks

    mod = training_script("single_paragraphs")
    body = "The council met on Tuesday and approved the plan for the new bridge."
    pages = [Page(f"p{i}", f"<html><body><ul><li><a href='/'>Home</a></li></ul><p>{body} {i}</p>"
                  f"<footer>Share this story</footer></body></html>".encode(), Gold(f"{body} {i}"), f"p{i}")
             for i in range(6)]
    pairs = mod.lone_blocks(pages, count=4)
    assert len(pairs) == 8 and [l for _, l in pairs] == ["content", "boilerplate"] * 4
    for page, label in pairs:
        (text,) = html_blocks(page).texts
        assert text.startswith(body) if label == "content" else text in {"Home", "Share this story"}
        assert mod._words(page) == text
    assert mod.lone_blocks(pages, count=4) == pairs  # a fixed sample
