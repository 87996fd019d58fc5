"""The labeled-paragraph format: JSON Lines, one document a line.

    {"id": "doc-1", "paragraphs": [{"text": "...", "label": "content"}, ...]}

``label`` is one of ``LABELS``. Other fields are kept and ignored. ``read_labeled`` validates
every line and raises ``DataError`` naming the file, the line and what is wrong.
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

__all__ = ["LABELS", "DataError", "LabeledDoc", "read_labeled", "write_labeled"]

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


def _open(path: str | os.PathLike[str], mode: str):
    path = os.fspath(path)
    if path.endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


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
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as e:
                    raise DataError(f"{where}: invalid JSON ({e.msg} at column {e.colno})") from None
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
