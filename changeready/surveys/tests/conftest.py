import pytest

from changeready.landscape.tests.factories import StakeholderFactory
from changeready.surveys import services


@pytest.fixture
def nurses(engagement):
    """A daily-user group whose ADKAR the team estimated: awareness is the barrier."""
    return StakeholderFactory(
        engagement=engagement,
        name="Ward nurses",
        kind="group",
        role="daily_user",
        headcount=2300,
        influence=3,
        impact=5,
        adkar_awareness=2,
        adkar_desire=3,
        adkar_knowledge=2,
        adkar_ability=2,
        adkar_reinforcement=2,
    )


@pytest.fixture
def survey(engagement, nurses, owner):
    return services.create_survey(
        engagement=engagement,
        created_by=owner,
        stakeholder_ids=[nurses.id],
        respondents=[
            ("Ana Ruiz", "ana@northwind.example"),
            ("Ben Ode", "ben@northwind.example"),
            ("Cleo Park", "cleo@northwind.example"),
        ],
        free_text_question="What would help you most?",
    )


@pytest.fixture
def shared_survey(engagement, nurses, owner):
    return services.create_survey(
        engagement=engagement, created_by=owner, stakeholder_ids=[nurses.id]
    )
