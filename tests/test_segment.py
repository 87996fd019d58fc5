from hypothesis import given, strategies as st

from cleanlib.core.segment import split_paragraphs


def check_offsets(text, seg):
    for t, a, b in zip(seg.texts, seg.starts, seg.ends):
        assert text[a:b] == t
        assert t == t.strip() and t


def test_blank_line_blocks_keep_inner_lines():
    text = "Title\n\nline one\nline two\n\n\n  Last  \n"
    seg = split_paragraphs(text)
    assert seg.texts == ["Title", "line one\nline two", "Last"] and seg.mode == "blank"
    check_offsets(text, seg)


def test_no_blank_line_means_one_paragraph_a_line():
    text = "first line\nsecond line\r\nthird\rfourth\u2028fifth"
    seg = split_paragraphs(text)
    assert seg.texts == ["first line", "second line", "third", "fourth", "fifth"] and seg.mode == "line"
    check_offsets(text, seg)


def test_the_mode_asked_for_is_the_mode_used():
    assert split_paragraphs("a\n\nb", "line").mode == "line"
    assert split_paragraphs("a\nb", "blank").mode == "blank"


def test_crlf_nbsp_and_paragraph_separator():
    text = "a b\r\n\u00a0\r\nc\u2029d  \t\n\n e"
    seg = split_paragraphs(text)
    assert seg.texts == ["a b", "c", "d", "e"]
    check_offsets(text, seg)


def test_crlf_alone_is_not_a_blank_line():
    assert split_paragraphs("one\r\ntwo", "blank").texts == ["one\r\ntwo"]


def test_empty_and_whitespace_only():
    assert split_paragraphs("").texts == []
    assert split_paragraphs(" \n\t\n\u00a0 ").texts == []


def test_a_leading_byte_order_mark_is_in_no_paragraph():
    text = "\ufeffTitle\n\nBody with a \ufeff inside"
    seg = split_paragraphs(text)
    assert seg.texts == ["Title", "Body with a \ufeff inside"] and seg.starts.tolist() == [1, 8]  # offsets count it
    check_offsets(text, seg)
    assert split_paragraphs("\ufeff").texts == [] and split_paragraphs("\ufeff\n\n x").texts == ["x"]
    assert split_paragraphs("\ufeff\ufeffx").texts == ["\ufeffx"]  # only the first is a byte-order mark
    assert split_paragraphs("a\n\n\ufeffb").texts == ["a", "\ufeffb"]  # elsewhere: a character like any other


def test_bad_mode():
    import pytest

    with pytest.raises(ValueError, match="mode"):
        split_paragraphs("x", "words")


@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r\u00a0\u2028\u2029\x85.\ufeff")), max_size=60))
def test_offsets_slice_the_input(text):
    seg = split_paragraphs(text)
    check_offsets(text, seg)
    assert not (text.startswith("\ufeff") and len(seg) and seg.starts[0] == 0)
