"""Score a model on labeled documents: per-label paragraph figures and document-level text F1."""
from __future__ import annotations

import os
from typing import Any, Sequence

import numpy as np

from .data import LABELS, LabeledDoc, read_labeled
from .features import featurize
from .metrics import benchmark_shingle_f1, mean_word_f1, paragraph_report
from .model import ParagraphClassifier

__all__ = ["evaluate_model", "evaluate_docs", "format_summary"]


def evaluate_docs(model: ParagraphClassifier, docs: Sequence[LabeledDoc], threshold: float = 0.5) -> dict[str, Any]:
    """Paragraph precision/recall per label, and word and shingle F1 of the kept text.

    The reference text of a document is its ``gold`` field when the record has one (the page's
    human-written main text), else its content paragraphs joined by blank lines.
    """
    proba = model.predict_proba_features(featurize([d.texts for d in docs]))
    pred = np.array(LABELS)[proba.argmax(axis=1)] if len(proba) else np.array([], dtype=str)
    truth = [l for d in docs for l in d.labels]
    report: dict[str, Any] = {"documents": len(docs), "paragraphs": len(truth), "threshold": threshold,
                              "paragraph": paragraph_report(truth, list(pred), LABELS)}
    pairs = []
    row = 0
    for d in docs:
        keep = proba[row:row + len(d.texts), LABELS.index("content")] >= threshold
        row += len(d.texts)
        cleaned = "\n\n".join(t for t, k in zip(d.texts, keep) if k)
        gold = d.extra.get("gold")
        if not isinstance(gold, str):
            gold = "\n\n".join(t for t, l in zip(d.texts, d.labels) if l == "content")
        pairs.append((cleaned, gold))
    report["word"] = mean_word_f1(pairs)
    report["shingle"] = benchmark_shingle_f1(pairs)
    return report


def evaluate_model(data: str | os.PathLike[str] | Sequence[LabeledDoc], model: Any = None,
                   threshold: float | None = None) -> dict[str, Any]:
    """``evaluate_docs`` for a JSONL path or documents, with a model directory, model or the default."""
    from .api import Cleaner

    cleaner = Cleaner(model, threshold=threshold)
    docs = read_labeled(data) if isinstance(data, (str, os.PathLike)) else list(data)
    return evaluate_docs(cleaner.model, docs, cleaner.threshold)


def format_summary(report: dict[str, Any]) -> str:
    """A terminal summary a person can read."""
    p = report["paragraph"]
    lines = [f"{report['documents']} documents, {report['paragraphs']} paragraphs, threshold {report['threshold']:.2f}",
             "", f"{'label':<12}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for label, v in p["per_label"].items():
        lines.append(f"{label:<12}{v['precision']:>10.3f}{v['recall']:>10.3f}{v['f1']:>10.3f}{v['support']:>10}")
    lines += [f"{'macro':<12}{'':>20}{p['macro_f1']:>10.3f}", "",
              "confusion (rows: true, columns: predicted " + " / ".join(p["labels"]) + ")"]
    for label, row in zip(p["labels"], p["confusion"]):
        lines.append(f"  {label:<12}" + "".join(f"{c:>10}" for c in row))
    w, s = report["word"], report["shingle"]
    lines += ["", f"word F1 (per document, averaged)  {w['f1']:.4f}   P {w['precision']:.4f}  R {w['recall']:.4f}",
              f"shingle F1 (scrapinghub metric)   {s['f1']:.4f}   P {s['precision']:.4f}  R {s['recall']:.4f}"]
    return "\n".join(lines)
