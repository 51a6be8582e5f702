"""Portal forms. They only shape input; the services validate and decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from personvern.core.translated import flagged
from personvern.processing.choices import ActivityStatus, LegalBasis
from personvern.processing.models import ProcessingActivity

from ..choices import ObjectionScope, RequestType

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def consent_purposes() -> QuerySet[ProcessingActivity]:
    """The purposes a consent can be withdrawn from (public: they are in the privacy notice)."""
    return ProcessingActivity.objects.filter(
        legal_basis=LegalBasis.CONSENT, status=ActivityStatus.ACTIVE
    ).order_by("name")


# The fields each right asks for besides the e-mail address, in the order shown. Only these
# are rendered and read: a right never shows (or accepts) another right's fields.
RIGHT_FIELDS: dict[str, tuple[str, ...]] = {
    RequestType.ACCESS: (),
    RequestType.RECTIFICATION: ("details",),
    RequestType.ERASURE: ("details",),
    RequestType.RESTRICTION: ("details",),
    RequestType.OBJECTION: ("objection_scopes", "details"),
    RequestType.CONSENT_WITHDRAWAL: ("consent_purposes",),
    RequestType.PORTABILITY: ("destination_url",),
}

# What each right means and what happens next, shown above its form and in the first step.
RIGHT_SUMMARIES: dict[str, StrOrPromise] = {
    RequestType.ACCESS: _(
        "A copy of the data we hold about you, with why we process it, on what legal basis, "
        "who receives it and how long we keep it."
    ),
    RequestType.RECTIFICATION: _(
        "Correct data about you that is wrong or incomplete. After confirming you can correct "
        "your name, phone, position and role yourself."
    ),
    RequestType.ERASURE: _(
        "Erase the data about you that we no longer need. We tell you what the law requires us "
        "to keep, and why."
    ),
    RequestType.RESTRICTION: _(
        "Have us keep your data but not use it while something is being clarified, for example "
        "whether it is correct."
    ),
    RequestType.OBJECTION: _(
        "Object to direct marketing (we then stop at once) or to processing based on our "
        "legitimate interest."
    ),
    RequestType.CONSENT_WITHDRAWAL: _(
        "Withdraw consents you have given. Withdrawing is as easy as giving, and does not affect "
        "what was done before."
    ),
    RequestType.PORTABILITY: _(
        "The data you gave us, in a machine-readable format (JSON and CSV), for you or sent "
        "straight to another organisation."
    ),
}

DETAILS_HELP: dict[str, StrOrPromise] = {
    RequestType.RECTIFICATION: _("What is wrong, and what should it be?"),
    RequestType.ERASURE: _("Anything we should know, for example which data you mean."),
    RequestType.RESTRICTION: _(
        "Why processing should be restricted, for example what you dispute."
    ),
    RequestType.OBJECTION: _("Why you object, if it concerns your particular situation."),
}
class PurposeChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Purposes by their name in the portal's language; a name that exists only in the other
    language is shown flagged (``core.translated``)."""

    def label_from_instance(self, obj: Any) -> str:
        return flagged(obj, "name", (translation.get_language() or "nb")[:2])


class RequestForm(forms.Form):
    """The request for one right: the e-mail address and that right's own fields only."""

    request_type = forms.ChoiceField(choices=RequestType.choices, widget=forms.HiddenInput)
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
    )
    destination_url = forms.CharField(
        label=_("Send my data to another controller at (optional)"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "url"}),
        help_text=_("Leave empty to download the data yourself."),
    )
    objection_scopes = forms.MultipleChoiceField(
        label=_("I object to"),
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

    def __init__(self, *args: Any, right: str, **kwargs: Any) -> None:
        # Each right's form has its own element ids, so that several can be on one page.
        kwargs.setdefault("auto_id", f"id_{right}_%s")
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {**kwargs["initial"], "request_type": right}
        super().__init__(*args, **kwargs)
        self.right = right
        keep = {"request_type", "email", *RIGHT_FIELDS[right]}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.order_fields(["request_type", "email", *RIGHT_FIELDS[right]])
        if "consent_purposes" in self.fields:
            field = self.fields["consent_purposes"]
            assert isinstance(field, forms.ModelMultipleChoiceField)  # noqa: S101
            field.queryset = consent_purposes()
        if right in DETAILS_HELP and "details" in self.fields:
            self.fields["details"].help_text = DETAILS_HELP[right]

    def clean_request_type(self) -> str:
        # The right is the form's own: a posted value naming another right is not taken.
        return self.right

    @property
    def summary(self) -> StrOrPromise:
        return RIGHT_SUMMARIES[self.right]

    @property
    def right_label(self) -> str:
        return str(RequestType(self.right).label)


class ProfileForm(forms.Form):
    """The person's own profile: what they may correct themselves."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    role = forms.CharField(label=_("Role"), max_length=150, required=False)
