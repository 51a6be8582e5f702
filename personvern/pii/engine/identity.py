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
from collections.abc import Iterator

from stdnum.dk import cpr
from stdnum.exceptions import ValidationError
from stdnum.fi import hetu
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

from .matches import Match

# Digits not glued to a longer number, a word, a "+" (phone) or a decimal point.
_BEFORE = r"(?<![\w+.,/])"
_AFTER = r"(?![\w/]|[.,\-]\d)"
# Every shape in one pass (the first alternative that matches whole wins at a position):
# Swedish with the century, Norwegian, Finnish, then ten digits (Danish or Swedish).
CANDIDATES = re.compile(
    _BEFORE
    + r"(?:(?P<se>(?:19|20)\d{6})[\-+ ]?(?P<se4>\d{4})"
    + _AFTER
    + r"|(?P<no>\d{6})[ \-]?(?P<no5>\d{5})"
    + _AFTER
    + r"|(?P<fi>\d{6})(?P<fisep>[\-+A-FU-Ya-fu-y])(?P<fi4>\d{3}[0-9A-Ya-y])"
    + _AFTER
    + r"|(?P<s6>\d{6})(?P<ssep>[\-+ ]?)(?P<s4>\d{4})"
    + _AFTER
    + ")"
)
RULES = {
    "no_fnr": "stdnum:no.fodselsnummer",
    "no_dnr": "stdnum:no.fodselsnummer",
    "no_hnr": "stdnum:no.fodselsnummer",
    "se_personnummer": "stdnum:se.personnummer",
    "dk_cpr": "stdnum:dk.cpr",
    "fi_hetu": "stdnum:fi.hetu",
}

_SIX_DIGITS = re.compile(r"\d{6}")
_FINNISH = re.compile(r"hetu|henkilötunnus|finsk|finnish|suomi|finland", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
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
    r"konto(?:n|\b)|bankkonto|account|\biban\b|\bbban\b|faktura|invoice|\bordre|\border\b|ordrenr|\bkid\b"
    r"|\bref\b|referanse|reference|tlf|telefon|mobil|phone|\bmob\b|org\.?\s?nr|orgnr"
    r"|organisasjonsn|saksn|sak\s?nr|kundenr|customer no|kundenummer|lisens|serienr|serial"
    r"|sporingsnummer|tracking|avtalenr|polise",
    re.IGNORECASE,
)


# The end of a sentence before the number: what stands before it is about something else.
# (A break right before the number is its own label's: "Kontonr. 1234…".)
_SENTENCE_END = re.compile(r"[.!?;]\s+(?=\S)")


def _context(text: str, start: int) -> str:
    begin = max(0, start - CONTEXT_CHARS)
    context = text[max(begin, text.rfind("\n", begin, start) + 1) : start]
    ends = [m.end() for m in _SENTENCE_END.finditer(context, 0, max(0, len(context) - 3))]
    return context[ends[-1] :] if ends else context


def _judge(text: str, start: int) -> float | None:
    """The confidence for a valid number at ``start``, or None when a word before it says it
    is something else. A decoy word labels the first number after it only ("org.nr 923609016
    MVA, fnr …" keeps the second), and a word naming an identity number closer than the
    decoy wins."""
    context = _context(text, start)
    decoy = max((m.end() for m in DECOY_WORDS.finditer(context)), default=-1)
    named = max((m.end() for m in IDENTITY_WORDS.finditer(context)), default=-1)
    if decoy > named and not _DIGIT.search(context, decoy):
        return None
    return 0.99 if named >= 0 else 0.9


def _valid(module: object, number: str) -> bool:
    try:
        module.validate(number)  # type: ignore[attr-defined]
    except (ValidationError, ValueError):
        return False
    return True


def _month_in_middle(digits: str) -> bool:
    """A cheap first test (digits 3-4 are a month, as in every shape here but the long
    Swedish one) that spares stdnum most numbers that are no identity number."""
    month = int(digits[2:4])
    return 1 <= month <= 12 or 41 <= month <= 52


def _norwegian_check_digits(digits: str) -> bool:
    """Both mod-11 check digits, before stdnum's full validation (which also checks the
    date): most 11-digit numbers (accounts, invoices) fail here, at a fraction of the cost."""
    d = [ord(c) - 48 for c in digits]
    k1 = -(3 * d[0] + 7 * d[1] + 6 * d[2] + d[3] + 8 * d[4] + 9 * d[5] + 4 * d[6] + 5 * d[7]
           + 2 * d[8]) % 11  # fmt: skip
    if k1 != d[9]:
        return False
    k2 = -(5 * d[0] + 4 * d[1] + 3 * d[2] + 2 * d[3] + 7 * d[4] + 6 * d[5] + 5 * d[6]
           + 4 * d[7] + 3 * d[8] + 2 * d[9]) % 11  # fmt: skip
    return k2 == d[10]


def _norwegian_kind(digits: str) -> str:
    if int(digits[0]) >= 4:
        return "no_dnr"
    if int(digits[2]) >= 4:
        return "no_hnr"
    return "no_fnr"


def _dk_checksum(digits: str) -> bool:
    d = [ord(c) - 48 for c in digits]
    return (4 * d[0] + 3 * d[1] + 2 * d[2] + 7 * d[3] + 6 * d[4] + 5 * d[5] + 4 * d[6]
            + 3 * d[7] + 2 * d[8] + d[9]) % 11 == 0  # fmt: skip


def _short(text: str, start: int, six: str, sep: str, four: str) -> tuple[str, float] | None:
    """Ten digits, ``DDMMYY-SSSS`` (Danish) or ``YYMMDD-NNNN`` (Swedish)."""
    if not _month_in_middle(six):
        return None
    conf = _judge(text, start)
    if conf is None:
        return None
    separator = sep if sep in ("-", "+") else ""
    if not separator and conf < 0.99:
        return None  # ten digits without a hyphen only where a word names them
    said = _context(text, start).lower()
    digits = six + four
    danish_word = "cpr" in said or "dansk" in said or "danish" in said
    swedish = _valid(personnummer, f"{six}{separator or '-'}{four}")
    danish = _valid(cpr, digits) and (_dk_checksum(digits) or danish_word)
    if danish and (danish_word or not swedish):
        return "dk_cpr", conf
    return ("se_personnummer", conf) if swedish else None


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """``CANDIDATES`` tried only where six digits start a run (every shape starts so): one
    simple pass finds those, several times faster than the full pattern over all the text."""
    taken_to = 0
    for six in _SIX_DIGITS.finditer(text):
        if six.start() < taken_to:
            continue
        m = CANDIDATES.match(text, six.start())
        if m is not None:
            taken_to = m.end()
            yield m


def scan_identity_numbers(text: str) -> list[Match]:
    found: list[Match] = []
    for m in _candidates(text):
        kind: str | None = None
        conf: float | None = None
        if m["se"] is not None:
            number = f"{m['se']}-{m['se4']}"
            if 1 <= int(m["se"][4:6]) <= 12 and _valid(personnummer, number):
                kind, conf = "se_personnummer", _judge(text, m.start())
        elif m["no"] is not None:
            digits = m["no"] + m["no5"]
            if (
                _month_in_middle(digits)
                and _norwegian_check_digits(digits)
                and _valid(fodselsnummer, digits)
            ):
                kind, conf = _norwegian_kind(digits), _judge(text, m.start())
        elif m["fi"] is not None:
            ten_digits = m["fisep"] in ("-", "+") and m["fi4"].isdigit()
            finnish = _month_in_middle(m["fi"]) and _valid(hetu, m[0].upper())
            # Ten digits with a hyphen may also be Danish or Swedish (one in 31 passes the
            # Finnish check by chance): Finnish only when a letter or a Finnish word says so.
            judged = _short(text, m.start(), m["fi"], m["fisep"], m["fi4"]) if ten_digits else None
            if finnish and (not judged or _FINNISH.search(_context(text, m.start()))):
                kind, conf = "fi_hetu", _judge(text, m.start())
            elif judged:
                kind, conf = judged
        else:
            judged = _short(text, m.start(), m["s6"], m["ssep"], m["s4"])
            kind, conf = judged if judged else (None, None)
        if kind is not None and conf is not None:
            found.append(Match(m.start(), m.end(), kind, conf, RULES[kind]))
    return found
