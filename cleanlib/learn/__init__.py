"""Training: the scikit-learn estimator and the labels aligned from a page's gold text."""
