"""Score a model on labeled documents: per-label paragraph figures and document-level text F1.

``evaluate_docs`` scores one model, ``compare_docs`` two models on the same documents (each figure,
B - A and a paired bootstrap interval of the difference), and ``evaluation_summary`` /
``write_evaluation`` write the numbers-only held-out summary that training saves beside a model.
"""
from __future__ import annotations

import json
import os
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from ..data import LABELS, LabeledDoc, read_labeled
from ..core.features import featurize
from .metrics import (benchmark_shingle_f1, mean_word_f1, paragraph_report, shingle_counts, shingle_prf,
                      word_prf)
from ..core.scoring import Model

__all__ = ["evaluate_model", "evaluate_docs", "compare_models", "compare_docs", "format_summary",
           "format_comparison", "holdout_split", "evaluation_summary", "write_evaluation", "format_markdown",
           "model_name", "THRESHOLDS", "HEADLINE"]


THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))
QUANTILES = (5, 25, 50, 75, 95)
N_BOOTSTRAP = 1000
BOOTSTRAP_SEED = 0
N_WORST = 5
WORST_TEXT = 160            # characters of each paragraph kept in the worst-documents listing
HIST_BINS = 20              # histogram of per-document F1 over [0, 1]
CALIBRATION_BINS = 10       # reliability plot: content probability in bins of 0.1
# the headline figures, as bootstrapped and compared: key -> how a person reads it
HEADLINE = {"word_f1": "word F1", "shingle_f1": "shingle F1", "macro_f1": "macro paragraph F1",
            "content_precision": "content precision", "content_recall": "content recall",
            "content_f1": "content F1"}
_WORD = re.compile(r"\w+")
_RESAMPLE_CELLS = 2_000_000  # resample indices drawn at a time (bounds the bootstrap's memory)
_CONTENT = LABELS.index("content")


def _word_sweep(texts: Sequence[str], gold: str, content: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Word P, R, F1 of one document's kept text at each threshold: array (len(thresholds), 3).

    The same figures as ``word_prf`` on the joined kept paragraphs, for all thresholds at once:
    each token occurrence carries its paragraph's content score, and a bincount of the tokens
    kept at a threshold gives the kept counts (memory linear in the document's tokens).
    """
    g = Counter(_WORD.findall(gold.lower()))
    vocab: dict[str, int] = {w: i for i, w in enumerate(g)}
    ids: list[int] = []
    scores: list[float] = []
    for t, c in zip(texts, content):
        toks = _WORD.findall(t.lower())
        ids.extend(vocab.setdefault(w, len(vocab)) for w in toks)
        scores.extend([float(c)] * len(toks))
    tok, score = np.array(ids, dtype=np.int64), np.array(scores, dtype=float)
    gold_c = np.zeros(len(vocab), dtype=np.int64)
    gold_c[:len(g)] = list(g.values())
    n_gold = float(gold_c.sum())
    out = np.zeros((len(thresholds), 3))
    for k, th in enumerate(thresholds):
        kept = np.bincount(tok[score >= th], minlength=len(vocab))
        n_pred = float(kept.sum())
        if n_gold == 0:
            out[k] = 1.0 if n_pred == 0 else 0.0
            continue
        tp = float(np.minimum(kept, gold_c).sum())
        if n_pred == 0 or tp == 0:
            continue
        prec, rec = tp / n_pred, tp / n_gold
        out[k] = prec, rec, 2 * prec * rec / (prec + rec)
    return out


@dataclass
class _Scored:
    """One model's scores on a list of documents, with the per-document figures the bootstrap resamples."""

    proba: np.ndarray        # (paragraphs, labels)
    pred: np.ndarray         # predicted label index per paragraph
    truth: np.ndarray        # true label index per paragraph
    threshold: float
    bounds: np.ndarray       # (documents + 1,): paragraph offsets of the documents
    pairs: list[tuple[str, str]]  # (kept text, reference text) per document
    word: np.ndarray         # (documents, 3): word P, R, F1
    sh_p: np.ndarray         # shingle precision per document, NaN where undefined
    sh_r: np.ndarray         # shingle recall per document, NaN where undefined
    conf: np.ndarray         # (documents, labels * labels): each document's confusion counts
    word_sweep: np.ndarray   # (documents, thresholds, 3): word P, R, F1 at each sweep threshold

    @property
    def content(self) -> np.ndarray:
        return self.proba[:, _CONTENT]


def _reference(d: LabeledDoc) -> str:
    """A document's reference text: its ``gold`` field, else its content paragraphs."""
    gold = d.extra.get("gold")
    if isinstance(gold, str):
        return gold
    return "\n\n".join(t for t, l in zip(d.texts, d.labels) if l == "content")


def _score(model: Any, docs: Sequence[LabeledDoc], threshold: float) -> _Scored:
    """Score every paragraph once and compute the per-document figures."""
    k = len(LABELS)
    proba = model.predict_proba_features(featurize([d.texts for d in docs])) if docs else np.zeros((0, k))
    proba = np.asarray(proba, dtype=float).reshape(-1, k)
    pred = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=np.int64)
    truth = np.array([LABELS.index(l) for d in docs for l in d.labels], dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum([len(d.texts) for d in docs])]).astype(np.int64)
    content = proba[:, _CONTENT]
    thresholds = np.array(THRESHOLDS)
    pairs = []
    word_sweep = np.zeros((len(docs), len(thresholds), 3))
    for i, d in enumerate(docs):
        a, b = bounds[i], bounds[i + 1]
        cleaned = "\n\n".join(t for t, c in zip(d.texts, content[a:b]) if c >= threshold)
        gold = _reference(d)
        pairs.append((cleaned, gold))
        word_sweep[i] = _word_sweep(d.texts, gold, content[a:b], thresholds)
    word = np.array([word_prf(c, g) for c, g in pairs], dtype=float).reshape(-1, 3)
    sh = [shingle_prf(*shingle_counts(c, g)) for c, g in pairs]
    sh_p = np.array([np.nan if p is None else p for p, _ in sh], dtype=float)
    sh_r = np.array([np.nan if r is None else r for _, r in sh], dtype=float)
    doc = np.repeat(np.arange(len(docs)), np.diff(bounds))
    conf = np.bincount(doc * k * k + truth * k + pred, minlength=len(docs) * k * k).reshape(len(docs), k * k)
    return _Scored(proba, pred, truth, float(threshold), bounds, pairs, word, sh_p, sh_r, conf, word_sweep)


def _headline(s: _Scored, idx: np.ndarray) -> dict[str, np.ndarray]:
    """The ``HEADLINE`` figures for each row of document indices ``idx`` (resamples, documents).

    With ``idx = arange(documents)[None]`` these are the point figures: mean word F1 over documents;
    the benchmark's shingle F1 (F1 of the mean precision and mean recall, undefined pages left out);
    macro paragraph F1 and content precision, recall and F1 from the summed confusion counts.
    """
    rows = len(idx)

    def nanmean(v: np.ndarray) -> np.ndarray:
        ok = ~np.isnan(v)
        cnt = ok[idx].sum(axis=1)
        tot = np.where(ok, v, 0.0)[idx].sum(axis=1)
        return np.divide(tot, cnt, out=np.zeros(rows), where=cnt > 0)

    k = len(LABELS)
    wf = s.word[:, 2][idx].mean(axis=1) if idx.shape[1] else np.zeros(rows)
    sf = _f1(nanmean(s.sh_p), nanmean(s.sh_r))
    conf = np.stack([s.conf[:, j][idx].sum(axis=1) for j in range(k * k)], axis=1).reshape(rows, k, k)
    p, r, f = _prf(np.diagonal(conf, axis1=1, axis2=2), conf.sum(axis=1), conf.sum(axis=2))
    return {"word_f1": wf, "shingle_f1": sf, "macro_f1": f.mean(axis=1), "content_precision": p[:, _CONTENT],
            "content_recall": r[:, _CONTENT], "content_f1": f[:, _CONTENT]}


def _f1(p: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Elementwise F1 of precision and recall arrays (0 where both are 0)."""
    return np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=(p + r) > 0)


def _resampled(scored: Sequence[_Scored], n: int = N_BOOTSTRAP, seed: int = BOOTSTRAP_SEED) -> list[dict[str, np.ndarray]]:
    """The headline figures of each model on ``n`` bootstrap resamples of the documents.

    Every model sees the same resample indices (one seeded stream), so differences are paired.
    """
    m = len(scored[0].word)
    out: list[dict[str, list[np.ndarray]]] = [{key: [] for key in HEADLINE} for _ in scored]
    if m == 0:
        return [{key: np.zeros(0) for key in HEADLINE} for _ in scored]
    rng = np.random.default_rng(seed)
    chunk = max(1, _RESAMPLE_CELLS // m)
    for start in range(0, n, chunk):
        idx = rng.integers(0, m, size=(min(chunk, n - start), m))
        for o, s in zip(out, scored):
            for key, v in _headline(s, idx).items():
                o[key].append(v)
    return [{key: np.concatenate(v) for key, v in o.items()} for o in out]


def _interval(v: np.ndarray) -> list[float] | None:
    """The 95% percentile interval of bootstrap values (None when there are none)."""
    return [float(x) for x in np.percentile(v, [2.5, 97.5])] if len(v) else None


def _prf(tp: np.ndarray, n_pred: np.ndarray, n_true: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp, n_pred, n_true = (np.asarray(a, dtype=float) for a in (tp, n_pred, n_true))
    p = np.divide(tp, n_pred, out=np.zeros_like(tp), where=n_pred > 0)
    r = np.divide(tp, n_true, out=np.zeros_like(tp), where=n_true > 0)
    return p, r, _f1(p, r)


def _report(s: _Scored, docs: Sequence[LabeledDoc], boot: dict[str, np.ndarray], worst: int) -> dict[str, Any]:
    """The report dict of one scored model (see ``evaluate_docs``)."""
    truth = [LABELS[i] for i in s.truth]
    pred = [LABELS[i] for i in s.pred]
    report: dict[str, Any] = {"documents": len(docs), "paragraphs": len(truth), "threshold": s.threshold,
                              "paragraph": paragraph_report(truth, pred, LABELS)}
    report["paragraph"]["predicted"] = {l: int(np.sum(s.pred == i)) for i, l in enumerate(LABELS)}
    report["word"] = mean_word_f1(s.pairs)
    report["shingle"] = benchmark_shingle_f1(s.pairs)
    report["bootstrap"] = {"resamples": N_BOOTSTRAP, "seed": BOOTSTRAP_SEED, "level": 0.95,
                           **{key: _interval(v) for key, v in boot.items()}}

    wf = s.word[:, 2]
    sp, sr = np.nan_to_num(s.sh_p), np.nan_to_num(s.sh_r)  # undefined means nothing kept or no gold: F1 0
    sf = _f1(sp, sr)
    edges = np.linspace(0, 1, HIST_BINS + 1)
    report["distribution"] = {
        "word_f1_quantiles": ({str(q): float(v) for q, v in zip(QUANTILES, np.percentile(wf, QUANTILES))}
                              if len(wf) else {}),
        "word_f1_min": float(wf.min()) if len(wf) else None,
        "documents_below_0.5": int((wf < 0.5).sum()),
        "histogram": {"edges": [round(float(e), 4) for e in edges],
                      "word_f1": np.histogram(wf, edges)[0].tolist(),
                      "shingle_f1": np.histogram(sf, edges)[0].tolist()},
    }
    report["sweep"] = _sweep(s)
    report["pr_curve"] = _pr_curve(s)
    report["calibration"] = _calibration(s)

    worst_docs = []
    for i in (np.argsort(wf, kind="stable")[:worst] if len(wf) else []):
        d, a, b = docs[i], s.bounds[i], s.bounds[i + 1]
        paras = [{"index": j, "true": t, "pred": LABELS[p], "score": round(float(pr[p]), 4),
                  "content": round(float(pr[_CONTENT]), 4), "kept": bool(pr[_CONTENT] >= s.threshold),
                  "wrong": t != LABELS[p], "text": x[:WORST_TEXT], "chars": len(x)}
                 for j, (t, p, pr, x) in enumerate(zip(d.labels, s.pred[a:b], s.proba[a:b], d.texts))]
        worst_docs.append({"id": d.id, "word_f1": float(wf[i]), "word_precision": float(s.word[i, 0]),
                           "word_recall": float(s.word[i, 1]), "paragraphs": paras,
                           "wrong": sum(p["wrong"] for p in paras)})
    report["worst"] = worst_docs
    return report


def _sweep(s: _Scored) -> dict[str, Any]:
    """Content vs. the rest at each of ``THRESHOLDS``: per paragraph, and word P/R/F1 averaged over documents."""
    thresholds = np.array(THRESHOLDS)
    is_content = s.truth == _CONTENT
    kept = s.content[:, None] >= thresholds[None, :]
    pp, pr, pf = _prf((kept & is_content[:, None]).sum(axis=0), kept.sum(axis=0),
                      np.full(len(thresholds), is_content.sum()))
    wmean = s.word_sweep.mean(axis=0) if len(s.word_sweep) else np.zeros((len(thresholds), 3))
    rows = [{"threshold": float(t), "paragraph": {"precision": float(a), "recall": float(b), "f1": float(c)},
             "word": {"precision": float(w[0]), "recall": float(w[1]), "f1": float(w[2])}}
            for t, a, b, c, w in zip(thresholds, pp, pr, pf, wmean)]
    return {"rows": rows, "best_paragraph_f1": rows[int(np.argmax(pf))]["threshold"],
            "best_word_f1": rows[int(np.argmax(wmean[:, 2]))]["threshold"]}


def _pr_curve(s: _Scored, steps: int = 100) -> dict[str, Any]:
    """Paragraph precision and recall of content (content probability >= t) for t = 0, 0.01, ..., 1
    (the thresholds that keep at least one paragraph), and the average precision."""
    thresholds = np.linspace(0, 1, steps + 1)
    is_content = s.truth == _CONTENT
    order = np.sort(s.content)
    pos = np.sort(s.content[is_content])
    n_kept = len(order) - np.searchsorted(order, thresholds, side="left")
    tp = len(pos) - np.searchsorted(pos, thresholds, side="left")
    p, r, _ = _prf(tp, n_kept, np.full(len(thresholds), len(pos)))
    some = n_kept > 0  # precision is undefined where nothing is kept: those thresholds are left out
    thresholds, p, r = thresholds[some], p[some], r[some]
    ap = None
    if 0 < len(pos) < len(order):
        from sklearn.metrics import average_precision_score

        ap = float(average_precision_score(is_content, s.content))
    return {"thresholds": [round(float(t), 2) for t in thresholds], "precision": [round(float(x), 5) for x in p],
            "recall": [round(float(x), 5) for x in r], "average_precision": ap}


def _calibration(s: _Scored) -> dict[str, Any]:
    """Reliability of the content probability: per bin of 0.1, the mean probability and the share truly content."""
    edges = np.linspace(0, 1, CALIBRATION_BINS + 1)
    is_content = (s.truth == _CONTENT).astype(float)
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
    scored = _score(model, docs, threshold)
    return _report(scored, docs, _resampled([scored])[0], worst)


def compare_docs(model_a: Any, model_b: Any, docs: Sequence[LabeledDoc], threshold_a: float = 0.5,
                 threshold_b: float = 0.5, worst: int = N_WORST) -> dict[str, Any]:
    """Two models on the same documents: ``{"a": report, "b": report, "comparison": ...}``.

    ``comparison["figures"]`` holds, for each ``HEADLINE`` figure, A, B, the difference B - A and the 95%
    interval of the difference from a paired bootstrap (the same resampled documents for both models).
    """
    docs = list(docs)
    sa, sb = _score(model_a, docs, threshold_a), _score(model_b, docs, threshold_b)
    boot_a, boot_b = _resampled([sa, sb])
    whole = np.arange(len(docs))[None, :]
    point_a, point_b = _headline(sa, whole), _headline(sb, whole)
    figures = {key: {"a": float(point_a[key][0]), "b": float(point_b[key][0]),
                     "difference": float(point_b[key][0] - point_a[key][0]),
                     "interval": _interval(boot_b[key] - boot_a[key])} for key in HEADLINE}
    return {"a": _report(sa, docs, boot_a, worst), "b": _report(sb, docs, boot_b, worst),
            "comparison": {"documents": len(docs), "resamples": N_BOOTSTRAP, "seed": BOOTSTRAP_SEED, "level": 0.95,
                           "figures": figures}}


def model_name(model: Any) -> str:
    """How a model argument is named in reports: ``default``, its directory, or ``(in memory)``."""
    if model is None:
        return "default"
    return os.fspath(model) if isinstance(model, (str, os.PathLike)) else "(in memory)"


def _load(data: str | os.PathLike[str] | Sequence[LabeledDoc]) -> list[LabeledDoc]:
    return read_labeled(data) if isinstance(data, (str, os.PathLike)) else list(data)


def evaluate_model(data: str | os.PathLike[str] | Sequence[LabeledDoc], model: Any = None,
                   threshold: float | None = None, worst: int = N_WORST) -> dict[str, Any]:
    """``evaluate_docs`` for a JSONL path or documents, with a model directory, model or the default."""
    from ..api import Cleaner

    cleaner = Cleaner(model, threshold=threshold)
    report = evaluate_docs(cleaner.model, _load(data), cleaner.threshold, worst)
    report["model"] = model_name(model)
    return report


def compare_models(data: str | os.PathLike[str] | Sequence[LabeledDoc], model_a: Any, model_b: Any,
                   threshold: float | None = None, worst: int = N_WORST) -> dict[str, Any]:
    """``compare_docs`` for a JSONL path or documents; each model uses its own threshold unless one is given."""
    from ..api import Cleaner

    a, b = Cleaner(model_a, threshold=threshold), Cleaner(model_b, threshold=threshold)
    out = compare_docs(a.model, b.model, _load(data), a.threshold, b.threshold, worst)
    out["a"]["model"], out["b"]["model"] = model_name(model_a), model_name(model_b)
    return out


# ---- held-out evaluation beside a trained model ------------------------------------------------------------

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


_TEXT_KEYS = ("worst", "source", "model")  # report parts that hold text or names, never written beside a model


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


def format_markdown(summary: dict[str, Any]) -> str:
    """``evaluation.md``: the summary as Markdown tables a person reads."""
    def share(c: dict[str, int]) -> str:
        n = max(1, sum(c.values()))
        return " | ".join(f"{c[l]:,} ({100 * c[l] / n:.1f}%)" for l in LABELS)

    lines = ["# Held-out evaluation of this model", ""]
    if summary.get("trained_on"):
        lines += [f"Trained on: {summary['trained_on']}", ""]
    sp = summary["split"]
    lines += ["Held-out split: " + ", ".join(f"{k} {v}" for k, v in sp.items()), "",
              "## Data", "", "| part | documents | paragraphs | " + " | ".join(LABELS) + " |",
              "|---|---|---|" + "---|" * len(LABELS)]
    t = summary["train"]
    lines.append(f"| training | {t['documents']:,} | {t['paragraphs']:,} | {share(t['labels'])} |")
    for name, r in summary["heldout"].items():
        sup = {l: v["support"] for l, v in r["paragraph"]["per_label"].items()}
        lines.append(f"| held out: {name} | {r['documents']:,} | {r['paragraphs']:,} | {share(sup)} |")
    lines += ["", f"Threshold: {summary['threshold']:.2f} (a paragraph is kept when its content probability reaches it)."]
    if not summary["heldout"]:
        lines += ["", "No held-out split (trained on all documents): no held-out figures."]
        return "\n".join(lines) + "\n"
    lines += ["", "## Held-out figures", "",
              "95% intervals: bootstrap over documents (1,000 resamples, seed 0). Word F1: lowercased `\\w+` tokens, "
              "F1 per document, averaged; shingle F1: the scrapinghub benchmark's metric.", "",
              "| held-out split | documents | word F1 | 95% interval | shingle F1 | 95% interval | macro paragraph F1 "
              "| best threshold (word F1) |", "|---|---|---|---|---|---|---|---|"]
    for name, r in summary["heldout"].items():
        b = r["bootstrap"]
        ci = lambda k: f"{b[k][0]:.4f}-{b[k][1]:.4f}" if b.get(k) else "-"  # noqa: E731
        lines.append(f"| {name} | {r['documents']:,} | {r['word']['f1']:.4f} | {ci('word_f1')} | {r['shingle']['f1']:.4f} "
                     f"| {ci('shingle_f1')} | {r['paragraph']['macro_f1']:.4f} | {r['sweep']['best_word_f1']:.2f} |")
    lines += ["", "Paragraph precision / recall / F1 per label:", "",
              "| held-out split | " + " | ".join(LABELS) + " |", "|---|" + "---|" * len(LABELS)]
    for name, r in summary["heldout"].items():
        pl = r["paragraph"]["per_label"]
        lines.append(f"| {name} | " + " | ".join(f"{pl[l]['precision']:.3f} / {pl[l]['recall']:.3f} / {pl[l]['f1']:.3f}"
                                                for l in LABELS) + " |")
    return "\n".join(lines) + "\n"


def write_evaluation(directory: str | os.PathLike[str], summary: dict[str, Any]) -> tuple[Path, Path]:
    """Write ``evaluation.json`` and ``evaluation.md`` into a model directory; returns both paths."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    js, md = d / "evaluation.json", d / "evaluation.md"
    js.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    md.write_text(format_markdown(summary), encoding="utf-8")
    return js, md


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
    b = report.get("bootstrap")
    if b and b.get("word_f1"):
        lines += [f"95% intervals over documents ({b['resamples']} bootstrap resamples, seed {b['seed']}): "
                  f"word F1 {b['word_f1'][0]:.4f}-{b['word_f1'][1]:.4f}, "
                  f"shingle F1 {b['shingle_f1'][0]:.4f}-{b['shingle_f1'][1]:.4f}"]
    dist = report.get("distribution")
    if dist and dist.get("word_f1_quantiles"):
        q = dist["word_f1_quantiles"]
        lines += ["word F1 over documents: " + "  ".join(f"p{k} {v:.3f}" for k, v in q.items())
                  + f"  min {dist['word_f1_min']:.3f}; {dist['documents_below_0.5']} below 0.5"]
    cal, pr = report.get("calibration"), report.get("pr_curve")
    if cal and pr and cal.get("brier") is not None:
        ap = pr.get("average_precision")
        lines += [f"content probability: expected calibration error {cal['expected_calibration_error']:.3f}, "
                  f"Brier {cal['brier']:.3f}" + (f"; average precision {ap:.3f}" if ap is not None else "")]
    sw = report.get("sweep")
    if sw:
        lines += ["", "threshold sweep (content kept at >= t)",
                  f"  {'t':<7}{'para P':>8}{'R':>7}{'F1':>7}{'word P':>10}{'R':>7}{'F1':>8}"]
        for r in sw["rows"]:
            t = r["threshold"]
            mark = "".join(m for m, best in (("*", sw["best_word_f1"]), ("+", sw["best_paragraph_f1"])) if t == best)
            if not mark and t != report["threshold"] and round(t * 20) % 2:
                continue  # every 0.1, the current and the best thresholds
            pa, wo = r["paragraph"], r["word"]
            lines.append(f"  {t:<4.2f}{mark:<3}{pa['precision']:>8.3f}{pa['recall']:>7.3f}{pa['f1']:>7.3f}"
                         f"{wo['precision']:>10.3f}{wo['recall']:>7.3f}{wo['f1']:>8.4f}")
        lines.append(f"  best: word F1 at {sw['best_word_f1']:.2f} (*), paragraph F1 at {sw['best_paragraph_f1']:.2f} (+)")
    worst = report.get("worst")
    if worst:
        lines += ["", f"worst {len(worst)} documents by word F1 (paragraphs: index, true>predicted, content score; "
                      "! = wrong label)"]
        for w in worst:
            pid, _, rend = w["id"].partition("/")
            name = (pid[:12] + "..." if len(pid) > 20 else pid) + ("/" + rend if rend else "")
            lines.append(f"  {name}  word F1 {w['word_f1']:.3f} (P {w['word_precision']:.3f} R {w['word_recall']:.3f})"
                         f", {w['wrong']} of {len(w['paragraphs'])} paragraphs wrong")
            shown = [p for p in w["paragraphs"] if p["wrong"]][:6]
            for p in shown:
                lines.append(f"    ! {p['index']:>4} {p['true'][:4]}>{p['pred'][:4]} {p['content']:.2f}  {p['text'][:60]!r}")
            if w["wrong"] > len(shown):
                lines.append(f"      ... {w['wrong'] - len(shown)} more wrong (all paragraphs in the JSON report)")
    return "\n".join(lines)


def format_comparison(result: dict[str, Any]) -> str:
    """The terminal table of a ``compare_docs`` result: each figure for A and B, B - A and its 95% interval."""
    c, a, b = result["comparison"], result["a"], result["b"]
    lines = [f"A: {a.get('model', 'A')} (threshold {a['threshold']:.2f})",
             f"B: {b.get('model', 'B')} (threshold {b['threshold']:.2f})",
             f"{c['documents']} documents; paired bootstrap over documents ({c['resamples']} resamples, seed {c['seed']})",
             "", f"{'figure':<22}{'A':>9}{'B':>9}{'B - A':>10}   95% interval of B - A"]
    for key, f in c["figures"].items():
        lo, hi = f["interval"] or (0.0, 0.0)
        sure = " *" if f["interval"] and (lo > 0 or hi < 0) else ""
        lines.append(f"{HEADLINE[key]:<22}{f['a']:>9.4f}{f['b']:>9.4f}{f['difference']:>+10.4f}   "
                     f"{lo:+.4f} .. {hi:+.4f}{sure}")
    lines.append("* the interval excludes 0")
    return "\n".join(lines)
