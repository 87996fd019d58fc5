"""The paragraph classifier: how a paragraph is scored.

Two passes over a document, both computed for all paragraphs of a batch at once:

1. **Own evidence.** A linear model (multinomial logistic regression) scores each paragraph from
   its hashed words and cue tokens and its standardized dense features (``features.py``).
2. **Context.** Gradient-boosted trees rescore each paragraph from its dense features plus the
   first pass's probabilities around it: its neighbours up to three away,
   window means, how much likely content lies before and after it, and whether it sits inside the
   document's span of likely content. This is what makes a short teaser after "Watch Next:" at the
   end of an article boilerplate, and a menu at the top navigation.

The second pass is trained on out-of-fold first-pass probabilities (documents grouped by page), so
it learns how far to trust the first pass on text it has not seen. Its softmax output is the
score; 0.5 on ``content`` is the default threshold.

After ``fit`` every parameter is a numpy array (``to_arrays``), which is what ``save`` writes and
``load`` reads back: no pickle, and prediction is the same numpy code before and after saving.
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.ensemble import HistGradientBoostingClassifier

from .data import LABELS
from .features import N_HASH, Features, featurize, shift_many
from .trees import complete_layout, complete_raw_scores, export_hgb

__all__ = ["ParagraphClassifier", "context_features", "CONTEXT_NAMES"]

CONTENT, META, BOILERPLATE = 0, 1, 2  # column order of predict_proba: LABELS
_OFFSETS = (-3, -2, -1, 1, 2, 3)
CONTEXT_NAMES = (["p_content", "p_meta"] + [f"p_content@{k:+d}" for k in _OFFSETS] + ["p_meta@-1", "p_meta@+1"]
                 + ["mean_content_w2", "mean_content_w5", "mean_content_before", "mean_content_after",
                    "log_content_before", "log_content_after", "inside_content_span", "log_dist_to_content",
                    "doc_mean_content", "doc_max_content", "core_cosine"])


_ABSENT = -30.0  # logit given to a label the training data lacks


def _by_label(classes: np.ndarray, weights: np.ndarray, bias: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Reorder per-class weights into LABELS order; a label absent from training gets zero weight and a
    very low bias. Binary estimators return one column for classes[1]; expand it to two."""
    if len(classes) == 2 and weights.shape[axis] == 1:
        weights = np.concatenate([-weights / 2, weights / 2], axis=axis)
        bias = np.concatenate([-bias / 2, bias / 2])
    shape = list(weights.shape)
    shape[axis] = len(LABELS)
    w = np.zeros(shape)
    b = np.full(len(LABELS), _ABSENT)
    for j, c in enumerate(classes):
        np.moveaxis(w, axis, 0)[int(c)] = np.moveaxis(weights, axis, 0)[j]
        b[int(c)] = bias[j]
    return w, b


def _by_label_scores(raw: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Probabilities in LABELS order from the trees' raw scores for the labels they were trained on."""
    if len(labels) == 2:  # binary boosting: one score, the log-odds of labels[1]
        raw = np.hstack([np.zeros((len(raw), 1)), raw[:, :1]])
    out = np.full((len(raw), len(LABELS)), _ABSENT)
    out[:, labels] = raw
    return _softmax(out)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _doc_bounds(doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last row of each paragraph's document."""
    n = len(doc)
    change = np.flatnonzero(np.diff(doc)) + 1
    first = np.concatenate([[0], change])
    last = np.concatenate([change, [n]])
    seg = np.repeat(np.arange(len(first)), last - first)
    return first[seg], last[seg]


def core_cosine(F: Features, weight: np.ndarray) -> np.ndarray:
    """Cosine between each paragraph's content words and its document's core: the other paragraphs'
    words weighted by ``weight`` (likely content, long). A teaser or comment on another topic scores low."""
    n, n_docs = len(F.doc), int(F.doc.max()) + 1 if len(F.doc) else 0
    p, k = F.word_para, F.word_key
    core = np.bincount(k, weights=weight[p], minlength=len(F.key_doc))
    own = np.bincount(p, minlength=n).astype(np.float64)
    b_dot_core = np.bincount(p, weights=core[k], minlength=n)
    core_sq = np.bincount(F.key_doc, weights=core ** 2, minlength=n_docs)[F.doc]
    dot = b_dot_core - weight * own
    rest_sq = core_sq - 2 * weight * b_dot_core + weight ** 2 * own
    denom = np.sqrt(np.maximum(rest_sq, 0) * own)
    return np.where(denom > 1e-9, dot / np.maximum(denom, 1e-9), 0.0)


def context_features(proba: np.ndarray, F: Features) -> np.ndarray:
    """Features of each paragraph's surroundings from first-pass probabilities (columns: CONTEXT_NAMES)."""
    doc = F.doc
    n = len(doc)
    if n == 0:
        return np.zeros((0, len(CONTEXT_NAMES)))
    pc, pm = proba[:, CONTENT], proba[:, META]
    lo, hi = _doc_bounds(doc)
    idx = np.arange(n)
    cum = np.concatenate([[0.0], np.cumsum(pc)])

    def window_mean(k: int) -> np.ndarray:
        a, b = np.maximum(lo, idx - k), np.minimum(hi, idx + k + 1)
        return (cum[b] - cum[a]) / (b - a)

    likely = (pc >= 0.5).astype(np.float64)
    cl = np.concatenate([[0.0], np.cumsum(likely)])
    n_before, n_after = cl[idx] - cl[lo], cl[hi] - cl[idx + 1]
    before_mean = np.where(idx > lo, (cum[idx] - cum[lo]) / np.maximum(idx - lo, 1), 0.0)
    after_mean = np.where(hi > idx + 1, (cum[hi] - cum[idx + 1]) / np.maximum(hi - idx - 1, 1), 0.0)
    # distance to the nearest likely-content paragraph of the same document
    pos = np.where(likely > 0, idx, -1)
    prev_c = np.maximum.accumulate(pos)
    nxt = np.where(likely > 0, idx, n + 10 ** 9)
    next_c = np.minimum.accumulate(nxt[::-1])[::-1]
    d_prev = np.where(prev_c >= lo, idx - prev_c, 10 ** 6)
    d_next = np.where(next_c < hi, next_c - idx, 10 ** 6)
    dist = np.minimum(d_prev, d_next)
    doc_n = hi - lo
    doc_mean = (cum[hi] - cum[lo]) / doc_n
    firsts = np.flatnonzero(lo == idx)  # each document's first row
    doc_max = np.maximum.reduceat(pc, firsts)[np.searchsorted(firsts, lo)]
    cols = [pc, pm, shift_many(pc, _OFFSETS, doc)[0], shift_many(pm, (-1, 1), doc)[0]] \
        + [window_mean(2), window_mean(5), before_mean, after_mean, np.log1p(n_before), np.log1p(n_after),
           ((n_before > 0) & (n_after > 0)).astype(np.float64), np.log1p(np.minimum(dist, doc_n)),
           doc_mean, doc_max, core_cosine(F, pc * F.column("log_words"))]
    return np.column_stack(cols)


class ParagraphClassifier(ClassifierMixin, BaseEstimator):
    """Labels paragraphs content / meta / boilerplate from their text and their document.

    ``X`` is a sequence of documents, each a sequence of paragraph strings; ``y`` the matching
    sequence of label sequences. ``predict_proba`` returns one row a paragraph, all documents
    stacked in order, with columns in ``classes_`` order (content, meta, boilerplate).
    """

    def __init__(self, C: float = 0.1, n_trees: int = 100, max_depth: int = 6, learning_rate: float = 0.15,
                 n_folds: int = 4, max_iter: int = 100, random_state: int = 0):
        self.C = C
        self.n_trees = n_trees
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.n_folds = n_folds
        self.max_iter = max_iter
        self.random_state = random_state

    # --- training -------------------------------------------------------------------------------
    def _fit_first(self, F: Features, rows: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict[str, np.ndarray]:
        mean = F.dense[rows].mean(axis=0)
        scale = F.dense[rows].std(axis=0)
        scale[scale == 0] = 1.0
        arr = {"dense_mean": mean, "dense_scale": scale}
        X = self._first_matrix(F, arr)[rows]
        lr = LogisticRegression(C=self.C, max_iter=self.max_iter, random_state=self.random_state)
        with warnings.catch_warnings():  # max_iter caps training time on purpose; held-out figures judge the fit
            warnings.simplefilter("ignore", ConvergenceWarning)
            lr.fit(X, y[rows], sample_weight=w[rows])
        coef, arr["b_first"] = _by_label(lr.classes_, lr.coef_, lr.intercept_, axis=0)
        arr["w_sparse"] = coef[:, :N_HASH].astype(np.float32)
        arr["w_dense"] = coef[:, N_HASH:]
        return arr

    def fit(self, X: Sequence[Sequence[str]], y: Sequence[Sequence[str]], groups: Sequence[str] | None = None,
            sample_weight: np.ndarray | None = None) -> "ParagraphClassifier":
        """Train both passes. ``groups`` (one a document) keeps renderings of one page in one fold."""
        F = featurize(X)
        labels = [l for doc_labels in y for l in doc_labels]
        if len(labels) != len(F.doc):
            raise ValueError(f"{len(labels)} labels for {len(F.doc)} paragraphs")
        index = {l: i for i, l in enumerate(LABELS)}
        target = np.array([index[l] for l in labels], dtype=np.int64)
        groups = np.arange(len(X)) if groups is None else np.asarray(groups)
        return self.fit_features(F, target, groups[F.doc], sample_weight)

    def fit_first_pass(self, F: Features, target: np.ndarray, para_groups: np.ndarray,
                       sample_weight: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The first pass: out-of-fold probabilities (``n_folds`` folds by group), and its arrays fit on all rows."""
        # long paragraphs weigh more: the figures users care about count words, not paragraphs
        w = np.sqrt(1 + np.expm1(F.column("log_words"))) if sample_weight is None else np.asarray(sample_weight)
        oof = np.zeros((len(target), len(LABELS)))
        for train_rows, test_rows in GroupKFold(n_splits=self.n_folds).split(target, target, para_groups):
            arr = self._fit_first(F, train_rows, target, w)
            oof[test_rows] = self.first_pass_proba(F, arr)[test_rows]
        return oof, self._fit_first(F, np.arange(len(target)), target, w)

    def fit_features(self, F: Features, target: np.ndarray, para_groups: np.ndarray,
                     sample_weight: np.ndarray | None = None) -> "ParagraphClassifier":
        """``fit`` from precomputed features, label indices (LABELS order) and a group a paragraph."""
        oof, arrays = self.fit_first_pass(F, target, para_groups, sample_weight)
        Z = np.hstack([F.dense, context_features(oof, F)])
        trees = HistGradientBoostingClassifier(max_iter=self.n_trees, max_depth=self.max_depth,
                                               learning_rate=self.learning_rate, early_stopping=False,
                                               random_state=self.random_state)
        # unweighted: with word weights, two fits whose inputs differed by 1e-6 scored 0.942 and 0.930 held out
        trees.fit(Z, target)
        arrays.update(export_hgb(trees))
        arrays["t_labels"] = np.asarray(trees.classes_, dtype=np.int32)
        self._prepare(arrays)
        self.classes_ = np.array(LABELS)
        self.first_pass_oof_ = oof
        return self

    # --- prediction: numpy only -----------------------------------------------------------------
    @staticmethod
    def _first_matrix(F: Features, arr: dict[str, np.ndarray]) -> sp.csr_matrix:
        dense = (F.dense - arr["dense_mean"]) / arr["dense_scale"]
        return sp.hstack([F.sparse, sp.csr_matrix(dense)]).tocsr()

    @staticmethod
    def first_pass_proba(F: Features, arr: dict[str, np.ndarray]) -> np.ndarray:
        """First-pass probabilities (LABELS order) from features and first-pass arrays."""
        dense = (F.dense - arr["dense_mean"]) / arr["dense_scale"]
        w_sparse = arr.get("w_sparse_t")  # the float64, column-major copy made once by _prepare
        if w_sparse is None:
            w_sparse = arr["w_sparse"].T.astype(np.float64)
        z = F.sparse_dot(w_sparse) + dense @ arr["w_dense"].T + arr["b_first"]
        return _softmax(np.asarray(z))

    def _prepare(self, arrays: dict[str, np.ndarray]) -> None:
        """Keep the fitted arrays, and the sparse weights in the layout prediction uses."""
        self.arrays_ = arrays
        self._runtime = dict(arrays, w_sparse_t=np.ascontiguousarray(arrays["w_sparse"].T, dtype=np.float64))
        self._trees = complete_layout(arrays)

    def predict_proba_features(self, F: Features) -> np.ndarray:
        """Probabilities from precomputed features (what ``predict_proba`` does after ``featurize``)."""
        arr = self._runtime
        if len(F.doc) == 0:
            return np.zeros((0, len(LABELS)))
        first = self.first_pass_proba(F, arr)
        raw = complete_raw_scores(self._trees, np.hstack([F.dense, context_features(first, F)]))
        return _by_label_scores(raw, arr["t_labels"])

    def predict_proba(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        """One row a paragraph (documents stacked in order); columns: content, meta, boilerplate."""
        return self.predict_proba_features(featurize(X))

    def predict(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        """The most probable label of each paragraph, documents stacked in order."""
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    # --- arrays in, arrays out ------------------------------------------------------------------
    def to_arrays(self) -> dict[str, np.ndarray]:
        """Every fitted parameter as a numpy array (what ``cleanlib.store`` saves)."""
        return dict(self.arrays_)

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], params: dict | None = None) -> "ParagraphClassifier":
        """A fitted classifier from ``to_arrays()`` output."""
        model = cls(**(params or {}))
        model._prepare({k: np.asarray(v) for k, v in arrays.items()})
        model.classes_ = np.array(LABELS)
        return model


