"""The report of one scored model: the dict ``evaluate_docs`` returns (every key is described there).

Built from ``scores.Scores``: paragraph figures per label, word and shingle F1, the bootstrap intervals,
the distribution of per-document F1, the threshold sweep, the precision-recall curve, calibration of the
content probability, and the worst documents with every paragraph.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..data import LABELS, LabeledDoc
from .bootstrap import BOOTSTRAP_SEED, LEVEL, N_BOOTSTRAP, interval
from .metrics import benchmark_shingle_f1, mean_word_f1, paragraph_report
from .scores import CONTENT, THRESHOLDS, Scores, f1, prf

__all__ = ["build_report", "N_WORST"]

QUANTILES = (5, 25, 50, 75, 95)
N_WORST = 5
WORST_TEXT = 160            # characters of each paragraph kept in the worst-documents listing
HIST_BINS = 20              # histogram of per-document F1 over [0, 1]
CALIBRATION_BINS = 10       # reliability plot: content probability in bins of 0.1


def build_report(s: Scores, docs: Sequence[LabeledDoc], boot: dict[str, np.ndarray], worst: int) -> dict[str, Any]:
    """The report dict of one scored model (see ``evaluate_docs``); ``boot``: its resampled headline figures."""
    truth = [LABELS[i] for i in s.truth]
    pred = [LABELS[i] for i in s.pred]
    report: dict[str, Any] = {"documents": len(docs), "paragraphs": len(truth), "threshold": s.threshold,
                              "paragraph": paragraph_report(truth, pred, LABELS)}
    report["paragraph"]["predicted"] = {l: int(np.sum(s.pred == i)) for i, l in enumerate(LABELS)}
    report["word"] = mean_word_f1(s.pairs)
    report["shingle"] = benchmark_shingle_f1(s.pairs)
    report["bootstrap"] = {"resamples": N_BOOTSTRAP, "seed": BOOTSTRAP_SEED, "level": LEVEL,
                           **{key: interval(v) for key, v in boot.items()}}
    report["distribution"] = _distribution(s)
    report["sweep"] = _sweep(s)
    report["pr_curve"] = _pr_curve(s)
    report["calibration"] = _calibration(s)
    report["worst"] = _worst(s, docs, worst)
    return report


def _distribution(s: Scores) -> dict[str, Any]:
    """Quantiles of per-document word F1, and histograms of per-document word and shingle F1."""
    wf = s.word[:, 2]
    sp, sr = np.nan_to_num(s.sh_p), np.nan_to_num(s.sh_r)  # undefined means nothing kept or no gold: F1 0
    sf = f1(sp, sr)
    edges = np.linspace(0, 1, HIST_BINS + 1)
    return {
        "word_f1_quantiles": ({str(q): float(v) for q, v in zip(QUANTILES, np.percentile(wf, QUANTILES))}
                              if len(wf) else {}),
        "word_f1_min": float(wf.min()) if len(wf) else None,
        "documents_below_0.5": int((wf < 0.5).sum()),
        "histogram": {"edges": [round(float(e), 4) for e in edges],
                      "word_f1": np.histogram(wf, edges)[0].tolist(),
                      "shingle_f1": np.histogram(sf, edges)[0].tolist()},
    }


def _worst(s: Scores, docs: Sequence[LabeledDoc], worst: int) -> list[dict[str, Any]]:
    """The ``worst`` documents with the lowest word F1, every paragraph with its true and predicted label."""
    wf = s.word[:, 2]
    worst_docs = []
    for i in (np.argsort(wf, kind="stable")[:worst] if len(wf) else []):
        d, a, b = docs[i], s.bounds[i], s.bounds[i + 1]
        paras = [{"index": j, "true": t, "pred": LABELS[p], "score": round(float(pr[p]), 4),
                  "content": round(float(pr[CONTENT]), 4), "kept": bool(s.kept[a + j]),
                  "wrong": t != LABELS[p], "text": x[:WORST_TEXT], "chars": len(x)}
                 for j, (t, p, pr, x) in enumerate(zip(d.labels, s.pred[a:b], s.proba[a:b], d.texts))]
        worst_docs.append({"id": d.id, "word_f1": float(wf[i]), "word_precision": float(s.word[i, 0]),
                           "word_recall": float(s.word[i, 1]), "paragraphs": paras,
                           "wrong": sum(p["wrong"] for p in paras)})
    return worst_docs


def _sweep(s: Scores) -> dict[str, Any]:
    """Content vs. the rest at each of ``THRESHOLDS`` (the threshold alone, without the rescue of ``clean``): per
    paragraph, and word P/R/F1 averaged over documents."""
    thresholds = np.array(THRESHOLDS)
    is_content = s.truth == CONTENT
    kept = s.content[:, None] >= thresholds[None, :]
    pp, pr, pf = prf((kept & is_content[:, None]).sum(axis=0), kept.sum(axis=0),
                     np.full(len(thresholds), is_content.sum()))
    wmean = s.word_sweep.mean(axis=0) if len(s.word_sweep) else np.zeros((len(thresholds), 3))
    rows = [{"threshold": float(t), "paragraph": {"precision": float(a), "recall": float(b), "f1": float(c)},
             "word": {"precision": float(w[0]), "recall": float(w[1]), "f1": float(w[2])}}
            for t, a, b, c, w in zip(thresholds, pp, pr, pf, wmean)]
    return {"rows": rows, "best_paragraph_f1": rows[int(np.argmax(pf))]["threshold"],
            "best_word_f1": rows[int(np.argmax(wmean[:, 2]))]["threshold"]}


def _pr_curve(s: Scores, steps: int = 100) -> dict[str, Any]:
    """Paragraph precision and recall of content (content probability >= t) for t = 0, 0.01, ..., 1
    (the thresholds that keep at least one paragraph), and the average precision."""
    thresholds = np.linspace(0, 1, steps + 1)
    is_content = s.truth == CONTENT
    order = np.sort(s.content)
    pos = np.sort(s.content[is_content])
    n_kept = len(order) - np.searchsorted(order, thresholds, side="left")
    tp = len(pos) - np.searchsorted(pos, thresholds, side="left")
    p, r, _ = prf(tp, n_kept, np.full(len(thresholds), len(pos)))
    some = n_kept > 0  # precision is undefined where nothing is kept: those thresholds are left out
    thresholds, p, r = thresholds[some], p[some], r[some]
    ap = None
    if 0 < len(pos) < len(order):
        from sklearn.metrics import average_precision_score

        ap = float(average_precision_score(is_content, s.content))
    return {"thresholds": [round(float(t), 2) for t in thresholds], "precision": [round(float(x), 5) for x in p],
            "recall": [round(float(x), 5) for x in r], "average_precision": ap}


def _calibration(s: Scores) -> dict[str, Any]:
    """Reliability of the content probability: per bin of 0.1, the mean probability and the share truly content."""
    edges = np.linspace(0, 1, CALIBRATION_BINS + 1)
    is_content = (s.truth == CONTENT).astype(float)
    b = np.clip(np.digitize(s.content, edges[1:-1]), 0, CALIBRATION_BINS - 1)
    count = np.bincount(b, minlength=CALIBRATION_BINS)
    mean_p = np.bincount(b, weights=s.content, minlength=CALIBRATION_BINS)
    obs = np.bincount(b, weights=is_content, minlength=CALIBRATION_BINS)
    bins = [{"lo": round(float(edges[i]), 2), "hi": round(float(edges[i + 1]), 2), "count": int(count[i]),
             "mean_probability": float(mean_p[i] / count[i]) if count[i] else None,
             "share_content": float(obs[i] / count[i]) if count[i] else None} for i in range(CALIBRATION_BINS)]
    n = max(1, len(s.content))
    ece = float(sum(c / n * abs(mp - oc) / c for c, mp, oc in zip(count, mean_p, obs) if c))
    brier = float(np.mean((s.content - is_content) ** 2)) if len(s.content) else None
    return {"label": "content", "bins": bins, "expected_calibration_error": ece, "brier": brier}
