"""The public API: ``clean``, ``classify``, ``Cleaner`` and ``train``; and the one place where a cleaner's
settings are checked (``check_settings``) and its loaded model kept per process (``cached_cleaner``), which
``clean``/``classify`` and the Dask and Hugging Face helpers in ``cleanlib.scale`` share."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, NamedTuple, Sequence

import numpy as np

from .data import LABELS, LabeledDoc, read_labeled
from .core.decide import kept
from .core.features import featurize
from .core.scoring import Model, ParagraphScorer
from .core.segment import SPLIT_MODES, Segments, SplitMode, split_paragraphs
from .store import DEFAULT_HTML_MODEL_DIR, DEFAULT_MODEL_DIR, load_model, save_model

__all__ = ["Paragraph", "Cleaner", "clean", "classify", "clean_html", "classify_html", "train", "as_text", "cell_text",
           "Settings", "check_settings", "cached_cleaner"]

BATCH_DOCS = 64            # documents featurized together by clean_many / classify_many
BATCH_PARAGRAPHS = 20_000  # ... or fewer, once they hold this many paragraphs
WINDOW = 10_000            # paragraphs of one document scored together (real articles have far fewer)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the input: ``text == input[start:end]``, its label, that label's probability, and
    ``kept``: whether ``clean`` with the same settings keeps it (the threshold on the kept labels, the rescue, and
    the comment rules, so ``kept`` may differ from what the label alone says)."""

    index: int
    start: int
    end: int
    text: str
    label: str
    score: float
    probs: dict[str, float]
    kept: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The paragraph as ``cleanlib classify`` prints it: offsets, label, score (6 decimals), kept and text."""
        return {"index": self.index, "start": self.start, "end": self.end, "label": self.label,
                "score": round(self.score, 6), "kept": self.kept, "text": self.text}


def as_text(text: Any) -> str:
    """The input as ``str``: bytes are decoded as UTF-8 with invalid bytes replaced by U+FFFD."""
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        return bytes(text).decode("utf-8", errors="replace")
    raise TypeError(f"expected str or bytes, got {type(text).__name__}")


def cell_text(value: Any) -> str | bytes:
    """A table cell (a Dask or datasets column) as text to clean: missing values (None, NaN, pd.NA) become
    the empty string; bytes are kept, for the cleaner to decode as ``as_text`` does."""
    if value is None or (isinstance(value, float) and value != value) or type(value).__name__ == "NAType":
        return ""
    return value if isinstance(value, (bytes, bytearray, memoryview)) else as_text(value)


def _keep_labels(keep: str | Sequence[str]) -> tuple[str, ...]:
    """``keep`` as a tuple of labels (one label may be given as a string); refused unless all are in LABELS."""
    keep = (keep,) if isinstance(keep, str) else tuple(keep)
    if not keep or any(k not in LABELS for k in keep):
        raise ValueError(f"keep must name labels among {', '.join(LABELS)}; got {keep!r}")
    return keep


def _checked_threshold(threshold: float) -> float:
    """``threshold`` as a float in [0, 1]; a bool, a string or anything but a real number is refused."""
    if isinstance(threshold, (bool, np.bool_)) or not isinstance(threshold, (int, float, np.integer, np.floating)):
        raise TypeError(f"threshold must be a number in [0, 1], not {type(threshold).__name__}")
    threshold = float(threshold)
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    return threshold


@lru_cache(maxsize=2)
def _default_model(html: bool = False) -> tuple[ParagraphScorer, dict]:
    return load_model(DEFAULT_HTML_MODEL_DIR if html else DEFAULT_MODEL_DIR)


def _block_segments(blocks: Any) -> Segments:
    """An HTML page's blocks as paragraphs: their texts, with offsets into the blocks' texts joined by blank
    lines (``cleanlib.html.dom.blocks_text``)."""
    lengths = np.fromiter(map(len, blocks.texts), dtype=np.int64, count=len(blocks.texts))
    starts = np.cumsum(lengths + 2) - lengths - 2
    return Segments(blocks.texts, starts, starts + lengths)


class Cleaner:
    """A loaded model with its settings; reuse one for many texts (thread-safe, read-only).

    ``model``: a model directory, a fitted ``ParagraphClassifier`` or ``ParagraphScorer``, or ``None`` for the
    shipped default. ``html``: the inputs are HTML pages (``str`` or ``bytes``; extra ``html``), read with the
    HTML model (the shipped one by default) from their DOM blocks.
    ``keep``: the labels ``clean`` keeps. ``threshold``: a paragraph is kept when the summed probability
    of the kept labels reaches it. ``rescue``: where no paragraph of a text reaches it, keep the text's prose
    paragraphs that score best, and in a short text that keeps one or two paragraphs, the prose beside them
    (``cleanlib.core.decide``), so that a short article the model doubts is not lost; ``False``: the threshold
    alone. ``split``: paragraph splitting of plain text (see ``cleanlib.core.segment``).
    ``drop_comment_sections``: for HTML, a block inside a comment section (an element whose class or id names
    one, ``cleanlib.html.dom.comment_section``, or after a "Comments" heading in its container,
    ``after_comment_headings``) is never kept, unless the page keeps fewer than 30 words
    outside them (a forum thread); for text, nothing is kept from a comment thread's heading ("Comments",
    "12 Comments") on, where 60 words are kept before it; ``False``: the model alone decides.
    """

    def __init__(self, model: str | os.PathLike[str] | Model | None = None, *, html: bool = False,
                 threshold: float | None = None, keep: str | Sequence[str] = ("content",), rescue: bool = True,
                 split: SplitMode = "auto", drop_comment_sections: bool = True):
        if hasattr(model, "predict_proba_features"):  # a fitted model object
            self.model, manifest = model, {}
        elif model is None:
            self.model, manifest = _default_model(html)
        else:
            self.model, manifest = load_model(model)
        kind = self.model.get_params().get("input", "text")
        if kind != ("html" if html else "text"):
            raise ValueError(f"this model reads {kind} input: use Cleaner(..., html={kind == 'html'})")
        self.html = html
        self.keep = _keep_labels(keep)
        self.threshold = _checked_threshold(manifest.get("threshold", 0.5) if threshold is None else threshold)
        self.rescue = bool(rescue)
        if split not in SPLIT_MODES:
            raise ValueError(f"split must be 'auto', 'blank' or 'line', not {split!r}")
        self.split = split
        self.drop_comment_sections = bool(drop_comment_sections)
        self._keep_cols = np.array([LABELS.index(k) for k in self.keep])

    def _features(self, group: list, lines: list[bool]) -> Any:
        if self.html:
            from .html.features import featurize_html

            return featurize_html(group)
        return featurize(group, lines)

    def _score(self, units: list, lines: list[bool]) -> np.ndarray:
        """Probabilities of all paragraphs of ``units`` (paragraph lists, or an HTML page's ``Blocks``; ``lines``:
        whether each unit's paragraphs are its text's lines), in order. A document longer than WINDOW paragraphs
        is scored in consecutive windows of WINDOW paragraphs, each as its own document, so that time and memory
        stay linear and bounded however large one input is."""
        windows = [(u if len(u) <= WINDOW else u.window(i, i + WINDOW) if self.html else u[i:i + WINDOW], line)
                   for u, line in zip(units, lines) for i in range(0, max(len(u), 1), WINDOW)]
        parts, group, flags, count = [], [], [], 0
        for w, line in windows:
            group.append(w)
            flags.append(line)
            count += len(w)
            if count >= BATCH_PARAGRAPHS:
                parts.append(self.model.predict_proba_features(self._features(group, flags)))
                group, flags, count = [], [], 0
        parts.append(self.model.predict_proba_features(self._features(group, flags)))
        return np.vstack(parts)

    def _segment(self, item: Any) -> tuple[Segments, Any]:
        """One input's paragraphs, and what the model reads of it (its paragraph texts, or its blocks)."""
        if self.html:
            from .html.dom import html_blocks

            blocks = html_blocks(item)
            return _block_segments(blocks), blocks
        seg = split_paragraphs(as_text(item), self.split)
        return seg, seg.texts

    def _batches(self, texts: Iterable[Any]) -> Iterable[tuple[list[Segments], np.ndarray, np.ndarray, np.ndarray | None]]:
        """Segmented inputs in batches of up to BATCH_DOCS documents or about BATCH_PARAGRAPHS paragraphs: their
        segments, probabilities, paragraph bounds, and (HTML) which blocks sit in a comment section."""
        if isinstance(texts, (str, bytes, bytearray, memoryview)):
            raise TypeError("texts must be an iterable of texts (a list of str or bytes), not one text: "
                            "for one text, use clean() or classify()")
        batch: list[Segments] = []
        units: list = []
        n_paragraphs = 0
        for t in texts:
            seg, unit = self._segment(t)
            batch.append(seg)
            units.append(unit)
            n_paragraphs += len(seg)
            if len(batch) == BATCH_DOCS or n_paragraphs >= BATCH_PARAGRAPHS:
                yield self._batch(batch, units)
                batch, units, n_paragraphs = [], [], 0
        if batch:
            yield self._batch(batch, units)

    def _batch(self, batch: list[Segments], units: list) -> tuple[list[Segments], np.ndarray, np.ndarray,
                                                                   np.ndarray | None]:
        vetoed = np.concatenate([u.in_comments for u in units]) if self.html else None
        proba = self._score(units, [s.mode == "line" for s in batch])
        return batch, proba, np.concatenate([[0], np.cumsum([len(s) for s in batch])]), vetoed

    def classify_many(self, texts: Iterable[str | bytes]) -> list[list[Paragraph]]:
        """``classify`` for each text, scored in batches."""
        out = []
        for segs, proba, bounds, vetoed in self._batches(texts):
            labels = proba.argmax(axis=1)
            keep = self._kept(segs, proba, vetoed).tolist()
            for i, s in enumerate(segs):
                rows = range(bounds[i], bounds[i + 1])
                out.append([Paragraph(j, int(s.starts[j]), int(s.ends[j]), s.texts[j], LABELS[labels[r]],
                                      float(proba[r, labels[r]]), dict(zip(LABELS, map(float, proba[r]))), keep[r])
                            for j, r in enumerate(rows)])
        return out

    def _kept(self, segs: list[Segments], proba: np.ndarray, vetoed: np.ndarray | None) -> np.ndarray:
        """The keep flag of every paragraph of a batch (``cleanlib.core.decide.kept`` with this cleaner's settings;
        for HTML, a page's blocks in comment sections are not kept, unless the page keeps next to nothing else;
        for text, nothing from a comment thread's heading on, where 60 words are kept before it)."""
        return kept(proba[:, self._keep_cols].sum(axis=1), [s.texts for s in segs], self.threshold, self.rescue,
                    vetoed if self.drop_comment_sections else None,
                    threads=self.drop_comment_sections and not self.html)

    def clean_many(self, texts: Iterable[str | bytes]) -> list[str]:
        """``clean`` for each text, scored in batches: the kept paragraphs of each, joined by a blank line."""
        out = []
        for segs, proba, bounds, vetoed in self._batches(texts):
            keep = self._kept(segs, proba, vetoed)
            for i, s in enumerate(segs):
                k = keep[bounds[i]:bounds[i + 1]]
                out.append("\n\n".join(t for t, flag in zip(s.texts, k) if flag))
        return out

    def classify(self, text: str | bytes) -> list[Paragraph]:
        """Every paragraph of ``text`` in order, with its most probable label, that label's probability and
        whether ``clean`` keeps it (for HTML, every block; its offsets index the blocks' texts joined by blank lines)."""
        return self.classify_many([text])[0]

    def clean(self, text: str | bytes) -> str:
        """The paragraphs of ``text`` whose kept labels reach the threshold (or, where none does, those the
        rescue keeps), unaltered, joined by a blank line."""
        return self.clean_many([text])[0]


class Settings(NamedTuple):
    """What a ``Cleaner`` is built from, checked but with no model loaded: hashable and picklable, so that
    it can travel with a task to another process. ``model``: a model directory, or None for the default."""

    model: str | None = None
    threshold: float | None = None
    keep: tuple[str, ...] = ("content",)
    html: bool = False
    drop_comment_sections: bool = True


def check_settings(model: str | os.PathLike[str] | None = None, threshold: float | None = None,
                   keep: str | Sequence[str] = ("content",), html: bool = False,
                   drop_comment_sections: bool = True) -> Settings:
    """Check a cleaner's settings without loading a model (so that a bad one fails before any work is sent
    out) and return them as ``Settings``; a model must be named by its directory here, not passed as an object."""
    if model is not None and not isinstance(model, (str, os.PathLike)):
        raise TypeError(f"model must be a model directory path or None, got {type(model).__name__}")
    return Settings(None if model is None else os.fspath(model),
                    None if threshold is None else _checked_threshold(threshold), _keep_labels(keep), bool(html),
                    bool(drop_comment_sections))


_CACHE: dict[Settings, Cleaner] = {}  # this process's cleaners, by settings, oldest first
_CACHE_SIZE = 64                      # settings kept at once (a cleaner of the default model costs little)
_LOCK = threading.Lock()


def cached_cleaner(settings: Settings) -> Cleaner:
    """The ``Cleaner`` for ``settings``, built once per process and reused by every later call (and thread)."""
    settings = Settings(*settings)  # a task framework may hand the named tuple back as a plain one
    c = _CACHE.get(settings)
    if c is None:
        with _LOCK:
            c = _CACHE.get(settings)
            if c is None:
                c = Cleaner(settings.model, html=settings.html, threshold=settings.threshold, keep=settings.keep,
                            drop_comment_sections=settings.drop_comment_sections)
                if len(_CACHE) >= _CACHE_SIZE:
                    del _CACHE[next(iter(_CACHE))]
                _CACHE[settings] = c
    return c


def _cleaner(threshold: float | None, keep: str | Sequence[str], model: str | os.PathLike[str] | Model | None,
             html: bool = False) -> Cleaner:
    """The cleaner ``clean`` and ``classify`` use: cached for the default model; a model directory or object is
    used as given, so that a directory retrained in this process is read again."""
    if model is None:
        return cached_cleaner(check_settings(None, threshold, keep, html))
    return Cleaner(model, html=html, threshold=threshold, keep=keep)


def clean(text: str | bytes, *, threshold: float | None = None, keep: str | Sequence[str] = ("content",),
          model: str | os.PathLike[str] | Model | None = None) -> str:
    """The article's content paragraphs of ``text``, joined by a blank line (default model)."""
    return _cleaner(threshold, keep, model).clean(text)


def classify(text: str | bytes, *, model: str | os.PathLike[str] | Model | None = None) -> list[Paragraph]:
    """Every paragraph of ``text`` with its label, score and offsets (default model)."""
    return _cleaner(None, ("content",), model).classify(text)


def clean_html(html: str | bytes, *, threshold: float | None = None, keep: str | Sequence[str] = ("content",),
               model: str | os.PathLike[str] | Model | None = None) -> str:
    """The article's content blocks of an HTML page, joined by a blank line (the shipped HTML model)."""
    return _cleaner(threshold, keep, model, html=True).clean(html)


def classify_html(html: str | bytes, *, model: str | os.PathLike[str] | Model | None = None) -> list[Paragraph]:
    """Every text block of an HTML page in document order, with its label and score; offsets index the blocks'
    texts joined by blank lines (the shipped HTML model)."""
    return _cleaner(None, ("content",), model, html=True).classify(html)


def train(data: str | os.PathLike[str] | Sequence[LabeledDoc], out: str | os.PathLike[str] | None = None,
          **params: Any) -> Model:
    """Fit a ``ParagraphClassifier`` on labeled documents (a JSONL path or ``LabeledDoc`` list); save it to ``out``.
    Parameters not given are the shipped text model's (``training_params``)."""
    from .learn.model import ParagraphClassifier  # scikit-learn: imported here, to train, not to clean

    docs = read_labeled(data) if isinstance(data, (str, os.PathLike)) else list(data)
    check_trainable(docs)
    groups = [str(d.extra.get("group", d.id)) for d in docs]
    model = ParagraphClassifier(**{**training_params(sum(len(d.texts) for d in docs)), **params})
    model.set_params(n_folds=min(model.n_folds, len(set(groups))))
    model.fit([d.texts for d in docs], [d.labels for d in docs], groups=groups)
    if out is not None:
        save_model(model, out, summary={"documents": len(docs), "paragraphs": sum(len(d.texts) for d in docs)})
    return model


MIN_DOCS, MIN_PARAGRAPHS = 4, 50


def training_params(paragraphs: int) -> dict[str, Any]:
    """The shipped text model's ``ParagraphClassifier`` settings (``Recipe().model_params()``) for a training set of
    ``paragraphs``: its leaves of 100 paragraphs need a set as large as the shipped one's (about a million), so a
    smaller set gets leaves of one paragraph in 1,000, down to the estimator's 20."""
    from .learn.recipe import Recipe

    params = Recipe().model_params()
    if "min_samples_leaf" in params:
        params["min_samples_leaf"] = int(min(params["min_samples_leaf"], max(20, paragraphs // 1000)))
    return params


def check_trainable(docs: Sequence[LabeledDoc]) -> None:
    """Refuse data a model cannot be trained on, saying what is needed."""
    if len(docs) < MIN_DOCS:
        raise ValueError(f"training needs at least {MIN_DOCS} documents, got {len(docs)}")
    empty = [d.id for d in docs if not d.texts]
    if empty:
        raise ValueError(f"{len(empty)} documents have no paragraphs (first: {empty[0]!r}); remove them")
    counts = {l: 0 for l in LABELS}
    for d in docs:
        for l in d.labels:
            counts[l] += 1
    total = sum(counts.values())
    if total < MIN_PARAGRAPHS:
        raise ValueError(f"training needs at least {MIN_PARAGRAPHS} labeled paragraphs, got {total}")
    present = [l for l, c in counts.items() if c]
    if len(present) < 2 or counts["content"] == 0:
        raise ValueError(f"training needs content paragraphs and at least one other label; this data has only "
                         f"{', '.join(present) or 'no labels'}")
