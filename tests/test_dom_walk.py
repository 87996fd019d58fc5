"""The compiled DOM walk (cleanlib/html/_walk.c) gives exactly the Python walk's blocks (cleanlib.html.dom._walk).

Every field of ``Blocks`` is compared, on pages made here that reach each branch of the walk, on the
hostile shapes, and on a sample of the real pages in ../shared/data when it is there.
"""
import dataclasses
import gzip
import random

import numpy as np
import pytest

pytest.importorskip("selectolax", reason="the 'html' extra is not installed")

from cleanlib.html import dom, native_walk  # noqa: E402
from conftest import SHARED  # noqa: E402

pytestmark = pytest.mark.skipif(native_walk._walk is None,
                                reason="the C extension cleanlib.html._walk is not compiled in this install")


@pytest.fixture(autouse=True)
def _restore_choice():
    native_walk.enabled(dom._parser_class())
    before = native_walk._STATE["enabled"]
    yield
    native_walk._STATE["enabled"] = before


def blocks(html, compiled: bool) -> dom.Blocks:
    native_walk._STATE["enabled"] = compiled
    return dom.html_blocks(html)


def differences(html) -> list[str]:
    """The Blocks fields in which the two walks differ on ``html``."""
    a, b = blocks(html, True), blocks(html, False)
    bad = []
    for f in dataclasses.fields(dom.Blocks):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or x.shape != y.shape or not np.array_equal(x, y):
                bad.append(f.name)
        elif x != y:
            bad.append(f.name)
    return bad


def test_the_compiled_walk_is_in_use_where_it_is_compiled():
    assert native_walk.enabled(dom._parser_class())  # the layout check on a real text node passed


def test_html_blocks_runs_the_compiled_walk_when_chosen(monkeypatch):
    calls = []
    real = native_walk._walk

    class Spy:
        def walk(self, *args):
            calls.append(args)
            return real.walk(*args)

    monkeypatch.setattr(native_walk, "_walk", Spy())
    assert blocks("<p>x</p>", True).texts == ["x"] and len(calls) == 1
    assert blocks("<p>x</p>", False).texts == ["x"] and len(calls) == 1


SPACES = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())

PAGES = {
    "plain": "<html><head><title>T</title></head><body><p>One <b>two</b> three.</p></body></html>",
    "every white space": f"<p>a{SPACES}b {SPACES}</p><p>{SPACES}</p><div>x\u200by\ufeffz</div>",
    "br lines": "<p>first<br>  <br>second <br/>third<br></p><div><br>only</div><p><br></p>",
    "anonymous runs": "<div>intro <p>para</p> tail <span>more</span><section>s</section> end</div>",
    "links": "<ul><li><a href='/a'>Home</a> | <a>no href</a> <a href=''><b>bold</b> link</a></li></ul>",
    "pre": "<pre>\n\n  keep   this\n<br>  and <b>that</b>  \n\n</pre><textarea>  t  </textarea><pre>   </pre>",
    "pre in div": "<div>before<pre> x <p>inside</p> y </pre>after</div>",
    "tokens": ("<div id='main-col' class='article_body storyText'><div class='a b c' role='main article'>"
               "<div itemprop='articleBody name' class=''><span class='inline'>text</span></div></div>"
               "<p class='comment reply' id='c-123'>c</p></div>"),
    "comment sections": ("<body class='verbosa-comment-placeholder'><article class='has-comments'><p>a</p></article>"
                         "<div id='comments'><ol class='commentlist'><li class='comment even'><p>c</p></li></ol>"
                         "<div id='respond'><h3>Leave a Reply</h3></div></div>"
                         "<h2 id='respond-to-review-comments'>h</h2><div class='no-comments'>n</div></body>"),
    "deep tokens": "".join(f"<div class='lvl{i}'>" for i in range(14)) + "deep<p>p</p>" + "</div>" * 14,
    "duplicates": "<div class='a' class='b' id='x' id='y'>dup</div>",
    "roles": ("<div role='navigation'><a href='/'>x</a></div><main><article><p role='alert'>y</p>"
              "</article></main><footer role='contentinfo'>z</footer>"),
    "custom and unknown": "<my-widget class='w'><p>inside custom</p></my-widget><blink>old</blink><foo>bar</foo>",
    "skipped": ("<p>a<script>var x</script><style>p{}</style><!-- comment -->b<img src=x>c<svg><text>s</text>"
                "</svg></p><noscript>ns</noscript>"),
    "hidden": "<p hidden>h</p><p style='display:none'>n</p><p aria-hidden='true'>a</p><p>shown</p>",
    "tables and forms": ("<table><tr><td>1</td><td>2 <b>b</b></td></tr></table><select><option>o1"
                         "<option>o2</select><form><label>L <input></label><button>B</button></form>"),
    "entities and scripts": "<p>caf&eacute; &amp; &#x1F600; \u4e2d\u6587 \u0645\u0631\u062d\u0628\u0627</p>",
    "empty": "",
    "text only": "just text, no tags at all",
    "noscript page": "<html><head><title>T</title></head><body><noscript><p>all the text</p></noscript></body>",
    "nested inline": "<p><span><a href='x'><em>deep <strong>link</strong></em></a> after</span></p>",
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_same_blocks_on_made_pages(name):
    assert differences(PAGES[name]) == []


def test_the_made_pages_reach_the_branches():
    b = blocks(PAGES["links"], True)
    assert b.link_chars.tolist() == [len("Home") + len("boldlink")]
    b = blocks(PAGES["br lines"], True)
    assert b.texts[0] == "first\nsecond\nthird"
    b = blocks(PAGES["pre"], True)
    assert b.texts[0] == "  keep   this\n\n  and that" and b.preformatted[0]
    b = blocks(PAGES["tokens"], True)
    assert {"article", "body", "story", "text", "main", "col", "role:main", "itemprop:articlebody"} <= set(b.token_text)
    assert blocks(PAGES["every white space"], True).texts[0] == "a b"


def test_same_blocks_on_hostile_shapes():
    rng = random.Random(0)
    tags = ["div", "p", "span", "a href='#'", "li", "pre", "b", "section", "td", "br", "table", "ul"]
    soup = []
    for _ in range(3000):
        t = rng.choice(tags)
        soup.append(rng.choice([f"<{t}>", f"</{t.split()[0]}>", " words  here ", "\n", "<br>", "&nbsp;x"]))
    pages = ["<div>" * 3000 + "deep" + "</div>" * 3000, "<b>" * 20_000 + "x", "x" * 200_000,
             "".join(soup), "<p>" + "word " * 50_000 + "</p>", "<ul>" + "<li><a href=/>l</a>" * 5000 + "</ul>"]
    for page in pages:
        assert differences(page) == []


def test_text_that_is_not_utf8_falls_back_to_the_python_walk():
    tree = dom._parser_class()(b"<p>caf\xe9 \xff</p>")  # lexbor passes bytes it cannot decode through
    tables = dom._tables()
    cols = native_walk.walk_columns(tree.root, tables.info, tables.names, dom._OTHER_CODE, {}, "html", dom._TEXT_ID)
    assert cols is None
    assert differences(b"<p>caf\xe9 \xff</p>") == []  # html_blocks decodes bytes before parsing
    assert len(dom.html_blocks(b"<p>caf\xe9 \xff</p>").texts) == 1


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not here")
@pytest.mark.parametrize("corpus", ["scrapinghub", "wcxb-dev", "dragnet", "fundus", "cleaneval-dev"])
def test_same_blocks_on_real_pages(corpus):
    files = sorted((SHARED / corpus).rglob("*.html.gz"))
    assert files
    for path in random.Random(1).sample(files, min(40, len(files))):
        assert differences(gzip.open(path).read()) == [], path
