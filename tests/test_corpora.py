"""The corpus readers on tiny corpora made in the test, laid out as in ../shared/data."""
import gzip
import json

import pytest

from cleanlib.corpora import (cleaneval_pages, cleaneval_text, dragnet_pages, fundus_gold, fundus_pages, is_heldout,
                              readability_pages, render, split_comments, turku_docs)
from cleanlib.data import DataError


def _html(path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(f"<html><body>{body}</body></html>".encode()))


def test_fundus_gold_is_summary_headlines_and_paragraphs_and_pages_group_by_publisher(tmp_path):
    record = {"title": "A title", "authors": ["Ann Author", "Bo Writer"], "publishing_date": "2024-04-22 17:33:43+02:00",
              "body": {"summary": ["The summary."], "sections": [
                  {"headline": [], "paragraphs": ["First paragraph.", "Second."]},
                  {"headline": ["A sub-heading"], "paragraphs": ["Third paragraph."]}]}}
    gold = fundus_gold(record)
    assert gold.main_text == "The summary.\n\nFirst paragraph.\n\nSecond.\n\nA sub-heading\n\nThird paragraph."
    assert (gold.title, gold.author, gold.date) == ("A title", "Ann Author, Bo Writer", "2024-04-22")
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "BR.json").write_text(json.dumps({"V1": record, "V1_1": {**record, "title": "Other"}}))
    for day in ("2024_04_22", "2024_08_27"):
        _html(tmp_path / "de" / f"BR_{day}.html.gz", "<p>First paragraph.</p>")
    (tmp_path / "pages.json").write_text(json.dumps({"de/BR_2024_04_22.html.gz": {"json": "de/BR.json", "version": "V1"},
                                                     "de/BR_2024_08_27.html.gz": {"json": "de/BR.json", "version": "V1_1"}}))
    pages = fundus_pages(tmp_path)
    assert [p.id for p in pages] == ["fundus/de/BR_2024_04_22", "fundus/de/BR_2024_08_27"]
    assert {p.group for p in pages} == {"fundus/de/BR"} and pages[1].gold.title == "Other"
    assert pages[0].extra["country"] == "de" and b"First paragraph" in pages[0].html


def test_fundus_names_a_missing_version(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"V1": {}}))
    (tmp_path / "pages.json").write_text(json.dumps({"a_2024_01_01.html.gz": {"json": "x.json", "version": "V2"}}))
    with pytest.raises(DataError, match="no version 'V2'"):
        fundus_pages(tmp_path)


@pytest.mark.parametrize("marker", ["!@#$%^&*()  COMMENTS", "!@ $%^&*()  COMMENTS", "@#$%^&*() COMMENTS",
                                    "!@#$%^&*()", "!@#$%^&*()  CORRECTED", "  #$%^&*()  COMMENTS"])
def test_dragnet_comment_marker_variants(marker):
    article, comments = split_comments(f"Title\n\nBody text here.\n{marker}\nGreat post!\nThanks")
    assert article.strip() == "Title\n\nBody text here." and comments.strip() == "Great post!\nThanks"
    assert split_comments("No comments at all.") == ("No comments at all.", "")


def test_dragnet_reads_utf16_cp1252_and_crlf_golds(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "1.txt").write_bytes("Café story\r\n!@#$%^&*()  COMMENTS\r\nNice".encode("utf-16"))
    (gold / "2.txt").write_bytes("Caf\xe9 only".encode("cp1252"))
    for i in (1, 2):
        _html(tmp_path / "html" / f"{i}.html.gz", "<p>x</p>")
    p1, p2 = dragnet_pages(tmp_path)
    assert (p1.gold.main_text, p1.extra["comments"]) == ("Café story", "Nice")
    assert (p2.gold.main_text, p2.extra["comments"]) == ("Café only", "")


def test_cleaneval_gold_markers_become_paragraphs(tmp_path):
    text = "URL: http://example.com/\n\n<p>First   paragraph\nwraps here.\n<h>A heading\n<l>* item one\n<l> item two\n"
    assert cleaneval_text(text) == "First paragraph wraps here.\n\nA heading\n\n* item one\n\nitem two"
    (tmp_path / "gold").mkdir()
    for i in (10, 2):
        (tmp_path / "gold" / f"{i}.txt").write_text(text)
        _html(tmp_path / "html" / f"{i}.html.gz", "<p>First paragraph</p>")
    assert [p.id for p in cleaneval_pages(tmp_path)] == ["cleaneval/2", "cleaneval/10"]


def test_readability_gold_is_the_expected_html_as_text(tmp_path):
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "001.html").write_text("<div><p>One paragraph.</p><p>Two <a href='x'>links</a>.</p></div>")
    _html(tmp_path / "html" / "001.html.gz", "<nav>Home</nav><p>One paragraph.</p>")
    (page,) = readability_pages(tmp_path)
    assert page.id == "readability/001" and page.gold.main_text.split() == ["One", "paragraph.", "Two", "links."]
    with pytest.raises(DataError, match="no gold files"):
        readability_pages(tmp_path / "missing")


def test_turku_lines_are_paragraphs_with_clean_as_content(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "train.json").write_text(json.dumps([{"text": ["Clean line.", "  ", "© 2020 Noise"],
                                                             "labels": ["1", "1", "0"]}]))
    (doc,) = turku_docs(tmp_path, ("en",))
    assert doc.texts == ["Clean line.", "© 2020 Noise"] and doc.labels == ["content", "boilerplate"]
    assert doc.extra["lang"] == "en"
    (tmp_path / "en" / "train.json").write_text(json.dumps([{"text": ["a", "b"], "labels": ["1"]}]))
    with pytest.raises(DataError, match="as many labels as lines"):
        turku_docs(tmp_path, ("en",))


def test_wet_rendering_is_one_block_a_line():
    html = "<html><body><h1>Title</h1><p>First paragraph.</p><ul><li>One</li><li>Two</li></ul></body></html>"
    pytest.importorskip("resiliparse")
    wet = render(html, "wet")
    assert "\n\n" not in wet and wet.splitlines() == [line for line in wet.splitlines() if line.strip()]
    assert "First paragraph." in wet.splitlines()
    with pytest.raises(ValueError, match="unknown renderer"):
        render(html, "nope")


def test_the_held_out_split_is_fixed_and_about_a_fifth():
    keys = [f"page-{i}" for i in range(2000)]
    share = sum(map(is_heldout, keys)) / len(keys)
    assert 0.17 < share < 0.23 and is_heldout("fundus/de/BR") == is_heldout("fundus/de/BR")
