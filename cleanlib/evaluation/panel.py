"""The validation panel: one model scored on every kind of real input we hold, each set with its own metric.

The sets are the files ``training/prepare.py`` writes (``data/prepared``); each page comes in three
renderings (html-text, resiliparse, and resiliparse one block a line), the crawl lines in one:

| set | what | metric |
|---|---|---|
| wcxb-articles, wcxb-all | WCXB-dev held-out pages (article pages; every page type) | word F1 |
| fundus | fundus, held-out publishers (news, many languages) | word F1 |
| readability | Readability's test pages, held out | word F1 |
| dragnet | news and blogs with comment threads (validation only) | article word F1; comment words removed |
| cleaneval | CleanEval dev, mixed pages (validation only) | word F1 |
| turku | crawl lines labeled clean / noise, de en es fi (validation only) | F1 of keeping the clean lines |
| scrapinghub | the public benchmark: reported, never chosen by | shingle F1 |

``panel_mean`` is what a model change is chosen by: the mean over the sets' headline figures (each the mean
of its renderings; turku the mean of its languages), scrapinghub left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from ..core.decide import kept
from ..core.scoring import Model
from ..data import LABELS, LabeledDoc, read_labeled
from .metrics import benchmark_shingle_f1, comments_removed, line_prf, mean_word_f1
from .scores import doc_features

__all__ = ["PanelSet", "SETS", "HTML_SETS", "TEXT_COLUMNS", "load_panel", "score_panel", "panel_mean", "set_figure", "kept_texts", "figure",
           "html_panel", "score_outputs"]

_CONTENT = LABELS.index("content")


@dataclass(frozen=True)
class PanelSet:
    """One validation set: the prepared file it reads, which of its documents, and how it is scored."""

    name: str
    file: str
    metric: str                       # "word", "dragnet", "lines" or "shingle"
    select: Callable[[LabeledDoc], bool] | None = None
    chosen_by: bool = True            # False: reported only (the public benchmark)


SETS: tuple[PanelSet, ...] = (
    PanelSet("wcxb-articles", "wcxb-heldout", "word", lambda d: d.extra.get("page_type") == "article"),
    PanelSet("wcxb-all", "wcxb-heldout", "word"),
    PanelSet("fundus", "fundus-heldout", "word"),
    PanelSet("readability", "readability-heldout", "word"),
    PanelSet("dragnet", "dragnet", "dragnet"),
    PanelSet("cleaneval", "cleaneval", "word"),
    PanelSet("turku", "turku", "lines"),
    PanelSet("scrapinghub", "scrapinghub", "shingle", chosen_by=False),
)


def load_panel(data: Path, sets: Sequence[PanelSet] = SETS) -> dict[str, list[LabeledDoc]]:
    """The documents of each set, read once from ``data`` (missing files raise ``DataError``)."""
    files: dict[str, list[LabeledDoc]] = {}
    out = {}
    for s in sets:
        if s.file not in files:
            files[s.file] = read_labeled(Path(data) / f"{s.file}.jsonl.gz")
        out[s.name] = [d for d in files[s.file] if s.select is None or s.select(d)]
    return out


def kept_texts(docs: Sequence[LabeledDoc], keep: np.ndarray) -> list[str]:
    """Each document's kept paragraphs joined by a blank line, from one keep flag a paragraph."""
    out, row = [], 0
    for d in docs:
        out.append("\n\n".join(t for t, k in zip(d.texts, keep[row:row + len(d.texts)]) if k))
        row += len(d.texts)
    return out


def figure(metric: str, docs: Sequence[LabeledDoc], keep: np.ndarray | None = None,
           texts: Sequence[str] | None = None) -> dict[str, float]:
    """One set's figures for one rendering: from one keep flag a paragraph, or (for a tool that returns text,
    not paragraphs; not for the line metric) from each document's output text."""
    if texts is None:
        if keep is None:
            raise ValueError("give keep flags or output texts")
        texts = kept_texts(docs, keep)
    gold = [d.extra.get("gold", "") for d in docs]
    if metric == "word":
        return {"f1": mean_word_f1(zip(texts, gold))["f1"]}
    if metric == "shingle":
        return {"f1": benchmark_shingle_f1(zip(texts, gold))["f1"]}
    if metric == "dragnet":
        return {"f1": mean_word_f1(zip(texts, gold))["f1"],
                "comments_removed": comments_removed(
                    (t, g, d.extra.get("comments", "")) for t, g, d in zip(texts, gold, docs))["removed"]}
    if metric == "lines":
        if keep is None:
            raise ValueError("the line metric needs one keep flag a line")
        clean = np.array([l == "content" for d in docs for l in d.labels], dtype=bool)
        lang = np.array([d.extra.get("lang", "") for d in docs for _ in d.texts])
        out = {f"f1_{code}": line_prf(keep[lang == code], clean[lang == code])["f1"] for code in sorted(set(lang))}
        out["f1"] = float(np.mean(list(out.values())))
        return out
    raise ValueError(f"unknown metric {metric!r}")


TEXT_COLUMNS = ("html_text", "resiliparse", "wet", "lines")  # the renderings a text model is scored on


def score_panel(model: Model | Callable[[list[LabeledDoc]], np.ndarray], panel: dict[str, list[LabeledDoc]],
                threshold: float = 0.5, sets: Sequence[PanelSet] = SETS,
                renderings: Sequence[str] = TEXT_COLUMNS, rescue: bool = True) -> dict[str, dict[str, dict[str, float]]]:
    """``{set: {rendering: figures}}`` for a model (or a function giving one keep flag a paragraph); a model's
    paragraphs are kept as ``clean`` keeps them (``cleanlib.core.decide``; ``rescue=False``: as
    ``Cleaner(rescue=False)`` keeps them, the threshold and the comment headings without the rescue)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for s in sets:
        docs = panel.get(s.name)
        if docs is None:
            continue
        out[s.name] = {}
        for rendering in sorted({d.extra.get("renderer", "") for d in docs} & set(renderings)):
            part = [d for d in docs if d.extra.get("renderer", "") == rendering]
            if hasattr(model, "predict_proba_features"):
                content = model.predict_proba_features(doc_features(model, part))[:, _CONTENT]
                keep = kept(content, [d.texts for d in part], threshold, rescue, threads=True)
            else:
                keep = np.asarray(model(part), dtype=bool)
            out[s.name][rendering] = figure(s.metric, part, keep=keep)
    return out


def set_figure(per_rendering: dict[str, dict[str, float]], key: str = "f1") -> float:
    """A set's headline figure: the mean over its renderings."""
    return float(np.mean([f[key] for f in per_rendering.values()]))


def panel_mean(scores: dict[str, dict[str, dict[str, float]]], sets: Sequence[PanelSet] = SETS) -> float:
    """The figure a change is chosen by: the mean of the chosen-by sets' headline figures (dragnet counts
    its article F1 and its comment removal as two)."""
    values = []
    for s in sets:
        if s.chosen_by and s.name in scores:
            values.append(set_figure(scores[s.name]))
            if s.metric == "dragnet":
                values.append(set_figure(scores[s.name], "comments_removed"))
    return float(np.mean(values))


HTML_SETS: tuple[PanelSet, ...] = tuple(s for s in SETS if s.metric != "lines")  # the sets that have HTML


def html_panel(shared: Path) -> dict[str, list]:
    """The validation pages of each set that has HTML (``corpora.Page``, read from ``shared``, the corpora
    folder): the held-out pages of the training corpora, every page of the others."""
    from ..corpora import CORPORA, is_heldout

    def read(name: str) -> list:
        reader, folder = CORPORA[name]
        return reader(Path(shared) / folder)

    wcxb = [p for p in read("wcxb") if is_heldout(p.group)]
    return {"wcxb-articles": [p for p in wcxb if p.extra.get("page_type") == "article"], "wcxb-all": wcxb,
            "fundus": [p for p in read("fundus") if is_heldout(p.group)],
            "readability": [p for p in read("readability") if is_heldout(p.group)],
            "dragnet": read("dragnet"), "cleaneval": read("cleaneval"), "scrapinghub": read("scrapinghub")}


def score_outputs(outputs: dict[str, Sequence[str]], pages: dict[str, list], column: str = "html",
                  sets: Sequence[PanelSet] = HTML_SETS) -> dict[str, dict[str, dict[str, float]]]:
    """``{set: {column: figures}}`` for one output text a page (a tool's, or a model's from the HTML)."""
    out = {}
    for s in sets:
        if s.name in outputs:
            docs = [LabeledDoc(p.id, [], [], {"gold": p.gold.main_text, "comments": p.extra.get("comments", "")})
                    for p in pages[s.name]]
            out[s.name] = {column: figure(s.metric, docs, texts=list(outputs[s.name]))}
    return out
