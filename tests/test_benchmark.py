"""training/benchmark.py: scoring, failures and the table, on two made-up pages (fast)."""
import gzip
import json

import pytest

from conftest import SHARED, training_script

BENCH_MODULES = ("trafilatura", "readability", "justext", "boilerpy3", "resiliparse", "html_text")
BODY = ("The river city council said on Monday that new plans for the bridge would be shown to residents "
        "after months of debate about costs and the schedule of works.")
PAGES = {
    "page-a": ("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Bridge plans</h1>"
               f"<p>{BODY}</p><p>{BODY} Work starts in spring.</p></article>"
               "<footer>Share this article. (c) 2024 Example News</footer></body></html>",
               f"{BODY}\n\n{BODY} Work starts in spring."),
    "page-b": (f"<html><body><div><p>{BODY} A second report followed.</p></div>"
               "<ul><li>Related: a chef opens a restaurant</li></ul></body></html>",
               f"{BODY} A second report followed."),
}


def _bench():
    """training/benchmark.py as a module."""
    return training_script("benchmark")


def _need_bench_extra():
    """Skip unless every tool of the bench extra imports."""
    for m in BENCH_MODULES:
        pytest.importorskip(m, reason=f"{m} not installed: the 'bench' extra is missing "
                                      "(pip install -e '.[html,bench]')")


def test_a_batch_tool_is_timed_by_batch_and_a_failing_batch_is_run_a_page_at_a_time():
    b = _bench()
    calls = []

    def many(htmls):
        calls.append(len(htmls))
        if any("bad" in h for h in htmls):
            if len(htmls) > 1:
                raise RuntimeError("the batch failed")
            raise ValueError("bad page")
        return [h.upper() for h in htmls]

    htmls = [f"page {i}" for i in range(5)] + ["bad page"] + [f"page {i}" for i in range(6, 9)]
    run = b.run_tool(b.Batched(many, size=4), htmls, warmup=False)
    assert calls == [4, 4, 1, 1, 1, 1, 1]  # the second batch failed, then its four pages one by one
    assert run.outputs == [h.upper() if "bad" not in h else "" for h in htmls]
    assert run.failures == 1 and run.first_error == "ValueError: bad page"
    assert len(run.seconds) == len(htmls) and run.pages_per_s > 0 and run.cpu_seconds > 0


def test_scoring_failures_and_table_with_stand_in_tools():
    b = _bench()
    pages = [b.Page(pid, html, gold) for pid, (html, gold) in PAGES.items()]
    gold = {p.html: p.gold for p in pages}

    def flaky(html: str) -> str:
        if "second report" in html:
            raise RuntimeError("boom")
        return gold[html]

    perfect, broken = b.run_tool(gold.__getitem__, [p.html for p in pages]), b.run_tool(flaky, [p.html for p in pages])
    assert perfect.failures == 0 and broken.failures == 1 and broken.outputs[1] == ""
    assert broken.first_error == "RuntimeError: boom" and len(broken.seconds) == 2 and broken.pages_per_s > 0

    def empty_message(html: str) -> str:
        try:
            [].pop()
        except IndexError as e:
            raise ValueError() from e  # as boilerpy3's HTMLExtractionError does

    assert b.run_tool(empty_message, ["x"]).first_error == "ValueError: (from IndexError: pop from empty list)"
    results = {"trafilatura": {c: b.score(c, perfect, pages) for c in b.CORPORA},
               "boilerpy3": {c: b.score(c, broken, pages) for c in b.CORPORA}}
    assert results["trafilatura"]["scrapinghub"]["f1"] == 1.0 and results["trafilatura"]["wcxb"]["f1"] == 1.0
    # one page right, one empty: precision averages only where defined (shingle), word F1 averages 1 and 0
    assert results["boilerpy3"]["scrapinghub"]["precision"] == 1.0
    assert results["boilerpy3"]["scrapinghub"]["recall"] == 0.5 and results["boilerpy3"]["wcxb"]["f1"] == 0.5
    table = b.format_table(results, b.CORPORA)
    lines = table.splitlines()
    assert lines[0] == "scrapinghub: 2 pages, shingle F1; WCXB: 2 WCXB-dev held-out article pages, word F1."
    assert lines[2] == ("| tool | version | scrapinghub F1 | P | R | pages/s | CPU pages/s | WCXB F1 | P | R | "
                        "pages/s | CPU pages/s | failures (scrapinghub / WCXB) |")
    row = [c.strip() for c in lines[5].strip("|").split("|")]
    assert row[0] == "boilerpy3 ArticleExtractor" and row[2:5] == ["0.667", "1.000", "0.500"] and row[-1] == "1 / 1"
    assert "**1.000**" in lines[4] and "**" not in lines[5]


def test_all_tools_run_on_two_made_up_pages(tmp_path, capsys):
    _need_bench_extra()
    b = _bench()
    (tmp_path / "html").mkdir()
    for pid, (html, _) in PAGES.items():
        with gzip.open(tmp_path / "html" / f"{pid}.html.gz", "wt", encoding="utf-8") as f:
            f.write(html)
    (tmp_path / "ground-truth.json").write_text(json.dumps({pid: {"articleBody": g} for pid, (_, g) in PAGES.items()}))
    out = tmp_path / "bench.md"
    assert b.main(["--corpus", "scrapinghub", "--scrapinghub", str(tmp_path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    rows = [line for line in printed.splitlines() if line.startswith("| ") and not line.startswith("| tool")]
    assert [r.split(" | ")[0][2:] for r in rows] == [b.TOOLS[n][0] for n in b.DEFAULT_TOOLS]
    assert all(r.endswith("| 0 |") for r in rows)  # no tool failed on these pages
    doc = out.read_text()
    assert doc.startswith("# Benchmark against other tools") and printed.strip() in doc and "Command: `" in doc


@pytest.mark.skipif(not (SHARED / "scrapinghub" / "ground-truth.json").exists()
                    or not (SHARED / "wcxb-dev" / "metadata.json").exists(),
                    reason="the corpora are not at ../shared/data (scrapinghub, wcxb-dev)")
def test_first_real_pages_of_both_corpora(capsys):
    _need_bench_extra()
    b = _bench()
    assert b.main(["--limit", "2", "--tools", "cleanlib-html_text,resiliparse"]) == 0  # --limit: no file written
    printed = capsys.readouterr().out
    assert "scrapinghub: 2 pages" in printed and "WCXB: 2 WCXB-dev" in printed
    assert printed.count("| cleanlib: html-text, then clean() |") == 1


def test_readme_table_is_replaced_in_its_section_only(tmp_path):
    b = _bench()
    readme = tmp_path / "README.md"
    head = "# x\n\n## Figures\n\n| a |\n|---|\n| 1 |\n\n## Benchmark against other tools\n\ntext\n\n"
    tail = "\n\n- notes\n\n## Data credits\n\n| keep |\n"
    readme.write_text(head + "| old |\n|---|\n| 0.5 |\n| 0.6 |" + tail)
    assert b.update_readme(readme, "caption.\n\n| new |\n|---|\n| 0.9 |")
    assert readme.read_text() == head + "| new |\n|---|\n| 0.9 |" + tail
    readme.write_text("# x\n\n## Figures\n\n| a |\n")
    assert not b.update_readme(readme, "| new |")
