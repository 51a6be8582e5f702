"""A partial refusal of access on a statutory exemption (personopplysningsloven § 16; GDPR
Art. 23), decided by the privacy officer before the package is built.

The decision names its ground and the kinds of records withheld; the package leaves those
kinds out, and the reply says that part of the request is refused, on which ground, with the
right to complain and to go to court (Art. 12(4)). On the ground of hvitvaskingsloven § 28 the
reply cites only the statutory duty of confidentiality (§ 16 (1)(d)) and never the officer's
reason: telling the customer about a report to Økokrim is itself forbidden."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from personvern.core.actors import Actor
from personvern.core.errors import DomainError
from personvern.register.selectors import find_people

from ..choices import AccessExemption, EventKind, RequestType, RightsErrorCode
from ..models import DataSubjectRequest
from ..sources import configured_sources
from .common import lock, require_open, require_perm, require_text
from .events import log


@transaction.atomic
def decide_access_exemption(
    *,
    actor: Actor,
    request: DataSubjectRequest,
    ground: str,
    withheld: Sequence[str],
    reason: str,
) -> DataSubjectRequest:
    """Withhold ``withheld`` (kinds of records, as the package names them) from the answer to
    an access request on ``ground``; ``reason`` is kept for the record (and sent unless the
    ground forbids telling it)."""
    require_perm(actor, "rights.decide_datasubjectrequest")
    request = lock(request.pk)
    require_open(request)
    if request.request_type != RequestType.ACCESS or request.package_name:
        raise DomainError(
            code=RightsErrorCode.NOT_ACCESS,
            status=409,
            message=_(
                "Only an access request whose package is not yet built can be refused in part."
            ),
        )
    if ground not in AccessExemption.values:
        raise DomainError(
            code=RightsErrorCode.INVALID_GROUND,
            field="ground",
            message=_("Choose one of the statutory grounds."),
        )
    reason = require_text(
        reason,
        field="reason",
        code=RightsErrorCode.REASON_REQUIRED,
        message=_("Give the reason for the partial refusal."),
    )
    kinds = sorted({kind.strip() for kind in withheld if kind.strip()})
    if not kinds:
        raise DomainError(
            code=RightsErrorCode.WITHHELD_REQUIRED,
            field="withheld",
            message=_("Name the kinds of records that are withheld."),
        )
    # Usually decided as the request comes in, before the person confirms it (the answer is
    # built as soon as they do): the kinds are checked against what is held on the person the
    # request is matched with, or else on whoever has its address.
    person = request.person or find_people(email=request.contact_email).first()
    if person is None:
        raise DomainError(
            code=RightsErrorCode.PERSON_REQUIRED,
            status=409,
            message=_("No one in the register has this request's address: nothing to withhold."),
        )
    known = {kind for source in configured_sources() for kind in source.collect(person).kinds}
    if unknown := [kind for kind in kinds if kind not in known]:
        raise DomainError(
            code=RightsErrorCode.UNKNOWN_KIND,
            field="withheld",
            message=_("Unknown kind of records: %(kinds)s. Known: %(known)s.")
            % {"kinds": ", ".join(unknown), "known": ", ".join(sorted(known))},
        )
    request.refusal_reason = reason
    request.result = {**request.result, "exemption": {"ground": ground, "withheld": kinds}}
    request.save(update_fields=["refusal_reason", "result"])
    log(
        request=request,
        kind=EventKind.EXEMPTION_DECIDED,
        actor=actor,
        detail={"ground": ground, "withheld": len(kinds)},
        fields=("refusal_reason",),
    )
    return request
