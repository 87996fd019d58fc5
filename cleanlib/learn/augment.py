"""Synthetic training documents: the patterns the product must get right, taught explicitly where the corpora
hold too few of them. Every function takes labeled documents and a ``random.Random`` and returns new
documents (copies; the inputs are not changed), so a rebuild with the same seed is the same. ``add_trailers``
returns every document, a share of them with a trailer; the others return only the new documents.

- ``add_trailers``: after the body, a credit line (meta), a cue line ("Watch Next:") and the teaser of an
  unrelated story (both boilerplate): the seed article's trailer.
- ``related_blocks``: a cue line in the page's language ("Lesen Sie auch:", "Te puede interesar") and a list
  of other pages' headlines, some with a teaser sentence (boilerplate).
- ``comment_threads``: a comment section after the body: a heading, then comments of a name line, a date
  line, one or two paragraphs written as sentences (other pages' text) and a reply line (all boilerplate).
- ``short_articles``: an article cut down to its title and one to three body paragraphs, with the share and
  subscribe lines around them: a short article must not vanish.
- ``without_article``: a page's boilerplate alone: a page with no article keeps nothing.
- ``fragments``: one paragraph of a page alone, content or boilerplate at even odds: a text of one line
  is judged by what it says ("Subscribe to our newsletter" is not an article because nothing surrounds it).
- ``precleaned``: a page after a first, rough boilerplate removal (as crawl text often is): its content and
  meta with a few of its boilerplate lines left in place. Most of such a text is to be kept, its short
  lines too, and the leftovers still removed.

Cue phrases come from ``cleanlib.core.cues``, the same lists the features use.
"""
from __future__ import annotations

import random
import re
from typing import Iterator, Sequence

from ..core.cues import CUES
from ..data import LabeledDoc

__all__ = ["add_trailers", "related_blocks", "comment_threads", "short_articles", "without_article", "precleaned",
           "fragments", "pick_fragment",
           "doc_language", "comment_lines", "COMMENT_HEADS"]

CREDITS = ["By {a}. Additional reporting by {b}.", "Reporting by {a}; Editing by {b}", "(Reporting by {a}; writing by {b})",
           "By {a} and {b}.", "{a} contributed to this report.", "Written by {a}. Edited by {b}."]
# a fundus page's country folder -> the language its cue lines are written in (others: English)
_COUNTRY_LANGUAGE = {"de": "de", "at": "de", "ch": "de", "li": "de", "lu": "de", "fr": "fr", "be": "fr", "es": "es",
                     "mx": "es", "py": "es", "it": "it", "pt": "pt", "nl": "nl", "se": "sv", "no": "no", "dk": "da",
                     "fi": "fi", "pl": "pl", "cz": "cs", "tr": "tr", "ru": "ru", "ua": "uk", "jp": "ja", "cn": "zh",
                     "tw": "zh", "kr": "ko"}
_FIRST_NAMES = ["Mike", "Anna", "Peter", "Maria", "John", "Laura", "Ahmed", "Sofia", "Jens", "Lucía", "Marco", "Yuki",
                "Olga", "Tom", "Fatima", "Pierre", "Ingrid", "Carlos", "Emma", "Raj"]
_SURNAMES = ["Smith", "Müller", "García", "Rossi", "Dubois", "Nowak", "Jensen", "Kowalski", "Tanaka", "Silva", "Berg",
             "O'Brien", "Schmidt", "López", "Virtanen", "Novák", "Yılmaz", "Ivanova", "Kim", "Patel"]
COMMENT_HEADS = {"en": ["{n} Comments", "Comments ({n})", "Comments", "{n} Responses", "Join the discussion"],
                  "de": ["{n} Kommentare", "Kommentare ({n})", "Kommentare", "Diskussion"],
                  "fr": ["{n} commentaires", "Commentaires", "Réagir"],
                  "es": ["{n} comentarios", "Comentarios ({n})", "Comentarios"],
                  "it": ["{n} commenti", "Commenti"], "nl": ["{n} reacties", "Reacties"], "pt": ["{n} comentários"]}
_REPLIES = {"en": ["Reply", "Reply ↓", "Like · Reply", "Report", "{n} likes", "Log in to reply"],
            "de": ["Antworten", "Melden", "{n} Likes"], "fr": ["Répondre", "Signaler"], "es": ["Responder", "Denunciar"],
            "it": ["Rispondi"], "nl": ["Beantwoorden"], "pt": ["Responder"]}
_DATES = {"en": ["{month} {d}, {y} at {h}:{m:02d} pm", "{month} {d}, {y} at {h}:{m:02d} am", "{n} days ago",
                 "{n} hours ago", "{d} {month} {y}", "{y}-{mo:02d}-{d:02d} {h}:{m:02d}"],
          "de": ["{d:02d}.{mo:02d}.{y}, {h}:{m:02d} Uhr", "vor {n} Stunden", "vor {n} Tagen", "{d}. {month} {y}"],
          "fr": ["{d} {month} {y} à {h}h{m:02d}", "il y a {n} heures"], "es": ["{d} de {month} de {y}", "hace {n} horas"]}
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+")


def doc_language(d: LabeledDoc) -> str:
    """The language a document's synthetic lines are written in: its country's, for fundus; else English."""
    return _COUNTRY_LANGUAGE.get(str(d.extra.get("country", "")), "en")


def _insert_after_body(rng: random.Random, d: LabeledDoc, block: list[str], kinds: list[str],
                       suffix: str = "") -> LabeledDoc:
    """A copy of ``d`` (id + ``suffix``) with ``block`` after its last content paragraph (or at its end, half
    the time)."""
    texts, labels = list(d.texts), list(d.labels)
    content_at = [i for i, l in enumerate(labels) if l == "content"]
    at = content_at[-1] + 1 if content_at and rng.random() < 0.5 else len(texts)
    texts[at:at] = block
    labels[at:at] = kinds
    return LabeledDoc(d.id + suffix, texts, labels, d.extra)


def _by_language(docs: Sequence[LabeledDoc], label: str, lo: int, hi: int,
                 keep=lambda t: True) -> dict[str, list[str]]:
    """Paragraphs of a label with lo..hi words (that ``keep`` accepts), by document language."""
    pools: dict[str, list[str]] = {}
    for d in docs:
        pools.setdefault(doc_language(d), []).extend(
            t for t, l in zip(d.texts, d.labels) if l == label and lo <= len(t.split()) <= hi and keep(t))
    return pools


_BYLINE_OR_DATE = re.compile(r"(?i)^\W*(?:by|von|por|par|di|door|av)\b|\d{4}|\d{1,2}[.:/]\d{1,2}")


def _headline(text: str) -> bool:
    """A meta paragraph that reads as a headline: no byline, no date, no sentence punctuation at its end."""
    return "\n" not in text and not _BYLINE_OR_DATE.search(text) and text.rstrip()[-1:] not in ".:;,"


def _cue(rng: random.Random, kind: str, lang: str) -> str:
    """A cue line of a kind in a language (English where that language has none), in a random casing and ending."""
    phrases = CUES[kind].get(lang) or CUES[kind]["en"]
    p = rng.choice(phrases)
    p = rng.choice([p.capitalize(), p.upper(), p.title(), p])
    return p + rng.choice(["", ":", ":", " »", " ›"])


def add_trailers(docs: Sequence[LabeledDoc], rng: random.Random, share: float) -> list[LabeledDoc]:
    """All of ``docs``, a ``share`` of them (copies) with a synthetic credit line, cue line and unrelated teaser."""
    authors = [a for a in (d.extra.get("author", "") for d in docs) if a and len(a.split()) <= 4] or ["Jane Doe", "John Roe"]
    pools = _by_language(docs, "content", 15, 80)
    out = []
    for d in docs:
        teasers = _in(pools, doc_language(d))
        if teasers and "content" in d.labels and rng.random() < share:
            trailer, kinds = [], []
            if rng.random() < 0.5:
                trailer.append(rng.choice(CREDITS).format(a=rng.choice(authors), b=rng.choice(authors)))
                kinds.append("meta")
            trailer += [_cue(rng, "related", doc_language(d)), rng.choice(teasers)]
            kinds += ["boilerplate", "boilerplate"]
            d = _insert_after_body(rng, d, trailer, kinds)
        out.append(d)
    return out


def _chosen(docs: Sequence[LabeledDoc], rng: random.Random, share: float) -> Iterator[LabeledDoc]:
    """A ``share`` of the documents that have content, drawn with ``rng``."""
    return (d for d in docs if "content" in d.labels and rng.random() < share)


def _in(pools: dict[str, list[str]], lang: str) -> list[str]:
    """The pool of a language, or English's where it has none."""
    return pools.get(lang) or pools.get("en") or []


def related_blocks(docs: Sequence[LabeledDoc], rng: random.Random, share: float) -> list[LabeledDoc]:
    """New copies of a ``share`` of the article documents with a related-stories block after the body."""
    headlines = _by_language(docs, "meta", 4, 20, _headline)
    teasers = _by_language(docs, "content", 12, 60)
    out = []
    for d in _chosen(docs, rng, share):
        lang = doc_language(d)
        heads, sentences = _in(headlines, lang), _in(teasers, lang)
        if len(heads) < 3:
            continue
        block = [_cue(rng, "related", lang)]
        with_teasers = rng.random() < 0.4 and sentences
        for _ in range(rng.randint(3, 6)):
            block.append(rng.choice(heads))
            if with_teasers:
                block.append(_SENTENCE_END.split(rng.choice(sentences))[0])
        out.append(_insert_after_body(rng, d, block, ["boilerplate"] * len(block), "#related"))
    return out


_COMMENT_FRAMES = ("name/date/body", "said/body/date", "body/posted", "name|date/body", "on-said/body")


def _comment(rng: random.Random, lang: str, bodies: list[str]) -> list[str]:
    """One synthetic comment in one of the shapes comment sections have: a name line and a date line above the
    text, "Name said..." above and the date below, "Posted by: Name | date" below, and so on; most times a
    reply line after it."""
    return [line for line, _ in comment_lines(rng, lang, bodies)]


def comment_lines(rng: random.Random, lang: str, bodies: list[str]) -> list[tuple[str, bool]]:
    """The lines of one synthetic comment (as ``_comment``), each with whether it is the comment's text (else
    a name, date or reply line)."""
    name = rng.choice([f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}", rng.choice(_FIRST_NAMES),
                       f"{rng.choice(_FIRST_NAMES).lower()}{rng.randint(1, 99)}"])
    date = rng.choice(_DATES.get(lang, _DATES["en"])).format(
        month=rng.choice(_MONTHS), d=rng.randint(1, 28), mo=rng.randint(1, 12), y=rng.randint(2009, 2026),
        h=rng.randint(1, 12), m=rng.randint(0, 59), n=rng.randint(2, 23))
    body = [(" ".join(_SENTENCE_END.split(rng.choice(bodies))[:rng.randint(1, 3)]), True)
            for _ in range(rng.choice([1, 1, 2]))]
    frame = rng.choice(_COMMENT_FRAMES)
    if frame == "name/date/body":
        head = [name, date] if rng.random() < 0.6 else [f"{name} says:", date]
        lines = [(h, False) for h in head] + body
    elif frame == "said/body/date":
        lines = [(f"{name} said...", False), *body, (date, False)]
    elif frame == "body/posted":
        lines = [*body, (f"Posted by: {name} | {date}", False)]
    elif frame == "name|date/body":
        lines = [(f"{name} | {date}", False), *body]
    else:
        lines = [(f"{name} on {date} said:", False), *body]
    if rng.random() < 0.6:
        lines.append((rng.choice(_REPLIES.get(lang, _REPLIES["en"])).format(n=rng.randint(1, 40)), False))
    return lines


def comment_threads(docs: Sequence[LabeledDoc], rng: random.Random, share: float,
                    long: float = 0.0, posts: Sequence[LabeledDoc] = (), post_share: float = 0.0) -> list[LabeledDoc]:
    """New copies of a ``share`` of the article documents with a comment thread after the body: 2-8 comments,
    or, for a ``long`` share of them, 10-40 (a thread longer than the article it follows). A comment's text is
    other articles' sentences, or (a ``post_share`` of the comments, where the language has some) a post of the
    forum pages ``posts``: people's own words, as real comments are."""
    bodies = _by_language(docs, "content", 8, 80)
    voices = _by_language(posts, "content", 5, 80, lambda t: "\n" not in t) if post_share > 0 else {}
    out = []
    for d in _chosen(docs, rng, share):
        lang = doc_language(d)
        pool, own_words = _in(bodies, lang), voices.get(lang, [])
        if not pool:
            continue
        n = rng.randint(10, 40) if long and rng.random() < long else rng.randint(2, 8)
        block = [rng.choice(COMMENT_HEADS.get(lang, COMMENT_HEADS["en"])).format(n=n)]
        for _ in range(n):
            block += _comment(rng, lang, own_words if own_words and rng.random() < post_share else pool)
        if rng.random() < 0.5:
            block.append(_cue(rng, "comments", lang))
        out.append(_insert_after_body(rng, d, block, ["boilerplate"] * len(block), "#comments"))
    return out


def short_articles(docs: Sequence[LabeledDoc], rng: random.Random, share: float) -> list[LabeledDoc]:
    """New documents: a ``share`` of the articles cut to 1-3 body paragraphs, the two paragraphs before them
    (title, byline) and up to four boilerplate paragraphs of the page after them."""
    out = []
    for d in docs:
        content_at = [i for i, l in enumerate(d.labels) if l == "content"]
        if len(content_at) < 2 or rng.random() >= share:
            continue
        first = content_at[0]
        last = content_at[min(rng.randint(1, 3), len(content_at)) - 1]
        tail = [i for i in range(last + 1, len(d.texts)) if d.labels[i] == "boilerplate"]
        keep = list(range(max(first - 2, 0), last + 1)) + sorted(rng.sample(tail, min(len(tail), rng.randint(0, 4))))
        out.append(LabeledDoc(f"{d.id}#short", [d.texts[i] for i in keep], [d.labels[i] for i in keep], d.extra))
    return out


def without_article(docs: Sequence[LabeledDoc], rng: random.Random, share: float) -> list[LabeledDoc]:
    """New documents: a ``share`` of the pages with their content and meta paragraphs taken out."""
    out = []
    for d in docs:
        rest = [t for t, l in zip(d.texts, d.labels) if l == "boilerplate"]
        if "content" in d.labels and len(rest) >= 3 and rng.random() < share:
            out.append(LabeledDoc(f"{d.id}#bare", rest, ["boilerplate"] * len(rest), d.extra))
    return out


def precleaned(docs: Sequence[LabeledDoc], rng: random.Random, share: float) -> list[LabeledDoc]:
    """New documents: a ``share`` of the pages with every content and meta paragraph and a random 5-40% of
    their boilerplate paragraphs, in page order."""
    out = []
    for d in docs:
        if "content" not in d.labels or rng.random() >= share:
            continue
        q = rng.uniform(0.05, 0.4)
        keep = [i for i, l in enumerate(d.labels) if l != "boilerplate" or rng.random() < q]
        out.append(LabeledDoc(f"{d.id}#precleaned", [d.texts[i] for i in keep], [d.labels[i] for i in keep], d.extra))
    return out


FRAGMENT_WORDS = 5  # a content paragraph alone is one of this many words or more (a sentence, not a sub-heading)


def pick_fragment(texts: Sequence[str], labels: Sequence[str], rng: random.Random) -> tuple[int, str] | None:
    """A paragraph to stand alone, as (index, label): at even odds one of the content paragraphs of
    ``FRAGMENT_WORDS`` words or more, or one of the boilerplate paragraphs; None unless the page has both."""
    body = [i for i, (t, l) in enumerate(zip(texts, labels)) if l == "content" and len(t.split()) >= FRAGMENT_WORDS]
    rest = [i for i, l in enumerate(labels) if l == "boilerplate"]
    if not body or not rest:
        return None
    label = "content" if rng.random() < 0.5 else "boilerplate"
    return rng.choice(body if label == "content" else rest), label


def fragments(docs: Sequence[LabeledDoc], rng: random.Random, share: float) -> list[LabeledDoc]:
    """New documents of one paragraph: for a ``share`` of the pages that have both, one of their content
    paragraphs of ``FRAGMENT_WORDS`` words or more, or (at even odds) one of their boilerplate paragraphs."""
    out = []
    for d in docs:
        if rng.random() >= share:
            continue
        picked = pick_fragment(d.texts, d.labels, rng)
        if picked is not None:
            i, label = picked
            out.append(LabeledDoc(f"{d.id}#fragment", [d.texts[i]], [label], d.extra))
    return out
