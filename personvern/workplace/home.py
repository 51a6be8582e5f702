"""The staff home page's content for one staff member: what to do today (the items every app
registers through ``core.workplace``) and the charts their role may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from personvern.consent.choices import ConsentAction
from personvern.core.workplace import Urgency, WorkplaceItem, workplace_items
from personvern.retention.choices import RetentionAction
from personvern.rights.choices import RequestStatus, RequestType

from . import selectors
from .charts import Chart, Series, render


@dataclass(frozen=True)
class Section:
    title: str
    items: list[WorkplaceItem]

    @property
    def urgency(self) -> Urgency:
        return max((item.urgency for item in self.items), default=Urgency.INFO)


@dataclass(frozen=True)
class RenderedChart:
    key: str
    title: str
    svg: SafeString
    # The figures as a table too: for screen readers, and for anyone who would rather read.
    labels: list[str]
    series: list[Series]


def sections(user: Any) -> list[Section]:
    """The items grouped under their headings, the section with the most urgent first."""
    grouped: dict[str, list[WorkplaceItem]] = {}
    for item in workplace_items(user):
        grouped.setdefault(str(item.section), []).append(item)
    result = [Section(title=title, items=items) for title, items in grouped.items()]
    return sorted(result, key=lambda section: -section.urgency)


def _label(month: datetime.date) -> str:
    return formats.date_format(month, "M y")


def _series(
    counts: dict[str, list[float | None]], names: dict[str, str], window: list[datetime.date]
) -> list[Series]:
    """One series per name in ``names`` order (zeros where nothing was counted)."""
    return [
        Series(label=label, values=counts.get(value, [0.0] * len(window)))
        for value, label in names.items()
    ]


def _drawn(chart: Chart) -> RenderedChart:
    return RenderedChart(
        key=chart.key,
        title=chart.title,
        svg=mark_safe(render(chart)),  # noqa: S308 - render() escapes every text it writes
        labels=chart.labels,
        series=chart.series,
    )


def charts(user: Any, *, today: datetime.date | None = None) -> list[RenderedChart]:
    """The charts ``user``'s permissions cover, over the last twelve months."""
    window = selectors.months(today or timezone.localdate())
    labels = [_label(month) for month in window]
    empty = _("Nothing in these months yet.")
    drawn: list[Chart] = []
    if user.has_perm("rights.view_datasubjectrequest"):
        types = {value: str(label).split(" (")[0] for value, label in RequestType.choices}
        drawn.append(
            Chart(
                key="requests-by-type",
                title=_("Requests received per month, by right"),
                description=_("Stacked bars: requests received each month, one colour per right."),
                labels=labels,
                series=_series(selectors.requests_by_type(window), types, window),
                empty_text=empty,
            )
        )
        outcomes = {
            selectors.OPEN: _("Open"),
            RequestStatus.DONE.value: _("Done"),
            RequestStatus.REFUSED.value: _("Refused"),
            RequestStatus.LAPSED.value: _("Lapsed"),
        }
        drawn.append(
            Chart(
                key="requests-by-outcome",
                title=_("Requests received per month, by outcome"),
                description=_("Stacked bars: where the requests received each month stand now."),
                labels=labels,
                series=_series(selectors.requests_by_outcome(window), outcomes, window),
                empty_text=empty,
            )
        )
        times = selectors.answer_times(window)
        drawn.append(
            Chart(
                key="answer-times",
                title=_("Days to spare when answering (deadline = 0)"),
                description=_(
                    "Lines: per month answered, the median and the worst number of days left "
                    "before the deadline when the answer was given; below zero is late."
                ),
                labels=labels,
                kind="lines",
                unit=_(" days"),
                series=[Series(_("Median"), times.median), Series(_("Worst"), times.worst)],
                reference=0,
                reference_label=_("Deadline"),
                empty_text=empty,
            )
        )
    if user.has_perm("consent.view_consentevent"):
        actions = {
            ConsentAction.GRANTED.value: _("Given"),
            ConsentAction.WITHDRAWN.value: _("Withdrawn"),
        }
        for n, (purpose, counts) in enumerate(selectors.consents_by_purpose(window).items()):
            drawn.append(
                Chart(
                    key=f"consents-{n}",
                    title=_("Consents: %(purpose)s") % {"purpose": purpose},
                    description=_("Stacked bars: consents given and withdrawn per month."),
                    labels=labels,
                    series=_series(counts, actions, window),
                    empty_text=empty,
                )
            )
        banner = selectors.banner_decisions(window)
        granted = banner.get(ConsentAction.GRANTED.value, [0.0] * len(window))
        refused = banner.get(ConsentAction.REFUSED.value, [0.0] * len(window))
        rates = [_rates(g or 0, r or 0) for g, r in zip(granted, refused, strict=True)]
        drawn.append(
            Chart(
                key="banner-rates",
                title=_("Cookie banner: share accepted and refused (%)"),
                description=_(
                    "Lines: of the banner's decisions each month, the percentage "
                    "accepted and refused."
                ),
                labels=labels,
                kind="lines",
                unit="%",
                series=[
                    Series(_("Accepted"), [a for a, _r in rates]),
                    Series(_("Refused"), [r for _a, r in rates]),
                ],
                empty_text=empty,
            )
        )
    if user.has_perm("retention.view_sweeprun"):
        removed = {
            RetentionAction.DELETE.value: _("Deleted"),
            RetentionAction.ANONYMISE.value: _("Anonymised"),
        }
        drawn.append(
            Chart(
                key="retention",
                title=_("Records deleted and anonymised by retention per month"),
                description=_("Stacked bars: what the retention sweep removed each month."),
                labels=labels,
                series=_series(selectors.retention_removals(window), removed, window),
                empty_text=empty,
            )
        )
    return [_drawn(chart) for chart in drawn]


def _rates(granted: float, refused: float) -> tuple[float | None, float | None]:
    total = granted + refused
    if not total:
        return None, None
    accepted = round(100 * granted / total, 1)
    return accepted, round(100 - accepted, 1)
