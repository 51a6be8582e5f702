"""National identity numbers of Norway, Sweden, Denmark and Finland, validated by python-stdnum.

A candidate is a run of digits of the right shape, written together or with one space or
hyphen after the date part, that is not part of a longer number. It is reported only when
stdnum accepts it (check digits and birth date) and no word before it on the same line says it
is something else of the same shape: an account (kontonummer has the same 11 digits and the
same second check digit as a fødselsnummer), an invoice, an order, a phone number.

A Danish or Swedish number written as 10 bare digits is reported only with a word naming it
(``personnummer``, ``CPR``) before it: ten digits with a valid date are too common otherwise.
"""

from __future__ import annotations

import re

from stdnum.dk import cpr
from stdnum.exceptions import ValidationError
from stdnum.fi import hetu
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

from .matches import Match

# Digits not glued to a longer number, a word, a "+" (phone) or a decimal point.
_BEFORE = r"(?<![\w+.,/])"
_AFTER = r"(?![\w/]|[.,\-]\d)"
NO_PATTERN = re.compile(_BEFORE + r"(\d{6})[ \-]?(\d{5})" + _AFTER)
SE_LONG_PATTERN = re.compile(_BEFORE + r"((?:19|20)\d{6})[\-+ ]?(\d{4})" + _AFTER)
SHORT_PATTERN = re.compile(_BEFORE + r"(\d{6})([\-+ ]?)(\d{4})" + _AFTER)
FI_PATTERN = re.compile(_BEFORE + r"(\d{6})([\-+A-FU-Ya-fu-y])(\d{3}[0-9A-Ya-y])" + _AFTER)

# How far back (characters, same line) a word can name what a number is.
CONTEXT_CHARS = 40
IDENTITY_WORDS = re.compile(
    r"f[øo]dselsn(?:ummer|r)|f\.\s?nr|\bfnr\b|personn(?:ummer|r)|person-?nr|d-?nummer|h-?nummer"
    r"|\bcpr\b|cpr-?n|\bhetu\b|henkilötunnus|personal identity|national id|identity number"
    r"|social security|\bssn\b|\bpnr\b|født|fødd|\bborn\b",
    re.IGNORECASE,
)
# A number after one of these on its line is that thing, not an identity number.
DECOY_WORDS = re.compile(
    r"konto|account|\biban\b|\bbban\b|faktura|invoice|\bordre|\border\b|ordrenr|\bkid\b"
    r"|\bref\b|referanse|reference|tlf|telefon|mobil|phone|\bmob\b|org\.?\s?nr|orgnr"
    r"|organisasjonsn|saksn|sak\s?nr|kundenr|customer no|kundenummer|lisens|serienr|serial"
    r"|sporingsnummer|tracking|avtalenr|polise",
    re.IGNORECASE,
)


def _context(text: str, start: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    return text[max(line_start, start - CONTEXT_CHARS) : start]


def _judge(text: str, start: int) -> float | None:
    """The confidence for a valid number at ``start``, or None when its line says it is
    something else. A word naming it an identity number closer than any decoy word wins."""
    context = _context(text, start)
    decoy = max((m.end() for m in DECOY_WORDS.finditer(context)), default=-1)
    named = max((m.end() for m in IDENTITY_WORDS.finditer(context)), default=-1)
    if decoy > named:
        return None
    return 0.99 if named >= 0 else 0.9


def _valid(module: object, number: str) -> bool:
    try:
        module.validate(number)  # type: ignore[attr-defined]
    except (ValidationError, ValueError):
        return False
    return True


def _norwegian_kind(digits: str) -> str:
    if int(digits[0]) >= 4:
        return "no_dnr"
    if int(digits[2]) >= 4:
        return "no_hnr"
    return "no_fnr"


def _dk_checksum(digits: str) -> bool:
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    return sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11 == 0


def scan_identity_numbers(text: str) -> list[Match]:
    if not any(c.isdigit() for c in text):
        return []
    found: list[Match] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, kind: str, confidence: float, rule: str) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(Match(start, end, kind, confidence, rule))

    for m in NO_PATTERN.finditer(text):
        digits = m[1] + m[2]
        if _valid(fodselsnummer, digits) and (conf := _judge(text, m.start())) is not None:
            add(m.start(), m.end(), _norwegian_kind(digits), conf, "stdnum:no.fodselsnummer")
    for m in SE_LONG_PATTERN.finditer(text):
        number = f"{m[1]}-{m[2]}"
        if _valid(personnummer, number) and (conf := _judge(text, m.start())) is not None:
            add(m.start(), m.end(), "se_personnummer", conf, "stdnum:se.personnummer")
    for m in FI_PATTERN.finditer(text):
        if _valid(hetu, m[0].upper()) and (conf := _judge(text, m.start())) is not None:
            add(m.start(), m.end(), "fi_hetu", conf, "stdnum:fi.hetu")
    for m in SHORT_PATTERN.finditer(text):
        conf = _judge(text, m.start())
        if conf is None:
            continue
        separator = m[2] if m[2] in "-+" else ""
        if not separator and conf < 0.99:
            continue  # ten digits without a hyphen only where a word names them
        said = _context(text, m.start()).lower()
        digits = m[1] + m[3]
        danish_word = "cpr" in said or "dansk" in said or "danish" in said
        swedish = _valid(personnummer, f"{m[1]}{separator or '-'}{m[3]}")
        danish = _valid(cpr, digits) and (_dk_checksum(digits) or danish_word)
        if danish and (danish_word or not swedish):
            add(m.start(), m.end(), "dk_cpr", conf, "stdnum:dk.cpr")
        elif swedish:
            add(m.start(), m.end(), "se_personnummer", conf, "stdnum:se.personnummer")
    return found
