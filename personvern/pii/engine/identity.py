"""National identity numbers of Norway, Sweden, Denmark and Finland, validated by python-stdnum.

A candidate is a run of digits of the right shape, written together or with one space or
hyphen after the date part, that is not part of a longer number. It is reported only when it
passes python-stdnum's validation (check digits and birth date: stdnum's rules, written inline
for ASCII digits and held equal to stdnum by the tests) and no word before it on the same
line says it is something else of the same shape: an account (kontonummer has the same 11
digits and the same second check digit as a fødselsnummer), an invoice, an order, a phone
number.

A Danish or Swedish number written as 10 bare digits is reported only with a word naming it
(``personnummer``, ``CPR``) before it: ten digits with a valid date are too common otherwise.
"""

from __future__ import annotations

import re
from datetime import date

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

# Six ASCII digits, written out: several times faster to search for than ``\d{6}`` (sre's
# repeat and its Unicode digit class cost more than six single-character tests).
_SIX_DIGITS = re.compile(r"[0-9][0-9][0-9][0-9][0-9][0-9]")
_FINNISH = re.compile(r"hetu|henkilötunnus|finsk|finnish|suomi|finland")
_DIGIT = re.compile(r"[0-9]")
# How far back (characters, same line) a word can name what a number is.
CONTEXT_CHARS = 40
# Words naming an identity number (the ``named`` group) or something else of the same shape,
# after which a number is that thing, not an identity number. One pattern, matched in one
# pass over the lower-cased context: two passes with IGNORECASE cost three times as much.
_IDENTITY = (
    r"f[øo]dselsn(?:ummer|r)|f\.\s?nr|\bfnr\b|personn(?:ummer|r)|person-?nr|d-?nummer|h-?nummer"
    r"|\bcpr\b|cpr-?n|\bhetu\b|henkilötunnus|personal identity|national id|identity number"
    r"|social security|\bssn\b|\bpnr\b|født|fødd|\bborn\b"
)
_DECOY = (
    r"konto(?:n|\b)|bankkonto|account|\biban\b|\bbban\b|faktura|invoice|\bordre|\border\b|ordrenr"
    r"|\bkid\b|\bref\b|referanse|reference|tlf|telefon|mobil|phone|\bmob\b|org\.?\s?nr|orgnr"
    r"|organisasjonsn|saksn|sak\s?nr|kundenr|customer no|kundenummer|lisens|serienr|serial"
    r"|sporingsnummer|tracking|avtalenr|polise"
)
LABELS = re.compile(f"(?P<named>{_IDENTITY})|{_DECOY}")

# The end of a sentence before the number: what stands before it is about something else.
# (A break right before the number is its own label's: "Kontonr. 1234…".)
# Greedy, so one match (backtracking from the end, in C) ends after the last such break.
_UP_TO_SENTENCE_END = re.compile(r"(?s:.*[.!?;]\s+(?=\S))")


def _context(text: str, start: int) -> str:
    """The lower-cased words before ``start`` that may say what the number is."""
    begin = start - CONTEXT_CHARS if start > CONTEXT_CHARS else 0
    context = text[max(begin, text.rfind("\n", begin, start) + 1) : start].lower()
    end = _UP_TO_SENTENCE_END.match(context, 0, max(0, len(context) - 3))
    return context[end.end() :] if end else context


def _judge(context: str) -> float | None:
    """The confidence for a valid number after ``context``, or None when a word in it says it
    is something else. A decoy word labels the first number after it only ("org.nr 923609016
    MVA, fnr …" keeps the second), and a word naming an identity number closer than the
    decoy wins."""
    decoy = named = -1
    for m in LABELS.finditer(context):
        if m.lastgroup == "named":
            named = m.end()
        else:
            decoy = m.end()
    if decoy > named and not _DIGIT.search(context, decoy):
        return None
    return 0.99 if named >= 0 else 0.9


def _valid(module: object, number: str) -> bool:
    try:
        module.validate(number)  # type: ignore[attr-defined]
    except (ValidationError, ValueError):
        return False
    return True


# The confirmations below are python-stdnum's ``validate`` of each module, rule for rule (the
# birth date and its century, a date not in the future where stdnum asks for it), written
# for ASCII digits whose check digits were already tested inline: stdnum's ``clean`` and
# ``compact``, run two or three times per number, cost more than the rest of the scan of a
# number. tests/pii/test_identity_numbers.py holds them equal to stdnum on random numbers;
# anything but ASCII digits still goes to stdnum itself.


def _born(year: int, month: int, day: int, past: bool) -> bool:
    """Whether the date exists (and, with ``past``, is not after today)."""
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return not past or born <= date.today()  # noqa: DTZ011 - stdnum's rule: the local date


def _fodselsnummer(digits: str) -> bool:
    """``stdnum.no.fodselsnummer.validate`` of 11 digits whose check digits are right."""
    if not digits.isascii():
        return _valid(fodselsnummer, digits)
    day, month, year, individual = (
        int(digits[0:2]),
        int(digits[2:4]),
        int(digits[4:6]),
        int(digits[6:9]),
    )
    if day >= 80:
        return False
    if day > 40:
        day -= 40
    if month > 40:
        month -= 40
    if individual < 500:
        year += 1900
    elif individual < 750 and year >= 54:
        year += 1800
    elif year < 40:
        year += 2000
    elif individual >= 900:
        year += 1900
    else:
        return False
    return _born(year, month, day, past=True)


def _personnummer(six: str, separator: str, four: str, century: str = "") -> bool:
    """``stdnum.se.personnummer.validate`` of ``[century]six{separator}four`` whose Luhn digit
    is right (``separator`` is "-" or "+")."""
    if not (century + six + four).isascii():
        return _valid(personnummer, f"{century}{six}{separator}{four}")
    if century:
        year = int(century + six[:2])
    else:
        this_year = date.today().year  # noqa: DTZ011 - as stdnum
        hundreds = this_year // 100
        if int(six[:2]) > this_year % 100:
            hundreds -= 1
        if separator == "+":
            hundreds -= 1
        year = hundreds * 100 + int(six[:2])
    return _born(year, int(six[2:4]), int(six[4:6]), past=False)


def _cpr(digits: str) -> bool:
    """``stdnum.dk.cpr.validate`` of ten digits."""
    if not digits.isascii():
        return _valid(cpr, digits)
    year, seventh = int(digits[4:6]), digits[6]
    if seventh in "5678" and year >= 58:
        year += 1800
    elif seventh in "0123" or (seventh in "49" and year >= 37):
        year += 1900
    else:
        year += 2000
    return _born(year, int(digits[2:4]), int(digits[0:2]), past=True)


_HETU_CENTURY = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900,
                 "A": 2000, "B": 2000, "C": 2000, "D": 2000, "E": 2000, "F": 2000}  # fmt: skip


def _hetu(number: str) -> bool:
    """``stdnum.fi.hetu.validate`` of an upper-cased candidate whose check character is right."""
    if not number.isascii():
        return _valid(hetu, number)
    individual = int(number[7:10])
    if individual < 2 or individual >= 900 or number[0] > "3" or number[2] > "1":
        return False
    year = _HETU_CENTURY[number[6]] + int(number[4:6])
    return _born(year, int(number[2:4]), int(number[0:2]), past=False)


def _month_in_middle(digits: str) -> bool:
    """A cheap first test (digits 3-4 are a month, as in every shape here but the long
    Swedish one) that spares stdnum most numbers that are no identity number."""
    month = int(digits[2:4])
    return 1 <= month <= 12 or 41 <= month <= 52


def _norwegian_check_digits(digits: str) -> bool:
    """Both mod-11 check digits, before stdnum's full validation (which also checks the
    date): most 11-digit numbers (accounts, invoices) fail here, at a fraction of the cost."""
    # Character codes, not digit values: the weights' sums times 48 (45 and 41) are added back.
    d = digits.encode() if digits.isascii() else [ord(c) for c in digits]
    k1 = (2160 - (3 * d[0] + 7 * d[1] + 6 * d[2] + d[3] + 8 * d[4] + 9 * d[5] + 4 * d[6]
                  + 5 * d[7] + 2 * d[8])) % 11  # fmt: skip
    if k1 != d[9] - 48:
        return False
    k2 = (1968 - (5 * d[0] + 4 * d[1] + 3 * d[2] + 2 * d[3] + 7 * d[4] + 6 * d[5] + 5 * d[6]
                  + 4 * d[7] + 3 * d[8] + 2 * d[9])) % 11  # fmt: skip
    return k2 == d[10] - 48


# The first four digits of every valid Norwegian number: a day (+40 in a D-number) and a
# month (+40 in an H-number). One look-up, where the digits are ASCII.
_NORWEGIAN_DAY_MONTH = frozenset(
    f"{day:02d}{month:02d}"
    for day in (*range(1, 32), *range(41, 72))
    for month in (*range(1, 13), *range(41, 53))
)


def _norwegian_date_shape(digits: str) -> bool:
    if digits.isascii():
        return digits[:4] in _NORWEGIAN_DAY_MONTH
    return _month_in_middle(digits) and 1 <= int(digits[:2]) % 40 <= 31


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


def _luhn(digits: str) -> bool:
    """The Luhn check (the Swedish number's last digit), inline on the ten digits."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = ord(c) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def _hetu_check(six: str, four: str) -> bool:
    """The Finnish check character (``DDMMYYZZZ`` mod 31), inline: stdnum confirms."""
    return four[:3].isdigit() and _HETU_CHECK[int(six + four[:3]) % 31] == four[3].upper()


def _short(text: str, start: int, six: str, sep: str, four: str) -> tuple[str, float] | None:
    """Ten digits at ``start``, ``DDMMYY-SSSS`` (Danish) or ``YYMMDD-NNNN`` (Swedish); the
    words before them are read only for digits of either shape."""
    if not _month_in_middle(six):
        return None
    digits = six + four
    swedish_shape = 1 <= int(six[4:6]) <= 31 and _luhn(digits)
    danish_shape = 1 <= int(six[:2]) <= 31
    if not (swedish_shape or danish_shape):
        return None
    context = _context(text, start)
    conf = _judge(context)
    if conf is None:
        return None
    separator = sep if sep in ("-", "+") else ""
    if not separator and conf < 0.99:
        return None  # ten digits without a hyphen only where a word names them
    danish_word = "cpr" in context or "dansk" in context or "danish" in context
    swedish = swedish_shape and _personnummer(six, separator or "-", four)
    danish = danish_shape and (danish_word or _dk_checksum(digits)) and _cpr(digits)
    if danish and (danish_word or not swedish):
        return "dk_cpr", conf
    return ("se_personnummer", conf) if swedish else None


def scan_identity_numbers(text: str) -> list[Match]:
    """Each shape is first checked in plain Python on its digits (month, check digits: most
    numbers that are none fail here) and only then confirmed by stdnum; the words before it
    are read last, for the numbers that passed.

    ``CANDIDATES`` is tried only where six digits start a run (every shape starts so): one
    simple pass finds those, several times faster than the full pattern over all the text."""
    found: list[Match] = []
    taken_to = 0
    candidate_at = CANDIDATES.match
    for six in _SIX_DIGITS.finditer(text):
        at = six.start()
        if at < taken_to:
            continue
        m = candidate_at(text, at)
        if m is None:
            continue
        taken_to = m.end()
        se, se4, no, no5, fi, fisep, fi4, s6, ssep, s4 = m.groups()
        kind: str | None = None
        conf: float | None = None
        if se is not None:
            if 1 <= int(se[4:6]) <= 12 and 1 <= int(se[6:8]) <= 31 and _luhn(se[2:] + se4):
                conf = _judge(_context(text, at))
                if conf is not None and _personnummer(se[2:], "-", se4, se[:2]):
                    kind = "se_personnummer"
        elif no is not None:
            digits = no + no5
            if _norwegian_date_shape(digits) and _norwegian_check_digits(digits):
                # The words before it first: an account number with a fødselsnummer's digits
                # is dropped without stdnum's full validation.
                conf = _judge(_context(text, at))
                if conf is not None and _fodselsnummer(digits):
                    kind = _norwegian_kind(digits)
        elif fi is not None:
            ten_digits = fisep in ("-", "+") and fi4.isdigit()
            finnish = _month_in_middle(fi) and _hetu_check(fi, fi4) and _hetu(m[0].upper())
            # Ten digits with a hyphen may also be Danish or Swedish (one in 31 passes the
            # Finnish check by chance): Finnish only when a letter or a Finnish word says so.
            judged = _short(text, at, fi, fisep, fi4) if ten_digits else None
            context = _context(text, at) if finnish else ""
            if finnish and (not judged or _FINNISH.search(context)):
                kind, conf = "fi_hetu", _judge(context)
            elif judged:
                kind, conf = judged
        else:
            judged = _short(text, at, s6, ssep, s4)
            kind, conf = judged if judged else (None, None)
        if kind is not None and conf is not None:
            found.append(Match(at, m.end(), kind, conf, RULES[kind]))
    return found
