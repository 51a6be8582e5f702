"""Staff edit a dataset as YAML; saving goes through ``services.import_yaml``, which checks it
against the database and stores it as a new version (audited). The YAML shown is the export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.admin import ReadOnlyAdmin, ServiceAdmin, add_domain_errors
from personvern.core.errors import DomainError

from . import services, sql
from .choices import ConnectorErrorCode
from .http import HttpSourceSpec, parse_http
from .identities import Identity
from .models import ErasureStep, HttpSource, SqlDataset, SqlDatasetVersion
from .selectors import dataset_yaml
from .spec import from_yaml


class DatasetForm(forms.ModelForm[SqlDataset]):
    yaml = forms.CharField(
        label=_("Dataset (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
        help_text=_(
            "Tables, identity columns, parents, data categories and erasure rules; see "
            "docs/sources.md. Checked against the database when saved."
        ),
    )

    class Meta:
        model = SqlDataset
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields["yaml"].initial = dataset_yaml(self.instance)


class LookupForm(forms.Form):
    email = forms.CharField(label=_("E-mail address"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone number"), required=False, max_length=40)
    national_id = forms.CharField(
        label=_("National identity number"), required=False, max_length=20
    )
    customer_number = forms.CharField(label=_("Customer number"), required=False, max_length=60)


@admin.register(SqlDataset)
class SqlDatasetAdmin(ServiceAdmin[SqlDataset]):
    form = DatasetForm
    list_display = ("key", "name", "version", "enabled", "updated_at")
    readonly_fields = ("key", "version", "enabled", "updated_at")
    actions = ("test_connection", "put_in_use", "take_out_of_use")

    def get_urls(self) -> list[URLPattern]:
        lookup = path(
            "lookup/",
            self.admin_site.admin_view(self.lookup_view),
            name="connectors_sqldataset_lookup",
        )
        return [lookup, *super().get_urls()]

    def lookup_view(self, request: HttpRequest) -> HttpResponse:
        """What the sources hold on an identity (POST only: the identity never sits in a URL)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = LookupForm(request.POST or None)
        holdings = None
        if request.method == "POST" and form.is_valid():
            try:
                holdings = services.lookup_identity(
                    actor=Actor.from_request(request), identity=Identity(**form.cleaned_data)
                )
            except DomainError as exc:
                add_domain_errors(form, exc)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("What do we hold on this identity?"),
            "form": form,
            "holdings": holdings,
        }
        return TemplateResponse(request, "admin/connectors/lookup.html", context)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["yaml"] if obj is None else ["key", "version", "enabled", "updated_at", "yaml"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # taken out of use instead: past requests name it

    def validate(self, obj: SqlDataset | None, values: Mapping[str, Any]) -> None:
        if "yaml" not in values:
            return
        spec = from_yaml(values["yaml"])
        if obj is not None and spec.key != obj.key:
            raise DomainError(
                code=ConnectorErrorCode.INVALID_DATASET,
                message=_("The key of a saved dataset cannot change."),
                field="yaml",
            )
        services.check_dataset(spec)

    def create(self, *, actor: Actor, values: dict[str, Any]) -> SqlDataset:
        return services.import_yaml(actor=actor, text=values["yaml"])

    def update(self, *, actor: Actor, obj: SqlDataset, changes: dict[str, Any]) -> SqlDataset:
        if "yaml" not in changes:
            return obj
        return services.import_yaml(actor=actor, text=changes["yaml"])

    @admin.action(description=_("Test the connection and the tables"))
    def test_connection(self, request: HttpRequest, queryset: QuerySet[SqlDataset]) -> None:
        for dataset in queryset:
            try:
                services.check_dataset(dataset.dataset)
            except DomainError as exc:
                problems = "; ".join(str(e.message) for e in exc.errors) or str(exc.message)
                self.message_user(request, f"{dataset.key}: {problems}", messages.ERROR)
            except sql.SourceUnavailable as exc:
                self.message_user(request, f"{dataset.key}: {exc.reason}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(key)s: connected; every table and column exists.") % {"key": dataset.key},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Put in use"))
    def put_in_use(self, request: HttpRequest, queryset: QuerySet[SqlDataset]) -> None:
        for dataset in queryset:
            services.set_enabled(actor=Actor.from_request(request), dataset=dataset, enabled=True)

    @admin.action(description=_("Take out of use"))
    def take_out_of_use(self, request: HttpRequest, queryset: QuerySet[SqlDataset]) -> None:
        for dataset in queryset:
            services.set_enabled(actor=Actor.from_request(request), dataset=dataset, enabled=False)


@admin.register(SqlDatasetVersion)
class SqlDatasetVersionAdmin(ReadOnlyAdmin[SqlDatasetVersion]):
    list_display = ("dataset", "version", "saved_at", "saved_by")


@admin.register(ErasureStep)
class ErasureStepAdmin(ReadOnlyAdmin[ErasureStep]):
    list_display = ("job", "dataset", "table", "action", "count", "keep_until", "recorded_at")


class HttpSourceForm(forms.ModelForm[HttpSource]):
    yaml = forms.CharField(
        label=_("HTTP source (YAML)"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100, "spellcheck": "false"}),
        help_text=_(
            "Base address, token variable, the find, erase and restrict calls; see docs/sources.md."
        ),
    )

    class Meta:
        model = HttpSource
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.fields["yaml"].initial = yaml.safe_dump(
                self.instance.spec, sort_keys=False, allow_unicode=True
            )


def _http_spec(text: str) -> HttpSourceSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise DomainError(
            code=ConnectorErrorCode.INVALID_YAML,
            message=_("The text is not valid YAML."),
            field="yaml",
        ) from None
    return parse_http(data)


@admin.register(HttpSource)
class HttpSourceAdmin(ServiceAdmin[HttpSource]):
    form = HttpSourceForm
    list_display = ("key", "name", "version", "enabled", "updated_at")
    readonly_fields = ("key", "version", "enabled", "updated_at")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["yaml"] if obj is None else ["key", "version", "enabled", "updated_at", "yaml"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def validate(self, obj: HttpSource | None, values: Mapping[str, Any]) -> None:
        if "yaml" in values:
            spec = _http_spec(values["yaml"])
            if obj is not None and spec.key != obj.key:
                raise DomainError(
                    code=ConnectorErrorCode.INVALID_DATASET,
                    message=_("The key of a saved source cannot change."),
                    field="yaml",
                )

    def create(self, *, actor: Actor, values: dict[str, Any]) -> HttpSource:
        return services.save_http_source(actor=actor, spec=_http_spec(values["yaml"]))

    def update(self, *, actor: Actor, obj: HttpSource, changes: dict[str, Any]) -> HttpSource:
        if "yaml" not in changes:
            return obj
        return services.save_http_source(actor=actor, spec=_http_spec(changes["yaml"]))
