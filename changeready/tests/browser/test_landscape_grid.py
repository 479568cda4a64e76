"""The landscape grid in a real browser: typing, Enter, presets, suggestions, paste, errors."""

import re

import pytest
from playwright.sync_api import expect

from changeready.landscape.models import Stakeholder
from changeready.landscape.tests.factories import StakeholderFactory
from changeready.tests.browser.axe import assert_accessible
from changeready.tests.browser.session import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cell(row, label: str):
    """The control of `row` for a column ("Influence, row 3" to a screen reader)."""
    return row.get_by_label(re.compile(rf"^{re.escape(label)}, row \d+$"))


def grid_row(page, number: int):
    return page.locator(f"#row-{number}")


def paste(page, text: str) -> None:
    """Paste `text` into the focused cell as the clipboard would (Ctrl+V)."""
    page.evaluate(
        """text => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            document.activeElement.dispatchEvent(
                new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true})
            );
        }""",
        text,
    )


def test_rows_typed_with_the_keyboard_are_saved_one_by_one(page, member, engagement, screenshot):
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/landscape/")
    page.get_by_role("button", name="Edit in a grid").click()
    expect(page.get_by_role("heading", name="Landscape grid")).to_be_visible()
    assert_accessible(page)

    first = grid_row(page, 1)
    cell(first, "Name").fill("Ward nurses")
    cell(first, "Relation").select_option(label="Uses it daily")
    # The preset fills the scales, visibly and changeably.
    expect(cell(first, "Influence")).to_have_value("2")
    expect(cell(first, "Impact")).to_have_value("5")
    cell(first, "Influence").select_option("3")
    # The resistance cell offers the phrases of the chosen role.
    resist = cell(first, "Would resist if")
    expect(resist).to_have_attribute("list", "phrases-resistance_triggers-daily_user")
    offered = page.locator("#phrases-resistance_triggers-daily_user option")
    expect(offered.first).to_have_attribute("value", re.compile(".+"))
    phrase = offered.first.get_attribute("value")
    resist.fill(phrase)
    cell(first, "People").fill("2300")
    cell(first, "People").press("Enter")

    # Enter on the last row: the row is saved and a new one takes the focus.
    second = grid_row(page, 2)
    expect(cell(second, "Name")).to_be_focused()
    expect(first.get_by_text("Saved", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Row 1 saved: “Ward nurses”.")
    nurses = Stakeholder.objects.get(name="Ward nurses")
    assert (nurses.role, nurses.influence, nurses.impact, nurses.headcount) == (
        "daily_user",
        3,
        5,
        2300,
    )
    assert nurses.resistance_triggers == phrase

    # A row that cannot be saved shows why and keeps what was typed.
    page.keyboard.type("Dr Amara Okafor")
    page.keyboard.press("Tab")
    cell(second, "Kind").select_option("person")
    cell(second, "People").fill("4")
    cell(second, "People").press("Enter")
    expect(second.get_by_text("Headcount applies to groups only.")).to_be_visible()
    expect(second.get_by_text("Choose how they relate to the change.")).to_be_visible()
    expect(cell(second, "Name")).to_have_value("Dr Amara Okafor")
    expect(page.get_by_role("status")).to_have_text("Row 2 not saved: 2 problems to fix.")
    screenshot("grid-row-with-errors")
    assert not Stakeholder.objects.filter(name="Dr Amara Okafor").exists()
    assert_accessible(page)

    # Fixed in place: the row saves on its own.
    cell(second, "People").fill("")
    cell(second, "Relation").select_option("opposed_leader")
    cell(second, "Name").press("Enter")
    expect(second.get_by_text("Saved", exact=True)).to_be_visible()
    okafor = Stakeholder.objects.get(name="Dr Amara Okafor")
    assert (okafor.role, okafor.opposed_purchase, okafor.influence) == ("people_manager", True, 5)


def test_rows_pasted_from_a_spreadsheet_become_stakeholders(page, member, engagement):
    StakeholderFactory(engagement=engagement, name="Pickers", headcount=40)
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/landscape/grid/")
    new_row = grid_row(page, 2)
    cell(new_row, "Name").focus()
    paste(
        page,
        "Name\tKind\tRelation\n"
        "Tom Becker\tperson\tManages the people who use it\n"
        "Dana Whitfield\tPerson\teconomic_buyer\n"
        "IT security\tgroup\tIT or security\n",
    )
    expect(page.get_by_role("status")).to_have_text(re.compile("Row 4 saved"))
    expect(page.locator("tbody tr")).to_have_count(5)  # Pickers, three pasted, a blank row
    assert sorted(Stakeholder.objects.values_list("name", "role")) == [
        ("Dana Whitfield", "economic_buyer"),
        ("IT security", "it_security"),
        ("Pickers", "daily_user"),
        ("Tom Becker", "people_manager"),
    ]
    # The preset filled the scales of each pasted row.
    assert Stakeholder.objects.get(name="Dana Whitfield").influence == 5
    # Another person changed Pickers meanwhile: the grid's row is refused, not overwritten.
    pickers = Stakeholder.objects.get(name="Pickers")
    pickers.notes = "Changed elsewhere."
    pickers.version += 1
    pickers.save()
    first = grid_row(page, 1)
    cell(first, "Impact").select_option("1")
    cell(first, "Name").press("Enter")
    expect(first.get_by_text(re.compile("changed by someone else"))).to_be_visible()
    expect(cell(first, "Impact")).to_have_value("1")
    pickers.refresh_from_db()
    assert pickers.impact == 3
    assert_accessible(page)


def test_names_pasted_over_stored_rows_never_rename_the_ones_below(page, member, engagement):
    StakeholderFactory(engagement=engagement, name="Pickers", headcount=40)
    StakeholderFactory(engagement=engagement, name="Packers", headcount=12)
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/landscape/grid/")
    cell(grid_row(page, 1), "Name").focus()
    paste(page, "Pickers\tgroup\tUses it daily\nLoaders\tgroup\tUses it daily\n")
    expect(page.get_by_role("status")).to_have_text(re.compile("Row 3 saved: “Loaders”"))
    assert sorted(Stakeholder.objects.values_list("name", flat=True)) == [
        "Loaders",
        "Packers",
        "Pickers",
    ]
    # Other columns fill the rows below, as in a spreadsheet.
    cell(grid_row(page, 1), "People").focus()
    paste(page, "41\n13\n")
    expect(page.get_by_role("status")).to_have_text(re.compile("Row 2 saved: “Packers”"))
    assert dict(Stakeholder.objects.values_list("name", "headcount")) == {
        "Pickers": 41,
        "Packers": 13,
        "Loaders": None,
    }


def test_buying_roles_pasted_from_a_crm_become_their_relations(page, member, engagement):
    """A deal's contact roles copied from Salesforce or HubSpot, as the CRM writes them."""
    log_in(page, member)
    page.goto(f"/engagements/{engagement.id}/landscape/grid/")
    cell(grid_row(page, 1), "Name").focus()
    paste(
        page,
        "Rebecca Osei\tperson\tDecision Maker\n"
        "Sanjay Patel\tperson\tTechnical Buyer\n"
        "Kerry Walsh\tperson\tBusiness User\n"
        "Dr Okafor\tperson\tBlocker\n",
    )
    expect(page.get_by_role("status")).to_have_text(re.compile("Row 4 saved"))
    assert dict(Stakeholder.objects.values_list("name", "role")) == {
        "Rebecca Osei": "economic_buyer",
        "Sanjay Patel": "it_security",
        "Kerry Walsh": "daily_user",
        "Dr Okafor": "people_manager",
    }
    # A blocker is filed as someone who did not want it, not as a buyer.
    assert Stakeholder.objects.get(name="Dr Okafor").opposed_purchase is True


def test_a_viewer_reads_the_grid(page, viewer, engagement):
    StakeholderFactory(engagement=engagement, name="Pickers", headcount=40)
    log_in(page, viewer)
    page.goto(f"/engagements/{engagement.id}/landscape/")
    page.get_by_role("button", name="See as a grid").click()
    table = page.get_by_role("table", name="Landscape grid")
    expect(table.get_by_role("cell", name="Pickers", exact=True)).to_be_visible()
    expect(table.get_by_role("textbox")).to_have_count(0)
    assert_accessible(page)
