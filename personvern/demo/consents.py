"""The demo's consent texts and a plausible consent history, through the consent services.

Deterministic (people are picked by their sorted e-mail look-up key) and idempotent: texts are
published once per slug and language, and the history is recorded only while the ledger holds
nothing from the demo.
"""

from __future__ import annotations

from collections import Counter

from personvern.accounts.models import User
from personvern.consent.choices import Channel, ConsentMethod, TextKind
from personvern.consent.models import ConsentEvent, ConsentText
from personvern.consent.services import (
    Evidence,
    Subject,
    object_to_direct_marketing,
    opt_out_of_everything,
    publish_text,
    record_consent,
    withdraw_consent,
)
from personvern.core.actors import Actor
from personvern.processing.models import ProcessingActivity
from personvern.register.choices import SubjectCategory
from personvern.register.models import Person

from . import content

TEXTS = {
    ("marketing-email", "nb"): (
        "Nyhetsbrev og tilbud på e-post",
        "Ja takk, Numeri AS kan sende meg nyhetsbrev og tilbud om regnskapstjenester på "
        "e-post. Jeg kan når som helst trekke samtykket via lenken i hver e-post eller på "
        "personvernsidene.",
    ),
    ("marketing-email", "en"): (
        "Newsletter and offers by e-mail",
        "Yes, Numeri AS may send me newsletters and offers of accounting services by e-mail. "
        "I can withdraw this consent at any time through the link in every e-mail or on the "
        "privacy pages.",
    ),
    ("marketing-sms", "nb"): (
        "Tilbud på SMS",
        "Ja takk, Numeri AS kan sende meg tilbud på SMS. Svar STOPP for å trekke samtykket.",
    ),
    ("marketing-phone", "nb"): (
        "Telefonkontakt om tilbud",
        "Ja takk, Numeri AS kan ringe meg om tilbud på regnskapstjenester.",
    ),
}
CHANNEL_OF_SLUG = {
    "marketing-email": Channel.EMAIL,
    "marketing-sms": Channel.SMS,
    "marketing-phone": Channel.PHONE,
}
WEB = Evidence(ip_address="192.0.2.15", user_agent="Mozilla/5.0 (demo)", form_id="nyhetsbrev")


def load_consents(*, actor: Actor, created: Counter[str]) -> None:
    texts = _publish_texts(actor=actor, created=created)
    if ConsentEvent.objects.filter(actor_label=actor.label).exists():
        return
    purpose = ProcessingActivity.objects.get(name=content.DIRECT_MARKETING)
    people = list(
        Person.objects.filter(
            category__in=[SubjectCategory.CUSTOMER_CONTACT, SubjectCategory.LEAD]
        ).order_by("email_key")
    )
    staff = User.objects.filter(username="kundeservice").first()
    phone_actor = Actor(user=staff) if staff else None
    for index, person in enumerate(people):
        subject = Subject(person=person)
        if index % 3 == 0:
            _grant(actor, subject, purpose, texts, "marketing-email", ConsentMethod.WEB_FORM)
            created["consent events"] += 1
            if index % 21 == 0:
                withdraw_consent(actor=actor, subject=subject, purpose=purpose,
                                 channel=Channel.EMAIL, method=ConsentMethod.WEB_FORM,
                                 evidence=WEB)  # fmt: skip
                created["consent events"] += 1
        if index % 5 == 0:
            _grant(actor, subject, purpose, texts, "marketing-sms", ConsentMethod.WEB_FORM)
            created["consent events"] += 1
        if index % 11 == 0 and phone_actor is not None:
            _grant(phone_actor, subject, purpose, texts, "marketing-phone",
                   ConsentMethod.PHONE_VERBAL)  # fmt: skip
            created["consent events"] += 1
    for person in people[-3:-1]:
        object_to_direct_marketing(actor=actor, person=person, method=ConsentMethod.WEB_FORM,
                                   evidence=WEB)  # fmt: skip
        created["consent events"] += 1
    if people:
        opt_out_of_everything(actor=actor, person=people[-1], method=ConsentMethod.WEB_FORM,
                              evidence=WEB)  # fmt: skip
        created["consent events"] += 1


def _publish_texts(*, actor: Actor, created: Counter[str]) -> dict[str, ConsentText]:
    texts: dict[str, ConsentText] = {}
    for (slug, language), (title, text) in TEXTS.items():
        current = (
            ConsentText.objects.filter(slug=slug, language=language).order_by("-version").first()
        )
        if current is None:
            current = publish_text(actor=actor, kind=TextKind.CONSENT_TEXT, slug=slug,
                                   language=language, title=title, text=text)  # fmt: skip
            created["consent texts"] += 1
        if language == "nb":
            texts[slug] = current
    return texts


def _grant(
    actor: Actor,
    subject: Subject,
    purpose: ProcessingActivity,
    texts: dict[str, ConsentText],
    slug: str,
    method: str,
) -> None:
    record_consent(actor=actor, subject=subject, purpose=purpose, channel=CHANNEL_OF_SLUG[slug],
                   granted=True, method=method, text=texts[slug],
                   evidence=WEB if method == ConsentMethod.WEB_FORM else Evidence())  # fmt: skip
