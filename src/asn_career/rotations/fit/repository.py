"""What the fit needs, loaded set-based for an agency's positions and employees: one
statement per kind of fact, never one per person."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ARRAY, Integer, Uuid, and_, any_, func, literal, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.org.models import Position, PositionCompetency, Unit
from asn_career.profiles.models import (
    Assignment,
    CareerInterest,
    CurrentCompetency,
    Education,
    Performance,
)
from asn_career.rotations import rawsql


def _ids(values: Sequence[uuid.UUID]) -> Any:
    return any_(literal(list(values), ARRAY(Uuid)))


class FitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def positions(
        self,
        agency: str,
        today: date,
        ids: Sequence[uuid.UUID] | None = None,
        vacant_only: bool = False,
    ) -> list[Any]:
        """Positions with their unit kind and, when held, the holder (open primary)."""
        holder = (
            select(Assignment.employee_id)
            .where(
                Assignment.position_id == Position.id,
                Assignment.is_primary.is_(True),
                Assignment.end_date.is_(None),
                Assignment.start_date <= today,
            )
            .order_by(Assignment.start_date.desc())
            .limit(1)
            .scalar_subquery()
        )
        stmt = (
            select(
                Position.id,
                Position.code,
                Position.title,
                Position.kind,
                Position.unit_id,
                Unit.kind.label("unit_kind"),
                Unit.name.label("unit_name"),
                Position.min_rank,
                Position.max_rank,
                Position.preferred_education_fields,
                Position.reports_to_position_id,
                Position.is_shared,
                holder.label("holder_id"),
            )
            .join(Unit, Unit.id == Position.unit_id)
            .where(Position.agency_code == agency)
            .order_by(Position.code, Position.id)
        )
        if ids is not None:
            stmt = stmt.where(Position.id == _ids(ids))
        rows = await rawsql.fetch_tuples(self.session, stmt)
        if vacant_only:
            rows = [r for r in rows if r.holder_id is None and not r.is_shared]
        return rows

    async def open_primary_holders(self, position_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        """Positions somebody holds by an open primary assignment (started or dated ahead)."""
        stmt = select(Assignment.position_id).where(
            Assignment.position_id == _ids(position_ids),
            Assignment.is_primary.is_(True),
            Assignment.end_date.is_(None),
        )
        return set((await self.session.scalars(stmt)).all())

    async def requirements(self, position_ids: Sequence[uuid.UUID]) -> list[Any]:
        stmt = select(
            PositionCompetency.position_id, PositionCompetency.competency_id,
            PositionCompetency.level,
        ).where(PositionCompetency.position_id == _ids(position_ids))  # fmt: skip
        return await rawsql.fetch_tuples(self.session, stmt)

    async def levels(
        self, employee_ids: Sequence[uuid.UUID], competency_ids: Sequence[int]
    ) -> list[Any]:
        """Per employee, the current levels of these competencies as two arrays (one row
        per person rather than per level)."""
        stmt = (
            select(
                CurrentCompetency.employee_id,
                func.array_agg(CurrentCompetency.competency_id),
                func.array_agg(CurrentCompetency.level),
            )
            .where(
                CurrentCompetency.employee_id == _ids(employee_ids),
                CurrentCompetency.competency_id
                == any_(literal(list(competency_ids), ARRAY(Integer))),
            )
            .group_by(CurrentCompetency.employee_id)
        )
        return await rawsql.fetch(self.session, stmt)

    async def education_fields(self, employee_ids: Sequence[uuid.UUID]) -> list[Any]:
        field = func.lower(func.btrim(Education.field))
        stmt = (
            select(Education.employee_id, field.label("field"))
            .where(Education.employee_id == _ids(employee_ids), Education.field.is_not(None))
            .distinct()
        )
        return await rawsql.fetch(self.session, stmt)

    async def worked_kinds(self, employee_ids: Sequence[uuid.UUID], today: date) -> list[Any]:
        """Unit kinds each person has worked in, by started primary assignments."""
        stmt = (
            select(Assignment.employee_id, Unit.kind)
            .join(Position, Position.id == Assignment.position_id)
            .join(Unit, Unit.id == Position.unit_id)
            .where(
                Assignment.employee_id == _ids(employee_ids),
                Assignment.is_primary.is_(True),
                Assignment.start_date <= today,
            )
            .distinct()
        )
        return await rawsql.fetch(self.session, stmt)

    async def latest_predicates(self, employee_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        stmt = (
            select(Performance.employee_id, Performance.predicate)
            .where(Performance.employee_id == _ids(employee_ids))
            .ext(distinct_on(Performance.employee_id))
            .order_by(
                Performance.employee_id,
                Performance.year.desc(),
                (Performance.period == "annual").desc(),
                Performance.period.desc(),
            )
        )
        return {e: p for e, p in await rawsql.fetch(self.session, stmt)}

    async def interests(self, employee_ids: Sequence[uuid.UUID]) -> list[Any]:
        stmt = select(
            CareerInterest.employee_id, CareerInterest.target_position_id,
            CareerInterest.target_unit_id,
        ).where(
            CareerInterest.employee_id == _ids(employee_ids),
            and_(
                (CareerInterest.target_position_id.is_not(None))
                | (CareerInterest.target_unit_id.is_not(None))
            ),
        )  # fmt: skip
        return await rawsql.fetch(self.session, stmt)
