"""Every query of an employee's histories.

The employee itself is looked up (and scoped to the caller) by
``profiles.employees.dependencies.VisibleEmployee``; every query here is then bound to that
employee's id, so a history row of someone the caller may not see is never reached.
"""

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Subquery,
    and_,
    case,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.pagination import PageRequest, SortKey, paginate
from asn_career.org.models import Competency, Position, Unit
from asn_career.org.repository import current_assignment
from asn_career.profiles.histories.rules import best_assessment_order_sql
from asn_career.profiles.models import (
    Assignment,
    CareerInterest,
    CompetencyAssessment,
    CurrentCompetency,
    Education,
    Employee,
    Performance,
    Sanction,
    Training,
    _History,
)

H = TypeVar("H", bound=_History)


@dataclass(frozen=True)
class Holder:
    assignment_id: uuid.UUID
    nip: str
    name: str


# One statement recomputes the current level of (employee, competency) pairs: per pair, the
# latest assessment of the most trusted source present, or no row when no assessment is
# left. One pair (a history change) and many (a published 360° cycle) take the same text.
_REFRESH_CURRENT_LEVELS = text(
    f"""
    WITH pairs AS (
        SELECT DISTINCT p.employee_id, p.competency_id
        FROM unnest(CAST(:employee_ids AS uuid[]), CAST(:competency_ids AS integer[]))
             AS p(employee_id, competency_id)
    ), best AS (
        SELECT DISTINCT ON (a.employee_id, a.competency_id)
               a.employee_id, a.competency_id, a.level, a.source, a.assessed_on
        FROM competency_assessments a
        JOIN pairs p ON p.employee_id = a.employee_id AND p.competency_id = a.competency_id
        ORDER BY a.employee_id, a.competency_id, {best_assessment_order_sql("a")}
    ), cleared AS (
        DELETE FROM employee_competency_levels l
        USING pairs p
        WHERE l.employee_id = p.employee_id AND l.competency_id = p.competency_id
          AND NOT EXISTS (
              SELECT 1 FROM best b
              WHERE b.employee_id = p.employee_id AND b.competency_id = p.competency_id
          )
    )
    INSERT INTO employee_competency_levels
        (employee_id, competency_id, level, source, assessed_on)
    SELECT employee_id, competency_id, level, source, assessed_on
    FROM best
    ON CONFLICT (employee_id, competency_id) DO UPDATE
    SET level = EXCLUDED.level, source = EXCLUDED.source, assessed_on = EXCLUDED.assessed_on
    """  # noqa: S608 - the interpolated order comes from a constant tuple
)


@dataclass(frozen=True)
class _Order:
    """A newest-first list order: its key columns (the last one makes it unique) and the
    same values read from a row, for the next page's cursor."""

    columns: tuple[Any, ...]
    key_of: Callable[[Any], tuple[Any, ...]]


_NEWEST_FIRST: dict[type[_History], _Order] = {
    Education: _Order(
        (func.coalesce(Education.graduation_year, 0), Education.created_at, Education.id),
        lambda e: (e.graduation_year or 0, e.created_at, e.id),
    ),
    Assignment: _Order((Assignment.start_date, Assignment.id), lambda a: (a.start_date, a.id)),
    CompetencyAssessment: _Order(
        (CompetencyAssessment.assessed_on, CompetencyAssessment.id),
        lambda a: (a.assessed_on, a.id),
    ),
    Training: _Order((Training.start_date, Training.id), lambda t: (t.start_date, t.id)),
    # Within a year: q4, q3, q2, q1, then the annual rating.
    Performance: _Order(
        (Performance.year, Performance.period, Performance.id), lambda p: (p.year, p.period, p.id)
    ),
    CareerInterest: _Order(
        (CareerInterest.created_at, CareerInterest.id), lambda i: (i.created_at, i.id)
    ),
    Sanction: _Order((Sanction.start_date, Sanction.id), lambda s: (s.start_date, s.id)),
}


def held_on(day: ColumnElement[date] | date) -> ColumnElement[bool]:
    """The primary assignment that holds the employee's position on ``day``
    (``org.repository.current_assignment``; primary assignments never overlap, so there is
    at most one): today's is ``employees.position_id``, an earlier day's is history."""
    return current_assignment(
        Assignment.is_primary, Assignment.start_date, Assignment.end_date, day
    )


def levels_as_of(people: FromClause, *, stored: bool = True) -> Subquery:
    """Per row of ``people`` (columns ``employee_id`` and ``as_of``, a date, and to ask for
    one competency only ``competency_id``; no two rows alike in those), the employee's
    level of each competency (or of that one) assessed by that day: ``rules.current_level``
    of the assessments with ``assessed_on <= as_of``, in ``best_assessment_order_sql``'s
    order, as the current levels are refreshed. Columns: those of ``people``,
    ``competency_id`` and ``level``; a competency not assessed by then has no row.

    With ``stored`` (the default) a stored current level assessed by the day is taken as it
    is: it is the best of all the assessments (as of today the rule and the stored levels
    are equal: ``tests/profiles/histories/test_levels_as_of.py`` compares them with
    ``stored`` off), so it is the best of those made by the day too. Only a competency
    whose stored level was assessed after the day is worked out from its assessments: the
    history costs only where it differs from today."""
    assessed = CompetencyAssessment.__table__.alias("assessed")
    order = text(best_assessment_order_sql("assessed"))
    pairs = "competency_id" in people.c
    if not stored:
        key = (people.c.as_of, assessed.c.employee_id, assessed.c.competency_id)
        same = [assessed.c.employee_id == people.c.employee_id]
        if pairs:
            same.append(assessed.c.competency_id == people.c.competency_id)
        return (
            select(*people.c, *([] if pairs else [assessed.c.competency_id]), assessed.c.level)
            .ext(distinct_on(*key))
            .join_from(people, assessed, and_(*same, assessed.c.assessed_on <= people.c.as_of))
            .order_by(*key, order)
            .subquery("levels_as_of")
        )
    current = CurrentCompetency.__table__.alias("stored_level")
    # a stored level assessed after the day: the best assessment by the day (one probe of
    # the (employee, competency) index, made only for those)
    then = (
        select(assessed.c.level)
        .where(
            assessed.c.employee_id == current.c.employee_id,
            assessed.c.competency_id == current.c.competency_id,
            assessed.c.assessed_on <= people.c.as_of,
        )
        .order_by(order)
        .limit(1)
        .scalar_subquery()
    )
    same = [current.c.employee_id == people.c.employee_id]
    if pairs:
        same.append(current.c.competency_id == people.c.competency_id)
    level = case((current.c.assessed_on <= people.c.as_of, current.c.level), else_=then)
    found = (
        select(*people.c, *([] if pairs else [current.c.competency_id]), level.label("level"))
        .join(current, and_(*same))
        .offset(0)  # kept apart, so that the filter below does not probe again
        .subquery("found")
    )
    return select(found).where(found.c.level.is_not(None)).subquery("levels_as_of")


class HistoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- generic -------------------------------------------------------------------------

    def add(self, row: _History) -> None:
        self.session.add(row)

    async def delete(self, row: _History) -> None:
        await self.session.delete(row)

    async def get(self, model: type[H], employee_id: uuid.UUID, item_id: uuid.UUID) -> H | None:
        stmt = select(model).where(model.id == item_id, model.employee_id == employee_id)
        return (await self.session.scalars(stmt)).one_or_none()

    async def lock_employee(self, employee_id: uuid.UUID) -> Employee:
        """Serialise changes to one person's assignments / current levels."""
        stmt = (
            select(Employee)
            .where(Employee.id == employee_id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one()

    # --- lists, newest first -------------------------------------------------------------

    async def page(
        self, model: type[H], employee_id: uuid.UUID, page: PageRequest
    ) -> tuple[list[H], str | None]:
        """One page of the employee's entries of ``model``, in its newest-first order."""
        order = _NEWEST_FIRST[model]
        stmt = select(model).where(model.employee_id == employee_id)
        keys = [SortKey(column, descending=True) for column in order.columns]
        return await paginate(self.session, stmt, keys, page, order.key_of)

    # --- organisation look-ups, within the employee's agency -----------------------------

    async def position_in_agency(
        self, position_id: uuid.UUID, agency_code: str, *, for_update: bool = False
    ) -> Position | None:
        stmt = select(Position).where(
            Position.id == position_id, Position.agency_code == agency_code
        )
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).one_or_none()

    async def unit_in_agency(self, unit_id: uuid.UUID, agency_code: str) -> Unit | None:
        stmt = select(Unit).where(Unit.id == unit_id, Unit.agency_code == agency_code)
        return (await self.session.scalars(stmt)).one_or_none()

    # --- assignments ---------------------------------------------------------------------

    async def overlapping_primary(
        self,
        employee_id: uuid.UUID,
        start: date,
        end: date | None,
        exclude_id: uuid.UUID | None,
    ) -> Assignment | None:
        """A primary assignment of the employee whose dates meet ``[start, end]``."""
        conditions: list[ColumnElement[bool]] = [
            Assignment.employee_id == employee_id,
            Assignment.is_primary.is_(True),
            or_(Assignment.end_date.is_(None), Assignment.end_date >= start),
        ]
        if end is not None:
            conditions.append(Assignment.start_date <= end)
        if exclude_id is not None:
            conditions.append(Assignment.id != exclude_id)
        stmt = select(Assignment).where(*conditions).order_by(Assignment.start_date).limit(1)
        return (await self.session.scalars(stmt)).first()

    async def open_holder(self, position_id: uuid.UUID, employee_id: uuid.UUID) -> Holder | None:
        """Someone else holding the position now (an open primary assignment)."""
        stmt = (
            select(Assignment.id, Employee.nip, Employee.name)
            .join(Employee, Employee.id == Assignment.employee_id)
            .where(
                Assignment.position_id == position_id,
                Assignment.end_date.is_(None),
                Assignment.is_primary.is_(True),
                Assignment.employee_id != employee_id,
            )
            .limit(1)
        )
        row = (await self.session.execute(stmt)).first()
        return Holder(row.id, row.nip, row.name) if row else None

    async def current_primary(
        self, employee_id: uuid.UUID, today: date
    ) -> tuple[Assignment, Position] | None:
        """The assignment that holds the employee's position today (``held_on``; the latest
        started if the data allowed two)."""
        stmt = (
            select(Assignment, Position)
            .join(Position, Position.id == Assignment.position_id)
            .where(Assignment.employee_id == employee_id, held_on(today))
            .order_by(Assignment.start_date.desc())
            .limit(1)
        )
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def employees_due_a_switch(self, today: date, days_back: int) -> list[uuid.UUID]:
        """Employees an assignment started or ended for in the last ``days_back`` days whose
        ``position_id`` is not what their current assignment says (the daily switch;
        ``days_back`` catches up on days the worker did not run)."""
        since = today - timedelta(days=days_back)
        recent = select(Assignment.employee_id).where(
            or_(
                Assignment.start_date.between(since, today),
                Assignment.end_date.between(since - timedelta(days=1), today),
            )
        )
        current = (
            select(Assignment.position_id)
            .where(Assignment.employee_id == Employee.id, held_on(today))
            .order_by(Assignment.start_date.desc())
            .limit(1)
            .scalar_subquery()
        )
        stmt = select(Employee.id).where(
            Employee.id.in_(recent), Employee.position_id.is_distinct_from(current)
        )
        return list((await self.session.scalars(stmt)).all())

    # --- competencies --------------------------------------------------------------------

    async def competency_ids(self, codes: Iterable[str], agency_code: str) -> dict[str, int]:
        """Codes → ids among the national dictionary and the agency's technical ones."""
        wanted = sorted(set(codes))
        if not wanted:
            return {}
        stmt = select(Competency.code, Competency.id).where(
            Competency.code.in_(wanted),
            or_(Competency.agency_code.is_(None), Competency.agency_code == agency_code),
        )
        return {row.code: row.id for row in await self.session.execute(stmt)}

    async def competency_codes(self, ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        stmt = select(Competency.id, Competency.code).where(Competency.id.in_(wanted))
        return {row.id: row.code for row in await self.session.execute(stmt)}

    async def refresh_current_level(self, employee_id: uuid.UUID, competency_id: int) -> None:
        await self.refresh_current_levels([(employee_id, competency_id)])

    async def refresh_current_levels(self, pairs: Iterable[tuple[uuid.UUID, int]]) -> None:
        """The current level of every (employee, competency) pair, in one statement."""
        employee_ids, competency_ids = [], []
        for employee_id, competency_id in pairs:
            employee_ids.append(employee_id)
            competency_ids.append(competency_id)
        if not employee_ids:
            return
        await self.session.execute(
            _REFRESH_CURRENT_LEVELS,
            {"employee_ids": employee_ids, "competency_ids": competency_ids},
        )

    async def current_levels(self, employee_id: uuid.UUID) -> Sequence[Any]:
        stmt = (
            select(
                Competency.code,
                Competency.kind,
                Competency.name_id,
                Competency.name_en,
                CurrentCompetency.level,
                CurrentCompetency.source,
                CurrentCompetency.assessed_on,
            )
            .join(Competency, Competency.id == CurrentCompetency.competency_id)
            .where(CurrentCompetency.employee_id == employee_id)
            .order_by(Competency.code)
        )
        return (await self.session.execute(stmt)).all()

    # --- performance ---------------------------------------------------------------------

    async def rating_for(
        self, employee_id: uuid.UUID, year: int, period: str, exclude_id: uuid.UUID | None
    ) -> Performance | None:
        stmt = select(Performance).where(
            Performance.employee_id == employee_id,
            Performance.year == year,
            Performance.period == period,
        )
        if exclude_id is not None:
            stmt = stmt.where(Performance.id != exclude_id)
        return (await self.session.scalars(stmt)).first()
