"""TurkuNLP's line-quality annotations: ``<lang>/train.json``, documents (after a first boilerplate removal,
no HTML) whose lines are labeled "1" (clean) or "0" (noise). The shape of crawl text, one block a line.
Validation only. A clean line is ``content``, a noise line ``boilerplate``."""
from __future__ import annotations

from pathlib import Path

from ..data import DataError, LabeledDoc
from .common import PathLike, read_json

__all__ = ["TURKU_LANGUAGES", "turku_docs"]

TURKU_LANGUAGES = ("de", "en", "es", "fi")


def turku_docs(root: PathLike, languages: tuple[str, ...] = TURKU_LANGUAGES) -> list[LabeledDoc]:
    """Every annotated document of the given languages, its lines as paragraphs (blank lines dropped)."""
    out = []
    for lang in languages:
        path = Path(root) / lang / "train.json"
        for i, doc in enumerate(read_json(path)):
            lines, labels = doc.get("text"), doc.get("labels")
            if not isinstance(lines, list) or not isinstance(labels, list) or len(lines) != len(labels):
                raise DataError(f"{path}: document {i} needs as many labels as lines")
            kept = [(t.strip(), "content" if str(l) == "1" else "boilerplate")
                    for t, l in zip(lines, labels) if isinstance(t, str) and t.strip()]
            out.append(LabeledDoc(f"turku/{lang}/{i}", [t for t, _ in kept], [l for _, l in kept],
                                  {"renderer": "lines", "group": f"turku/{lang}/{i}", "lang": lang}))
    return out
