"""``/training/courses``: the catalogue. Every role of the agency reads it; HR writes it."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from asn_career.core.auth import ALL_ROLES, HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.core.etag import IfMatch, check_if_match, set_etag
from asn_career.core.pagination import Page, PageParams
from asn_career.core.types import QueryFlag
from asn_career.org.rules import AGENCY_CODE_PATTERN
from asn_career.training.courses.dependencies import VisibleCourse
from asn_career.training.courses.schemas import CourseCreate, CourseOut, CourseUpdate
from asn_career.training.courses.service import CourseFilters, CourseService
from asn_career.training.rules import CourseForm

Reader = Annotated[Principal, Depends(authorize(*ALL_ROLES, scope="training:read"))]
Writer = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="training:write"))]

router = APIRouter(prefix="/training/courses", tags=["training"])


@router.get(
    "",
    operation_id="training-list-courses",
    summary="The course catalogue of the caller's agencies",
)
async def list_courses(
    principal: Reader,
    session: DbSession,
    page: PageParams,
    agency: Annotated[
        str | None, Query(pattern=AGENCY_CODE_PATTERN, max_length=32, description="One agency.")
    ] = None,
    active: Annotated[QueryFlag | None, Query(description="Only active or inactive ones.")] = None,
    form: Annotated[CourseForm | None, Query(description="Only courses of this form.")] = None,
    competency: Annotated[
        str | None,
        Query(
            pattern=r"^[A-Z]{1,4}\.[0-9]{1,4}$",
            max_length=16,
            description="Only courses that develop this competency.",
        ),
    ] = None,
) -> Page[CourseOut]:
    filters = CourseFilters(agency=agency, active=active, form=form, competency=competency)
    items, next_cursor = await CourseService(session, principal).list_page(filters, page)
    return Page(items=items, next_cursor=next_cursor)


@router.post(
    "",
    operation_id="training-create-course",
    status_code=status.HTTP_201_CREATED,
    summary="Add a course to an agency's catalogue",
)
async def create_course(
    principal: Writer, body: CourseCreate, session: DbSession, response: Response
) -> CourseOut:
    out = await CourseService(session, principal).create(body)
    response.headers["Location"] = f"/api/v1/training/courses/{out.id}"
    set_etag(response, out.version)
    return out


@router.get(
    "/{course_id}",
    operation_id="training-get-course",
    summary="One course with the competencies it develops",
)
async def get_course(
    principal: Reader, course: VisibleCourse, session: DbSession, response: Response
) -> CourseOut:
    set_etag(response, course.version)
    return await CourseService(session, principal).out(course)


@router.patch(
    "/{course_id}",
    operation_id="training-update-course",
    summary="Change a course (`competencies` replaces the list)",
)
async def update_course(
    principal: Writer,
    course: VisibleCourse,
    body: CourseUpdate,
    session: DbSession,
    response: Response,
    if_match: IfMatch = None,
) -> CourseOut:
    check_if_match(if_match, course.version)
    out = await CourseService(session, principal).update(course, body)
    set_etag(response, out.version)
    return out


@router.delete(
    "/{course_id}",
    operation_id="training-delete-course",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a course nothing names yet; 409 `course_in_use` otherwise (deactivate it)",
)
async def delete_course(
    principal: Writer, course: VisibleCourse, session: DbSession, if_match: IfMatch = None
) -> Response:
    check_if_match(if_match, course.version)
    await CourseService(session, principal).delete(course)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
