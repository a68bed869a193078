"""``GET /exports/{kind}``: an agency's data as a streamed CSV or XLSX file."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.sheets import SPREADSHEET_RESPONSES, download_response
from asn_career.imports.exports.columns import NATIVE_COLUMNS, ExportFormat, ExportKind
from asn_career.imports.exports.service import ExportService
from asn_career.org.rules import AGENCY_CODE_PATTERN

router = APIRouter(prefix="/exports", tags=["exports"])

Exporter = Annotated[
    Principal,
    Depends(authorize(Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION, scope="exports:read")),
]

_COLUMNS_DOC = "\n".join(
    f"- `{kind.value}`: {', '.join(f'`{c}`' for c in columns)}"
    for kind, columns in NATIVE_COLUMNS.items()
)


@router.get(
    "/{kind}",
    operation_id="exports-get",
    summary="Export an agency's data as CSV or XLSX (streamed)",
    description=(
        "The file uses the `native` import mapping (the API's field names with natural "
        "keys instead of ids), so it imports again unchanged. Dates are `YYYY-MM-DD`, "
        "booleans `true`/`false`, lists are joined with `;`, required competencies are "
        "`CODE:LEVEL`. NIK is in clear only for admins and HR officers of the agency.\n\n"
        f"Columns per kind:\n{_COLUMNS_DOC}"
    ),
    response_class=StreamingResponse,
    responses=SPREADSHEET_RESPONSES,
)
async def export(
    kind: ExportKind,
    principal: Exporter,
    session: DbSession,
    request: Request,
    fmt: Annotated[ExportFormat, Query(alias="format", description="File format.")] = (
        ExportFormat.CSV
    ),
    agency: Annotated[
        str | None,
        Query(
            pattern=AGENCY_CODE_PATTERN,
            max_length=32,
            description="Agency code; optional for an officer of one agency, and for admins "
            "(who then export all).",
        ),
    ] = None,
) -> StreamingResponse:
    service = ExportService(session, request.app.state.sessionmaker, principal)
    exported = await service.open(kind, fmt, agency)
    return download_response(exported)
