"""Identity numbers: each kind found in the forms people write it, and the numbers of the same
shape that are something else left alone."""

from __future__ import annotations

import random

import pytest

from personvern.pii.engine import scan
from personvern.pii.synthetic import (
    broken_checksum,
    cpr_for,
    fodselsnummer_for,
    hetu_for,
    kontonummer_for,
    personnummer_for,
)

RNG = random.Random(12)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.kind) for m in scan(text)]


@pytest.mark.parametrize("kind", ["no_fnr", "no_dnr", "no_hnr"])
@pytest.mark.parametrize("written", ["{a}{b}", "{a} {b}", "{a}-{b}"])
def test_norwegian_numbers_written_together_or_split_after_the_date(kind, written):
    # given a valid number written as people write it
    number = fodselsnummer_for(RNG, kind)
    shown = written.format(a=number[:6], b=number[6:])
    # when the text is scanned
    found = kinds(f"Kunden oppga {shown} i skjemaet.")
    # then the number is found, as its kind, span and all
    assert found == [(shown, kind)]


def test_swedish_danish_and_finnish_numbers():
    se, se_long, dk, fi = (
        personnummer_for(RNG),
        personnummer_for(RNG, long=True),
        cpr_for(RNG),
        hetu_for(RNG),
    )
    text = f"SE {se}, SE {se_long}, Danmark: CPR {dk}, Suomi {fi}."
    assert kinds(text) == [
        (se, "se_personnummer"),
        (se_long, "se_personnummer"),
        (dk, "dk_cpr"),
        (fi, "fi_hetu"),
    ]


def test_a_failing_checksum_is_not_an_identity_number():
    numbers = [fodselsnummer_for(RNG) for _ in range(20)]
    text = " og ".join(broken_checksum(n) for n in numbers)
    assert [k for _, k in kinds(text) if k.startswith("no_")] == []


def test_an_account_number_is_not_an_identity_number_even_where_its_digits_would_be():
    # given a fødselsnummer's digits written as an account number (same mod-11 check)
    number = fodselsnummer_for(RNG)
    for text in (
        f"Kontonummer: {number}",
        f"Betal til konto {number} innen fristen",
        f"Account no. {number}",
        f"Kontonr {number[:4]}.{number[4:6]}.{number[6:]}",
        f"Bankkonto {number[:4]} {number[4:6]} {number[6:]}",
    ):
        assert kinds(text) == [], text


def test_random_account_numbers_are_not_reported():
    accounts = [kontonummer_for(RNG) for _ in range(200)]
    text = "\n".join(f"Kontonummer {a[:4]}.{a[4:6]}.{a[6:]} eller kontonr. {a}" for a in accounts)
    assert kinds(text) == []


def test_phone_organisation_invoice_numbers_and_dates_are_not_reported():
    number = fodselsnummer_for(RNG)
    text = (
        "Ring +47 412 34 567 eller 41234567, +4741234567. Org.nr. 923 609 016 (MVA). "
        f"Faktura {number} forfaller 01.02.2026; fakturanr. 2026-000123. Ordre {number}. "
        "Møtet er 2026-03-01 kl. 10. Født 12.05.1985. KID 1234567890123. Tlf 22 33 44 55. "
        f"Tlf. {number}. Saksnummer 24/01234."
    )
    assert kinds(text) == []


def test_a_number_inside_a_longer_number_is_not_reported():
    number = fodselsnummer_for(RNG)
    assert kinds(f"Referanse 9{number}7") == []
    assert kinds(f"ID {number}.5") == []


def test_a_word_naming_it_an_identity_number_raises_the_confidence():
    number = fodselsnummer_for(RNG)
    [plain] = scan(f"Han skrev {number}")
    [named] = scan(f"Fødselsnummer: {number}")
    assert named.confidence > plain.confidence
    assert named.rule == "stdnum:no.fodselsnummer"


def test_ten_digits_without_a_hyphen_only_with_a_word_naming_them():
    dk = cpr_for(RNG).replace("-", "")
    assert kinds(f"Nummer {dk}") == []
    assert kinds(f"CPR-nr {dk}") == [(dk, "dk_cpr")]


def test_a_decoy_word_labels_only_the_first_number_after_it():
    number = fodselsnummer_for(RNG)
    text = f"Kunde AS, org.nr 923609016 MVA Vi har mottatt {number} fra kunden"
    assert kinds(text) == [(number, "no_fnr")]


def test_ten_digits_with_a_hyphen_are_finnish_only_when_something_says_so():
    # given Danish numbers, some of which pass the Finnish check character by chance
    numbers = [cpr_for(RNG) for _ in range(300)]
    text = "\n".join(f"CPR {n}" for n in numbers)
    assert {kind for _, kind in kinds(text)} == {"dk_cpr"}
    # a Finnish number with a letter for its century or check is Finnish wherever it stands
    fi = hetu_for(RNG)
    assert kinds(f"Nummer {fi}")[0][1] in {"fi_hetu", "dk_cpr", "se_personnummer"}
    assert kinds(f"Henkilötunnus {fi}") == [(fi, "fi_hetu")]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _date_part(rng: random.Random, day_offset: int = 0, month_offset: int = 0) -> str:
    """Day and month near the edges (29-31, 0, 13, D- and H-offsets), then a year."""
    day = rng.choice([0, 1, 28, 29, 30, 31, 32, rng.randint(1, 31)]) + day_offset
    month = rng.choice([0, 1, 2, 12, 13, rng.randint(1, 12)]) + month_offset
    return f"{day:02d}{month:02d}{rng.randint(0, 99):02d}"


def test_the_inline_confirmations_agree_with_python_stdnum():
    from stdnum import luhn
    from stdnum.dk import cpr
    from stdnum.fi import hetu
    from stdnum.no import fodselsnummer
    from stdnum.se import personnummer

    from personvern.pii.engine import identity

    rng = random.Random(7)
    for _ in range(3000):
        # given numbers whose check digits are right and whose dates are anything
        base = _date_part(rng, rng.choice([0, 0, 40, 80]), rng.choice([0, 0, 40])) + _digits(rng, 3)
        no = base + fodselsnummer.calc_check_digit1(base)
        no += fodselsnummer.calc_check_digit2(no)
        dk = _date_part(rng) + _digits(rng, 4)
        six = f"{rng.randint(0, 99):02d}" + _date_part(rng)[2:4] + _date_part(rng)[:2]
        three = _digits(rng, 3)
        four = three + luhn.calc_check_digit(six + three)
        century, separator = rng.choice(["", "19", "20"]), rng.choice("-+")
        fi_digits = _date_part(rng) + _digits(rng, 3)
        fi = (f"{fi_digits[:6]}{rng.choice('+-YXWVUABCDEF')}{fi_digits[6:]}"
              f"{'0123456789ABCDEFHJKLMNPRSTUVWXY'[int(fi_digits) % 31]}")  # fmt: skip
        # then the scanner's confirmation says what python-stdnum says
        if len(no) == 11:
            assert identity._fodselsnummer(no) == fodselsnummer.is_valid(no), no
        assert identity._cpr(dk) == cpr.is_valid(dk), dk
        sep = "-" if century else separator
        assert identity._personnummer(six, sep, four, century) == personnummer.is_valid(
            f"{century}{six}{sep}{four}"
        ), (century, six, four)
        assert identity._hetu(fi) == hetu.is_valid(fi), fi
