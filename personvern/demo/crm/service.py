"""A small CRM-like REST service, the demo firm's CRM and the HTTP source tests' stand-in for a
SaaS: JSON over HTTP, bearer-token auth, contacts (name, e-mail, phone, company, notes and an
interaction history) found by e-mail or phone in pages with a relative ``next`` link, read,
changed (PATCH), anonymised or deleted one by one, and a fixed-window rate limit announced in
``X-RateLimit-*`` headers (429 with ``Retry-After`` beyond it), as such APIs do.

Standard library only (``http.server``), so the demo needs nothing more. The contacts live in
memory and, given a file, in JSON there, written again after every change (write and rename),
so a restarted service finds what an erasure left. The access log names the method, the path
without its query (the query carries e-mail addresses and phone numbers) and the status."""

from __future__ import annotations

import hmac
import json
import math
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

PREFIX = "/api/contacts"
# What PATCH may change, with the type each value must have.
EDITABLE: dict[str, type] = {
    "name": str,
    "email": str,
    "phone": str,
    "company": str,
    "notes": str,
    "restricted": bool,
}
ANONYMOUS = "(anonymised)"
MAX_PAGE = 100
KEPT_CALLS = 1000


def _phone_key(value: str) -> str:
    """A phone number as digits with its country code (``+47 912 34 567`` and ``91234567`` are
    the same Norwegian number), so that the spelling asked with does not matter."""
    digits = re.sub(r"\D", "", value.replace("+", "00", 1))
    if digits.startswith("00"):
        return digits[2:]
    return f"47{digits}" if len(digits) == 8 else digits


def _matches(contact: dict[str, Any], query: dict[str, str]) -> bool:
    """Whether the contact has every value asked for (e-mail in any case, phone in any
    spelling)."""
    if "email" in query and contact.get("email", "").casefold() != query["email"].casefold():
        return False
    if "phone" in query and _phone_key(contact.get("phone", "")) != _phone_key(query["phone"]):
        return False
    return "company" not in query or contact.get("company") == query["company"]


class ProblemError(Exception):
    """A call refused: its status, what is wrong, and the field or parameter at fault."""

    def __init__(self, status: int, error: str, field: str | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.field = status, error, field


class Crm:
    """The contacts and the HTTP server in front of them.

    ``fail_next`` answers that many calls 503 Busy before any other check, as a loaded SaaS
    does now and then; ``calls`` keeps the method and path (no query) of the latest calls."""

    def __init__(
        self,
        *,
        token: str,
        path: Path | None = None,
        page_size: int = 20,
        rate_limit: int = 100,
        quiet: bool = True,
    ) -> None:
        self.token = token
        self.path = path
        self.page_size = page_size
        self.rate_limit = rate_limit  # calls per second
        self.quiet = quiet
        self.contacts: dict[int, dict[str, Any]] = {}
        self.calls: list[str] = []
        self.fail_next = 0
        self.server: ThreadingHTTPServer | None = None
        self.lock = threading.Lock()
        self._window = (0, 0)  # (second, calls made in it)
        if path is not None and path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            self.contacts = {int(c["id"]): c for c in data["contacts"]}

    @property
    def url(self) -> str:
        if self.server is None:
            raise RuntimeError("the CRM is not serving")
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/api"

    def add(self, **contact: Any) -> int:
        with self.lock:
            key = max(self.contacts, default=0) + 1
            self.contacts[key] = {
                "id": key,
                "restricted": False,
                "interactions": [],
                **contact,
            }
            self._save()
        return key

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        text = json.dumps({"contacts": list(self.contacts.values())}, ensure_ascii=False, indent=1)
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(self.path)

    # --- the API -------------------------------------------------------------------------

    def rate(self) -> tuple[bool, dict[str, str]]:
        """One call counted in this second's window: whether it may go, and the headers."""
        now = time.time()
        second = math.floor(now)
        with self.lock:
            start, used = self._window
            used = used + 1 if start == second else 1
            self._window = (second, used)
        headers = {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(self.rate_limit - used, 0)),
            "X-RateLimit-Reset": str(second + 1),
        }
        if used > self.rate_limit:
            headers["Retry-After"] = "1"
        return used <= self.rate_limit, headers

    def search(self, query: dict[str, str]) -> dict[str, Any]:
        page = _positive(query.pop("page", "1"), "page")
        size = min(_positive(query.pop("per_page", str(self.page_size)), "per_page"), MAX_PAGE)
        unknown = set(query) - {"email", "phone", "company"}
        if unknown:
            raise ProblemError(400, "unknown search parameter", sorted(unknown)[0])
        empty = sorted(name for name, value in query.items() if not value.strip())
        if empty:
            raise ProblemError(400, "must not be empty", empty[0])
        with self.lock:
            found = [c for c in self.contacts.values() if _matches(c, query)]
        items = found[(page - 1) * size : page * size]
        following = None
        if len(found) > page * size:
            following = "contacts?" + urlencode({**query, "page": page + 1, "per_page": size})
        return {"items": items, "next": following, "total": len(found)}

    def change(self, key: int, values: Any) -> dict[str, Any]:
        if not isinstance(values, dict):
            raise ProblemError(400, "the body must be a JSON object")
        for name, value in values.items():
            if name not in EDITABLE:
                raise ProblemError(422, "this field cannot be changed", name)
            if not isinstance(value, EDITABLE[name]):
                raise ProblemError(422, f"must be a {EDITABLE[name].__name__}", name)
        with self.lock:
            contact = self.get(key)
            contact.update(values)
            self._save()
            return contact

    def anonymise(self, key: int) -> dict[str, Any]:
        """Keep the record (the firm's statistics count it), without anything naming the person."""
        with self.lock:
            contact = self.get(key)
            contact.update(name=ANONYMOUS, email="", phone="", notes="", anonymised=True)
            for interaction in contact.get("interactions", []):
                interaction["summary"] = ANONYMOUS
            self._save()
            return contact

    def delete(self, key: int) -> None:
        with self.lock:
            self.get(key)
            del self.contacts[key]
            self._save()

    def get(self, key: int) -> dict[str, Any]:
        if key not in self.contacts:
            raise ProblemError(404, "no such contact")
        return self.contacts[key]

    # --- the server ----------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve in a thread (the tests)."""
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, host: str, port: int) -> None:
        """Serve until interrupted (``personvern democrm``)."""
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        try:
            self.server.serve_forever()
        finally:
            self.server.server_close()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _positive(value: str, field: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise ProblemError(400, "must be a whole number of 1 or more", field)
    return int(value)


def _handler(crm: Crm) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "DemoCRM/1.0"

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if not crm.quiet:
                path = urlsplit(self.path).path
                sys.stderr.write(f"democrm {self.command} {path} {code}\n")

        def log_message(self, format: str, *args: Any) -> None:
            pass  # its messages may quote the request line, query and all

        def _send(
            self, status: int, body: Any = None, headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if data:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self) -> None:
            parts = urlsplit(self.path)
            with crm.lock:
                crm.calls.append(f"{self.command} {parts.path}")
                del crm.calls[:-KEPT_CALLS]
                busy = crm.fail_next > 0
                crm.fail_next -= busy
            if busy:
                return self._send(503, {"error": "busy, try again"}, {"Retry-After": "1"})
            allowed, headers = crm.rate()
            if not allowed:
                return self._send(429, {"error": "rate limit exceeded"}, headers)
            given = self.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {crm.token}".encode()):
                headers["WWW-Authenticate"] = 'Bearer realm="crm"'
                return self._send(401, {"error": "unauthorised"}, headers)
            try:
                status, body = self._route(parts.path, parts.query)
            except ProblemError as problem:
                error = {"error": problem.error}
                if problem.field is not None:
                    error["field"] = problem.field
                status, body = problem.status, error
            self._send(status, body, headers)

        def _route(self, path: str, query: str) -> tuple[int, Any]:
            if path == PREFIX and self.command == "GET":
                return 200, crm.search({k: v[0] for k, v in parse_qs(query).items()})
            match = re.fullmatch(rf"{PREFIX}/(\d+)(/anonymise)?", path)
            if match is None:
                raise ProblemError(404, "not found")
            key, action = int(match[1]), match[2]
            if action and self.command == "POST":
                return 200, crm.anonymise(key)
            if action:
                raise ProblemError(405, "method not allowed")
            if self.command == "GET":
                with crm.lock:
                    return 200, crm.get(key)
            if self.command == "DELETE":
                crm.delete(key)
                return 204, None
            if self.command == "PATCH":
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    values = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    raise ProblemError(400, "the body is not JSON") from None
                return 200, crm.change(key, values)
            raise ProblemError(405, "method not allowed")

        do_GET = do_POST = do_DELETE = do_PATCH = _handle  # noqa: N815

    return Handler


def source_spec(base_url: str, env: str, **tuning: Any) -> dict[str, Any]:
    """The HTTP source describing this service (as staff would write it in YAML): found by
    e-mail, deleted on erasure, marked ``restricted`` on restriction (and unmarked when it is
    lifted), corrected (PATCH) on rectification. ``tuning`` overrides
    the pace and retries (the tests make them quick)."""
    return {
        "key": "crm",
        "name": "CRM",
        "base_url": base_url,
        "auth": {"env": env},
        "find": {"path": "contacts", "params": {"email": "{email}"}},
        "erase": {"method": "DELETE", "path": "contacts/{id}"},
        "restrict": {"method": "PATCH", "path": "contacts/{id}", "json": {"restricted": True}},
        "lift": {"method": "PATCH", "path": "contacts/{id}", "json": {"restricted": False}},
        "update": {
            "method": "PATCH",
            "path": "contacts/{id}",
            "fields": {"name": "name", "email": "email", "phone": "phone"},
        },
        "rate_per_second": 20,
        **tuning,
    }
