"""A labelled Norwegian evaluation corpus for the PII scanner (issue 12), generated, never
committed: ``python -m benchmarks.pii_corpus --docs 5000 --out corpus.jsonl``.

Each line is ``{"id", "text", "spans": [[start, end, kind], ...]}``. Documents are the kind of
free text an accounting firm's staff write (call notes, e-mails, CV lines), two to six
sentences each, built from Faker ``no_NO`` (names, companies, addresses, phone numbers, dates)
and python-stdnum-valid identity numbers (``personvern.pii.synthetic``), with:

- positives of every kind: Norwegian fødselsnummer/D-/H-numbers written together, with a space
  or a hyphen; Swedish, Danish, Finnish numbers; the special categories and criminal data in
  bokmål, nynorsk and English, including phrasings the scanner's word lists do not hold;
- hard decoys: account numbers (every valid fødselsnummer is a valid kontonummer, so some
  decoys ARE fødselsnummer digits written as an account), numbers failing the checksum, phone
  numbers, organisation numbers, invoice/order/KID numbers, dates; organisations named as
  customers ("Helse Sør-Øst er kunde", "vi fører regnskapet for Arbeiderpartiet"), directions
  ("til høyre"), verbs that are union names ("delta"), topics ("foredrag om depresjon"), and a
  few mentions the scanner is known to get wrong ("den store depresjonen").

The gold span of a special category is the word or phrase that carries it (the term, the
union's or party's name); of an identity number the number as written.

Written by the scanner's author: the templates were kept apart from the word lists, and some
positives and decoys were written to fall outside them, but the corpus is not independent of
the rules. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from faker import Faker
from stdnum.no import orgnr

from personvern.pii.synthetic import (
    broken_checksum,
    cpr_for,
    fodselsnummer_for,
    hetu_for,
    kontonummer_for,
    personnummer_for,
)

Segment = tuple[str, list[tuple[int, int, str]]]


class Builder:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.joints = random.Random(seed + 2)  # spaces or line breaks between sentences
        self.fake = Faker("no_NO")
        self.fake.seed_instance(seed)

    # ---- pieces ---------------------------------------------------------------------------

    def name(self) -> str:
        return self.fake.name()

    def first(self) -> str:
        return self.fake.first_name()

    def pronoun(self, language: str) -> str:
        return self.rng.choice(
            {"nb": ["Hun", "Han"], "nn": ["Ho", "Han"], "en": ["She", "He"]}[language]
        )

    def orgnr(self) -> str:
        while True:
            number = f"{self.rng.randint(800000000, 999999999)}"
            if orgnr.is_valid(number):
                return number

    def phone(self) -> str:
        r = self.rng.randint
        return self.rng.choice([
            f"+47 {r(400, 999)} {r(10, 99)} {r(100, 999)}",
            f"{r(40000000, 99999999)}",
            f"+47{r(40000000, 99999999)}",
            f"{r(20, 79)} {r(10, 99)} {r(10, 99)} {r(10, 99)}",
        ])  # fmt: skip

    def digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(
            str(self.rng.randint(0, 9)) for _ in range(n - 1)
        )

    @staticmethod
    def labelled(template: str, value: str, kind: str, **slots: str) -> Segment:
        """``template`` with ``{v}`` marking the labelled value."""
        before, after = template.split("{v}")
        before = before.format(**slots)
        after = after.format(**slots)
        return before + value + after, [(len(before), len(before) + len(value), kind)]

    # ---- identity numbers -----------------------------------------------------------------

    def norwegian(self) -> Segment:
        kind = self.rng.choices(["no_fnr", "no_dnr", "no_hnr"], weights=[8, 3, 1])[0]
        number = fodselsnummer_for(self.rng, kind)
        shown = self.rng.choice(
            [number, f"{number[:6]} {number[6:]}", f"{number[:6]}-{number[6:]}"]
        )
        template = self.rng.choice([
            "Fødselsnummer: {v}.", "Kunden oppga fnr {v} på telefon.",
            "{name} ({v}) ringte om skattemeldingen.",
            "Personnr. {v} er registrert hos Skatteetaten.",
            "ID: {v}", "National identity number {v} was sent by e-mail.",
            "Ho sende fødselsnummeret sitt, {v}, i går.", "Ansatt: {name}, {v}, {city}.",
            "D-nummer {v} gjelder for arbeidsinnvandreren.",
            "Vi har mottatt {v} fra {name} på sikker e-post.",
        ])  # fmt: skip
        return self.labelled(template, shown, kind, name=self.name(), city=self.fake.city())

    def nordic(self) -> Segment:
        choice = self.rng.randrange(4)
        if choice == 0:
            value, kind = personnummer_for(self.rng), "se_personnummer"
            template = self.rng.choice(
                [
                    "Svensk personnummer {v}.",
                    "Personnummer: {v} (Sverige).",
                    "{name}, pnr {v}, flyttet fra Malmö.",
                ]
            )
        elif choice == 1:
            value, kind = personnummer_for(self.rng, long=True), "se_personnummer"
            template = self.rng.choice(
                ["Personnummer {v}.", "Swedish ID {v} was given for the tax return."]
            )
        elif choice == 2:
            value, kind = cpr_for(self.rng), "dk_cpr"
            template = self.rng.choice(
                ["CPR-nr. {v}.", "Dansk CPR {v} for {name}.", "cpr {v} (Danmark)"]
            )
        else:
            value, kind = hetu_for(self.rng), "fi_hetu"
            template = self.rng.choice(
                ["Henkilötunnus {v}.", "HETU: {v}", "Finsk personnummer {v} for {name}."]
            )
        return self.labelled(template, value, kind, name=self.name())

    def identity_decoy(self) -> Segment:
        konto = kontonummer_for(self.rng)
        fnr = fodselsnummer_for(self.rng)
        options: list[Callable[[], str]] = [
            lambda: f"Kontonummer {konto[:4]}.{konto[4:6]}.{konto[6:]}.",
            lambda: f"Betal til konto {konto} innen fredag.",
            lambda: f"Kontonr. {fnr} er oppgitt for utbetaling.",  # fnr digits as an account
            lambda: f"Account number {konto} at DNB.",
            lambda: f"Bankkonto: {konto[:4]} {konto[4:6]} {konto[6:]}",
            lambda: f"Fnr {broken_checksum(fnr)} stemmer ikke, be om nytt.",
            lambda: f"Oppgitt nummer {broken_checksum(fodselsnummer_for(self.rng))} var feil.",
            lambda: f"Tlf. {self.phone()}",
            lambda: f"Ring {self.name()} på {self.phone()}.",
            lambda: f"Org.nr. {self.orgnr()}.",
            lambda: f"{self.fake.company()}, org.nr {self.orgnr()} MVA",
            lambda: (
                f"Fakturanummer {self.digits(11)} forfaller {self.fake.date(pattern='%d.%m.%Y')}."
            ),
            lambda: f"Faktura {self.digits(10)} er betalt.",
            lambda: f"Ordrenr {self.digits(6)}-{self.digits(4)} er sendt.",
            lambda: f"KID {self.digits(self.rng.choice([11, 13, 15]))}",
            lambda: f"Møtet er {self.fake.date(pattern='%d.%m.%Y')} kl. {self.rng.randint(8, 16)}.",
            lambda: f"Født {self.fake.date(pattern='%d.%m.%Y')}, bosatt i {self.fake.city()}.",
            lambda: f"Dato {self.fake.date(pattern='%Y-%m-%d')}.",
            lambda: f"Saksnummer {self.rng.randint(20, 26)}/{self.digits(5)}.",
            lambda: f"Referanse {self.digits(11)}.",
        ]
        return self.rng.choice(options)(), []

    # ---- special categories ---------------------------------------------------------------

    SPECIAL: dict[str, list[tuple[str, str, str]]] = {
        # (language, template with {v} and {p} (pronoun) / {name}, labelled value)
        "health": [
            ("nb", "{p} er {v} resten av uka.", "sykmeldt"),
            ("nb", "{name} har levert {v} til arbeidsgiver.", "sykmelding"),
            ("nb", "{p} fikk {v} i vår og er i behandling.", "kreft"),
            ("nb", "{p} har {v} og trenger pauser.", "diabetes"),
            ("nb", "{name} er {v} på grunn av ryggen.", "uføretrygdet"),
            ("nb", "{p} er {v} og har termin i mai.", "gravid"),
            ("nb", "{p} har fått påvist {v}.", "leddgikt"),
            ("nb", "{p} går til {v} hver uke.", "psykolog"),
            ("nn", "{p} er {v} denne veka.", "sjukmeld"),
            ("nn", "{p} har ein {v} som gjer arbeidet tungt.", "sjukdom"),
            ("en", "{p} is on {v} until March.", "sick leave"),
            ("en", "{p} was {v} with depression.", "diagnosed"),
            ("en", "{p} uses a {v} since the accident.", "wheelchair"),
        ],
        "union": [
            ("nb", "{p} er medlem av {v}.", "Fellesforbundet"),
            ("nb", "{name} er medlem i {v} og vil ha trekk i lønn.", "Fagforbundet"),
            ("nb", "{p} er {v}.", "fagorganisert"),
            ("nb", "{name} er tillitsvalgt i {v}.", "Handel og Kontor"),
            ("nb", "{p} er med i {v}.", "Norsk Lokomotivmannsforbund"),
            ("nn", "{p} er medlem i {v}.", "Utdanningsforbundet"),
            ("en", "{p} is a member of {v}.", "Unison"),
            ("en", "{p} pays {v} every month.", "union dues"),
        ],
        "religion": [
            ("nb", "{p} er {v} og ønsker fri i ramadan.", "muslim"),
            ("nb", "{p} er medlem av {v}.", "Den katolske kirke"),
            ("nb", "{name} er medlem av {v}.", "Human-Etisk Forbund"),
            ("nn", "{p} er {v} og går i kyrkja.", "kristen"),
            ("en", "{p} is {v} and keeps the Sabbath.", "Jewish"),
            ("nb", "{p} {v} og ber hver dag.", "tror på Gud"),
        ],
        "politics": [
            ("nb", "{p} stemmer på {v}.", "Høyre"),
            ("nb", "{name} er medlem av {v}.", "Arbeiderpartiet"),
            ("nn", "{p} røystar på {v}.", "Senterpartiet"),
            ("en", "{p} votes for {v}.", "Labour"),
            ("nb", "{p} er {v} i SV.", "partimedlem"),
            ("nb", "{p} sa at {v} hennes er langt til venstre.", "politiske ståsted"),
        ],
        "sexual_orientation": [
            ("nb", "{p} er {v}.", "homofil"),
            ("nb", "{name} fortalte at hun er {v}.", "lesbisk"),
            ("nn", "{p} er {v}.", "skeiv"),
            ("en", "{p} is openly {v}.", "gay"),
            ("en", "{name} said he is {v}.", "bisexual"),
        ],
        "ethnicity": [
            ("nb", "{p} har {v} bakgrunn.", "samisk"),
            ("nb", "{name} oppga sin {v}.", "etniske opprinnelse"),
            ("en", "{p} is of {v} descent.", "Pakistani"),
            ("nb", "{p} er {v}.", "kvensk"),
            ("en", "The form asked for {v}.", "ethnic origin"),
        ],
        "genetic": [
            ("nb", "{p} har tatt en {v} for arvelig kreft.", "gentest"),
            ("nb", "{name} bærer {v}-mutasjonen.", "BRCA1"),
            ("en", "{p} shared the {v} results.", "DNA test"),
        ],
        "biometric": [
            ("nb", "{v} ble registrert for adgangskontroll.", "Fingeravtrykket hans"),
            ("en", "The {v} of {name} is stored in the door system.", "fingerprint"),
            ("nb", "Vi lagrer {v} av de ansatte.", "ansiktsgjenkjenning"),
        ],
        "criminal": [
            ("nb", "{p} ble {v} underslag i 2019.", "dømt for"),
            ("nb", "{name} har {v}.", "betinget dom"),
            ("nb", "{p} er {v} for økonomisk kriminalitet.", "tidligere straffet"),
            ("nn", "{p} vart {v} tjuveri.", "dømd for"),
            ("en", "{p} has a {v}.", "criminal record"),
            ("en", "{name} was {v} fraud last year.", "convicted of"),
            ("nb", "{p} sitter i {v} for ran.", "fengsel"),
        ],
    }

    def special(self) -> Segment:
        kind = self.rng.choice(list(self.SPECIAL))
        language, template, value = self.rng.choice(self.SPECIAL[kind])
        if kind == "criminal" and value == "convicted of":
            value = "convicted"
            template = template.replace("{v} fraud", "{v} of fraud")
        return self.labelled(template, value, kind, p=self.pronoun(language), name=self.name())

    SPECIAL_DECOYS = [
        "Helse Sør-Øst er kunde hos oss.",
        "Vi fører regnskapet for Arbeiderpartiet.",
        "Vi fører regnskapet for Høyre i Bergen.",
        "Fellesforbundet har sendt faktura for kontorleien.",
        "Faktura til Fagforbundet er sendt.",
        "Kreftforeningen er en ny kunde.",
        "Gå til høyre etter resepsjonen, så til venstre.",
        "{name} kan delta på møtet fredag.",
        "Sykehuset Innlandet skal ha årsoppgjøret i mars.",
        "Vi holdt et foredrag om depresjon på arbeidsplassen.",
        "Kunden Den norske kirke betaler innen fredag.",
        "Tekna-kontoret på Skøyen leier lokaler av oss.",
        "Det er rom for forbedring i rutinene.",
        "Vi behandler ikke helseopplysninger i denne tjenesten.",
        "Senterpartiet sitt lokallag bestilte regnskap.",
        "The customer is the Labour Party office in Leeds.",
        "Han leste en bok om den store depresjonen.",
        "Vi tester ny programvare for fingerprint-innlogging.",
        "Årsmøtet i LO Stat er flyttet.",
        "Kunden er en kristen friskole i {city}.",
        "Vi har kurs i diabetes-regnskap? Nei, kurs i MVA.",
        "Samme tid neste uke passer fint.",
    ]

    def special_decoy(self) -> Segment:
        return self.rng.choice(self.SPECIAL_DECOYS).format(
            name=self.name(), city=self.fake.city()
        ), []

    # ---- filler ---------------------------------------------------------------------------

    def filler(self) -> Segment:
        templates = [
            "{name} ringte om årsoppgjøret for {company}.",
            "Sendte utkast til skattemelding til {email}.",
            "{company} flytter til {address}.",
            "Avtalt møte med {name} {date} om lønnskjøring.",
            "Beløpet på kr {amount} er bokført.",
            "Spurte om frist for MVA-meldingen.",
            "Kunden ønsker tilbud på regnskapstjenester for {company}.",
            "{name} er ny daglig leder i {company}.",
            "E-post fra {email}: ber om kopi av fakturaen.",
            "Vi purret på bilag for {month}.",
        ]
        text = self.rng.choice(templates).format(
            name=self.name(), company=self.fake.company(), email=self.fake.email(),
            address=self.fake.address().replace("\n", ", "),
            date=self.fake.date(pattern="%d.%m.%Y"),
            amount=f"{self.rng.randint(100, 99999)},{self.rng.randint(0, 99):02d}",
            month=self.fake.month_name(),
        )  # fmt: skip
        return text, []

    def document(
        self, index: int, filler: int = 0, padding: Builder | None = None
    ) -> dict[str, Any]:
        makers = [self.filler] * 6 + [self.identity_decoy] * 3 + [self.special_decoy] * 2
        segments = [self.rng.choice(makers)() for _ in range(self.rng.randint(2, 5))]
        for _ in range(self.rng.choices([0, 1, 2], weights=[4, 5, 1])[0]):
            maker = self.rng.choices(
                [self.norwegian, self.nordic, self.special], weights=[4, 2, 6]
            )[0]
            segments.insert(self.rng.randrange(len(segments) + 1), maker())
        if padding is not None:  # its own random stream: the labelled part stays the same
            for _ in range(filler):
                segments.insert(padding.rng.randrange(len(segments) + 1), padding.filler())
        text, spans = "", []
        for segment_text, segment_spans in segments:
            if text:
                text += self.joints.choice([" ", " ", "\n"])
            spans += [(s + len(text), e + len(text), k) for s, e, k in segment_spans]
            text += segment_text
        return {"id": index, "text": text, "spans": spans}


def generate(docs: int, seed: int = 12, filler: int = 0) -> list[dict[str, Any]]:
    """``filler`` adds that many unlabelled everyday sentences to every document (a longer
    e-mail or CV: the same labelled content at the density of ordinary text)."""
    builder = Builder(seed)
    padding = Builder(seed + 1) if filler else None
    return [builder.document(i, filler, padding) for i in range(docs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--filler", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        for doc in generate(args.docs, args.seed, args.filler):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
