"""Read the corpora of ``../shared/data`` into pages and labeled documents, exactly as training prepares them.

Each reader gives ``Page`` records (the page's HTML, its gold text, and the group it is held out by); a page
is rendered to plain text (``RENDERINGS``: html-text, resiliparse, and resiliparse one block a line, the
shape of a crawl's WET text; and "dom", cleanlib's own blocks from the DOM), split into paragraphs and labeled by alignment with its gold
(:func:`cleanlib.learn.align.label_paragraphs`). Every document's ``extra`` holds ``renderer``, ``group``
(shared by a page's renderings, so hold-out splits and cross-validation folds never separate them), ``gold``
(the gold main text, which evaluation scores against) and ``page_type``.

Training corpora: WCXB-dev, fundus, readability. Validation only: scrapinghub (reported, never tuned on),
dragnet, cleaneval-dev, turku-lines.
"""
from .cleaneval import cleaneval_pages, cleaneval_text
from .common import (RENDERINGS, TEXT_RENDERINGS, Page, as_lines, html_docs, is_heldout, page_docs, page_html,
                     page_texts, render)
from .dragnet import dragnet_pages, split_comments
from .fundus import fundus_gold, fundus_pages
from .readability import readability_pages
from .scrapinghub import load_scrapinghub, scrapinghub_gold, scrapinghub_page_docs, scrapinghub_pages
from .turku import TURKU_LANGUAGES, turku_docs
from .wcxb import load_wcxb, wcxb_gold, wcxb_page_docs, wcxb_page_types, wcxb_pages

__all__ = ["RENDERINGS", "TEXT_RENDERINGS", "Page", "as_lines", "is_heldout", "page_docs", "page_html", "page_texts",
           "html_docs", "render", "CORPORA", "TRAINING_CORPORA",
           "wcxb_page_types", "wcxb_gold", "wcxb_page_docs", "wcxb_pages", "load_wcxb",
           "scrapinghub_gold", "scrapinghub_page_docs", "scrapinghub_pages", "load_scrapinghub",
           "fundus_pages", "fundus_gold", "readability_pages", "dragnet_pages", "split_comments",
           "cleaneval_pages", "cleaneval_text", "turku_docs", "TURKU_LANGUAGES"]

# corpus -> (reader of its pages, its folder in ../shared/data); turku-lines has no HTML (turku_docs)
CORPORA = {
    "wcxb": (wcxb_pages, "wcxb-dev"), "fundus": (fundus_pages, "fundus"), "readability": (readability_pages, "readability"),
    "dragnet": (dragnet_pages, "dragnet"), "cleaneval": (cleaneval_pages, "cleaneval-dev"),
    "scrapinghub": (scrapinghub_pages, "scrapinghub"),
}
TRAINING_CORPORA = ("wcxb", "fundus", "readability")  # the shipped models may learn from these only
