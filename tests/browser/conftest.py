"""A real headless Chromium (Debian's package) driven by Selenium."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
]
# The network to the outside closed: every host but this machine fails to resolve, so a page
# that asks another host for anything gets nothing (and the request is recorded).
CLOSED_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"

BrowserFactory = Callable[..., webdriver.Chrome]


@pytest.fixture
def chromium() -> Iterator[BrowserFactory]:
    """Start Chromium with options: ``javascript=False`` turns scripts off, ``closed=True``
    closes the network to other hosts and records the console and every request (the
    performance log), ``size`` sets the window (a phone is 390x844)."""
    chromium_path = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if not (chromium_path and chromedriver):
        pytest.fail("Debian's chromium and chromium-driver are needed: run 'make browser'.")
    started: list[tuple[webdriver.Chrome, str]] = []

    def start(
        *, javascript: bool = True, closed: bool = False, size: tuple[int, int] = (1280, 900)
    ) -> webdriver.Chrome:
        options = webdriver.ChromeOptions()
        options.binary_location = chromium_path
        profile = tempfile.mkdtemp(prefix="personvern-chromium-")
        flags = [f for f in CHROMIUM_FLAGS if not f.startswith("--window-size")]
        flags += [f"--window-size={size[0]},{size[1]}", f"--user-data-dir={profile}"]
        if closed:
            flags.append(CLOSED_NETWORK)
            options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        for flag in flags:
            options.add_argument(flag)
        # A Norwegian user's browser: the UI follows Accept-Language (bokmål by default).
        prefs: dict[str, object] = {"intl.accept_languages": "nb-NO,nb"}
        if not javascript:
            prefs["profile.managed_default_content_settings.javascript"] = 2
        options.add_experimental_option("prefs", prefs)
        driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
        driver.implicitly_wait(5)
        started.append((driver, profile))
        return driver

    try:
        yield start
    finally:
        for driver, profile in started:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def browser(chromium: BrowserFactory) -> webdriver.Chrome:
    return chromium()
