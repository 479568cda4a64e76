"""Who may use which URL and API operation: one row per page and operation, run
for the owner, admin, member, viewer, outsider and anonymous.

A row names a URL (by name) or an API operation (by operation id, without
the `changeready_` prefix), the method, the roles of the workspace that may
use it and the status they get; every other member gets 403, the outsider
(signed in to another workspace, or holding its token) 404, anonymous the
log-in page (401 from the API). `others` gives the few exceptions. Each
request runs in a savepoint rolled back afterwards, so every person meets the
same data, and a refused request, or any GET, must leave the database as it
was.

`test_every_url_and_operation_has_a_row` fails when a URL or an operation is
added without a row here: add one, or, if it is public, add it to PUBLIC with
the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, IntegerField, Max, Sum
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from changeready.accounts.tests.factories import UserFactory
from changeready.conftest import MANAGERS, PEOPLE, WRITERS
from changeready.engagements.models import Engagement
from changeready.tests.access_world import build_world, resolve_webhook_host
from changeready.web.api import api
from changeready.workspaces.models import Role
from changeready.workspaces.tests.factories import MembershipFactory, WorkspaceFactory

MEMBERS = ("owner", "admin", "member", "viewer")
OWNER = ("owner",)
API_PREFIX = "changeready_"
EXAMPLE = Path(__file__).resolve().parents[1] / "engagement_file" / "examples"


@dataclass(frozen=True)
class Row:
    target: str  # a URL name, or an API operation id without API_PREFIX
    method: str = "get"
    who: tuple[str, ...] = MEMBERS  # the roles that get `ok`; other members get 403
    ok: int = 200
    data: Any = None  # form data, or the JSON body (a callable of the world)
    args: dict[str, str] = field(default_factory=dict)  # URL argument -> world attribute
    others: dict[str, int] = field(default_factory=dict)  # the exceptions, by person
    why: str = ""  # why the exceptions

    def expected(self, person: str, *, api_call: bool) -> int:
        if person in self.others:
            return self.others[person]
        if person == "anonymous":
            return 401 if api_call else 302
        if person == "outsider":
            return 404
        return self.ok if person in self.who else 403

    @property
    def id(self) -> str:
        return f"{self.method} {self.target}"


def read(name, **kwargs) -> Row:
    """A page any member may read."""
    return Row(name, **kwargs)


def write(name, ok=302, **kwargs) -> Row:
    """A POST by a member who may change the workspace's data (not a viewer)."""
    return Row(name, "post", WRITERS, ok, **kwargs)


def form(name, **kwargs) -> Row:
    """A page that exists only to write (a form, a confirmation): refused to viewers."""
    return Row(name, "get", WRITERS, 200, **kwargs)


def manage(name, method="get", ok=200, **kwargs) -> Row:
    return Row(name, method, MANAGERS, ok, **kwargs)


def own(name, method="get", ok=200, **kwargs) -> Row:
    return Row(name, method, OWNER, ok, **kwargs)


# An empty POST to a form answers 200 (or 422) with the form's errors: the
# request got through the access check, which is what this table is about.
PAGES = [
    Row(
        "home",
        ok=302,
        others={"outsider": 302, "anonymous": 200},
        why="the landing page; a signed-in person goes to their workspace",
    ),
    Row(
        "workspace_create",
        others={"outsider": 200},
        why="anyone signed in may start a workspace",
    ),
    Row(
        "workspace_create",
        "post",
        others={"outsider": 200},
        why="anyone signed in may start a workspace",
    ),
    read("workspace"),
    read("members"),
    manage("members", "post"),
    own("sign_in_rules", "post", 302),
    own("sso_settings"),
    own("sso_settings", "post"),
    own("sso_remove"),
    own("sso_remove", "post", 302),
    own("sso_domain_add", "post"),
    own("sso_domain_remove"),
    own("sso_domain_remove", "post", 302),
    own("sso_domain_verify", "post", 302),
    manage("member_role", "post", 302),
    manage("member_remove"),
    manage("member_remove", "post", 302),
    manage("invitation_revoke", "post", 302),
    form("engagement_create"),
    write("engagement_create", 200),
    read("engagement"),
    read("engagement_templates"),
    form("engagement_from_template"),
    write("engagement_from_template", 200),
    form("engagement_template_delete"),
    write("engagement_template_delete"),
    form("engagement_save_as_template"),
    write("engagement_save_as_template", 200),
    form("engagement_edit"),
    write("engagement_edit", 200),
    form("engagement_delete"),
    write("engagement_delete"),
    read("landscape"),
    write("opposition_reviewed"),
    form("landscape_import"),
    write("landscape_import", 200),
    write("landscape_import_confirm"),
    read("landscape_import_template"),
    read("stakeholder_map"),
    read("contributors"),
    write("contributor_invite"),
    write("contributor_resend"),
    write("contributor_revoke"),
    read("contributor_preview"),
    form("stakeholder_create"),
    write("stakeholder_create", 200),
    read("stakeholder"),
    form("stakeholder_edit"),
    write("stakeholder_edit", 200),
    form("stakeholder_delete"),
    write("stakeholder_delete"),
    read("workspace_phrases"),
    write("workspace_phrases", 200),
    form("workspace_phrase_delete"),
    write("workspace_phrase_delete"),
    read("landscape_grid"),
    write("landscape_grid_row_create", 200),
    write("landscape_grid_row", 200),
    write("log_entry_create", 200),
    form("log_entry_edit"),
    write("log_entry_edit", 200),
    form("commitment_edit"),
    write("commitment_edit", 200),
    write("commitment_create", 200),
    form("log_entry_delete"),
    write("log_entry_delete"),
    write("commitment_status"),
    read("stakeholder_history"),
    manage("person_export", "post"),
    manage("person_erase"),
    manage("person_erase", "post"),  # without the typed name: the form again, nothing erased
    form("commitment_delete"),
    write("commitment_delete"),
    read("resistors"),
    form("resistance_point_create"),
    write("resistance_point_create", 200),
    form("resistance_point_edit"),
    write("resistance_point_edit", 200),
    form("resistance_point_delete"),
    write("resistance_point_delete"),
    read("assessment"),
    read("assessment_breakdown"),
    read("plan"),
    read("plan_generate", why="a preview of what regenerating would change: a read"),
    write("plan_generate"),
    form("plan_settings"),
    write("plan_settings", 200),
    form("plan_item_create"),
    write("plan_item_create", 200),
    write("plan_bulk_owner"),
    read("plan_item", ok=302),
    form("plan_item_edit"),
    write("plan_item_edit", 200),
    write("plan_item_move"),
    write("plan_item_status"),
    form("plan_item_delete"),
    write("plan_item_delete"),
    read("adoption"),
    write("actuals_import", 400),
    write("adoption_target"),
    read("playbook"),
    manage("rule_create"),
    manage("rule_create", "post"),
    manage("rule_edit"),
    manage("rule_edit", "post"),
    manage("rule_toggle", "post", 302),
    manage("rule_reset", "post", 302),
    manage("rule_delete"),
    manage("rule_delete", "post", 302),
    read("surveys"),
    form("survey_create"),
    write("survey_create", 200),
    read("survey"),
    write("survey_remind"),
    form("survey_close"),
    write("survey_close"),
    form("survey_revoke"),
    write("survey_revoke"),
    write("survey_respondent_revoke"),
    read("handoff"),
    read("handoff_download"),
    read("handoff_documents"),
    write("handoff_documents"),
    read("handoff_document_download"),
    form("handoff_review"),
    write("handoff_review_owners", 422),
    write("handoff_cs_owner"),
    write("handoff_send", 422),
    write("handoff_accept", why="the CS owner (the member), or an owner or admin on their behalf"),
    Row("handoff_undo_acceptance", "get", WRITERS, 302),
    write("handoff_undo_acceptance"),
    write("handoff_link_create", 422),
    write("handoff_link_revoke"),
    read("portfolio_calendar"),
    read("portfolio_insights"),
    read("digest_settings"),
    Row("digest_settings", "post", MEMBERS, 302, why="a viewer may switch off their own digest"),
    read("workspace_activity"),
    read("engagement_activity"),
    read("usage"),
    write("usage_upload", 422),
    read("usage_mapping"),
    write("usage_rule_create", 422),
    form("usage_rule_edit"),
    write("usage_rule_edit", 200),
    form("usage_rule_delete"),
    write("usage_rule_delete"),
    write("usage_rule_move"),
    write("usage_counts_as_use", args={"stakeholder_id": "group_id"}),
    read("usage_tokens"),
    write("usage_tokens", 422),
    form("usage_token_revoke"),
    write("usage_token_revoke"),
    read("kpis"),
    form("kpi_create"),
    write("kpi_create", 200),
    form("kpi_edit"),
    write("kpi_edit", 200),
    form("kpi_delete"),
    write("kpi_delete"),
    write("kpi_value"),
    manage("webhooks"),
    manage("webhooks", "post"),
    manage("webhook"),
    manage("webhook", "post"),
    manage("webhook_enabled", "post", 302),
    manage("webhook_rotate"),
    manage("webhook_rotate", "post"),
    manage("webhook_delete"),
    manage("webhook_delete", "post", 302),
    manage("webhook_test", "post", 302),
    manage("webhook_delivery_replay", "post", 302),
    Row("calendar_feeds", why="a member's own calendar feeds, viewers' too"),
    Row("calendar_feeds", "post", why="a member's own calendar feeds, viewers' too"),
    Row(
        "calendar_feed_revoke",
        who=("member",),
        others={"owner": 404, "admin": 404, "viewer": 404},
        why="the feed is the member's: nobody else sees it",
    ),
    Row(
        "calendar_feed_revoke",
        "post",
        who=("member",),
        ok=302,
        others={"owner": 404, "admin": 404, "viewer": 404},
        why="the feed is the member's: nobody else sees it",
    ),
    manage("api_tokens"),
    manage("api_tokens", "post"),
    manage("api_token_revoke", args={"token_id": "api_token_id"}),
    manage("api_token_revoke", "post", 302, args={"token_id": "api_token_id"}),
    form("engagement_import"),
    write("engagement_import", 422),
    read("engagement_export"),
]

# Pages anyone may open: no row needed. Each with why.
PUBLIC = {
    "healthz": "the load balancer's health check",
    "favicon": "a redirect to the static icon",
    "login": "signing in",
    "signup": "signing up",
    "sso_login": "signing in with single sign-on",
    "openid_connect_callback": "the identity provider's answer to a single sign-on",
    "invitation": "a signed, expiring invitation link (workspaces/tests)",
    "survey_respond": "a respondent's signed survey link (surveys/tests/test_respond.py)",
    "survey_thanks": "a respondent's signed survey link (surveys/tests/test_respond.py)",
    "share": "a signed, revocable share link (handoff/tests/test_share.py)",
    "share_download": "a signed, revocable share link (handoff/tests/test_share.py)",
    "share_documents": "a signed, revocable share link (handoff/tests/test_share.py)",
    "portal": "a contributor's signed, revocable link (portal/tests/test_links.py)",
    "portal_action": "a contributor's signed, revocable link (portal/tests/test_links.py)",
    "portal_download": "a contributor's signed, revocable link (portal/tests/test_links.py)",
    "portal_documents": "a contributor's signed, revocable link (portal/tests/test_links.py)",
    "portal_opt_out": "a contributor's signed stop link (portal/tests/test_digest.py)",
    "calendar_feed": "a member's secret calendar URL (integrations/tests/test_calendar.py)",
    "api-v1:openapi-json": "the API's schema",
    "api-v1:openapi-view": "the API's documentation",
    "api-v1:api-root": "the API's index",
}


def body(**fields):
    return lambda world: fields


NEW_ENGAGEMENT = body(name="CRM rollout", customer="Initech", go_live_date="2027-06-07")
NEW_KPI = body(name="Close in days", baseline=10, target=5, due_week=8)
WEBHOOK = body(url="https://hooks.example.com/in", events=["plan.generated"])


def example_file(world):
    return json.loads((EXAMPLE / "northwind-wms.json").read_text())


OPERATIONS = [
    Row(
        "engagement_file_api_import_engagement_file",
        "post",
        WRITERS,
        201,
        example_file,
        others={"outsider": 201},
        why="the outsider's token imports into their own workspace",
    ),
    Row("engagement_file_api_export_engagement_file"),
    Row(
        "engagements_api_list_engagements",
        others={"outsider": 200},
        why="the outsider's token lists their own workspace",
    ),
    Row(
        "engagements_api_create_engagement",
        "post",
        WRITERS,
        201,
        NEW_ENGAGEMENT,
        others={"outsider": 201},
        why="the outsider's token creates in their own workspace",
    ),
    Row("engagements_api_get_engagement"),
    Row("engagements_api_update_engagement", "patch", WRITERS, data=body(phase="test")),
    Row("engagements_api_delete_engagement", "delete", WRITERS, 204),
    Row(
        "engagement_templates_api_list_templates",
        others={"outsider": 200},
        why="the outsider's token lists the built-in templates and their own",
    ),
    Row("engagement_templates_api_get_template"),
    Row("engagement_templates_api_delete_template", "delete", WRITERS, 204),
    Row(
        "engagement_templates_api_create_from_template",
        "post",
        WRITERS,
        201,
        body(customer="Initech", go_live_date="2027-09-06"),
    ),
    Row(
        "engagement_templates_api_save_as_template",
        "post",
        WRITERS,
        201,
        body(name="Our warehouse rollout"),
    ),
    Row("landscape_api_list_stakeholders"),
    Row(
        "landscape_api_create_stakeholder",
        "post",
        WRITERS,
        201,
        body(name="Dispatchers", kind="group", role="daily_user"),
    ),
    Row("landscape_api_get_stakeholder"),
    Row("landscape_api_update_stakeholder", "patch", WRITERS, data=body(influence=5)),
    Row("landscape_api_delete_stakeholder", "delete", WRITERS, 204),
    Row("landscape_api_list_log_entries"),
    Row(
        "landscape_api_create_log_entry",
        "post",
        WRITERS,
        201,
        body(date="2027-03-02", summary="Met the night shift."),
    ),
    Row("landscape_api_get_log_entry"),
    Row("landscape_api_update_log_entry", "patch", WRITERS, data=body(summary="Met them.")),
    Row("landscape_api_delete_log_entry", "delete", WRITERS, 204),
    Row("landscape_api_list_commitments"),
    Row(
        "landscape_api_create_commitment",
        "post",
        WRITERS,
        201,
        body(text="Send the rota", owner="Lena Kovacs"),
    ),
    Row("landscape_api_get_commitment"),
    Row("landscape_api_update_commitment", "patch", WRITERS, data=body(status="done")),
    Row("landscape_api_delete_commitment", "delete", WRITERS, 204),
    Row("portal_api_list_contributors"),
    Row(
        "portal_api_invite_contributor", "post", WRITERS, 201, args={"stakeholder_id": "invitee_id"}
    ),
    Row("portal_api_get_contributor"),
    Row("portal_api_resend_link", "post", WRITERS),
    Row("portal_api_revoke_contributor", "post", WRITERS),
    Row("landscape_api_list_resistance"),
    Row(
        "landscape_api_create_resistance",
        "post",
        WRITERS,
        201,
        lambda world: {"stakeholder": str(world.stakeholder_id), "source": "habit", "severity": 2},
    ),
    Row("landscape_api_get_resistance"),
    Row("landscape_api_update_resistance", "patch", WRITERS, data=body(severity=5)),
    Row("landscape_api_delete_resistance", "delete", WRITERS, 204),
    Row("assessment_api_engagement_assessment"),
    Row(
        "surveys_api_create_survey",
        "post",
        WRITERS,
        201,
        lambda world: {"stakeholders": [str(world.group_id)]},
    ),
    Row("surveys_api_get_survey"),
    Row("handoff_api_request_playbook_document", "post", WRITERS, 202, body(format="pdf")),
    Row("handoff_api_export_document"),
    Row("handoff_api_export_document_download"),
    Row("planning_api_get_plan"),
    Row("planning_api_generate", "post", WRITERS),
    Row(
        "planning_api_create_item",
        "post",
        WRITERS,
        201,
        body(week=2, title="Lunch and learn", kind="training", owner_role="champion"),
    ),
    Row(
        "planning_api_assign_owners",
        "post",
        WRITERS,
        data=lambda world: {"owner": "Kim", "items": [str(world.item_id)]},
    ),
    Row("planning_api_update_item", "patch", WRITERS, data=body(title="Renamed")),
    Row("planning_api_delete_item", "delete", WRITERS, 204),
    Row("planning_api_update_target", "patch", WRITERS, data=body(actual_pct=30)),
    Row(
        "planning_api_record_actuals",
        "post",
        WRITERS,
        data=lambda world: {
            "actuals": [
                {
                    "stakeholder": str(world.target_group_id),
                    "week": world.target_week,
                    "actual_pct": 30,
                }
            ]
        },
    ),
    Row(
        "portfolio_api_portfolio",
        others={"outsider": 200},
        why="the outsider's token sees their own portfolio",
    ),
    Row(
        "usage_api_post_events",
        "post",
        WRITERS,
        202,
        body(
            events=[
                {
                    "id": "ev-1",
                    "user": "a",
                    "event": "order_picked",
                    "timestamp": "2027-04-06T10:00:00+00:00",
                    "email": "a@northwind.example",
                }
            ]
        ),
    ),
    Row("usage_api_get_usage"),
    Row("usage_api_get_mapping"),
    Row(
        "usage_api_put_mapping",
        "put",
        WRITERS,
        data=lambda world: {
            "rules": [{"group": str(world.group_id), "kind": "user_list", "values": ["a"]}]
        },
    ),
    Row("usage_api_list_kpis"),
    Row("usage_api_create_kpi", "post", WRITERS, 201, NEW_KPI),
    Row("usage_api_get_kpi"),
    Row("usage_api_update_kpi", "patch", WRITERS, data=body(target=4)),
    Row("usage_api_delete_kpi", "delete", WRITERS, 204),
    Row(
        "integrations_api_list_webhooks",
        who=MANAGERS,
        others={"outsider": 200},
        why="the outsider's token lists their own workspace's",
    ),
    Row(
        "integrations_api_create_webhook",
        "post",
        MANAGERS,
        201,
        WEBHOOK,
        others={"outsider": 201},
        why="the outsider's token creates in their own workspace",
    ),
    Row("integrations_api_get_webhook", who=MANAGERS),
    Row("integrations_api_update_webhook", "patch", MANAGERS, data=body(description="Alerts")),
    Row("integrations_api_delete_webhook", "delete", MANAGERS, 204),
    Row("integrations_api_rotate_webhook_secret", "post", MANAGERS),
    Row("integrations_api_test_webhook", "post", MANAGERS, 202),
    Row("integrations_api_list_deliveries", who=MANAGERS),
    Row("integrations_api_replay_delivery", "post", MANAGERS, 202),
]


# --- the URLs and operations there are ---------------------------------------------------


def url_patterns(patterns=None, namespace=""):
    """(name, pattern) of every named URL pattern of the project's own views."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def project_url_names() -> set[str]:
    """Named URLs of changeready's own views.

    The API's operations are checked by operation id instead. allauth's own
    pages (e-mail, password, two-factor) are the library's: it checks their
    sign-in itself, and `accounts/tests` covers how the project uses them.
    """
    return {
        name
        for name, pattern in url_patterns()
        if pattern.callback.__module__.startswith("changeready.") and not name.startswith("api-v1:")
    } | {name for name in PUBLIC if name.startswith("api-v1:")}


def api_operations() -> dict[str, tuple[str, str]]:
    """Operation id (without API_PREFIX) -> (method, path template)."""
    return {
        operation["operationId"].removeprefix(API_PREFIX): (method, path)
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method, operation in methods.items()
    }


def test_every_url_and_operation_has_a_row():
    rows = {row.target for row in PAGES}
    missing_pages = project_url_names() - rows - set(PUBLIC)
    assert not missing_pages, f"URLs without an access row in {__name__}: {sorted(missing_pages)}"
    missing_operations = set(api_operations()) - {row.target for row in OPERATIONS}
    assert not missing_operations, f"API operations without an access row: {missing_operations}"
    # And no row for something that is gone, or for a public page.
    assert rows <= project_url_names() - set(PUBLIC)
    assert {row.target for row in OPERATIONS} <= set(api_operations())
    assert set(PUBLIC) <= {name for name, _ in url_patterns()}


def test_the_table_holds_each_case_once():
    ids = [row.id for row in PAGES + OPERATIONS]
    assert len(ids) == len(set(ids))


# --- the people and the world, once for the module -----------------------------------------


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """The workspace with everyone and one of everything, built once and rolled
    back after the module: each test's own transaction sits inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            workspace = WorkspaceFactory(name="Acme Delivery", slug="acme")
            people = {
                role: MembershipFactory(
                    workspace=workspace, role=role, user=UserFactory(email=f"{role}@acme.example")
                ).user
                for role in (Role.OWNER, Role.ADMIN, Role.MEMBER, Role.VIEWER)
            }
            rival = WorkspaceFactory(name="Rival Delivery", slug="rival")
            people["outsider"] = MembershipFactory(
                workspace=rival, role=Role.OWNER, user=UserFactory(email="outsider@rival.example")
            ).user
            with pytest.MonkeyPatch.context() as patch:
                resolve_webhook_host(patch)
                world = build_world(workspace, people["owner"], people["member"])
            Engagement.objects.filter(id=world.engagement_id).update(
                cs_owner_email="member@acme.example"
            )
            yield workspace, people, world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def workspace(shared, db):
    return shared[0]


@pytest.fixture
def other_workspace(shared, db):
    return shared[1]["outsider"].memberships.get().workspace


@pytest.fixture
def owner(shared, db):
    return shared[1]["owner"]


@pytest.fixture
def admin(shared, db):
    return shared[1]["admin"]


@pytest.fixture
def member(shared, db):
    return shared[1]["member"]


@pytest.fixture
def viewer(shared, db):
    return shared[1]["viewer"]


@pytest.fixture
def outsider(shared, db):
    return shared[1]["outsider"]


@pytest.fixture
def world(shared, monkeypatch):
    resolve_webhook_host(monkeypatch)
    return shared[2]


def fingerprint() -> list:
    """Rows per table, their versions and last update: what a write changes."""
    result = []
    for model in apps.get_models():
        if not model.__module__.startswith("changeready."):
            continue
        fields = {f.name: f for f in model._meta.concrete_fields}
        aggregates = {"rows": Count("pk")}
        if isinstance(fields.get("version"), IntegerField):
            aggregates["versions"] = Sum("version")
        elif "version" in fields:
            aggregates["version"] = Max("version")
        if "updated_at" in fields:
            aggregates["updated"] = Max("updated_at")
        result.append((model._meta.label, model.objects.aggregate(**aggregates)))
    return result


def check(row: Row, clients: dict[str, Client], url: str, *, api_call: bool, payload=None):
    """Send the request as everyone; return what differs from the row."""
    before = fingerprint()
    wrong = []
    for person in PEOPLE:
        expected = row.expected(person, api_call=api_call)
        cache.clear()  # throttles count per client address, which all these share
        with transaction.atomic():
            if payload is None:
                response = getattr(clients[person], row.method)(url)
            else:
                response = getattr(clients[person], row.method)(
                    url, json.dumps(payload), content_type="application/json"
                )
            if response.status_code != expected:
                wrong.append(f"{person}: {response.status_code}, expected {expected}")
            elif expected == 302 and person == "anonymous" and not api_call:
                if not response["Location"].startswith(reverse("login")):
                    wrong.append(f"anonymous: sent to {response['Location']}, not to log in")
            allowed = person in row.who or row.others.get(person, 0) in (200, 201, 202, 204)
            if (row.method == "get" or not allowed) and fingerprint() != before:
                wrong.append(f"{person}: the {row.method.upper()} changed the database")
            transaction.set_rollback(True)
    return wrong


@pytest.mark.parametrize("row", PAGES, ids=lambda row: row.id)
def test_page_access(row, world, client_as):
    clients = {person: client_as(person) for person in PEOPLE}
    names = re.findall(r"<(?:\w+:)?(\w+)>", str(dict(url_patterns())[row.target].pattern))
    url = reverse(row.target, kwargs={n: getattr(world, row.args.get(n, n)) for n in names})
    assert check(row, clients, url, api_call=False) == []


@pytest.mark.parametrize("row", OPERATIONS, ids=lambda row: row.id)
def test_operation_access(row, world, api_client_as):
    method, template = api_operations()[row.target]
    assert method == row.method, f"{row.target} is a {method.upper()}"
    url = re.sub(
        r"\{(\w+)\}",
        lambda m: str(getattr(world, row.args.get(m.group(1), m.group(1)))),
        template,
    )
    clients = {person: api_client_as(person) for person in PEOPLE}
    payload = row.data(world) if row.data else ({} if method in ("post", "put", "patch") else None)
    assert check(row, clients, url, api_call=True, payload=payload) == []
