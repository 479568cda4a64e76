import pytest

from changeready.handoff.tests.example import load_example


@pytest.fixture
def northwind(workspace):
    """The example engagement with its generated plan, in the shared workspace."""
    return load_example(workspace)
