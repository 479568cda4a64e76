"""A first engagement in at most 40 user actions, from sign-up to a handoff CS accepted.

The path of the user guide's "Your first engagement in 15 minutes": sign up,
start the engagement from the EHR go-live template (its groups, roles and
typical resistance points with their mitigations), add the customer's seven
named people through the landscape grid (pasted from a spreadsheet, the
relation's preset filling their scales, a suggested phrase chosen for two of
them), give the one who did not want the purchase a resistance point of their
own, generate the plan, review it (the CS owner, the items' owners, the
checklist) and send the handoff, and have it accepted. Every user action goes
through `Actions`, which counts it; the test fails above the goal. Every new
page on the way is checked with axe.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from changeready.accounts.tests.mail import last_link
from changeready.engagements.models import Engagement
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.tests.browser.actions import Actions
from changeready.tests.browser.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOAL = 40
# The customer's people as a delivery lead keeps them in a spreadsheet:
# name, kind, relation (the grid's first three columns).
PEOPLE = [
    ("Grace Liu", "person", "Uses it daily"),
    ("Ward 4 nurses", "group", "Uses it daily"),
    ("Ines Park", "person", "Manages the people who use it"),
    ("Dr Amara Okafor", "person", "Did not want it"),
    ("Dana Whitfield", "person", "Approved the purchase"),
    ("Luis Ortega", "person", "IT or security"),
    ("Priya Nair", "person", "Administers the product"),
]


def field(scope, label: str):
    """The form control labelled `label` (required ones carry an aria-hidden " *")."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def tab(page, name: str):
    return page.get_by_role("navigation", name="Engagement sections").get_by_role("link", name=name)


def grid_cell(page, name: str, column: str):
    """The grid's cell for `column` in the row whose name is `name`."""
    row = page.locator("tr[data-grid-row]").filter(
        has=page.locator(f'input[name="name"][value="{name}"]')
    )
    return row.get_by_label(re.compile(rf"^{re.escape(column)}, row \d+$"))


def sign_up(page, act: Actions) -> None:
    page.goto("/")
    act.click(page.get_by_role("main").get_by_role("button", name="Sign up free"))
    act.fill(field(page, "Your name"), "Priya Raman")
    act.fill(field(page, "Work email"), "priya@vendor.example")
    act.fill(field(page, "Password"), "a-long-unusual-passphrase")
    act.fill(field(page, "Workspace name"), "Vendor Delivery")
    act.click(page.get_by_role("button", name="Create account"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verify your email"))
    act.open_link(page, last_link("/accounts/confirm-email/"))
    act.click(page.get_by_role("button", name="Confirm"))
    expect(page.get_by_role("heading", name="No engagements yet")).to_be_visible()


def start_from_the_template(page, act: Actions) -> None:
    act.click(page.get_by_role("button", name="Create your first engagement"))
    expect(page.get_by_role("heading", name="EHR go-live")).to_be_visible()
    assert_accessible(page)
    act.click(page.get_by_role("button", name="Use EHR go-live"))
    act.fill(field(page, "Customer"), "Mercy Health")
    go_live = timezone.localdate() + timedelta(weeks=8)
    act.fill(field(page, "Go-live date"), go_live.isoformat())
    assert_accessible(page)
    act.click(page.get_by_role("button", name="Create engagement"))
    # A new engagement from a template opens on its landscape.
    expect(page).to_have_url(re.compile(r"/landscape/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("EHR go-live")
    engagement = Engagement.objects.get()
    # The template's typical resistance, each with its mitigation.
    assert engagement.resistance_points.count() >= 4
    assert not engagement.resistance_points.filter(strategy="").exists()


def add_the_people_in_the_grid(page, act: Actions) -> None:
    act.click(page.get_by_role("button", name="Edit in a grid"))
    expect(page.get_by_role("heading", name="Landscape grid")).to_be_visible()
    template_rows = Stakeholder.objects.count()
    # The whole table is there (a long page arrives in parts), and its script has run.
    expect(page.locator("tr[data-grid-row]")).to_have_count(template_rows + 1)
    expect(page.get_by_role("button", name="Add a row")).to_be_visible()
    blank = page.locator("tr[data-grid-row]").last
    act.click(blank.get_by_label(re.compile(r"^Name, row \d+$")))
    act.paste("\n".join("\t".join(person) for person in PEOPLE) + "\n")
    expect(page.get_by_role("status")).to_have_text(
        re.compile(rf"^Row {template_rows + len(PEOPLE)} saved")
    )
    # The relation's preset filled the scales: the leader who did not want it can stop it.
    expect(grid_cell(page, "Dr Amara Okafor", "Influence")).to_have_value("5")

    # A suggested phrase for the two who will find it hardest, chosen from the
    # options the cell offers for their relation; Enter saves the row.
    for name in ("Grace Liu", "Dr Amara Okafor"):
        cell = grid_cell(page, name, "Would resist if")
        offered = page.locator(f"datalist#{cell.get_attribute('list')} option")
        phrase = offered.first.get_attribute("value")
        act.fill(cell, phrase)
        act.submit_key(cell)
        expect(page.get_by_role("status")).to_have_text(re.compile(f"saved: “{name}”"))
        assert Stakeholder.objects.get(name=name).resistance_triggers == phrase
    assert_accessible(page)

    assert Stakeholder.objects.count() == template_rows + len(PEOPLE)
    okafor = Stakeholder.objects.get(name="Dr Amara Okafor")
    assert (okafor.role, okafor.opposed_purchase, okafor.influence) == (
        "people_manager",
        True,
        5,
    )


def mitigate_the_opposed_leader(page, act: Actions) -> None:
    act.click(tab(page, "Resistors"))
    leader = page.get_by_role("region", name="Dr Amara Okafor")
    act.click(leader.get_by_role("link", name="Add a resistance point for Dr Amara Okafor"))
    form = leader.get_by_role("form", name="New resistance point")
    act.choose(field(form, "Why (source of resistance)"), label="Opposed the purchase")
    act.choose(field(form, "Mitigation strategy"), label="Sponsor intervenes")
    act.fill(field(form, "Mitigation owner"), "Priya Raman")
    act.click(form.get_by_role("button", name="Add resistance point"))
    expect(page.get_by_role("status")).to_have_text("Register updated.")
    expect(leader.get_by_role("note")).to_have_count(0)
    assert ResistancePoint.objects.filter(stakeholder__name="Dr Amara Okafor").exists()


def generate_the_plan(page, act: Actions) -> None:
    act.click(tab(page, "Plan"))
    act.click(page.get_by_role("main").get_by_role("button", name="Generate plan…").first)
    act.click(page.get_by_role("button", name="Generate the plan"))
    expect(page.get_by_role("status").filter(has_text="Plan generated:")).to_be_visible()


def review_and_send_the_handoff(page, act: Actions, mailoutbox) -> None:
    act.click(page.get_by_role("main").get_by_role("button", name="Review and send handoff"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Review the plan and send the handoff"
    )
    assert_accessible(page)
    owner = page.get_by_role("region", name="Customer Success owner")
    act.fill(field(owner, "Name"), "Lena Fischer")
    act.fill(field(owner, "Email"), "lena@vendor.example")
    act.click(owner.get_by_role("button", name="Save CS owner"))
    expect(page.get_by_role("status")).to_contain_text("Customer Success owner saved.")
    # Planned items without an owner come with a suggested one per role: one click names them.
    owners = page.get_by_role("region", name="Owners of the plan's items")
    act.click(owners.get_by_role("button", name="Name these owners"))
    expect(owners.get_by_text("Every planned item has a named owner.")).to_be_visible()
    assert_accessible(page)
    mailoutbox.clear()
    act.click(page.get_by_role("button", name="Send handoff to lena@vendor.example"))
    expect(page.get_by_role("status")).to_contain_text("Handoff sent to lena@vendor.example")
    assert [message.to for message in mailoutbox] == [["lena@vendor.example"]]


def cs_accepts(page, act: Actions) -> None:
    """Lena has no account in the workspace: the owner accepts on her behalf, as recorded."""
    act.click(page.get_by_role("button", name="Accept on behalf of Lena Fischer"))
    expect(page.get_by_role("status")).to_contain_text("Handoff accepted")
    engagement = Engagement.objects.get()
    assert engagement.handoff_accepted_at is not None
    assert engagement.cs_owner_email == "lena@vendor.example"


def test_first_engagement_in_at_most_40_actions(page, mailoutbox):
    act = Actions(page)
    sign_up(page, act)
    start_from_the_template(page, act)
    add_the_people_in_the_grid(page, act)
    mitigate_the_opposed_leader(page, act)
    generate_the_plan(page, act)
    review_and_send_the_handoff(page, act, mailoutbox)
    cs_accepts(page, act)
    print(f"\n{len(act)} actions:\n{act.report()}")
    assert len(act) <= GOAL, f"{len(act)} actions, the goal is {GOAL}:\n{act.report()}"
