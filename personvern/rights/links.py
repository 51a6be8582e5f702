"""The portal's links in letters. Each carries the request's language (``?lang=``), so the
page a person opens from a Norwegian letter is in Norwegian whatever their browser asks for;
the token is the only other thing in the address (no reference, no e-mail address)."""

from __future__ import annotations

from urllib.parse import urlencode

from personvern.core.config import portal_url

from . import config, tokens
from .choices import Language, TokenPurpose
from .models import DataSubjectRequest
from .portal_routes import token_path


def portal_link(name: str, *, token: str, request: DataSubjectRequest) -> str:
    """The absolute address of the portal page ``name`` (verify, download, status); built
    without ``reverse()``, so a worker writing a letter does not import every view
    (``portal_routes``)."""
    language = request.language if request.language in Language.values else Language.NB
    return f"{portal_url()}{token_path(name, token)}?{urlencode({'lang': language})}"


def new_status_link(request: DataSubjectRequest) -> str:
    """A new status link for a letter (only the token's digest is stored, so an earlier link
    cannot be written again); it shows the request's state for ``status_link_days``."""
    token = tokens.issue(
        request=request, purpose=TokenPurpose.STATUS, hours=24 * config.status_link_days()
    )
    return portal_link("status", token=token, request=request)
