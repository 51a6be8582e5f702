"""A small CRM-like REST service for the HTTP source's tests, run on 127.0.0.1 in a thread by
the test: bearer-token auth, search by e-mail or phone, pages of two with a relative ``next``
link, DELETE and PATCH per contact, and a 503 on the first call (as busy SaaS APIs answer)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "crm-test-token"
PAGE = 2


@dataclass
class Crm:
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    fail_next: int = 0
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/api"

    def add(self, **contact: Any) -> int:
        key = len(self.contacts) + 1
        self.contacts[key] = {"id": key, "restricted": False, **contact}
        return key

    def start(self) -> None:
        crm = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: Any = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                crm.calls.append(f"{self.command} {urlsplit(self.path).path}")
                if crm.fail_next:
                    crm.fail_next -= 1
                    return self._send(503, {"error": "busy"})
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._send(401, {"error": "unauthorised"})
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/api/contacts" and self.command == "GET":
                    found = [
                        c
                        for c in crm.contacts.values()
                        if ("email" in query and c.get("email") == query["email"])
                        or ("phone" in query and c.get("phone") == query["phone"])
                    ]
                    page = int(query.pop("page", "1"))
                    items = found[(page - 1) * PAGE : page * PAGE]
                    more = len(found) > page * PAGE
                    search = "&".join(f"{k}={v}" for k, v in query.items())
                    following = f"contacts?{search}&page={page + 1}" if more else None
                    return self._send(200, {"items": items, "next": following})
                if parts.path.startswith("/api/contacts/"):
                    key = int(parts.path.rsplit("/", 1)[1])
                    if key not in crm.contacts:
                        return self._send(404, {"error": "not found"})
                    if self.command == "DELETE":
                        del crm.contacts[key]
                        return self._send(204)
                    if self.command == "PATCH":
                        length = int(self.headers.get("Content-Length", "0"))
                        crm.contacts[key].update(json.loads(self.rfile.read(length) or b"{}"))
                        return self._send(200, crm.contacts[key])
                return self._send(404, {"error": "not found"})

            do_GET = do_DELETE = do_PATCH = _handle  # noqa: N815

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def source_yaml(url: str, env: str) -> dict[str, Any]:
    return {
        "key": "crm",
        "name": "CRM",
        "base_url": url,
        "auth": {"env": env},
        "find": {"path": "contacts", "params": {"email": "{email}"}},
        "erase": {"method": "DELETE", "path": "contacts/{id}"},
        "restrict": {"method": "PATCH", "path": "contacts/{id}", "json": {"restricted": True}},
        "rate_per_second": 200,
        "backoff_seconds": 0.01,
    }
