"""How a paragraph is scored: splitting, features, the two-pass scorer and its trees (numpy only)."""
