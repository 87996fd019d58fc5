"""The records of a batch job: input lines in, output lines out, and the counts.

Each non-blank input line is parsed into an ``Item`` (its record and text, or why it cannot be cleaned);
items go in chunks to a cleaner, and each comes out as one line: the record with a ``"clean"`` field, or an
error record ``{"id": <id or null>, "line": N, "error": "<reason>"}``. ``BatchSummary`` counts them.
"""
from __future__ import annotations

import gzip
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator, Literal, Protocol

from ..data import json_error

__all__ = ["BatchError", "BatchSummary", "EncodingErrors", "Item", "InputLines", "CleanerLike", "WorkerFailure", "parse_line",
           "is_blank", "chunks", "texts_of", "clean_chunk", "write_chunk", "same_id"]

EncodingErrors = Literal["strict", "replace"]  # invalid UTF-8 in a line: an error record, or U+FFFD for each bad byte
_BOM = b"\xef\xbb\xbf"
_WHITESPACE = b" \t\r\n\x0b\x0c"


class BatchError(ValueError):
    """A batch job that cannot run or continue; the message names the file and what is wrong."""


class CleanerLike(Protocol):
    """What a batch job needs of a cleaner (``cleanlib.Cleaner`` is one)."""

    def clean_many(self, texts: list[str]) -> list[str]:
        """The clean text of each of ``texts``, in order."""
        ...


@dataclass
class BatchSummary:
    """Counts for one output file: non-blank lines read, records written ok, records failed (each written as an
    error record), blank lines; and the first failure, ``"line N: reason"``."""

    read: int = 0
    ok: int = 0
    errors: int = 0
    blank: int = 0
    resumed: int = 0  # of ``read``: lines already done in ``<output>.partial`` and kept by ``resume``
    first_error: str | None = field(default=None, compare=False)

    def describe(self) -> str:
        """The counts as one line of text."""
        line = (f"{self.read} records read, {self.ok} written ok, {self.errors} failed, "
                f"{self.blank} blank lines skipped")
        return line + (f" ({self.resumed} resumed from a partial output)" if self.resumed else "")

    def failed(self, line: int, error: str) -> None:
        """Count one failed record (input line ``line``)."""
        self.errors += 1
        if self.first_error is None:
            self.first_error = f"line {line}: {error}"


@dataclass
class Item:
    """One non-blank input line: its record and text, or the reason it cannot be cleaned."""

    line: int
    record: dict[str, Any] | None = None
    id: Any = None
    text: str | None = None
    error: str | None = None


def parse_line(raw: bytes, line: int, text_field: str, id_field: str, encoding_errors: EncodingErrors = "strict") -> Item:
    """The ``Item`` of input line number ``line`` (its bytes, without a byte-order mark); ``encoding_errors``: how
    invalid UTF-8 is read, as in ``bytes.decode``."""
    try:
        s = raw.decode("utf-8", encoding_errors).rstrip("\r\n")  # without its end, an error's column is within the line
    except UnicodeDecodeError as e:
        return Item(line, error=f"not valid UTF-8 at line {line} (byte {e.start + 1}: {e.reason})")
    try:
        record = json.loads(s)
    except json.JSONDecodeError as e:
        return Item(line, error=f"invalid JSON at line {line}: {json_error(e, s)}")
    except (ValueError, RecursionError) as e:
        return Item(line, error=f"invalid JSON at line {line}: {e}")
    if not isinstance(record, dict):
        return Item(line, error=f"expected a JSON object at line {line}, got {_type_name(record)}")
    rid = record.get(id_field)
    if text_field not in record:
        return Item(line, id=rid, error=f"missing field {text_field!r}")
    text = record[text_field]
    if not isinstance(text, str):
        return Item(line, id=rid, error=f"field {text_field!r} is {_type_name(text)}, not a string")
    return Item(line, record, rid, text)


def _type_name(value: Any) -> str:
    return {type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "an array", dict: "an object"}.get(type(value), type(value).__name__)


def is_blank(raw: bytes) -> bool:
    """Whether an input line holds only whitespace (it is counted, not cleaned)."""
    return not raw.strip(_WHITESPACE)


def _dump(obj: dict[str, Any]) -> bytes:
    try:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate (from a "\ud800" escape): keep it escaped, as it came in
        return json.dumps(obj).encode("ascii") + b"\n"


def same_id(a: Any, b: Any) -> bool:
    """Whether two record ids are the same JSON value."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


class InputLines:
    """The input's lines as ``(line number, bytes)``, lazily; ``position`` is the bytes of the file read."""

    def __init__(self, path: Path):
        self.path = path
        if path.is_dir():
            raise IsADirectoryError(21, "is a directory, not a file", str(path))
        self._raw: IO[bytes] = open(path, "rb")
        self.size = os.fstat(self._raw.fileno()).st_size
        self._stream: IO[bytes] = gzip.GzipFile(fileobj=self._raw, mode="rb") if path.name.endswith(".gz") \
            else self._raw

    @property
    def position(self) -> int:
        """How many bytes of the (possibly compressed) file have been read."""
        return self._raw.tell()

    def lines(self) -> Iterator[tuple[int, bytes]]:
        """Every line with its number from 1, a byte-order mark at the start of the file removed."""
        n = 0
        try:
            for n, raw in enumerate(self._stream, 1):
                yield n, (raw[3:] if n == 1 and raw.startswith(_BOM) else raw)
        except (EOFError, zlib.error, gzip.BadGzipFile) as e:
            raise BatchError(f"{self.path}: damaged gzip input after line {n} ({e})") from None

    def close(self) -> None:
        """Close the file."""
        if self._stream is not self._raw:
            self._stream.close()
        self._raw.close()


def chunks(lines: Iterator[tuple[int, bytes]], summary: BatchSummary, chunk_size: int, text_field: str,
           id_field: str, encoding_errors: EncodingErrors = "strict") -> Iterator[list[Item]]:
    """The non-blank input lines, parsed, in chunks of ``chunk_size``; blank lines are counted in ``summary``."""
    chunk: list[Item] = []
    for n, raw in lines:
        if is_blank(raw):
            summary.blank += 1
            continue
        chunk.append(parse_line(raw, n, text_field, id_field, encoding_errors))
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def texts_of(chunk: list[Item]) -> list[str]:
    """The texts to clean of a chunk's items (those that parsed), in order."""
    return [it.text for it in chunk if it.record is not None and it.text is not None]


def clean_chunk(cleaner: CleanerLike, texts: list[str]) -> list[str | Exception]:
    """``cleaner.clean_many(texts)``; if the batch fails, each text alone, so one bad text fails alone."""
    try:
        out = cleaner.clean_many(texts)
        if len(out) == len(texts):
            return list(out)
    except Exception:
        pass
    results: list[str | Exception] = []
    for t in texts:
        try:
            results.append(cleaner.clean_many([t])[0])
        except Exception as e:  # reported in that record's error line; the job goes on
            results.append(e)
    return results


class WorkerFailure(Exception):
    """A cleaning failure known only by its text, ``"Type: message"`` (reported by a worker process)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def write_chunk(out: IO[bytes], chunk: list[Item], results: list[str | Exception], summary: BatchSummary) -> None:
    """Append one cleaned chunk's lines, in input order, flushed so that a crash loses at most this chunk.

    ``results``: for each item with a text, in order, its clean text or the exception cleaning it raised."""
    todo = [it for it in chunk if it.record is not None and it.text is not None]
    for it, res in zip(todo, results):
        if isinstance(res, str):
            it.record["clean"] = res
        elif isinstance(res, WorkerFailure):
            it.record, it.error = None, f"cleaning failed: {res.text}"
        else:
            it.record, it.error = None, f"cleaning failed: {type(res).__name__}: {res}"
    lines = []
    for it in chunk:
        if it.record is not None:
            lines.append(_dump(it.record))
            summary.ok += 1
        else:
            lines.append(_dump({"id": it.id, "line": it.line, "error": it.error}))
            summary.failed(it.line, it.error or "")
        summary.read += 1
    out.write(b"".join(lines))
    out.flush()
