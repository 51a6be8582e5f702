"""Publishing the privacy notice: each version is stored immutably, with its SHA-256, as a
consent-ledger text (kind privacy notice), so consents and proofs can point at it. The public
page serves these versions; a published version's portal links are absolute, from the
configured public address (``PERSONVERN_PORTAL_URL``)."""

from __future__ import annotations

from django.db import transaction

from personvern.consent import services as consent
from personvern.consent.choices import TextKind
from personvern.consent.models import ConsentText
from personvern.core.actors import Actor
from personvern.core.config import portal_url as configured_base_url
from personvern.organisation.selectors import get_controller

from ..choices import NOTICE_LANGUAGES, PRIVACY_NOTICE_SLUG, NoticeFormat
from ..notice.render import render_notice

TITLES = {"nb": "Personvernerklæring for {name}", "en": "Privacy notice of {name}"}


def latest_notice(language: str) -> ConsentText | None:
    return published_notice(language=language)


def published_notice(*, language: str, version: int | None = None) -> ConsentText | None:
    """A published version of the notice in ``language``: ``version``, or the latest."""
    versions = ConsentText.objects.filter(
        kind=TextKind.PRIVACY_NOTICE, slug=PRIVACY_NOTICE_SLUG, language=language
    )
    if version is not None:
        return versions.filter(version=version).first()
    return versions.order_by("-version").first()


@transaction.atomic
def publish_privacy_notice(*, actor: Actor) -> list[ConsentText]:
    """Publish the notice as the register generates it now, in bokmål and English (Markdown).
    A language whose text has not changed since its last version is not published again;
    returns the versions published."""
    controller = get_controller()
    name = controller.legal_name if controller else ""
    published = []
    for language in NOTICE_LANGUAGES:
        # Portal links start with the configured public address: the stored text is what
        # visitors read, wherever it is served from.
        text = render_notice(
            language=language, fmt=NoticeFormat.MARKDOWN, base_url=configured_base_url()
        )
        latest = latest_notice(language)
        if latest is not None and latest.text == text:
            continue
        published.append(
            consent.publish_text(
                actor=actor,
                kind=TextKind.PRIVACY_NOTICE,
                slug=PRIVACY_NOTICE_SLUG,
                language=language,
                title=TITLES[language].format(name=name),
                text=text,
            )
        )
    return published
