"""Fixtures shared by every app's tests: the people of every access test.

`owner`, `admin`, `member` and `viewer` belong to `workspace`; `outsider` owns
another workspace. Every test that touches the database starts with all five
(`everyone`, autouse), so no test runs in a workspace of one member: a lookup
that forgets to filter by user or workspace finds someone else's row and
fails. Tests therefore count and filter within what they look at ("the
members of `workspace`", "this engagement's items"), never the whole table.
The one opt-out, `@pytest.mark.empty_database`, is for tests that need the
database empty (the data migration tests migrate backwards and forwards).

Access tests parametrize over PEOPLE and assert both the status code and that
nothing changed; `changeready/tests/test_access_matrix.py` holds one row per
URL and API operation.

Hypothesis runs with the profile named by HYPOTHESIS_PROFILE: `ci` (no
deadline, derandomised: a busy machine is not a failure, and a run is
repeatable) in `make test` and CI, `dev` (Hypothesis's defaults) otherwise.
"""

import os
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import settings as hypothesis_settings

from changeready.accounts.tests.factories import UserFactory
from changeready.api.tokens import issue_token
from changeready.common import clock
from changeready.engagements.tests.factories import EngagementFactory
from changeready.workspaces.models import Membership, Role
from changeready.workspaces.tests.factories import MembershipFactory, WorkspaceFactory

hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.register_profile("dev")
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

PEOPLE = ("owner", "admin", "member", "viewer", "outsider", "anonymous")
WRITERS = ("owner", "admin", "member")
MANAGERS = ("owner", "admin")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


class FakeClock:
    """What `changeready.common.clock.now()` returns while `fake_clock` is in use."""

    def __init__(self, start: float):
        self.now = start

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake_clock(monkeypatch):
    """Time that moves only when told (`fake_clock.advance(3600)`): session
    timeouts and throttle windows without sleeping. Starts on a whole hour."""
    fake = FakeClock(start=1_767_225_600.0)  # 2026-01-01 00:00 UTC
    monkeypatch.setattr(clock, "now", lambda: fake.now)
    return fake


@pytest.fixture
def workspace(db):
    return WorkspaceFactory(name="Acme Delivery", slug="acme")


@pytest.fixture
def other_workspace(db):
    return WorkspaceFactory(name="Rival Delivery", slug="rival")


def _member(workspace, role, email):
    return MembershipFactory(workspace=workspace, role=role, user=UserFactory(email=email)).user


@pytest.fixture
def owner(workspace):
    return _member(workspace, Role.OWNER, "owner@acme.example")


@pytest.fixture
def admin(workspace):
    return _member(workspace, Role.ADMIN, "admin@acme.example")


@pytest.fixture
def member(workspace):
    return _member(workspace, Role.MEMBER, "member@acme.example")


@pytest.fixture
def viewer(workspace):
    return _member(workspace, Role.VIEWER, "viewer@acme.example")


@pytest.fixture
def outsider(other_workspace):
    return _member(other_workspace, Role.OWNER, "outsider@rival.example")


def _uses_database(request) -> bool:
    if request.node.get_closest_marker("django_db"):
        return True
    return bool({"db", "transactional_db"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def everyone(request):
    """The five people of the access matrix, in every test that uses the database.

    `@pytest.mark.empty_database` opts a test out (see the module docstring).
    """
    if request.node.get_closest_marker("empty_database") or not _uses_database(request):
        return None
    return SimpleNamespace(**{person: request.getfixturevalue(person) for person in PEOPLE[:-1]})


@pytest.fixture
def engagement(workspace):
    return EngagementFactory(workspace=workspace, name="WMS rollout", customer="Northwind")


@pytest.fixture
def client_as(request, db):
    """`client_as("viewer")`: a test client signed in as that person (or anonymous)."""

    def make(person: str) -> Client:
        client = Client()
        if person != "anonymous":
            client.force_login(request.getfixturevalue(person))
        return client

    return make


@pytest.fixture
def api_client_as(request, db):
    """`api_client_as("viewer")`: a test client sending an API token of that person.

    The token is for the person's own workspace (the outsider's is for theirs);
    "anonymous" sends no token.
    """

    def make(person: str) -> Client:
        if person == "anonymous":
            return Client()
        user = request.getfixturevalue(person)
        membership = Membership.objects.select_related("workspace", "user").get(user=user)
        issued = issue_token(membership=membership, name=f"{person}'s test token")
        return Client(headers={"Authorization": f"Bearer {issued.secret}"})

    return make
