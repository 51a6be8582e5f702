"""Staff searches out of web addresses: the search box posts, the words are held in the
session (one per list), the list is shown from there, and each search is audited.

Django's admin searches with ``GET ?q=``: an e-mail address typed into the people list would
be in the address bar, the browser's history, the proxy's and the server's access logs, and the
``Referer`` of the next page. Here the form posts (with the CSRF token), the address stays
``/admin/register/person/`` and links from the list (filters, pages, sorting) never carry the
words. An old link with ``?q=`` is moved into the session and redirected without it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django.contrib.admin import ModelAdmin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict

from personvern.core.actors import Actor

from .services import record_search

SESSION_KEY = "personvern_searches"
SEARCH_BUTTON = "_search"
CLEAR_BUTTON = "_clear_search"
MAX_LENGTH = 200


def held_search(request: HttpRequest, model: str) -> str:
    searches = request.session.get(SESSION_KEY, {})
    return str(searches.get(model, "")) if isinstance(searches, dict) else ""


class PrivateSearchChangeList(ChangeList):
    """A change list searching for the words held in the session, never in its links."""

    def get_queryset(self, request: HttpRequest, exclude_parameters: Any = None) -> Any:
        self.query = held_search(request, self.model._meta.label_lower)
        return super().get_queryset(request, exclude_parameters)

    def get_query_string(
        self, new_params: dict[str, Any] | None = None, remove: Iterable[str] | None = None
    ) -> str:
        return super().get_query_string(new_params, [*(remove or []), SEARCH_VAR])


class PrivateSearchMixin:
    """Mixed into every ``ModelAdmin`` with search fields by ``sites.PersonvernAdminSite``."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return PrivateSearchChangeList

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        admin = self._model_admin()
        if not admin.search_fields:
            return super().changelist_view(request, extra_context)  # type: ignore[misc,no-any-return]
        posted = request.method == "POST" and (
            SEARCH_BUTTON in request.POST or CLEAR_BUTTON in request.POST
        )
        if posted or SEARCH_VAR in request.GET:
            if not admin.has_view_or_change_permission(request):
                raise PermissionDenied
            if posted:
                term = "" if CLEAR_BUTTON in request.POST else request.POST.get(SEARCH_VAR, "")
            else:
                term = request.GET.get(SEARCH_VAR, "")
            self._hold(request, term)
            params: QueryDict = request.GET.copy()
            params.pop(SEARCH_VAR, None)
            query = params.urlencode()
            return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
        return super().changelist_view(request, extra_context)  # type: ignore[misc,no-any-return]

    def _model_admin(self) -> ModelAdmin[Any]:
        return cast(ModelAdmin[Any], self)

    def _hold(self, request: HttpRequest, term: str) -> None:
        admin = self._model_admin()
        model = admin.opts.label_lower
        term = " ".join(term.split())[:MAX_LENGTH]
        searches = request.session.get(SESSION_KEY, {})
        searches = dict(searches) if isinstance(searches, dict) else {}
        if term:
            searches[model] = term
            found, _may_have_duplicates = admin.get_search_results(
                request, admin.get_queryset(request), term
            )
            record_search(actor=Actor.from_request(request), model=model, results=found.count())
        else:
            searches.pop(model, None)
        request.session[SESSION_KEY] = searches


class PostAutocompleteView(AutocompleteJsonView):
    """The admin's autocomplete (a person or company typed into a form field) by POST only:
    ``static/admin/js/autocomplete.js`` posts the words with the CSRF token. Not audited: it
    runs on every key pressed, and shows only names the user may already list."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Django's view reads its parameters from the query string: hand it the form instead.
        request.GET = request.POST
        return super().get(request, *args, **kwargs)
