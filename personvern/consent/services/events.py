"""The ledger's events: answers to consent texts, withdrawals, objections and opting out.

Every append goes through ``ledger.append`` under the head-row lock and updates the current
state in the same transaction, so a check right after a withdrawal already answers no. The
ledger is its own audit trail (who, what, when, evidence, chained).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.errors import DomainError, FieldError, collect
from personvern.core.network import mask_ip
from personvern.processing.choices import LegalBasis
from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person

from .. import ledger
from ..choices import (
    Channel,
    ConsentAction,
    ConsentErrorCode,
    ConsentMethod,
    TextKind,
)
from ..models import (
    ConsentEvent,
    ConsentState,
    ConsentText,
)
from .records import suppress_person

USER_AGENT_MAX = 300


@dataclass(frozen=True)
class Evidence:
    """How the choice reached us. The IP address is masked before it is stored."""

    ip_address: str | None = None
    user_agent: str = ""
    form_id: str = ""
    campaign_id: str = ""

    def as_json(self) -> dict[str, str]:
        values = {
            "masked_ip": mask_ip(self.ip_address),
            "user_agent": self.user_agent[:USER_AGENT_MAX],
            "form_id": self.form_id[:100],
            "campaign_id": self.campaign_id[:100],
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class Subject:
    """Whose choice it is: a person in the register or an anonymous website visitor."""

    person: Person | None = None
    visitor_id: str = ""

    def __post_init__(self) -> None:
        if (self.person is None) == (not self.visitor_id):
            raise DomainError(
                code=ConsentErrorCode.SUBJECT_REQUIRED,
                message=_("Give either a person or an anonymous visitor id."),
                field="person_id",
            )

    def state_filter(self) -> dict[str, Any]:
        if self.person is not None:
            return {"person": self.person, "visitor_id": ""}
        return {"person": None, "visitor_id": self.visitor_id}


# Texts


def _check_event(
    *,
    actor: Actor,
    purpose: ProcessingActivity,
    channel: str,
    method: str,
    text: ConsentText | None,
    needs_text: bool,
) -> None:
    errors: list[FieldError] = []
    if channel not in Channel.values:
        errors.append(
            FieldError("channel", ConsentErrorCode.INVALID_CHANNEL, _("Select a valid channel."))
        )
    errors.extend(_method_errors(actor=actor, method=method))
    if purpose.legal_basis != LegalBasis.CONSENT:
        errors.append(
            FieldError(
                "purpose_id",
                ConsentErrorCode.PURPOSE_NOT_CONSENT,
                _("This processing activity does not rest on consent."),
            )
        )
    if needs_text and text is None:
        errors.append(
            FieldError(
                "text_id",
                ConsentErrorCode.TEXT_REQUIRED,
                _("A consent points at the exact text the person saw."),
            )
        )
    collect(errors)


def _method_errors(*, actor: Actor, method: str) -> list[FieldError]:
    """How the choice reached us must be one of the methods, and one taken down by staff (on
    the phone, on paper, a request) names the staff member who recorded it."""
    if method not in ConsentMethod.values:
        return [FieldError("method", ConsentErrorCode.INVALID_METHOD, _("Select a valid method."))]
    if method in ConsentMethod.recorded_by_staff() and actor.user is None:
        return [
            FieldError(
                "method",
                ConsentErrorCode.STAFF_REQUIRED,
                _("A consent given on the phone or on paper is recorded by a named staff member."),
            )
        ]
    return []


def _check_method(*, actor: Actor, method: str) -> None:
    """For events about no purpose (objections, opt-outs): only the method is checked."""
    collect(_method_errors(actor=actor, method=method))


def _entry(
    *,
    actor: Actor,
    subject: Subject,
    purpose: ProcessingActivity | None,
    channel: str,
    action: str,
    method: str,
    text: ConsentText | None,
    evidence: Evidence,
    notices: dict[str, dict[str, Any] | None] | None = None,
) -> ledger.Entry:
    """One event to append. ``notices`` lets a batch look up the notice in effect once per
    language instead of once per event."""
    now = timezone.now()
    recorded: dict[str, Any] = evidence.as_json()
    if text is not None and text.kind != TextKind.PRIVACY_NOTICE:
        notices = {} if notices is None else notices
        if text.language not in notices:
            notices[text.language] = notice_in_effect(language=text.language, at=now)
        notice = notices[text.language]
        if notice is not None:
            recorded["privacy_notice"] = notice
    return ledger.Entry(
        person_id=subject.person.pk if subject.person else None,
        visitor_id=subject.visitor_id,
        purpose_id=purpose.pk if purpose else None,
        channel=channel,
        action=action,
        method=method,
        text=text,
        occurred_at=now,
        evidence=recorded,
        actor_label=actor.label,
    )


_NOTICE_IN_EFFECT = (
    f"SELECT id, version, sha256 FROM {ConsentText._meta.db_table}"  # noqa: S608
    " WHERE kind = %s AND language = %s AND effective_from <= %s"
    " ORDER BY effective_from DESC, version DESC LIMIT 1"
)


def notice_in_effect(*, language: str, at: datetime.datetime) -> dict[str, Any] | None:
    """The id, version and SHA-256 of the published privacy notice in ``language`` in effect
    at ``at``: a consent's evidence names it, so it is provable which notice the person had
    when they answered. One plain query, since it runs on the ledger's hot path."""
    with connection.cursor() as cursor:
        cursor.execute(
            _NOTICE_IN_EFFECT,
            [TextKind.PRIVACY_NOTICE, language, connection.ops.adapt_datetimefield_value(at)],
        )
        row = cursor.fetchone()
    return None if row is None else {"id": row[0], "version": row[1], "sha256": row[2]}


def _append(**kwargs: Any) -> ConsentEvent:
    """Append one event (and its state) to the ledger."""
    return ledger.append([_entry(**kwargs)])[0]


@transaction.atomic
def record_consent(
    *,
    actor: Actor,
    subject: Subject,
    purpose: ProcessingActivity,
    channel: str,
    granted: bool,
    method: str,
    text: ConsentText | None,
    evidence: Evidence,
) -> ConsentEvent:
    """A consent given (or refused) for one purpose and channel, pointing at the text shown."""
    _check_event(actor=actor, purpose=purpose, channel=channel, method=method, text=text,
                 needs_text=True)  # fmt: skip
    action = ConsentAction.GRANTED if granted else ConsentAction.REFUSED
    return _append(actor=actor, subject=subject, purpose=purpose, channel=channel,
                   action=action, method=method, text=text, evidence=evidence)  # fmt: skip


@dataclass(frozen=True)
class Choice:
    """One purpose-and-channel answer among several given at once (a form, the banner)."""

    purpose: ProcessingActivity
    channel: str
    granted: bool
    text: ConsentText


@transaction.atomic
def record_consents(
    *,
    actor: Actor,
    subject: Subject,
    choices: Sequence[Choice],
    method: str,
    evidence: Evidence,
) -> list[ConsentEvent]:
    """Several answers given together: validated together, appended as one batch."""
    for choice in choices:
        _check_event(actor=actor, purpose=choice.purpose, channel=choice.channel, method=method,
                     text=choice.text, needs_text=True)  # fmt: skip
    notices: dict[str, dict[str, Any] | None] = {}
    return ledger.append([
        _entry(actor=actor, subject=subject, purpose=choice.purpose, channel=choice.channel,
               action=ConsentAction.GRANTED if choice.granted else ConsentAction.REFUSED,
               method=method, text=choice.text, evidence=evidence, notices=notices)
        for choice in choices
    ])  # fmt: skip


@transaction.atomic
def withdraw_consent(
    *,
    actor: Actor,
    subject: Subject,
    purpose: ProcessingActivity,
    channel: str,
    method: str,
    evidence: Evidence,
) -> ConsentEvent:
    """Withdrawal is as easy as giving (Art. 7(3)) and takes effect in this transaction."""
    _check_event(actor=actor, purpose=purpose, channel=channel, method=method, text=None,
                 needs_text=False)  # fmt: skip
    state = ConsentState.objects.filter(
        **subject.state_filter(), purpose=purpose, channel=channel
    ).first()
    if state is None or state.action != ConsentAction.GRANTED:
        raise DomainError(
            code=ConsentErrorCode.NO_CONSENT_TO_WITHDRAW,
            message=_("There is no consent to withdraw for this purpose and channel."),
            field="purpose_id",
            status=409,
        )
    return _append(actor=actor, subject=subject, purpose=purpose, channel=channel,
                   action=ConsentAction.WITHDRAWN, method=method, text=None,
                   evidence=evidence)  # fmt: skip


@transaction.atomic
def object_to_direct_marketing(
    *, actor: Actor, person: Person, method: str, evidence: Evidence
) -> ConsentEvent:
    """Art. 21(3): an objection to direct marketing is absolute and covers every channel."""
    _check_method(actor=actor, method=method)
    return _append(actor=actor, subject=Subject(person=person), purpose=None,
                   channel=Channel.NONE, action=ConsentAction.OBJECTED, method=method,
                   text=None, evidence=evidence)  # fmt: skip


@transaction.atomic
def withdraw_objection(
    *, actor: Actor, person: Person, method: str, evidence: Evidence
) -> ConsentEvent:
    """The person takes back an earlier objection to direct marketing (their own request)."""
    _check_method(actor=actor, method=method)
    return _append(actor=actor, subject=Subject(person=person), purpose=None,
                   channel=Channel.NONE, action=ConsentAction.OBJECTION_WITHDRAWN,
                   method=method, text=None, evidence=evidence)  # fmt: skip


@dataclass
class OptOutResult:
    withdrawn: int = 0
    suppressed: list[str] = field(default_factory=list)


@transaction.atomic
def opt_out_of_everything(
    *, actor: Actor, person: Person, method: str, evidence: Evidence
) -> OptOutResult:
    """Withdraw every consent, object to direct marketing, and put the person's e-mail and
    phone on the suppression list so that a later import of them is not marketed to."""
    _check_method(actor=actor, method=method)
    result = OptOutResult()
    granted = ConsentState.objects.filter(
        person=person, action=ConsentAction.GRANTED, purpose__isnull=False
    ).select_related("purpose")
    subject = Subject(person=person)
    entries = [
        _entry(actor=actor, subject=subject, purpose=state.purpose, channel=state.channel,
               action=ConsentAction.WITHDRAWN, method=method, text=None, evidence=evidence)
        for state in granted
    ]  # fmt: skip
    entries.append(
        _entry(actor=actor, subject=subject, purpose=None, channel=Channel.NONE,
               action=ConsentAction.OBJECTED, method=method, text=None, evidence=evidence)
    )  # fmt: skip
    ledger.append(entries)
    result.withdrawn = len(entries) - 1
    result.suppressed = suppress_person(person=person, reason="opt_out")
    return result
