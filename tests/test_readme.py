"""The README's Python examples run as written, except blocks marked as needing a cluster, the network or the
user's own data (an HTML comment "<!-- not run by the tests: ... -->" just above the block). They run in a
temporary folder that holds the repository's seeds/, so that what they write goes there."""
import re

import pytest

from conftest import ROOT

_BLOCK = re.compile(r"(<!--[^\n]*-->\n)?```python\n(.*?)```", re.S)


def _blocks() -> list[tuple[int, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [(text[:m.start()].count("\n") + 1, m.group(2)) for m in _BLOCK.finditer(text)
            if not (m.group(1) or "").startswith("<!-- not run by the tests")]


def test_the_readme_has_python_examples():
    assert len(_blocks()) >= 2


@pytest.mark.parametrize("line, code", _blocks(), ids=lambda v: f"line {v}" if isinstance(v, int) else "")
def test_readme_python_block_runs(line, code, tmp_path, monkeypatch):
    pytest.importorskip("selectolax", reason="the README's HTML examples need the html extra")
    (tmp_path / "seeds").symlink_to(ROOT / "seeds")
    monkeypatch.chdir(tmp_path)
    names: dict = {"__name__": "__readme__"}
    exec(compile(code, f"README.md, line {line}", "exec"), names)  # the blocks' own asserts run here too
    # what the examples promise: the article's text, and one cleaned text an input
    assert isinstance(names.get("article"), str) and names["article"]
    if "cleaned" in names:
        assert len(names["cleaned"]) == 2 and all(isinstance(c, str) for c in names["cleaned"])
        assert names["cleaned"][0]
