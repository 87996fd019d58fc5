"""The default model gets every paragraph of every seed article right."""
import pytest

from cleanlib import classify

from conftest import SEEDS, seed_records


@pytest.mark.parametrize("record", seed_records(), ids=lambda r: r["id"])
def test_default_model_labels_every_seed_paragraph(record):
    text = (SEEDS / record["source"]).read_text(encoding="utf-8")
    got = classify(text)
    assert [p.text for p in got] == [p["text"] for p in record["paragraphs"]]
    wrong = [(p.index, p.label, e["label"], p.text[:40]) for p, e in zip(got, record["paragraphs"]) if p.label != e["label"]]
    assert wrong == []
