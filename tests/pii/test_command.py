"""``personvern pii scan``: the stored tables (counts only, resumable) and JSON lines."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from personvern.pii.models import Finding, ScanProgress
from personvern.register.models import Interaction
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("pii", "scan", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_scan_of_the_register_reports_counts_per_table_and_kind_never_values(fnr):
    # given interactions stored without the scan (e.g. before the scanner existed)
    person = PersonFactory()
    Interaction.objects.create(person=person, channel="email", summary=f"Fnr {fnr}")
    Interaction.objects.create(person=person, channel="email", summary="Hun er sykmeldt.")
    Interaction.objects.create(person=person, channel="email", summary="Kunden ringte.")
    # when the register is scanned
    output = run()
    # then the report counts per table and kind, and the findings are in the queue
    assert "register.interaction: 3 records scanned" in output
    assert "  health: 1 (new in this run: 1)" in output
    assert "  no_fnr: 1 (new in this run: 1)" in output
    assert "register.jobapplicationdocument: 0 records scanned" in output
    assert fnr not in output and "sykmeldt" not in output
    assert Finding.objects.count() == 2
    # and a second run finds the same, without doubling the queue
    run()
    assert Finding.objects.count() == 2


def test_a_stopped_scan_resumes_after_the_last_batch():
    person = PersonFactory()
    rows = [
        Interaction.objects.create(person=person, channel="email", summary="Han er homofil.")
        for _ in range(3)
    ]
    ScanProgress.objects.create(target="register.interaction", last_id=rows[1].pk, scanned=2)
    output = run("--table", "register.interaction")
    assert f"1 records scanned, resumed after id {rows[1].pk}" in output
    assert Finding.objects.get().object_id == str(rows[2].pk)
    assert run("--table", "register.interaction", "--restart").startswith(
        "register.interaction: 3 records scanned"
    )


def test_jsonl_in_and_out(tmp_path, fnr):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": 1, "text": f"fnr {fnr}"}) + "\n\n"
        + json.dumps({"id": "x", "text": "Ingen funn."}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    target = tmp_path / "out.jsonl"
    call_command("pii", "scan", "--jsonl", str(source), "--output", str(target))
    lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert lines == [
        {"id": 1, "findings": [{"start": 4, "end": 15, "kind": "no_fnr", "confidence": 0.99}]},
        {"id": "x", "findings": []},
    ]


def test_a_bad_line_names_its_number_not_its_content(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": 1, "text": "ok"}\n{"id": 2, "tekst": "Kari er syk"}\n')
    with pytest.raises(CommandError) as error:
        call_command("pii", "scan", "--jsonl", str(source), stdout=io.StringIO())
    assert "line 2" in str(error.value) and "Kari" not in str(error.value)
