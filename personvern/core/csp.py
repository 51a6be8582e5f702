"""Content-Security-Policy helpers. The policy itself is ``CONTENT_SECURITY_POLICY`` in the
settings (django-csp): only Personvern's own origin, no inline script or style. A page that
must embed a document with its own style element (the consent proof, a standalone file shown
in an iframe) allows exactly that element by its SHA-256, for that response only."""

from __future__ import annotations

import base64
import hashlib
import re

# Our own templates' style elements (no attributes on them): not a general HTML parser.
STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def style_hashes(html: str) -> list[str]:
    """The CSP source expressions (``'sha256-…'``) that allow the style elements in ``html``."""
    return [
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
        )
        for body in STYLE_ELEMENT.findall(html)
    ]
