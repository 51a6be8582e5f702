from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from personvern.processing.choices import ActivityStatus, CommunicationKind
from personvern.processing.models import ProcessingActivity

from .choices import Channel

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class CampaignCheckForm(forms.Form):
    """A pasted or uploaded list of addresses to check before a campaign."""

    purpose = forms.ModelChoiceField(
        label=_("Purpose"),
        queryset=ProcessingActivity.objects.filter(
            status=ActivityStatus.ACTIVE, communication=CommunicationKind.DIRECT_MARKETING
        ),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices[1:])
    addresses = forms.CharField(
        label=_("Addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("One e-mail address or phone number per line."),
    )
    upload = forms.FileField(
        label=_("…or a file"),
        required=False,
        help_text=_("A .txt or .csv file: one address per line, or in the first column."),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        lines = str(cleaned.get("addresses") or "").splitlines()
        upload = cleaned.get("upload")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("upload", _("The file is larger than 10 MB."))
                return cleaned
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("upload", _("The file must be UTF-8 text."))
                return cleaned
            lines += [line.split(",")[0].split(";")[0] for line in text.splitlines()]
        addresses = [line.strip().strip('"') for line in lines if line.strip()]
        if not addresses:
            self.add_error("addresses", _("Paste or upload at least one address."))
        cleaned["address_list"] = addresses
        return cleaned
