"""Publishing the privacy notice: each version is stored immutably, with its SHA-256, as a
consent-ledger text (kind privacy notice), so consents and proofs can point at it."""

from __future__ import annotations

from django.db import transaction

from personvern.consent import services as consent
from personvern.consent.choices import TextKind
from personvern.consent.models import ConsentText
from personvern.core.actors import Actor
from personvern.organisation.selectors import get_controller

from ..choices import NOTICE_LANGUAGES, PRIVACY_NOTICE_SLUG, NoticeFormat
from ..notice.render import render_notice

TITLES = {"nb": "Personvernerklæring for {name}", "en": "Privacy notice of {name}"}


def latest_notice(language: str) -> ConsentText | None:
    return (
        ConsentText.objects.filter(
            kind=TextKind.PRIVACY_NOTICE, slug=PRIVACY_NOTICE_SLUG, language=language
        )
        .order_by("-version")
        .first()
    )


@transaction.atomic
def publish_privacy_notice(*, actor: Actor) -> list[ConsentText]:
    """Publish the notice as the register generates it now, in bokmål and English (Markdown).
    A language whose text has not changed since its last version is not published again;
    returns the versions published."""
    controller = get_controller()
    name = controller.legal_name if controller else ""
    published = []
    for language in NOTICE_LANGUAGES:
        text = render_notice(language=language, fmt=NoticeFormat.MARKDOWN)
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
