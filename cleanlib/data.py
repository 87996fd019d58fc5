"""The labeled-paragraph format: JSON Lines, one document a line.

    {"id": "doc-1", "paragraphs": [{"text": "...", "label": "content"}, ...]}

``label`` is one of ``LABELS``. Other fields are kept and ignored. ``read_labeled`` validates
every line and raises ``DataError`` naming the file, the line and what is wrong. A byte-order mark at
the start of the file is allowed.
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

__all__ = ["LABELS", "DataError", "LabeledDoc", "read_labeled", "write_labeled", "no_documents", "json_error",
           "LINE_RENDERINGS", "one_a_line"]

LABELS = ("content", "meta", "boilerplate")


class DataError(ValueError):
    """Labeled data that cannot be used; the message names the file and line."""


@dataclass
class LabeledDoc:
    """One document: its paragraphs, their labels, and any extra fields of its record."""

    id: str
    texts: list[str]
    labels: list[str]
    extra: dict[str, Any] = field(default_factory=dict)


LINE_RENDERINGS = ("wet", "lines")  # renderings whose paragraphs are a text's lines: no blank line between them


def one_a_line(d: LabeledDoc) -> bool:
    """Whether a document's paragraphs are the lines of a text with no blank line (its ``extra["split"]`` is
    "line", or it has none and its renderer is a WET text's or a corpus of lines), as ``split_paragraphs``
    would have split that text; scoring reads it (``Features.lines``)."""
    split = d.extra.get("split")
    return split == "line" if split is not None else d.extra.get("renderer") in LINE_RENDERINGS


def _open(path: str | os.PathLike[str], mode: str):
    path = os.fspath(path)
    encoding = "utf-8-sig" if mode == "r" else "utf-8"  # read past a byte-order mark; write none
    if path.endswith(".gz"):
        return gzip.open(path, mode + "t", encoding=encoding)
    return open(path, mode, encoding=encoding)


def json_error(e: json.JSONDecodeError, line: str) -> str:
    """Where and why one JSON line does not parse, e.g. ``Expecting value at column 69, the end of the line
    (is it cut short?)``. ``line``: the text parsed, without its line ending, so that columns count within it."""
    msg, end = e.msg.removesuffix(" at"), len(line.rstrip())
    if e.pos >= end:
        return f"{msg} at column {e.colno}, the end of the line (is it cut short?)"
    if msg.startswith("Unterminated string"):
        return f"{msg} at column {e.colno}; the line ends inside it, at column {end} (is it cut short?)"
    return f"{msg} at column {e.colno}"


def no_documents(path: str | os.PathLike[str]) -> DataError:
    """The error for a labeled file that holds no documents."""
    return DataError(f"{os.fspath(path)}: no documents (the file is empty or has only blank lines)")


def _parse(record: Any, where: str) -> LabeledDoc:
    if not isinstance(record, dict):
        raise DataError(f"{where}: expected a JSON object, got {type(record).__name__}")
    if "id" not in record:
        raise DataError(f"{where}: missing field 'id'")
    paras = record.get("paragraphs")
    if not isinstance(paras, list):
        raise DataError(f"{where}: 'paragraphs' must be a list of {{text, label}} objects")
    texts, labels = [], []
    for i, p in enumerate(paras):
        if not isinstance(p, dict):
            raise DataError(f"{where}: paragraph {i} is not an object")
        text, label = p.get("text"), p.get("label")
        if not isinstance(text, str):
            raise DataError(f"{where}: paragraph {i} has no string 'text'")
        if label not in LABELS:
            raise DataError(f"{where}: paragraph {i} has label {label!r}; expected one of {', '.join(LABELS)}")
        texts.append(text)
        labels.append(label)
    extra = {k: v for k, v in record.items() if k not in ("id", "paragraphs")}
    return LabeledDoc(str(record["id"]), texts, labels, extra)


def iter_labeled(path: str | os.PathLike[str]) -> Iterator[LabeledDoc]:
    """Yield validated documents from a JSONL file (``.gz`` is read as gzip)."""
    try:
        with _open(path, "r") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                where = f"{os.fspath(path)}, line {n}"
                line = line.rstrip("\r\n")  # parsed with it, an error at the end would be on "line 2, column 1"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as e:
                    raise DataError(f"{where}: invalid JSON: {json_error(e, line)}") from None
                yield _parse(record, where)
    except UnicodeDecodeError as e:
        raise DataError(f"{os.fspath(path)}: not valid UTF-8 ({e.reason} at byte {e.start})") from None
    except (FileNotFoundError, IsADirectoryError, PermissionError) as e:
        raise DataError(f"{os.fspath(path)}: cannot read ({e.strerror})") from None
    except (EOFError, zlib.error, gzip.BadGzipFile) as e:
        raise DataError(f"{os.fspath(path)}: damaged or truncated gzip file ({e})") from None


def read_labeled(path: str | os.PathLike[str]) -> list[LabeledDoc]:
    """All documents of a labeled JSONL file, validated."""
    return list(iter_labeled(path))


def write_labeled(path: str | os.PathLike[str], docs: Iterable[LabeledDoc]) -> int:
    """Write documents as labeled JSONL; returns how many were written."""
    n = 0
    with _open(path, "w") as f:
        for d in docs:
            rec = {"id": d.id, "paragraphs": [{"text": t, "label": l} for t, l in zip(d.texts, d.labels)]}
            rec.update(d.extra)
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n
