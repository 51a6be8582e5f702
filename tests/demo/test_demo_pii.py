"""The demo holds identity numbers and special categories on purpose (``demo/pii.py``): a scan
of the whole demo finds exactly those, and nothing in the rest of the demo."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from personvern.demo.pii import EXPECTED
from personvern.pii.models import Finding

pytestmark = pytest.mark.django_db


def test_the_scan_of_the_demo_finds_exactly_the_seeded_examples(demo_output):
    # given the demo, whose seeded examples were found on write
    on_write = Counter(Finding.objects.values_list("target", "field", "kind"))
    assert on_write == EXPECTED
    # when everything stored is scanned again from the start
    out = io.StringIO()
    call_command("pii", "scan", "--restart", "--no-progress", stdout=out)
    # then the queue holds exactly the seeded examples, nothing else from the demo
    assert Counter(Finding.objects.values_list("target", "field", "kind")) == EXPECTED
    report = out.getvalue()
    assert "  no_fnr: 1" in report and "  no_dnr: 1" in report
