"""API handlers on the website's side: the cookie register, the banner's public decision
endpoint, the IP log (ingest, read, masked statistics), the blocklist and notice publishing."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from personvern.accounts.auth import ApiRequest, BearerTokenAuth, api_actor, require_perm
from personvern.audit.choices import AuditEventType
from personvern.audit.services import record
from personvern.consent.models import ConsentEvent, ConsentText
from personvern.consent.services import Evidence
from personvern.core.actors import Actor, client_ip
from personvern.core.api import DbId, Pagination, existing
from personvern.core.throttle import within_rate
from personvern.processing.models import ProcessingActivity

from . import config, selectors, services
from .models import BlockEntry, Cookie, IpLogEntry
from .schemas import (
    BannerDecisionIn,
    BannerDecisionOut,
    BlockIn,
    BlockOut,
    CookieCreateIn,
    CookieOut,
    CookieUpdateIn,
    IngestIn,
    IngestOut,
    IpLogEntryOut,
    IpStatisticOut,
    LiftIn,
    NoticeVersionOut,
    PolicyVersionOut,
    ReviewIn,
)

router = Router(tags=["website"])
PUBLIC_BODY_MAX = 2048
WEBSITE_ACTOR = "website"


def _cookie_out(cookie_id: int) -> Cookie:
    return get_object_or_404(selectors.cookies_with_flag(), pk=cookie_id)


def _with_limit(cookie: Cookie, limit: int | None) -> CookieOut:
    names = [name for name in CookieOut.model_fields if name != "limit_days"]
    fields = {name: getattr(cookie, name) for name in names}
    return CookieOut.model_validate({**fields, "limit_days": limit})


def _purpose_values(data: dict[str, Any]) -> dict[str, Any]:
    if "purpose_id" in data:
        purpose_id = data.pop("purpose_id")
        data["purpose"] = (
            None
            if purpose_id is None
            else existing(
                ProcessingActivity.objects.all(),
                int(str(purpose_id)),
                field="purpose_id",
                message=_("No processing activity with this id."),
            )
        )
    return data


# The cookie register


@router.get("/cookies", response=list[CookieOut])
def list_cookies(request: ApiRequest) -> list[CookieOut]:
    """Every cookie the website sets; ``exceeds_limit`` flags one living past the limit."""
    require_perm(request, "website.view_cookie")
    limit = selectors.lifetime_limit()
    cookies = selectors.cookies_with_flag(limit).order_by("category", "name")
    return [_with_limit(cookie, limit) for cookie in cookies]


@router.post("/cookies", response={201: CookieOut})
def create_cookie(request: ApiRequest, payload: CookieCreateIn) -> Status[CookieOut]:
    require_perm(request, "website.add_cookie")
    values = services.CookieValues(**_purpose_values(payload.model_dump()))
    cookie = services.create_cookie(actor=api_actor(request), values=values)
    return Status(201, _with_limit(_cookie_out(cookie.pk), selectors.lifetime_limit()))


@router.patch("/cookies/{int:cookie_id}", response=CookieOut)
def update_cookie(request: ApiRequest, cookie_id: DbId, payload: CookieUpdateIn) -> CookieOut:
    require_perm(request, "website.change_cookie")
    cookie = get_object_or_404(Cookie, pk=cookie_id)
    # The schema's fields are the cookie's: the service refuses any other name at run time.
    changes = cast(services.CookieChanges, _purpose_values(payload.model_dump(exclude_unset=True)))
    services.update_cookie(actor=api_actor(request), cookie=cookie, changes=changes)
    return _with_limit(_cookie_out(cookie_id), selectors.lifetime_limit())


@router.delete("/cookies/{int:cookie_id}", response={204: None})
def delete_cookie(request: ApiRequest, cookie_id: DbId) -> Status[None]:
    require_perm(request, "website.delete_cookie")
    cookie = get_object_or_404(Cookie, pk=cookie_id)
    services.delete_cookie(actor=api_actor(request), cookie=cookie)
    return Status(204, None)


@router.post("/cookie-policy", response={201: list[PolicyVersionOut]})
def publish_cookie_policy(request: ApiRequest) -> Status[list[ConsentText]]:
    """Publish the cookie policy from the register; the banner asks every visitor again."""
    require_perm(request, "website.add_cookie")
    return Status(201, services.publish_cookie_policy(actor=api_actor(request)))


# The banner (public)


def _cors(request: HttpRequest, response: HttpResponse) -> None:
    origin = request.headers.get("Origin", "")
    if origin and origin in config.get("BANNER_ORIGINS"):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "3600"
        response["Vary"] = "Origin"


@router.api_operation(
    ["OPTIONS"],
    "/public/banner-decisions",
    response={204: None},
    auth=None,
    include_in_schema=False,
)
def banner_preflight(request: HttpRequest, response: HttpResponse) -> Status[None]:
    _cors(request, response)
    return Status(204, None)


@router.post("/public/banner-decisions", response={201: BannerDecisionOut}, auth=None)
def record_banner_decision(
    request: HttpRequest, response: HttpResponse, payload: BannerDecisionIn
) -> Status[BannerDecisionOut]:
    """The banner's record of a visitor's choice, refusals included, against the anonymous
    visitor id and the cookie policy version shown. Public: no sign-in; strict input, small
    bodies only."""
    _cors(request, response)
    if len(request.body) > PUBLIC_BODY_MAX:
        raise HttpError(413, str(_("The request is too large.")))
    if not within_rate("banner-decisions", client_ip(request)):
        raise HttpError(429, str(_("Too many requests; try again in a minute.")))
    # Global Privacy Control arrives as the browser's own Sec-GPC header as well as from the
    # script; either is the visitor's refusal, whatever the script sent.
    gpc = payload.gpc or request.headers.get("Sec-GPC", "").strip() == "1"
    decision = services.BannerDecision(**{**payload.model_dump(), "gpc": gpc})
    evidence = Evidence(
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
        form_id="cookie-banner:gpc" if gpc else "cookie-banner",
    )
    events: list[ConsentEvent] = services.record_banner_decision(
        actor=Actor.for_system(WEBSITE_ACTOR), decision=decision, evidence=evidence
    )
    return Status(
        201,
        BannerDecisionOut.model_validate(
            {
                "visitor_id": payload.visitor_id,
                "policy_version": payload.policy_version,
                "events": [
                    {"purpose_id": e.purpose_id, "action": e.action, "sequence": e.sequence}
                    for e in events
                ],
            }
        ),
    )


# The IP security log


@router.post("/ip-log", response={201: IngestOut}, auth=BearerTokenAuth())
def ingest_ip_log(request: ApiRequest, payload: IngestIn) -> Status[IngestOut]:
    """A batch of the website's request log (at most 1,000 entries), from its server with an
    API token. Paths are stored without their query string."""
    require_perm(request, "website.ingest_iplogentry")
    accepted = services.ingest_requests(
        actor=api_actor(request),
        requests=[
            services.IngestedRequest(
                at=e.at,
                ip_address=str(e.ip_address),
                method=e.method,
                path=e.path,
                status=e.status,
                user_agent=e.user_agent,
                person_id=e.person_id,
            )
            for e in payload.entries
        ],
    )
    return Status(201, IngestOut(accepted=accepted))


@router.get("/ip-log", response=list[IpLogEntryOut])
@paginate(Pagination)
def list_ip_log(request: ApiRequest) -> QuerySet[IpLogEntry]:
    """The log, newest first; privacy officer and security role only. Reading is audited."""
    require_perm(request, "website.view_iplogentry")
    record(
        actor=api_actor(request),
        event=AuditEventType.IP_LOG_VIEWED,
        object_type=IpLogEntry._meta.label_lower,
        detail={"via": "api"},
    )
    return selectors.ip_log()


@router.get("/ip-statistics", response=list[IpStatisticOut])
@paginate(Pagination)
def ip_statistics(request: ApiRequest) -> QuerySet[IpLogEntry]:
    """Requests per masked network: the statistics never see a full address."""
    require_perm(request, "website.view_ipstatistic")
    return selectors.masked_statistics()  # type: ignore[return-value]


# The blocklist


@router.get("/blocklist", response=list[BlockOut])
@paginate(Pagination)
def list_blocks(request: ApiRequest, due: bool = False) -> QuerySet[BlockEntry]:
    """Active blocks; with ``due=true`` only those due for review (the review list)."""
    require_perm(request, "website.view_blockentry")
    return selectors.blocks_due_for_review() if due else selectors.active_blocks()


@router.post("/blocklist", response={201: BlockOut})
def block(request: ApiRequest, payload: BlockIn) -> Status[BlockEntry]:
    """Block an address or CIDR network (IPv4 or IPv6); it takes effect at once in this
    process and within ``BLOCKLIST_CACHE_SECONDS`` in the others."""
    require_perm(request, "website.add_blockentry")
    return Status(201, services.block_address(actor=api_actor(request), **payload.model_dump()))


@router.post("/blocklist/{int:block_id}/lift", response=BlockOut)
def lift(request: ApiRequest, block_id: DbId, payload: LiftIn) -> BlockEntry:
    require_perm(request, "website.lift_blockentry")
    entry = get_object_or_404(BlockEntry, pk=block_id)
    return services.lift_block(actor=api_actor(request), entry=entry, reason=payload.reason)


@router.post("/blocklist/{int:block_id}/review", response=BlockOut)
def review(request: ApiRequest, block_id: DbId, payload: ReviewIn) -> BlockEntry:
    """The review kept the block: set the next review date."""
    require_perm(request, "website.change_blockentry")
    entry = get_object_or_404(BlockEntry, pk=block_id)
    return services.review_block(
        actor=api_actor(request), entry=entry, next_review_on=payload.next_review_on
    )


# The privacy notice


@router.post("/privacy-notice", response={201: list[NoticeVersionOut]})
def publish_notice(request: ApiRequest) -> Status[list[ConsentText]]:
    """Publish the notice as generated now (languages whose text changed)."""
    require_perm(request, "website.add_publishednotice")
    return Status(201, services.publish_privacy_notice(actor=api_actor(request)))
