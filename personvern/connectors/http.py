"""A REST API as a data source (a CRM, a newsletter tool), described declaratively::

    key: crm
    name: CRM
    base_url: https://crm.example/api
    auth: {env: PERSONVERN_SOURCE_CRM_TOKEN, header: Authorization, prefix: "Bearer "}
    find: {path: /contacts, params: {email: "{email}"}, items: items, next: next}
    erase: {method: DELETE, path: "/contacts/{id}"}
    restrict: {method: PATCH, path: "/contacts/{id}", json: {processing_restricted: true}}
    lift: {method: PATCH, path: "/contacts/{id}", json: {processing_restricted: false}}
    update: {method: PATCH, path: "/contacts/{id}", fields: {email: email, name: full_name}}
    rate_per_second: 5

``find`` is called once per identity kind it names (``{email}``, ``{phone}``, …), following
``next`` (a URL, absolute or relative, in the response) page by page; each item is a record
and its ``id`` field fills ``{id}`` in ``erase``, ``restrict``, ``lift`` and ``update``.
``restrict`` and ``lift`` (optional) mark a restriction of processing and take it away again;
a source without them is restricted or lifted by hand, and the reply says so. ``update``
(optional) corrects a record after a rectification: its JSON body holds the corrected values
(``fields``: person field -> the API's field name), normalised as the register stores them;
a source without it is corrected by hand, and the reply says so. Calls go through httpx;
a transport error, a 429 or a 5xx is retried with exponential backoff (tenacity), and at most
``rate_per_second`` calls are made. The token comes from the environment, never the database;
errors leave as :class:`~personvern.connectors.sql.SourceUnavailable` with a code and the
exception's class (a response's text is never kept)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import Annotated, Any, Literal
from urllib.parse import urljoin

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from tenacity import (
    RetryError,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from personvern.core.errors import DomainError, FieldError

from .choices import ConnectorErrorCode, IdentityKind, PersonField
from .identities import Identity
from .sql import SourceUnavailable

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AuthSpec(_Strict):
    env: Annotated[str, Field(pattern=r"^[A-Z_][A-Z0-9_]{0,99}$")]
    header: str = "Authorization"
    prefix: str = "Bearer "


class CallSpec(_Strict):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "GET"
    path: str = Field(min_length=1, max_length=500)
    params: dict[str, str] = Field(default_factory=dict)
    json_body: dict[str, Any] | None = Field(default=None, alias="json")


class FindSpec(CallSpec):
    items: str = "items"  # the list of records in the response
    next: str = "next"  # the next page's URL in the response (absent or null: last page)
    id: str = "id"


class UpdateSpec(CallSpec):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "PATCH"
    fields: dict[PersonField, str] = Field(min_length=1)  # person field -> API field


class HttpSourceSpec(_Strict):
    key: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]
    name: str = Field(min_length=1, max_length=200)
    base_url: Annotated[str, Field(pattern=r"^https?://")]
    auth: AuthSpec | None = None
    find: FindSpec
    erase: CallSpec
    restrict: CallSpec | None = None
    lift: CallSpec | None = None  # takes the restriction away again
    update: UpdateSpec | None = None
    rate_per_second: float = Field(default=5, gt=0, le=1000)
    attempts: int = Field(default=4, ge=1, le=10)
    backoff_seconds: float = Field(default=0.5, ge=0, le=60)
    timeout_seconds: float = Field(default=10, gt=0, le=120)


def parse_http(data: Any) -> HttpSourceSpec:
    try:
        return HttpSourceSpec.model_validate(data)
    except ValidationError as exc:
        raise DomainError(
            code=ConnectorErrorCode.INVALID_DATASET,
            message=_("The HTTP source is not valid."),
            errors=[
                FieldError(
                    field=".".join(map(str, e["loc"])) or "source",
                    code=ConnectorErrorCode.INVALID_DATASET,
                    message=e["msg"],
                )
                for e in exc.errors(include_input=False, include_url=False)
            ],
        ) from None


def _retryable(exc: BaseException) -> bool:
    import httpx

    if isinstance(exc, httpx.TransportError):
        return True
    return isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code in RETRY_STATUSES


class HttpClient:
    """One source's calls: auth, rate limit, retries with backoff."""

    def __init__(self, spec: HttpSourceSpec) -> None:
        self.spec = spec
        headers = {"Accept": "application/json"}
        if spec.auth is not None:
            token = os.environ.get(spec.auth.env, "")
            if not token:
                raise SourceUnavailable(ConnectorErrorCode.NO_CREDENTIALS)
            headers[spec.auth.header] = f"{spec.auth.prefix}{token}"
        import httpx  # here, not at start-up: with click and rich installed it costs ~18 MiB

        self.client = httpx.Client(
            base_url=spec.base_url, headers=headers, timeout=spec.timeout_seconds
        )
        self._lock = threading.Lock()
        self._last = 0.0

    def close(self) -> None:
        self.client.close()

    def _pace(self) -> None:
        with self._lock:
            wait = self._last + 1 / self.spec.rate_per_second - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()

    def call(
        self,
        call: CallSpec,
        values: dict[str, str],
        url: str | None = None,
        *,
        body: dict[str, Any] | None = None,
    ) -> Any:
        import httpx

        def once() -> Any:
            self._pace()
            response = self.client.request(
                call.method,
                url or call.path.format(**values),
                params=None if url else {k: v.format(**values) for k, v in call.params.items()},
                json=call.json_body if body is None else body,
            )
            response.raise_for_status()
            return response.json() if response.content else None

        retrying = Retrying(
            stop=stop_after_attempt(self.spec.attempts),
            wait=wait_exponential(multiplier=self.spec.backoff_seconds, max=60),
            retry=retry_if_exception(_retryable),
            reraise=False,
        )
        try:
            return retrying(once)
        except RetryError as exc:
            cause = exc.last_attempt.exception()
            raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, cause) from None
        except (httpx.HTTPError, ValueError) as exc:
            raise SourceUnavailable(ConnectorErrorCode.CONNECTION_FAILED, exc) from None

    def find(self, identity: Identity) -> Iterator[dict[str, Any]]:
        """The records about the identity, page by page, each once (by its id)."""
        find = self.spec.find
        seen: set[str] = set()
        for kind in IdentityKind:
            placeholder = "{" + kind.value + "}"
            if not any(placeholder in v for v in (*find.params.values(), find.path)):
                continue
            value = identity.canonical(kind)
            if not value:
                continue
            url: str | None = None
            while True:
                page = self.call(find, {kind.value: value}, url)
                for item in (page or {}).get(find.items, []):
                    key = str(item.get(find.id))
                    if key not in seen:
                        seen.add(key)
                        yield item
                following = (page or {}).get(find.next)
                if not following:
                    break
                url = urljoin(self.spec.base_url.rstrip("/") + "/", str(following))
