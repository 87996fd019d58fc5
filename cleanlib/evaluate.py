"""Score a model on labeled documents: per-label paragraph figures and document-level text F1."""
from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any, Sequence

import numpy as np

from .data import LABELS, LabeledDoc, read_labeled
from .features import featurize
from .metrics import (benchmark_shingle_f1, mean_word_f1, paragraph_report, shingle_counts, shingle_prf,
                      word_prf)
from .model import ParagraphClassifier

__all__ = ["evaluate_model", "evaluate_docs", "format_summary", "THRESHOLDS"]


THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))
QUANTILES = (5, 25, 50, 75, 95)
N_BOOTSTRAP = 1000
BOOTSTRAP_SEED = 0
N_WORST = 5
_WORD = re.compile(r"\w+")


def _bootstrap(word_f1: np.ndarray, sh_p: np.ndarray, sh_r: np.ndarray, n: int = N_BOOTSTRAP,
               seed: int = BOOTSTRAP_SEED) -> dict[str, Any]:
    """95% percentile intervals over documents for mean word F1 and for the shingle F1.

    ``sh_p``/``sh_r`` hold each page's shingle precision/recall, NaN where undefined; the shingle
    F1 is F1 of the resampled mean P and mean R, as the benchmark defines it.
    """
    m = len(word_f1)
    if m == 0:
        return {"resamples": n, "seed": seed, "level": 0.95, "word_f1": None, "shingle_f1": None}
    idx = np.random.default_rng(seed).integers(0, m, size=(n, m))
    wf = word_f1[idx].mean(axis=1)

    def nanmean(v: np.ndarray) -> np.ndarray:
        ok = ~np.isnan(v)
        cnt = ok[idx].sum(axis=1)
        tot = np.where(ok, v, 0.0)[idx].sum(axis=1)
        return np.divide(tot, cnt, out=np.zeros(n), where=cnt > 0)

    p, r = nanmean(sh_p), nanmean(sh_r)
    sf = np.divide(2 * p * r, p + r, out=np.zeros(n), where=(p + r) > 0)
    ci = lambda v: [float(x) for x in np.percentile(v, [2.5, 97.5])]  # noqa: E731
    return {"resamples": n, "seed": seed, "level": 0.95, "word_f1": ci(wf), "shingle_f1": ci(sf)}


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


def _prf(tp: np.ndarray, n_pred: np.ndarray, n_true: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    tp, n_pred, n_true = (np.asarray(a, dtype=float) for a in (tp, n_pred, n_true))
    p = np.divide(tp, n_pred, out=np.zeros_like(tp), where=n_pred > 0)
    r = np.divide(tp, n_true, out=np.zeros_like(tp), where=n_true > 0)
    f = np.divide(2 * p * r, p + r, out=np.zeros_like(tp), where=(p + r) > 0)
    return p, r, f


def evaluate_docs(model: ParagraphClassifier, docs: Sequence[LabeledDoc], threshold: float = 0.5) -> dict[str, Any]:
    """Paragraph precision/recall per label, and word and shingle F1 of the kept text.

    The reference text of a document is its ``gold`` field when the record has one (the page's
    human-written main text), else its content paragraphs joined by blank lines.

    Beyond the point figures the report holds ``bootstrap`` (95% intervals over documents for word
    and shingle F1, fixed seed), ``distribution`` (quantiles of per-document word F1), ``sweep``
    (content P/R/F1 by paragraph and word F1 for thresholds 0.05..0.95, with the best threshold) and
    ``worst`` (the lowest word-F1 documents with every paragraph's true and predicted label).
    """
    proba = model.predict_proba_features(featurize([d.texts for d in docs]))
    pred = np.array(LABELS)[proba.argmax(axis=1)] if len(proba) else np.array([], dtype=str)
    truth = [l for d in docs for l in d.labels]
    report: dict[str, Any] = {"documents": len(docs), "paragraphs": len(truth), "threshold": threshold,
                              "paragraph": paragraph_report(truth, list(pred), LABELS)}
    content = proba[:, LABELS.index("content")] if len(proba) else np.zeros(0)
    thresholds = np.array(THRESHOLDS)
    pairs, golds, bounds = [], [], []
    word_sweep = np.zeros((len(docs), len(thresholds), 3))
    row = 0
    for i, d in enumerate(docs):
        bounds.append((row, row + len(d.texts)))
        keep = content[row:row + len(d.texts)] >= threshold
        cleaned = "\n\n".join(t for t, k in zip(d.texts, keep) if k)
        gold = d.extra.get("gold")
        if not isinstance(gold, str):
            gold = "\n\n".join(t for t, l in zip(d.texts, d.labels) if l == "content")
        pairs.append((cleaned, gold))
        golds.append(gold)
        word_sweep[i] = _word_sweep(d.texts, gold, content[row:row + len(d.texts)], thresholds)
        row += len(d.texts)
    report["word"] = mean_word_f1(pairs)
    report["shingle"] = benchmark_shingle_f1(pairs)

    # per-document scores
    word = np.array([word_prf(c, g) for c, g in pairs]).reshape(-1, 3)
    sh = [shingle_prf(*shingle_counts(c, g)) for c, g in pairs]
    sh_p = np.array([np.nan if p is None else p for p, _ in sh], dtype=float)
    sh_r = np.array([np.nan if r is None else r for _, r in sh], dtype=float)
    report["bootstrap"] = _bootstrap(word[:, 2], sh_p, sh_r)
    report["distribution"] = {
        "word_f1_quantiles": ({str(q): float(v) for q, v in zip(QUANTILES, np.percentile(word[:, 2], QUANTILES))}
                              if len(word) else {}),
        "word_f1_min": float(word[:, 2].min()) if len(word) else None,
        "documents_below_0.5": int((word[:, 2] < 0.5).sum()),
    }

    # threshold sweep: content vs. rest, per paragraph (vectorized) and word F1 per document
    is_content = np.array([l == "content" for l in truth], dtype=bool)
    kept = content[:, None] >= thresholds[None, :]
    pp, pr, pf = _prf((kept & is_content[:, None]).sum(axis=0), kept.sum(axis=0),
                      np.full(len(thresholds), is_content.sum()))
    wmean = word_sweep.mean(axis=0) if len(docs) else np.zeros((len(thresholds), 3))
    rows = [{"threshold": float(t), "paragraph": {"precision": float(a), "recall": float(b), "f1": float(c)},
             "word": {"precision": float(w[0]), "recall": float(w[1]), "f1": float(w[2])}}
            for t, a, b, c, w in zip(thresholds, pp, pr, pf, wmean)]
    report["sweep"] = {"rows": rows,
                       "best_paragraph_f1": rows[int(np.argmax(pf))]["threshold"],
                       "best_word_f1": rows[int(np.argmax(wmean[:, 2]))]["threshold"]}

    # worst documents by word F1
    worst = []
    for i in np.argsort(word[:, 2], kind="stable")[:N_WORST] if len(word) else []:
        d, (a, b) = docs[i], bounds[i]
        paras = [{"index": j, "true": t, "pred": str(pr_), "content": round(float(c), 4), "kept": bool(c >= threshold),
                  "wrong": t != pr_, "text": x[:80]}
                 for j, (t, pr_, c, x) in enumerate(zip(d.labels, pred[a:b], content[a:b], d.texts))]
        worst.append({"id": d.id, "word_f1": float(word[i, 2]), "word_precision": float(word[i, 0]),
                      "word_recall": float(word[i, 1]), "paragraphs": paras,
                      "wrong": sum(p["wrong"] for p in paras)})
    report["worst"] = worst
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
