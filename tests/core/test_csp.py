"""A Content-Security-Policy on every page that allows no other host and no inline script,
and API docs served from Personvern's own static files (they work offline). The browser
tests (tests/browser/test_csp.py) load every page under this policy."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

PAGES = [
    "/portal/",
    "/portal/?right=erasure",
    "/personvern",
    "/api/docs",
    "/admin/login/",
    "/website/demo/",
    "/portal/status/not-a-token/",
]


def _policy(header: str) -> dict[str, list[str]]:
    directives = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_allows_only_its_own_origin(client, path):
    response = client.get(path)
    policy = _policy(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    for values in policy.values():
        for value in values:
            assert value in {"'self'", "'none'", "data:"}, value


def test_the_api_docs_load_swagger_from_our_own_static_files(client):
    page = client.get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert all(source.startswith("/") for source in sources), sources
    assert "cdn" not in page
    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert finders.find(name), name
    # and without Swagger's online validator badge
    assert '"validatorUrl": null' in page


def test_style_hashes_name_each_style_element_exactly():
    from personvern.core.csp import style_hashes

    # sha256 of "b{}" in base64, as a browser computes it for <style>b{}</style>
    assert style_hashes("<p><style>b{}</style></p>") == [
        "'sha256-7yqHVAesot11p6HczDsgKRipvI5UPgs97z80zNXlans='"
    ]
    assert style_hashes("<p>no style</p>") == []
