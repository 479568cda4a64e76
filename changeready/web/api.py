"""The public API, version 1 (DOMAIN.md section 9), served under /api/v1/.

Each app keeps its endpoints in its own `api.py` (a ninja Router) and they are
registered here, at the top of the house, which no app imports. Handlers reach
data only through `changeready.api.auth`.
"""

from functools import wraps

from django.conf import settings
from ninja import NinjaAPI, Swagger

from changeready.api.auth import TokenAuth
from changeready.api.errors import InvalidInput, install_error_handlers
from changeready.api.schemas import YEARS_PATTERN, with_text_patterns
from changeready.assessment.api import router as assessment_router
from changeready.common.text import MULTI_LINE_PATTERN, SINGLE_LINE_PATTERN
from changeready.engagement_file import api as engagement_file_api
from changeready.engagement_file.schema import openapi_components
from changeready.engagement_templates.api import router as engagement_templates_router
from changeready.engagements.api import router as engagements_router
from changeready.handoff.api import router as handoff_router
from changeready.integrations.api import router as integrations_router
from changeready.landscape.api import router as landscape_router
from changeready.planning.api import router as planning_router
from changeready.portal.api import router as portal_router
from changeready.portfolio.api import router as portfolio_router
from changeready.surveys.api import router as surveys_router
from changeready.usage.api import router as usage_router

DESCRIPTION = f"""\
Engagements, stakeholder landscapes, resistor registers and the engagement file.

**Authentication**: every request sends `Authorization: Bearer <token>`. Owners
and admins create tokens in the workspace settings (*API tokens*). A token acts
with its creator's current role in its workspace: a viewer's token can read but
not write (403).

**Errors** are JSON with a `message`; invalid input (422) adds `errors`, one per
bad field, each with its `path` (e.g. `["stakeholders", 2, "influence"]`). An
object of another workspace is a 404, exactly like one that does not exist.

**Concurrency**: objects carry a `version`. Send `If-Match: <version>` with a
PATCH to have it refused with 409 if someone saved the object in between.

**Rate limits**: a token makes at most {settings.API_REQUESTS_PER_TOKEN} requests in \
{settings.API_REQUEST_WINDOW} seconds, and an address at most \
{settings.API_TOKEN_FAILURES_PER_ADDRESS} failed token checks in \
{settings.API_TOKEN_FAILURE_WINDOW // 60} minutes (then even a valid token from it is \
refused until the window ends). Beyond either, the answer is 429 with a
`message` and a `Retry-After` header in seconds.
"""

RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds until the rate limit's window ends.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


class ChangereadyAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        file_components = openapi_components()
        for component in file_components.values():
            _engagement_file_input_rules(component)
        schema["components"]["schemas"].update(file_components)
        prefix = path_prefix if path_prefix is not None else self.get_root_path(path_params or {})
        engagement_file_api.describe_formats(schema, prefix)
        for operations in schema["paths"].values():
            for operation in operations.values():
                too_many = operation.get("responses", {}).get(429)
                if too_many is not None:
                    too_many["headers"] = RETRY_AFTER_HEADER
        _json_schema_bounds(schema)
        return schema


# pydantic writes a bound it cannot attach to the number schema itself (a
# number behind a validator, `JsonInt`) under its own name; JSON Schema's are
# these, and only they are seen by clients and fuzzers. Every date gets the
# years the app accepts (`YEARS_PATTERN`).
BOUND_KEYWORDS = {
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
}


def _json_schema_bounds(node) -> None:
    if isinstance(node, dict):
        if node.get("type") in ("integer", "number"):
            for name, keyword in BOUND_KEYWORDS.items():
                if name in node:
                    node[keyword] = node.pop(name)
        if node.get("format") == "date":
            node["pattern"] = YEARS_PATTERN
        for value in node.values():
            _json_schema_bounds(value)
    elif isinstance(node, list):
        for value in node:
            _json_schema_bounds(value)


# The engagement file's text fields that are multi-line in the models that store
# them; every other text is one line (`common/text.py`).
ENGAGEMENT_FILE_MULTILINE_FIELDS = frozenset(
    {"change_summary", "success_definition", "resistance_triggers", "notes", "description"}
)


def _engagement_file_input_rules(node) -> None:
    """What the import checks beyond the file's own schema, written into its
    OpenAPI copy: text without control characters, and on one line where the
    field is."""
    if isinstance(node, list):
        for value in node:
            _engagement_file_input_rules(value)
        return
    if not isinstance(node, dict):
        return
    for name, field_schema in node.get("properties", {}).items():
        multiline = name in ENGAGEMENT_FILE_MULTILINE_FIELDS
        with_text_patterns(field_schema, MULTI_LINE_PATTERN if multiline else SINGLE_LINE_PATTERN)
    for value in node.values():
        _engagement_file_input_rules(value)


def _query_parameter_names(view_func) -> set[str]:
    operation = view_func._ninja_operation
    return {
        name
        for model in operation.models
        if model.__ninja_param_source__ == "query"
        for name in getattr(model, "__ninja_flatten_map__", {})
    }


def reject_unknown_query_parameters(view_func):
    """A query parameter the operation does not know is a 422, like an unknown body field:
    a typo (`?limt=10`) must not be silently ignored."""

    @wraps(view_func)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - _query_parameter_names(view_func))
        if unknown:
            raise InvalidInput(
                [
                    {"path": ["query", name], "message": "Unknown query parameter."}
                    for name in unknown
                ]
            )
        return view_func(request, *args, **kwargs)

    return checked


api = ChangereadyAPI(
    title="changeready API",
    version="1",
    urls_namespace="api-v1",
    description=DESCRIPTION,
    auth=TokenAuth(),
    # Served from our own static files (ninja is an installed app): the docs
    # work offline and under a script-src 'self' content security policy.
    docs=Swagger(settings={"persistAuthorization": True}),
)
install_error_handlers(api)
api.add_decorator(reject_unknown_query_parameters, mode="operation")

# The import path must be matched before /engagements/{engagement_id}.
api.add_router("", engagement_file_api.router)
api.add_router("", handoff_router)
api.add_router("", engagements_router)
api.add_router("", engagement_templates_router)
api.add_router("", landscape_router)
api.add_router("", assessment_router)
api.add_router("", surveys_router)
api.add_router("", planning_router)
api.add_router("", portfolio_router)
api.add_router("", usage_router)
api.add_router("", integrations_router)
api.add_router("", portal_router)
