"""Staff users managed by the privacy officer: create, change details, give and take roles,
deactivate and reactivate. Each operation checks the actor's permission, keeps at least one
active privacy officer, and writes its audit entry in the same transaction (field names and
role names only, never a name or an address).

A role is a Django group (``roles.ROLE_PERMISSIONS``); nobody is given permissions one by one
here, and nobody but a superuser makes a superuser (this module never sets the flag).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.core.actors import Actor
from personvern.core.errors import CoreErrorCode, DomainError, FieldError, collect

from ..choices import AccountsErrorCode, Role
from ..models import ApiToken, User


class StaffChanges(TypedDict, total=False):
    first_name: str
    last_name: str
    email: str


STAFF_FIELDS = frozenset(StaffChanges.__annotations__)


def _require(actor: Actor, perm: str, *, field: str) -> None:
    if not actor.has_perm(perm):
        raise DomainError(
            code=CoreErrorCode.PERMISSION_DENIED,
            message=_("You may not manage staff users."),
            field=field,
        )


def roles_of(user: User) -> list[str]:
    names = set(user.groups.values_list("name", flat=True))
    return [role.value for role in Role if role.value in names]


def _clean_roles(roles: Iterable[str]) -> list[str]:
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise DomainError(
            code=AccountsErrorCode.UNKNOWN_ROLE,
            message=_("Choose roles from the list."),
            field="roles",
        )
    return [role.value for role in Role if role.value in wanted]


def _clean_email(email: str) -> str:
    email = email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                code=CoreErrorCode.INVALID_EMAIL,
                message=_("Enter a valid e-mail address."),
                field="email",
            ) from None
    return email


def _active_officers(*, excluding: User) -> int:
    return (
        User.objects.filter(is_active=True, groups__name=Role.PRIVACY_OFFICER.value)
        .exclude(pk=excluding.pk)
        .count()
    )


def _keep_an_officer(user: User, *, field: str) -> None:
    """Refuse the change that would leave no active privacy officer to manage staff."""
    if _active_officers(excluding=user) == 0:
        raise DomainError(
            code=AccountsErrorCode.LAST_PRIVACY_OFFICER,
            message=_("Someone else must be an active privacy officer first."),
            field=field,
        )


@transaction.atomic
def create_staff_user(
    *,
    actor: Actor,
    username: str,
    password: str,
    roles: Iterable[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """A staff member who signs in with ``password`` (and a second factor where their role
    needs one: they set it up at the first sign-in)."""
    _require(actor, "accounts.add_user", field="username")
    username = username.strip()
    errors: list[FieldError] = []
    if not username:
        errors.append(
            FieldError(
                field="username",
                code=CoreErrorCode.REQUIRED,
                message=str(_("A username is required.")),
            )
        )
    elif User.objects.filter(username__iexact=username).exists():
        errors.append(
            FieldError(
                field="username",
                code=AccountsErrorCode.USERNAME_TAKEN,
                message=str(_("That username is taken.")),
            )
        )
    try:
        validate_password(password, User(username=username, email=email))
    except ValidationError as exc:
        errors.append(
            FieldError(
                field="password",
                code=AccountsErrorCode.WEAK_PASSWORD,
                message=" ".join(str(m) for m in exc.messages),
            )
        )
    collect(errors)
    role_names = _clean_roles(roles)
    user = User(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=_clean_email(email),
        is_staff=True,
        is_active=True,
    )
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=role_names))
    record(
        actor=actor,
        event=AuditEventType.STAFF_USER_CREATED,
        obj=user,
        fields=["username", "first_name", "last_name", "email"],
        detail={"roles": role_names},
    )
    return user


@transaction.atomic
def update_staff_user(*, actor: Actor, user: User, changes: StaffChanges) -> User:
    _require(actor, "accounts.change_user", field="user")
    unknown = set(changes) - STAFF_FIELDS
    if unknown:
        raise DomainError(
            code=AccountsErrorCode.UNKNOWN_FIELD,
            message=_("Only the name and e-mail address are changed here."),
            field=sorted(unknown)[0],
        )
    values = {name: str(value).strip() for name, value in changes.items()}
    if "email" in values:
        values["email"] = _clean_email(values["email"])
    changed = [name for name, value in values.items() if getattr(user, name) != value]
    if not changed:
        return user
    for name in changed:
        setattr(user, name, values[name])
    user.save(update_fields=changed)
    record(actor=actor, event=AuditEventType.STAFF_USER_CHANGED, obj=user, fields=changed)
    return user


@transaction.atomic
def set_roles(*, actor: Actor, user: User, roles: Iterable[str]) -> User:
    """Give ``user`` exactly ``roles``; the last active privacy officer keeps theirs."""
    _require(actor, "accounts.change_user", field="roles")
    User.objects.select_for_update().filter(pk=user.pk).first()
    before = roles_of(user)
    after = _clean_roles(roles)
    if before == after:
        return user
    officer = Role.PRIVACY_OFFICER.value
    if officer in before and officer not in after and user.is_active:
        _keep_an_officer(user, field="roles")
    user.groups.set(Group.objects.filter(name__in=after))
    record(
        actor=actor,
        event=AuditEventType.STAFF_ROLES_CHANGED,
        obj=user,
        fields=["groups"],
        detail={"before": before, "after": after},
    )
    return user


@transaction.atomic
def deactivate_staff_user(*, actor: Actor, user: User) -> User:
    """The staff member can no longer sign in or use the API; nothing they did is removed."""
    _require(actor, "accounts.change_user", field="user")
    if not user.is_active:
        return user
    if actor.user is not None and actor.user.pk == user.pk:
        raise DomainError(
            code=AccountsErrorCode.SELF_DEACTIVATION,
            message=_("You cannot deactivate yourself."),
            field="user",
        )
    if Role.PRIVACY_OFFICER.value in roles_of(user):
        _keep_an_officer(user, field="user")
    user.is_active = False
    user.save(update_fields=["is_active"])
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    record(
        actor=actor,
        event=AuditEventType.STAFF_USER_DEACTIVATED,
        obj=user,
        fields=["is_active"],
        detail={"tokens_revoked": revoked},
    )
    return user


@transaction.atomic
def reactivate_staff_user(*, actor: Actor, user: User) -> User:
    _require(actor, "accounts.change_user", field="user")
    if user.is_active:
        return user
    user.is_active = True
    user.save(update_fields=["is_active"])
    record(actor=actor, event=AuditEventType.STAFF_USER_REACTIVATED, obj=user, fields=["is_active"])
    return user
