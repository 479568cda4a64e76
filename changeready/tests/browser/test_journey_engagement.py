"""A delivery lead's engagement from kickoff to handoff, in a real browser, through the UI only.

Sign up, create an engagement, answer the landscape's four questions, read the
assessment, give a resistor a mitigation, generate and edit the plan, hand it
off to Customer Success, and have a customer's user answer a pulse survey.
The database is only read, to check what the UI did and to find the links the
app emails. Every page visited is checked with axe.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from changeready.core.findings import FINDING_CATALOGUE
from changeready.engagements.models import Engagement
from changeready.planning.models import PlanItem
from changeready.tests.browser.axe import assert_accessible
from changeready.tests.browser.mail import confirm_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(scope, label: str):
    """The form control labelled `label` (required ones carry an aria-hidden " *")."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def tab(page, name: str):
    return page.get_by_role("navigation", name="Engagement sections").get_by_role("link", name=name)


def visit(page, screenshot, name: str) -> None:
    """Every page of the journey: no serious accessibility violation, and a screenshot."""
    assert_accessible(page)
    screenshot(name, of=page)


# The journey's steps, each done as a user would.


def sign_up(page, screenshot) -> None:
    page.goto("/")
    page.get_by_role("main").get_by_role("button", name="Sign up free").click()
    field(page, "Your name").fill("Priya Raman")
    field(page, "Work email").fill("priya@vendor.example")
    field(page, "Password").fill("a-long-unusual-passphrase")
    field(page, "Workspace name").fill("Vendor Delivery")
    page.get_by_role("button", name="Create account").click()
    confirm_email(page)
    expect(page).to_have_url(re.compile(r"/w/vendor-delivery/$"))
    expect(page.get_by_role("heading", name="No engagements yet")).to_be_visible()
    visit(page, screenshot, "portfolio-empty")


def create_engagement(page, screenshot) -> None:
    page.get_by_role("button", name="Create your first engagement").click()
    page.get_by_role("button", name="Start blank").click()
    field(page, "Name").fill("WMS rollout")
    field(page, "Customer").fill("Northwind Traders")
    go_live = timezone.localdate() + timedelta(weeks=5)
    field(page, "Go live date").fill(go_live.isoformat())
    page.get_by_role("button", name="Create engagement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("WMS rollout")
    expect(page.get_by_text("in 5 weeks")).to_be_visible()
    visit(page, screenshot, "engagement-overview")


def question(page, title: str):
    return page.get_by_role("region", name=re.compile(rf"^{re.escape(title)}"))


def choose(form, group: str, option: str) -> None:
    form.get_by_role("group", name=group, exact=True).get_by_role(
        "radio", name=option, exact=True
    ).check()


def map_landscape(page, screenshot) -> None:
    tab(page, "Landscape").click()
    expect(page.get_by_role("heading", name="Who will use it daily?")).to_be_visible()
    visit(page, screenshot, "landscape-empty")

    # Who will use it daily: the pickers, with what success means to them.
    daily = question(page, "Who will use it daily?")
    daily.get_by_role("button", name="Add").click()
    form = daily.get_by_role("form", name="New stakeholder")
    expect(
        form.get_by_role("heading", name="New stakeholder: who will use it daily?")
    ).to_be_visible()
    choose(form, "Kind", "Group")
    field(form, "Name").fill("Warehouse pickers")
    field(form, "Headcount").fill("120")
    field(form, "What does success look like for them, specifically?").fill(
        "No paper pick lists; pick accuracy above 99.5 %."
    )
    field(form, "What would make them resist adoption?").fill(
        "Scanners slower than paper in the first weeks."
    )
    choose(form, "Influence", "2 – low")
    choose(form, "Interest", "4 – high")
    choose(form, "Impact", "5 – completely")
    form.get_by_role("checkbox", name="User acceptance testing").check()
    form.get_by_role("checkbox", name="Training").check()
    visit(page, screenshot, "landscape-add-daily-user")
    form.get_by_role("button", name="Add stakeholder").click()
    # The swap replaced the focused button: the new stakeholder takes the focus.
    expect(daily.get_by_role("heading", name="Warehouse pickers")).to_be_focused()

    # Who will manage it: a shift manager who loses the say over pick routes.
    manage = question(page, "Who will manage it?")
    manage.get_by_role("button", name="Add").click()
    form = manage.get_by_role("form", name="New stakeholder")
    choose(form, "Kind", "Person")
    field(form, "Name").fill("Tom Becker")
    field(form, "Job title").fill("Shift manager")
    field(form, "What does success look like for them, specifically?").fill("Shifts close on time.")
    field(form, "What would make them resist adoption?").fill(
        "The system, not he, assigns the pick routes."
    )
    form.get_by_role(
        "checkbox", name="They lose authority, control, approvals or visibility"
    ).check()
    choose(form, "Influence", "4 – high")
    choose(form, "Interest", "4 – high")
    choose(form, "Impact", "4 – a lot")
    form.get_by_role("button", name="Add stakeholder").click()
    expect(manage.get_by_role("heading", name="Tom Becker")).to_be_visible()

    # Who approved the purchase: the buyer, on the stakeholder form's own page
    # (where the "Add" link leads without JavaScript, or opened in a new tab).
    approved = question(page, "Who approved the purchase?")
    page.goto(approved.get_by_role("button", name="Add").get_attribute("href"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "New stakeholder: who approved the purchase?"
    )
    visit(page, screenshot, "stakeholder-form")
    choose(page, "Kind", "Person")
    field(page, "Name").fill("Dana Whitfield")
    field(page, "Job title").fill("COO")
    field(page, "Current engagement").select_option(label="Supportive")
    field(page, "Desired engagement").select_option(label="Leading")
    choose(page, "Influence", "5 – can stop it")
    choose(page, "Interest", "3 – some")
    choose(page, "Impact", "1 – barely")
    page.get_by_role("button", name="Add stakeholder").click()
    expect(page.get_by_role("status")).to_contain_text("“Dana Whitfield” added.")

    # Who did not want it: the team asked, and nobody did.
    opposed = question(page, "Who did not want it?")
    opposed.get_by_role("button", name="We asked: nobody opposed it").click()
    expect(opposed.get_by_text("Recorded: nobody opposed the purchase.")).to_be_visible()
    expect(opposed.get_by_role("heading", name=re.compile("^Who did not want it?"))).to_be_focused()
    visit(page, screenshot, "landscape")


def finding(page, code: str):
    """The finding of the assessment page for `code`, found by its title (codes stay in the API)."""
    title = FINDING_CATALOGUE[code].title
    return page.get_by_role("article").filter(has=page.get_by_text(title, exact=True))


def look_at_the_map(page, screenshot) -> None:
    tab(page, "Map").click()
    expect(page.get_by_role("heading", name="Power and interest")).to_be_visible()
    map_table = page.get_by_role("table", name="The map as a table")
    expect(map_table.get_by_role("row")).to_have_count(4)  # a header and three stakeholders
    visit(page, screenshot, "map")


def read_the_assessment(page, screenshot) -> None:
    tab(page, "Assessment").click()
    expect(page.get_by_role("heading", name="The checks")).to_be_visible()
    manager_without_plan = finding(page, "resistor_without_plan")
    expect(manager_without_plan).to_have_count(1)
    expect(manager_without_plan).to_contain_text("Tom Becker")
    expect(finding(page, "no_activation_plan")).to_have_count(1)
    visit(page, screenshot, "assessment-before")


def mitigate_the_resistor(page, screenshot) -> None:
    tab(page, "Resistors").click()
    manager = page.get_by_role("region", name="Tom Becker")
    expect(manager.get_by_role("note")).to_contain_text("No mitigation plan.")
    visit(page, screenshot, "resistors-without-plan")
    manager.get_by_role("link", name="Add a resistance point for Tom Becker").click()
    form = manager.get_by_role("form", name="New resistance point")
    expect(field(form, "Who resists")).to_have_value(re.compile(".+"))
    field(form, "Why (source of resistance)").select_option(label="Loses authority or control")
    choose(form, "Severity", "4 – major")
    field(form, "What exactly").fill("Pick routes are assigned by the system, not by him.")
    field(form, "Mitigation strategy").select_option(label="Involve them in the design")
    field(form, "Mitigation owner").fill("Priya Raman")
    field(form, "Due week").fill("-3")
    field(form, "Mitigation status").select_option(label="Planned")
    visit(page, screenshot, "resistors-add-point")
    form.get_by_role("button", name="Add resistance point").click()
    expect(page.get_by_role("status")).to_have_text("Register updated.")
    expect(manager.get_by_role("note")).to_have_count(0)
    expect(manager.get_by_role("heading", name="Tom Becker")).to_be_focused()
    points = manager.get_by_role("table")
    expect(points).to_contain_text("Involve them in the design")
    expect(points).to_contain_text("Priya Raman")
    visit(page, screenshot, "resistors")

    tab(page, "Assessment").click()
    expect(page.get_by_role("heading", name="The checks")).to_be_visible()
    expect(finding(page, "resistor_without_plan")).to_have_count(0)
    expect(finding(page, "no_activation_plan")).to_have_count(1)


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, *, limit: int = 60) -> None:
    """Press Tab until `locator` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if is_focused(locator):
            return
    pytest.fail(f"{locator} cannot be reached with the Tab key")


def week(page, number: int):
    return page.get_by_role("region", name=re.compile(re.escape(f"Week {number:+d}") + r"\b"))


def generate_and_edit_the_plan(page, screenshot) -> None:
    tab(page, "Plan").click()
    expect(page.get_by_role("heading", name="No activation plan yet")).to_be_visible()
    visit(page, screenshot, "plan-empty")

    # Generate: a preview first, nothing written until confirmed.
    page.get_by_role("main").get_by_role("button", name="Generate plan…").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Generate the plan")
    # A short summary; the items added are one click away.
    expect(page.get_by_role("region", name="What changes")).to_be_visible()
    changed = page.get_by_role("region", name="The changed items")
    changed.get_by_text(re.compile(r"^Will be added \(\d+\)")).click()
    expect(changed.get_by_role("listitem").first).to_be_visible()
    visit(page, screenshot, "plan-preview")
    assert not PlanItem.objects.exists()
    page.get_by_role("button", name="Generate the plan").click()
    expect(page.get_by_role("status").filter(has_text="Plan generated:")).to_be_visible()
    visit(page, screenshot, "plan")

    # Edit the title of the first item after go-live inline, with the keyboard only.
    item = week(page, 1).get_by_role("listitem").first
    old_title = item.get_by_role("heading", level=4).inner_text()
    first = PlanItem.objects.get(id=item.get_attribute("id").removeprefix("item-"))
    assert first.title == old_title and not first.edited_by_hand
    edit = item.get_by_role("link", name=f"Edit “{old_title}”")
    week(page, 1).get_by_role("link", name="Add item in week +1").focus()
    tab_to(page, edit, limit=5)
    page.keyboard.press("Enter")
    title = field(page.locator(".item-form").filter(has_text="Edit plan item"), "Title")
    expect(title).to_be_focused()
    visit(page, screenshot, "plan-item-edit")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Floor walk with the pick-route champions")
    page.keyboard.press("Enter")
    edited = page.get_by_role("heading", name="Floor walk with the pick-route champions")
    expect(edited).to_be_visible()
    # The swap leaves the focus on the saved item, not lost at the top of the page.
    expect(edited).to_be_focused()
    first.refresh_from_db()
    assert first.title == "Floor walk with the pick-route champions"
    assert first.edited_by_hand

    # Regenerate: the preview promises to keep the edit, and it is kept.
    page.get_by_role("main").get_by_role("button", name="Regenerate…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regenerate the plan")
    kept = page.get_by_role("region", name="The changed items")
    expect(kept).to_contain_text("Floor walk with the pick-route champions (edited by hand)")
    visit(page, screenshot, "plan-regenerate-preview")
    page.get_by_role("button", name="Regenerate the plan").click()
    expect(
        page.get_by_role("heading", name="Floor walk with the pick-route champions")
    ).to_be_visible()
    first.refresh_from_db()
    assert first.title == "Floor walk with the pick-route champions"

    # The assessment no longer misses an activation plan.
    tab(page, "Assessment").click()
    expect(page.get_by_role("heading", name="The checks")).to_be_visible()
    expect(finding(page, "no_activation_plan")).to_have_count(0)
    visit(page, screenshot, "assessment-after")

    tab(page, "Plan").click()
    page.get_by_role("main").get_by_role("button", name="Adoption targets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Adoption targets and actuals")
    expect(page.get_by_role("heading", name="Warehouse pickers")).to_be_visible()
    visit(page, screenshot, "adoption")


def emailed_link(message, prefix: str) -> str:
    """The path of the link in an email whose path starts with `prefix` (the
    email's links point at the configured site; the test server is elsewhere)."""
    found = re.search(rf"https?://[^/\s]+({re.escape(prefix)}\S+)", message.body)
    assert found, f"no {prefix} link in:\n{message.body}"
    return found.group(1)


def hand_off(page, fresh_page, screenshot, mailoutbox) -> None:
    tab(page, "Handoff").click()
    expect(page.get_by_role("heading", name="Handoff checklist")).to_be_visible()
    visit(page, screenshot, "handoff")

    # Name the Customer Success owner.
    owner = page.get_by_role("region", name="Customer Success owner")
    field(owner, "Name").fill("Lena Fischer")
    field(owner, "Email").fill("lena@vendor.example")
    owner.get_by_role("button", name="Save CS owner").click()
    expect(page.get_by_role("status")).to_have_text("Customer Success owner saved.")
    engagement = Engagement.objects.get()
    assert (engagement.cs_owner_name, engagement.cs_owner_email) == (
        "Lena Fischer",
        "lena@vendor.example",
    )

    # Download the PDF playbook.
    downloads = page.get_by_role("region", name="Download the playbook")
    # Laying out a PDF takes seconds on a loaded machine: wait longer than for a page.
    with page.expect_download(timeout=60_000) as download_info:
        downloads.get_by_role("button", name="PDF (internal)", exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert "wms-rollout" in download.suggested_filename.lower()
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # Send it: the CS owner gets a read-only link.
    mailoutbox.clear()
    page.get_by_role("button", name="Send handoff to lena@vendor.example").click()
    # Checklist items are still open: the app asks first, and records what was open.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Send the handoff with items still open?"
    )
    visit(page, screenshot, "handoff-send-confirm")
    page.get_by_role("button", name="Send anyway to lena@vendor.example").click()
    expect(page.get_by_role("status")).to_contain_text("Handoff sent to lena@vendor.example;")
    assert [message.to for message in mailoutbox] == [["lena@vendor.example"]]
    share_path = emailed_link(mailoutbox[0], "/p/")
    links = page.get_by_role("table").filter(has=page.get_by_role("textbox", name="Read-only link"))
    expect(links).to_contain_text("sent to lena@vendor.example")

    # The link works without an account, and search engines are kept out.
    customer = fresh_page()
    response = customer.goto(share_path)
    assert response.status == 200
    assert "noindex" in response.headers["x-robots-tag"]
    expect(customer.locator('meta[name="robots"]')).to_have_attribute(
        "content", re.compile("noindex")
    )
    expect(customer.get_by_role("heading", level=1)).to_have_text("WMS rollout")
    expect(customer.get_by_text("Lena Fischer · lena@vendor.example")).to_be_visible()
    expect(customer.get_by_text("not yet accepted")).to_be_visible()
    visit(customer, screenshot, "share-page")

    # The workspace owner accepts it on Lena's behalf (she has no account):
    # who, when and for whom is recorded and shown.
    page.get_by_role("button", name="Accept on behalf of Lena Fischer").click()
    expect(page.get_by_role("status")).to_contain_text("Handoff accepted")
    today = timezone.localdate()
    expect(
        page.get_by_text(
            re.compile(rf"^Accepted by Priya Raman on behalf of Lena Fischer on {today.day} ")
        )
    ).to_be_visible()
    visit(page, screenshot, "handoff-accepted")
    engagement.refresh_from_db()
    assert engagement.handoff_accepted_at is not None
    customer.reload()
    expect(customer.get_by_text(f"accepted {today:%-d %b %Y}")).to_be_visible()


def run_a_pulse_survey(page, fresh_page, screenshot, mailoutbox) -> None:
    tab(page, "Surveys").click()
    expect(page.get_by_role("heading", name="No pulse surveys yet")).to_be_visible()
    visit(page, screenshot, "surveys-empty")
    page.get_by_role("main").get_by_role("button", name="New pulse survey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New pulse survey")
    page.get_by_role("group", name="Who is it for?").get_by_role(
        "checkbox", name="Warehouse pickers"
    ).check()
    field(page, "Send personal links to").fill("Ana Ruiz <ana.ruiz@northwind.example>")
    visit(page, screenshot, "survey-create")
    mailoutbox.clear()
    page.get_by_role("button", name="Create survey").click()
    expect(page.get_by_role("status")).to_contain_text("Survey created")
    expect(page.get_by_role("cell", name="ana.ruiz@northwind.example")).to_be_visible()
    visit(page, screenshot, "survey-detail")
    assert [message.to for message in mailoutbox] == [["ana.ruiz@northwind.example"]]
    survey_path = emailed_link(mailoutbox[0], "/s/")

    # Ana opens her personal link: no account, nothing but the questionnaire.
    ana = fresh_page()
    ana.goto(survey_path)
    expect(ana.get_by_role("heading", level=1)).to_be_visible()
    statements = ana.get_by_role("group")
    expect(statements).to_have_count(10)
    visit(ana, screenshot, "survey-respondent")

    # The first two statements by keyboard: Tab into the radio group, Space
    # picks the focused choice, the arrow keys move the choice along the scale.
    first, second = statements.nth(0), statements.nth(1)
    ana.keyboard.press("Tab")
    expect(first.get_by_role("radio", name="Strongly disagree")).to_be_focused()
    ana.keyboard.press("Space")
    expect(first.get_by_role("radio", name="Strongly disagree")).to_be_checked()
    for _ in range(3):
        ana.keyboard.press("ArrowRight")
    expect(first.get_by_role("radio", name="Agree", exact=True)).to_be_checked()
    ana.keyboard.press("Tab")
    expect(second.get_by_role("radio", name="Strongly disagree")).to_be_focused()
    ana.keyboard.press("Space")
    ana.keyboard.press("ArrowRight")
    expect(second.get_by_role("radio", name="Disagree", exact=True)).to_be_checked()
    # The rest with the mouse.
    for index in range(2, 10):
        choice = "Not applicable to me" if index == 9 else "Strongly agree"
        statements.nth(index).get_by_role("radio", name=choice).check()
    ana.get_by_role("button", name="Send my answers").click()
    expect(ana.get_by_role("heading", level=1)).to_have_text("Thank you")
    visit(ana, screenshot, "survey-thanks")

    # Back in the app: one response, results still hidden (fewer than three).
    page.reload()
    expect(page.get_by_text("1 response; results appear at 3.")).to_be_visible()
    tab(page, "Surveys").click()
    survey_row = page.get_by_role("row").filter(has_text="Warehouse pickers")
    expect(survey_row).to_contain_text("1 of 1 (100 %)")
    expect(survey_row).to_contain_text("results appear at 3")
    visit(page, screenshot, "surveys")


def look_across_the_portfolio(page, screenshot) -> None:
    tab(page, "Activity").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Lena Fischer")
    visit(page, screenshot, "engagement-activity")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Engagements").click()
    expect(page).to_have_url(re.compile(r"/w/vendor-delivery/$"))
    expect(page.get_by_role("link", name="WMS rollout")).to_be_visible()
    visit(page, screenshot, "portfolio")
    main_nav = page.get_by_role("navigation", name="Main")
    for open_page, heading, shows, name in (
        (
            main_nav.get_by_role("link", name="Calendar"),
            "Go-live calendar",
            "WMS rollout",
            "calendar",
        ),
        (
            main_nav.get_by_role("link", name="Insights"),
            "Portfolio insights",
            "Loss of authority",
            "insights",
        ),
        (
            page.get_by_role("main").get_by_role("button", name="Activity", exact=True),
            None,
            "WMS rollout",
            "activity",
        ),
    ):
        open_page.click()
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("main")).to_contain_text(shows)
        visit(page, screenshot, name)
        main_nav.get_by_role("link", name="Engagements").click()
        expect(page).to_have_url(re.compile(r"/w/vendor-delivery/$"))


def test_engagement_journey(page, fresh_page, screenshot, mailoutbox):
    sign_up(page, screenshot)
    create_engagement(page, screenshot)
    map_landscape(page, screenshot)
    look_at_the_map(page, screenshot)
    read_the_assessment(page, screenshot)
    mitigate_the_resistor(page, screenshot)
    generate_and_edit_the_plan(page, screenshot)
    hand_off(page, fresh_page, screenshot, mailoutbox)
    run_a_pulse_survey(page, fresh_page, screenshot, mailoutbox)
    look_across_the_portfolio(page, screenshot)
