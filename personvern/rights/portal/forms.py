"""Portal forms. They only shape input; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from personvern.core.translated import flagged
from personvern.processing.choices import ActivityStatus, LegalBasis
from personvern.processing.models import ProcessingActivity

from ..choices import ObjectionScope, RequestType


def consent_purposes() -> QuerySet[ProcessingActivity]:
    """The purposes a consent can be withdrawn from (public: they are in the privacy notice)."""
    return ProcessingActivity.objects.filter(
        legal_basis=LegalBasis.CONSENT, status=ActivityStatus.ACTIVE
    ).order_by("name")


class PurposeChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Purposes by their name in the portal's language; a name that exists only in the other
    language is shown flagged (``core.translated``)."""

    def label_from_instance(self, obj: Any) -> str:
        return flagged(obj, "name", (translation.get_language() or "nb")[:2])


class RequestForm(forms.Form):
    request_type = forms.ChoiceField(
        label=_("What do you want to do?"), choices=RequestType.choices, widget=forms.RadioSelect
    )
    email = forms.CharField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("We send a link to this address to confirm that it is yours."),
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example what is wrong and what it should be, or why you object."),
    )
    destination_url = forms.CharField(
        label=_("Send my data to another controller at (portability, optional)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    objection_scopes = forms.MultipleChoiceField(
        label=_("I object to (objection)"),
        required=False,
        choices=ObjectionScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ObjectionScope.DIRECT_MARKETING],
    )
    consent_purposes = PurposeChoiceField(
        label=_("Consents to withdraw (none chosen: all)"),
        required=False,
        queryset=ProcessingActivity.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["consent_purposes"]
        assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
        field.queryset = consent_purposes()


class ProfileForm(forms.Form):
    """The person's own profile: what they may correct themselves."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    role = forms.CharField(label=_("Role"), max_length=150, required=False)
