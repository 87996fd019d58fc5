"""Figures for a model: metrics, evaluation of labeled documents, and the HTML report."""
