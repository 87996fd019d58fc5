"""HTML in: rendering a page to plain text."""
