"""The register of people the organisation holds data on, their companies, interactions and
job applications. Writes go through ``services``; look-ups by e-mail or phone through
``selectors.find_people`` only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ApplicationStatus, InteractionChannel, Source, SubjectCategory


class SourcedRecord(models.Model):
    """Every record keeps where it came from; from a third party, with its proof of consent."""

    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.DATA_SUBJECT
    )
    source_party = models.CharField(
        _("source party"),
        max_length=200,
        blank=True,
        help_text=_("The third party or public source the data came from."),
    )
    source_reference = models.CharField(
        _("source reference"),
        max_length=500,
        blank=True,
        help_text=_(
            "For a third party: the reference to its proof of the person's consent to "
            "share. For a public source: where it was found."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        abstract = True


class Company(SourcedRecord):
    name = models.CharField(_("company name"), max_length=200)
    organisation_number = models.CharField(
        _("organisation number"), max_length=20, blank=True, help_text=_("Norwegian, 9 digits.")
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NO")
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164."))
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_number"],
                condition=~models.Q(organisation_number=""),
                name="register_company_unique_orgnr",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(SourcedRecord):
    """A data subject: someone the organisation holds personal data on."""

    category = models.CharField(_("category"), max_length=30, choices=SubjectCategory.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.CharField(_("e-mail"), max_length=254, blank=True)
    email_key = models.CharField(
        _("e-mail look-up key"), max_length=254, blank=True, db_index=True, editable=False
    )
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, db_index=True, help_text=_("Stored in E.164.")
    )
    position = models.CharField(_("position"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=150, blank=True)
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("company"),
    )
    relationship_ended_on = models.DateField(
        _("relationship ended"),
        null=True,
        blank=True,
        help_text=_(
            "When the customer, partner, supplier or employment relationship ended; retention "
            "rules count from it."
        ),
    )
    processing_restricted_since = models.DateTimeField(
        _("processing restricted since"),
        null=True,
        blank=True,
        help_text=_(
            "Set while processing is restricted (GDPR Art. 18): storage only, no marketing."
        ),
    )
    legitimate_interest_objection_since = models.DateTimeField(
        _("objection to legitimate interest upheld"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the privacy officer upholds the person's objection to processing on "
            "legitimate interest (GDPR Art. 21(1)); contact checks then refuse every activity "
            "on legitimate interest for the person. Never cleared automatically."
        ),
    )
    last_interaction_at = models.DateTimeField(
        _("last interaction"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Kept up to date by every recorded interaction; retention counts from it."),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "pk"]
        permissions = [
            ("export_person", _("Can export a person's data")),
            ("edit_restricted_person", _("Can edit a person whose processing is restricted")),
        ]
        indexes = [
            # The few people under restriction: the retention sweep excludes them from every
            # batch, and without this each batch would scan the whole register to find them.
            models.Index(
                fields=["id"],
                condition=models.Q(processing_restricted_since__isnull=False),
                name="register_person_restricted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Interaction(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("person")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=InteractionChannel.choices)
    summary = models.TextField(
        _("feedback, comments or questions"),
        blank=True,
        help_text=_("What was said or asked. Keep it to what the purpose needs."),
    )
    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d}"


class JobApplication(models.Model):
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="job_applications",
        verbose_name=_("applicant"),
    )
    position = models.CharField(_("position applied for"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.RECEIVED,
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    decision_date = models.DateField(
        _("decision date"),
        null=True,
        blank=True,
        help_text=_("Set when the application is decided; retention counts from it."),
    )

    class Meta:
        verbose_name = _("job application")
        verbose_name_plural = _("job applications")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.position} ({self.get_status_display()})"


def application_document_path(instance: JobApplicationDocument, filename: str) -> str:
    # The stored name never carries the applicant's name: only ids.
    suffix = filename.rsplit(".", 1)[-1][:10] if "." in filename else "bin"
    return f"applications/{instance.application_id}/{timezone.now():%Y%m%d%H%M%S%f}.{suffix}"


class JobApplicationDocument(models.Model):
    application = models.ForeignKey(
        JobApplication,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("application"),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("E.g. CV, cover letter."))
    file = models.FileField(_("file"), upload_to=application_document_path)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")

    def __str__(self) -> str:
        return self.title
