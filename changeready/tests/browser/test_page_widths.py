"""Pages fit their screen: nothing clipped on a laptop, no sideways scroll on a phone."""

import pytest

from changeready.handoff.tests.example import load_example
from changeready.tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Elements whose content is wider than the box they are drawn in, and that do
# not let the reader scroll to the rest: what is past their edge is lost.
CLIPPED = """() => [...document.querySelectorAll('main *')].filter((element) => {
    const style = getComputedStyle(element);
    const scrolls = ['auto', 'scroll'].includes(style.overflowX);
    return !scrolls && style.overflowX !== 'visible'
        && element.scrollWidth > element.clientWidth + 1;
}).map((element) => element.className || element.tagName)"""

SPILLED = """() => {
    const main = document.querySelector('main').getBoundingClientRect();
    return [...document.querySelectorAll('main table')].filter((table) => {
        const box = table.getBoundingClientRect();
        const wrap = table.closest('.table-wrap');
        const limit = wrap ? wrap.getBoundingClientRect() : main;
        return box.right > limit.right + 1 && !(wrap && wrap.scrollWidth > wrap.clientWidth);
    }).map((table) => table.className || table.caption?.textContent || 'table');
}"""


def test_the_map_table_is_whole_on_a_laptop(page, screenshot, member, workspace):
    engagement = load_example(workspace)
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/map/")
    screenshot("map at 1280")
    table = page.locator(".map-table table")
    box, wrap = table.bounding_box(), page.locator(".map-table").bounding_box()
    assert box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 1
    assert page.evaluate(CLIPPED) == []
    assert page.evaluate(SPILLED) == []


def test_the_handoff_tab_does_not_scroll_sideways_on_a_phone(page, screenshot, member, workspace):
    engagement = load_example(workspace)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/handoff/")
    screenshot("handoff at 375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
