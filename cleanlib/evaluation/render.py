"""Evaluation results as text: ``format_summary`` and ``format_comparison`` for the terminal,
``format_markdown`` for the ``evaluation.md`` beside a model, ``to_json`` for the JSON files.
(The HTML report with plots is ``report.py``.)
"""
from __future__ import annotations

import json
from typing import Any

from ..data import LABELS
from .scores import HEADLINE

__all__ = ["format_summary", "format_comparison", "format_markdown", "to_json"]


def to_json(result: dict[str, Any]) -> str:
    """A report, comparison or summary as the JSON text cleanlib writes (one space indents, a final newline)."""
    return json.dumps(result, indent=1) + "\n"


def format_summary(report: dict[str, Any]) -> str:
    """A terminal summary a person can read."""
    p = report["paragraph"]
    lines = [f"{report['documents']} documents, {report['paragraphs']} paragraphs, threshold {report['threshold']:.2f}",
             "", f"{'label':<12}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for label, v in p["per_label"].items():
        lines.append(f"{label:<12}{v['precision']:>10.3f}{v['recall']:>10.3f}{v['f1']:>10.3f}{v['support']:>10}")
    lines += [f"{'macro':<12}{'':>20}{p['macro_f1']:>10.3f}", "",
              "confusion (rows: true, columns: predicted " + " / ".join(p["labels"]) + ")"]
    for label, row in zip(p["labels"], p["confusion"]):
        lines.append(f"  {label:<12}" + "".join(f"{c:>10}" for c in row))
    w, s = report["word"], report["shingle"]
    lines += ["", f"word F1 (per document, averaged)  {w['f1']:.4f}   P {w['precision']:.4f}  R {w['recall']:.4f}",
              f"shingle F1 (scrapinghub metric)   {s['f1']:.4f}   P {s['precision']:.4f}  R {s['recall']:.4f}"]
    b = report.get("bootstrap")
    if b and b.get("word_f1"):
        lines += [f"95% intervals over documents ({b['resamples']} bootstrap resamples, seed {b['seed']}): "
                  f"word F1 {b['word_f1'][0]:.4f}-{b['word_f1'][1]:.4f}, "
                  f"shingle F1 {b['shingle_f1'][0]:.4f}-{b['shingle_f1'][1]:.4f}"]
    dist = report.get("distribution")
    if dist and dist.get("word_f1_quantiles"):
        q = dist["word_f1_quantiles"]
        lines += ["word F1 over documents: " + "  ".join(f"p{k} {v:.3f}" for k, v in q.items())
                  + f"  min {dist['word_f1_min']:.3f}; {dist['documents_below_0.5']} below 0.5"]
    cal, pr = report.get("calibration"), report.get("pr_curve")
    if cal and pr and cal.get("brier") is not None:
        ap = pr.get("average_precision")
        lines += [f"content probability: expected calibration error {cal['expected_calibration_error']:.3f}, "
                  f"Brier {cal['brier']:.3f}" + (f"; average precision {ap:.3f}" if ap is not None else "")]
    sw = report.get("sweep")
    if sw:
        lines += ["", "threshold sweep (content kept at >= t, the threshold alone: no rescue)",
                  f"  {'t':<7}{'para P':>8}{'R':>7}{'F1':>7}{'word P':>10}{'R':>7}{'F1':>8}"]
        for r in sw["rows"]:
            t = r["threshold"]
            mark = "".join(m for m, best in (("*", sw["best_word_f1"]), ("+", sw["best_paragraph_f1"])) if t == best)
            if not mark and t != report["threshold"] and round(t * 20) % 2:
                continue  # every 0.1, the current and the best thresholds
            pa, wo = r["paragraph"], r["word"]
            lines.append(f"  {t:<4.2f}{mark:<3}{pa['precision']:>8.3f}{pa['recall']:>7.3f}{pa['f1']:>7.3f}"
                         f"{wo['precision']:>10.3f}{wo['recall']:>7.3f}{wo['f1']:>8.4f}")
        lines.append(f"  best: word F1 at {sw['best_word_f1']:.2f} (*), paragraph F1 at {sw['best_paragraph_f1']:.2f} (+)")
    worst = report.get("worst")
    if worst:
        lines += ["", f"worst {len(worst)} documents by word F1 (paragraphs: index, true>predicted, content score; "
                      "! = wrong label)"]
        for w in worst:
            pid, _, rend = w["id"].partition("/")
            name = (pid[:12] + "..." if len(pid) > 20 else pid) + ("/" + rend if rend else "")
            lines.append(f"  {name}  word F1 {w['word_f1']:.3f} (P {w['word_precision']:.3f} R {w['word_recall']:.3f})"
                         f", {w['wrong']} of {len(w['paragraphs'])} paragraphs wrong")
            shown = [p for p in w["paragraphs"] if p["wrong"]][:6]
            for p in shown:
                lines.append(f"    ! {p['index']:>4} {p['true'][:4]}>{p['pred'][:4]} {p['content']:.2f}  {p['text'][:60]!r}")
            if w["wrong"] > len(shown):
                lines.append(f"      ... {w['wrong'] - len(shown)} more wrong (all paragraphs in the JSON report)")
    return "\n".join(lines)


def format_comparison(result: dict[str, Any]) -> str:
    """The terminal table of a ``compare_docs`` result: each figure for A and B, B - A and its 95% interval."""
    c, a, b = result["comparison"], result["a"], result["b"]
    lines = [f"A: {a.get('model', 'A')} (threshold {a['threshold']:.2f})",
             f"B: {b.get('model', 'B')} (threshold {b['threshold']:.2f})",
             f"{c['documents']} documents; paired bootstrap over documents ({c['resamples']} resamples, seed {c['seed']})",
             "", f"{'figure':<22}{'A':>9}{'B':>9}{'B - A':>10}   95% interval of B - A"]
    marked = False
    for key, f in c["figures"].items():
        lo, hi = f["interval"] or (0.0, 0.0)
        sure = " *" if f["interval"] and (lo > 0 or hi < 0) else ""
        marked |= bool(sure)
        lines.append(f"{HEADLINE[key]:<22}{f['a']:>9.4f}{f['b']:>9.4f}{f['difference']:>+10.4f}   "
                     f"{lo:+.4f} .. {hi:+.4f}{sure}")
    lines.append("* the interval excludes 0" if marked else "no interval excludes 0")
    return "\n".join(lines)


def format_markdown(summary: dict[str, Any]) -> str:
    """``evaluation.md``: the summary as Markdown tables a person reads."""
    def share(c: dict[str, int]) -> str:
        n = max(1, sum(c.values()))
        return " | ".join(f"{c[l]:,} ({100 * c[l] / n:.1f}%)" for l in LABELS)

    lines = ["# Held-out evaluation of this model", ""]
    if summary.get("trained_on"):
        lines += [f"Trained on: {summary['trained_on']}", ""]
    sp = summary["split"]
    lines += ["Held-out split: " + ", ".join(f"{k} {v}" for k, v in sp.items()), "",
              "## Data", "", "| part | documents | paragraphs | " + " | ".join(LABELS) + " |",
              "|---|---|---|" + "---|" * len(LABELS)]
    t = summary["train"]
    lines.append(f"| training | {t['documents']:,} | {t['paragraphs']:,} | {share(t['labels'])} |")
    for name, r in summary["heldout"].items():
        sup = {l: v["support"] for l, v in r["paragraph"]["per_label"].items()}
        lines.append(f"| held out: {name} | {r['documents']:,} | {r['paragraphs']:,} | {share(sup)} |")
    lines += ["", f"Threshold: {summary['threshold']:.2f} (a paragraph is kept when its content probability reaches it)."]
    if not summary["heldout"]:
        lines += ["", "No held-out split (trained on all documents): no held-out figures."]
        return "\n".join(lines) + "\n"
    lines += ["", "## Held-out figures", "",
              "95% intervals: bootstrap over documents (1,000 resamples, seed 0). Word F1: lowercased `\\w+` tokens, "
              "F1 per document, averaged; shingle F1: the scrapinghub benchmark's metric.", "",
              "| held-out split | documents | word F1 | 95% interval | shingle F1 | 95% interval | macro paragraph F1 "
              "| best threshold (word F1) |", "|---|---|---|---|---|---|---|---|"]
    for name, r in summary["heldout"].items():
        b = r["bootstrap"]
        ci = lambda k: f"{b[k][0]:.4f}-{b[k][1]:.4f}" if b.get(k) else "-"  # noqa: E731
        lines.append(f"| {name} | {r['documents']:,} | {r['word']['f1']:.4f} | {ci('word_f1')} | {r['shingle']['f1']:.4f} "
                     f"| {ci('shingle_f1')} | {r['paragraph']['macro_f1']:.4f} | {r['sweep']['best_word_f1']:.2f} |")
    lines += ["", "Paragraph precision / recall / F1 per label:", "",
              "| held-out split | " + " | ".join(LABELS) + " |", "|---|" + "---|" * len(LABELS)]
    for name, r in summary["heldout"].items():
        pl = r["paragraph"]["per_label"]
        lines.append(f"| {name} | " + " | ".join(f"{pl[l]['precision']:.3f} / {pl[l]['recall']:.3f} / {pl[l]['f1']:.3f}"
                                                for l in LABELS) + " |")
    return "\n".join(lines) + "\n"
