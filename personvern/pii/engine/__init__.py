"""The scanner: identity numbers (``identity``) and special-category terms (``terms``) in any
text, and the text of uploaded documents (``documents``). Pure functions of the text, no
database: the register's services call :func:`scan` on every write, the command and the API on
what is stored or sent.

A :class:`Match` carries the span, never the value: callers that must show where a finding is
read the span from the record they hold."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from .identity import scan_identity_numbers
from .matches import Match
from .terms import scan_terms


def scan(text: str) -> list[Match]:
    """Every finding in ``text``, in order of position."""
    if not text:
        return []
    numbers, terms = scan_identity_numbers(text), scan_terms(text)
    # Each list is in order of position already: only both together need sorting.
    if not terms:
        return numbers
    if not numbers:
        return terms
    return sorted(numbers + terms, key=_position)


def _position(m: Match) -> tuple[int, int]:
    return m.start, m.end


# Between the texts of a batch: a line break ends every context the rules look at (an
# identity number's line, a term's clause), so no text's words reach into the next.
SEPARATOR = "\n"


def scan_many(texts: Sequence[str]) -> list[list[Match]]:
    """The findings of each text, found in one pass over the texts joined (the command's
    ``--jsonl``, the API's batches): the same as ``[scan(t) for t in texts]``, without the
    cost of a pass per text."""
    starts = []
    position = 0
    for text in texts:
        starts.append(position)
        position += len(text) + len(SEPARATOR)
    results: list[list[Match]] = [[] for _ in texts]
    for m in scan(SEPARATOR.join(texts)):
        index = bisect_right(starts, m.start) - 1
        offset = starts[index]
        results[index].append(Match(m.start - offset, m.end - offset, m.kind, m.confidence, m.rule))
    return results


__all__ = ["Match", "scan", "scan_many"]
