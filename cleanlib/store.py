"""Save and load a model directory: ``model.json`` (format, parameters, checksums, training summary)
and ``arrays.npz`` (numbers only, read with ``allow_pickle=False``). Nothing is ever unpickled."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .data import LABELS
from .features import DENSE_NAMES, N_HASH
from .model import CONTEXT_NAMES, ParagraphClassifier

__all__ = ["FORMAT_VERSION", "ModelError", "DEFAULT_MODEL_DIR", "save_model", "load_model", "read_manifest"]

FORMAT = "cleanlib-model"
FORMAT_VERSION = 1
DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "models" / "default"
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


def _expected_shapes(hidden: int) -> dict[str, tuple[int, ...]]:
    k, d, z = len(LABELS), len(DENSE_NAMES), len(DENSE_NAMES) + len(CONTEXT_NAMES)
    return {"dense_mean": (d,), "dense_scale": (d,), "w_sparse": (k, N_HASH), "w_dense": (k, d), "b_first": (k,),
            "z_mean": (z,), "z_scale": (z,), "w_hidden": (z, hidden), "b_hidden": (hidden,), "w_out": (hidden, k),
            "b_out": (k,)}


def save_model(model: ParagraphClassifier, directory: str | os.PathLike[str], summary: dict[str, Any] | None = None,
               threshold: float = 0.5) -> Path:
    """Write a fitted model to ``directory`` (created if needed); files are replaced atomically."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=out, suffix=".npz", delete=False) as tmp:
        np.savez_compressed(tmp, **model.to_arrays())
    os.replace(tmp.name, out / _ARRAYS)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "labels": list(LABELS),
        "params": model.get_params(), "threshold": threshold,
        "dense_features": DENSE_NAMES, "context_features": CONTEXT_NAMES, "n_hash": N_HASH,
        "files": {_ARRAYS: _sha256(out / _ARRAYS)}, "summary": summary or {},
    }
    tmp_manifest = out / (_MANIFEST + ".tmp")
    tmp_manifest.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp_manifest, out / _MANIFEST)
    return out


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
    if manifest.get("dense_features") != DENSE_NAMES or manifest.get("context_features") != CONTEXT_NAMES \
            or manifest.get("n_hash") != N_HASH or manifest.get("labels") != list(LABELS):
        raise ModelError(f"{path}: the model was trained on other features or labels than this cleanlib computes; "
                         "retrain it with this version")
    return manifest


def load_model(directory: str | os.PathLike[str] | None = None) -> tuple[ParagraphClassifier, dict[str, Any]]:
    """Load and verify a model directory (the shipped default when ``None``); returns (model, manifest)."""
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
    params = manifest.get("params", {})
    shapes = _expected_shapes(int(params.get("hidden", 64)))
    for name, shape in shapes.items():
        if name not in arrays:
            raise ModelError(f"{path}: array {name!r} is missing")
        if arrays[name].shape != shape or arrays[name].dtype.kind != "f":
            raise ModelError(f"{path}: array {name!r} has shape {arrays[name].shape}, expected {shape}")
        if not np.isfinite(arrays[name]).all():
            raise ModelError(f"{path}: array {name!r} holds non-finite values")
    return ParagraphClassifier.from_arrays(arrays, params), manifest
