"""Gradient-boosted trees as plain arrays: export a fitted HistGradientBoostingClassifier, predict with numpy.

All trees of the ensemble are walked together, one level a step, for all rows at once; a leaf points
to itself, so rows that reach a leaf early just stay there.
"""
from __future__ import annotations

import numpy as np

from . import native

__all__ = ["export_hgb", "complete_layout", "complete_raw_scores", "TREE_ARRAYS", "THIRD_PREFIX", "renamed"]

TREE_ARRAYS = ("t_feature", "t_threshold", "t_missing_left", "t_left", "t_right", "t_value", "t_roots",
               "t_class", "t_baseline", "t_depth")
THIRD_PREFIX = "u_"  # the third pass's trees, when a model has them: the same arrays as the second's, named u_*


def renamed(arr: dict[str, np.ndarray], prefix: str, to: str = "t_") -> dict[str, np.ndarray]:
    """The tree arrays (and labels) named ``prefix``* in ``arr``, renamed ``to``* (to read or write a second set)."""
    return {to + k[len(prefix):]: v for k, v in arr.items() if k.startswith(prefix)}


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


def complete_layout(arr: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The same trees re-laid as complete binary trees of depth ``t_depth``, for a faster walk.

    Node i's children are 2i+1 and 2i+2, so a step needs no child lookups; a leaf above the last level
    becomes a chain of splits that always go left, ending in its value.
    """
    depth = int(arr["t_depth"][0])
    n_inner, n_trees = 2 ** depth - 1, len(arr["t_roots"])
    feat = np.zeros((n_trees, max(n_inner, 1)), dtype=np.int64)
    thr = np.full((n_trees, max(n_inner, 1)), np.inf)
    miss = np.ones((n_trees, max(n_inner, 1)), dtype=bool)
    leaf = np.zeros((n_trees, 2 ** depth))
    left, right = arr["t_left"], arr["t_right"]
    for t, root in enumerate(arr["t_roots"]):
        stack = [(int(root), 0, 0)]  # (node, position in the complete tree, level)
        while stack:
            node, pos, level = stack.pop()
            if left[node] == node:  # a leaf: always left from here down, then its value
                while level < depth:
                    pos, level = 2 * pos + 1, level + 1
                leaf[t, pos - n_inner] = arr["t_value"][node]
                continue
            feat[t, pos] = arr["t_feature"][node]
            thr[t, pos] = arr["t_threshold"][node]
            miss[t, pos] = arr["t_missing_left"][node]
            stack += [(int(left[node]), 2 * pos + 1, level + 1), (int(right[node]), 2 * pos + 2, level + 1)]
    return {"c_depth": depth, "c_feat": feat.ravel(), "c_thr": thr.ravel(), "c_miss": miss.ravel(),
            "c_leaf": leaf.ravel(), "c_class": np.asarray(arr["t_class"], dtype=np.int32),
            "c_baseline": np.asarray(arr["t_baseline"], dtype=np.float64), "c_trees": n_trees}


def complete_raw_scores(c: dict, X: np.ndarray, block: int = 128) -> np.ndarray:
    """Raw (pre-softmax) scores, a row of ``X`` a row and a class a column, from the ``complete_layout`` of the trees: compiled where the extension is
    built (``native.py``), else in numpy ``block`` rows at a time (the rows-by-trees working arrays then
    stay in the CPU cache)."""
    compiled = native.tree_scores(c, X)
    if compiled is not None:
        return compiled
    if len(X) > block:
        return np.vstack([_complete_block(c, X[i:i + block]) for i in range(0, len(X), block)])
    return _complete_block(c, X)


def _complete_block(c: dict, X: np.ndarray) -> np.ndarray:
    n, depth, n_trees = len(X), c["c_depth"], c["c_trees"]
    n_inner = 2 ** depth - 1
    pos = np.zeros((n, n_trees), dtype=np.int64)
    tree_at = np.arange(n_trees) * max(n_inner, 1)
    flat = X.ravel()
    row_at = (np.arange(n) * X.shape[1])[:, None]
    check_nan = bool(np.isnan(X).any())
    for _ in range(depth):
        node = tree_at + pos
        x = flat[row_at + c["c_feat"][node]]
        go_left = x <= c["c_thr"][node]
        if check_nan:
            go_left |= np.isnan(x) & c["c_miss"][node]
        pos = 2 * pos + 2 - go_left
    values = c["c_leaf"][np.arange(n_trees) * 2 ** depth + (pos - n_inner)]
    # each class's trees summed (not a product with a one-hot matrix: no BLAS threads for this)
    return np.column_stack([values[:, c["c_class"] == k].sum(axis=1) for k in range(len(c["c_baseline"]))]) \
        + c["c_baseline"]
