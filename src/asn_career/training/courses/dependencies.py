"""The course named in the path, within the caller's agencies (otherwise 404), before the
body is validated."""

import uuid
from typing import Annotated

from fastapi import Depends, Request

from asn_career.core.auth import CurrentPrincipal
from asn_career.core.db import DbSession
from asn_career.core.etag import for_write
from asn_career.training.courses.service import CourseService
from asn_career.training.models import Course


async def visible_course(
    course_id: uuid.UUID, principal: CurrentPrincipal, session: DbSession, request: Request
) -> Course:
    row = await CourseService(session, principal).get(course_id)
    return await for_write(request, session, row)


VisibleCourse = Annotated[Course, Depends(visible_course)]
