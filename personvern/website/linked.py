"""The IP log entries linked to a person (those of requests in which they sent us their
data), for their access package: registered with ``register.linked`` in ``apps.py``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from personvern.register.linked import LinkedRecords
from personvern.register.models import Person

from .models import IpLogEntry

IP_LOG_KIND = "ip_log_entries"


def ip_log_of(person: Person) -> LinkedRecords:
    entries = IpLogEntry.objects.filter(person_id=person.pk).order_by("at", "pk")
    return LinkedRecords(
        description=_(
            "Entries of our IP security log for requests in which you sent us your data: "
            "time, IP address, method, page (without query string), status and browser."
        ),
        source=_("Recorded by our web server when you used our pages."),
        records=[
            {
                "at": entry.at.isoformat(),
                "ip_address": entry.ip_address,
                "method": entry.method,
                "path": entry.path,
                "status": entry.status,
                "user_agent": entry.user_agent,
                "source": entry.source,
            }
            for entry in entries
        ],
    )
