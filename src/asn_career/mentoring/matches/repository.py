"""Every query of matches as relationships, scoped to the caller's agencies in its WHERE."""

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest
from asn_career.mentoring.models import Feedback, Match, Matching, Mentee, Mentor, Session
from asn_career.org.models import Competency
from asn_career.profiles.models import CurrentCompetency, Employee

MentorEmployee = aliased(Employee)
MenteeEmployee = aliased(Employee)


class MatchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Session | Feedback) -> None:
        self.session.add(row)

    @staticmethod
    def _select() -> Any:
        return (
            select(
                Match,
                MentorEmployee.nip.label("mentor_nip"),
                MentorEmployee.name.label("mentor_name"),
                MenteeEmployee.nip.label("mentee_nip"),
                MenteeEmployee.name.label("mentee_name"),
                MenteeEmployee.id.label("mentee_employee_id"),
                Mentee.focus.label("focus"),
                Matching.published_at.label("published_at"),
            )
            .join(Mentor, Mentor.id == Match.mentor_id)
            .join(MentorEmployee, MentorEmployee.id == Mentor.employee_id)
            .join(Mentee, Mentee.id == Match.mentee_id)
            .join(MenteeEmployee, MenteeEmployee.id == Mentee.employee_id)
            .join(Matching, Matching.id == Match.matching_id)
        )

    async def get(
        self, principal: Principal, match_id: uuid.UUID, *, lock: bool = False
    ) -> Row[Any] | None:
        """The match with its people and whether its run was published."""
        stmt = self._select().where(
            Match.id == match_id, principal.agency_clause(Match.agency_code)
        )
        if lock:
            stmt = stmt.with_for_update(of=Match).execution_options(populate_existing=True)
        found: Row[Any] | None = (await self.session.execute(stmt)).one_or_none()
        return found

    async def of_employee(
        self, principal: Principal, nip: str, state: str | None, page: PageRequest
    ) -> tuple[list[Row[Any]], str | None]:
        """The employee's matches (``nip`` as mentor or mentee) of published runs, inside the
        caller's agencies, newest first."""
        stmt = self._select().where(
            principal.agency_clause(Match.agency_code),
            Matching.published_at.is_not(None),
            or_(MentorEmployee.nip == nip, MenteeEmployee.nip == nip),
        )
        if state is not None:
            stmt = stmt.where(Match.state == state)
        after = page.after_values(datetime, uuid.UUID)
        if after is not None:
            stmt = stmt.where(
                (Match.created_at < after[0])
                | ((Match.created_at == after[0]) & (Match.id > after[1]))
            )
        stmt = stmt.order_by(Match.created_at.desc(), Match.id).limit(page.fetch_size)
        rows = (await self.session.execute(stmt)).all()
        return page.cut(rows, lambda r: (r.Match.created_at, r.Match.id))

    async def levels(
        self, employee_id: uuid.UUID, competency_ids: Sequence[int]
    ) -> dict[str, int | None]:
        """The employee's current level in each competency (None: not assessed), by code."""
        if not competency_ids:
            return {}
        stmt = (
            select(Competency.code, CurrentCompetency.level)
            .select_from(Competency)
            .outerjoin(
                CurrentCompetency,
                (CurrentCompetency.competency_id == Competency.id)
                & (CurrentCompetency.employee_id == employee_id),
            )
            .where(Competency.id.in_(competency_ids))
        )
        return {
            c: (None if lv is None else int(lv))
            for c, lv in (await self.session.execute(stmt)).all()
        }

    async def sessions_page(
        self, match_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[Session], str | None]:
        stmt = select(Session).where(Session.match_id == match_id)
        after = page.after_values(date, uuid.UUID)
        if after is not None:
            held, sid = after
            stmt = stmt.where(
                (Session.held_on > held) | ((Session.held_on == held) & (Session.id > sid))
            )
        rows = (
            await self.session.scalars(
                stmt.order_by(Session.held_on, Session.id).limit(page.fetch_size)
            )
        ).all()
        return page.cut(rows, lambda s: (s.held_on, s.id))

    async def feedback_exists(self, match_id: uuid.UUID, side: str) -> bool:
        stmt = select(Feedback.side).where(Feedback.match_id == match_id, Feedback.side == side)
        return (await self.session.scalar(stmt)) is not None
