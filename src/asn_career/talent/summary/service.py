"""The career summary, composed: profiles' part (``EmployeeService.career_summary``), last
year's 9-box and index (``talent``'s own services), the live mentoring matches
(``MatchService.of_employee``) and the open rater tasks (``ResponseService.of_rater``) of
the employee: the functions ``/mentoring/my-matches`` and ``/feedback/my-requests`` call
with the caller's own NIP, here given the employee's, inside the caller's agencies
(``VisibleEmployee`` already found the employee inside them). No query of its own: each
part is its domain's, and each is a fixed number of statements whatever the employee's
matches and tasks (no N+1). Of the rater tasks only counts and deadlines per cycle leave."""

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import HR_ROLES, Principal, Role
from asn_career.core.errors import NotFound
from asn_career.core.pagination import MAX_LIMIT, PageRequest
from asn_career.feedback.responses.service import ResponseService
from asn_career.feedback.rules import OPEN_REQUEST_STATUSES
from asn_career.mentoring.matches.service import MatchService
from asn_career.org.rules import today_in_indonesia
from asn_career.profiles.employees.service import EmployeeService
from asn_career.profiles.models import Employee
from asn_career.talent import rules
from asn_career.talent.ninebox.service import NineBoxService
from asn_career.talent.professionalism.service import ProfessionalismService
from asn_career.talent.scope import is_self
from asn_career.talent.summary.schemas import (
    CareerSummary,
    CareerSummaryFeedbackCycleOut,
    CareerSummaryFeedbackOut,
    CareerSummaryIndexOut,
    CareerSummaryMatchOut,
    CareerSummaryMentoringOut,
    CareerSummaryNineBoxOut,
)

LIVE_MATCH_STATES = ("active", "proposed")
OPEN_CYCLE_STATE = "open"


class CareerSummaryService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def _may(self, employee: Employee, scope: str) -> bool:
        """HR (an integration only with ``scope``) or the employee themself."""
        if self.principal.role is Role.INTEGRATION:
            return scope in self.principal.scopes
        return self.principal.role in HR_ROLES or is_self(self.principal, employee)

    async def summary(self, employee: Employee) -> CareerSummary:
        base = await EmployeeService(self.session, self.principal).career_summary(employee)
        year = rules.talent_year(None, today_in_indonesia())
        return CareerSummary(
            **dict(base),
            nine_box=await self._nine_box(employee, year)
            if self._may(employee, "talent:read")
            else None,
            professionalism_index=await self._index(employee, year)
            if self._may(employee, "talent:read")
            else None,
            mentoring=await self._mentoring(employee)
            if self._may(employee, "mentoring:read")
            else None,
            feedback_tasks=await self._feedback(employee)
            if self._may(employee, "feedback:read")
            else None,
        )

    async def _nine_box(self, employee: Employee, year: int) -> CareerSummaryNineBoxOut | None:
        try:
            out = await NineBoxService(self.session, self.principal).employee(employee, year)
        except NotFound:  # retired or dismissed: no longer in the population
            return None
        return CareerSummaryNineBoxOut(
            year=year,
            box=out.box,
            action=out.action,
            insufficient_data=out.insufficient_data,
            reason_en=out.reason_en,
            reason_id=out.reason_id,
        )

    async def _index(self, employee: Employee, year: int) -> CareerSummaryIndexOut | None:
        service = ProfessionalismService(self.session, self.principal)
        try:
            out = await service.employee(employee, year)
        except NotFound:
            return None
        return CareerSummaryIndexOut(
            year=year,
            total=out.total,
            category=out.category,
            category_label=out.category_label,
            qualification=out.qualification.points,
            competency=out.competency.points,
            performance=out.performance.points,
            discipline=out.discipline.points,
        )

    async def _mentoring(self, employee: Employee) -> CareerSummaryMentoringOut:
        service = MatchService(self.session, self.principal)
        counts: dict[str, int] = defaultdict(int)
        matches: list[CareerSummaryMatchOut] = []
        for state in LIVE_MATCH_STATES:
            found, _ = await service.of_employee(employee.nip, state, PageRequest(limit=MAX_LIMIT))
            for m in found:
                side = "mentor" if m.mentor_nip == employee.nip else "mentee"
                counts[f"{side}_{state}"] += 1
                mentee = side == "mentor"
                matches.append(
                    CareerSummaryMatchOut(
                        match_id=m.id,
                        state=state,
                        side=side,
                        partner_nip=m.mentee_nip if mentee else m.mentor_nip,
                        partner_name=m.mentee_name if mentee else m.mentor_name,
                        partner_role="mentee" if mentee else "mentor",
                    )
                )
        return CareerSummaryMentoringOut(
            as_mentor_active=counts["mentor_active"],
            as_mentor_proposed=counts["mentor_proposed"],
            as_mentee_active=counts["mentee_active"],
            as_mentee_proposed=counts["mentee_proposed"],
            matches=matches,
        )

    async def _feedback(self, employee: Employee) -> CareerSummaryFeedbackOut:
        service = ResponseService(self.session, self.principal)
        per_cycle: dict[Any, list[Any]] = {}
        for status in sorted(OPEN_REQUEST_STATUSES):
            page = PageRequest(limit=MAX_LIMIT)
            found, _ = await service.of_rater(employee.nip, status, None, page)
            for r in found:
                if r.cycle_state == OPEN_CYCLE_STATE:
                    per_cycle.setdefault(r.cycle_id, []).append(r)
        cycles = sorted(
            (
                CareerSummaryFeedbackCycleOut(
                    cycle_id=cycle_id,
                    cycle_name=rows[0].cycle_name,
                    deadline=rows[0].deadline,
                    open_requests=len(rows),
                )
                for cycle_id, rows in per_cycle.items()
            ),
            key=lambda c: (c.deadline, c.cycle_name),
        )
        deadlines: list[datetime] = [c.deadline for c in cycles]
        return CareerSummaryFeedbackOut(
            open_requests=sum(c.open_requests for c in cycles),
            next_deadline=min(deadlines) if deadlines else None,
            cycles=cycles,
        )
