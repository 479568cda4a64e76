from changeready.handoff.tests.conftest import northwind  # noqa: F401  (the example engagement)
