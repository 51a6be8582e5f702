"""The staff UI on the website's side: the cookie register (with the lifetime flag and
policy publishing), the IP log and its masked statistics (read-only, reading is audited), the
blocklist with its review list, and the published privacy notices with diffs."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, cast

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.consent.choices import TextKind
from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin, ServiceAdmin
from personvern.core.errors import DomainError
from personvern.core.translated import missing_display

from . import selectors, services
from .choices import NOTICE_LANGUAGES, PRIVACY_NOTICE_SLUG, NoticeFormat
from .models import BlockEntry, Cookie, IpLogEntry, IpStatistic, PublishedNotice
from .notice.render import render_notice
from .services.cookies import COOKIE_FIELDS, current_policy
from .services.notice import latest_notice


@admin.register(Cookie)
class CookieAdmin(ServiceAdmin[Cookie]):
    list_display = (
        "name",
        "category",
        "provider",
        "lifetime",
        "domain",
        "path",
        "purpose",
        "english_missing",
    )
    list_filter = ("category",)
    search_fields = ("name", "provider")
    fields = COOKIE_FIELDS

    @admin.display(description=_("shown in bokmål to English readers"))
    def english_missing(self, obj: Cookie) -> str:
        """The fallback flagged: the purpose English readers see in bokmål until translated."""
        return missing_display(obj, "en") or "—"

    change_list_template = "admin/website/cookie/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cookie]:
        return selectors.cookies_with_flag()

    @admin.display(description=_("lifetime (days)"), ordering="lifetime_days")
    def lifetime(self, obj: Cookie) -> str:
        if getattr(obj, "exceeds_limit", False):
            return format_html(
                '<strong style="color:#ba2121">⚠ {} ({})</strong>',
                obj.lifetime_days,
                _("longer than the organisation's limit"),
            )
        return str(obj.lifetime_days)

    def validate(self, obj: Cookie | None, values: Mapping[str, Any]) -> None:
        if obj is None:
            services.clean_cookie(services.CookieValues(**values))
        else:
            services.clean_cookie(replace(services.CookieValues.of(obj), **values))

    def create(self, *, actor: Actor, values: dict[str, Any]) -> Cookie:
        return services.create_cookie(actor=actor, values=services.CookieValues(**values))

    def update(self, *, actor: Actor, obj: Cookie, changes: dict[str, Any]) -> Cookie:
        # The form's fields are the cookie's: the service refuses any other name at run time.
        return services.update_cookie(
            actor=actor, cookie=obj, changes=cast(services.CookieChanges, changes)
        )

    def remove(self, *, actor: Actor, obj: Cookie) -> None:
        services.delete_cookie(actor=actor, cookie=obj)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "publish-policy/",
                self.admin_site.admin_view(self.publish_policy_view),
                name="website_cookie_publish_policy",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        policy = current_policy()
        context = {
            "policy_version": policy.version if policy else None,
            "lifetime_limit": selectors.lifetime_limit(),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def publish_policy_view(self, request: HttpRequest) -> HttpResponse:
        """GET asks for confirmation; POST publishes (the banner then asks every visitor)."""
        if not request.user.has_perm("website.add_cookie"):
            raise PermissionDenied
        if request.method == "POST":
            texts = services.publish_cookie_policy(actor=Actor.from_request(request))
            self.message_user(
                request,
                _("Cookie policy version %(v)s published.") % {"v": texts[0].version},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:website_cookie_changelist"))
        policy = current_policy()
        return TemplateResponse(
            request,
            "admin/website/confirm.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Publish the cookie policy"),
                "question": _(
                    "Publish a new cookie policy version from the register? The banner "
                    "will ask every visitor again."
                ),
                "current": policy.version if policy else None,
            },
        )


@admin.register(IpLogEntry)
class IpLogEntryAdmin(ReadOnlyAdmin[IpLogEntry]):
    list_display = ("at", "ip_address", "method", "path", "status", "source", "person")
    list_filter = ("source", "method", "status", ("at", admin.DateFieldListFilter))
    search_fields = ("=ip_address", "path")
    list_select_related = ("person",)
    date_hierarchy = "at"

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if self.has_view_permission(request):
            record(
                actor=Actor.from_request(request),
                event=AuditEventType.IP_LOG_VIEWED,
                object_type=IpLogEntry._meta.label_lower,
                detail={"via": "admin"},
            )
        return super().changelist_view(request, extra_context)


@admin.register(IpStatistic)
class IpStatisticAdmin(ReadOnlyAdmin[IpStatistic]):
    list_display = ("day", "masked_ip", "source", "requests")
    list_filter = ("source", ("day", admin.DateFieldListFilter))


class ReviewFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("active", _("Active")), ("due", _("Due for review")), ("lifted", _("Lifted"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "active":
            return queryset.filter(lifted_at__isnull=True)
        if self.value() == "due":
            return queryset.filter(lifted_at__isnull=True, review_on__lte=timezone.localdate())
        if self.value() == "lifted":
            return queryset.filter(lifted_at__isnull=False)
        return queryset


@admin.register(BlockEntry)
class BlockEntryAdmin(ServiceAdmin[BlockEntry]):
    """Blocks are added here, reviewed by setting the next review date, and lifted by giving
    a reason; they are never deleted."""

    list_display = ("network", "created_at", "created_by_label", "review_on", "due", "lifted_at")
    list_filter = (ReviewFilter,)
    search_fields = ("network", "reason")

    @admin.display(description=_("due for review"), boolean=True)
    def due(self, obj: BlockEntry) -> bool:
        return obj.lifted_at is None and obj.review_on <= timezone.localdate()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return ["network", "reason", "review_on"]
        return [
            "network",
            "reason",
            "created_by_label",
            "created_at",
            "review_on",
            "lifted_at",
            "lifted_by_label",
            "lift_reason",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        fixed = [
            "network",
            "reason",
            "created_by_label",
            "created_at",
            "lifted_at",
            "lifted_by_label",
        ]
        return [*fixed, "review_on", "lift_reason"] if obj.lifted_at else fixed

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def validate(self, obj: BlockEntry | None, values: Mapping[str, Any]) -> None:
        if obj is None and values.get("network"):
            services.parse_network(str(values["network"]))

    def create(self, *, actor: Actor, values: dict[str, Any]) -> BlockEntry:
        return services.block_address(
            actor=actor,
            network=values["network"],
            reason=values.get("reason", ""),
            review_on=values["review_on"],
        )

    def update(self, *, actor: Actor, obj: BlockEntry, changes: dict[str, Any]) -> BlockEntry:
        if "review_on" in changes:
            obj = services.review_block(actor=actor, entry=obj, next_review_on=changes["review_on"])
        if changes.get("lift_reason"):
            if not actor.has_perm("website.lift_blockentry"):
                raise PermissionDenied
            obj = services.lift_block(actor=actor, entry=obj, reason=changes["lift_reason"])
        return obj


@admin.register(PublishedNotice)
class PublishedNoticeAdmin(ReadOnlyAdmin[PublishedNotice]):
    list_display = ("title", "language", "version", "effective_from", "short_hash", "compare")
    list_filter = ("language",)
    fields = ("title", "language", "version", "effective_from", "sha256", "text")
    readonly_fields = fields
    change_list_template = "admin/website/publishednotice/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[PublishedNotice]:
        return PublishedNotice.objects.filter(
            kind=TextKind.PRIVACY_NOTICE, slug=PRIVACY_NOTICE_SLUG
        )

    @admin.display(description=_("SHA-256"))
    def short_hash(self, obj: PublishedNotice) -> str:
        return f"{obj.sha256[:12]}…"

    @admin.display(description=_("changes"))
    def compare(self, obj: PublishedNotice) -> str:
        if obj.version <= 1:
            return "-"
        url = reverse("admin:website_notice_diff", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("compare with the previous version"))

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/diff/",
                self.admin_site.admin_view(self.diff_view),
                name="website_notice_diff",
            ),
            path(
                "publish/",
                self.admin_site.admin_view(self.publish_view),
                name="website_notice_publish",
            ),
            *super().get_urls(),
        ]

    def _diff_page(
        self,
        request: HttpRequest,
        title: str,
        old: tuple[str, str],
        new: tuple[str, str],
        **extra: Any,
    ) -> TemplateResponse:
        table = difflib.HtmlDiff(wrapcolumn=70).make_table(
            old[1].splitlines(), new[1].splitlines(), old[0], new[0], context=True, numlines=2
        )
        return TemplateResponse(
            request,
            "admin/website/publishednotice/diff.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": title,
                "table": mark_safe(table),  # noqa: S308 - HtmlDiff escapes the texts it compares
                "unchanged": old[1] == new[1],
                **extra,
            },
        )

    def diff_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """A published version against the one before it (or ``?against=<id>``)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        new = get_object_or_404(self.get_queryset(request), pk=pk)
        against = request.GET.get("against", "")
        previous = self.get_queryset(request).filter(language=new.language)
        old = (
            get_object_or_404(previous, pk=int(against))
            if against.isdigit()
            else (previous.filter(version__lt=new.version).order_by("-version").first())
        )
        if old is None:
            return HttpResponseRedirect(
                reverse("admin:website_publishednotice_change", args=[new.pk])
            )
        return self._diff_page(
            request,
            str(_("Changes in the privacy notice")),
            (f"v{old.version}", old.text),
            (f"v{new.version}", new.text),
        )

    def publish_view(self, request: HttpRequest) -> HttpResponse:
        """GET shows what would change against the latest version; POST publishes."""
        if not request.user.has_perm("website.add_publishednotice"):
            raise PermissionDenied
        if request.method == "POST":
            try:
                published = services.publish_privacy_notice(actor=Actor.from_request(request))
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Published: %(list)s.")
                    % {"list": ", ".join(f"{t.language} v{t.version}" for t in published) or "-"},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(reverse("admin:website_publishednotice_changelist"))
        language = request.GET.get("lang", "nb")
        language = language if language in NOTICE_LANGUAGES else "nb"
        try:
            current = render_notice(language=language, fmt=NoticeFormat.MARKDOWN)
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:website_publishednotice_changelist"))
        latest = latest_notice(language)
        old = (f"v{latest.version}", latest.text) if latest else ("-", "")
        return self._diff_page(
            request,
            str(_("Publish the privacy notice")),
            old,
            (str(_("now")), current),
            publish=True,
            language=language,
        )
