"""Every playbook export renders text that no input accepts any more.

Rows stored before control characters were refused at input (or written by a
path that forgot the rule) must not fail an export: a control character made
the XLSX and DOCX exports, the customer's share link included, answer 500.
"""

import datetime

import pytest

from changeready.engagements.models import Engagement
from changeready.handoff.exports import EXPORT_FORMATS, render_export
from changeready.landscape.models import ResistancePoint, Stakeholder
from changeready.planning.models import PlanItem

pytestmark = pytest.mark.django_db

HOSTILE = "Ops\x0bteam\x07 <b>bold</b> [x](javascript:alert(1))\r\nsecond\tline\x1b[31m"


@pytest.fixture
def hostile(northwind):
    # Written past the models' checks, as a row stored before them would be.
    Engagement.objects.filter(pk=northwind.pk).update(
        name=HOSTILE, customer=HOSTILE, product=HOSTILE, change_summary=HOSTILE
    )
    Stakeholder.objects.filter(engagement=northwind).update(
        title=HOSTILE, success_definition=HOSTILE, resistance_triggers=HOSTILE
    )
    for position, stakeholder in enumerate(Stakeholder.objects.filter(engagement=northwind)):
        Stakeholder.objects.filter(pk=stakeholder.pk).update(name=f"{HOSTILE} {position}")
    ResistancePoint.objects.filter(engagement=northwind).update(description=HOSTILE, owner=HOSTILE)
    PlanItem.objects.filter(engagement=northwind).update(
        title=HOSTILE, description=HOSTILE, owner=HOSTILE
    )
    northwind.refresh_from_db()
    return northwind


@pytest.mark.parametrize(
    ("fmt", "table"),
    [*((fmt, "plan") for fmt in EXPORT_FORMATS), ("csv", "stakeholders")],
)
def test_every_export_renders_control_characters(hostile, fmt, table):
    export = render_export(hostile, fmt, as_of=datetime.date(2027, 3, 1), table=table)

    assert export.content
