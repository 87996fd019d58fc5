"""The features the shipped model was trained on do not drift: a change to how a column is computed
(a hash, a statistic) silently degrades every prediction, since the model's weights expect the old one.

The seed article and a few made-up edge paragraphs are featurized and compared with values stored in
tests/data/pinned_features.json: the sparse block's coordinates exactly (integer hashing, the same on any
machine) and each dense column's sum and sum of squares to a relative 1e-9 (room for last-bit differences
in log1p or sqrt between machines). After an intended change to the features, retrain the default model and
write new pins with ``python3 tests/test_pinned_features.py --write``.
"""
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import SEEDS  # noqa: E402

from cleanlib.core import native  # noqa: E402
from cleanlib.core.features import DENSE_NAMES, featurize  # noqa: E402
from cleanlib.core.segment import split_paragraphs  # noqa: E402

PINS = Path(__file__).resolve().parent / "data" / "pinned_features.json"
EDGES = ["Watch Next:", "Home", "By Jane Doe", "Share this article", "Read more: the city council",
         "Posted on September 13, 2018 at 10:30 am", "3 days ago", "see https://example.com/a.html and @handle #tag",
         "", "ΟΔΥΣΣΕΑΣ ΚΑΙ Η ΘΑΛΑΣΣΑ", "İstanbul’da 2019-01-02", "“Quoted words.”", "• a bullet item",
         "© 2024 Example News. All rights reserved.", "one two three four five", "one two three four five six"]


def _docs() -> list[list[str]]:
    return [split_paragraphs((SEEDS / "000_093bc6fb16e34310.txt").read_text(encoding="utf-8")).texts, EDGES]


def _fingerprint() -> dict:
    F = featurize(_docs())
    sparse = np.concatenate([F.sparse_rows.astype(np.int64), F.sparse_cols.astype(np.int64),
                             np.round(F.sparse_vals * 1e12).astype(np.int64)])
    return {"paragraphs": len(F.doc), "sparse_entries": len(F.sparse_rows),
            "sparse_sha1": hashlib.sha1(sparse.astype("<i8").tobytes()).hexdigest(),
            "dense_sum": dict(zip(DENSE_NAMES, F.dense.sum(axis=0).tolist())),
            "dense_sum_sq": dict(zip(DENSE_NAMES, (F.dense ** 2).sum(axis=0).tolist()))}


def _check(got: dict, want: dict) -> None:
    assert got["paragraphs"] == want["paragraphs"]
    assert (got["sparse_entries"], got["sparse_sha1"]) == (want["sparse_entries"], want["sparse_sha1"]), \
        "the hashed word and cue columns changed"
    for key in ("dense_sum", "dense_sum_sq"):
        moved = [name for name in DENSE_NAMES
                 if not np.isclose(got[key][name], want[key][name], rtol=1e-9, atol=1e-12)]
        assert moved == [], f"dense columns changed ({key}): {moved}"


def test_features_match_the_pins(monkeypatch):
    want = json.loads(PINS.read_text(encoding="utf-8"))
    for compiled in ((False, True) if native._speedups is not None else (False,)):
        monkeypatch.setattr(native, "ENABLED", compiled)
        _check(_fingerprint(), want)


def test_the_pins_catch_a_changed_column(monkeypatch):
    from cleanlib.core import features
    want = json.loads(PINS.read_text(encoding="utf-8"))
    monkeypatch.setattr(features, "_POLY_POWERS", features._POLY_POWERS[::-1].copy())  # another short-text hash
    try:
        _check(_fingerprint(), want)
    except AssertionError as e:
        assert "hashed word and cue columns" in str(e)
    else:
        raise AssertionError("a changed cue hash went unnoticed")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python3 tests/test_pinned_features.py --write   (after retraining the default model)")
    PINS.write_text(json.dumps(_fingerprint(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {PINS}")
