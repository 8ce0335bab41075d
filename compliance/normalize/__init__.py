"""Normalization: a read document (`RawDocument`) → a line-traceable `Report`.

Paragraphs re-joined across soft wraps and page breaks (spans keep every character's input line
and column), page chrome dropped with its metadata kept, a section tree with roles, sentences,
metadata (title, issuer, divisions, type, period, date, number) and metrics.
"""

from compliance.normalize.core import normalize, snippet_report

__all__ = ["normalize", "snippet_report"]
