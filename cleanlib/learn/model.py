"""Training the paragraph classifier (scikit-learn); how it scores is in ``scoring.py``.

The first pass is a multinomial logistic regression on hashed words, cue tokens and standardized dense
features; the second pass, gradient-boosted trees on the dense features plus the first pass's
probabilities around each paragraph. The second pass is trained on out-of-fold first-pass
probabilities (documents grouped by page), so it learns how far to trust the first pass on text it has
not seen. With ``third_pass``, a third set of trees reads the same columns plus the context features of
the second pass's out-of-fold probabilities.

After ``fit`` every parameter is a numpy array (``to_arrays``), which is what ``store.save_model`` writes;
``store.load_model`` reads them back as a ``scoring.ParagraphScorer``: no pickle, and prediction is the same
numpy code before and after saving.
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from ..data import LABELS
from ..core.features import N_HASH, Features
from ..core.scoring import (ABSENT, ParagraphScorer, PredictsText, first_pass_proba,
                            proba_context)
from ..core.trees import THIRD_PREFIX, export_hgb, renamed

__all__ = ["ParagraphClassifier", "POSITION_NAMES"]

#: The dense columns that say where a paragraph stands in its document (``first_pass_position``).
POSITION_NAMES = ("rel_pos", "log_from_start", "log_from_end", "words_before_share")


def _by_label(classes: np.ndarray, weights: np.ndarray, bias: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Reorder per-class weights into LABELS order; a label absent from training gets zero weight and a
    very low bias. Binary estimators return one column for classes[1]; expand it to two."""
    if len(classes) == 2 and weights.shape[axis] == 1:
        weights = np.concatenate([-weights / 2, weights / 2], axis=axis)
        bias = np.concatenate([-bias / 2, bias / 2])
    shape = list(weights.shape)
    shape[axis] = len(LABELS)
    w = np.zeros(shape)
    b = np.full(len(LABELS), ABSENT)
    for j, c in enumerate(classes):
        np.moveaxis(w, axis, 0)[int(c)] = np.moveaxis(weights, axis, 0)[j]
        b[int(c)] = bias[j]
    return w, b



class ParagraphClassifier(PredictsText, ClassifierMixin, BaseEstimator):
    """Labels paragraphs content / meta / boilerplate from their text and their document.

    ``X`` is a sequence of documents, each a sequence of paragraph strings; ``y`` the matching
    sequence of label sequences. ``predict_proba`` returns one row a paragraph, all documents
    stacked in order, with columns in ``classes_`` order (content, meta, boilerplate).

    Parameters
    ----------
    C : float, default=0.1
        Inverse regularization strength of the first pass (logistic regression).
    n_trees : int, default=100
        Boosting iterations of the second pass (one tree a label each).
    max_depth : int, default=6
        Depth of each second-pass tree.
    learning_rate : float, default=0.15
        Shrinkage of the second pass.
    l2_regularization : float, default=1.0
        L2 penalty on the second pass's leaf values. It bounds the Newton step of a leaf that holds only
        confidently wrong paragraphs (label noise): without it, such leaves reached values of 10**4 and
        more, and a few features away from training, a page's author line scored 1.0 as content.
    min_samples_leaf : int, default=20
        Fewest paragraphs in a second-pass leaf (the shipped models, trained on 900,000 paragraphs, use 100).
    n_folds : int, default=4
        Folds (by document group) for the out-of-fold first-pass probabilities the second pass learns from.
    max_iter : int, default=100
        Iterations of the first pass's solver (lbfgs).
    random_state : int, default=0
        Seed of both passes.
    first_pass_position : bool, default=True
        Whether the first pass reads where a paragraph stands in its document (``POSITION_NAMES``). Without
        them the first pass scores a paragraph by its own text and its document's words only, and where it
        stands is the second pass's to weigh: a web page opens with its menu, a crawl text after a first
        cleaning with its article.
    input : {"text", "html"}, default="text"
        What ``X`` holds: documents as sequences of paragraph strings, or HTML pages (``str``/``bytes``, or
        ``cleanlib.html.dom.Blocks``; extra ``html``), whose blocks are the paragraphs.
    third_pass : bool, default=False
        Whether a third pass of trees (the second's settings) rescores each paragraph from the second pass's
        probabilities around it, learned from the second pass's out-of-fold probabilities (``n_folds`` more
        tree fits in training; twice the trees in scoring).

    Attributes
    ----------
    classes_ : ndarray of str
        The labels, in column order: content, meta, boilerplate.
    scorer_ : ParagraphScorer
        The fitted arrays and the numpy code that scores with them (what ``save_model`` writes).
    """

    def __init__(self, C: float = 0.1, n_trees: int = 100, max_depth: int = 6, learning_rate: float = 0.15,
                 l2_regularization: float = 1.0, min_samples_leaf: int = 20, n_folds: int = 4, max_iter: int = 100,
                 random_state: int = 0, first_pass_position: bool = True, input: str = "text",
                 third_pass: bool = False):
        self.C = C
        self.n_trees = n_trees
        self.max_depth = max_depth
        self.learning_rate = learning_rate
        self.l2_regularization = l2_regularization
        self.min_samples_leaf = min_samples_leaf
        self.n_folds = n_folds
        self.max_iter = max_iter
        self.random_state = random_state
        self.first_pass_position = first_pass_position
        self.input = input
        self.third_pass = third_pass

    # --- training -------------------------------------------------------------------------------
    def _fit_first(self, F: Features, rows: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict[str, np.ndarray]:
        mean = F.dense[rows].mean(axis=0)
        scale = F.dense[rows].std(axis=0)
        scale[scale == 0] = 1.0
        arr = {"dense_mean": mean, "dense_scale": scale}
        X = self._first_matrix(F, arr)[rows]
        unread = [] if self.first_pass_position else [j for j, name in enumerate(F.names) if name in POSITION_NAMES]
        if unread:  # columns of zeros get weights of zero, so scoring needs nothing of its own
            keep = np.ones(X.shape[1])
            keep[[N_HASH + j for j in unread]] = 0.0
            X = (X @ sp.diags(keep)).tocsr()
        lr = LogisticRegression(C=self.C, max_iter=self.max_iter, random_state=self.random_state)
        with warnings.catch_warnings():  # max_iter caps training time on purpose; held-out figures judge the fit
            warnings.simplefilter("ignore", ConvergenceWarning)
            lr.fit(X, y[rows], sample_weight=w[rows])
        coef, arr["b_first"] = _by_label(lr.classes_, lr.coef_, lr.intercept_, axis=0)
        arr["w_sparse"] = coef[:, :N_HASH].astype(np.float32)
        arr["w_dense"] = coef[:, N_HASH:]
        arr["w_dense"][:, unread] = 0.0
        return arr

    def fit(self, X: Sequence[Sequence[str]], y: Sequence[Sequence[str]], groups: Sequence[str] | None = None,
            sample_weight: Sequence[float] | None = None) -> "ParagraphClassifier":
        """Train both passes.

        Parameters
        ----------
        X : sequence of documents, each a sequence of paragraph strings (or of HTML pages, for ``input="html"``)
        y : sequence of label sequences, one label (LABELS) a paragraph (a block)
        groups : one a document, optional
            Documents of one group (the renderings of a page, a site) stay in one cross-validation fold.
        sample_weight : one a document, optional
            Multiplies the paragraphs' own weights (the square root of 1 + their word count).
        """
        F = self.featurize(X)
        labels = [l for doc_labels in y for l in doc_labels]
        if len(labels) != len(F.doc):
            raise ValueError(f"{len(labels)} labels for {len(F.doc)} paragraphs")
        index = {l: i for i, l in enumerate(LABELS)}
        target = np.array([index[l] for l in labels], dtype=np.int64)
        groups = np.arange(len(X)) if groups is None else np.asarray(groups)
        doc_w = np.ones(len(X)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if len(doc_w) != len(X):
            raise ValueError(f"sample_weight has {len(doc_w)} values for {len(X)} documents")
        return self.fit_features(F, target, groups[F.doc], doc_w[F.doc])

    def fit_first_pass(self, F: Features, target: np.ndarray, para_groups: np.ndarray,
                       weight: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """The first pass: out-of-fold probabilities (``n_folds`` folds by group), and its arrays fit on all
        rows. ``weight`` (one a paragraph) multiplies each paragraph's own weight."""
        # long paragraphs weigh more: the figures users care about count words, not paragraphs
        w = np.sqrt(1 + np.expm1(F.column("log_words"))) * (1.0 if weight is None else np.asarray(weight))
        oof = np.zeros((len(target), len(LABELS)))
        for train_rows, test_rows in GroupKFold(n_splits=self.n_folds).split(target, target, para_groups):
            arr = self._fit_first(F, train_rows, target, w)
            oof[test_rows] = self.first_pass_proba(F, arr)[test_rows]
        return oof, self._fit_first(F, np.arange(len(target)), target, w)

    def fit_features(self, F: Features, target: np.ndarray, para_groups: np.ndarray,
                     weight: np.ndarray | None = None) -> "ParagraphClassifier":
        """``fit`` from precomputed features, label indices (LABELS order), a group and (optionally) a
        document weight a paragraph."""
        oof, arrays = self.fit_first_pass(F, target, para_groups, weight)
        Z = np.hstack([F.dense, proba_context(oof, F)])
        # document weights only: with word weights, two fits whose inputs differed by 1e-6 scored 0.942 and
        # 0.930 held out
        trees = self._new_trees().fit(Z, target, sample_weight=weight)
        arrays.update(export_hgb(trees))
        arrays["t_labels"] = np.asarray(trees.classes_, dtype=np.int32)
        if self.third_pass:
            second = self._out_of_fold_trees(Z, target, para_groups, weight)
            third = self._new_trees().fit(np.hstack([Z, proba_context(second, F)]), target, sample_weight=weight)
            arrays.update(renamed({**export_hgb(third), "t_labels": np.asarray(third.classes_, dtype=np.int32)},
                                  "t_", THIRD_PREFIX))
        self._prepare(arrays)
        self.classes_ = np.array(LABELS)
        return self

    def _new_trees(self) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(max_iter=self.n_trees, max_depth=self.max_depth,
                                              learning_rate=self.learning_rate,
                                              l2_regularization=self.l2_regularization,
                                              min_samples_leaf=self.min_samples_leaf, early_stopping=False,
                                              random_state=self.random_state)

    def _out_of_fold_trees(self, Z: np.ndarray, target: np.ndarray, para_groups: np.ndarray,
                           weight: np.ndarray | None) -> np.ndarray:
        """Second-pass probabilities (LABELS order) of each paragraph from trees fit without its fold."""
        out = np.zeros((len(target), len(LABELS)))
        for train_rows, test_rows in GroupKFold(n_splits=self.n_folds).split(target, target, para_groups):
            trees = self._new_trees().fit(Z[train_rows], target[train_rows],
                                          sample_weight=None if weight is None else weight[train_rows])
            out[np.ix_(test_rows, trees.classes_)] = trees.predict_proba(Z[test_rows])
        return out

    # --- the first pass's matrix (training); prediction goes through the numpy scorer -----------
    @staticmethod
    def _first_matrix(F: Features, arr: dict[str, np.ndarray]) -> sp.csr_matrix:
        dense = (F.dense - arr["dense_mean"]) / arr["dense_scale"]
        return sp.hstack([F.sparse, sp.csr_matrix(dense)]).tocsr()

    @staticmethod
    def first_pass_proba(F: Features, arr: dict[str, np.ndarray]) -> np.ndarray:
        """First-pass probabilities (LABELS order) from features and first-pass arrays."""
        return first_pass_proba(F, arr)

    def _prepare(self, arrays: dict[str, np.ndarray]) -> None:
        """Keep the fitted arrays in the numpy scorer that predicts with them."""
        self.scorer_ = ParagraphScorer(arrays, self.get_params())
        self.arrays_ = self.scorer_.arrays_

    def predict_proba_features(self, F: Features) -> np.ndarray:
        """Probabilities from precomputed features (what ``predict_proba`` does after ``featurize``)."""
        if not hasattr(self, "scorer_"):
            raise NotFittedError("this ParagraphClassifier is not fitted yet: call fit, or from_arrays")
        return self.scorer_.predict_proba_features(F)

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


