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
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from .matches import Match

RULES_FILE = Path(__file__).resolve().parent.parent / "rules" / "special_categories.yaml"
CONFIDENCE = {"state": 0.85, "affiliation": 0.9, "trait": 0.75}
SHORT = 3
_WORD = re.compile(r"[\w'\u2019-]+")
_BREAK_CHARS = ".;:!?\n\r•|"
_CLAUSE_BREAK = re.compile(f"[{re.escape(_BREAK_CHARS)}]")
CLAUSE_REACH = 120
# The word right after a term, when nothing but spaces stands between them.
_NEXT_WORD = re.compile(r"[ \t]+([\w'\u2019-]+)")
# Words that may follow a trait said of the person ("er muslim og …", "is Jewish and …").
_CONNECTIVES = frozenset((
    "og", "men", "som", "da", "så", "eller", "fordi", "selv", "også", "and", "but", "who",
    "so", "or", "because", "too", "also", "i", "in", "from", "fra", "med", "with",
))  # fmt: skip
# Findings of one kind this close in one clause are one statement ("diagnosed with depression").
MERGE_GAP = 24


@dataclass(frozen=True, slots=True)
class Term:
    kind: str
    strength: str  # state | affiliation | trait
    language: str
    prefix: bool  # "sykmeld*": any word that starts with it

    rule: str = ""  # what a finding names as its rule, written once when the rules load


# An affiliation cue's entry in the automaton: it marks where a short affiliation may follow.
CUE = Term(kind="", strength="cue", language="", prefix=False)
# How far after a cue a short affiliation is looked for (characters; the clause ends sooner).
CUE_REACH = 60


@dataclass(frozen=True, slots=True)
class Cues:
    """Cues by their length in words, for set look-ups; the set of their last words, which
    rules out most positions with one look-up; and how many words before a hit one may end."""

    by_size: tuple[tuple[int, frozenset[tuple[str, ...]]], ...]
    last_words: frozenset[str]
    window: int


@dataclass(frozen=True)
class Rules:
    automaton: Any
    # Affiliations of at most SHORT letters ("LO", "Sp", "FO") hide inside many words; as they
    # count only after a cue, they are looked for (as whole words) only after the cues the
    # automaton found, instead of hit by hit everywhere.
    short: re.Pattern[str] | None
    short_terms: dict[str, Term]
    affiliation_cues: Cues
    mention_cues: Cues
    trait_before: tuple[tuple[str, ...], ...]
    trait_after: frozenset[str]


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.lower() for w in _WORD.findall(text))


def _cues(section: dict[str, Any]) -> Cues:
    cues = {_words(str(c)) for key, items in section.items() if key != "window" for c in items}
    return Cues(
        by_size=tuple(
            (n, frozenset(c for c in cues if len(c) == n)) for n in sorted({len(c) for c in cues})
        ),
        last_words=frozenset(c[-1] for c in cues),
        window=int(section["window"]),
    )


def load_rules(path: Path = RULES_FILE) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    automaton = ahocorasick.Automaton()
    short_terms: dict[str, Term] = {}
    for kind, spec in data["kinds"].items():
        for strength in ("state", "affiliation", "trait"):
            for language, terms in (spec.get(strength) or {}).items():
                for raw in terms:
                    term = str(raw).strip()
                    prefix = term.endswith("*")
                    key = term.rstrip("*").lower()
                    entry = Term(
                        kind,
                        strength,
                        language,
                        prefix,
                        f"special_categories.yaml#{kind}.{strength}.{language}",
                    )
                    # The first listing of a term decides its rule.
                    if len(key) <= SHORT and strength == "affiliation":
                        short_terms.setdefault(key, entry)
                    elif key not in automaton:
                        automaton.add_word(key, (len(key), entry))
    for section in ("affiliation_cues",):
        for key, items in data[section].items():
            if key == "window":
                continue
            for cue in items:
                words = " ".join(_words(str(cue)))
                if words not in automaton:
                    automaton.add_word(words, (len(words), CUE))
    automaton.make_automaton()
    alternatives = "|".join(re.escape(k) for k in sorted(short_terms, key=len, reverse=True))
    short = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])") if short_terms else None
    trait = data["trait_cues"]
    return Rules(
        automaton=automaton,
        short=short,
        short_terms=short_terms,
        affiliation_cues=_cues(data["affiliation_cues"]),
        mention_cues=_cues(data["mention_cues"]),
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


# Everything up to the last clause break (greedy, then backtracking from the end: one pass in
# C instead of one ``rfind`` per break character).
_UP_TO_LAST_BREAK = re.compile(f"(?s:.*[{re.escape(_BREAK_CHARS)}])?")


def _clause_before(lowered: str, start: int) -> tuple[str, ...]:
    """The words of the clause before ``start`` (at most ``CLAUSE_REACH`` characters back),
    read from the lower-cased text."""
    cut = _UP_TO_LAST_BREAK.match(lowered, max(0, start - CLAUSE_REACH), start)
    return tuple(_WORD.findall(lowered, cut.end() if cut else start, start))


def _cue_within(words: tuple[str, ...], cues: Cues) -> bool:
    """Whether a cue ends at most ``cues.window`` words before the end of ``words``."""
    n = len(words)
    last_words = cues.last_words
    for end in range(n, max(0, n - cues.window - 1), -1):
        if words[end - 1] not in last_words:
            continue
        for size, of_size in cues.by_size:
            if size <= end and words[end - size : end] in of_size:
                return True
    return False


def _trait_said(words_before: tuple[str, ...], text: str, end: int, rules: Rules) -> bool:
    """Said of the person: "er muslim", "is Jewish and …" (a copula before it and no noun
    after it: "er en kristen friskole" is about a school), or "samisk bakgrunn"."""
    following = _NEXT_WORD.match(text, end)
    if following is not None and following[1].lower() in rules.trait_after:
        return True
    if following is not None and following[1].lower() not in _CONNECTIVES:
        return False
    return any(words_before[-len(cue) :] == cue for cue in rules.trait_before)


def scan_terms(text: str) -> list[Match]:
    r = rules()
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = _lower(text)
    candidates: list[tuple[int, int, Term]] = []
    cue_ends: list[int] = []
    n = len(lowered)
    # Each hit's tests are written out: the loop runs for every listed string in the text.
    for last, (length, term) in r.automaton.iter(lowered):
        start, end = last - length + 1, last + 1
        if start > 0:
            prev = lowered[start - 1]
            if prev.isalnum() or prev == "_":
                continue
            if prev == "-" and start > 1 and _is_word_char(lowered[start - 2]):
                continue  # glued by a hyphen to the word before it
        if term.prefix:
            while end < n and _is_word_char(lowered[end]):
                end += 1
        elif end < n:
            nxt = lowered[end]
            if nxt.isalnum() or nxt == "_":
                continue
        if (
            end + 1 < n
            and lowered[end] == "-"
            and _is_word_char(lowered[end + 1])
            and not _has_digit(lowered, start, end)
        ):
            # Part of a hyphenated compound ("fingerprint-innlogging" is a product's login);
            # a code keeps its meaning in one ("BRCA1-mutasjonen").
            continue
        if term is CUE:
            cue_ends.append(end)
        else:
            candidates.append((start, end, term))
    if r.short is not None:
        searched_to = 0
        for cue_end in cue_ends:
            begin = max(cue_end, searched_to)
            searched_to = min(len(lowered), cue_end + CUE_REACH)
            for m in r.short.finditer(lowered, begin, searched_to):
                candidates.append((m.start(), m.end(), r.short_terms[m[0]]))
    # Longest first at each start; a hit inside a longer one is the longer one's.
    if len(candidates) > 1:
        candidates.sort(key=_longest_first)
    found: list[Match] = []
    covered_to = -1
    for start, end, term in candidates:
        if start < covered_to:
            continue
        strength = term.strength
        if strength == "affiliation" and not _cue_ends_near(cue_ends, start):
            continue  # no cue the automaton found stands in reach before it
        before = _clause_before(lowered, start)
        if strength == "affiliation":
            keep = _cue_within(before, r.affiliation_cues)
        elif strength == "trait":
            keep = _trait_said(before, text, end, r) and not _cue_within(before, r.mention_cues)
        else:
            keep = not _cue_within(before, r.mention_cues)
        if keep:
            covered_to = end
            found.append(Match(start, end, term.kind, CONFIDENCE[strength], term.rule))
    return _merged(found, text) if len(found) > 1 else found


def _longest_first(candidate: tuple[int, int, Term]) -> tuple[int, int]:
    return candidate[0], candidate[0] - candidate[1]


def _cue_ends_near(cue_ends: list[int], start: int) -> bool:
    """Whether a cue found by the automaton ends in the ``CLAUSE_REACH`` characters before
    ``start``: a cheap test that spares the clause's words for most names of unions, parties
    and churches, which are mentions ("Høyre", "til høyre"). ``cue_ends`` is in text order."""
    i = bisect_right(cue_ends, start)
    return i > 0 and cue_ends[i - 1] >= start - CLAUSE_REACH


def _has_digit(lowered: str, start: int, end: int) -> bool:
    return any(c.isdigit() for c in lowered[start:end])


def _merged(found: list[Match], text: str) -> list[Match]:
    merged: list[Match] = []
    for match in found:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.kind == match.kind
            and match.start - last.end <= MERGE_GAP
            and not _CLAUSE_BREAK.search(text, last.end, match.start)
        ):
            confidence = max(last.confidence, match.confidence)
            merged[-1] = Match(last.start, match.end, last.kind, confidence, last.rule)
        else:
            merged.append(match)
    return merged
