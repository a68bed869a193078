"""JSON responses serialised straight from database rows."""

import uuid
from typing import Any

import orjson
from fastapi import Response


def _default(value: Any) -> str:
    # asyncpg returns its own UUID subclass, which orjson does not serialise itself.
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_response(content: Any) -> Response:
    """For reads whose rows are already named and typed as the route's response model
    (declared with ``response_model``, so the OpenAPI document is the same): no model is
    built or validated per row. Datetimes come out as pydantic writes them (UTC as ``Z``).
    """
    return Response(
        orjson.dumps(content, default=_default, option=orjson.OPT_UTC_Z),
        media_type="application/json",
    )
