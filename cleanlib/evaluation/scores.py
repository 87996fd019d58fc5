"""One model's scores on labeled documents, computed once: each paragraph's probabilities and each
document's kept text, word and shingle figures and confusion counts; and the ``HEADLINE`` figures
from them, for the whole set or for any resample of its documents (what ``bootstrap`` resamples).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..core.decide import kept
from ..core.features import Features, featurize
from ..core.scoring import Model
from ..data import LABELS, LabeledDoc, one_a_line
from .metrics import shingle_counts, shingle_prf, word_prf

__all__ = ["Scores", "score_docs", "reference_text", "headline", "prf", "f1", "THRESHOLDS", "HEADLINE", "CONTENT"]

THRESHOLDS = tuple(round(0.05 * i, 2) for i in range(1, 20))  # the threshold sweep
# the headline figures, as bootstrapped and compared: key -> how a person reads it
HEADLINE = {"word_f1": "word F1", "shingle_f1": "shingle F1", "macro_f1": "macro paragraph F1",
            "content_precision": "content precision", "content_recall": "content recall",
            "content_f1": "content F1"}
CONTENT = LABELS.index("content")
_WORD = re.compile(r"\w+")


@dataclass
class Scores:
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
    kept: np.ndarray         # whether clean() keeps each paragraph (the threshold, and the rescue)

    @property
    def content(self) -> np.ndarray:
        """Each paragraph's content probability."""
        return self.proba[:, CONTENT]


def reference_text(d: LabeledDoc) -> str:
    """A document's reference text: its ``gold`` field, else its content paragraphs."""
    gold = d.extra.get("gold")
    if isinstance(gold, str):
        return gold
    return "\n\n".join(t for t, l in zip(d.texts, d.labels) if l == "content")


def doc_features(model: Model, docs: Sequence[LabeledDoc]) -> Features:
    """Features of labeled documents as the model reads them: their paragraphs, or for an HTML model the
    page blocks each document carries in ``extra["blocks"]`` (``corpora.html_docs``)."""
    params = model.get_params() if hasattr(model, "get_params") else {}
    if params.get("input", "text") != "html":
        return featurize([d.texts for d in docs], [one_a_line(d) for d in docs])
    missing = [d.id for d in docs if "blocks" not in d.extra]
    if missing:
        raise ValueError(f"an HTML model scores HTML pages: {missing[0]!r} has no blocks (evaluate it with --html)")
    from ..html.features import featurize_html

    return featurize_html([d.extra["blocks"] for d in docs])


def score_docs(model: Model, docs: Sequence[LabeledDoc], threshold: float) -> Scores:
    """Score every paragraph once and compute the per-document figures (paragraphs kept at ``threshold``)."""
    k = len(LABELS)
    proba = model.predict_proba_features(doc_features(model, docs)) if docs else np.zeros((0, k))
    proba = np.asarray(proba, dtype=float).reshape(-1, k)
    pred = proba.argmax(axis=1) if len(proba) else np.zeros(0, dtype=np.int64)
    truth = np.array([LABELS.index(l) for d in docs for l in d.labels], dtype=np.int64)
    bounds = np.concatenate([[0], np.cumsum([len(d.texts) for d in docs])]).astype(np.int64)
    content = proba[:, CONTENT]
    thresholds = np.array(THRESHOLDS)
    vetoed = np.concatenate([d.extra["blocks"].in_comments for d in docs]) if docs and all(
        "blocks" in d.extra for d in docs) else None  # HTML pages: kept as clean_html keeps them
    keep = kept(content, [d.texts for d in docs], threshold, vetoed=vetoed, threads=vetoed is None)
    pairs = []
    word_sweep = np.zeros((len(docs), len(thresholds), 3))
    for i, d in enumerate(docs):
        a, b = bounds[i], bounds[i + 1]
        cleaned = "\n\n".join(t for t, k in zip(d.texts, keep[a:b]) if k)
        gold = reference_text(d)
        pairs.append((cleaned, gold))
        word_sweep[i] = _word_sweep(d.texts, gold, content[a:b], thresholds)
    word = np.array([word_prf(c, g) for c, g in pairs], dtype=float).reshape(-1, 3)
    sh = [shingle_prf(*shingle_counts(c, g)) for c, g in pairs]
    sh_p = np.array([np.nan if p is None else p for p, _ in sh], dtype=float)
    sh_r = np.array([np.nan if r is None else r for _, r in sh], dtype=float)
    doc = np.repeat(np.arange(len(docs)), np.diff(bounds))
    conf = np.bincount(doc * k * k + truth * k + pred, minlength=len(docs) * k * k).reshape(len(docs), k * k)
    return Scores(proba, pred, truth, float(threshold), bounds, pairs, word, sh_p, sh_r, conf, word_sweep, keep)


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


def headline(s: Scores, idx: np.ndarray) -> dict[str, np.ndarray]:
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
    sf = f1(nanmean(s.sh_p), nanmean(s.sh_r))
    conf = np.stack([s.conf[:, j][idx].sum(axis=1) for j in range(k * k)], axis=1).reshape(rows, k, k)
    p, r, f = prf(np.diagonal(conf, axis1=1, axis2=2), conf.sum(axis=1), conf.sum(axis=2))
    return {"word_f1": wf, "shingle_f1": sf, "macro_f1": f.mean(axis=1), "content_precision": p[:, CONTENT],
            "content_recall": r[:, CONTENT], "content_f1": f[:, CONTENT]}


def f1(p: np.ndarray, r: np.ndarray) -> np.ndarray:
    """Elementwise F1 of precision and recall arrays (0 where both are 0)."""
    return np.divide(2 * p * r, p + r, out=np.zeros_like(p), where=(p + r) > 0)


def prf(tp: np.ndarray, n_pred: np.ndarray, n_true: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Elementwise precision, recall and F1 from true positives, predicted and true counts (0 where undefined)."""
    tp, n_pred, n_true = (np.asarray(a, dtype=float) for a in (tp, n_pred, n_true))
    p = np.divide(tp, n_pred, out=np.zeros_like(tp), where=n_pred > 0)
    r = np.divide(tp, n_true, out=np.zeros_like(tp), where=n_true > 0)
    return p, r, f1(p, r)
