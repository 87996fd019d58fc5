import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from cleanlib.core.scoring import _by_label_scores
from cleanlib.core.trees import export_hgb, tree_raw_scores


@pytest.mark.parametrize("n_classes", [2, 3])
def test_numpy_trees_match_scikit_learn(n_classes):
    rng = np.random.RandomState(0)
    X = rng.randn(600, 6)
    y = ((X[:, 0] + X[:, 1] ** 2 > 1).astype(int) + (X[:, 2] > 0.5)) % n_classes
    X[rng.rand(*X.shape) < 0.05] = np.nan  # missing values take the side learned for them
    clf = HistGradientBoostingClassifier(max_iter=15, max_depth=4, random_state=0).fit(X, y)
    arr = export_hgb(clf)
    proba = _by_label_scores(tree_raw_scores(arr, X), np.arange(n_classes))[:, :n_classes]
    np.testing.assert_allclose(proba / proba.sum(axis=1, keepdims=True), clf.predict_proba(X), atol=1e-9)


def test_complete_layout_gives_the_same_scores():
    from cleanlib.core.trees import complete_layout, complete_raw_scores

    rng = np.random.RandomState(1)
    X = rng.randn(400, 5)
    y = (X[:, 0] * X[:, 1] > 0).astype(int) + (X[:, 3] > 1)
    X[rng.rand(*X.shape) < 0.05] = np.nan
    clf = HistGradientBoostingClassifier(max_iter=10, max_depth=5, random_state=0).fit(X, y)
    arr = export_hgb(clf)
    np.testing.assert_allclose(complete_raw_scores(complete_layout(arr), X), tree_raw_scores(arr, X), atol=1e-12)
