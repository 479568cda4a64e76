"""Schema-driven fuzzing of the live API (in `make test`, bounded to a few seconds).

schemathesis loads /api/v1/openapi.json from the app itself (WSGI, in process),
generates requests for every operation from the schema and checks that none
gets a server error and that every response conforms to the schema: status
codes, content types, headers and bodies. Path ids are sometimes swapped for
ids of real objects, so the handlers' success paths are exercised, not only
their 404s. The quick run uses a fixed seed and 12 examples per operation.
For a longer run, which also adds schemathesis' coverage phase (boundary
values and schema-violating variants of every field):

    FUZZ_EXAMPLES=500 .venv/bin/python -m pytest changeready/api/tests/test_schemathesis.py

or fuzz a running server with the CLI:

    schemathesis run http://127.0.0.1:8000/api/v1/openapi.json \\
        --header "Authorization: Bearer $TOKEN" --max-examples 500
"""

import os
import random
import re
import uuid

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from changeready.api.tokens import issue_token
from changeready.engagement_file.importing import import_engagement, parse
from changeready.engagements.models import Engagement
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.workspaces.models import Membership

from .test_isolation import EXAMPLE

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
ID_SOURCES = {
    "engagement_id": Engagement,
    "stakeholder_id": Stakeholder,
    "resistance_id": ResistancePoint,
}


@pytest.fixture
def fuzz_token(db, owner, workspace):
    import_engagement(workspace, parse(EXAMPLE.read_bytes()))
    return issue_token(membership=Membership.objects.get(user=owner), name="fuzz").secret


@pytest.fixture
def in_process_requests(fuzz_token):
    # The test database lives in this test's transaction; Django's request
    # signals would close its connection after each in-process request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    # A long fuzzing run sends more than a minute's worth of requests with one
    # token; the rate limit has its own tests and would only hide the handlers.
    with override_settings(API_REQUESTS_PER_TOKEN=1_000_000):
        yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
# The coverage phase (boundary values and schema-violating variants of every
# field) takes most of the time; the quick run in `make test` leaves it to the
# longer run, which turns it on with FUZZ_EXAMPLES.
schema.config.phases.coverage.enabled = "FUZZ_EXAMPLES" in os.environ
# Every request carries the valid token below; a generated (possibly
# deliberately broken) Authorization header would be overwritten by it and make
# a "negative" request that is in fact valid. Token failures have their own tests.
schema.config.generation.with_security_parameters = False
_chooser = random.Random(4)


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@schema.hook("map_path_parameters")
def use_real_ids(context, path_parameters):
    # Only a well-formed id is swapped: a deliberately malformed one (negative
    # testing) must reach the API as it is.
    if not path_parameters:
        return path_parameters
    for name, model in ID_SOURCES.items():
        value = path_parameters.get(name)
        if value is not None and _is_uuid(value) and _chooser.random() < 0.7:
            ids = list(model.objects.values_list("id", flat=True))
            if ids:
                path_parameters[name] = str(_chooser.choice(ids))
    return path_parameters


# What JSON Schema cannot say: rules that depend on other objects or on a
# field's neighbour. A schema-valid request refused (422) for one of these
# alone is right; refused for anything else, it fails the check.
SEMANTIC_REFUSALS = {
    "a reference to an object that is not in the engagement": (
        r"^No such [a-z ]+ (in this engagement|of this stakeholder)\.$",
        r"^Choose stakeholders of this engagement\.$",
        r"^Unknown (stakeholder|resistance point) '.*'\.$",
        r"^The resistance point must belong to this engagement\.$",
    ),
    "a name or key used twice (among the engagement's objects, or in one list)": (
        r"^A stakeholder with this name already exists in this engagement\.$",
        r"^The workspace already has a template with this name\.$",
        r"^values\[\d+\] already sets this week\.$",
        r"^Week [+-]?\d+ has two values\.$",
    ),
    "a week outside this engagement's plan (its dates set the range)": (
        r"^Week [+-]?\d+ is (before|after) the plan (starts|ends)",
    ),
    "a webhook host that is not a public internet address (known only by resolving it)": (
        r"webhooks go only to public internet addresses\.$",
        r"^The host .* could not be found\.$",
    ),
    "a field that contradicts its neighbour": (
        r"^Name the numeric property to sum",  # a KPI that sums a property
        r"^Name the event this KPI is computed from\.$",
        r"^Send either `items` or `filter`\.$",
        r"^Period \d+: the end \(.*\) is before the start",
        r"^Champions are people; mark the person, not the group\.$",
        r"^Headcount applies to groups only\.$",  # a person's, stored or sent
    ),
    "who a stored stakeholder or contributor is (a person, with an email, invited or not)": (
        r"^Only a person can be a contributor; invite someone in the group\.$",
        r"^Add .*'s email address first\.$",
        r"^.* is already a contributor: send the link again instead\.$",
        r"^This contributor's access was revoked: invite them again\.$",
        r"^.* asked for no more emails; preview their page and talk to them instead\.$",
    ),
    "a date before today (the schema has no clock)": (
        r"^The closing date cannot be in the past\.$",
    ),
}
_SEMANTIC = re.compile("|".join(p for patterns in SEMANTIC_REFUSALS.values() for p in patterns))


def _refused_for_semantic_rules_only(response) -> bool:
    if response.status_code != 422:
        return False
    errors = response.json().get("errors") or []
    return bool(errors) and all(_SEMANTIC.search(error["message"]) for error in errors)


@schemathesis.check
def schema_valid_data_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance, except for SEMANTIC_REFUSALS."""
    if _refused_for_semantic_rules_only(response):
        return None
    return positive_data_acceptance(ctx, response, case)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, fuzz_token, in_process_requests):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_token}"},
        # Every check runs: no server error, statuses, content types, headers
        # and bodies as documented, schema-invalid input refused and
        # schema-valid input accepted, but for SEMANTIC_REFUSALS.
        checks=[schema_valid_data_accepted],
        excluded_checks=[positive_data_acceptance],
    )
