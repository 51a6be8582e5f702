"""The permissions each role holds. Changing this list and running migrate updates the groups."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .choices import Role

_REGISTER = (
    "register",
    ["person", "company", "interaction", "jobapplication", "jobapplicationdocument"],
)
_PROCESSING = (
    "processing",
    [
        "processingactivity",
        "balancingassessment",
        "datacategory",
        "processor",
        "dataprocessingagreement",
        "adequacydecision",
        "dpfimport",
        "dpfparticipant",
    ],
)
_ORGANISATION = ("organisation", ["organisation", "supervisoryauthority"])
_RETENTION = (
    "retention",
    [
        "retentionrule",
        "legalhold",
        "bookkeepingrecord",
        "duediligencerecord",
        "reviewflag",
        "statisticcell",
        "sweeprun",
    ],
)
# External data sources (connectors): the officer describes them, the auditor reads them.
_CONNECTORS = (
    "connectors",
    ["sqldataset", "sqldatasetversion", "erasurestep", "httpsource"],
)
_CONSENT_RECORDS = ("consent", ["consentevent", "consentstate", "consenttext"])
_CONSENT_PRIVACY = (
    "consent",
    ["suppressionentry", "telemarketingreservation", "reservationimport"],
)
_RIGHTS_STAFF = [
    ("rights", "view_datasubjectrequest"),
    ("rights", "add_datasubjectrequest"),
    ("rights", "change_datasubjectrequest"),
    ("rights", "verify_datasubjectrequest"),
    ("rights", "view_manualtask"),
    ("rights", "change_manualtask"),
]
_RIGHTS_OFFICER = [
    *_RIGHTS_STAFF,
    ("rights", "extend_datasubjectrequest"),
    ("rights", "refuse_datasubjectrequest"),
    ("rights", "decide_datasubjectrequest"),
    ("register", "edit_restricted_person"),
]


def _codenames(app: str, models: list[str], actions: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(app, f"{action}_{model}") for model in models for action in actions]


ALL = ("view", "add", "change", "delete")
READ = ("view",)

# The IP log holds full addresses: only the privacy officer and the security role read it.
_WEBSITE_SECURITY = [
    ("website", "view_iplogentry"),
    ("website", "view_ipstatistic"),
    *_codenames("website", ["blockentry"], ("view", "add", "change")),
    ("website", "lift_blockentry"),
]
_WEBSITE_PUBLIC = [("website", "view_cookie"), ("website", "view_publishednotice")]
# Breaches, impact assessments, the Art. 30(2) record (issue 14).
_BREACHES = ("breaches", ["breach", "breachnotification", "securitysignal"])
_BREACH_RECORDS = ("breaches", ["breachreminder", "breachletter", "clientnotification"])
_ASSESSMENTS = ("assessments", ["screening", "impactassessment"])
_CLIENTS = ("clients", ["clientcontroller", "clientagreement"])
_SIGNALS = [("breaches", "view_securitysignal"), ("breaches", "change_securitysignal"),
            ("breaches", "view_breach"), ("breaches", "add_breach")]  # fmt: skip
# The scanner's review queue and its fields' policies: the privacy officer decides (issue 12).
_PII_OFFICER = [
    ("pii", "view_finding"),
    ("pii", "review_finding"),
    *_codenames("pii", ["fieldpolicy"], ("view", "add", "change")),
    ("pii", "view_scanprogress"),
]

ROLE_PERMISSIONS: dict[Role, list[tuple[str, str]]] = {
    Role.PRIVACY_OFFICER: [
        # Staff users, their roles and second factors (accounts.services.staff): never deleted,
        # deactivated instead, so the audit log's actors stay resolvable.
        *_codenames("accounts", ["user"], ("view", "add", "change")),
        *_codenames(*_REGISTER, ALL),
        *_codenames(*_PROCESSING, ALL),
        *_codenames(*_ORGANISATION, ALL),
        *_codenames(*_RETENTION, ALL),
        ("scheduling", "view_periodicjob"),
        ("audit", "view_auditentry"),
        ("audit", "export_auditentry"),
        ("processing", "export_record"),
        ("register", "export_person"),
        *_codenames(*_CONSENT_RECORDS, ("view", "add")),
        *_codenames(*_CONSENT_PRIVACY, READ),
        ("consent", "check_contact"),
        ("consent", "import_leads"),
        ("consent", "manage_optouts"),
        *_codenames("website", ["cookie"], ALL),
        ("website", "add_publishednotice"),
        *_WEBSITE_PUBLIC,
        *_WEBSITE_SECURITY,
        *_RIGHTS_OFFICER,
        *_codenames(*_BREACHES, ("view", "add", "change")),
        *_codenames(*_BREACH_RECORDS, READ),
        *_codenames(*_ASSESSMENTS, ("view", "add", "change")),
        *_codenames(*_CLIENTS, ("view", "add", "change")),
        ("clients", "export_clientrecord"),
        *_PII_OFFICER,
        *_codenames("connectors", ["sqldataset", "httpsource"], ("view", "add", "change")),
        *_codenames("rights", ["manualsource"], ("view", "add", "change")),
        *_codenames(*_CONNECTORS, READ),
    ],
    Role.CUSTOMER_SERVICE: [
        *_codenames(*_REGISTER, ("view", "add", "change")),
        *_codenames(*_PROCESSING, READ),
        *_codenames(*_ORGANISATION, READ),
        ("retention", "view_retentionrule"),
        *_codenames(*_CONSENT_RECORDS, READ),
        ("consent", "add_consentevent"),
        ("consent", "manage_optouts"),
        ("consent", "check_contact"),
        *_WEBSITE_PUBLIC,
        *_RIGHTS_STAFF,
    ],
    Role.SALES_MARKETING: [
        *_codenames("register", ["person", "company", "interaction"], ("view", "add", "change")),
        *_codenames(*_PROCESSING, READ),
        *_codenames(*_ORGANISATION, READ),
        ("retention", "view_retentionrule"),
        *_codenames(*_CONSENT_RECORDS, READ),
        ("consent", "add_consentevent"),
        ("consent", "manage_optouts"),
        ("consent", "check_contact"),
        ("consent", "import_leads"),
        *_WEBSITE_PUBLIC,
    ],
    Role.AUDITOR: [
        *_codenames(*_REGISTER, READ),
        *_codenames(*_PROCESSING, READ),
        *_codenames(*_ORGANISATION, READ),
        *_codenames(*_RETENTION, READ),
        ("scheduling", "view_periodicjob"),
        ("audit", "view_auditentry"),
        ("audit", "export_auditentry"),
        ("processing", "export_record"),
        *_codenames(*_CONSENT_RECORDS, READ),
        *_codenames(*_CONSENT_PRIVACY, READ),
        *_WEBSITE_PUBLIC,
        ("website", "view_ipstatistic"),
        ("rights", "view_datasubjectrequest"),
        *_codenames(*_BREACHES, READ),
        *_codenames(*_ASSESSMENTS, READ),
        *_codenames(*_CLIENTS, READ),
        ("pii", "view_finding"),
        ("pii", "view_fieldpolicy"),
        *_codenames(*_CONNECTORS, READ),
    ],
    Role.SECURITY: [
        *_WEBSITE_SECURITY,
        *_SIGNALS,
        ("website", "ingest_iplogentry"),
        *_WEBSITE_PUBLIC,
    ],
}


def sync_roles() -> None:
    """Create each role's group and give it exactly the permissions listed above."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        query = Q(pk__in=[])
        for app_label, codename in perms:
            query |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(query))


def sync_roles_after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    # Permissions of apps listed after this one are created later in the same migrate run;
    # create them now so every role gets its full set on a fresh database.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync_roles()
