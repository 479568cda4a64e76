"""Two workspaces of one name created at once: both are created, with their own slugs.

The unique slug was checked and then saved; the one that committed second
hit the unique constraint and answered 500.
"""

import threading

import pytest
from django.db import connection

from changeready.accounts.tests.factories import UserFactory
from changeready.workspaces import services
from changeready.workspaces.models import Workspace


@pytest.mark.django_db
def test_a_slug_taken_between_the_check_and_the_save_moves_to_the_next_free_one(monkeypatch):
    first = services.create_workspace(name="Acme Delivery", owner=UserFactory())
    real_unique_slug = services.unique_slug
    answers = iter([first.slug])  # what a check before the first commit would have seen
    monkeypatch.setattr(
        services, "unique_slug", lambda name: next(answers, None) or real_unique_slug(name)
    )

    second = services.create_workspace(name="Acme Delivery", owner=UserFactory())

    assert (first.slug, second.slug) == ("acme-delivery", "acme-delivery-2")


def test_an_explicit_slug_that_is_taken_is_still_refused(workspace):
    with pytest.raises(services.SlugTaken):
        services.create_workspace(name="Other", owner=UserFactory(), slug=workspace.slug)
    assert not Workspace.objects.filter(name="Other").exists()
    assert Workspace.objects.get(slug=workspace.slug).name == "Acme Delivery"


@pytest.mark.django_db(transaction=True)
def test_parallel_workspaces_with_one_name_are_all_created():
    if connection.vendor == "sqlite" and connection.settings_dict["NAME"].startswith("file:memory"):
        pytest.skip(
            "threads cannot share SQLite's in-memory test database; the race runs on "
            "PostgreSQL (make test-postgres, and in CI)"
        )
    owners = [UserFactory() for _ in range(4)]
    barrier = threading.Barrier(len(owners))
    outcomes = []

    def create(owner) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.create_workspace(name="Acme Delivery", owner=owner).slug)
        except Exception as error:  # reported by the assertion below, not swallowed
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(owner,)) for owner in owners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == [
        "acme-delivery",
        "acme-delivery-2",
        "acme-delivery-3",
        "acme-delivery-4",
    ], outcomes
