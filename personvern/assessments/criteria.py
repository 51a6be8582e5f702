"""The screening's two lists, read from data files that name their sources: the nine criteria
of the EDPB-endorsed WP248 rev.01 guidelines and Datatilsynet's list of processing that always
needs an impact assessment (Art. 35(4)). The rule (Art. 35(1), WP248 rev.01 p. 11): two or
more criteria, or one listed kind, and the activity needs a DPIA."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
CRITERIA_NEEDED = 2


@dataclass(frozen=True)
class Source:
    source: str
    url: str
    rule: str
    items: dict[str, str]  # key -> label


def _load(name: str, key: str) -> Source:
    document: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return Source(
        source=document["source"],
        url=document["url"],
        rule=document["rule"],
        items={item["key"]: item["label"] for item in document[key]},
    )


@cache
def wp248() -> Source:
    return _load("wp248_criteria.json", "criteria")


@cache
def datatilsynet_list() -> Source:
    return _load("datatilsynet_list.json", "kinds")


def needs_dpia(criteria: list[str], listed: list[str]) -> bool:
    return len(set(criteria)) >= CRITERIA_NEEDED or bool(listed)
