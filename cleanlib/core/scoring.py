"""How a fitted model scores a paragraph: numpy only (scikit-learn is needed to train, not to score).

Two passes over a document (three for a model fitted with a third), each computed for all paragraphs of a batch at once:

1. **Own evidence.** A linear model (multinomial logistic regression) scores each paragraph from
   its hashed words and cue tokens and its standardized dense features (``features.py``).
2. **Context.** Gradient-boosted trees rescore each paragraph from its dense features plus the
   first pass's probabilities around it: its neighbours up to three away,
   window means, how much likely content lies before and after it, and whether it sits inside the
   document's span of likely content. This is what makes a short teaser after "Watch Next:" at the
   end of an article boilerplate, and a menu at the top navigation.

3. **Context again** (a model fitted with ``third_pass``). More trees rescore each paragraph from the same
   columns plus the same context features computed from the second pass's probabilities: what the second
   pass settled about a paragraph's neighbours (a comment thread's start, an article's end) reaches the
   paragraphs around them. The third pass can only take content away: a paragraph gets whichever of the
   two passes' rows gives it the lower content probability (a veto). It reads the paragraphs the second
   pass gives at least ``VETO_FROM`` content; a document of lines (text with no blank line,
   ``Features.lines``) keeps the second pass's rows, where the veto cost more than it gained
   (docs/experiments.md, session 26).

The softmax output of the second pass (the third's, where it vetoes) is the score; 0.5 on ``content`` is the
default threshold.
``ParagraphScorer`` holds a fitted model's arrays (what ``store.load_model`` returns);
``model.ParagraphClassifier`` trains them.
"""
from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from ..data import LABELS
from .features import Features, featurize, shift_many
from .trees import THIRD_PREFIX, complete_layout, complete_raw_scores, renamed

__all__ = ["Model", "ParagraphScorer", "PredictsText", "proba_context", "first_pass_proba", "first_pass_logits",
           "PROBA_CONTEXT_NAMES",
           "ABSENT"]

CONTENT, META, BOILERPLATE = 0, 1, 2  # column order of predict_proba: LABELS
_OFFSETS = (-3, -2, -1, 1, 2, 3)
PROBA_CONTEXT_NAMES = (["p_content", "p_meta"] + [f"p_content@{k:+d}" for k in _OFFSETS] + ["p_meta@-1", "p_meta@+1"]
                 + ["mean_content_w2", "mean_content_w5", "mean_content_before", "mean_content_after",
                    "log_content_before", "log_content_after", "inside_content_span", "log_dist_to_content",
                    "doc_mean_content", "doc_max_content", "core_cosine",
                    "content_vs_doc_max", "content_rank_in_doc", "length_rank_in_doc", "doc_content_word_share",
                    "container_mean_content", "log_container_paragraphs"]
                 + [f"container_content_share@{k}" for k in range(1, 5)] + ["levels_to_main_container"])


ABSENT = -30.0  # logit given to a label the training data lacks
# the third pass rescores a paragraph the second gives this content probability or more (under it, nothing keeps a
# paragraph: cleanlib.core.decide's floors are as high or higher, so the veto could change no decision there)
VETO_FROM = 0.05


def _by_label_scores(raw: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Probabilities in LABELS order from the trees' raw scores for the labels they were trained on."""
    if len(labels) == 2:  # binary boosting: one score, the log-odds of labels[1]
        raw = np.hstack([np.zeros((len(raw), 1)), raw[:, :1]])
    out = np.full((len(raw), len(LABELS)), ABSENT)
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


def rank_in_doc(values: np.ndarray, doc: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Each paragraph's place among its document's paragraphs by ``values``: 0 the lowest, 1 the highest."""
    order = np.lexsort((values, doc))
    rank = np.empty(len(values))
    rank[order] = np.arange(len(values))
    return (rank - lo) / np.maximum(hi - lo - 1, 1)


def container_features(pc: np.ndarray, F: Features, levels: int = 4) -> list[np.ndarray]:
    """What a paragraph's enclosing containers (HTML block elements) hold of the first pass's likely content:
    the mean content probability of the paragraphs in its innermost container and that container's size
    (log); the share of its page's content mass (probability x characters) inside each of its first
    ``levels`` containers (every paragraph below a container counts, to the depth ``F.containers`` records);
    and how many containers up the first one holding half the page's mass is (the article's container, as
    Readability finds it). Plain text has no containers: constant columns."""
    n = len(pc)
    if F.containers is None:
        return [pc, np.zeros(n)] + [np.zeros(n)] * levels + [np.full(n, levels + 1.0)]
    mass = pc * np.expm1(F.column("log_chars"))
    page_mass = np.maximum(np.bincount(F.doc, weights=mass)[F.doc], 1e-9)
    ids = F.containers
    inner = ids[:, 0]
    _, inv, counts = np.unique(inner, return_inverse=True, return_counts=True)
    inv = inv.ravel()
    out = [np.bincount(inv, weights=pc)[inv] / counts[inv], np.log(counts[inv])]
    # each container's mass: the sum over the paragraphs that have it anywhere in their chain
    held = ids >= 0
    keys, where = np.unique(ids[held], return_inverse=True)
    container_mass = np.bincount(where.ravel(), weights=np.broadcast_to(mass[:, None], ids.shape)[held])
    share = np.zeros(ids.shape)
    share[held] = container_mass[where.ravel()]
    share /= page_mass[:, None]
    out += [share[:, k] for k in range(levels)]
    majority = share >= 0.5
    first = np.where(majority.any(axis=1), majority.argmax(axis=1) + 1.0, ids.shape[1] + 1.0)
    return out + [first]


def proba_context(proba: np.ndarray, F: Features) -> np.ndarray:
    """Features of each paragraph's surroundings from first-pass probabilities (columns: PROBA_CONTEXT_NAMES)."""
    doc = F.doc
    n = len(doc)
    if n == 0:
        return np.zeros((0, len(PROBA_CONTEXT_NAMES)))
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
    log_words = F.column("log_words")
    # how the paragraph stands among its document's own: a short article's body is its page's best text,
    # even where the first pass, seeing so little of it, is unsure
    words = np.expm1(log_words)
    cw = np.concatenate([[0.0], np.cumsum(pc * words)])
    cwords = np.concatenate([[0.0], np.cumsum(words)])
    cols = [pc, pm, shift_many(pc, _OFFSETS, doc)[0], shift_many(pm, (-1, 1), doc)[0]] \
        + [window_mean(2), window_mean(5), before_mean, after_mean, np.log1p(n_before), np.log1p(n_after),
           ((n_before > 0) & (n_after > 0)).astype(np.float64), np.log1p(np.minimum(dist, doc_n)),
           doc_mean, doc_max, core_cosine(F, pc * log_words),
           pc / np.maximum(doc_max, 0.01), rank_in_doc(pc, doc, lo, hi), rank_in_doc(log_words, doc, lo, hi),
           (cw[hi] - cw[lo]) / np.maximum(cwords[hi] - cwords[lo], 1), *container_features(pc, F)]
    return np.column_stack(cols)


@runtime_checkable
class Model(Protocol):
    """What cleaning needs of a fitted model: a ``ParagraphScorer`` or a fitted ``model.ParagraphClassifier``."""

    def predict_proba_features(self, F: Features) -> np.ndarray: ...

    def to_arrays(self) -> dict[str, np.ndarray]: ...

    def get_params(self, deep: bool = True) -> dict: ...


def first_pass_proba(F: Features, arr: dict[str, np.ndarray]) -> np.ndarray:
    """First-pass probabilities (LABELS order) from features and first-pass arrays."""
    return _softmax(first_pass_logits(F, arr))


def first_pass_logits(F: Features, arr: dict[str, np.ndarray]) -> np.ndarray:
    """The first pass's linear scores, before the softmax (one column a label; several models' side by side for
    their weights side by side)."""
    w_sparse = arr.get("w_sparse_t")  # the float64, column-major copy made once by ParagraphScorer
    if w_sparse is None:
        w_sparse = arr["w_sparse"].T.astype(np.float64)
    # the dense features are standardized, (x - mean) / scale: folded into the weights and the bias once
    w_dense, b_first = arr.get("w_dense_std"), arr.get("b_first_std")
    if w_dense is None or b_first is None:
        w_dense, b_first = _standardized_weights(arr)
    # einsum, not "@": a BLAS product this small gains nothing from threads, whose waiting costs CPU
    return np.asarray(F.sparse_dot(w_sparse) + np.einsum("ij,kj->ik", F.dense, w_dense) + b_first)


def _standardized_weights(arr: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The first pass's dense weights and bias on the raw features: ``w . (x - mean) / scale + b`` is
    ``(w / scale) . x + (b - (w / scale) . mean)``."""
    w = arr["w_dense"] / arr["dense_scale"]
    return w, arr["b_first"] - w @ arr["dense_mean"]


class PredictsText:
    """``predict_proba`` and ``predict`` on the model's input (documents of paragraph strings, or HTML pages
    for a model whose ``input`` parameter is "html"), for any class with ``predict_proba_features``,
    ``get_params`` and ``classes_``."""

    classes_: np.ndarray

    def predict_proba_features(self, F: Features) -> np.ndarray:  # pragma: no cover - the classes define it
        raise NotImplementedError

    def featurize(self, X: Sequence) -> Features:
        """Features of ``X`` as this model reads it."""
        kind = self.get_params().get("input", "text")  # type: ignore[attr-defined]
        if kind == "text":
            return featurize(X)
        from ..inputs import featurize_input  # HTML: the html extra, imported only for an HTML model

        return featurize_input(kind, X)

    def predict_proba(self, X: Sequence) -> np.ndarray:
        """One row a paragraph (documents stacked in order); columns: content, meta, boilerplate. Documents are
        read as blank-line text; for a text's lines, ``predict_proba_features(features.featurize(X, lines=...))``."""
        return self.predict_proba_features(self.featurize(X))

    def predict(self, X: Sequence[Sequence[str]]) -> np.ndarray:
        """The most probable label of each paragraph, documents stacked in order."""
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class ParagraphScorer(PredictsText):
    """A fitted model: its arrays (``to_arrays``) and the numpy code that scores paragraphs with them.

    ``predict_proba`` takes documents as lists of paragraph strings and returns one row a paragraph
    (documents stacked in order) with columns in ``classes_`` order: content, meta, boilerplate.
    """

    def __init__(self, arrays: dict[str, np.ndarray], params: dict | None = None):
        self.arrays_ = {k: np.asarray(v) for k, v in arrays.items()}
        self.params = dict(params or {})
        self.classes_ = np.array(LABELS)
        self._runtime = dict(self.arrays_, w_sparse_t=np.ascontiguousarray(self.arrays_["w_sparse"].T,
                                                                             dtype=np.float64))
        self._runtime["w_dense_std"], self._runtime["b_first_std"] = _standardized_weights(self.arrays_)
        self._trees = complete_layout(self.arrays_)
        third = renamed(self.arrays_, THIRD_PREFIX)
        self._third = complete_layout(third) if third else None

    def get_params(self, deep: bool = True) -> dict:
        """The training parameters the model was fitted with (saved in model.json). For the scikit-learn
        estimator: ``ParagraphClassifier.from_arrays(scorer.to_arrays(), scorer.get_params())``."""
        return dict(self.params)

    def __sklearn_clone__(self):
        """``sklearn.base.clone`` of a loaded model says how to get the estimator (scoring never imports
        scikit-learn or the training code)."""
        raise TypeError("a loaded ParagraphScorer is not a scikit-learn estimator; for an unfitted one with its "
                        "parameters use cleanlib.ParagraphClassifier(**model.get_params()), for the fitted one "
                        "ParagraphClassifier.from_arrays(model.to_arrays(), model.get_params())")

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Every fitted parameter as a numpy array (what ``cleanlib.store`` saves)."""
        return dict(self.arrays_)

    def predict_proba_features(self, F: Features) -> np.ndarray:
        """Probabilities from precomputed features (what ``predict_proba`` does after ``featurize``)."""
        if len(F.doc) == 0:
            return np.zeros((0, len(LABELS)))
        return self.later_passes(F, first_pass_proba(F, self._runtime))

    def first_pass_weights(self) -> dict[str, np.ndarray]:
        """The first pass's weights as scoring reads them: ``w_sparse_t`` (N_HASH, labels), and ``w_dense_std``
        and ``b_first_std``, the dense weights and bias with the standardization folded in."""
        return {k: self._runtime[k] for k in ("w_sparse_t", "w_dense_std", "b_first_std")}

    def later_passes(self, F: Features, first: np.ndarray) -> np.ndarray:
        """The second pass's probabilities (the third's where it vetoes) from the first pass's."""
        Z = np.hstack([F.dense, proba_context(first, F)])
        second = _by_label_scores(complete_raw_scores(self._trees, Z), self._runtime["t_labels"])
        if self._third is None:
            return second
        # the third pass rescores the paragraphs of blank-line text that the second could keep, and vetoes
        open_ = second[:, CONTENT] >= VETO_FROM
        if F.lines is not None:
            open_ &= ~F.lines[F.doc]
        rows = np.flatnonzero(open_)
        if len(rows) == 0:
            return second
        raw = complete_raw_scores(self._third, np.hstack([Z[rows], proba_context(second, F)[rows]]))
        third = _by_label_scores(raw, self._runtime[THIRD_PREFIX + "labels"])
        veto = third[:, CONTENT] < second[rows, CONTENT]
        out = second.copy()
        out[rows[veto]] = third[veto]
        return out
