import pytest
from django.urls import reverse

from changeready.core.assessment import assess
from changeready.engagements.loading import load_engagement_data
from changeready.landscape import services
from changeready.landscape.charts import MapPoint, power_interest_svg
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.landscape.tests.factories import ResistancePointFactory, StakeholderFactory

pytestmark = pytest.mark.django_db


def register(client, engagement):
    return client.get(reverse("resistors", args=[engagement.id])).context["landscape"]


def test_an_open_severity_3_point_alone_makes_a_resistor_severity_2_does_not(client_as, engagement):
    three = StakeholderFactory(engagement=engagement, name="Severity three")
    two = StakeholderFactory(engagement=engagement, name="Severity two")
    ResistancePointFactory(stakeholder=three, severity=3, status="open")
    ResistancePointFactory(stakeholder=two, severity=2, status="open")
    response = client_as("member").get(reverse("resistors", args=[engagement.id]))
    names = [entry.stakeholder.name for entry in response.context["landscape"].resistors]
    assert names == ["Severity three"]
    # The register agrees with the core's verdict for every stakeholder.
    data = load_engagement_data([engagement])[str(engagement.id)]
    core = {s.name: s.resistor for s in assess(data, engagement.go_live_date).stakeholders}
    assert core == {"Severity three": True, "Severity two": False}
    # The severity-2 point is still visible, among the other points.
    assert "Other resistance points" in response.content.decode()


@pytest.mark.parametrize(
    "signal",
    [
        {"engagement_level": "resistant"},
        {"opposed_purchase": True},
        {"job_gets_harder": True},
        {"authority_decreases": True},
    ],
)
def test_each_resistor_signal_puts_a_stakeholder_in_the_register(client_as, engagement, signal):
    StakeholderFactory(engagement=engagement, name="Signalled", **signal)
    StakeholderFactory(engagement=engagement, name="Calm")
    names = [e.stakeholder.name for e in register(client_as("viewer"), engagement).resistors]
    assert names == ["Signalled"]


def test_resolved_or_accepted_points_do_not_make_a_resistor(client_as, engagement):
    for status in ("resolved", "accepted"):
        stakeholder = StakeholderFactory(engagement=engagement, name=status)
        ResistancePointFactory(stakeholder=stakeholder, severity=5, status=status)
    assert register(client_as("member"), engagement).resistors == []


def test_resistor_without_a_plan_stands_out_until_a_point_has_a_mitigation_plan(
    client_as, engagement
):
    tom = StakeholderFactory(engagement=engagement, name="Tom", opposed_purchase=True)
    point = ResistancePointFactory(stakeholder=tom, severity=4, strategy="involve", owner="")
    client = client_as("member")
    response = client.get(reverse("resistors", args=[engagement.id]))
    assert response.context["landscape"].resistors[0].without_plan
    assert "No mitigation plan" in response.content.decode()
    # Naming the owner of an open point with a strategy plans it.
    services.update_resistance_point(point, expected_version=None, owner="Priya Raman")
    assert point.status == "planned"
    response = client.get(reverse("resistors", args=[engagement.id]))
    assert not response.context["landscape"].resistors[0].without_plan
    body = response.content.decode()
    assert "No mitigation plan" not in body
    # Codes are shown in words.
    assert "Involve them in the design" in body and "Loses authority or control" not in body


def test_register_shows_sources_strategies_and_statuses_in_words(client_as, engagement):
    tom = StakeholderFactory(engagement=engagement, name="Tom")
    ResistancePointFactory(
        stakeholder=tom, source="loss_of_authority", strategy="sponsor_intervention", owner="Ana"
    )
    body = client_as("member").get(reverse("resistors", args=[engagement.id])).content.decode()
    assert "Loses authority or control" in body
    assert "Sponsor intervenes" in body
    assert "Open (no plan yet)" in body


def test_empty_register_explains_what_to_do(client_as, engagement):
    StakeholderFactory(engagement=engagement, name="Calm")
    body = client_as("member").get(reverse("resistors", args=[engagement.id])).content.decode()
    assert "There is almost always someone" in body


# --- Query budgets -----------------------------------------------------------------------


def populate(engagement, stakeholders, points):
    rows = Stakeholder.objects.bulk_create(
        Stakeholder(
            engagement=engagement,
            name=f"Stakeholder {n}",
            kind="person" if n % 3 else "group",
            headcount=None if n % 3 else 10 + n,
            role=("daily_user", "people_manager", "economic_buyer", "it_security")[n % 4],
            influence=1 + n % 5,
            interest=1 + (n // 5) % 5,
            engagement_level=("unaware", "resistant", "neutral", "supportive")[n % 4],
            opposed_purchase=n % 7 == 0,
        )
        for n in range(stakeholders)
    )
    ResistancePoint.objects.bulk_create(
        ResistancePoint(
            engagement=engagement,
            stakeholder=rows[n % len(rows)],
            source="habit",
            severity=1 + n % 5,
            strategy="support" if n % 2 else "",
            owner="Kim" if n % 3 else "",
        )
        for n in range(points)
    )


# One count per page, whatever the size: session, user, memberships (tenancy's
# and the workspace switcher's), engagement, the loader's five reads, then the
# page's own two (stakeholder rows, resistance points).
QUERY_BUDGET = {"landscape": 12, "stakeholder_map": 12, "resistors": 12, "engagement": 12}


@pytest.mark.parametrize("page", QUERY_BUDGET)
@pytest.mark.parametrize(("stakeholders", "points"), [(5, 3), (500, 300)])
def test_pages_cost_the_same_queries_for_5_or_500_stakeholders(
    client_as, engagement, django_assert_num_queries, page, stakeholders, points
):
    populate(engagement, stakeholders, points)
    client = client_as("member")
    with django_assert_num_queries(QUERY_BUDGET[page]):
        response = client.get(reverse(page, args=[engagement.id]))
    assert response.status_code == 200
    if page in ("landscape", "stakeholder_map"):
        assert f"Stakeholder {stakeholders - 1}" in response.content.decode()


# --- The map -------------------------------------------------------------------------------


def test_map_page_draws_every_stakeholder_with_a_link_and_a_table(client_as, engagement):
    group = StakeholderFactory(engagement=engagement, name="Pickers", headcount=420)
    person = StakeholderFactory(engagement=engagement, name="Marcus", kind="person")
    body = client_as("viewer").get(reverse("stakeholder_map", args=[engagement.id]))
    html = body.content.decode()
    for stakeholder in (group, person):
        assert reverse("stakeholder", args=[engagement.id, stakeholder.id]) in html
    # The marks are links: a group, not an image (whose links could not be read).
    assert 'role="group"' in html and 'role="img"' not in html
    assert "<caption>The map as a table</caption>" in html
    assert "Engagement matrix" in html


def test_engagement_matrix_marks_current_and_desired(client_as, engagement):
    StakeholderFactory(
        engagement=engagement,
        name="Leads",
        engagement_level="resistant",
        desired_engagement="leading",
    )
    StakeholderFactory(
        engagement=engagement, name="Same", engagement_level="neutral", desired_engagement="neutral"
    )
    html = client_as("member").get(reverse("stakeholder_map", args=[engagement.id])).content
    html = html.decode()
    html = html[html.index('class="engagement-matrix"') :]
    leads_row = html[html.index(">Leads<") : html.index("</tr>", html.index(">Leads<"))]
    cells = leads_row.split("<td>")[1:]
    assert ["C" in c for c in cells] == [False, True, False, False, False]
    assert ["D" in c for c in cells] == [False, False, False, False, True]
    same_row = html[html.index(">Same<") : html.index("</tr>", html.index(">Same<"))]
    assert '<abbr title="current">C</abbr> <abbr title="desired">D</abbr>' in same_row


def test_svg_escapes_every_text_and_is_deterministic():
    points = [
        MapPoint(
            id="1", name='<script>alert("x")</script>', influence=4, interest=4, href="/a?b=1&c=2"
        ),
        MapPoint(id="2", name="Twin", influence=4, interest=4, kind="person"),
    ]
    svg = power_interest_svg(points, title="Map & <co>")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "Map &amp; &lt;co&gt;" in svg
    assert 'href="/a?b=1&amp;c=2"' in svg
    assert svg == power_interest_svg(list(reversed(points)), title="Map & <co>")
    assert 'role="group"' in svg and "<title" in svg and "<desc" in svg
    assert "style=" not in svg and "<script" not in svg


def test_svg_without_links_is_an_image():
    svg = power_interest_svg([MapPoint(id="1", name="Pickers", influence=2, interest=4)])
    assert 'role="img"' in svg and "<a " not in svg
    assert "style=" not in svg and "<script" not in svg


def test_overlapping_marks_are_spread_apart():
    points = [MapPoint(id=str(n), name=f"S{n}", influence=5, interest=5) for n in range(4)]
    svg = power_interest_svg(points)
    centres = {
        (part.split('cx="')[1].split('"')[0], part.split('cy="')[1].split('"')[0])
        for part in svg.split("<circle")[1:]
        if 'r="10.0"' in part
    }
    assert len(centres) == 4


def test_mark_size_grows_with_headcount_on_a_log_scale():
    from changeready.landscape.charts import mark_size

    small = mark_size(MapPoint(id="a", name="a", influence=3, interest=3, headcount=20))
    large = mark_size(MapPoint(id="b", name="b", influence=3, interest=3, headcount=2000))
    person = mark_size(MapPoint(id="c", name="c", influence=3, interest=3, kind="person"))
    assert person < small < large < small * 2
