"""Request types that take values as the OpenAPI document writes them, without pydantic's
lax coercions: a date or a timestamp only from an ISO 8601 string (never ``0`` nor
``"0.5"`` read as seconds since 1970), a flag only from a JSON boolean (never ``0``).

FastAPI validates bodies in python mode from the decoded JSON, where pydantic's
``strict=True`` would refuse ISO strings for dates; hence the explicit checks. Python
callers (the importer, tests) may still pass ``date``/``datetime`` objects.
"""

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, StrictBool

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_text(value: Any) -> Any:
    """Let through date objects and strings that start as an ISO date; refuse the rest."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        return value
    raise ValueError("must be an ISO 8601 string (YYYY-MM-DD…), not a number")


def _query_flag(value: Any) -> Any:
    """A query string says ``true`` or ``false``; ``1``, ``yes`` or ``on`` are not booleans."""
    if isinstance(value, bool) or value in ("true", "false"):
        return value
    raise ValueError("must be true or false")


IsoDate = Annotated[date, BeforeValidator(_iso_text)]
"""A calendar date from ``"YYYY-MM-DD"`` only."""

IsoDateTime = Annotated[datetime, BeforeValidator(_iso_text)]
"""A timestamp from an ISO 8601 string only (``2026-01-31`` or ``2026-01-31T08:00:00Z``)."""

StrictFlag = StrictBool
"""A body flag: JSON ``true`` or ``false`` only."""

QueryFlag = Annotated[bool, BeforeValidator(_query_flag)]
"""A query-string flag: ``true`` or ``false`` only."""
