"""The controller's responsible role in the reader's language. The register holds one
free-text role; a role a Norwegian controller commonly names (recorded in either language, or
as "bokmål (English)") is shown in the reader's language from the catalogue, anything else as
recorded."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# (bokmål as the firm records it, the catalogue's English msgid)
RESPONSIBLE_ROLES: tuple[tuple[str, Promise], ...] = (
    ("Daglig leder", _("Managing director")),
    ("Styreleder", _("Chair of the board")),
    ("Styret", _("The board of directors")),
    ("Personvernombud", _("Data protection officer")),
    ("Personvernansvarlig", _("Privacy officer")),
)
_BOTH_LANGUAGES = re.compile(r"^(?P<first>[^()]+?)\s*\((?P<second>[^()]+)\)$")


def _index() -> dict[str, Promise]:
    index: dict[str, Promise] = {}
    for bokmal, msgid in RESPONSIBLE_ROLES:
        with translation.override("en"):
            english = str(msgid)
        index[bokmal.casefold()] = msgid
        index[english.casefold()] = msgid
    return index


def role_name(recorded: str, language: str) -> str:
    """The responsible role in ``language`` when it is a known role, else as recorded."""
    text = " ".join(recorded.split())
    both = _BOTH_LANGUAGES.match(text)
    names = (both["first"], both["second"]) if both else (text,)
    index = _index()
    found = {index.get(name.casefold()) for name in names}
    role = found.pop() if len(found) == 1 else None
    if role is None:
        return recorded
    if language == "nb":
        return next(bokmal for bokmal, msgid in RESPONSIBLE_ROLES if msgid is role)
    with translation.override(language):
        return str(role)
