"""``/agencies/{code}/career-evaluation``: an agency's career-system figures for a year."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from asn_career.core.auth import HR_ROLES, Principal, authorize
from asn_career.core.db import DbSession
from asn_career.org.dependencies import VisibleAgency
from asn_career.org.rules import today_in_indonesia
from asn_career.talent.evaluation.schemas import CareerEvaluationOut
from asn_career.talent.evaluation.service import EvaluationService

Reader = Annotated[Principal, Depends(authorize(*HR_ROLES, scope="evaluation:read"))]

router = APIRouter(tags=["evaluation"])


@router.get(
    "/agencies/{code}/career-evaluation",
    operation_id="evaluation-get-career-evaluation",
    summary="An agency's career-system evaluation for a year, with merit-system evidence",
    description="Each figure with its definition (English and Indonesian), value, last "
    "year's value, trend and the data it came from: 20 JP, equal access to training, "
    "competency gap, 360° participation and completion, mentoring coverage and "
    "satisfaction, rotation rate and tenure, placement fit, and employee satisfaction from "
    "the year's closed survey. A figure without data says `no_data` rather than 0. "
    "`merit` reads the figures as evidence for the merit-system aspects (PermenPANRB "
    "40/2018) this service holds data for, with the thresholds stated.",
)
async def get_career_evaluation(
    principal: Reader,
    agency: VisibleAgency,
    session: DbSession,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="This year if absent.")] = None,
) -> CareerEvaluationOut:
    chosen = year or today_in_indonesia().year
    return await EvaluationService(session, principal).evaluate(agency.code, agency.name, chosen)
