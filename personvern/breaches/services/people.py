"""The people affected (Art. 34): found in the register by activity, category and time
window; told by a letter in their language, through an outbox like the request replies
(written in the deciding transaction, sent after commit, sent again by the periodic job if
the process died), each sending recorded and audited."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.organisation.selectors import get_controller
from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person
from personvern.rights import letters
from personvern.rights.models import DataSubjectRequest

from ..choices import BreachErrorCode, BreachRisk
from ..models import Breach, BreachLetter

logger = logging.getLogger(__name__)
OUTBOX_ACTOR = Actor.for_system("breach-letters")
CLAIM = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 5
SEND_AT_ONCE = 50
LANGUAGES = ("nb", "en")


def find_affected(
    *,
    activity_ids: Iterable[int] = (),
    categories: Iterable[str] = (),
    window_end: datetime.datetime | None = None,
) -> list[Person]:
    """People in the register whose data the breach may concern: in a category of one of the
    activities (or one of ``categories``), and already in the register when the breach's
    window ended (``window_end``, usually the breach's end). Everyone held then is affected,
    whether their relationship with the firm had ended or not: their data was still there."""

    wanted = set(categories)
    for activity in ProcessingActivity.objects.filter(pk__in=list(activity_ids)):
        wanted.update(activity.subject_categories)
    people = Person.objects.filter(category__in=sorted(wanted))
    if window_end is not None:
        people = people.filter(created_at__lte=window_end)
    return list(people.order_by("pk"))


def affected_by(breach: Breach) -> list[Person]:
    """The people the register finds for the breach's activities, categories and window."""
    return find_affected(
        activity_ids=breach.activities.values_list("pk", flat=True),
        categories=breach.subject_categories,
        window_end=breach.ended_at or timezone.now(),
    )


def languages() -> dict[int, str]:
    """Each person's language: the one they last wrote to us in (their latest request). One
    query for everyone; a person with no request reads bokmål."""
    latest: dict[int, str] = {}
    requests = DataSubjectRequest.objects.filter(person__isnull=False).order_by("received_at")
    for person_id, language in requests.values_list("person_id", "language").iterator():
        latest[person_id] = language
    return {pk: lang for pk, lang in latest.items() if lang in LANGUAGES}


def render_letter(breach: Breach, language: str) -> tuple[str, str]:
    controller = get_controller()
    with translation.override(language):
        text = render_to_string(
            f"breaches/letters/{language}/breach_notice.txt",
            {"breach": breach, "controller": controller},
        )
    subject, _blank, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


@transaction.atomic
def write_letters(*, actor: Actor, breach: Breach, people: Iterable[Person]) -> list[BreachLetter]:
    """Write a letter to each person with an e-mail address (once per breach and person).
    Up to ``SEND_AT_ONCE`` are sent when this commits; a larger mailing is left to the letters
    job (every minute), so that no request waits on thousands of sends."""
    if breach.risk != BreachRisk.HIGH:
        raise DomainError(code=BreachErrorCode.NOT_HIGH_RISK,
                          message=_("Letters to the people are for a high-risk breach (Art. 34)."))
    already = set(breach.letters.values_list("person_id", flat=True))
    language_by_person = languages()
    rendered: dict[str, tuple[str, str]] = {}
    rows = []
    for person in people:
        if person.pk in already or not person.email:
            continue
        language = language_by_person.get(person.pk, "nb")
        if language not in rendered:  # the letter is the same for everyone in a language
            rendered[language] = render_letter(breach, language)
        subject, body = rendered[language]
        rows.append(BreachLetter(breach=breach, person=person, language=language,
                                 recipient=person.email, subject=subject, body=body))  # fmt: skip
    written = BreachLetter.objects.bulk_create(rows, batch_size=1000)
    if len(written) <= SEND_AT_ONCE:
        ids = [letter.pk for letter in written]
        transaction.on_commit(lambda: [deliver(pk) for pk in ids])
    # More than that: the letters job (every minute) sends them, outside this request.
    return written


def _claim(letter_id: int, now: datetime.datetime) -> bool:
    claimable = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    return bool(
        BreachLetter.objects.filter(claimable, pk=letter_id, sent_at__isnull=True,
                                    failed_at__isnull=True)
        .update(claimed_until=now + CLAIM)
    )  # fmt: skip


def deliver(letter_id: int) -> bool:
    """Send one pending letter; records the sending (and its audit entry) once it went."""
    now = timezone.now()
    if not _claim(letter_id, now):
        return False
    letter = BreachLetter.objects.select_related("breach").get(pk=letter_id)
    try:
        letters.send_mail([letter.recipient], letter.subject, letter.body)
    except letters.MAIL_ERRORS as exc:
        logger.error("breach letter %s not sent (%s)", letter.pk, type(exc).__name__)
        attempts = letter.attempts + 1
        given_up = attempts >= MAX_ATTEMPTS
        # Given up: the address and text go too (staff see the failure and write another way).
        cleared = {"recipient": "", "body": ""} if given_up else {}
        BreachLetter.objects.filter(pk=letter.pk).update(
            attempts=attempts, claimed_until=None,
            failed_at=timezone.now() if given_up else None, **cleared,
        )  # fmt: skip
        return False
    with transaction.atomic():
        BreachLetter.objects.filter(pk=letter.pk).update(
            sent_at=timezone.now(), attempts=letter.attempts + 1, recipient="", body="",
            claimed_until=None,
        )  # fmt: skip
        record(actor=OUTBOX_ACTOR, event=AuditEventType.BREACH_LETTER_SENT, obj=letter.breach,
               subject_id=letter.person_id, detail={"language": letter.language})  # fmt: skip
    return True


def send_pending() -> int:
    pending = BreachLetter.objects.filter(sent_at__isnull=True, failed_at__isnull=True)
    return sum(deliver(pk) for pk in list(pending.values_list("pk", flat=True)))
