"""Lookups shared by every route under ``/employees/{nip}``.

They run as dependencies, before the body is validated, so a caller who may not see the
employee gets 404 whatever they send.
"""

from typing import Annotated

from fastapi import Depends, Path, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.profiles.employees.service import EmployeeService
from asn_career.profiles.models import Employee

NipPath = Annotated[
    str,
    Path(
        min_length=18,
        max_length=18,
        pattern=r"^[0-9]{18}$",
        description="NIP (PNS) or NI PPPK, 18 digits.",
        examples=["198609262015051001"],
    ),
]


async def visible_employee(
    nip: NipPath, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Employee:
    employee = await EmployeeService(session, principal).get_visible(nip)
    return await for_write(request, session, employee)


VisibleEmployee = Annotated[Employee, Depends(visible_employee)]
