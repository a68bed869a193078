from typing import Annotated

from fastapi import APIRouter, Depends, Query

from asn_career.core.audit.schemas import AuditEntryOut, AuditFilters
from asn_career.core.audit.service import AuditTrail
from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.pagination import Page, PageParams
from asn_career.core.types import IsoDateTime

router = APIRouter(prefix="/audit", tags=["audit"])

AuditReader = Annotated[Principal, Depends(authorize(Role.ADMIN, scope="audit:read"))]


@router.get("", operation_id="audit-list", summary="The audit trail, newest first")
async def list_audit(
    principal: AuditReader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[str | None, Query(max_length=32)] = None,
    entity_type: Annotated[str | None, Query(max_length=64)] = None,
    entity_id: Annotated[str | None, Query(max_length=100)] = None,
    nip: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9]{18}$",
            description="The employee's NIP: changes to the profile and its histories.",
        ),
    ] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=100)] = None,
    since: IsoDateTime | None = None,
    until: IsoDateTime | None = None,
) -> Page[AuditEntryOut]:
    filters = AuditFilters(agency, entity_type, entity_id, nip, actor, action, since, until)
    rows, next_cursor = await AuditTrail(session).list_page(principal, filters, page)
    return Page(items=[AuditEntryOut.model_validate(r) for r in rows], next_cursor=next_cursor)
