"""The scanner: identity numbers (``identity``) and special-category terms (``terms``) in any
text, and the text of uploaded documents (``documents``). Pure functions of the text, no
database: the register's services call :func:`scan` on every write, the command and the API on
what is stored or sent.

A :class:`Match` carries the span, never the value: callers that must show where a finding is
read the span from the record they hold."""

from __future__ import annotations

from .identity import scan_identity_numbers
from .matches import Match
from .terms import scan_terms


def scan(text: str) -> list[Match]:
    """Every finding in ``text``, in order of position."""
    if not text:
        return []
    found = scan_identity_numbers(text) + scan_terms(text)
    return sorted(found, key=lambda m: (m.start, m.end))


__all__ = ["Match", "scan"]
