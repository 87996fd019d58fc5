"""Resuming: a run writes ``<output>.partial`` as it goes; ``resume=True`` keeps its complete lines, checks
them one to one against the input, and appends the rest.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

from .records import BatchError, BatchSummary, EncodingErrors, InputLines, is_blank, parse_line, same_id

__all__ = ["partial_path", "truncate_to_last_newline", "skip_done"]


def partial_path(output_path: str | os.PathLike[str]) -> Path:
    """Where ``run_batch`` writes ``output_path`` until it is complete: ``<output>.partial``."""
    p = Path(output_path)
    return p.with_name(p.name + ".partial")


def truncate_to_last_newline(path: Path) -> None:
    """Drop an incomplete last line (one a crash cut short) so that the file ends with a newline."""
    with open(path, "r+b") as f:
        end = f.seek(0, os.SEEK_END)
        pos, keep = end, 0
        while pos > 0:
            step = min(1 << 16, pos)
            pos -= step
            f.seek(pos)
            i = f.read(step).rfind(b"\n")
            if i >= 0:
                keep = pos + i + 1
                break
        if keep != end:
            f.truncate(keep)


def skip_done(partial: Path, src: InputLines, lines: Iterator[tuple[int, bytes]], summary: BatchSummary,
              text_field: str, id_field: str, encoding_errors: EncodingErrors = "strict") -> None:
    """Match the complete lines of ``partial`` one to one with the first non-blank input lines, consuming
    those from ``lines`` and counting them in ``summary``; raise ``BatchError`` where they do not match."""
    def mismatch(where: str) -> BatchError:
        return BatchError(f"{partial} does not match {src.path} at {where}; was it made from another input? "
                          "Delete it, or run without --resume to start over")

    with open(partial, "rb") as done:
        for k, out_line in enumerate(done, 1):
            try:
                out = json.loads(out_line)
            except ValueError:
                out = None
            if not isinstance(out, dict):
                raise BatchError(f"{partial}: line {k} is damaged (not a JSON object); "
                                 "delete the file, or run without --resume to start over")
            for n, raw in lines:
                if not is_blank(raw):
                    break
                summary.blank += 1
            else:
                raise mismatch(f"its line {k}: the input has only {k - 1} non-blank lines")
            item = parse_line(raw, n, text_field, id_field, encoding_errors)
            if "clean" in out:
                if item.error is not None or not same_id(out.get(id_field), item.id):
                    raise mismatch(f"input line {n}")
                summary.ok += 1
            else:
                if out.get("line") != n:
                    raise mismatch(f"input line {n}")
                summary.failed(n, str(out.get("error")))
            summary.read += 1
            summary.resumed += 1
