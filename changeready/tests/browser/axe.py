"""Accessibility checks in the browser with axe-core (vendored: vendor/axe-4.14.1.min.js).

axe is injected with `page.evaluate`, which Playwright runs through the
DevTools protocol: the page's Content-Security-Policy does not apply to it,
so the page keeps its real policy (no `bypass_csp`) and the test still sees
what a user's browser would block. `page.add_script_tag(path=...)` would not
work: it inlines the file into a <script> element, which `script-src 'self'`
refuses.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

AXE_VERSION = "4.14.1"
AXE_PATH = Path(__file__).parent / "vendor" / f"axe-{AXE_VERSION}.min.js"
FAILING_IMPACTS = ("serious", "critical")


@cache
def _axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe's violations (WCAG 2.x A and AA, and best practices) on the current page."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source() + "\n;undefined")
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        impact, rule = violation["impact"], violation["id"]
        lines.append(f"[{impact}] {rule}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node.get('failureSummary', '').splitlines()[-1:]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe violation on the current page."""
    violations = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    if violations:
        pytest.fail(
            f"accessibility violations on {page.url}:\n{describe(violations)}", pytrace=False
        )
