"""Synthetic comment threads in HTML: where they go and how they read as blocks."""
import random

import pytest

pytest.importorskip("selectolax", reason="the html extra is not installed (pip install 'cleanlib-text[html]')")

from cleanlib.html.dom import html_blocks  # noqa: E402
from cleanlib.learn.html_augment import flat_thread_html, thread_html, with_thread  # noqa: E402

BODIES = ["I walk across that bridge every morning. It is about time they fixed it.",
          "Great reporting as always. The council should have acted years ago."]


def test_a_thread_has_a_heading_and_every_comment_text():
    for seed in range(20):
        rng = random.Random(seed)
        thread = thread_html(rng, "en", BODIES, 5)
        texts = html_blocks(f"<html><body>{thread}</body></html>").texts
        assert texts[0].split()[0] in {"5", "Comments", "Join"}  # the heading first: "5 Comments", "Comments (5)", ...
        assert sum(any(t in b for b in BODIES) for t in texts) >= 5  # a comment text is one to three sentences of a body


def test_a_thread_goes_after_the_article_or_before_the_body_ends():
    page = "<html><body><article><p>Story</p></article><footer>Footer</footer></body></html>"
    places = set()
    for seed in range(30):
        texts = html_blocks(with_thread(page, "<div><p>THREAD</p></div>", random.Random(seed))).texts
        assert texts[0] == "Story" and texts[-1] == "Footer"
        places.add(texts.index("THREAD"))
    assert places == {1}
    inside = [html_blocks(with_thread(page, "<div><p>THREAD</p></div>", random.Random(s))).in_main[1] for s in range(30)]
    assert 0 < sum(inside) < 30  # inside the article some of the time, after it the rest
    no_article = "<html><body><p>Story</p><footer>Footer</footer></body></html>"
    assert html_blocks(with_thread(no_article, "<p>THREAD</p>", random.Random(0))).texts == ["Story", "Footer", "THREAD"]


def test_a_flat_thread_keeps_each_comment_text_in_a_bare_div_and_its_name_line_beside_it():
    for seed in range(20):
        rng = random.Random(seed)
        thread = flat_thread_html(rng, "en", BODIES, 4)
        b = html_blocks(f"<html><body><article><p>Story.</p></article>{thread}</body></html>")
        assert b.texts[0] == "Story." and b.texts[1].split()[0] in {"4", "Comments", "Join"}
        bodies = [i for i, t in enumerate(b.texts) if any(t in body for body in BODIES)]
        lines = [i for i in range(2, len(b)) if i not in bodies]
        assert len(bodies) >= 4 and lines  # each comment's text, and its name/date lines
        # a comment's text sits in a <div> of its own; a name or date line is a <p> outside it, as a byline is
        assert all(b.containers[i, 0] != b.containers[bodies[0], 0] for i in lines)
        assert all(b.tag[i] in ("p", "h3") for i in lines)


def test_a_fragment_is_one_block_in_its_own_tag():
    from cleanlib.learn.html_augment import fragment_html

    one = html_blocks(fragment_html("Fish & chips <tonight>", "h2", False))
    assert one.texts == ["Fish & chips <tonight>"] and one.tag == ["h2"] and one.link_chars[0] == 0
    item = html_blocks(fragment_html("Home", "li", True))
    assert item.texts == ["Home"] and item.tag == ["li"] and item.link_chars[0] == item.chars[0]
    assert html_blocks(fragment_html("A caption", "marquee", False)).tag == ["p"]  # not a plain block's tag
