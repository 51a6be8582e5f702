"""What the browser tests check on a page: accessibility with axe-core (vendored in
tests/browser/vendor, never fetched), Content-Security-Policy errors in the console, and
requests that left this machine."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium import webdriver

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The README's screenshots are written to docs/screenshots with PERSONVERN_SCREENSHOTS=1;
# otherwise to a temporary directory, so a test run leaves the work tree as it was.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("PERSONVERN_SCREENSHOTS") == "1"
    else Path(tempfile.mkdtemp(prefix="personvern-screenshots-"))
)
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL_HOSTS = {"localhost", "127.0.0.1"}


def axe_violations(driver: webdriver.Chrome, *, impacts: tuple[str, ...] = ("serious", "critical")
                   ) -> list[dict[str, Any]]:
    """The page's WCAG 2.1 A/AA violations of the given impacts, by axe-core."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations), e => done([{id: 'axe-error', impact: 'critical',"
        " help: String(e), nodes: []}]));",
        WCAG_21_AA,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
        if v["impact"] in impacts
    ]


def console_errors(driver: webdriver.Chrome) -> list[str]:
    """Console messages at error level since the last call (CSP refusals are errors)."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def csp_errors(driver: webdriver.Chrome) -> list[str]:
    return [m for m in console_errors(driver) if "Content Security Policy" in m]


def requested_urls(driver: webdriver.Chrome) -> list[str]:
    """Every URL the browser asked for since the last call (the performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def outside(urls: list[str]) -> list[str]:
    """The URLs that went to another host (data: and blob: stay in the page)."""
    return [
        url for url in urls
        if urlsplit(url).scheme in ("http", "https", "ws", "wss")
        and urlsplit(url).hostname not in LOCAL_HOSTS
    ]


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save the page as <name>.png in ``SCREENSHOTS`` (docs/screenshots: the README's)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
