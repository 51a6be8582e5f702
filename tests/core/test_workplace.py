"""The home page's registry: providers' items come back most urgent first."""

from __future__ import annotations

from personvern.core import workplace
from personvern.core.workplace import Urgency, WorkplaceItem


def _item(key: str, urgency: Urgency) -> WorkplaceItem:
    return WorkplaceItem(key=key, section="S", label=key, count=1, url="/x/", urgency=urgency)


def test_items_from_every_provider_most_urgent_first(monkeypatch):
    # given two providers, one with an overdue item
    monkeypatch.setattr(workplace, "PROVIDERS", {})
    workplace.register_workplace_provider("a", lambda user: [_item("a.info", Urgency.INFO)])
    workplace.register_workplace_provider("b", lambda user: [_item("b.late", Urgency.OVERDUE)])
    # when asked for a user's items, then both, the overdue one first
    assert [i.key for i in workplace.workplace_items(object())] == ["b.late", "a.info"]
