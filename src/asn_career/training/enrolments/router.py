"""``/training/enrollments``: HR enrols staff of its agency and moves enrolments through
``planned → enrolled → completed | cancelled | no_show``; employees read their own,
supervisors their reporting line, HR the agency."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from asn_career.core.auth import ALL_ROLES, HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.training.enrolments.dependencies import VisibleEnrolment
from asn_career.training.enrolments.schemas import (
    EnrolmentComplete,
    EnrolmentCreate,
    EnrolmentOut,
)
from asn_career.training.enrolments.service import EnrolmentFilters, EnrolmentService
from asn_career.training.rules import EnrolmentState

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="training:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="training:write"))]

router = APIRouter(prefix="/training/enrollments", tags=["training"])


@router.get(
    "",
    operation_id="training-list-enrollments",
    summary="Enrolments the caller may see, newest first",
)
async def list_enrollments(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="One agency.")
    ] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    course_id: Annotated[uuid.UUID | None, Query(description="One course.")] = None,
    nip: Annotated[str | None, Query(pattern=r"^[0-9]{18}$", description="One employee.")] = None,
    state: Annotated[EnrolmentState | None, Query()] = None,
) -> Page[EnrolmentOut]:
    filters = EnrolmentFilters(agency=agency, year=year, course_id=course_id, nip=nip, state=state)
    items, next_cursor = await EnrolmentService(session, principal).list_page(filters, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "",
    operation_id="training-create-enrollment",
    status_code=status.HTTP_201_CREATED,
    summary="Enrol an employee on a course (planned); 409 when not eligible, already "
    "enrolled that year, or the course is full",
)
async def create_enrollment(
    principal: Writer, body: EnrolmentCreate, session: DbSession, response: Response
) -> EnrolmentOut:
    out = await EnrolmentService(session, principal).create(body)
    response.headers["Location"] = f"/api/v1/training/enrollments/{out.id}"
    set_etag(response, out.version)
    return out


@router.get(
    "/{enrolment_id}",
    operation_id="training-get-enrollment",
    summary="One enrolment",
)
async def get_enrollment(
    principal: Reader, enrolment: VisibleEnrolment, session: DbSession, response: Response
) -> EnrolmentOut:
    set_etag(response, enrolment.version)
    return await EnrolmentService(session, principal).out(enrolment)


@router.post(
    "/{enrolment_id}/enrol",
    operation_id="training-enrol-enrollment",
    summary="Confirm a planned enrolment (enrolled); 409 from any other state",
)
async def enrol(
    principal: Writer,
    enrolment: VisibleEnrolment,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> EnrolmentOut:
    check_if_match(if_match, enrolment.version)
    out = await EnrolmentService(session, principal).enrol(enrolment)
    set_etag(response, out.version)
    return out


@router.post(
    "/{enrolment_id}/complete",
    operation_id="training-complete-enrollment",
    summary="Record that an enrolled employee completed the course: the training joins "
    "their history with its JP; 409 unless enrolled",
)
async def complete(
    principal: Writer,
    enrolment: VisibleEnrolment,
    body: EnrolmentComplete,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> EnrolmentOut:
    check_if_match(if_match, enrolment.version)
    out = await EnrolmentService(session, principal).complete(enrolment, body)
    set_etag(response, out.version)
    return out


@router.post(
    "/{enrolment_id}/cancel",
    operation_id="training-cancel-enrollment",
    summary="Cancel a planned or enrolled enrolment; 409 once it is over",
)
async def cancel(
    principal: Writer,
    enrolment: VisibleEnrolment,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> EnrolmentOut:
    check_if_match(if_match, enrolment.version)
    out = await EnrolmentService(session, principal).cancel(enrolment)
    set_etag(response, out.version)
    return out


@router.post(
    "/{enrolment_id}/no-show",
    operation_id="training-no-show-enrollment",
    summary="Record that an enrolled employee did not attend; 409 unless enrolled",
)
async def no_show(
    principal: Writer,
    enrolment: VisibleEnrolment,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> EnrolmentOut:
    check_if_match(if_match, enrolment.version)
    out = await EnrolmentService(session, principal).no_show(enrolment)
    set_etag(response, out.version)
    return out
