"""Gradient-boosted trees as plain arrays: export a fitted HistGradientBoostingClassifier, predict with numpy.

All trees of the ensemble are walked together, one level a step, for all rows at once; a leaf points
to itself, so rows that reach a leaf early just stay there.
"""
from __future__ import annotations

import numpy as np

__all__ = ["export_hgb", "tree_raw_scores", "TREE_ARRAYS"]

TREE_ARRAYS = ("t_feature", "t_threshold", "t_missing_left", "t_left", "t_right", "t_value", "t_roots",
               "t_class", "t_baseline", "t_depth")


def export_hgb(clf) -> dict[str, np.ndarray]:
    """The trees of a fitted scikit-learn HistGradientBoostingClassifier (numerical features) as arrays."""
    feature, threshold, missing, left, right, value, roots, klass = [], [], [], [], [], [], [], []
    offset, depth = 0, 0
    for per_class in clf._predictors:
        for k, tree in enumerate(per_class):
            nodes = tree.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            idx = np.arange(len(nodes))
            leaf = nodes["is_leaf"].astype(bool)
            feature.append(np.where(leaf, 0, nodes["feature_idx"]))
            threshold.append(np.where(leaf, 0.0, nodes["num_threshold"]))
            missing.append(nodes["missing_go_to_left"].astype(bool))
            left.append(np.where(leaf, idx, nodes["left"]) + offset)
            right.append(np.where(leaf, idx, nodes["right"]) + offset)
            value.append(np.where(leaf, nodes["value"], 0.0))
            roots.append(offset)
            klass.append(k)
            depth = max(depth, int(nodes["depth"].max()))
            offset += len(nodes)
    return {"t_feature": np.concatenate(feature).astype(np.int32), "t_threshold": np.concatenate(threshold),
            "t_missing_left": np.concatenate(missing), "t_left": np.concatenate(left).astype(np.int32),
            "t_right": np.concatenate(right).astype(np.int32), "t_value": np.concatenate(value),
            "t_roots": np.array(roots, dtype=np.int32), "t_class": np.array(klass, dtype=np.int32),
            "t_baseline": np.asarray(clf._baseline_prediction, dtype=np.float64).ravel(),
            "t_depth": np.array([depth], dtype=np.int32)}


def tree_raw_scores(arr: dict[str, np.ndarray], X: np.ndarray) -> np.ndarray:
    """Raw (pre-softmax) scores, one row a row of ``X`` and one column a class."""
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
