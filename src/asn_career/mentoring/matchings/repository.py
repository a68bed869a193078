"""Every query of matching runs: the pool as the solver reads it (one statement per side,
aggregates in SQL), the reporting lines, declined and kept pairs, storing a run's matches.
The programme is loaded scoped to the caller first; these stay inside it."""

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.mentoring.models import Match, Matching, Mentee, Mentor, Program
from asn_career.org.models import Competency, EducationLevel, Position, Rank, Unit
from asn_career.profiles.models import CareerInterest, Education, Employee

_LINE = text(
    """
    WITH RECURSIVE line(mentee_id, position_id) AS (
        SELECT m.id, p.reports_to_position_id
        FROM mentoring_mentees m
        JOIN employees e ON e.id = m.employee_id
        JOIN positions p ON p.id = e.position_id
        WHERE m.program_id = :program_id AND p.reports_to_position_id IS NOT NULL
      UNION
        SELECT line.mentee_id, p.reports_to_position_id
        FROM line JOIN positions p ON p.id = line.position_id
        WHERE p.reports_to_position_id IS NOT NULL
    )
    SELECT DISTINCT line.mentee_id, mt.id
    FROM line
    JOIN employees boss ON boss.position_id = line.position_id
    JOIN mentoring_mentors mt ON mt.employee_id = boss.id AND mt.program_id = :program_id
    """
)
"""(mentee, mentor) pairs where the mentor holds a position up the mentee's reporting line:
the supervisor, the supervisor's supervisor, and so on (UNION stops at a cycle)."""


class MatchingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Matching) -> None:
        self.session.add(row)

    async def get(
        self, principal: Principal, matching_id: uuid.UUID, *, lock: bool = False
    ) -> Matching | None:
        stmt = select(Matching).where(
            Matching.id == matching_id, principal.agency_clause(Matching.agency_code)
        )
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return (await self.session.scalars(stmt)).one_or_none()

    async def program(self, program_id: uuid.UUID) -> Program:
        row = await self.session.get(Program, program_id)
        assert row is not None
        return row

    async def list_page(
        self, program: Program, page: PageRequest
    ) -> tuple[list[Matching], str | None]:
        stmt = select(Matching).where(Matching.program_id == program.id)
        keys = [SortKey(Matching.created_at, descending=True), SortKey(Matching.id)]
        return await paginate(self.session, stmt, keys, page, lambda m: (m.created_at, m.id))

    # --- the pool ----------------------------------------------------------------------------

    def _side(self, model: type[Mentor] | type[Mentee], program_id: uuid.UUID) -> Any:
        education = (
            select(Education.field)
            .join(EducationLevel, EducationLevel.code == Education.level_code)
            .where(Education.employee_id == Employee.id, Education.field.is_not(None))
            .order_by(EducationLevel.ordinal.desc(), Education.graduation_year.desc().nulls_last())
            .limit(1)
            .scalar_subquery()
        )
        return (
            select(
                model,
                Employee.nip,
                Employee.name,
                Employee.unit_id,
                Employee.position_id,
                Employee.appointment_date,
                Rank.scale,
                Rank.ordinal,
                Unit.parent_id,
                Position.kind,
                Position.title,
                education.label("education"),
            )
            .join(Employee, Employee.id == model.employee_id)
            .outerjoin(Rank, Rank.code == Employee.rank_code)
            .outerjoin(Unit, Unit.id == Employee.unit_id)
            .outerjoin(Position, Position.id == Employee.position_id)
            .where(model.program_id == program_id, model.active.is_(True),
                   Employee.status == "active")
            .order_by(Employee.nip)
        )  # fmt: skip

    async def mentors(self, program_id: uuid.UUID) -> list[Row[Any]]:
        return list((await self.session.execute(self._side(Mentor, program_id))).all())

    async def mentees(self, program_id: uuid.UUID) -> list[Row[Any]]:
        """Active mentees, except those whose relationship in the programme is completed."""
        done = select(Match.mentee_id).where(
            Match.program_id == program_id, Match.state == "completed"
        )
        stmt = self._side(Mentee, program_id).where(Mentee.id.not_in(done))
        return list((await self.session.execute(stmt)).all())

    async def interests(
        self, employee_ids: Sequence[uuid.UUID]
    ) -> list[tuple[uuid.UUID, str, str]]:
        """The positions mentees aim for (career interests naming a target position)."""
        if not employee_ids:
            return []
        stmt = (
            select(CareerInterest.employee_id, Position.kind, Position.title)
            .join(Position, Position.id == CareerInterest.target_position_id)
            .where(CareerInterest.employee_id.in_(employee_ids))
        )
        return [(e, k, t) for e, k, t in (await self.session.execute(stmt)).all()]

    async def reporting_line_pairs(
        self, program_id: uuid.UUID
    ) -> list[tuple[uuid.UUID, uuid.UUID]]:
        rows = await self.session.execute(_LINE, {"program_id": program_id})
        return [(a, b) for a, b in rows.all()]

    async def declined_pairs(self, program_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
        stmt = select(Match.mentee_id, Match.mentor_id).where(
            Match.program_id == program_id, Match.state == "declined"
        )
        return [(a, b) for a, b in (await self.session.execute(stmt)).all()]

    async def live_matches(self, program_id: uuid.UUID) -> list[Match]:
        """Matches of published runs still proposed or active."""
        stmt = (
            select(Match)
            .join(Matching, Matching.id == Match.matching_id)
            .where(Match.program_id == program_id, Match.state.in_(("proposed", "active")),
                   Matching.published_at.is_not(None))
            .order_by(Match.id)
        )  # fmt: skip
        return list((await self.session.scalars(stmt)).all())

    async def codes(self) -> dict[int, str]:
        stmt = select(Competency.id, Competency.code)
        return {cid: code for cid, code in (await self.session.execute(stmt)).all()}

    # --- storing --------------------------------------------------------------------------

    async def insert_matches(self, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), 2000):
            await self.session.execute(insert(Match), rows[start : start + 2000])

    async def matches_page(
        self, matching: Matching, page: PageRequest
    ) -> tuple[list[Row[Any]], str | None]:
        mentor_emp = (
            select(Employee.nip, Employee.name, Mentor.id)
            .join(Mentor, Mentor.employee_id == Employee.id)
            .subquery()
        )
        mentee_emp = (
            select(Employee.nip, Employee.name, Mentee.id)
            .join(Mentee, Mentee.employee_id == Employee.id)
            .subquery()
        )
        stmt = (
            select(Match, mentor_emp.c.nip.label("mentor_nip"),
                   mentor_emp.c.name.label("mentor_name"), mentee_emp.c.nip.label("mentee_nip"),
                   mentee_emp.c.name.label("mentee_name"))
            .join(mentor_emp, mentor_emp.c.id == Match.mentor_id)
            .join(mentee_emp, mentee_emp.c.id == Match.mentee_id)
            .where(Match.matching_id == matching.id)
        )  # fmt: skip
        after = page.after_values(str)
        if after is not None:
            stmt = stmt.where(mentee_emp.c.nip > after[0])
        rows = (await self.session.execute(
            stmt.order_by(mentee_emp.c.nip).limit(page.fetch_size))).all()  # fmt: skip
        return page.cut(rows, lambda r: (r.mentee_nip,))

    async def count_matches(self, matching_id: uuid.UUID) -> int:
        stmt = select(func.count()).where(Match.matching_id == matching_id)
        return int(await self.session.scalar(stmt) or 0)

    async def newer_published(self, matching: Matching) -> bool:
        stmt = select(Matching.id).where(
            Matching.program_id == matching.program_id,
            Matching.status.in_(("published", "superseded")),
            Matching.created_at > matching.created_at,
        )
        return (await self.session.scalar(stmt.limit(1))) is not None

    async def supersede(self, matching: Matching) -> list[uuid.UUID]:
        """Earlier published runs become superseded; their proposals nobody has accepted
        yet too. Accepted and active matches stay (the new run kept them)."""
        runs = list((await self.session.scalars(
            update(Matching)
            .where(Matching.program_id == matching.program_id, Matching.status == "published",
                   Matching.id != matching.id)
            .values(status="superseded", version=Matching.version + 1)
            .returning(Matching.id)
        )).all())  # fmt: skip
        if runs:
            await self.session.execute(
                update(Match)
                .where(Match.matching_id.in_(runs), Match.state == "proposed",
                       Match.mentor_response.is_(None), Match.mentee_response.is_(None))
                .values(state="superseded", version=Match.version + 1)
            )  # fmt: skip
        return runs
