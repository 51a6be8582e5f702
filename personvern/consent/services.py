"""Changes to consent: publishing texts, appending to the ledger, opting out, suppressing.

Every append goes through ``ledger.append`` under the head-row lock and updates the current
state in the same transaction, so a check right after a withdrawal already answers no. The
ledger is its own audit trail (who, what, when, evidence, chained); the audit log records the
staff operations around it (publishing a text, importing a list).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditAction
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect
from personvern.core.network import mask_ip
from personvern.processing.choices import LegalBasis
from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person

from . import keys, ledger
from .choices import (
    Channel,
    ConsentAction,
    ConsentErrorCode,
    ConsentMethod,
    ReservationSource,
    TextKind,
)
from .models import (
    ConsentEvent,
    ConsentState,
    ConsentText,
    LedgerVerification,
    SuppressionEntry,
    TelemarketingReservation,
)
from .verification import VerifyResult, verify

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


@transaction.atomic
def publish_text(
    *,
    actor: Actor,
    kind: str,
    slug: str,
    language: str,
    title: str,
    text: str,
    effective_from: datetime.datetime | None = None,
) -> ConsentText:
    """Store a new version of a text. Earlier versions stay, unchanged, for the consents that
    point at them."""
    errors: list[FieldError] = []
    if kind not in TextKind.values:
        errors.append(
            FieldError("kind", ConsentErrorCode.INVALID_ACTION, _("Select a valid kind."))
        )
    if language not in ("nb", "en"):
        errors.append(FieldError("language", ConsentErrorCode.TEXT_LANGUAGE, _("Use nb or en.")))
    for name, value in (("slug", slug), ("title", title), ("text", text)):
        if not value.strip():
            errors.append(FieldError(name, CoreErrorCode.REQUIRED, _("This field is required.")))
    collect(errors)
    latest = ConsentText.objects.filter(kind=kind, slug=slug, language=language).aggregate(
        v=Max("version")
    )["v"]
    try:
        with transaction.atomic():
            published = ConsentText.objects.create(
                kind=kind,
                slug=slug.strip(),
                language=language,
                version=(latest or 0) + 1,
                title=title.strip(),
                text=text,
                sha256=ledger.text_digest(text),
                effective_from=effective_from or timezone.now(),
            )
    except IntegrityError as exc:  # published concurrently: the caller may retry
        raise DomainError(
            code=ConsentErrorCode.DUPLICATE_TEXT_VERSION,
            message=_("This version was published at the same moment; try again."),
            field="slug",
        ) from exc
    record(actor=actor, action=AuditAction.CREATE, obj=published, fields=["text"])
    return published


# Reading who may be contacted


def log_campaign_check(
    *,
    actor: Actor,
    addresses: int,
    subject_ids: Iterable[int],
    purpose: ProcessingActivity,
    channel: str,
    via: str,
) -> None:
    """A campaign check shows whether each address's people may be contacted, and why not: one
    audit entry for the run with the number of addresses and the ids of the people they
    belong to, never the addresses."""
    ids = sorted(set(subject_ids))
    record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type=ConsentState._meta.label_lower,
        detail={
            "via": via,
            "purpose_id": purpose.pk,
            "channel": channel,
            "addresses": addresses,
            "subjects": len(ids),
            "subject_ids": ids,
        },
    )


# The ledger


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


def suppress_person(*, person: Person, reason: str) -> list[str]:
    """Add the person's e-mail and phone, as keyed hashes, to the suppression list (also used
    when a person is erased). Returns the kinds added."""
    added = []
    for kind, value, digest in (
        (SuppressionEntry.Kind.EMAIL, person.email, keys.try_email_digest),
        (SuppressionEntry.Kind.PHONE, person.phone, keys.try_phone_digest),
    ):
        hashed = digest(value) if value else None
        if hashed:
            SuppressionEntry.objects.get_or_create(
                kind=kind, digest=hashed, defaults={"reason": reason}
            )
            added.append(str(kind))
    return added


@transaction.atomic
def import_reservations(
    *, actor: Actor, numbers: Iterable[str], source: str = ReservationSource.REGISTRY
) -> dict[str, int]:
    """Telemarketing reservations (Reservasjonsregisteret or made with us), kept as hashes."""
    if source not in ReservationSource.values:
        raise DomainError(
            code=ConsentErrorCode.INVALID_METHOD,
            message=_("Select registry or direct."),
            field="source",
        )
    hashed = [keys.try_phone_digest(number) for number in numbers]
    digests = {d for d in hashed if d}
    invalid = sum(1 for d in hashed if d is None)
    existing = set(
        TelemarketingReservation.objects.filter(digest__in=digests, source=source).values_list(
            "digest", flat=True
        )
    )
    new = [TelemarketingReservation(digest=d, source=source) for d in digests - existing]
    TelemarketingReservation.objects.bulk_create(new, batch_size=2000)
    counts = {"added": len(new), "already": len(existing), "invalid": invalid}
    record(actor=actor, action=AuditAction.CREATE, object_type="consent.telemarketingreservation",
           detail={**counts, "source": source})  # fmt: skip
    return counts


@transaction.atomic
def record_verification(
    *,
    actor: Actor,
    result: VerifyResult,
    started_at: datetime.datetime,
    duration: datetime.timedelta,
) -> LedgerVerification:
    """Keep the outcome of a full verification of the ledger, for the proofs to show."""
    verification = LedgerVerification.objects.create(
        verified_at=started_at,
        ok=result.ok,
        event_count=result.count,
        first_broken_sequence=result.first_broken_sequence,
        problem=result.problem[:100],
        duration=duration,
    )
    record(actor=actor, action=AuditAction.CREATE, obj=verification,
           detail={"ok": result.ok, "events": result.count})  # fmt: skip
    return verification


def verify_ledger(*, actor: Actor) -> LedgerVerification:
    """Recompute the whole chain and keep the outcome: ``personvern ledger verify`` and the
    nightly job, so that every proof can show a recent full verification. The verification
    itself holds no transaction (it reads a million rows); only its record is written."""
    started_at, started = timezone.now(), time.perf_counter()
    result = verify()
    duration = datetime.timedelta(seconds=time.perf_counter() - started)
    return record_verification(actor=actor, result=result, started_at=started_at,
                               duration=duration)  # fmt: skip
