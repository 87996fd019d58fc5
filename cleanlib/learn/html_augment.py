"""Synthetic comment threads in HTML pages, for the HTML model's training (``Recipe.html_threads``).

The training pages hold few articles with a comment thread (56 of 851), and WCXB's forum pages put their
posts, which are content, under the same class names ("comment", "commentbody", "reply"). ``with_thread``
adds a thread to an article page's HTML, as comment sections are marked up: a box (``<div id="comments">``,
``<ol class="commentlist">``, ``<div id="disqus_thread">``, ... or no telling name at all), a heading
("12 Comments"), then comments of a name line, a date line, one or two paragraphs of other pages' text and a
reply link (``augment.comment_lines``), and most times a "Leave a reply" heading. It goes after the page's
last ``</article>``, inside it, or before ``</body>``. The thread's text is in no page's gold, so the
alignment labels every block of it boilerplate.

``fragment_html`` makes a page of one block (``Recipe.html_fragments``): a block's text in its own tag only, as
a snippet comes (an RSS item's description, one element scraped), so that a block alone is learned, not guessed.
"""
from __future__ import annotations

import html as html_lib
import random
from typing import Any, Sequence

from .augment import COMMENT_HEADS, _cue, comment_lines

__all__ = ["block_alone", "flat_thread_html", "fragment_html", "thread_html", "with_thread"]

# (tag, attributes) of the box around a thread; the empty ones have no telling class or id name
_BOXES = [("div", 'id="comments" class="comments-area"'), ("section", 'class="comments"'), ("div", 'id="disqus_thread"'),
          ("ol", 'class="commentlist"'), ("div", 'class="responses"'), ("div", 'id="discussion"'),
          ("ul", 'class="comment-list"'), ("div", 'class="reader-comments"'), ("div", 'id="feedback"'),
          ("div", 'class="cmt-list"'), ("div", ""), ("section", 'class="wrapper"'), ("div", 'class="box"')]
# attributes of one comment (``{i}``: its number), and of its name and date lines
_ITEMS = ['class="comment"', 'class="comment even thread-even depth-1" id="comment-{i}"', 'class="commentbody"',
          'class="cmt"', 'id="c{i}"', 'class="comment-item"', 'class="reply"', 'class="post"', '', 'class="entry"']
_META = ['class="comment-author vcard"', 'class="comment-meta"', 'class="author"', 'class="byline"', 'class="date"',
         'class="posted"', 'class="cmt-header"', '']


def _escape(text: str) -> str:
    return html_lib.escape(text, quote=False)


# the tags a block alone keeps as its own; any other block tag is written as <p>
FRAGMENT_TAGS = frozenset({"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "blockquote", "figcaption",
                           "dd", "dt", "section", "span", "header", "footer"})


def fragment_html(text: str, tag: str, linked: bool) -> str:
    """One block alone: ``text`` in its own ``tag`` (``<p>`` where the tag is not a plain block's), wrapped in a
    link where ``linked`` (the block was mostly link text); ``<li>`` inside a ``<ul>``."""
    tag = tag if tag in FRAGMENT_TAGS else "p"
    inner = f'<a href="/">{_escape(text)}</a>' if linked else _escape(text)
    block = f"<{tag}>{inner}</{tag}>"
    return f"<ul>{block}</ul>" if tag == "li" else block


def block_alone(blocks: Any, i: int) -> str:
    """Block ``i`` of a page's ``Blocks`` as a page of its own (``fragment_html``: a link where most of its
    characters are link text)."""
    return fragment_html(blocks.texts[i], blocks.tag[i], 2 * int(blocks.link_chars[i]) > int(blocks.chars[i]))


def thread_html(rng: random.Random, lang: str, bodies: list[str], n: int, voices: Sequence[str] = (),
                voice_share: float = 0.0) -> str:
    """The HTML of a comment thread of ``n`` comments in language ``lang``, their text drawn from ``bodies``
    (or, a ``voice_share`` of the comments, from ``voices``: forum posts)."""
    box, attrs = rng.choice(_BOXES)
    item = "li" if box in ("ol", "ul") else rng.choice(["div", "div", "article"])
    inner, meta = rng.choice(_ITEMS), rng.choice(_META)
    head = rng.choice(COMMENT_HEADS.get(lang, COMMENT_HEADS["en"])).format(n=n)
    comments = []
    for _ in range(n):
        lines = [f"<p>{_escape(text)}</p>" if is_body else f"<div {meta}>{_escape(text)}</div>"
                 for text, is_body in comment_lines(
                     rng, lang, voices if voices and rng.random() < voice_share else bodies)]
        comments.append(f"<{item} {inner.format(i=rng.randint(1000, 999999))}>{''.join(lines)}</{item}>")
    body = "".join(comments)
    if item == "li":  # the list inside a box of its own
        body = f"<{box} {attrs}>{body}</{box}>"
        box, attrs = "div", rng.choice(['id="comments"', ""])
    tail = f"<h3>{_escape(_cue(rng, 'comments', lang))}</h3>" if rng.random() < 0.6 else ""
    return f"<{box} {attrs}><h3>{_escape(head)}</h3>{body}{tail}</{box}>"


# a flat thread's comment (the text only), and the box around the whole thread (none half the time)
_FLAT_ITEMS = ['id="c{i}"', 'id="comment-{i}"', 'class="comment-content"', 'class="comment-body" id="c{i}"',
               '', 'class="text"']
_FLAT_BOXES = ["", "", 'id="comments"', 'class="comments"', 'class="content"', 'class="entry"']


def flat_thread_html(rng: random.Random, lang: str, bodies: list[str], n: int, voices: Sequence[str] = (),
                     voice_share: float = 0.0) -> str:
    """A comment thread as older blog engines (Movable Type, Blogger) mark it up: a heading, then for each
    comment its text in a bare ``<div>`` and its name and date line as a sibling ``<p>`` after (or before)
    it, the line's class the one an article's byline has ("posted", "byline", "date", ...)."""
    meta = rng.choice(_META)
    item = rng.choice(_FLAT_ITEMS)
    head = rng.choice(COMMENT_HEADS.get(lang, COMMENT_HEADS["en"])).format(n=n)
    tag = rng.choice(["h2", "h3", "h4"])
    parts = [f"<{tag}>{_escape(head)}</{tag}>"]
    for _ in range(n):
        lines = comment_lines(rng, lang, voices if voices and rng.random() < voice_share else bodies)
        first = next(i for i, (_, is_body) in enumerate(lines) if is_body)
        last = max(i for i, (_, is_body) in enumerate(lines) if is_body)
        parts += [f"<p {meta}>{_escape(t)}</p>" for t, _ in lines[:first]]
        parts.append(f"<div {item.format(i=rng.randint(1000, 999999))}>"
                     + "".join(f"<p>{_escape(t)}</p>" for t, _ in lines[first:last + 1]) + "</div>")
        parts += [f"<p {meta}>{_escape(t)}</p>" for t, _ in lines[last + 1:]]
    if rng.random() < 0.6:
        parts.append(f"<h3>{_escape(_cue(rng, 'comments', lang))}</h3>")
    box = rng.choice(_FLAT_BOXES)
    return f"<div {box}>{''.join(parts)}</div>" if box else "".join(parts)


def with_thread(page: str, thread: str, rng: random.Random) -> str:
    """``page`` (decoded HTML) with ``thread`` after its last ``</article>`` (or, a third of the time, just
    inside it), else before ``</body>``, else at its end."""
    lower = page.lower()
    end = lower.rfind("</article>")
    if end >= 0:
        at = end if rng.random() < 1 / 3 else end + len("</article>")
    else:
        at = lower.rfind("</body>")
        at = len(page) if at < 0 else at
    return page[:at] + thread + page[at:]
