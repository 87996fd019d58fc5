import pytest

pytest.importorskip("html_text", reason="the 'html' extra is not installed")
pytest.importorskip("resiliparse", reason="the 'html' extra is not installed")

from cleanlib.html.render import RENDERERS, html_to_text  # noqa: E402
from cleanlib.core.segment import split_paragraphs  # noqa: E402

PAGE = ("<html><head><meta charset='utf-8'><title>T</title><script>var x=1;</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><h1>Bridge plans</h1>"
        "<p>The council approved the bridge.</p><p>Work starts in spring — café owners cheered.</p></body></html>")


@pytest.mark.parametrize("renderer", RENDERERS)
def test_renderers_give_paragraphs(renderer):
    for page in (PAGE, PAGE.encode("utf-8")):
        text = html_to_text(page, renderer)
        paras = split_paragraphs(text).texts
        assert "Bridge plans" in paras and "The council approved the bridge." in paras
        assert "var x" not in text and "café" in text


def test_unknown_renderer():
    with pytest.raises(ValueError, match="unknown renderer"):
        html_to_text(PAGE, "lynx")


@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_page_whose_text_is_all_in_noscript_is_not_rendered_empty(renderer):
    page = ("<html><head><title>Forum</title></head><body><div id='app'></div><noscript><h1>Thread title</h1>"
            "<p>The first post of the thread, long enough to read.</p></noscript></body></html>")
    assert "The first post of the thread, long enough to read." in split_paragraphs(html_to_text(page, renderer)).texts
