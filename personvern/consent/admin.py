from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin, ReadOnlyInline, ServiceAdmin, add_domain_errors
from personvern.core.csp import style_hashes
from personvern.core.errors import DomainError
from personvern.register.admin import PersonSection
from personvern.register.models import Person
from personvern.register.services import log_person_viewed

from . import services
from .choices import ContactReason
from .forms import CampaignCheckForm
from .models import (
    ConsentEvent,
    ConsentState,
    ConsentText,
    ReservationImport,
    SuppressionEntry,
    TelemarketingReservation,
)
from .permissions import bulk_check
from .proof import EVIDENCE_LABELS, build_proof, evidence_rows, render_proof_html


@admin.register(ConsentText)
class ConsentTextAdmin(ServiceAdmin[ConsentText]):
    """Publishing makes a new version; a published text is never edited."""

    list_display = ("slug", "version", "language", "kind", "title", "effective_from")
    list_filter = ("kind", "language")
    search_fields = ("slug", "title")
    fields = ("kind", "slug", "language", "title", "text", "effective_from")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj else super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def create(self, *, actor: Actor, values: dict[str, Any]) -> ConsentText:
        return services.publish_text(actor=actor, **values)


@admin.register(ConsentEvent)
class ConsentEventAdmin(ReadOnlyAdmin[ConsentEvent]):
    list_display = ("sequence", "occurred_at", "person_id", "purpose", "channel", "action",
                    "method", "actor_label")  # fmt: skip
    list_filter = ("action", "method", "channel", "purpose")
    search_fields = ("=sequence", "=hash", "=person__id")
    list_select_related = ("purpose",)
    # The person by id only: their name is shown on the audited consent history page.
    fields = ("sequence", "occurred_at", "person_id", "visitor_id", "purpose", "channel",
              "action", "method", "text", "evidence_display", "actor_label", "prev_hash",
              "hash")  # fmt: skip

    @admin.display(description=_("evidence"))
    def evidence_display(self, obj: ConsentEvent) -> str:
        """The evidence with its keys in the staff member's language."""
        rows = evidence_rows(obj.evidence or {})
        notice = (obj.evidence or {}).get("privacy_notice")
        if notice:
            rows.append((str(EVIDENCE_LABELS["privacy_notice"]), notice.get("version")))
        return "; ".join(f"{label}: {value}" for label, value in rows) or "—"

    def get_urls(self) -> list[URLPattern]:
        return [
            path("person/<int:person_id>/", self.admin_site.admin_view(self.person_history_view),
                 name="consent_person_history"),
            *super().get_urls(),
        ]  # fmt: skip

    def person_history_view(self, request: HttpRequest, person_id: int) -> HttpResponse:
        """A person's consents with their full history and the exact texts (audited)."""
        if not request.user.has_perm("consent.view_consentevent"):
            raise PermissionDenied
        person = get_object_or_404(Person, pk=person_id)
        log_person_viewed(actor=Actor.from_request(request), person=person, via="admin:consent")
        language = "en" if request.LANGUAGE_CODE == "en" else "nb"
        proof = build_proof(person)
        proof_html = render_proof_html(proof, language=language)
        response = TemplateResponse(
            request,
            "admin/consent/person_history.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Consent history"),
                "person": person,
                "proof_html": proof_html,
                "states": ConsentState.objects.filter(person=person).select_related("purpose"),
            },
        )
        # The proof is a standalone document (also handed out as a file) with its own style
        # element; the iframe inherits the page's Content-Security-Policy, which allows exactly
        # that style element by its hash and nothing else inline (django-csp's per-response
        # update).
        response._csp_update = {"style-src": style_hashes(proof_html)}  # type: ignore[attr-defined]
        return response


class ConsentStateInline(ReadOnlyInline):
    """The person's current consents, on the person's page."""

    model = ConsentState
    fields = ("purpose", "channel", "action", "changed_at")
    readonly_fields = fields
    show_change_link = False
    verbose_name_plural = _("current consents")


def consent_history_link(person: Person) -> str:
    url = reverse("admin:consent_person_history", args=[person.pk])
    return format_html('<a href="{}">{}</a>', url, _("Consent history with the exact texts"))


@admin.display(description=_("consent"))
def consent_history(obj: Person) -> str:
    return consent_history_link(obj) if obj.pk else "-"


# The person's page in the register shows their consents (registered in ``apps.py``).
PERSON_SECTION = PersonSection(
    name="consent",
    title=_("Consent"),
    inline=ConsentStateInline,
    field=consent_history,
)


@admin.register(ConsentState)
class ConsentStateAdmin(ReadOnlyAdmin[ConsentState]):
    # People by id, not by name: who consented to what is personal data, and listing it is not
    # audited per person (a person's consent history page is).
    list_display = ("person_id", "purpose", "channel", "action", "changed_at")
    list_filter = ("action", "channel", "purpose")
    list_select_related = ("purpose",)
    fields = ("person_id", "visitor_id", "purpose", "channel", "action", "event", "changed_at")
    change_list_template = "admin/consent/consentstate/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        return [
            path("campaign-check/", self.admin_site.admin_view(self.campaign_view),
                 name="consent_campaign_check"),
            *super().get_urls(),
        ]  # fmt: skip

    def campaign_view(self, request: HttpRequest) -> HttpResponse:
        """Paste or upload a campaign list: who may be contacted, and why not the rest."""
        if not request.user.has_perm("consent.check_contact"):
            raise PermissionDenied
        form = CampaignCheckForm(request.POST or None, request.FILES or None)
        context: dict[str, Any] = {**self.admin_site.each_context(request),
                                   "title": _("Campaign check"), "form": form}  # fmt: skip
        if request.method == "POST" and form.is_valid():
            addresses = form.cleaned_data["address_list"]
            channel, purpose = form.cleaned_data["channel"], form.cleaned_data["purpose"]
            try:
                results = bulk_check(addresses=addresses, channel=channel, purpose=purpose)
            except DomainError as exc:
                add_domain_errors(form, exc)
            else:
                services.log_campaign_check(
                    actor=Actor.from_request(request), addresses=len(results), purpose=purpose,
                    channel=channel, subject_ids=(pid for r in results for pid in r.person_ids),
                    via="admin:campaign-check",
                )  # fmt: skip
                labels = dict(ContactReason.choices)
                context["summary"] = [
                    (labels[reason], count)
                    for reason, count in Counter(r.reason for r in results).most_common()
                ]
                context["allowed"] = sum(1 for r in results if r.allowed)
                context["rows"] = [(addresses[r.index], r.allowed, labels[r.reason])
                                   for r in results]  # fmt: skip
        return TemplateResponse(request, "admin/consent/campaign_check.html", context)


@admin.register(SuppressionEntry)
class SuppressionEntryAdmin(ReadOnlyAdmin[SuppressionEntry]):
    list_display = ("kind", "reason", "created_at")
    list_filter = ("kind", "reason")


@admin.register(ReservationImport)
class ReservationImportAdmin(ReadOnlyAdmin[ReservationImport]):
    """When Reservasjonsregisteret was last imported: a phone campaign needs this month's."""

    list_display = ("imported_at", "numbers", "added", "removed", "actor_label")


@admin.register(TelemarketingReservation)
class TelemarketingReservationAdmin(ReadOnlyAdmin[TelemarketingReservation]):
    list_display = ("source", "registered_at")
    list_filter = ("source",)
