"""HTML to plain text, the one rendering used by training, evaluation and users (extra ``cleanlib-text[html]``)."""
from __future__ import annotations

from typing import Callable

__all__ = ["RENDERERS", "decode_html", "html_to_text"]

RENDERERS = ("html_text", "resiliparse")


def decode_html(html: str | bytes) -> str:
    """Decode page bytes with the charset the page declares or that resiliparse detects."""
    if isinstance(html, str):
        return html
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    return bytes_to_str(html, detect_encoding(html))


def _html_text(html: str) -> str:
    import html_text

    return html_text.extract_text(html, guess_layout=True)


def _resiliparse(html: str) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(html)
    text = extract_plain_text(tree, main_content=False, alt_texts=False, links=False, list_bullets=True,
                              noscript=False)
    if not text.strip():  # pages that keep their whole text in <noscript> (Discourse forums, for one)
        text = extract_plain_text(tree, main_content=False, alt_texts=False, links=False, list_bullets=True,
                                  noscript=True)
    return text


_IMPL: dict[str, Callable[[str], str]] = {"html_text": _html_text, "resiliparse": _resiliparse}


def html_to_text(html: str | bytes, renderer: str = "html_text") -> str:
    """Render a whole page to plain text with one of ``RENDERERS`` (boilerplate included)."""
    try:
        impl = _IMPL[renderer]
    except KeyError:
        raise ValueError(f"unknown renderer {renderer!r}; choose one of {', '.join(RENDERERS)}") from None
    try:
        return impl(decode_html(html))
    except ImportError as e:
        raise ImportError(f"rendering HTML needs the 'html' extra: pip install 'cleanlib-text[html]' ({e})") from e
