"""A real Chromium for the browser tests, driven by Playwright, with axe-core to check pages.

Playwright's own browser download needs the internet, so the tests launch the
system's Chromium (Debian's /usr/bin/chromium, or the path in ENGAGE_CHROMIUM).
Where there is none the browser tests are skipped, saying how to install it, except
on CI (CI=true), where a missing browser fails the run instead of hiding it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = ROOT / "test-results"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    """Skip with the reason; on CI, fail with it."""
    if _on_ci():
        pytest.fail(f"{reason} (CI=true, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("ENGAGE_CHROMIUM", DEFAULT_CHROMIUM)
    if not Path(path).is_file():
        _unavailable(f"Chromium is not installed at {path}: apt-get install chromium")
    return path


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        _unavailable(f"axe-core is missing at {AXE_JS}: run npm ci (or make install)")
    return AXE_JS.read_text()


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[Any]:
    """One Chromium for a test module. While Playwright's sync API runs, the main
    thread has a running event loop, which Django takes for async code and refuses ORM
    calls in; the tests' own ORM calls (creating data, flushing it) are synchronous, so
    the guard is lifted while the browser runs, and the browser stops with its module
    so that no other test runs without the guard."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only where a browser is installed

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def results_dir() -> Path:
    RESULTS.mkdir(exist_ok=True)
    return RESULTS
