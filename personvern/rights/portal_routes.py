"""The portal's addresses that letters link to (a token in the path), apart from its views.

A letter is written by the background worker, which otherwise never serves a page: building
the link with ``reverse()`` would import the whole URL configuration (every view, admin and
API schema; about 13 MiB of the worker's peak) for three fixed paths. The routes are defined
here once; ``urls.py`` routes them and ``links.py`` fills them in. A test checks that every
link equals what ``reverse()`` gives."""

from __future__ import annotations

from urllib.parse import quote

from django.urls import get_script_prefix

# Where the root URL configuration mounts the portal (``personvern/urls.py``).
MOUNT = "portal/"
# name -> route; each takes the token as its only argument.
TOKEN_ROUTES = {
    "verify": "verify/<str:token>/",
    "download": "download/<str:token>/",
    "status": "status/<str:token>/",
}
# What ``reverse()`` leaves unquoted in an argument (``django.urls.resolvers``).
_SAFE = "!$&'()*+,;=" + "/~:@"


def token_path(name: str, token: str) -> str:
    """The path of the portal page ``name`` for ``token``, as ``reverse()`` builds it."""
    route = TOKEN_ROUTES[name].replace("<str:token>", quote(token, safe=_SAFE))
    return f"{get_script_prefix()}{MOUNT}{route}"
