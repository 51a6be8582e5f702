"""Personvern's admin site: the staff home page by role, a "View site" that leads somewhere,
and every list's search kept out of the address (``search.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import home
from .search import PostAutocompleteView, PrivateSearchMixin


class PersonvernAdminSite(admin.AdminSite):
    site_header = "Personvern"
    site_title = "Personvern"
    index_title = _("What to do today")
    index_template = "workplace/home.html"
    # "View site": the public face of Personvern is the self-service portal (``/`` is no page).
    site_url = "/portal/"

    def register(
        self,
        model_or_iterable: type[Model] | Iterable[type[Model]],
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        """Every model admin with search fields searches by POST, audited (``search.py``)."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, PrivateSearchMixin):
            admin_class = type(
                admin_class.__name__,
                (PrivateSearchMixin, admin_class),
                {
                    "__module__": admin_class.__module__,
                    "__doc__": admin_class.__doc__,
                },
            )
        super().register(model_or_iterable, admin_class, **options)

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        return cast(HttpResponse, PostAutocompleteView.as_view(admin_site=self)(request))

    def index(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> TemplateResponse:
        context = {
            "sections": home.sections(request.user),
            "charts": home.charts(request.user),
            **(extra_context or {}),
        }
        return super().index(request, context)
