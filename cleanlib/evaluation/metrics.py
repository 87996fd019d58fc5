"""The figures we report: WCXB word F1, the scrapinghub shingle F1, and per-label paragraph scores."""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable, Sequence

import numpy as np

__all__ = ["word_prf", "shingle_counts", "shingle_prf", "mean_word_f1", "benchmark_shingle_f1", "comments_removed", "line_prf",
           "paragraph_report"]

_WORD = re.compile(r"\w+")


def word_prf(pred: str, gold: str) -> tuple[float, float, float]:
    """WCXB's page score: lowercased ``\\w+`` tokens counted; an empty gold scores 1 only if pred is empty."""
    p, g = Counter(_WORD.findall(pred.lower())), Counter(_WORD.findall(gold.lower()))
    if not g:
        return (1.0, 1.0, 1.0) if not p else (0.0, 0.0, 0.0)
    if not p:
        return 0.0, 0.0, 0.0
    tp = sum((p & g).values())
    prec, rec = tp / sum(p.values()), tp / sum(g.values())
    return prec, rec, (2 * prec * rec / (prec + rec) if tp else 0.0)


def mean_word_f1(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """Precision, recall and F1 per page, averaged over pages."""
    s = np.array([word_prf(p, g) for p, g in pairs]).reshape(-1, 3)
    return {"precision": float(s[:, 0].mean()), "recall": float(s[:, 1].mean()), "f1": float(s[:, 2].mean()),
            "pages": len(s)}


def shingle_counts(pred: str, gold: str, n: int = 4) -> tuple[int, int, int]:
    """tp, fp, fn of ``\\w+`` (case kept) n-token shingles counted with multiplicity."""
    def sh(t: str) -> Counter:
        toks = _WORD.findall(t)
        return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1))) if toks else Counter()
    a, b = sh(pred), sh(gold)
    return sum((a & b).values()), sum((a - b).values()), sum((b - a).values())


def shingle_prf(tp: int, fp: int, fn: int) -> tuple[float | None, float | None]:
    """One page's precision and recall as the benchmark defines them (None where undefined)."""
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    return p, r


def benchmark_shingle_f1(pairs: Iterable[tuple[str, str]]) -> dict[str, float]:
    """The scrapinghub benchmark: precision and recall averaged over pages, F1 of the two means."""
    ps, rs, n = [], [], 0
    for pred, gold in pairs:
        p, r = shingle_prf(*shingle_counts(pred, gold))
        n += 1
        if p is not None:
            ps.append(p)
        if r is not None:
            rs.append(r)
    p = float(np.mean(ps)) if ps else 0.0
    r = float(np.mean(rs)) if rs else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "pages": n}


def paragraph_report(y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str]) -> dict:
    """Precision, recall, F1 and support per label, and the confusion matrix (rows: truth)."""
    idx = {l: i for i, l in enumerate(labels)}
    t = np.array([idx[l] for l in y_true], dtype=np.int64)
    p = np.array([idx[l] for l in y_pred], dtype=np.int64)
    k = len(labels)
    cm = np.bincount(t * k + p, minlength=k * k).reshape(k, k)
    out: dict = {"labels": list(labels), "confusion": cm.tolist(), "per_label": {}}
    for i, l in enumerate(labels):
        tp, pred_n, true_n = cm[i, i], cm[:, i].sum(), cm[i, :].sum()
        prec = tp / pred_n if pred_n else 0.0
        rec = tp / true_n if true_n else 0.0
        out["per_label"][l] = {"precision": float(prec), "recall": float(rec),
                               "f1": float(2 * prec * rec / (prec + rec)) if prec + rec else 0.0,
                               "support": int(true_n)}
    out["macro_f1"] = float(np.mean([v["f1"] for v in out["per_label"].values()]))
    out["accuracy"] = float(np.trace(cm) / max(1, cm.sum()))
    return out


def comments_removed(items: Iterable[tuple[str, str, str]]) -> dict[str, float]:
    """Dragnet's comment figure over (output, article, comments) triples: the comment part's lowercased
    ``\\w+`` tokens that never occur in the article, counted with multiplicity, pooled over the pages with
    comments; ``removed`` is the share of those occurrences not matched in the output (as a multiset)."""
    total = matched = pages = 0
    for out, article, comments in items:
        article_words = set(_WORD.findall(article.lower()))
        only = Counter(w for w in _WORD.findall(comments.lower()) if w not in article_words)
        if not only:
            continue
        pages += 1
        total += sum(only.values())
        matched += sum((only & Counter(_WORD.findall(out.lower()))).values())
    return {"removed": 1 - matched / total if total else float("nan"), "words": total, "pages": pages}


def line_prf(kept: Sequence[bool], clean: Sequence[bool]) -> dict[str, float]:
    """Precision, recall and F1 of keeping the clean lines, lines pooled (each line counts once)."""
    k, c = np.asarray(kept, dtype=bool), np.asarray(clean, dtype=bool)
    tp = int((k & c).sum())
    p = tp / k.sum() if k.sum() else 0.0
    r = tp / c.sum() if c.sum() else 0.0
    return {"precision": float(p), "recall": float(r), "f1": float(2 * p * r / (p + r)) if p + r else 0.0,
            "lines": int(len(c))}
