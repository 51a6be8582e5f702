"""Special-category and criminal-offence terms (GDPR Art. 9 and 10) with context rules.

The word lists and cue lists live in ``rules/special_categories.yaml`` with their sources; this
module only applies them. One Aho-Corasick automaton (pyahocorasick) finds every listed term in
one pass over the lower-cased text, however long the lists grow; each hit is then kept or
dropped by its strength (see the YAML's header):

- ``state``: kept, unless a mention cue ("kunde", "regnskapet for") stands just before it;
- ``affiliation``: kept only after an affiliation cue ("medlem av", "stemmer på") in its clause;
- ``trait``: kept only after a copula ("er", "is") or before a word of origin ("bakgrunn").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from .matches import Match

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "special_categories.yaml"
CONFIDENCE = {"state": 0.85, "affiliation": 0.9, "trait": 0.75}
_WORD = re.compile(r"[\w'\u2019-]+")
_CLAUSE_BREAK = re.compile(r"[.;:!?\n\r•|]")


@dataclass(frozen=True, slots=True)
class Term:
    kind: str
    strength: str  # state | affiliation | trait
    language: str
    prefix: bool  # "sykmeld*": any word that starts with it


@dataclass(frozen=True)
class Rules:
    automaton: Any
    affiliation_cues: tuple[tuple[str, ...], ...]
    affiliation_window: int
    mention_cues: tuple[tuple[str, ...], ...]
    mention_window: int
    trait_before: tuple[tuple[str, ...], ...]
    trait_after: frozenset[str]


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))


def _cues(section: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    cues = {_words(str(c)) for key, items in section.items() if key != "window" for c in items}
    return tuple(sorted(cues, key=len, reverse=True))


def load_rules(path: Path = RULES_FILE) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    automaton = ahocorasick.Automaton()
    for kind, spec in data["kinds"].items():
        for strength in ("state", "affiliation", "trait"):
            for language, terms in (spec.get(strength) or {}).items():
                for raw in terms:
                    term = str(raw).strip()
                    prefix = term.endswith("*")
                    key = term.rstrip("*").lower()
                    if key not in automaton:  # the first listing of a term decides its rule
                        automaton.add_word(key, (key, Term(kind, strength, language, prefix)))
    automaton.make_automaton()
    trait = data["trait_cues"]
    return Rules(
        automaton=automaton,
        affiliation_cues=_cues(data["affiliation_cues"]),
        affiliation_window=int(data["affiliation_cues"]["window"]),
        mention_cues=_cues(data["mention_cues"]),
        mention_window=int(data["mention_cues"]["window"]),
        trait_before=tuple(_words(str(c)) for c in trait["before"]),
        trait_after=frozenset(w for c in trait["after"] for w in _words(str(c))),
    )


@cache
def rules() -> Rules:
    return load_rules()


def _lower(text: str) -> str:
    """Lower case with every character at its own offset (a few characters lower to two)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _clause_before(text: str, start: int) -> tuple[str, ...]:
    begin = max(0, start - 160)
    window = text[begin:start]
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(window)]
    return _words(window[breaks[-1] :] if breaks else window)


def _cue_within(words: tuple[str, ...], cues: tuple[tuple[str, ...], ...], window: int) -> bool:
    """Whether a cue ends at most ``window`` words before the end of ``words``."""
    n = len(words)
    for cue in cues:
        size = len(cue)
        for end in range(n, max(size, n - window) - 1, -1):
            if words[end - size : end] == cue:
                return True
    return False


def _trait_said(words_before: tuple[str, ...], text: str, end: int, rules: Rules) -> bool:
    for cue in rules.trait_before:
        if words_before[-len(cue) :] == cue:
            return True
    after = _WORD.search(text, end, min(len(text), end + 40))
    return after is not None and after[0].lower() in rules.trait_after


def scan_terms(text: str) -> list[Match]:
    r = rules()
    lowered = _lower(text)
    candidates: list[tuple[int, int, Term]] = []
    for last, (key, term) in r.automaton.iter(lowered):
        start, end = last - len(key) + 1, last + 1
        if start > 0 and _is_word_char(lowered[start - 1]):
            continue
        if term.prefix:
            while end < len(lowered) and _is_word_char(lowered[end]):
                end += 1
        elif end < len(lowered) and _is_word_char(lowered[end]):
            continue
        candidates.append((start, end, term))
    # Longest first at each start; a hit inside a longer one is the longer one's.
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    found: list[Match] = []
    covered_to = -1
    for start, end, term in candidates:
        if start < covered_to:
            continue
        before = _clause_before(text, start)
        if term.strength == "affiliation":
            keep = _cue_within(before, r.affiliation_cues, r.affiliation_window)
        elif term.strength == "trait":
            keep = _trait_said(before, text, end, r)
        else:
            keep = not _cue_within(before, r.mention_cues, r.mention_window)
        if keep:
            covered_to = end
            rule = f"special_categories.yaml#{term.kind}.{term.strength}.{term.language}"
            found.append(Match(start, end, term.kind, CONFIDENCE[term.strength], rule))
    return found
