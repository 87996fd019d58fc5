"""Cleaning at scale: JSONL batch jobs, Dask bags and DataFrames, Hugging Face datasets."""
