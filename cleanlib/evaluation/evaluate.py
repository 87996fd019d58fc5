"""Score a model on labeled documents: ``evaluate_docs`` for one model, ``compare_docs`` for two on the same
documents (each figure, B - A and a paired bootstrap interval of the difference); ``evaluate_model`` and
``compare_models`` take a JSONL path and model directories, as the ``cleanlib evaluate`` command does.

How the parts fit: ``scores.score_docs`` scores every paragraph once, ``bootstrap.resample`` resamples the
documents, ``figures.build_report`` makes the report dict, and ``render`` turns it into text.
"""
from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np

from ..api import Cleaner
from ..store import read_manifest
from ..core.scoring import Model
from ..data import LabeledDoc, no_documents, read_labeled
from .bootstrap import BOOTSTRAP_SEED, LEVEL, N_BOOTSTRAP, interval, resample
from .figures import N_WORST, build_report
from .scores import HEADLINE, headline, score_docs

__all__ = ["evaluate_docs", "compare_docs", "evaluate_model", "compare_models", "model_name"]



def evaluate_docs(model: Model, docs: Sequence[LabeledDoc], threshold: float = 0.5,
                  worst: int = N_WORST) -> dict[str, Any]:
    """Paragraph precision/recall per label, and word and shingle F1 of the kept text.

    The reference text of a document is its ``gold`` field when the record has one (the page's
    human-written main text), else its content paragraphs joined by blank lines.

    Beyond the point figures the report holds ``bootstrap`` (95% intervals over documents for the
    ``HEADLINE`` figures, fixed seed), ``distribution`` (quantiles and a histogram of per-document word
    and shingle F1), ``sweep`` (content P/R/F1 by paragraph and word F1 for thresholds 0.05..0.95, with the
    best threshold), ``pr_curve``, ``calibration`` (reliability of the content probability) and ``worst``
    (the ``worst`` lowest word-F1 documents with every paragraph's true and predicted label).
    """
    docs = list(docs)
    scored = score_docs(model, docs, threshold)
    return build_report(scored, docs, resample([scored])[0], worst)


def compare_docs(model_a: Model, model_b: Model, docs: Sequence[LabeledDoc], threshold_a: float = 0.5,
                 threshold_b: float = 0.5, worst: int = N_WORST) -> dict[str, Any]:
    """Two models on the same documents: ``{"a": report, "b": report, "comparison": ...}``.

    ``comparison["figures"]`` holds, for each ``HEADLINE`` figure, A, B, the difference B - A and the 95%
    interval of the difference from a paired bootstrap (the same resampled documents for both models).
    """
    docs = list(docs)
    sa, sb = score_docs(model_a, docs, threshold_a), score_docs(model_b, docs, threshold_b)
    boot_a, boot_b = resample([sa, sb])
    whole = np.arange(len(docs))[None, :]
    point_a, point_b = headline(sa, whole), headline(sb, whole)
    figures = {key: {"a": float(point_a[key][0]), "b": float(point_b[key][0]),
                     "difference": float(point_b[key][0] - point_a[key][0]),
                     "interval": interval(boot_b[key] - boot_a[key])} for key in HEADLINE}
    return {"a": build_report(sa, docs, boot_a, worst), "b": build_report(sb, docs, boot_b, worst),
            "comparison": {"documents": len(docs), "resamples": N_BOOTSTRAP, "seed": BOOTSTRAP_SEED, "level": LEVEL,
                           "figures": figures}}


def model_name(model: str | os.PathLike[str] | Model | None) -> str:
    """How a model argument is named in reports: ``default``, its directory, or ``(in memory)``."""
    if model is None:
        return "default"
    return os.fspath(model) if isinstance(model, (str, os.PathLike)) else "(in memory)"


def _load(data: str | os.PathLike[str] | Sequence[LabeledDoc]) -> list[LabeledDoc]:
    if not isinstance(data, (str, os.PathLike)):
        return list(data)
    docs = read_labeled(data)
    if not docs:
        raise no_documents(data)
    return docs


def _cleaner(model: str | os.PathLike[str] | Model | None, threshold: float | None) -> Cleaner:
    """A Cleaner of the model (a directory, a fitted model or None for the default), whichever input it reads."""
    if model is None:
        kind = "text"
    elif hasattr(model, "predict_proba_features"):
        kind = model.get_params().get("input", "text") if hasattr(model, "get_params") else "text"
    else:
        kind = read_manifest(model).get("params", {}).get("input", "text")
    return Cleaner(model, html=kind == "html", threshold=threshold)


def evaluate_model(data: str | os.PathLike[str] | Sequence[LabeledDoc],
                   model: str | os.PathLike[str] | Model | None = None, threshold: float | None = None,
                   worst: int = N_WORST) -> dict[str, Any]:
    """``evaluate_docs`` for a JSONL path or documents, with a model directory, model or the default."""
    cleaner = _cleaner(model, threshold)
    report = evaluate_docs(cleaner.model, _load(data), cleaner.threshold, worst)
    report["model"] = model_name(model)
    return report


def compare_models(data: str | os.PathLike[str] | Sequence[LabeledDoc],
                   model_a: str | os.PathLike[str] | Model | None, model_b: str | os.PathLike[str] | Model | None,
                   threshold: float | None = None, worst: int = N_WORST) -> dict[str, Any]:
    """``compare_docs`` for a JSONL path or documents; each model uses its own threshold unless one is given."""
    a, b = _cleaner(model_a, threshold), _cleaner(model_b, threshold)
    out = compare_docs(a.model, b.model, _load(data), a.threshold, b.threshold, worst)
    out["a"]["model"], out["b"]["model"] = model_name(model_a), model_name(model_b)
    return out
