"""Look-up of one history entry by its path parameter, within the visible employee.

It runs as a dependency (before the body is validated), so an entry of someone the
caller may not see, or of another employee, is a 404 whatever the body holds.
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Protocol, TypeVar

from fastapi import Path, Request
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import CurrentPrincipal, Principal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.profiles.employees.dependencies import VisibleEmployee
from asn_career.profiles.models import Employee

RowT = TypeVar("RowT")
RowT_co = TypeVar("RowT_co", covariant=True)


class EntryFinder(Protocol[RowT_co]):
    """What the look-up needs of a history service."""

    async def get(self, employee: Employee, item_id: uuid.UUID) -> RowT_co: ...


EntryInPath = Callable[[uuid.UUID, Employee, Principal, AsyncSession, Request], Awaitable[RowT]]
"""The dependency :func:`entry_in_path` builds; use it as ``Depends(...)``."""


def entry_in_path(
    service: Callable[[AsyncSession, Principal], EntryFinder[RowT]], id_param: str
) -> EntryInPath[RowT]:
    """The dependency that loads the entry named by the path parameter ``id_param``.

    The parameter is read through an alias, so one function serves every resource while
    the OpenAPI document and 422 locations keep each resource's own name.
    """

    async def entry(
        item_id: Annotated[uuid.UUID, Path(alias=id_param)],
        employee: VisibleEmployee,
        principal: CurrentPrincipal,
        session: DbSession,
        request: Request,
    ) -> RowT:
        row = await service(session, principal).get(employee, item_id)
        return await for_write(request, session, row)

    return entry
