from __future__ import annotations

import random

import pytest

from personvern.pii.synthetic import fodselsnummer_for


@pytest.fixture
def fnr() -> str:
    return fodselsnummer_for(random.Random(7))
