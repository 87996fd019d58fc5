"""Save and load a model directory: ``model.json`` (format, parameters, checksums, training summary)
and ``arrays.npz`` (numbers only, read with ``allow_pickle=False``). Nothing is ever unpickled.
An averaged model (``core.averaging.AveragedScorer``) keeps its members' arrays side by side, member i's named
``m<i>.*``, and its manifest lists the members' parameters (format version 2)."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .data import LABELS
from .core.features import N_HASH
from .inputs import INPUTS, feature_names
from .core.averaging import AveragedScorer, member_arrays
from .core.scoring import PROBA_CONTEXT_NAMES, Model, ParagraphScorer
from .core.trees import THIRD_PREFIX, TREE_ARRAYS, renamed

__all__ = ["FORMAT_VERSION", "ModelError", "DEFAULT_MODEL_DIR", "DEFAULT_HTML_MODEL_DIR", "save_model", "load_model", "read_manifest",
           "replace_summary"]

FORMAT = "cleanlib-model"
FORMAT_VERSION = 2  # 2: averaged models (``members``); a single model is still written as version 1
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "default"       # the text model
DEFAULT_HTML_MODEL_DIR = Path(__file__).resolve().parent / "models" / "html"     # the model for HTML pages
_ARRAYS = "arrays.npz"
_MANIFEST = "model.json"


class ModelError(ValueError):
    """A model directory that cannot be loaded; the message says which file and what is wrong."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_arrays(arrays: dict[str, np.ndarray], path: Path, names: list[str]) -> None:
    """Shapes, dtypes and index ranges, so a damaged model fails here and not deep inside prediction."""
    k, d = len(LABELS), len(names)
    z = d + len(PROBA_CONTEXT_NAMES)
    fixed = {"dense_mean": (d,), "dense_scale": (d,), "w_sparse": (k, N_HASH), "w_dense": (k, d), "b_first": (k,)}
    for name in fixed:
        if name not in arrays:
            raise ModelError(f"{path}: array {name!r} is missing")
        if arrays[name].shape != fixed[name]:
            raise ModelError(f"{path}: array {name!r} has shape {arrays[name].shape}, expected {fixed[name]}")
        if not np.isfinite(arrays[name]).all():
            raise ModelError(f"{path}: array {name!r} holds non-finite values")
    _check_trees(arrays, path, z)
    third = renamed(arrays, THIRD_PREFIX)
    if third:  # the third pass reads the second's columns and the context of its probabilities
        _check_trees(third, path, z + len(PROBA_CONTEXT_NAMES), THIRD_PREFIX)


def _check_trees(arrays: dict[str, np.ndarray], path: Path, z: int, prefix: str = "t_") -> None:
    """One set of tree arrays (named t_* here; ``prefix``* in the file) over ``z`` columns."""
    k = len(LABELS)
    for name in (*TREE_ARRAYS, "t_labels"):
        if name not in arrays:
            raise ModelError(f"{path}: array {prefix + name[2:]!r} is missing")
        a = arrays[name]
        if a.dtype.kind in "fc" and not np.isfinite(a[~np.isnan(a)] if name == "t_threshold" else a).all():
            raise ModelError(f"{path}: array {prefix + name[2:]!r} holds non-finite values")
    n_nodes = len(arrays["t_feature"])
    n_classes = len(arrays["t_baseline"])
    ok = (all(len(arrays[n]) == n_nodes for n in ("t_threshold", "t_missing_left", "t_left", "t_right", "t_value"))
          and len(arrays["t_roots"]) == len(arrays["t_class"])
          and all(arrays[n].min(initial=0) >= 0 and arrays[n].max(initial=0) < n_nodes
                  for n in ("t_left", "t_right", "t_roots"))
          and arrays["t_feature"].min(initial=0) >= 0 and arrays["t_feature"].max(initial=0) < z
          and arrays["t_class"].min(initial=0) >= 0 and arrays["t_class"].max(initial=0) < n_classes
          and arrays["t_depth"].shape == (1,) and 0 <= int(arrays["t_depth"][0]) <= 64
          and len(arrays["t_labels"]) == (2 if n_classes == 1 else n_classes)
          and set(arrays["t_labels"].tolist()) <= set(range(k)))
    if not ok:
        raise ModelError(f"{path}: the {prefix}* tree arrays are inconsistent (sizes or indices out of range)")


def save_model(model: Model, directory: str | os.PathLike[str], summary: dict[str, Any] | None = None,
               threshold: float = 0.5) -> Path:
    """Write a fitted model to ``directory`` (created if needed); files are replaced atomically."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=out, suffix=".npz", delete=False) as tmp:
        np.savez_compressed(tmp, **model.to_arrays())
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, out / _ARRAYS)
    manifest = {
        "format": FORMAT, "format_version": 1, "labels": list(LABELS),
        "params": model.get_params(), "threshold": threshold,
        "dense_features": feature_names(model.get_params().get("input", "text")),
        "context_features": PROBA_CONTEXT_NAMES, "n_hash": N_HASH,
        "files": {_ARRAYS: _sha256(out / _ARRAYS)}, "summary": summary or {},
    }
    if isinstance(model, AveragedScorer):
        manifest.update(format_version=2, members=model.member_params())
    _write_manifest(out, manifest)
    return out


def replace_summary(directory: str | os.PathLike[str], summary: dict[str, Any]) -> None:
    """Rewrite the training summary in a saved model's ``model.json``, its arrays untouched."""
    _write_manifest(Path(directory), {**read_manifest(directory), "summary": summary})


def _write_manifest(out: Path, manifest: dict[str, Any]) -> None:
    tmp_manifest = out / (_MANIFEST + ".tmp")
    tmp_manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp_manifest, out / _MANIFEST)


def read_manifest(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """The parsed and checked ``model.json`` of a model directory."""
    d = Path(directory)
    path = d / _MANIFEST
    if not d.is_dir():
        raise ModelError(f"{d}: not a model directory (no such directory)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: missing; a model directory holds {_MANIFEST} and {_ARRAYS}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ModelError(f"{path}: not valid JSON ({e}); the file is damaged or truncated") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ModelError(f"{path}: not a cleanlib model manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelError(f"{path}: model format version {version!r} is newer than this cleanlib reads "
                         f"({FORMAT_VERSION}); upgrade cleanlib")
    kind = (manifest.get("params") or {}).get("input", "text")
    if kind not in INPUTS:
        raise ModelError(f"{path}: the model reads {kind!r} input, which this cleanlib does not know")
    if manifest.get("dense_features") != feature_names(kind) or manifest.get("context_features") != PROBA_CONTEXT_NAMES \
            or manifest.get("n_hash") != N_HASH or manifest.get("labels") != list(LABELS):
        raise ModelError(f"{path}: the model was trained on other features or labels than this cleanlib computes; "
                         "retrain it with this version")
    return manifest


def load_model(directory: str | os.PathLike[str] | None = None
               ) -> tuple[ParagraphScorer | AveragedScorer, dict[str, Any]]:
    """Load and verify a model directory (the shipped default when ``None``); returns (model, manifest).
    The model scores with numpy alone; ``ParagraphClassifier.from_arrays(model.to_arrays(), model.get_params())``
    makes the scikit-learn estimator of a single model (of an averaged one, of each of ``model.members``)."""
    d = Path(directory) if directory is not None else DEFAULT_MODEL_DIR
    manifest = read_manifest(d)
    path = d / _ARRAYS
    if not path.is_file():
        raise ModelError(f"{path}: missing")
    expected = manifest.get("files", {}).get(_ARRAYS)
    if expected != _sha256(path):
        raise ModelError(f"{path}: checksum does not match {_MANIFEST}; the file was changed or truncated")
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except Exception as e:  # a damaged archive raises zipfile, OSError or ValueError errors
        raise ModelError(f"{path}: cannot be read ({type(e).__name__}: {e})") from None
    members = manifest.get("members")
    if members is None:
        _check_arrays(arrays, path, manifest["dense_features"])
        return ParagraphScorer(arrays, manifest.get("params", {})), manifest
    if not isinstance(members, list) or not members or not all(isinstance(m, dict) for m in members):
        raise ModelError(f"{d / _MANIFEST}: 'members' must be a non-empty list of parameter objects")
    if any(m.get("input", "text") != (manifest.get("params") or {}).get("input", "text") for m in members):
        raise ModelError(f"{d / _MANIFEST}: the members read different inputs than the model's params say")
    parts = member_arrays(arrays, len(members))
    if sum(len(p) for p in parts) != len(arrays):
        raise ModelError(f"{path}: holds arrays of no member (the manifest lists {len(members)} members)")
    for i, part in enumerate(parts):
        _check_arrays(part, Path(f"{path} (member {i})"), manifest["dense_features"])
    return AveragedScorer([ParagraphScorer(a, p) for a, p in zip(parts, members)]), manifest
