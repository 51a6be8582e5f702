from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from personvern.core.actors import Actor
from personvern.core.admin import ServiceAdmin
from personvern.core.errors import DomainError

from . import services
from .choices import Role
from .models import ApiToken, User

# django-otp's own device admins would change devices past the services and their audit (and
# show keys): a staff member manages their own devices under "Second factor"; a lost one is
# reset by the action below.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class StaffUserForm(forms.ModelForm[User]):
    """A staff member's details and roles; the roles are the groups of ``roles.py``."""

    roles = forms.MultipleChoiceField(
        label=_("roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the staff member may see and do (docs/workplace.md)."),
    )

    class Meta:
        model = User
        fields: tuple[str, ...] = ("username", "first_name", "last_name", "email", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["roles"].initial = services.roles_of(self.instance)


class StaffUserAddForm(StaffUserForm):
    password1 = forms.CharField(
        label=_("password"), strip=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("They sign in with it, and set up a second factor if their role needs one."),
    )
    password2 = forms.CharField(
        label=_("password again"), strip=False, widget=forms.PasswordInput(render_value=False),
    )

    class Meta(StaffUserForm.Meta):
        fields: tuple[str, ...] = ("username", "first_name", "last_name", "email")

    def clean_password2(self) -> str:
        password1 = self.cleaned_data.get("password1")
        password2: str = self.cleaned_data.get("password2", "")
        if password1 and password1 != password2:
            raise forms.ValidationError(_("The two passwords differ."))
        return password2


@admin.register(User)
class StaffUserAdmin(ServiceAdmin[User]):
    """The privacy officer manages staff here: details, roles, deactivation and second
    factors, each through ``accounts.services`` and audited. Nobody is deleted (the audit
    log names them): a leaver is deactivated."""

    list_display = ("username", "full_name", "roles_display", "is_active", "last_login")
    list_filter = ("is_active", "groups")
    search_fields = ("username", "first_name", "last_name")
    ordering = ("username",)
    actions = ["deactivate", "reactivate", "reset_second_factor"]
    readonly_fields = ("last_login", "date_joined")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("username", "first_name", "last_name", "email", "roles",
                    "password1", "password2")
        return ("username", "first_name", "last_name", "email", "roles", "is_active",
                "last_login", "date_joined")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        return ("username", *self.readonly_fields)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = StaffUserForm if obj is not None else StaffUserAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("name"))
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()

    @admin.display(description=_("roles"))
    def roles_display(self, obj: User) -> str:
        names = {group.name for group in obj.groups.all()}
        return ", ".join(str(role.label) for role in Role if role.value in names)

    def create(self, *, actor: Actor, values: dict[str, Any]) -> User:
        return services.create_staff_user(
            actor=actor,
            username=values.get("username", ""),
            password=values.get("password1", ""),
            roles=values.get("roles", []),
            first_name=values.get("first_name", ""),
            last_name=values.get("last_name", ""),
            email=values.get("email", ""),
        )

    def update(self, *, actor: Actor, obj: User, changes: dict[str, Any]) -> User:
        details = {k: v for k, v in changes.items() if k in services.staff.STAFF_FIELDS}
        if details:
            obj = services.update_staff_user(
                actor=actor, user=obj, changes=cast(services.StaffChanges, details)
            )
        if "roles" in changes:
            obj = services.set_roles(actor=actor, user=obj, roles=changes["roles"])
        if "is_active" in changes:
            change_state = (
                services.reactivate_staff_user if changes["is_active"]
                else services.deactivate_staff_user
            )
            obj = change_state(actor=actor, user=obj)
        return obj

    def _each(
        self, request: HttpRequest, queryset: QuerySet[User], operation: Any, done: Any
    ) -> None:
        actor = Actor.from_request(request)
        count = 0
        for user in queryset:
            try:
                operation(actor=actor, user=user)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{user.username}: {exc.message}", messages.ERROR)
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Deactivate (they can no longer sign in)"),
                  permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, services.deactivate_staff_user,
                   _("%(count)d staff users deactivated."))

    @admin.action(description=_("Reactivate"), permissions=["change"])
    def reactivate(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._each(request, queryset, services.reactivate_staff_user,
                   _("%(count)d staff users reactivated."))

    @admin.action(
        description=_("Reset the second factor (lost phone or key)"), permissions=["change"]
    )
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = Actor.from_request(request)
        removed = sum(services.reset_second_factor(actor=actor, user=user) for user in queryset)
        self.message_user(
            request, _("%(count)d devices removed.") % {"count": removed}, messages.SUCCESS
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Tokens are issued with ``personvern token create``; here they are seen and revoked."""

    list_display = (
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    exclude = ("key_digest",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
