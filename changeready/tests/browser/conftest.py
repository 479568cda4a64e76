"""Browser tests: Playwright (sync API) driving Debian's Chromium against `live_server`.

Run with `make test-browser` (`pytest -m browser`); `make test` deselects them.
Every test here must carry `@pytest.mark.browser` (the `page` fixture refuses
to run otherwise, so a browser test can never slip into the fast suite).

- Chromium comes from the system (`/usr/bin/chromium`, or `CHROMIUM_PATH`);
  Playwright never downloads a browser. If it is missing the tests FAIL with
  a message: a CI run without a browser must not pass.
- The page runs under the app's real Content-Security-Policy (no bypass_csp):
  any CSP violation, JavaScript error or failed request logged to the console
  fails the test.
- `screenshot("name")` saves a full-page PNG under artifacts/screenshots/
  (ignored by git); a failing test gets one automatically under failures/.
- `fresh_page()` opens another watched tab in a new context without the
  test's cookies: an anonymous visitor following an emailed link.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "artifacts" / "screenshots"
DEFAULT_TIMEOUT_MS = 10_000

_reports = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


def require_chromium(path: str) -> None:
    """Fail (never skip) when there is no browser to run the tests in."""
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(
            f"Chromium is not installed at {path}: the browser tests cannot run. "
            "Install it (apt-get install chromium) or set CHROMIUM_PATH.",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def browser():
    require_chromium(CHROMIUM)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which
    # Django takes for async code; the tests' own ORM calls are synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_problems() -> list[str]:
    """What the browser reported as going wrong (console errors, CSP violations,
    uncaught exceptions). Must be empty when a test ends; a test that provokes
    a problem on purpose asserts on it and clears the list."""
    return []


def _failure_screenshot(nodeid: str) -> Path:
    return SCREENSHOTS / "failures" / f"{_slug(nodeid)}.png"


def _new_tab(browser, live_server, problems: list[str]):
    """A tab in a context of its own (no cookies shared), watched for problems."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    tab = context.new_page()

    # Failed subresources are caught by status below; a page answering 4xx is
    # an app response the test asserts on, but Chromium logs it as an error too.
    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            # The page's address says where to look when a long journey fails.
            problems.append(f"console error on {tab.url}: {message.text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(
                f"{response.status} for {response.request.resource_type} {response.url}"
            )

    tab.on("console", on_console)
    tab.on("response", on_response)

    def on_request_failed(request):
        # ERR_ABORTED: the page moved on before a request finished (a favicon, say).
        if "ERR_ABORTED" not in (request.failure or ""):
            problems.append(f"request failed ({request.failure}): {request.url}")

    tab.on("requestfailed", on_request_failed)
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    return tab


@pytest.fixture
def page(request, browser, live_server, browser_problems):
    if request.node.get_closest_marker("browser") is None:
        pytest.fail("Browser tests must be marked @pytest.mark.browser.", pytrace=False)
    failure_shot = _failure_screenshot(request.node.nodeid)
    failure_shot.unlink(missing_ok=True)
    tab = _new_tab(browser, live_server, browser_problems)
    yield tab
    call = request.node.stash.get(_reports, {}).get("call")
    if call is not None and call.failed:
        failure_shot.parent.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=failure_shot, full_page=True)
    tab.context.close()
    assert not browser_problems, "the browser reported problems:\n" + "\n".join(browser_problems)


@pytest.fixture
def fresh_page(page, browser, live_server, browser_problems):
    """`fresh_page()`: another tab in a new browser context, logged in as nobody (a
    customer opening an emailed link, say), watched for problems like `page`."""
    tabs = []

    def open_tab():
        tabs.append(_new_tab(browser, live_server, browser_problems))
        return tabs[-1]

    yield open_tab
    for tab in tabs:
        tab.context.close()


@pytest.fixture
def screenshot(request, page):
    """`screenshot("signup")`: a full-page PNG of the current page, numbered in visit order."""
    folder = SCREENSHOTS / _slug(request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    taken = [0]

    def take(name: str, of=None) -> Path:
        taken[0] += 1
        path = folder / f"{taken[0]:02d}-{_slug(name)}.png"
        (of or page).screenshot(path=path, full_page=True)
        return path

    return take
