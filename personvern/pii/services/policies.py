from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError

from ..choices import FieldPolicyAction, PiiErrorCode
from ..models import FieldPolicy
from ..registry import target_for


@transaction.atomic
def set_field_policy(*, actor: Actor, target: str, field: str, action: str) -> FieldPolicy:
    """The privacy officer decides whether a finding in ``target.field`` warns or refuses."""
    if not actor.has_perm("pii.change_fieldpolicy"):
        raise DomainError(
            code=CoreErrorCode.PERMISSION_DENIED,
            message=_("Only the privacy officer sets scanning policies."),
            status=403,
        )
    if field not in target_for(target).fields:
        raise DomainError(
            code=PiiErrorCode.UNKNOWN_FIELD, message=_("This field is not scanned."), field="field"
        )
    if action not in FieldPolicyAction.values:
        raise DomainError(
            code=PiiErrorCode.INVALID_POLICY,
            message=_("The action must be warn or refuse."),
            field="action",
        )
    policy, _created = FieldPolicy.objects.update_or_create(
        target=target, field=field, defaults={"action": action, "changed_at": timezone.now()}
    )
    record(
        actor=actor,
        event=AuditEventType.PII_POLICY_SET,
        obj=policy,
        fields=["action"],
        detail={"target": target, "field": field, "action": action},
    )
    return policy
