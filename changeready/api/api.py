"""The public API, version 1 (DOMAIN.md section 9), served under /api/v1/."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="changeready API",
    version="1",
    urls_namespace="api-v1",
    description=(
        "Engagements, stakeholder landscapes, resistor registers, assessments and activation plans."
    ),
)
