import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier

from cleanlib.core.scoring import _by_label_scores
from cleanlib.core.trees import export_hgb


def tree_raw_scores(arr: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """The reference: each tree walked node by node in its exported layout; raw scores, a class a column."""
    n, k = len(X), len(arr["t_baseline"])
    node = np.broadcast_to(arr["t_roots"], (n, len(arr["t_roots"]))).copy()
    flat = X.ravel()
    row_base = (np.arange(n) * X.shape[1])[:, None]
    for _ in range(int(arr["t_depth"][0])):
        x = flat[row_base + arr["t_feature"][node]]
        go_left = (x <= arr["t_threshold"][node]) | (np.isnan(x) & arr["t_missing_left"][node])
        node = np.where(go_left, arr["t_left"][node], arr["t_right"][node])
    onehot = np.zeros((len(arr["t_roots"]), k))
    onehot[np.arange(len(arr["t_roots"])), arr["t_class"]] = 1.0
    return arr["t_value"][node] @ onehot + arr["t_baseline"]


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
