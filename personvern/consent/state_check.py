"""Recompute the current-state table from the ledger and name every row that disagrees.

``ConsentState`` answers every check, so an administrator who edits a row to "granted" changes
what ``can_contact`` says without touching the chain. The ledger decides: for every (subject,
purpose, channel) the state row must be the latest event's, with its action. People erased
since keep their events (bare ids) but lose their state rows, so they are left out.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from personvern.register.models import Person

from .models import ConsentEvent, ConsentState

# A state row's key, as its unique constraints have it: (person, visitor when there is no
# person, purpose, channel when there is a purpose).
StateKey = tuple[int | None, str, int | None, str]
_STATES = (
    "SELECT s.person_id, CASE WHEN s.person_id IS NULL THEN s.visitor_id ELSE '' END,"  # noqa: S608
    " s.purpose_id, CASE WHEN s.purpose_id IS NULL THEN '' ELSE s.channel END, s.action,"
    f" e.sequence, s.id FROM {ConsentState._meta.db_table} s"
    f" LEFT JOIN {ConsentEvent._meta.db_table} e ON e.id = s.event_id"
)
LIMIT = 100


def _subject(key: tuple[Any, ...]) -> str:
    person, visitor, purpose, channel = key
    who = f"person {person}" if person is not None else f"visitor {visitor[:8]}…"
    what = f"purpose {purpose}, {channel or 'no channel'}" if purpose is not None else "objection"
    return f"{who}, {what}"


def check_states(latest: dict[StateKey, tuple[int, str]]) -> list[dict[str, Any]]:
    """Compare the state table with ``latest`` (the latest event's sequence and action per
    state key, collected while verifying the chain). Findings (kind ``state``), at most
    ``LIMIT``; an empty list when every row agrees."""
    with connection.cursor() as cursor:
        cursor.execute(_STATES)
        states = {tuple(row[:4]): row[4:] for row in cursor.fetchall()}
    people = set(Person.objects.values_list("pk", flat=True))
    findings: list[dict[str, Any]] = []

    def add(sequence: int | None, message: str) -> None:
        findings.append({"kind": "state", "sequence": sequence, "message": message})

    for key, (sequence, action) in sorted(latest.items(), key=lambda i: i[1][0]):
        if key[0] is not None and key[0] not in people:
            continue
        state = states.pop(key, None)
        if state is None:
            add(sequence, f"no state row for {_subject(key)}; the ledger's latest event "
                          f"#{sequence} says {action}")  # fmt: skip
        elif (state[0], state[1]) != (action, sequence):
            row = f"state row {state[2]} ({_subject(key)}) says {state[0]} (event #{state[1]})"
            add(sequence, f"{row}; the ledger's latest event #{sequence} says {action}")
        if len(findings) >= LIMIT:
            return findings
    for key, (action, _sequence, state_id) in sorted(states.items(), key=lambda i: i[1][2]):
        add(None, f"state row {state_id} ({_subject(key)}) says {action} with no event "
                  "in the ledger behind it")  # fmt: skip
        if len(findings) >= LIMIT:
            break
    return findings
