"""Every query of answering: a rater's own requests (found through the token's NIP, inside
the token's agencies, in the query itself), their answers, and the reminders due in a
cycle (HR, within its agencies).

Nothing here returns another rater's answers: answers are read only by request id, for a
request the caller was first found to own (or, for the public, to hold the token of).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.feedback.models import (
    Answer,
    Cycle,
    Questionnaire,
    QuestionnaireItem,
    Request,
    Subject,
)
from asn_career.feedback.responses.rules import (
    ANSWERABLE_CYCLE_STATE,
    RATER_VISIBLE_CYCLE_STATES,
    ReminderRule,
)
from asn_career.feedback.rules import OPEN_REQUEST_STATUSES
from asn_career.org.models import Position
from asn_career.profiles.models import Employee

Rater = aliased(Employee, name="rater")
SubjectEmployee = aliased(Employee, name="subject_employee")


@dataclass(frozen=True)
class RequestFacts:
    """What a rater's list shows of a request besides its own columns."""

    cycle_name: str
    cycle_state: str
    deadline: datetime
    subject_nip: str
    subject_name: str
    subject_position: str | None
    answered: int
    total: int


@dataclass(frozen=True)
class PersonPair:
    rater_nip: str
    rater_name: str
    subject_nip: str
    subject_name: str


def _rated_by(principal: Principal, nip: str) -> ColumnElement[bool]:
    """The request's rater is the employee with ``nip``, inside the caller's agencies, and
    its cycle has opened."""
    return and_(
        Request.rater_employee_id
        == select(Employee.id).where(Employee.nip == nip).scalar_subquery(),
        Cycle.state.in_(sorted(RATER_VISIBLE_CYCLE_STATES)),
        principal.agency_clause(Cycle.agency_code),
    )


class ResponseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- the rater's own requests ----------------------------------------------------------

    async def rater_page(
        self,
        principal: Principal,
        rater_nip: str,
        status: str | None,
        cycle_id: uuid.UUID | None,
        page: PageRequest,
    ) -> tuple[list[Request], str | None]:
        stmt = (
            select(Request)
            .join(Cycle, Cycle.id == Request.cycle_id)
            .where(_rated_by(principal, rater_nip))
        )
        if status is not None:
            stmt = stmt.where(Request.status == status)
        if cycle_id is not None:
            stmt = stmt.where(Request.cycle_id == cycle_id)
        return await paginate(
            self.session,
            stmt,
            [SortKey(Request.created_at, descending=True), SortKey(Request.id, descending=True)],
            page,
            lambda r: (r.created_at, r.id),
        )

    async def get_own(
        self, principal: Principal, request_id: uuid.UUID
    ) -> tuple[Request, Cycle] | None:
        stmt = (
            select(Request, Cycle)
            .join(Cycle, Cycle.id == Request.cycle_id)
            .where(Request.id == request_id, _rated_by(principal, principal.subject))
        )
        row = (await self.session.execute(stmt)).one_or_none()
        return (row[0], row[1]) if row is not None else None

    async def facts(self, request_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, RequestFacts]:
        """The cycle, subject and progress of a page of requests, in one statement."""
        if not request_ids:
            return {}
        answered = (
            select(func.count())
            .select_from(Answer)
            .where(Answer.request_id == Request.id)
            .scalar_subquery()
        )
        total = (
            select(func.count())
            .select_from(QuestionnaireItem)
            .where(QuestionnaireItem.questionnaire_id == Cycle.questionnaire_id)
            .scalar_subquery()
        )
        stmt = (
            select(
                Request.id,
                Cycle.name,
                Cycle.state,
                Cycle.deadline,
                SubjectEmployee.nip,
                SubjectEmployee.name,
                Position.title,
                answered,
                total,
            )
            .join(Cycle, Cycle.id == Request.cycle_id)
            .join(SubjectEmployee, SubjectEmployee.id == Request.subject_employee_id)
            .outerjoin(
                Subject,
                and_(
                    Subject.cycle_id == Request.cycle_id,
                    Subject.employee_id == Request.subject_employee_id,
                ),
            )
            .outerjoin(
                Position,
                Position.id == func.coalesce(Subject.position_id, SubjectEmployee.position_id),
            )
            .where(Request.id.in_(list(request_ids)))
        )
        return {row[0]: RequestFacts(*row[1:]) for row in (await self.session.execute(stmt)).all()}

    async def lock(self, request: Request) -> None:
        """Hold the request's row for the rest of the transaction (decline and submit
        race for it)."""
        await self.session.refresh(request, with_for_update=True)

    # --- questionnaire and answers ---------------------------------------------------------

    async def questionnaire(self, questionnaire_id: uuid.UUID) -> Questionnaire:
        found = await self.session.get(Questionnaire, questionnaire_id)
        assert found is not None, "a cycle's questionnaire exists (foreign key)"
        return found

    async def items(self, questionnaire_id: uuid.UUID) -> list[QuestionnaireItem]:
        stmt = (
            select(QuestionnaireItem)
            .where(QuestionnaireItem.questionnaire_id == questionnaire_id)
            .order_by(QuestionnaireItem.ordinal)
        )
        return list((await self.session.scalars(stmt)).all())

    async def answers(self, request_id: uuid.UUID) -> list[tuple[str, int | None, str | None]]:
        """(item code, score, comment) of one request, in the questionnaire's order."""
        stmt = (
            select(QuestionnaireItem.code, Answer.score, Answer.comment)
            .join(QuestionnaireItem, QuestionnaireItem.id == Answer.item_id)
            .where(Answer.request_id == request_id)
            .order_by(QuestionnaireItem.ordinal)
        )
        return [(code, score, comment) for code, score, comment in await self.session.execute(stmt)]

    async def replace_answers(
        self, request_id: uuid.UUID, rows: Sequence[tuple[int, int | None, str | None]]
    ) -> None:
        """The request's answers become ``rows`` of (item id, score, comment)."""
        await self.session.execute(delete(Answer).where(Answer.request_id == request_id))
        if rows:
            await self.session.execute(
                insert(Answer),
                [
                    {"request_id": request_id, "item_id": item, "score": score, "comment": comment}
                    for item, score, comment in rows
                ],
            )


class ReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def visible_cycle(self, principal: Principal, cycle_id: uuid.UUID) -> Cycle | None:
        stmt = select(Cycle).where(Cycle.id == cycle_id, principal.agency_clause(Cycle.agency_code))
        return (await self.session.scalars(stmt)).one_or_none()

    @staticmethod
    def due_clause(cycle: Cycle, rule: ReminderRule, now: datetime) -> ColumnElement[bool]:
        """``rules.reminder_due`` for the requests of ``cycle``, as SQL: the cycle's values
        are known here, the requests' are columns."""
        if cycle.state != ANSWERABLE_CYCLE_STATE or now >= cycle.deadline:
            return false()
        not_lately = or_(Request.reminded_at.is_(None), Request.reminded_at <= now - rule.interval)
        if cycle.deadline <= now + rule.window:
            soon: ColumnElement[bool] = true()
        else:
            reached: Any = Request.created_at
            if cycle.opened_at is not None:
                reached = func.greatest(Request.created_at, literal(cycle.opened_at))
            soon = and_(
                Request.status == "pending",
                Request.reminded_at.is_(None),
                reached <= now - rule.interval,
            )
        return and_(
            Request.cycle_id == cycle.id,
            Request.rater_employee_id.is_not(None),
            Request.status.in_(sorted(OPEN_REQUEST_STATUSES)),
            not_lately,
            soon,
        )

    async def due_page(
        self, cycle: Cycle, rule: ReminderRule, now: datetime, page: PageRequest
    ) -> tuple[list[Request], str | None]:
        stmt = select(Request).where(self.due_clause(cycle, rule, now))
        return await paginate(
            self.session,
            stmt,
            [SortKey(Request.rater_employee_id), SortKey(Request.id)],
            page,
            lambda r: (r.rater_employee_id, r.id),
        )

    async def people(self, requests: Sequence[Request]) -> dict[uuid.UUID, PersonPair]:
        """Rater and subject names of a page of requests, in one statement."""
        if not requests:
            return {}
        stmt = (
            select(Request.id, Rater.nip, Rater.name, SubjectEmployee.nip, SubjectEmployee.name)
            .join(Rater, Rater.id == Request.rater_employee_id)
            .join(SubjectEmployee, SubjectEmployee.id == Request.subject_employee_id)
            .where(Request.id.in_([r.id for r in requests]))
        )
        return {row[0]: PersonPair(*row[1:]) for row in (await self.session.execute(stmt)).all()}

    async def mark_reminded(
        self, cycle: Cycle, rule: ReminderRule, now: datetime
    ) -> list[tuple[str, int]]:
        """Set ``reminded_at`` on every request due now, in one statement; return
        (rater NIP, requests reminded) per rater, by NIP."""
        reminded = (
            update(Request)
            .where(self.due_clause(cycle, rule, now))
            .values(reminded_at=now, version=Request.version + 1, updated_at=now)
            .returning(Request.rater_employee_id)
            .cte("reminded")
        )
        stmt = (
            select(Employee.nip, func.count())
            .select_from(reminded)
            .join(Employee, Employee.id == reminded.c.rater_employee_id)
            .group_by(Employee.nip)
            .order_by(Employee.nip)
        )
        return [(nip, count) for nip, count in await self.session.execute(stmt)]
