"""Special categories (Art. 9) and criminal-offence data (Art. 10) in bokmål, nynorsk and
English: the person's own data found, a mere mention left alone."""

from __future__ import annotations

import pytest

from personvern.pii.engine import scan
from personvern.pii.engine.terms import RULES_FILE, load_rules


def found(text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.kind) for m in scan(text)]


@pytest.mark.parametrize(
    ("text", "span", "kind"),
    [
        ("Kari er sykmeldt ut mars.", "sykmeldt", "health"),
        ("Ho er sjukmeld denne veka.", "sjukmeld", "health"),
        ("He has been on sick leave since May.", "sick leave", "health"),
        ("Hun fikk diagnosen i fjor.", "diagnosen", "health"),
        ("Han er medlem av Fellesforbundet.", "Fellesforbundet", "union"),
        ("Ho er medlem i Fagforbundet.", "Fagforbundet", "union"),
        ("She is a member of Unison.", "Unison", "union"),
        ("Han er fagorganisert.", "fagorganisert", "union"),
        ("Hun er muslim og ber om fri til id.", "muslim", "religion"),
        ("Han er medlem av Human-Etisk Forbund.", "Human-Etisk Forbund", "religion"),
        ("Han stemmer på Høyre.", "Høyre", "politics"),
        ("Ho røystar på Raudt.", "Raudt", "politics"),
        ("She votes for Labour.", "Labour", "politics"),
        ("Han er homofil.", "homofil", "sexual_orientation"),
        ("She mentioned she is bisexual.", "bisexual", "sexual_orientation"),
        ("Hun har samisk bakgrunn.", "samisk", "ethnicity"),
        ("His ethnic origin was asked for.", "ethnic origin", "ethnicity"),
        ("Hun har tatt en gentest.", "gentest", "genetic"),
        ("The DNA test came back.", "DNA test", "genetic"),
        ("Fingeravtrykket hans ble lagret.", "Fingeravtrykket hans", "biometric"),
        ("Han ble dømt for underslag i 2019.", "dømt for", "criminal"),
        ("Ho er tidlegare straffa for vald.", "tidlegare straffa", "criminal"),
        ("He has a criminal record.", "criminal record", "criminal"),
    ],
)
def test_a_persons_own_data_is_found(text, span, kind):
    assert found(text) == [(span, kind)]


@pytest.mark.parametrize(
    "text",
    [
        "Helse Sør-Øst er kunde hos oss.",
        "Vi fører regnskapet for Arbeiderpartiet.",
        "Fellesforbundet er en viktig kunde.",
        "Faktura til Fagforbundet er sendt.",
        "Kreftforeningen holdt et foredrag om kreft.",
        "Gå til høyre i gangen, så til venstre.",
        "Det er rom for forbedring.",
        "Vi behandler ikke helseopplysninger.",
        "Kunden Den norske kirke betaler innen fredag.",
        "Vi tilbyr kurs i diabetes for kunder.",
        "He will join the meeting with Labour's accountant.",
        "Delta på møtet i morgen.",
        "Sametinget er kunde.",
        "Vi skal delta i kampanje mot kreft.",
    ],
)
def test_a_mere_mention_is_not_a_finding(text):
    assert found(text) == []


def test_an_inflected_form_of_a_starred_term_is_found_and_whole_words_only():
    assert found("Sykmeldingen gjelder to uker.") == [("Sykmeldingen", "health")]
    assert found("Kreftforeningen") == []


def test_the_rules_file_names_its_sources_and_every_kind():
    text = RULES_FILE.read_text(encoding="utf-8")
    assert "Sources" in text
    rules = load_rules()
    kinds = {value[1].kind for value in rules.automaton.values()} - {""}
    assert kinds == {
        "health", "union", "religion", "politics", "sexual_orientation", "ethnicity",
        "genetic", "biometric", "criminal",
    }  # fmt: skip


def test_a_finding_holds_the_rule_and_a_confidence_never_the_value():
    [match] = scan("Kari er sykmeldt.")
    assert match.rule == "special_categories.yaml#health.state.nb"
    assert 0 < match.confidence <= 1
    assert "sykmeldt" not in repr(match)


def test_a_hyphenated_compound_is_not_the_term_but_a_code_keeps_its_meaning():
    assert found("Vi tester fingerprint-innlogging i appen.") == []
    assert found("Hun bærer BRCA1-mutasjonen.") == [("BRCA1", "genetic")]


def test_a_batch_finds_what_each_text_alone_finds():
    from personvern.pii.engine import scan_many

    texts = ["Han er medlem av", "LO er kunde.", "Hun er sykmeldt", "", "fnr 01019012345"]
    assert [[(m.start, m.end, m.kind) for m in r] for r in scan_many(texts)] == [
        [(m.start, m.end, m.kind) for m in scan(t)] for t in texts
    ]
