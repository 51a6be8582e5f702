"""Consent ledger and marketing-permission benchmarks (issue 4).

    .venv/bin/python -m benchmarks.consent_bench --db sqlite
    .venv/bin/python -m benchmarks.consent_bench --db postgres

Measures, on a dedicated fresh database: single ``can_contact`` checks per second in-process
and through the API (Django's WSGI stack in-process, bearer token), a 10,000-address bulk
check, appends per second with the hash chain (one transaction each), and ``ledger verify``
over 1,000,000 events. Targets on a 2-core machine: bulk 10,000 < 1 s, verify 1,000,000
< 10 s, appends >= 2,000/s.
"""

from __future__ import annotations

import argparse
import datetime
import time
from typing import Any

from benchmarks._setup import database_version, git_revision, machine, use_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()
    use_database(args.db, "bench_consent")
    print(f"machine: {machine()}")
    print(f"database: {database_version()}; revision {git_revision()}")
    fixture = seed(args.people)
    bench_single_checks(fixture)
    bench_api_checks(fixture)
    bench_bulk(fixture)
    bench_appends(fixture)
    bench_batched_appends(fixture)
    bench_verify(fixture, args.events)


def seed(people: int) -> dict[str, Any]:
    from django.db import transaction

    from personvern.consent.choices import Channel, ConsentMethod, TextKind
    from personvern.consent.services import Evidence, Subject, publish_text, record_consent
    from personvern.core.actors import Actor
    from personvern.processing.models import ProcessingActivity
    from personvern.register.models import Person

    actor = Actor.for_system("bench")
    purpose = ProcessingActivity.objects.create(
        name="Bench newsletter", purpose="Newsletter", legal_basis="consent",
        communication="direct_marketing", status="active",
    )  # fmt: skip
    text = publish_text(actor=actor, kind=TextKind.CONSENT_TEXT, slug="bench", language="nb",
                        title="Bench", text="Ja takk til nyhetsbrev.")  # fmt: skip
    Person.objects.bulk_create(
        [
            Person(category="customer_contact", first_name=f"P{i}", email=f"p{i}@example.com",
                   email_key=f"p{i}@example.com", phone=f"+47{40000000 + i}")
            for i in range(people)
        ],
        batch_size=5000,
    )  # fmt: skip
    persons = list(Person.objects.order_by("pk"))
    started = time.perf_counter()
    with transaction.atomic():
        for person in persons[::3]:
            record_consent(actor=actor, subject=Subject(person=person), purpose=purpose,
                           channel=Channel.EMAIL, granted=True, method=ConsentMethod.WEB_FORM,
                           text=text, evidence=Evidence(ip_address="192.0.2.1"))  # fmt: skip
    batched = len(persons[::3]) / (time.perf_counter() - started)
    print(f"seed: {people} people, {len(persons[::3])} consents "
          f"(appended in one transaction at {batched:,.0f}/s)")  # fmt: skip
    return {"actor": actor, "purpose": purpose, "text": text, "persons": persons}


def bench_single_checks(fixture: dict[str, Any]) -> None:
    from personvern.consent.permissions import can_contact

    persons = fixture["persons"][:2000]
    started = time.perf_counter()
    for person in persons:
        can_contact(person=person, channel="email", purpose=fixture["purpose"])
    rate = len(persons) / (time.perf_counter() - started)
    print(f"single check, in-process: {rate:,.0f} checks/s ({len(persons)} checks)")


def bench_api_checks(fixture: dict[str, Any]) -> None:
    from django.contrib.auth.models import Group
    from django.test import Client

    from personvern.accounts.models import User
    from personvern.accounts.services import issue_token

    user = User.objects.create(username="bench", is_staff=True)
    user.groups.add(Group.objects.get(name="sales_marketing"))
    _token, key = issue_token(actor=fixture["actor"], user=user, name="bench")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}", SERVER_NAME="127.0.0.1")
    persons = fixture["persons"][:1000]
    started = time.perf_counter()
    for person in persons:
        response = client.post(
            "/api/consent/check",
            {"person_id": person.pk, "purpose_id": fixture["purpose"].pk, "channel": "email"},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content
    rate = len(persons) / (time.perf_counter() - started)
    print(f"single check, through the API (WSGI in-process): {rate:,.0f} checks/s")


def bench_bulk(fixture: dict[str, Any]) -> None:
    from personvern.consent.permissions import bulk_check

    addresses = [p.email for p in fixture["persons"][:10_000]]
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        results = bulk_check(addresses=addresses, channel="email", purpose=fixture["purpose"])
        timings.append(time.perf_counter() - started)
    allowed = sum(1 for r in results if r.allowed)
    print(f"bulk check of {len(addresses):,} addresses: best {min(timings):.3f} s, "
          f"worst {max(timings):.3f} s ({allowed:,} allowed)")  # fmt: skip


def bench_appends(fixture: dict[str, Any]) -> None:
    from personvern.consent.choices import Channel, ConsentMethod
    from personvern.consent.services import Evidence, Subject, record_consent

    persons = fixture["persons"][1::3][:3000]
    started = time.perf_counter()
    for person in persons:
        record_consent(actor=fixture["actor"], subject=Subject(person=person),
                       purpose=fixture["purpose"], channel=Channel.SMS, granted=True,
                       method=ConsentMethod.WEB_FORM, text=fixture["text"],
                       evidence=Evidence(ip_address="192.0.2.1"))  # fmt: skip
    rate = len(persons) / (time.perf_counter() - started)
    print(f"appends, one transaction each (chain + state): {rate:,.0f}/s ({len(persons)} appends)")


def bench_batched_appends(fixture: dict[str, Any]) -> None:
    """Several answers given at once (a form with checkboxes, the cookie banner, an import):
    one transaction and one chain batch per 100 events."""
    from personvern.consent.choices import Channel, ConsentMethod
    from personvern.consent.services import Choice, Evidence, Subject, record_consents

    persons = fixture["persons"][2::3][:3000]
    started = time.perf_counter()
    for start in range(0, len(persons), 100):
        choices = [
            Choice(purpose=fixture["purpose"], channel=channel, granted=True, text=fixture["text"])
            for channel in (Channel.EMAIL, Channel.SMS, Channel.PHONE, Channel.POST)
        ] * 25
        record_consents(actor=fixture["actor"], subject=Subject(person=persons[start]),
                        choices=choices, method=ConsentMethod.WEB_FORM,
                        evidence=Evidence(ip_address="192.0.2.1"))  # fmt: skip
    count = (len(persons) + 99) // 100 * 100
    rate = count / (time.perf_counter() - started)
    print(f"appends in batches of 100 (one transaction each): {rate:,.0f}/s ({count} appends)")


def bench_verify(fixture: dict[str, Any], total: int) -> None:
    """Grow the ledger to ``total`` events with correctly chained rows written in bulk (the
    same hashes ``ledger.append`` computes), then time a full verification."""
    from django.db import transaction
    from django.utils import timezone

    from personvern.consent import ledger
    from personvern.consent.models import ConsentEvent, LedgerHead
    from personvern.consent.verification import verify

    with transaction.atomic():
        head = LedgerHead.objects.select_for_update().get(pk=1)
        sequence, previous = head.last_sequence, head.last_hash
        started = time.perf_counter()
        now = timezone.now()
        batch: list[ConsentEvent] = []
        persons = fixture["persons"]
        while sequence < total:
            sequence += 1
            person = persons[sequence % len(persons)]
            fields = {
                "sequence": sequence, "person_id": person.pk, "visitor_id": "",
                "purpose_id": fixture["purpose"].pk, "channel": "post", "action": "granted",
                "method": "paper_form", "text_id": fixture["text"].pk,
                "text_sha256": fixture["text"].sha256,
                "occurred_at": now + datetime.timedelta(microseconds=sequence),
                "evidence": {}, "actor_label": "system:bench", "prev_hash": previous,
            }  # fmt: skip
            digest = ledger.event_hash(**fields)
            del fields["text_sha256"]
            batch.append(ConsentEvent(**fields, hash=digest))
            previous = digest
            if len(batch) == 10_000:
                ConsentEvent.objects.bulk_create(batch)
                batch = []
        ConsentEvent.objects.bulk_create(batch)
        LedgerHead.objects.filter(pk=1).update(last_sequence=sequence, last_hash=previous)
        _set_states(fixture, total)
    print(f"seeded the ledger to {sequence:,} events in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    result = verify()
    elapsed = time.perf_counter() - started
    print(f"ledger verify: {result.count:,} events, ok={result.ok}, {elapsed:.2f} s "
          f"({result.count / elapsed:,.0f} events/s; chain and state table)")  # fmt: skip
    bench_signed_heads(fixture)


def _set_states(fixture: dict[str, Any], total: int) -> None:
    """The state table as appends would have left it: each person's last seeded event."""
    from personvern.consent.models import ConsentEvent, ConsentState

    persons = fixture["persons"]
    last = {persons[s % len(persons)].pk: s for s in range(max(1, total - len(persons)), total + 1)}
    events = dict(ConsentEvent.objects.filter(sequence__in=last.values())
                  .values_list("sequence", "id"))  # fmt: skip
    rows = ConsentEvent.objects.filter(id__in=events.values()).values_list(
        "id", "person_id", "occurred_at"
    )
    for event_id, person_id, occurred_at in rows:
        ConsentState.objects.update_or_create(
            person_id=person_id, purpose=fixture["purpose"], channel="post",
            defaults={"action": "granted", "event_id": event_id, "changed_at": occurred_at},
        )  # fmt: skip


def bench_signed_heads(fixture: dict[str, Any]) -> None:
    """Sign the head (the Merkle root over every event), verify against the heads, and build
    one person's proof with its inclusion proofs."""
    import tempfile
    from pathlib import Path

    from django.conf import settings

    from personvern.consent import anchoring
    from personvern.consent.proof import build_proof
    from personvern.consent.services import sign_ledger_head, verify_ledger
    from personvern.core.actors import Actor

    directory = Path(tempfile.mkdtemp(prefix="bench-heads-"))
    settings.PERSONVERN_LEDGER_SIGNING_KEY = anchoring.generate_private_key_pem().decode()
    settings.PERSONVERN_LEDGER_HEADS_DIR = str(directory)
    actor = Actor.for_system("bench")
    started = time.perf_counter()
    signing = sign_ledger_head(actor=actor)
    print(f"sign the head of {signing.head.tree_size:,} events (Merkle root): "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip
    started = time.perf_counter()
    verification = verify_ledger(actor=actor, heads_dir=directory)
    print(f"ledger verify --heads (1 signed head, chain, state table, audit log): "
          f"ok={verification.ok}, {time.perf_counter() - started:.2f} s")  # fmt: skip
    started = time.perf_counter()
    proof = build_proof(fixture["persons"][0])
    proven = sum(1 for event in proof["events"] if event["inclusion"])
    print(f"one person's proof with {proven} inclusion proofs: "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
