import json

import pytest

from cleanlib.data import DataError, LabeledDoc, read_labeled, write_labeled


def test_round_trip_plain_and_gzip(tmp_path):
    docs = [LabeledDoc("a", ["x", "y"], ["content", "boilerplate"], {"lang": "en"})]
    for name in ("d.jsonl", "d.jsonl.gz"):
        assert write_labeled(tmp_path / name, docs) == 1
        back = read_labeled(tmp_path / name)
        assert back[0].texts == ["x", "y"] and back[0].labels == ["content", "boilerplate"]
        assert back[0].extra == {"lang": "en"}


@pytest.mark.parametrize("line, message", [
    ("{not json", "line 2: invalid JSON"),
    ('["a"]', "line 2: expected a JSON object"),
    ('{"paragraphs": []}', "line 2: missing field 'id'"),
    ('{"id": 1, "paragraphs": {}}', "line 2: 'paragraphs' must be a list"),
    ('{"id": 1, "paragraphs": [{"text": "x", "label": "body"}]}', "line 2: paragraph 0 has label 'body'"),
    ('{"id": 1, "paragraphs": [{"label": "meta"}]}', "line 2: paragraph 0 has no string 'text'"),
])
def test_bad_lines_name_file_line_and_problem(tmp_path, line, message):
    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps({"id": 0, "paragraphs": []}) + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        read_labeled(p)
    assert str(p) in str(e.value) and message in str(e.value)


def test_invalid_utf8_and_missing_file(tmp_path):
    p = tmp_path / "latin.jsonl"
    p.write_bytes(b'{"id": "\xe9", "paragraphs": []}\n')
    with pytest.raises(DataError, match="not valid UTF-8"):
        read_labeled(p)
    with pytest.raises(DataError, match="cannot read"):
        read_labeled(tmp_path / "nope.jsonl")


def test_truncated_gzip(tmp_path):
    p = tmp_path / "d.jsonl.gz"
    write_labeled(p, [LabeledDoc(str(i), ["some text " * 50], ["content"]) for i in range(50)])
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="truncated gzip"):
        read_labeled(p)


def test_a_byte_order_mark_and_windows_line_ends_are_read(tmp_path):
    p = tmp_path / "bom.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "paragraphs": [{"text": "x", "label": "meta"}]}).encode()
                  + b"\r\n")
    assert [(d.id, d.texts) for d in read_labeled(p)] == [("a", ["x"])]


@pytest.mark.parametrize("line, message", [
    ('{"id": 1, "paragraphs": [', "Expecting value at column 26, the end of the line (is it cut short?)"),
    ('{"id": 1, "paragraphs": "ab', "Unterminated string starting at column 25; the line ends inside it, at column 27"),
    ('{"id": 1} x', "Extra data at column 11"),
])
def test_invalid_json_is_reported_at_its_column_in_the_line(tmp_path, line, message):
    p = tmp_path / "bad.jsonl"
    p.write_text(line + "\n")
    with pytest.raises(DataError) as e:
        read_labeled(p)
    assert str(e.value).startswith(f"{p}, line 1: invalid JSON: {message}")


def test_a_document_says_whether_its_paragraphs_are_lines(tmp_path):
    from cleanlib.data import LabeledDoc, one_a_line

    path = tmp_path / "d.jsonl"
    para = [{"text": "Some text", "label": "content"}]
    path.write_text("\n".join(json.dumps(r) for r in [
        {"id": "a", "paragraphs": para, "split": "line"}, {"id": "b", "paragraphs": para},
        {"id": "c", "paragraphs": para, "split": "blank", "renderer": "wet"}]) + "\n", encoding="utf-8")
    assert [one_a_line(d) for d in read_labeled(path)] == [True, False, False]
    assert one_a_line(LabeledDoc("w", ["x"], ["content"], {"renderer": "wet"}))
    assert one_a_line(LabeledDoc("t", ["x"], ["content"], {"renderer": "lines"}))
    assert not one_a_line(LabeledDoc("h", ["x"], ["content"], {"renderer": "html_text"}))
