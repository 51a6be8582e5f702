"""The breach's page "who was affected, in the other systems" (staff UI, under the admin):
choose the tables of the SQL sources and the window (the breach's own by default), search,
and see per table how many people the register knows and how many only the source knows (by
kind of identity, never a value). The people found can be written to with the register's own
(Art. 34). Every search goes through ``services.search_sources``, which audits it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from personvern.connectors.choices import ConnectorErrorCode, IdentityKind
from personvern.connectors.tables import dataset_table, table_choices
from personvern.core.actors import Actor
from personvern.core.admin import add_domain_errors
from personvern.core.errors import DomainError
from personvern.register.models import Person

from . import services
from .choices import BreachRisk
from .models import Breach

if TYPE_CHECKING:
    from .admin import BreachAdmin

PERMISSION = "breaches.change_breach"


class SourcesForm(forms.Form):
    """One check box and date column per table of the sources in use, and the window."""

    began_at = forms.SplitDateTimeField(label=gettext_lazy("from"), widget=AdminSplitDateTime)
    ended_at = forms.SplitDateTimeField(label=gettext_lazy("to"), widget=AdminSplitDateTime)

    def __init__(self, *args: Any, breach: Breach, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        began, ended = services.default_window(breach)
        self.fields["began_at"].initial = timezone.localtime(began)
        self.fields["ended_at"].initial = timezone.localtime(ended)
        self.tables: list[tuple[str, str, str]] = []  # (dataset.table, box, column field)
        for n, (value, label) in enumerate(table_choices()):
            found = dataset_table(value)
            keep = found[1].erasure.date_column if found else None
            self.fields[f"table_{n}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"column_{n}"] = forms.CharField(
                label=gettext_lazy("date column"), required=False, max_length=63,
                initial=keep or "",
                widget=forms.TextInput(attrs={"aria-label": f"{label}: {_('date column')}"}),
            )  # fmt: skip
            self.tables.append((value, f"table_{n}", f"column_{n}"))

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[box], self[column]) for _value, box, column in self.tables]

    def chosen(self) -> list[tuple[str, str]]:
        """The ``(dataset.table, date column)`` pairs ticked (after ``is_valid``)."""
        data = self.cleaned_data
        return [(value, data[column].strip()) for value, box, column in self.tables if data[box]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for _value, box, column in self.tables:
            if data.get(box) and not (data.get(column) or "").strip():
                self.add_error(column, _("Name the date column of this table."))
        return data


@dataclass
class TableRow:
    label: str
    column: str
    in_register: int
    only_external: int
    by_kind: list[tuple[str, int]]
    failure: str


def failure_text(label: str, column: str, failure: str) -> str:
    """What staff read when a table could not be searched: the source named, the reason in
    words. The code's detail (the driver error's class) stays out of the page."""
    code = failure.partition(":")[0]
    if code == "unknown_external_table":
        return _("%(source)s is not a table of an SQL source in use.") % {"source": label}
    if code == ConnectorErrorCode.UNKNOWN_COLUMN:
        return _("%(source)s has no date column %(column)s.") % {"source": label, "column": column}
    if code == ConnectorErrorCode.NO_CREDENTIALS:
        return _("%(source)s could not be searched: its credentials are missing.") % {
            "source": label
        }
    return _(
        "%(source)s could not be reached, so it was not searched. Try again later, or ask "
        "the administrator to test the source's connection."
    ) % {"source": label}


def _rows(results: list[services.ExternalAffected]) -> list[TableRow]:
    labels = dict(table_choices())
    kinds = dict(IdentityKind.choices)
    rows = []
    for result in results:
        label = labels.get(result.source_table, result.source_table)
        by_kind = [
            (str(kinds.get(k, k)), n) for k, n in sorted(result.only_external_by_kind.items())
        ]
        failure = failure_text(label, result.date_column, result.failure) if result.failure else ""
        rows.append(TableRow(label, result.date_column, len(result.people), result.only_external,
                             by_kind, failure))  # fmt: skip
    return rows


def sources_view(model_admin: BreachAdmin, request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form; POST: the search (and, with ``letters``, the letters to everyone found
    here and by the register's search). The identities never leave the server."""
    if not model_admin.has_change_permission(request) or not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    breach = get_object_or_404(Breach, pk=pk)
    form = SourcesForm(request.POST or None, breach=breach)
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "original": breach,
        "title": _("People affected, in the other systems"),
        "form": form,
        "rows": None,
        "can_write_letters": breach.risk == BreachRisk.HIGH,
        "media": model_admin.media + form.media,
    }
    if request.method == "POST" and form.is_valid():
        actor = Actor.from_request(request)
        try:
            results = services.search_sources(
                actor=actor, breach=breach, tables=form.chosen(),
                began_at=form.cleaned_data["began_at"], ended_at=form.cleaned_data["ended_at"],
            )  # fmt: skip
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            if "letters" in request.POST:
                return _write_letters(model_admin, request, actor, breach, results)
            people: list[Person] = services.merge_people([], results)
            register = services.affected_by(breach)
            context.update(
                rows=_rows(results),
                people=people,
                register_count=len(register),
                together=len(services.merge_people(register, results)),
            )
    return TemplateResponse(request, "breaches/sources.html", context)


def _write_letters(
    model_admin: BreachAdmin,
    request: HttpRequest,
    actor: Actor,
    breach: Breach,
    results: list[services.ExternalAffected],
) -> HttpResponse:
    """The register's people and those the sources found, each once, as the letters action."""
    people = services.merge_people(services.affected_by(breach), results)
    try:
        written = services.write_letters(actor=actor, breach=breach, people=people)
    except DomainError as exc:
        model_admin.message_user(request, str(exc.message), messages.ERROR)
    else:
        model_admin.message_user(request, _("%(n)s letters written") % {"n": len(written)})
    return HttpResponseRedirect(reverse("admin:breaches_breach_change", args=[breach.pk]))
