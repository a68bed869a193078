"""Keyset pagination for every list: stable order, opaque signed cursors.

One page is fetched the same way on the ORM path (``paginate``) and on the prepared reads
(``core.prepared``): the cursor's values checked against the sort key
(``PageRequest.after_values``), ``limit + 1`` rows asked for (``fetch_size``), and the
surplus row turned into the next cursor (``PageRequest.cut``).
"""

import base64
import binascii
import hashlib
import hmac
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.errors import ValidationProblem, field_problem

T = TypeVar("T")
R = TypeVar("R")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def invalid_cursor() -> ValidationProblem:
    return field_problem(
        ["query", "cursor"],
        None,
        kind="cursor",
        each=["invalid cursor"],
        each_id=["kursor tidak valid"],
        code="invalid_cursor",
    )


@dataclass(frozen=True)
class PageRequest:
    limit: int = DEFAULT_LIMIT
    after: tuple[Any, ...] | None = None
    cursor_key: bytes = b""

    def after_values(self, *types: type) -> tuple[Any, ...] | None:
        """The cursor's values, one per sort key column and each of its column's type
        (``object`` for any); 422 for a cursor signed for another list."""
        if self.after is None:
            return None
        if len(self.after) != len(types) or not all(
            isinstance(value, kind) for value, kind in zip(self.after, types, strict=True)
        ):
            raise invalid_cursor()
        return self.after

    @property
    def fetch_size(self) -> int:
        """One row more than the page, so that a next page shows without a count."""
        return self.limit + 1

    def cut(
        self, rows: Sequence[R], key_of: Callable[[R], Sequence[Any]]
    ) -> tuple[list[R], str | None]:
        """The page out of ``fetch_size`` rows, and the cursor after its last row when
        more follow. ``key_of(row)`` gives the row's sort key values."""
        if len(rows) <= self.limit:
            return list(rows), None
        page = list(rows[: self.limit])
        return page, encode_cursor(self.cursor_key, key_of(page[-1]))


def _tag(value: Any) -> Any:
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, uuid.UUID):
        return ["u", str(value)]
    return value


def _untag(value: Any) -> Any:
    if isinstance(value, list) and len(value) == 2 and isinstance(value[1], str):
        kind, text = value
        if kind == "dt":
            return datetime.fromisoformat(text)
        if kind == "d":
            return date.fromisoformat(text)
        if kind == "u":
            return uuid.UUID(text)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    raise ValueError("unexpected cursor value")


def encode_cursor(key: bytes, values: Sequence[Any]) -> str:
    payload = orjson.dumps([_tag(v) for v in values])
    mac = hmac.new(key, payload, hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(payload + mac).decode().rstrip("=")


def decode_cursor(key: bytes, cursor: str) -> tuple[Any, ...]:
    """Decode a cursor, answering 422 for anything altered or malformed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload, mac = raw[:-12], raw[-12:]
        expected = hmac.new(key, payload, hashlib.sha256).digest()[:12]
        if len(raw) <= 12 or not hmac.compare_digest(mac, expected):
            raise ValueError("signature mismatch")
        values = orjson.loads(payload)
        if not isinstance(values, list):
            raise ValueError("not a list")
        return tuple(_untag(v) for v in values)
    except (ValueError, binascii.Error, orjson.JSONDecodeError) as exc:
        raise invalid_cursor() from exc


async def page_request(
    request: Request,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Items per page (max 500).")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=2048, description="`next_cursor` of the previous page.")
    ] = None,
) -> PageRequest:
    # async, as every dependency on a request path: FastAPI runs a plain `def` in a
    # worker thread, and the hop costs more than the function.
    key: bytes = request.app.state.settings.cursor_key
    after = decode_cursor(key, cursor) if cursor else None
    return PageRequest(limit=limit, after=after, cursor_key=key)


PageParams = Annotated[PageRequest, Depends(page_request)]


@dataclass(frozen=True)
class SortKey:
    column: Any
    descending: bool = False


def _after_clause(keys: Sequence[SortKey], values: tuple[Any, ...]) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the (possibly mixed-direction) key order."""
    alternatives = []
    for i, key in enumerate(keys):
        equal_prefix = [keys[j].column == values[j] for j in range(i)]
        step = key.column < values[i] if key.descending else key.column > values[i]
        alternatives.append(and_(*equal_prefix, step))
    return or_(*alternatives)


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    keys: Sequence[SortKey],
    page: PageRequest,
    key_of: Callable[[Any], Sequence[Any]],
) -> tuple[list[Any], str | None]:
    """Fetch one page of ``stmt``; the last key column must make the order unique.

    ``key_of(row)`` returns the row's values for ``keys`` so the next cursor can be built.
    """
    after = page.after_values(*(object for _ in keys))
    if after is not None:
        stmt = stmt.where(_after_clause(keys, after))
    order = [k.column.desc() if k.descending else k.column.asc() for k in keys]
    rows = (await session.scalars(stmt.order_by(*order).limit(page.fetch_size))).all()
    return page.cut(rows, key_of)
