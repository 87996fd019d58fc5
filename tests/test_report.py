import base64
import builtins
import json
import re
from html.parser import HTMLParser

import pytest

from cleanlib.cli import main
from cleanlib.evaluation import compare_docs, evaluate_docs

from conftest import synthetic_docs
from test_evaluate import _noisy

NASTY = "<script>alert('x')</script> & \"quoted\" <img src=https://evil.example/x.png>"


@pytest.fixture(scope="module")
def docs():
    docs = synthetic_docs(12)
    for d in docs:  # every document carries markup in a paragraph, so the worst ones do too
        d.texts[5] = NASTY + " " + d.texts[5]
    return docs


class _Tags(HTMLParser):
    """Every tag name and every src/href attribute of a page, as a browser would parse them."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: set[str] = set()
        self.urls: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]


def _self_contained(page: str) -> None:
    t = _Tags(page)
    assert t.urls and all(u.startswith(("data:image/png;base64,", "#")) for u in t.urls)
    assert not t.tags & {"script", "link", "iframe", "object", "embed"}


def _sections(page: str) -> None:
    for anchor in ("paragraph", "documents", "threshold", "worst"):
        assert f'<section id="{anchor}">' in page
    for needle in ("Paragraph level", "Confusion matrix", "macro", "true count", "word F1", "shingle F1",
                   "95% interval", "Best threshold", "Worst documents", "reliability"):
        assert needle in page


def test_report_is_self_contained_with_every_section_and_plots(docs, tmp_path):
    pytest.importorskip("matplotlib")
    from cleanlib.evaluation.report import write_report

    r = evaluate_docs(_noisy(docs), docs)
    page = write_report(tmp_path / "r.html", r).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    _self_contained(page)
    _sections(page)
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 3  # distribution, precision-recall and F1 by threshold, reliability
    assert all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)


def test_paragraph_text_is_escaped(docs, tmp_path):
    pytest.importorskip("matplotlib")
    from cleanlib.evaluation.report import render_html

    page = render_html(evaluate_docs(_noisy(docs), docs))
    assert NASTY not in page and "<script>alert" not in page and "evil.example/x.png>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in page
    assert 'class="wrong"' in page  # wrong paragraphs are marked


def test_comparison_report(docs):
    pytest.importorskip("matplotlib")
    from cleanlib.evaluation.report import render_html

    c = compare_docs(_noisy(docs, seed=1), _noisy(docs, seed=2), docs)
    c["a"]["model"], c["b"]["model"] = "model <a>", "model <b>"
    page = render_html(c)
    _self_contained(page)
    _sections(page)
    assert '<section id="comparison">' in page and "B − A" in page and "model &lt;a&gt;" in page
    d = c["comparison"]["figures"]["word_f1"]["difference"]
    assert f"{d:+.4f}" in page


def test_no_worst_documents_no_text(docs):
    pytest.importorskip("matplotlib")
    from cleanlib.evaluation.report import render_html

    page = render_html(evaluate_docs(_noisy(docs), docs, worst=0))
    assert "--worst 0" in page and "Celebrity chef" not in page and "script" not in page


def test_cli_report(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from cleanlib.data import write_labeled

    data = tmp_path / "d.jsonl"
    write_labeled(data, synthetic_docs(6))
    out = tmp_path / "r.html"
    assert main(["evaluate", "--data", str(data), "--report", str(out), "--json", str(tmp_path / "r.json")]) == 0
    page = out.read_text(encoding="utf-8")
    _sections(page)
    assert str(data) in page and json.loads((tmp_path / "r.json").read_text())["source"] == {"data": str(data)}
    assert "report written to" in capsys.readouterr().err


def test_missing_matplotlib_gives_a_clear_error(tmp_path, monkeypatch, capsys):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    from cleanlib.evaluation.report import MISSING_MATPLOTLIB, render_html

    docs = synthetic_docs(4)
    r = evaluate_docs(_noisy(docs), docs)  # evaluation and the terminal summary need no matplotlib
    with pytest.raises(ImportError, match=re.escape("pip install 'cleanlib-text[report]'")):
        render_html(r)
    data = tmp_path / "d.jsonl"
    from cleanlib.data import write_labeled

    write_labeled(data, docs)
    assert main(["evaluate", "--data", str(data), "--report", str(tmp_path / "r.html")]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"cleanlib: error: {MISSING_MATPLOTLIB}\n" and captured.out == ""
    assert not (tmp_path / "r.html").exists()
    assert main(["evaluate", "--data", str(data)]) == 0 and "word F1" in capsys.readouterr().out
