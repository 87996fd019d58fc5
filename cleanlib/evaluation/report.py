"""Render an evaluation (a report or a comparison from :mod:`cleanlib.evaluation.evaluate`) as one HTML file.

The file is self-contained and reads offline: inline CSS, no scripts, plots embedded as base64 PNG
drawn with matplotlib's Agg canvas (the optional extra ``cleanlib-text[report]``; imported only here, only
when a report is rendered). Every piece of text from the data is HTML-escaped.
"""
from __future__ import annotations

import base64
import datetime as _dt
import html
import io
import os
from pathlib import Path
from typing import Any, Callable, Sequence

from .scores import HEADLINE

__all__ = ["MISSING_MATPLOTLIB", "require_matplotlib", "render_html", "write_report"]

MISSING_MATPLOTLIB = "the HTML report needs matplotlib: pip install 'cleanlib-text[report]'"
COLORS = ("#1f5fa8", "#d0542c")  # model A (or the only model), model B
Model = tuple[str, dict[str, Any]]  # (display name, report)


def require_matplotlib() -> Any:
    """Import matplotlib, or raise ImportError saying which extra to install."""
    try:
        import matplotlib
        from matplotlib.figure import Figure  # noqa: F401
    except ImportError as e:
        raise ImportError(MISSING_MATPLOTLIB) from e
    return matplotlib


def _esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _num(x: float | None, digits: int = 3) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _ci(v: Sequence[float] | None, digits: int = 3, signed: bool = False) -> str:
    if not v:
        return "-"
    f = f"{{:+.{digits}f}}" if signed else f"{{:.{digits}f}}"
    return f"{f.format(v[0])} to {f.format(v[1])}"


def _models(result: dict[str, Any]) -> list[Model]:
    if "comparison" in result:
        return [(f"A: {result['a'].get('model', 'A')}", result["a"]),
                (f"B: {result['b'].get('model', 'B')}", result["b"])]
    return [(str(result.get("model", "model")), result)]


# ---- plots --------------------------------------------------------------------------------------------------

def _png(draw: Callable[[Any], None], size: tuple[float, float], alt: str) -> str:
    """An <img> of a figure drawn by ``draw(fig)`` on matplotlib's Agg canvas, as a base64 data URI."""
    require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    draw(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{_esc(alt)}">'


def _style(ax: Any, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel, fontsize=9)
    ax.set_ylabel(ylabel, fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(alpha=0.3)


def _plot_distribution(models: list[Model]) -> str:
    def draw(fig: Any) -> None:
        axes = fig.subplots(1, 2, sharey=True)
        for ax, key, title in zip(axes, ("word_f1", "shingle_f1"), ("word F1", "shingle F1")):
            for (name, r), color in zip(models, COLORS):
                h = r["distribution"]["histogram"]
                ax.stairs(h[key], h["edges"], fill=len(models) == 1, alpha=0.8 if len(models) == 1 else 1,
                          color=color, linewidth=1.6, label=name)
            _style(ax, f"{title} per document", title, "documents" if key == "word_f1" else "")
            ax.set_xlim(0, 1)
        if len(models) > 1:
            axes[0].legend(fontsize=8, loc="upper left")
    return _png(draw, (11.0, 3.0), "histograms of word F1 and shingle F1 per document")


def _plot_threshold(models: list[Model]) -> str:
    def draw(fig: Any) -> None:
        pr_ax, f_ax = fig.subplots(1, 2)
        for (name, r), color in zip(models, COLORS):
            c = r["pr_curve"]
            ap = c.get("average_precision")
            pr_ax.plot(c["recall"], c["precision"], color=color, linewidth=1.6,
                       label=name + (f" (AP {ap:.3f})" if ap is not None else ""))
            t = r["threshold"]
            i = min(range(len(c["thresholds"])), key=lambda k: abs(c["thresholds"][k] - t))
            pr_ax.plot([c["recall"][i]], [c["precision"][i]], "o", color=color, markersize=6)
            rows = r["sweep"]["rows"]
            ts = [x["threshold"] for x in rows]
            f_ax.plot(ts, [x["paragraph"]["f1"] for x in rows], color=color, linewidth=1.6,
                      label=f"paragraph F1 ({name})" if len(models) > 1 else "paragraph F1 (content)")
            f_ax.plot(ts, [x["word"]["f1"] for x in rows], color=color, linewidth=1.6, linestyle="--",
                      label=f"word F1 ({name})" if len(models) > 1 else "word F1")
            f_ax.axvline(r["sweep"]["best_word_f1"], color=color, linestyle=":", linewidth=1)
        _style(pr_ax, "precision-recall curve (content paragraphs; dot: threshold used)", "recall", "precision")
        _style(f_ax, "F1 against the threshold (dotted: best word F1)", "threshold", "F1")
        pr_ax.legend(fontsize=8, loc="lower left")
        f_ax.legend(fontsize=8, loc="lower center")
        f_ax.set_xlim(0, 1)
    return _png(draw, (11.0, 3.5), "precision-recall curve of content paragraphs; F1 against the threshold")


def _plot_calibration(models: list[Model]) -> str:
    def draw(fig: Any) -> None:
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=(3, 1))
        top.plot([0, 1], [0, 1], color="#888", linewidth=1, linestyle="--", label="perfectly calibrated")
        width = 0.1 / len(models)
        for k, ((name, r), color) in enumerate(zip(models, COLORS)):
            bins = [b for b in r["calibration"]["bins"] if b["count"]]
            ece = r["calibration"]["expected_calibration_error"]
            top.plot([b["mean_probability"] for b in bins], [b["share_content"] for b in bins], "o-", color=color,
                     linewidth=1.6, markersize=4, label=(name + ", " if len(models) > 1 else "") + f"ECE {ece:.3f}")
            allb = r["calibration"]["bins"]
            bottom.bar([b["lo"] + width * (k + 0.5) for b in allb], [b["count"] for b in allb], width=width,
                       color=color, alpha=0.8)
        _style(top, "reliability of the content probability", "", "share truly content")
        top.set_xlim(0, 1)
        top.set_ylim(0, 1)
        top.legend(fontsize=8, loc="upper left")
        _style(bottom, "", "predicted content probability (bins of 0.1)", "paragraphs")
        bottom.set_yscale("log")
    return _png(draw, (4.8, 4.4), "reliability (calibration) plot of the content probability")


# ---- sections -----------------------------------------------------------------------------------------------

def _table(head: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "",
           row_classes: Sequence[str] | None = None) -> str:
    """An HTML table; ``head`` is escaped here, ``rows`` cells must already be HTML."""
    th = "".join(f"<th>{_esc(h)}</th>" for h in head)
    rc = row_classes or [""] * len(rows)
    body = "".join((f'<tr class="{c}">' if c else "<tr>") + "".join(f"<td>{x}</td>" for x in row) + "</tr>"
                   for row, c in zip(rows, rc))
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _cols(models: list[Model], body: Callable[[dict[str, Any]], str]) -> str:
    """One column per model (a heading each when there are two)."""
    if len(models) == 1:
        return body(models[0][1])
    return '<div class="cols">' + "".join(
        f'<div><h3 style="color:{c}">{_esc(n)}</h3>{body(r)}</div>' for (n, r), c in zip(models, COLORS)) + "</div>"


def _cards(models: list[Model]) -> str:
    def card(label: str, value: str, sub: str) -> str:
        return (f'<div class="card"><div class="k">{_esc(label)}</div><div class="v">{value}</div>'
                f'<div class="s">{sub}</div></div>')

    def body(r: dict[str, Any]) -> str:
        b, pl = r["bootstrap"], r["paragraph"]["per_label"]["content"]
        return '<div class="cards">' + "".join([
            card("word F1", _num(r["word"]["f1"], 4), "95%: " + _ci(b.get("word_f1"))),
            card("shingle F1", _num(r["shingle"]["f1"], 4), "95%: " + _ci(b.get("shingle_f1"))),
            card("macro paragraph F1", _num(r["paragraph"]["macro_f1"], 4), "95%: " + _ci(b.get("macro_f1"))
                 + "".join(f"<br>no true {_esc(l)} paragraphs" for l, v in r["paragraph"]["per_label"].items()
                           if not v["support"])),
            card("content P / R", f"{pl['precision']:.3f} / {pl['recall']:.3f}", "content F1 " + _num(pl["f1"])),
            card("best threshold", f"{r['sweep']['best_word_f1']:.2f}", f"for word F1; used {r['threshold']:.2f}"),
        ]) + "</div>"
    return _cols(models, body)


def _comparison(result: dict[str, Any]) -> str:
    c = result["comparison"]
    rows = []
    for key, f in c["figures"].items():
        iv = f["interval"]
        sure = bool(iv) and (iv[0] > 0 or iv[1] < 0)
        cls = "up" if sure and f["difference"] > 0 else "down" if sure else ""
        rows.append([_esc(HEADLINE[key]), _num(f["a"], 4), _num(f["b"], 4),
                     f'<span class="{cls}">{f["difference"]:+.4f}</span>', _ci(iv, 4, signed=True),
                     "yes" if sure else "no"])
    return (f'<section id="comparison"><h2>A against B</h2><p>The same {c["documents"]:,} documents for both models. '
            f"Difference B &minus; A; its 95% interval from a paired bootstrap over documents ({c['resamples']:,} "
            f"resamples, seed {c['seed']}, the same resampled documents for both models).</p>"
            + _table(["figure", "A", "B", "B − A", "95% interval of B − A", "interval excludes 0"], rows, "num")
            + "</section>")


def _paragraph(models: list[Model]) -> str:
    def body(r: dict[str, Any]) -> str:
        p = r["paragraph"]
        pred = p.get("predicted") or {l: sum(row[i] for row in p["confusion"]) for i, l in enumerate(p["labels"])}
        rows = [[_esc(l), _num(v["precision"]), _num(v["recall"]), _num(v["f1"]), f"{v['support']:,}",
                 f"{pred[l]:,}"] for l, v in p["per_label"].items()]
        rows.append(["<b>macro</b>", "", "", f"<b>{p['macro_f1']:.3f}</b>", f"{r['paragraphs']:,}",
                     f"accuracy {p['accuracy']:.3f}"])
        per_label = _table(["label", "precision", "recall", "F1", "true count", "predicted count"], rows, "num")
        cm_rows = []
        for l, row in zip(p["labels"], p["confusion"]):
            n = max(1, sum(row))
            cells = [f'<span class="cm" style="background:rgba(31,95,168,{0.08 + 0.7 * c / n:.2f})">{c:,}</span>'
                     for c in row]
            cm_rows.append([f"<b>{_esc(l)}</b>"] + cells)
        cm = _table(["true \\ predicted", *p["labels"]], cm_rows, "num confusion")
        absent = [l for l, v in p["per_label"].items() if not v["support"]]
        note = (f"<p class='note'>No paragraph of these data is labeled {_esc(' or '.join(absent))}: its F1 is 0 "
                "and pulls the macro F1 down.</p>" if absent else "")
        return (f'<div class="row"><div>{per_label}{note}</div><div>{cm}<p class="note">Confusion matrix (rows: true '
                "label; shading: share of the row)</p></div></div>")
    return ('<section id="paragraph"><h2>Paragraph level</h2><p>Each paragraph\'s most probable label against '
            "its true label.</p>" + _cols(models, body) + "</section>")


def _documents(models: list[Model]) -> str:
    def body(r: dict[str, Any]) -> str:
        b, d = r["bootstrap"], r["distribution"]
        rows = [[name, _num(r[k]["f1"], 4), _num(r[k]["precision"], 4), _num(r[k]["recall"], 4), _ci(b.get(f"{k}_f1"), 4)]
                for k, name in (("word", "word F1"), ("shingle", "shingle F1"))]
        q = d.get("word_f1_quantiles") or {}
        spread = ", ".join(f"p{k} {v:.3f}" for k, v in q.items())
        return (_table(["figure", "F1", "precision", "recall", "95% interval"], rows, "num")
                + f"<p class='note'>Word F1 over documents: {_esc(spread)}; min {_num(d.get('word_f1_min'))}; "
                f"{d.get('documents_below_0.5', 0):,} of {r['documents']:,} documents below 0.5.</p>")
    r0 = models[0][1]
    return ('<section id="documents"><h2>Document level</h2><p>The kept text of each document (content probability '
            f"&ge; threshold) against its reference text. Word F1: lowercased <code>\\w+</code> tokens, F1 per document, "
            "averaged. Shingle F1: the scrapinghub benchmark's metric (4-token shingles, precision and recall averaged "
            f"over documents, F1 of the two). 95% intervals: bootstrap over documents ({r0['bootstrap']['resamples']:,} "
            f"resamples, seed {r0['bootstrap']['seed']}).</p>" + _cols(models, body)
            + f'<div class="plot">{_plot_distribution(models)}</div></section>')


def _threshold(models: list[Model]) -> str:
    def body(r: dict[str, Any]) -> str:
        sw = r["sweep"]
        rows = []
        for x in sw["rows"]:
            t = x["threshold"]
            marks = [m for m, on in (("best word F1", t == sw["best_word_f1"]),
                                     ("best paragraph F1", t == sw["best_paragraph_f1"]),
                                     ("used", abs(t - r["threshold"]) < 1e-9)) if on]
            cls = ' class="hl"' if marks else ""
            rows.append([f"<span{cls}>{t:.2f}</span>", _num(x["paragraph"]["precision"]), _num(x["paragraph"]["recall"]),
                         _num(x["paragraph"]["f1"]), _num(x["word"]["precision"]), _num(x["word"]["recall"]),
                         _num(x["word"]["f1"], 4), _esc(", ".join(marks))])
        return (f"<p><b>Best threshold: {sw['best_word_f1']:.2f}</b> for word F1, {sw['best_paragraph_f1']:.2f} for "
                f"paragraph F1 (used: {r['threshold']:.2f}).</p>"
                + _table(["t", "para P", "para R", "para F1", "word P", "word R", "word F1", ""], rows, "num small"))
    calibration = (f'<div class="plot">{_plot_calibration(models)}<p class="note">Reliability (calibration) plot. '
                   "Points on the diagonal: a paragraph given probability p is content a share p of the time. "
                   "ECE: the bins' mean gap, weighted by paragraphs.</p></div>")
    return ('<section id="threshold"><h2>Threshold</h2><p>Content against the rest: a paragraph is kept when its '
            "content probability reaches the threshold. Paragraph figures count paragraphs; word figures are "
            "averaged over documents.</p>"
            f'<div class="plot">{_plot_threshold(models)}</div>'
            + (f'<div class="cols"><div>{body(models[0][1])}</div>{calibration}</div>' if len(models) == 1
               else _cols(models, body) + f'<div class="cols">{calibration}</div>') + "</section>")


def _worst(models: list[Model]) -> str:
    def body(r: dict[str, Any]) -> str:
        worst = r.get("worst") or []
        if not worst:
            return "<p class='note'>Not included in this report (<code>--worst 0</code>).</p>"
        out = []
        for w in worst:
            rows = []
            for p in w["paragraphs"]:
                text = _esc(p["text"]) + ("&hellip;" if p.get("chars", 0) > len(p["text"]) else "")
                verdict = (f"<b>{_esc(p['true'])} &rarr; {_esc(p['pred'])}</b> ({p.get('score', p['content']):.2f})"
                           if p["wrong"] else _esc(p["pred"]))
                rows.append([str(p["index"]), verdict, f"{p['content']:.2f}", "kept" if p["kept"] else "",
                             f'<span class="t">{text}</span>'])
            table = _table(["#", "label (wrong: true → predicted, score)", "content p", "", "paragraph"], rows,
                           "worst", ["wrong" if p["wrong"] else "" for p in w["paragraphs"]])
            out.append(f"<h4>{_esc(w['id'])}: word F1 {w['word_f1']:.3f} (P {w['word_precision']:.3f}, "
                       f"R {w['word_recall']:.3f}); {w['wrong']} of {len(w['paragraphs'])} paragraphs wrong</h4>{table}")
        return "".join(out)
    return ('<section id="worst"><h2>Worst documents</h2><p>The documents with the lowest word F1, every paragraph '
            "listed; wrong labels are marked in red with the true and predicted label and the predicted label's "
            "probability.</p>" + _cols(models, body) + "</section>")


CSS = """
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;color:#1d2330;margin:0;background:#f4f5f7}
main{max-width:1140px;margin:0 auto;padding:18px 24px 40px;background:#fff}
h1{font-size:22px;margin:4px 0}h2{font-size:17px;margin:26px 0 6px;border-bottom:2px solid #e2e5ea;padding-bottom:3px}
h3{font-size:14px;margin:8px 0 4px}h4{font-size:13px;margin:16px 0 4px;word-break:break-all}
p{margin:6px 0}.note{color:#555;font-size:12.5px}code{background:#f0f1f3;padding:0 3px;border-radius:3px}
.meta{color:#444;font-size:13px}nav a{margin-right:12px;color:#1f5fa8;text-decoration:none;font-size:13px}
.cards{display:flex;gap:10px;flex-wrap:wrap;margin:10px 0}
.card{border:1px solid #dde1e7;border-radius:6px;padding:8px 12px;min-width:150px;background:#fafbfc}
.card .k{font-size:12px;color:#555}.card .v{font-size:22px;font-weight:600}.card .s{font-size:11.5px;color:#666}
.row{display:flex;gap:28px;flex-wrap:wrap;align-items:flex-start}
.cols{display:flex;gap:22px;flex-wrap:wrap;align-items:flex-start}.cols>div{flex:1 1 420px;min-width:0}
table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{padding:3px 9px;border-bottom:1px solid #e6e8ec;text-align:left}
th{background:#f0f2f5;font-weight:600;white-space:nowrap}table.num td{font-variant-numeric:tabular-nums}
table.small{font-size:12px}table.small td{padding:1px 8px;white-space:nowrap}.hl{font-weight:700;color:#1f5fa8}
.confusion td{text-align:right}.cm{display:inline-block;min-width:56px;padding:2px 6px;border-radius:3px}
.plot img{max-width:100%;height:auto}.up{color:#17803d;font-weight:600}.down{color:#b42318;font-weight:600}
table.worst{width:100%;font-size:12px}table.worst td{vertical-align:top}table.worst .t{white-space:pre-wrap;word-break:break-word}
tr.wrong td{background:#fdecea}tr.wrong b{color:#b42318}
"""


def render_html(result: dict[str, Any], title: str = "cleanlib evaluation") -> str:
    """The whole report as one HTML string, for a report or a comparison from :mod:`cleanlib.evaluation.evaluate`."""
    require_matplotlib()
    from .. import __version__

    models = _models(result)
    r0 = models[0][1]
    src = result.get("source") or r0.get("source") or {}
    if "corpus" in src:
        data = (f"corpus {src['corpus']} at {src['dir']}, {src['renderer']} rendering"
                + (f", {src['split']} split" if src["corpus"] == "wcxb" else "")
                + (", every page type" if src.get("all_types") else "")
                + (f", first {src['limit']} pages" if src.get("limit") else ""))
    else:
        data = f"labeled data {src['data']}" if "data" in src else "labeled documents"
    names = "; ".join(f"{n} (threshold {r['threshold']:.2f})" for n, r in models)
    when = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = [_cards(models)]
    if "comparison" in result:
        sections.append(_comparison(result))
    sections += [_paragraph(models), _documents(models), _threshold(models), _worst(models)]
    nav = "".join(f'<a href="#{a}">{t}</a>' for a, t in (
        *((("comparison", "A against B"),) if "comparison" in result else ()), ("paragraph", "Paragraph level"),
        ("documents", "Document level"), ("threshold", "Threshold"), ("worst", "Worst documents")))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{_esc(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{CSS}</style></head>'
            f'<body><main><h1>{_esc(title)}</h1>'
            f'<p class="meta">{_esc(data)}: {r0["documents"]:,} documents, {r0["paragraphs"]:,} paragraphs. '
            f"Model{'s' if len(models) > 1 else ''}: {_esc(names)}. cleanlib {_esc(__version__)}, {when}.</p>"
            f"<nav>{nav}</nav>" + "".join(sections) + "</main></body></html>\n")


def write_report(path: str | os.PathLike[str], result: dict[str, Any], title: str = "cleanlib evaluation") -> Path:
    """Render ``result`` and write it to ``path`` (UTF-8); returns the path."""
    out = Path(path)
    out.write_text(render_html(result, title), encoding="utf-8")
    return out
