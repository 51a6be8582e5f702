"""The consent ledger (GDPR Art. 7(1): the controller must be able to prove consent).

``ConsentText`` holds every consent text and notice version, immutably, with its SHA-256.
``ConsentEvent`` is the append-only ledger: every event carries the SHA-256 of its canonical
form chained to the previous event's hash, so any later edit breaks the chain
(``personvern ledger verify``). ``ConsentState`` is the current answer per (subject, purpose,
channel), updated in the same transaction as the event, so a check is one indexed read.
``SuppressionEntry`` and ``TelemarketingReservation`` keep only keyed hashes (HMAC-SHA256).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.processing.models import ProcessingActivity
from personvern.register.models import Person

from .choices import Channel, ConsentAction, ConsentMethod, ReservationSource, TextKind


class ImmutableError(Exception):
    """Raised on any attempt to change or remove a ledger row or a published text."""


class ImmutableQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("This table is append-only.")

    def delete(self) -> NoReturn:
        raise ImmutableError("This table is append-only.")


class ImmutableModel(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("This table is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("This table is append-only.")


class ConsentText(ImmutableModel):
    """One version of a consent text or notice in one language, exactly as shown."""

    kind = models.CharField(_("kind"), max_length=20, choices=TextKind.choices)
    slug = models.SlugField(_("slug"), max_length=80, help_text=_("E.g. marketing-email."))
    version = models.PositiveIntegerField(_("version"))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    effective_from = models.DateTimeField(_("effective from"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("consent or notice text")
        verbose_name_plural = _("consent and notice texts")
        ordering = ["kind", "slug", "-version", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "slug", "version", "language"], name="consent_text_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version} ({self.language})"


class ConsentEvent(ImmutableModel):
    """One entry of the append-only, hash-chained consent ledger."""

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    # Not a database foreign key: the ledger outlives an erased person (it then holds a bare
    # id, no personal data) and must never be touched by a cascade.
    person = models.ForeignKey(
        Person,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    visitor_id = models.CharField(
        _("anonymous visitor id"), max_length=64, blank=True, db_index=True
    )
    purpose = models.ForeignKey(
        ProcessingActivity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_events",
        verbose_name=_("purpose"),
        help_text=_("Empty for an objection to all direct marketing."),
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, blank=True, default=Channel.NONE
    )
    action = models.CharField(_("action"), max_length=20, choices=ConsentAction.choices)
    method = models.CharField(_("method"), max_length=20, choices=ConsentMethod.choices)
    text = models.ForeignKey(
        ConsentText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("text shown"),
    )
    occurred_at = models.DateTimeField(_("server time"), default=timezone.now)
    evidence = models.JSONField(
        _("evidence"),
        default=dict,
        blank=True,
        help_text=_("Masked IP address, user agent, form or campaign id."),
    )
    # The chain holds a salted digest of the personal evidence (ledger.PERSONAL_EVIDENCE), so
    # retention can remove it and the salt while the chain still verifies. Empty digest: an
    # event from before the digest existed, whose whole evidence is chained.
    personal_sha256 = models.CharField(
        _("digest of the personal evidence"), max_length=64, blank=True, db_default=""
    )
    personal_salt = models.CharField(
        _("salt of the personal evidence"),
        max_length=32,
        blank=True,
        db_default="",
        help_text=_("Empty once the personal evidence is removed, or when there was none."),
    )
    actor_label = models.CharField(_("recorded by"), max_length=150)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("consent event")
        verbose_name_plural = _("consent ledger")
        ordering = ["-sequence"]
        indexes = [models.Index(fields=["person", "sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"


class LedgerHead(models.Model):
    """The end of the chain. Appends lock this one row, so writers in any number of processes
    append one after another and the chain stays unbroken."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ledger head")

    def __str__(self) -> str:
        return f"#{self.last_sequence}"


class LedgerVerification(ImmutableModel):
    """One run of ``personvern ledger verify`` over the whole chain: when, and what it found.
    A person's proof shows the latest run; it verifies only that person's events itself."""

    verified_at = models.DateTimeField(_("verified at"), default=timezone.now, db_index=True)
    ok = models.BooleanField(_("chain intact"))
    event_count = models.PositiveBigIntegerField(
        _("events verified"), help_text=_("Events found intact before the first broken one.")
    )
    first_broken_sequence = models.PositiveBigIntegerField(
        _("first broken event"), null=True, blank=True
    )
    problem = models.CharField(_("problem"), max_length=100, blank=True)
    duration = models.DurationField(_("duration"))
    heads_checked = models.PositiveIntegerField(
        _("signed heads checked"),
        default=0,
        help_text=_("Signed heads the ledger was checked against."),
    )
    findings = models.JSONField(
        _("findings"),
        default=list,
        blank=True,
        help_text=_("Rewrites, truncations, forged appends and state rows found, by event."),
    )

    class Meta:
        verbose_name = _("ledger verification")
        verbose_name_plural = _("ledger verifications")
        ordering = ["-verified_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.verified_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"


class SignedLedgerHead(ImmutableModel):
    """A copy of one signed head (``anchoring.py``), for the consent proofs to carry. The
    copies that count are the files and letters outside the database: this one is trusted only
    as far as its Ed25519 signature goes."""

    tree_size = models.PositiveBigIntegerField(_("events"))
    chain_hash = models.CharField(_("last event's hash"), max_length=64)
    merkle_root = models.CharField(_("Merkle root"), max_length=64)
    signed_at = models.DateTimeField(_("signed at"), db_index=True)
    key_id = models.CharField(_("key id"), max_length=16)
    document = models.JSONField(_("signed document"))
    file_name = models.CharField(_("file name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("signed ledger head")
        verbose_name_plural = _("signed ledger heads")
        ordering = ["-tree_size", "-signed_at"]

    def __str__(self) -> str:
        return f"#{self.tree_size} {self.signed_at:%Y-%m-%d %H:%M}"


class ConsentState(models.Model):
    """The latest event per (subject, purpose, channel); per subject alone for an objection."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="consent_states"
    )
    visitor_id = models.CharField(max_length=64, blank=True)
    purpose = models.ForeignKey(
        ProcessingActivity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    action = models.CharField(max_length=20, choices=ConsentAction.choices)
    event = models.ForeignKey(ConsentEvent, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("current consent")
        verbose_name_plural = _("current consents")
        permissions = [
            ("check_contact", _("Can check who may be contacted (single and campaign checks)")),
            ("import_leads", _("Can import leads from third parties")),
            ("manage_optouts", _("Can record withdrawals, objections and opt-outs for people")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose", "channel"],
                condition=Q(person__isnull=False, purpose__isnull=False),
                name="consent_state_person_purpose",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(person__isnull=False, purpose__isnull=True),
                name="consent_state_person_objection",
            ),
            models.UniqueConstraint(
                fields=["visitor_id", "purpose", "channel"],
                condition=~Q(visitor_id="") & Q(purpose__isnull=False),
                name="consent_state_visitor_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.channel}"


class SuppressionEntry(models.Model):
    """An address that must not be marketed to again: only its keyed hash is kept."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    digest = models.CharField(_("HMAC-SHA256"), max_length=64)
    reason = models.CharField(_("reason"), max_length=30)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("suppression entry")
        verbose_name_plural = _("suppression list")
        constraints = [
            models.UniqueConstraint(fields=["kind", "digest"], name="suppression_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.digest[:8]}…"


class TelemarketingReservation(models.Model):
    """A phone number reserved against telemarketing (kept as a keyed hash only)."""

    digest = models.CharField(_("HMAC-SHA256 of the number"), max_length=64)
    source = models.CharField(_("source"), max_length=10, choices=ReservationSource.choices)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        verbose_name = _("telemarketing reservation")
        verbose_name_plural = _("telemarketing reservations")
        constraints = [
            models.UniqueConstraint(fields=["digest", "source"], name="reservation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.digest[:8]}…"


class ReservationImport(models.Model):
    """One import of Reservasjonsregisteret: the whole list as it stood. Phone marketing is
    refused while the latest import is from before the current month (markedsføringsloven
    § 12: numbers on the register may not be called for marketing)."""

    imported_at = models.DateTimeField(_("imported"), default=timezone.now, db_index=True)
    numbers = models.PositiveIntegerField(_("numbers on the list"))
    added = models.PositiveIntegerField(_("added"))
    removed = models.PositiveIntegerField(_("removed (left the register)"))
    actor_label = models.CharField(_("imported by"), max_length=150)

    class Meta:
        verbose_name = _("reservation list import")
        verbose_name_plural = _("reservation list imports")
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.imported_at:%Y-%m-%d %H:%M}"
