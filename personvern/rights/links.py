"""The portal's links in letters. Each carries the request's language (``?lang=``), so the
page a person opens from a Norwegian letter is in Norwegian whatever their browser asks for;
the token is the only other thing in the address (no reference, no e-mail address)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from personvern.core.config import portal_url

from .choices import Language
from .models import DataSubjectRequest


def portal_link(name: str, *, token: str, request: DataSubjectRequest) -> str:
    """The absolute address of the portal page ``name`` (verify, download, status)."""
    language = request.language if request.language in Language.values else Language.NB
    path = reverse(f"rights_portal:{name}", args=[token])
    return f"{portal_url()}{path}?{urlencode({'lang': language})}"
