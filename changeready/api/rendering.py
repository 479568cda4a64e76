"""A response body written as the API's renderer writes it, for bodies kept in a cache.

An operation that keeps its body in Django's cache returns the bytes as an
HttpResponse, which ninja passes through untouched; these write them the way
ninja would have (the response schema's dump, the JSON renderer), so a cached
answer and a fresh one are the same bytes.
"""

from __future__ import annotations

from ninja import Schema
from ninja.renderers import JSONRenderer

_RENDERER = JSONRenderer()
JSON_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


def json_body(schema: type[Schema], body: dict) -> bytes:
    """`body` checked against `schema` and written as the API's JSON."""
    data = schema.model_validate(body).model_dump()
    return _RENDERER.render(None, data, response_status=200).encode()  # type: ignore[arg-type]
