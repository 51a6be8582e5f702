"""As a processor, the firm tells each client controller concerned of a breach without undue
delay (Art. 33(2)), by e-mail to the client's privacy contact, each notice recorded once."""

from __future__ import annotations

import logging

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.organisation.selectors import get_controller
from personvern.rights import letters

from .. import clock
from ..choices import BreachErrorCode
from ..models import Breach, ClientNotification

logger = logging.getLogger(__name__)


def notify_clients(*, actor: Actor, breach: Breach) -> list[ClientNotification]:
    """Send the notice to every client concerned not yet told; a refused mail raises (nothing
    recorded for that client) so staff can try again."""
    clients = list(breach.clients.exclude(pk__in=breach.client_notices.values("client_id")))
    if not breach.clients.exists():
        raise DomainError(code=BreachErrorCode.NO_CLIENTS,
                          message=_("Name the client controllers concerned first."),
                          field="clients")  # fmt: skip
    done = []
    for client in clients:
        text = render_to_string("breaches/client_notice.txt", {
            "breach": breach, "client": client, "processor": get_controller(),
            "aware_at": clock.in_oslo(breach.aware_at),
        })  # fmt: skip
        subject, _blank, body = text.strip().partition("\n")
        try:
            letters.send_mail([client.contact_email], subject.strip(), body.strip() + "\n")
        except letters.MAIL_ERRORS as exc:
            logger.error("client notice for breach %s not sent (%s)", breach.pk,
                         type(exc).__name__)  # fmt: skip
            raise letters.mail_failed() from None
        with transaction.atomic():
            notice = ClientNotification.objects.create(
                breach=breach, client=client, sent_at=timezone.now(), recorded_by=actor.label
            )
            record(actor=actor, event=AuditEventType.BREACH_CLIENT_NOTIFIED, obj=breach,
                   fields=["client_notices"])  # fmt: skip
        done.append(notice)
    return done
