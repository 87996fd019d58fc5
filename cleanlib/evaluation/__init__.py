"""Figures for a model on labeled documents, and their text and HTML renderings.

Where the parts are:

- ``metrics``: text-level figures (word and shingle F1, paragraph precision and recall);
- ``scores``: one model's scores on documents, computed once, and the headline figures;
- ``bootstrap``: resampling the documents for 95% intervals (paired when two models are compared);
- ``figures``: the report dict of one model (sweep, PR curve, calibration, worst documents);
- ``evaluate``: ``evaluate_docs`` / ``compare_docs`` and their path-taking forms ``evaluate_model`` /
  ``compare_models``;
- ``heldout``: the held-out split and the ``evaluation.json`` / ``evaluation.md`` saved beside a model;
- ``render``: terminal, Markdown and JSON text; ``report``: the HTML report (the ``report`` extra).
"""
from .evaluate import compare_docs, compare_models, evaluate_docs, evaluate_model, model_name
from .heldout import evaluation_summary, holdout_split, write_evaluation
from .render import format_comparison, format_markdown, format_summary, to_json
from .scores import HEADLINE, THRESHOLDS

__all__ = ["evaluate_docs", "compare_docs", "evaluate_model", "compare_models", "model_name", "holdout_split",
           "evaluation_summary", "write_evaluation", "format_summary", "format_comparison", "format_markdown",
           "to_json", "HEADLINE", "THRESHOLDS"]
