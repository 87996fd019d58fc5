"""Several fitted models of one kind scored as one: a paragraph's probabilities are the mean of the members'.

Fits of one recipe that differ only in their seeds (the synthetic documents drawn, the trees' bins) err in
different places, and their mean errs less than a typical fit (bagging; docs/experiments.md, session 32). The
members read the same features, computed once; their first passes are one product (their weights side by side),
then each runs its own later passes.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..data import LABELS
from .features import Features
from .scoring import Model, ParagraphScorer, PredictsText, _softmax, first_pass_logits

__all__ = ["AveragedScorer", "member_arrays", "MEMBER_PREFIX"]

MEMBER_PREFIX = "m{}."  # member i's arrays are saved as "m<i>.<name>"


def member_arrays(arrays: dict[str, np.ndarray], n_members: int) -> list[dict[str, np.ndarray]]:
    """The arrays of each of ``n_members`` members from an averaged model's ``to_arrays()``."""
    out = []
    for i in range(n_members):
        prefix = MEMBER_PREFIX.format(i)
        out.append({k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)})
    return out


class AveragedScorer(PredictsText):
    """Fitted models (``ParagraphScorer`` or fitted ``ParagraphClassifier``) of one input kind and feature set;
    ``predict_proba_features`` is the mean of theirs. ``get_params`` gives the first member's parameters (the
    members' differ only in ``random_state``: ``member_params``)."""

    def __init__(self, members: Sequence[Model]):
        self.members = list(members)
        if not self.members:
            raise ValueError("an averaged model needs at least one member")
        kinds = {m.get_params().get("input", "text") for m in self.members}
        if len(kinds) > 1:
            raise ValueError(f"the members read different inputs ({', '.join(sorted(kinds))}); "
                             "average models of one kind")
        self.classes_ = np.array(LABELS)
        scorers = [getattr(m, "scorer_", m) for m in self.members]  # a fitted ParagraphClassifier holds its scorer
        self._scorers = scorers if all(isinstance(s, ParagraphScorer) for s in scorers) else None
        if self._scorers is not None:
            weights = [s.first_pass_weights() for s in self._scorers]
            self._first = {"w_sparse_t": np.ascontiguousarray(np.hstack([w["w_sparse_t"] for w in weights])),
                           "w_dense_std": np.vstack([w["w_dense_std"] for w in weights]),
                           "b_first_std": np.concatenate([w["b_first_std"] for w in weights])}

    def get_params(self, deep: bool = True) -> dict:
        """The first member's training parameters (what the manifest's ``params`` records)."""
        return self.members[0].get_params(deep)

    def member_params(self) -> list[dict]:
        """Each member's training parameters."""
        return [m.get_params() for m in self.members]

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Every member's arrays, member i's named ``m<i>.<name>`` (what ``cleanlib.store`` saves)."""
        return {MEMBER_PREFIX.format(i) + k: v for i, m in enumerate(self.members) for k, v in m.to_arrays().items()}

    def predict_proba_features(self, F: Features) -> np.ndarray:
        """The mean of the members' probabilities (one row a paragraph; columns: content, meta, boilerplate)."""
        if len(F.doc) == 0:
            return np.zeros((0, len(LABELS)))
        if self._scorers is None:  # members of other classes: each scores the features alone
            return sum(m.predict_proba_features(F) for m in self.members) / len(self.members)
        k = len(LABELS)
        logits = first_pass_logits(F, self._first)  # every member's first pass in one product
        total = np.zeros((len(F.doc), k))
        for i, s in enumerate(self._scorers):
            total += s.later_passes(F, _softmax(logits[:, i * k:(i + 1) * k]))
        return total / len(self._scorers)
