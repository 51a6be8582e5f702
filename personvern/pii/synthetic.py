"""Synthetic identity numbers with valid check digits, for the demo, the tests and the
benchmark corpus: never a real person's (random digits; a collision with a real number is
possible in principle, as with Faker's own numbers, which is why no value leaves the machine).

The check digits are computed by python-stdnum's own functions where it exposes them; every
number made here is checked with stdnum's ``validate`` before it is returned.

Note: a Norwegian account number (kontonummer) has the same 11 digits and the same final
mod-11 check as a fødselsnummer's second check digit (weights 6,7,8,9,4,5,6,7,8,9 are the
negatives of 5,4,3,2,7,6,5,4,3,2 modulo 11): every valid fødselsnummer is a valid kontonummer.
Only the date, the first check digit and the context tell them apart."""

from __future__ import annotations

import datetime
import random

from stdnum import luhn
from stdnum.dk import cpr
from stdnum.fi import hetu
from stdnum.no import fodselsnummer, kontonr
from stdnum.se import personnummer


def _date(rng: random.Random, first: int = 1940, last: int = 2005) -> datetime.date:
    start = datetime.date(first, 1, 1).toordinal()
    return datetime.date.fromordinal(rng.randint(start, datetime.date(last, 12, 31).toordinal()))


def fodselsnummer_for(rng: random.Random, kind: str = "no_fnr") -> str:
    """A valid Norwegian fødselsnummer, D-number (``no_dnr``) or H-number (``no_hnr``)."""
    while True:
        born = _date(rng)
        day, month = born.day, born.month
        if kind == "no_dnr":
            day += 40
        elif kind == "no_hnr":
            month += 40
        year = born.year % 100
        individual = rng.randint(0, 499) if born.year < 2000 else rng.randint(500, 999)
        base = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        if k1 == "10":
            continue
        k1 = "0" if k1 == "11" else k1
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        if k2 in ("10", "11"):
            k2 = "0" if k2 == "11" else ""
            if not k2:
                continue
        number = base + k1 + k2
        if fodselsnummer.is_valid(number):
            return number


def kontonummer_for(rng: random.Random) -> str:
    """A valid Norwegian bank account number (11 digits)."""
    while True:
        base = "".join(str(rng.randint(0, 9)) for _ in range(10))
        number = base + kontonr._calc_check_digit(base + "0")
        if kontonr.is_valid(number):
            return number


def personnummer_for(rng: random.Random, *, long: bool = False) -> str:
    """A valid Swedish personnummer, ``YYMMDD-NNNN`` (or ``YYYYMMDD-NNNN``)."""
    while True:
        born = _date(rng)
        serial = f"{rng.randint(0, 999):03d}"
        short = f"{born:%y%m%d}{serial}"
        number = short + luhn.calc_check_digit(short)
        text = f"{born:%Y}{number[2:6]}-{number[6:]}" if long else f"{number[:6]}-{number[6:]}"
        if personnummer.is_valid(text):
            return text


def cpr_for(rng: random.Random) -> str:
    """A valid Danish CPR number ``DDMMYY-SSSS`` that also meets the old mod-11 check."""
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    while True:
        born = _date(rng, 1940, 1999)
        serial = f"{rng.randint(0, 3999):04d}"
        number = f"{born:%d%m%y}{serial}"
        if sum(w * int(d) for w, d in zip(weights, number, strict=True)) % 11:
            continue
        if cpr.is_valid(number):
            return f"{number[:6]}-{number[6:]}"


def hetu_for(rng: random.Random) -> str:
    """A valid Finnish henkilötunnus ``DDMMYY-NNNC`` (or ``A`` for the 2000s)."""
    while True:
        born = _date(rng)
        sign = "-" if born.year < 2000 else "A"
        individual = f"{rng.randint(2, 899):03d}"
        digits = f"{born:%d%m%y}{individual}"
        number = f"{born:%d%m%y}{sign}{individual}{hetu._calc_checksum(digits)}"
        if hetu.is_valid(number):
            return number


def broken_checksum(number: str) -> str:
    """The same number with its last digit changed: fails the check."""
    last = number[-1]
    if not last.isdigit():
        return number[:-1] + ("0" if last != "0" else "1")
    return number[:-1] + str((int(last) + 1) % 10)
