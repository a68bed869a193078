"""ETags from row versions, and If-Match checks for optimistic concurrency."""

from typing import Annotated

from fastapi import Header, Response

from asn_career.core.errors import PreconditionFailed


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
