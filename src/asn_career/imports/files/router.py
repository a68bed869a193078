"""``/imports``: upload a file to import (202 + a job), follow it, read its errors."""

import asyncio
import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from starlette.datastructures import UploadFile as FormFile

from asn_career.core.auth import Principal, Role, authorize
from asn_career.core.db import DbSession
from asn_career.core.errors import PROBLEM_RESPONSES, field_problem
from asn_career.core.etag import set_etag
from asn_career.core.i18n import negotiate
from asn_career.core.pagination import Page, PageParams
from asn_career.imports.files.models import ImportRun
from asn_career.imports.files.schemas import (
    ImportErrorOut,
    ImportKind,
    ImportMapping,
    ImportMode,
    ImportOptions,
    ImportOut,
    OnError,
)
from asn_career.imports.files.service import (
    ImportService,
    error_out,
    import_out,
    stream_errors_csv,
)
from asn_career.imports.files.templates import (
    MEDIA_TYPES,
    TemplateFormat,
    csv_template,
    file_name,
    xlsx_template,
)

router = APIRouter(prefix="/imports", tags=["imports"])

_HR = (Role.ADMIN, Role.HR_OFFICER, Role.INTEGRATION)
ImportWriter = Annotated[Principal, Depends(authorize(*_HR, scope="imports:write"))]
ImportReader = Annotated[Principal, Depends(authorize(*_HR, scope="imports:read"))]


async def visible_import(
    import_id: uuid.UUID, principal: ImportReader, session: DbSession
) -> ImportRun:
    return await ImportService(session, principal).get_visible(import_id)


VisibleImport = Annotated[ImportRun, Depends(visible_import)]

_SEND_FILE_EN = "Send the file as a multipart/form-data part named `file`"
_SEND_FILE_ID = "Kirim berkas sebagai bagian multipart/form-data bernama `file`"


async def one_file_part(request: Request, principal: ImportWriter) -> None:
    """Exactly one file part, named ``file``, checked (after the caller's rights) before
    the form's fields so that a request without it hears how to send it (not that
    ``kind`` is missing, nor, for a JSON body, nothing at all); FastAPI would take the
    last of two ``file`` parts silently, and ignore a file under another name."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    form = await request.form() if media == "multipart/form-data" else None  # cached
    parts = (
        [] if form is None else [(n, v) for n, v in form.multi_items() if isinstance(v, FormFile)]
    )
    if not any(name == "file" for name, _ in parts):
        got = f" (got {media or 'no body'})" if form is None else ""
        got_id = f" (yang diterima {media or 'tanpa isi'})" if form is None else ""
        if parts:
            got = f" (got a part named `{parts[0][0]}`)"
            got_id = f" (yang diterima bagian bernama `{parts[0][0]}`)"
        raise field_problem(
            "file", f"{_SEND_FILE_EN}{got}.", f"{_SEND_FILE_ID}{got_id}.", "missing"
        )
    if len(parts) > 1:
        extra = ", ".join(f"`{name}` ({value.filename or 'no name'})" for name, value in parts)
        raise field_problem(
            "file",
            f"Send one file per import, as the part `file`; the request has {extra}.",
            f"Kirim satu berkas per impor, sebagai bagian `file`; permintaan berisi {extra}.",
            "too_many_files",
        )


@router.post(
    "",
    operation_id="imports-create",
    status_code=202,
    dependencies=[Depends(one_file_part)],
    summary="Import a CSV, XLSX or NDJSON file (runs as a job)",
    description=(
        "Checks the file at once (format, encoding, header, required columns: 4xx problems) "
        "and answers 202 with the import; follow it at `Location`. Every row is validated "
        "with the API's rules; `on_error=abort` (default) writes nothing when any row is "
        "invalid, `skip` writes the valid rows. Natural keys (NIP, unit and position codes …) "
        "make a re-run change nothing. Body limit: `ASN_CAREER_IMPORT_MAX_BYTES`."
    ),
    responses={
        413: PROBLEM_RESPONSES[413],
        415: {**PROBLEM_RESPONSES[415], "description": "Not CSV, XLSX or NDJSON"},
        422: PROBLEM_RESPONSES[422],
    },
)
async def create_import(
    request: Request,
    response: Response,
    principal: ImportWriter,
    session: DbSession,
    file: Annotated[UploadFile, File(description="CSV (`,` or `;`), XLSX or NDJSON.")],
    kind: Annotated[ImportKind, Form()],
    agency: Annotated[str, Form(min_length=1, max_length=32, examples=["36.74"])],
    mapping: Annotated[
        ImportMapping, Form(description="`native`: API field names; `siasn`: SIASN's.")
    ] = ImportMapping.NATIVE,
    mode: Annotated[
        ImportMode, Form(description="`insert` refuses rows whose record exists.")
    ] = ImportMode.UPSERT,
    dry_run: Annotated[bool, Form(description="Validate and count; write nothing.")] = False,
    on_error: Annotated[OnError, Form()] = OnError.ABORT,
    sheet: Annotated[
        str | None, Form(max_length=200, description="XLSX: the sheet (default: the first).")
    ] = None,
) -> ImportOut:
    options = ImportOptions(
        kind=kind,
        agency=agency,
        mapping=mapping,
        mode=mode,
        dry_run=dry_run,
        on_error=on_error,
        sheet=sheet or None,
    )
    run = await ImportService(session, principal).submit(
        request.app.state.settings,
        request.app.state.job_queue,
        file.file,
        file.filename or "upload",
        options,
    )
    response.headers["Location"] = f"/api/v1/imports/{run.id}"
    set_etag(response, run.version)
    return import_out(run, negotiate(request.headers.get("accept-language")))


@router.get(
    "/templates/{kind}",
    operation_id="imports-template",
    summary="An empty file to fill in for an import kind (XLSX with instructions, or CSV)",
    description=(
        "The kind's columns as the header row, named as `mapping` reads them (`siasn`: "
        "SIASN's names, a column without one keeps its own). XLSX adds the sheet "
        "`Petunjuk`: per column whether it is required, its type, what it means "
        "(Indonesian and English) and the codes it accepts. CSV: the header row only "
        "(UTF-8 with BOM)."
    ),
    response_class=Response,
    responses={
        200: {
            "description": "The template, as an attachment.",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                MEDIA_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
            },
        }
    },
)
async def import_template(
    kind: ImportKind,
    principal: ImportReader,
    mapping: Annotated[
        ImportMapping, Query(description="`native`: API field names; `siasn`: SIASN's.")
    ] = ImportMapping.NATIVE,
    fmt: Annotated[TemplateFormat, Query(alias="format", description="File format.")] = "xlsx",
) -> Response:
    write = xlsx_template if fmt == "xlsx" else csv_template
    content = await asyncio.to_thread(write, kind.value, mapping.value)
    return Response(
        content,
        media_type=MEDIA_TYPES[fmt],
        headers={
            "Content-Disposition": (
                f'attachment; filename="{file_name(kind.value, mapping.value, fmt)}"'
            ),
            "Cache-Control": "no-store",
        },
    )


@router.get("", operation_id="imports-list", summary="Imports of the caller's agencies")
async def list_imports(
    request: Request,
    principal: ImportReader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[str | None, Query(max_length=32)] = None,
) -> Page[ImportOut]:
    runs, next_cursor = await ImportService(session, principal).list_page(agency, page)
    lang = negotiate(request.headers.get("accept-language"))
    return Page(items=[import_out(r, lang) for r in runs], next_cursor=next_cursor)


@router.get(
    "/{import_id}",
    operation_id="imports-get",
    summary="An import: status, progress and counts",
)
async def get_import(request: Request, run: VisibleImport, response: Response) -> ImportOut:
    set_etag(response, run.version)
    return import_out(run, negotiate(request.headers.get("accept-language")))


_CSV_DOC: dict[str, Any] = {
    "text/csv": {"schema": {"type": "string", "description": "row,column,value,message"}}
}


@router.get(
    "/{import_id}/errors",
    operation_id="imports-errors",
    summary="The rows an import refused (JSON pages, or CSV)",
    description="`Accept: text/csv` or `?format=csv` gives every error as one CSV file.",
    responses={200: {"content": _CSV_DOC}},
)
async def import_errors(
    request: Request,
    run: VisibleImport,
    principal: ImportReader,
    session: DbSession,
    page: PageParams,
    format: Annotated[Literal["json", "csv"] | None, Query()] = None,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> Any:
    wants_csv = format == "csv" or (
        format is None and accept is not None and "text/csv" in accept.lower()
    )
    lang = negotiate(request.headers.get("accept-language"))
    if wants_csv:
        return StreamingResponse(
            stream_errors_csv(request.app.state.sessionmaker, run.id, lang),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="import-{run.id}-errors.csv"'},
        )
    errors, next_cursor = await ImportService(session, principal).errors_page(run, page)
    items = [error_out(e, lang) for e in errors]
    return Page[ImportErrorOut](items=items, next_cursor=next_cursor)
