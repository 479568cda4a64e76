"""The top layer: what assembles the apps into one site.

Nothing in the apps imports it (docs/architecture.md). `changeready.urls`
gathers the pages; `api` assembles the /api/v1/ API from every app's router.
"""
