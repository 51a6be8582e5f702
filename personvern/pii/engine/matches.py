from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Match:
    """One finding: ``text[start:end]`` is of ``kind`` (a ``choices.FindingKind`` value), found
    by ``rule`` with ``confidence`` (0-1). Never holds the matched text itself."""

    start: int
    end: int
    kind: str
    confidence: float
    rule: str
