"""Held-out evaluation beside a trained model: ``holdout_split`` sets documents aside by group, and
``evaluation_summary`` / ``write_evaluation`` write the numbers-only ``evaluation.json`` and ``evaluation.md``
that ``cleanlib train`` saves in the model directory.
"""
from __future__ import annotations

import os
import random
from collections import Counter
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..data import LABELS, LabeledDoc
from .render import format_markdown, to_json

__all__ = ["holdout_split", "evaluation_summary", "write_evaluation"]

_TEXT_KEYS = ("worst", "source", "model")  # report parts that hold text or names, never written beside a model


def holdout_split(docs: Sequence[LabeledDoc], fraction: float = 0.2,
                  seed: int = 0) -> tuple[list[LabeledDoc], list[LabeledDoc]]:
    """(train, held-out): ``fraction`` of the documents held out, by ``group`` (else id), fixed by ``seed``.

    Documents sharing a group (two renderings of one page) land on the same side; order is kept.
    """
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"holdout must be in [0, 1), got {fraction}")
    if fraction == 0:
        return list(docs), []
    groups = sorted({str(d.extra.get("group", d.id)) for d in docs})
    if len(groups) < 2:
        raise ValueError("holding out documents needs at least 2 documents (or groups); use holdout 0")
    random.Random(seed).shuffle(groups)
    held = set(groups[:min(len(groups) - 1, max(1, round(fraction * len(groups))))])
    split: tuple[list[LabeledDoc], list[LabeledDoc]] = ([], [])
    for d in docs:
        split[str(d.extra.get("group", d.id)) in held].append(d)
    return split


def _counts(docs: Sequence[LabeledDoc]) -> dict[str, Any]:
    labels = Counter(l for d in docs for l in d.labels)
    return {"documents": len(docs), "paragraphs": sum(labels.values()), "labels": {l: labels[l] for l in LABELS}}


def evaluation_summary(train_docs: Sequence[LabeledDoc], heldout: Mapping[str, dict[str, Any]], *,
                       threshold: float, split: Mapping[str, Any], trained_on: str | None = None) -> dict[str, Any]:
    """The numbers-only summary saved beside a model: training data size and label balance, how the held-out
    split was made, and each held-out report (from ``evaluate_docs``) without its document ids or text."""
    return {"format": "cleanlib-evaluation", "format_version": 1, "trained_on": trained_on,
            "train": _counts(train_docs), "split": dict(split), "threshold": threshold,
            "heldout": {name: {k: v for k, v in r.items() if k not in _TEXT_KEYS} for name, r in heldout.items()}}


def write_evaluation(directory: str | os.PathLike[str], summary: dict[str, Any]) -> tuple[Path, Path]:
    """Write ``evaluation.json`` and ``evaluation.md`` into a model directory; returns both paths."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    js, md = d / "evaluation.json", d / "evaluation.md"
    js.write_text(to_json(summary), encoding="utf-8")
    md.write_text(format_markdown(summary), encoding="utf-8")
    return js, md
