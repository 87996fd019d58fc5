"""cleanlib.html.dom: text blocks of an HTML page and what is known about each, on small hand-written pages."""
import codecs
import gzip
import re
import zlib
from collections import Counter

import numpy as np
import pytest

pytest.importorskip("selectolax", reason="the 'html' extra is not installed")

from cleanlib.html.dom import (  # noqa: E402
    ANCESTOR_TAGS, BLOCK_TAGS, TOKEN_LEVELS, Blocks, ancestor_bit, blocks_text, decode_page, html_blocks, split_tokens,
)

from conftest import SHARED  # noqa: E402


def texts(html) -> list[str]:
    return html_blocks(html).texts


def bits(mask) -> set[str]:
    return {name for i, name in enumerate(ANCESTOR_TAGS) if int(mask) >> i & 1}


def tokens_of(blocks: Blocks, block: int) -> dict[int, list[str]]:
    """Tokens of one block by level."""
    out: dict[int, list[str]] = {}
    for b, level, word in zip(blocks.token_block.tolist(), blocks.token_level.tolist(), blocks.token_text):
        if b == block:
            out.setdefault(level, []).append(word)
    return out


# --- blocks: splitting, whitespace, skipping -----------------------------------------------------


def test_a_nested_block_splits_its_containers_text_in_three():
    b = html_blocks("<div>intro <p>para</p> tail</div>")
    assert b.texts == ["intro", "para", "tail"]
    assert b.tag == ["div", "p", "div"]
    # the text runs around <p> are anonymous blocks of the div, so all three are the div's children
    assert b.parent_id.tolist() == [b.node_index[0]] * 3
    assert b.parent_blocks.tolist() == [3, 3, 3] and b.parent_chars.tolist() == [13, 13, 13]


def test_inline_elements_stay_in_their_block():
    assert texts("<p>An <b>old</b> <em>bridge</em>, <a href='/x'>new</a> <span>plans</span><code>!</code></p>") == \
        ["An old bridge, new plans!"]
    assert texts("<p>no<b>space</b>between</p>") == ["nospacebetween"]


def test_block_level_elements_of_every_kind_are_blocks():
    page = ("<h1>Head</h1><ul><li>one<li>two</ul><ol><li>three</ol><dl><dt>term<dd>def</dl>"
            "<table><caption>cap</caption><tr><th>h</th><td>c</td></tr></table><blockquote>q</blockquote>"
            "<figure><img src=x><figcaption>fig</figcaption></figure><address>addr</address><hr>"
            "<section><h2>Sub</h2></section><details><summary>sum</summary>det</details>")
    b = html_blocks(page)
    assert list(zip(b.tag, b.texts)) == [
        ("h1", "Head"), ("li", "one"), ("li", "two"), ("li", "three"), ("dt", "term"), ("dd", "def"),
        ("caption", "cap"), ("th", "h"), ("td", "c"), ("blockquote", "q"), ("figcaption", "fig"),
        ("address", "addr"), ("h2", "Sub"), ("summary", "sum"), ("details", "det")]
    assert all(BLOCK_TAGS[c] == t for c, t in zip(b.tag_code.tolist(), b.tag))


def test_an_empty_block_element_still_breaks_the_line():
    assert texts("<body>before<hr>after<div></div>last</body>") == ["before", "after", "last"]


def test_whitespace_collapses_as_in_a_browser():
    assert texts("<p>\n   The  \t council\n\n approved&nbsp;&nbsp;it. </p><p>   </p>") == ["The council approved it."]


def test_br_is_a_line_break_inside_the_block_and_blank_lines_go():
    assert texts("<p>one<br>two<br><br>three<br></p>") == ["one\ntwo\nthree"]
    assert texts("<p><br>  <br>x</p>") == ["x"]


def test_pre_and_textarea_keep_their_whitespace():
    b = html_blocks("<p>a   b</p><pre>\n  def f():\n\n      return  1\n</pre><textarea>  x   y\n z</textarea>")
    assert b.texts == ["a b", "  def f():\n\n      return  1", "  x   y\n z"]
    assert b.preformatted.tolist() == [False, True, True]
    assert b.chars.tolist() == [2, 14, 3]


def test_scripts_styles_and_other_invisible_subtrees_are_skipped():
    page = ("<head><style>p{}</style><script>var a=1;</script><meta name=x content=y><link rel=x></head>"
            "<body><p>kept<script>var b;</script><!-- comment --></p><noscript>ns</noscript>"
            "<template><p>tpl</p></template><svg><title>icon</title><text>svg</text></svg><math><mi>x</mi></math>"
            "<iframe>if</iframe><object>obj</object><canvas>cv</canvas><video>vid</video>"
            "<p>img <img alt='ALT TEXT' src=x>end</p></body>")
    assert texts(page) == ["kept", "img end"]


def test_hidden_elements_are_skipped_with_their_subtree():
    page = ("<div hidden><p>h1</p></div><p aria-hidden='true'>h2</p><div style='display:none'><p>h3</p></div>"
            "<span style='COLOR: red; DISPLAY : NONE ;'>h4</span><p style='visibility: hidden'>h5</p>"
            "<input type=hidden value=h6><p aria-hidden='false'>shown1</p><p style='display: block'>shown2</p>"
            "<p hidden><span hidden>nested hidden</span></p><div style='overflow:hidden'>shown3</div>"
            "<p style='display:none!important'>h7</p><p style='x-display:none'>shown4</p>")
    assert texts(page) == ["shown1", "shown2", "shown3", "shown4"]


def test_a_hidden_body_is_not_taken_for_a_hidden_page():
    assert texts("<body style='display:none'><p>kept</p></body>") == ["kept"]


def test_a_page_whose_text_is_only_in_noscript_is_read_from_it():
    b = html_blocks("<title>Forum</title><div id=app></div><noscript><p>The first post.</p></noscript>")
    assert b.texts == ["Forum", "The first post."]


def test_title_is_a_block_at_its_place():
    b = html_blocks("<html><head><title>  The   Title </title></head><body><p>x</p></body></html>")
    assert list(zip(b.tag, b.texts)) == [("title", "The Title"), ("p", "x")]
    assert b.page.title == "The Title"
    assert "title" in bits(b.ancestors[0]) and "head" in bits(b.ancestors[0])


def test_entities_are_decoded():
    assert texts("<p>caf&eacute; &amp; &#x263A; &lt;b&gt;</p>") == ["café & ☺ <b>"]


def test_select_options_are_blocks_of_their_own():
    b = html_blocks("<form><label>Month <select><option>Jan</option><option selected>Feb</option></select></label>"
                    "<button>Go</button></form>")
    assert b.texts == ["Month", "Jan", "Feb", "Go"]
    assert {"select", "option", "form"} <= bits(b.ancestors[1])


def test_blocks_text_joins_blocks_with_blank_lines():
    b = html_blocks("<h1>T</h1><p>a</p><p>b</p>")
    assert blocks_text(b) == "T\n\na\n\nb"


# --- per-block columns ----------------------------------------------------------------------------


def test_columns_have_one_entry_a_block_and_documented_dtypes():
    b = html_blocks("<div class=a><p>one</p><p>two <a href=x>three</a></p></div>")
    n = len(b)
    assert n == 2
    for name, dtype in (("tag_code", np.int16), ("depth", np.int32), ("chars", np.int32), ("link_chars", np.int32),
                        ("ancestors", np.uint64), ("inner", np.uint64), ("in_main", np.bool_),
                        ("preformatted", np.bool_), ("node_index", np.int32), ("parent_id", np.int32),
                        ("parent_chars", np.int32), ("parent_blocks", np.int32)):
        arr = getattr(b, name)
        assert arr.dtype == dtype and arr.shape == (n,), name
    assert b.token_block.dtype == np.int32 and b.token_level.dtype == np.int8 and b.token_hash.dtype == np.uint32
    assert len(b.tag) == len(b.texts) == n


def test_link_chars_count_the_non_space_characters_inside_a_href():
    b = html_blocks("<p>Read <a href='/x'>more <b>here</b></a> now <a name=anchor>not a link</a></p>")
    assert b.chars.tolist() == [len("Readmoreherenownotalink")]
    assert b.link_chars.tolist() == [len("morehere")]


def test_depth_and_node_index_follow_the_document():
    b = html_blocks("<html><body><div><p>a</p></div><p>b</p></body></html>")
    assert b.depth.tolist() == [3, 2]  # html 0, body 1, div 2, p 3
    assert b.node_index.tolist() == sorted(b.node_index.tolist())
    assert 0 < b.node_index[-1] < b.n_nodes


def test_siblings_share_their_parent_id_and_its_totals():
    b = html_blocks("<ul><li>aa</li><li>bbb</li></ul><div><p>cccc</p><div><p>d</p></div></div>")
    assert b.parent_id[0] == b.parent_id[1] != b.parent_id[2]
    assert b.parent_chars[:2].tolist() == [5, 5] and b.parent_blocks[:2].tolist() == [2, 2]
    # the outer div totals every block inside it, the inner one only its own
    assert b.parent_chars[2] == 5 and b.parent_blocks[2] == 2
    assert b.parent_chars[3] == 1 and b.parent_blocks[3] == 1


def test_ancestor_bits_of_the_block_element_and_its_ancestors():
    page = ("<header><nav><ul><li><a href=/>Home</a></li></ul></nav></header>"
            "<main><article><h2>Title</h2><section><p>Body</p><blockquote><p>Quote</p></blockquote></section>"
            "</article></main><aside><table><tr><td>side</td></tr></table></aside><footer><p>foot</p></footer>"
            "<a href=/card><div>Card</div></a>")
    b = html_blocks(page)
    got = dict(zip(b.texts, (bits(m) for m in b.ancestors)))
    assert {"header", "nav", "ul", "li"} <= got["Home"] and "a" not in got["Home"]  # the link is inside the block
    assert {"main", "article", "h2"} <= got["Title"]
    assert {"main", "article", "section", "p"} <= got["Body"]
    assert {"blockquote", "p"} <= got["Quote"]
    assert {"aside", "table", "td"} <= got["side"]
    assert {"footer", "p"} <= got["foot"]
    assert "a" in got["Card"]  # a block inside a link: a card
    assert ancestor_bit("nav") == 1 << ANCESTOR_TAGS.index("nav")


def test_inner_bits_name_the_inline_elements_inside_the_block():
    b = html_blocks("<p>By <a href=/a>Ann</a> on <time>May 1</time> <button>Share</button></p><p>plain</p>")
    assert {"a", "time", "button"} <= bits(b.inner[0])
    assert bits(b.inner[1]) == set()


def test_in_main_for_main_article_role_main_and_article_body():
    page = ("<p>out</p><main><p>m</p></main><article><p>a</p></article><div role=main><p>r</p></div>"
            "<div itemprop='articleBody'><p>i</p></div><div role=navigation><p>n</p></div>")
    b = html_blocks(page)
    assert dict(zip(b.texts, b.in_main.tolist())) == {"out": False, "m": True, "a": True, "r": True, "i": True,
                                                      "n": False}
    assert "role=navigation" in bits(b.ancestors[-1])
    assert "itemprop=articlebody" in bits(b.ancestors[4])


# --- class/id tokens ------------------------------------------------------------------------------


def test_split_tokens_on_camel_case_and_punctuation():
    assert split_tokens("relatedPosts") == ["related", "posts"]
    assert split_tokens("post-comments__list") == ["post", "comments", "list"]
    assert split_tokens("HTMLParser col-md-6 h2 ABC") == ["html", "parser", "col", "md", "h2", "abc"]


def test_class_and_id_tokens_by_level():
    b = html_blocks("<div id='mainContent' class='relatedPosts post-comments__list'>"
                    "<section><p class='Body'>text</p></section></div>")
    got = tokens_of(b, 0)
    assert got[0] == ["body"]
    assert 1 not in got  # the section has no class or id
    assert got[2] == ["related", "posts", "post", "comments", "list", "main", "content"]
    k = b.token_text.index("related")
    assert int(b.token_hash[k]) == zlib.crc32(b"related")
    assert b.token_text == [b.token_words[i] for i in b.token_id.tolist()]


def test_role_and_itemprop_give_prefixed_tokens():
    b = html_blocks("<nav role='navigation'><p itemprop='description'>x</p></nav>")
    got = tokens_of(b, 0)
    assert got[0] == ["itemprop:description"] and got[1] == ["role:navigation"]


def test_tokens_stop_after_the_level_cap():
    page = "".join(f"<div class='l{i}x'>" for i in range(12)) + "<p class=own>t</p>" + "</div>" * 12
    b = html_blocks(page)
    levels = b.token_level.tolist()
    assert max(levels) == TOKEN_LEVELS - 1 and b.token_text[0] == "own"


# --- page declarations ----------------------------------------------------------------------------


LD_PAGE = """<html lang="en-GB"><head><title>T</title>
<meta property="og:title" content=" OG  title "><meta property="og:type" content="article">
<meta property="og:description" content="og desc">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Site"},
  {"@type": ["NewsArticle"], "headline": "The headline", "articleBody": "Body text.",
   "author": [{"@type": "Person", "name": "Ann  Lee"}, {"name": "Bo"}], "datePublished": "2020-01-02"}]}
</script><script type="application/ld+json">{not json</script></head><body><p>x</p></body></html>"""


def test_page_info_from_meta_tags_and_json_ld_graph():
    info = html_blocks(LD_PAGE).page
    assert (info.lang, info.title, info.og_title, info.og_type) == ("en-GB", "T", "OG title", "article")
    assert info.description == "og desc"  # no <meta name=description>: og:description
    assert info.ld_types == ("WebSite", "NewsArticle")
    assert (info.headline, info.article_body, info.date_published) == ("The headline", "Body text.", "2020-01-02")
    assert info.authors == ("Ann Lee", "Bo")


def test_json_ld_top_level_list_string_author_and_meta_description():
    page = ("<meta name='Description' content='the desc'><meta property='og:description' content='og'>"
            "<script type='application/ld+json'>[{\"@type\": \"BlogPosting\", \"author\": \"Cy\", "
            "\"headline\": \"H\"}]</script><p>x</p>")
    info = html_blocks(page).page
    assert info.description == "the desc" and info.authors == ("Cy",) and info.headline == "H"


@pytest.mark.parametrize("script", ["{", "[1, 2", "\"just a string\"", "42", "null", "[" * 50_000, "{\"@graph\": 5}",
                                    "{\"@type\": 3, \"author\": {\"name\": [1]}}"])
def test_bad_json_ld_never_raises(script):
    info = html_blocks(f"<script type='application/ld+json'>{script}</script><p>x</p>").page
    assert info.headline == "" and info.authors == ()


def test_json_ld_with_raw_newlines_in_strings_is_read():
    page = "<script type='application/ld+json'>{\"@type\": \"Article\", \"articleBody\": \"line\none\"}</script>"
    assert html_blocks(page).page.article_body == "line\none"


# --- decoding -------------------------------------------------------------------------------------

PAGE = "<html><head>{meta}</head><body><p>Café — naïve façade, 日本</p></body></html>"


@pytest.mark.parametrize("codec,bom", [("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE),
                                       ("utf-16-be", codecs.BOM_UTF16_BE), ("utf-32-le", codecs.BOM_UTF32_LE),
                                       ("utf-32-be", codecs.BOM_UTF32_BE)])
def test_decode_page_reads_a_byte_order_mark(codec, bom):
    page = PAGE.format(meta="<meta charset='iso-8859-1'>")
    assert decode_page(bom + page.encode(codec)) == page


def test_a_byte_order_mark_at_the_start_of_a_str_page_is_no_block():
    page = "<html><body><p>The council met on Monday to discuss the bridge.</p></body></html>"
    with_bom = html_blocks("\ufeff" + page).texts
    assert with_bom == html_blocks(page).texts == html_blocks(codecs.BOM_UTF8 + page.encode()).texts
    assert html_blocks("\ufeff" + page).texts == ["The council met on Monday to discuss the bridge."]


def test_decode_page_reads_utf16_without_a_bom():
    page = PAGE.format(meta="")
    assert decode_page(page.encode("utf-16-le")) == page and decode_page(page.encode("utf-16-be")) == page


@pytest.mark.parametrize("meta", ["<meta charset='windows-1251'>", "<meta charset=cp1251>",
                                  "<meta http-equiv='Content-Type' content='text/html; charset=Windows-1251'>"])
def test_decode_page_follows_the_declared_charset(meta):
    page = f"<html><head>{meta}</head><body><p>Привет, мир</p></body></html>"
    assert decode_page(page.encode("cp1251")) == page


def test_detection_runs_only_where_the_declared_charset_fails(monkeypatch):
    from cleanlib.html import dom

    calls = []
    monkeypatch.setattr(dom, "_detected_codec", lambda data: calls.append(len(data)) or "cp1251")
    page = "<html><head><meta charset='windows-1251'></head><body><p>Привет, мир</p></body></html>"
    assert decode_page(page.encode("cp1251")) == page and calls == []
    undeclared = page.replace("<meta charset='windows-1251'>", "")
    assert decode_page(undeclared.encode("cp1251")) == undeclared and len(calls) == 1


def test_decode_page_reads_an_xml_declaration():
    page = "<?xml version='1.0' encoding='ISO-8859-15'?><html><body><p>Prix : 5 €</p></body></html>"
    assert decode_page(page.encode("iso-8859-15")) == page


def test_decode_page_maps_latin1_to_windows_1252_as_browsers_do():
    page = "<meta charset='iso-8859-1'><p>“quoted” – café</p>"
    assert decode_page(page.encode("cp1252")) == page


def test_str_passes_through_and_other_types_are_refused():
    assert decode_page("<p>x</p>") == "<p>x</p>"
    with pytest.raises(TypeError):
        decode_page(12)  # type: ignore[arg-type]


# --- the scrapinghub pages: same text as a plain-text renderer ------------------------------------

SCRAPINGHUB = SHARED / "scrapinghub" / "html"


@pytest.mark.skipif(not SCRAPINGHUB.is_dir(), reason=f"needs the scrapinghub pages in {SCRAPINGHUB}")
def test_blocks_have_the_words_resiliparse_renders():
    pytest.importorskip("resiliparse")
    from cleanlib.html.render import html_to_text

    words = re.compile(r"\w+")
    recalls, precisions = [], []
    for path in sorted(SCRAPINGHUB.glob("*.html.gz"))[:40]:
        page = gzip.open(path).read()
        b = html_blocks(page)
        ours = Counter(words.findall(" ".join(t for t, tag in zip(b.texts, b.tag) if tag != "title").lower()))
        theirs = Counter(words.findall(html_to_text(page, "resiliparse").lower()))
        both = sum((ours & theirs).values())
        recalls.append(both / max(1, sum(theirs.values())))
        precisions.append(both / max(1, sum(ours.values())))
    # below 1: hidden elements are skipped here (resiliparse keeps them), figures and forms kept (it drops them)
    assert np.mean(recalls) > 0.9 and np.mean(precisions) > 0.9


def test_a_missing_parser_names_the_extra(monkeypatch):
    import sys

    from cleanlib.html import dom

    monkeypatch.setattr(dom, "_TABLES", None)
    monkeypatch.setitem(sys.modules, "selectolax.lexbor", None)  # import of it fails
    with pytest.raises(ImportError, match=r"pip install 'cleanlib-text\[html\]'"):
        html_blocks("<p>x</p>")


# --- comment sections ------------------------------------------------------------------------------

@pytest.mark.parametrize("cls,eid", [("comment", None), ("comment even thread-even depth-1", None),
                                     (None, "comments"), ("commentlist", None), ("commentList", None),
                                     (None, "respond"), (None, "disqus_thread"), ("post-comments", None),
                                     ("comment-body", "div-comment-4398"), ("commentbody by-drno", None),
                                     (None, "commentform")])
def test_comment_sections_are_named_by_a_class_name_or_the_id(cls, eid):
    from cleanlib.html.dom import comment_section

    assert comment_section(cls, eid)


@pytest.mark.parametrize("cls,eid", [(None, "respond-to-review-comments"), ("no-comments", None),
                                     ("single comments-open", None), ("post has-comments", None),
                                     ("verbosa-comment-placeholder", None), ("commentary-piece", None),
                                     ("commentator-bio", None), ("Commentary", None),
                                     ("entry-content", "main"), (None, None), ("", "")])
def test_slugs_switches_and_other_names_are_not_comment_sections(cls, eid):
    from cleanlib.html.dom import comment_section

    assert not comment_section(cls, eid)


def test_the_quick_test_for_comment_words_never_changes_the_answer():
    # comment_section skips the regex split where no comment word can be in the value: the same answers as the
    # rule applied to every class name and the id
    import itertools

    from cleanlib.html.dom import _comment_name, comment_section

    parts = ["comment", "Comments", "COMMENTS", "commentList", "respond", "Disqus", "DISQUS_thread", "no", "open",
             "post", "entry-content", "x9", "-", "_", "Respond", "comment-body-text", "ü"]
    values = {"".join(p) for p in itertools.product(parts, repeat=2)} | set(parts) | {"", " "}
    for cls, eid in itertools.product(sorted(values)[:60], sorted(values)[::7]):
        cls = f"{cls} {cls[::-1]}"
        expected = any(_comment_name(n) for n in cls.split()) or _comment_name(eid)
        assert comment_section(cls, eid) == expected, (cls, eid)
        assert comment_section(None, eid) == _comment_name(eid), eid


def test_a_comment_heading_opens_a_thread_to_the_end_of_its_container():
    # a Movable Type blog of 2012: the comments are plain siblings after <h2 id="comments">, named by nothing
    page = ("<body><div id='content'><h1>Hot nights</h1><p>Los Angeles used to get cool at night. No matter how"
            " hot it got during the day, the nights were always cool and crisp, and the breeze came in.</p>"
            "<h2>Comment</h2><p>Journalists want a comment; give them one.</p>"  # an article's own sub-heading
            "<p class='posted'>Posted by laurie at 9:01 AM</p><h2 id='comments'>Comments</h2>"
            "<div id='c169900'><p>Our lows were in the 80's.</p></div><p class='posted'>Posted by: Ellen at 11:40 AM</p>"
            "</div><div id='sidebar'><h3>Archives</h3><p>September 2012</p></div></body>")
    b = html_blocks(page)
    assert [t for t, c in zip(b.texts, b.in_comments.tolist()) if c] == [
        "Comments", "Our lows were in the 80's.", "Posted by: Ellen at 11:40 AM"]
    # the heading's text alone says it ("12 Comments", "Comments (3)", "1 Response", "Kommentare")
    body = "<p>" + "Body text of the post, " * 8 + "in words.</p>"  # 34 words
    for heading in ("12 Comments", "Comments (3)", "1 Response", "Reader comments:", "Kommentare"):
        b = html_blocks(f"<div>{body}<h3>{heading}</h3><p>First!</p></div><p>Footer</p>")
        assert b.in_comments.tolist() == [False, True, True, False], heading
    for heading in ("Comment", "Responses", "Comments are closed", "Recent comments", "1. Comments"):
        assert not html_blocks(f"<div>{body}<h3>{heading}</h3><p>Text.</p></div>").in_comments.any(), heading
    # a "Comments" widget's heading above the article, in the page's wrapper, opens nothing
    b = html_blocks(f"<div id=page><h4>Comments</h4><h1>Title</h1>{body}{body}</div><div id=side><p>Side</p></div>")
    assert not b.in_comments.any()


def test_blocks_say_which_sit_in_a_comment_section():
    page = ("<body class='single comments-open'><article><h1>Title</h1><p>Body text.</p></article>"
            "<section id='comments'><h2>3 Comments</h2><ol><li class='comment'><div><p>Great post!</p></div></li>"
            "</ol></section><footer><p>Footer</p></footer></body>")
    b = html_blocks(page)
    assert dict(zip(b.texts, b.in_comments.tolist())) == {
        "Title": False, "Body text.": False, "3 Comments": True, "Great post!": True, "Footer": False}
    assert b.take(np.array([1, 3])).in_comments.tolist() == [False, True]
