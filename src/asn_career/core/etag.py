"""ETags from row versions, and If-Match checks for optimistic concurrency."""

from typing import Annotated, TypeVar

from fastapi import Header, Request, Response
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.errors import NotFound, PreconditionFailed

RowT = TypeVar("RowT")
_WRITES = frozenset({"PATCH", "PUT", "DELETE"})


def etag_of(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag_of(version)


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=200,
        description="ETag from a previous read; a stale one answers 412.",
    ),
]


def check_if_match(if_match: str | None, version: int) -> None:
    """Without the header the write proceeds; with it, it must name the current version."""
    if if_match is None:
        return
    candidates = {tag.strip().removeprefix("W/") for tag in if_match.split(",")}
    if "*" not in candidates and etag_of(version) not in candidates:
        raise PreconditionFailed()


async def for_write(request: Request, session: AsyncSession, row: RowT) -> RowT:
    """The row a write names, locked when the write sends no ``If-Match``.

    Without a precondition a write is last-writer-wins: concurrent ones wait for each other
    on the row lock instead of failing as stale, so 412 answers only a stale ``If-Match``.
    With one, the version check at the update decides (and the lock is not needed)."""
    if request.method in _WRITES and "if-match" not in request.headers:
        try:
            await session.refresh(row, with_for_update=True)
        except InvalidRequestError as exc:  # deleted by the write we waited for
            raise NotFound() from exc
    return row
