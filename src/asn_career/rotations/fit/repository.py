"""What the fit needs, loaded set-based for an agency's positions and employees: one
statement per kind of fact, never one per person."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    Date,
    Integer,
    String,
    Uuid,
    and_,
    any_,
    bindparam,
    literal,
    select,
    text,
)
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

_FEATURES = f"""
WITH ids AS MATERIALIZED (
    SELECT i.id, i.n - 1 AS n FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS i(id, n)
)
SELECT lv.*, ed.*, wk.*, pr.*
FROM (
    SELECT array_agg(ids.n) AS level_person,
           array_agg(array_position(CAST(:comps AS integer[]), l.competency_id) - 1)
               AS level_competency,
           array_agg(l.level) AS level_value
    FROM {CurrentCompetency.__tablename__} l JOIN ids ON ids.id = l.employee_id
    WHERE l.competency_id = ANY(CAST(:comps AS integer[]))
) lv, (
    SELECT array_agg(ids.n) AS field_person,
           array_agg(array_position(CAST(:fields AS text[]), lower(btrim(d.field))) - 1)
               AS field_index
    FROM {Education.__tablename__} d JOIN ids ON ids.id = d.employee_id
    WHERE lower(btrim(d.field)) = ANY(CAST(:fields AS text[]))
) ed, (
    SELECT array_agg(ids.n) AS kind_person,
           array_agg(array_position(CAST(:kinds AS text[]), u.kind) - 1) AS kind_index
    FROM {Assignment.__tablename__} a JOIN ids ON ids.id = a.employee_id
    JOIN {Position.__tablename__} p ON p.id = a.position_id
    JOIN {Unit.__tablename__} u ON u.id = p.unit_id
    WHERE a.is_primary AND a.start_date <= :today AND u.kind = ANY(CAST(:kinds AS text[]))
) wk, (
    SELECT array_agg(x.n) AS predicate_person, array_agg(x.predicate) AS predicate
    FROM (
        SELECT DISTINCT ON (r.employee_id) ids.n, r.predicate
        FROM {Performance.__tablename__} r JOIN ids ON ids.id = r.employee_id
        ORDER BY r.employee_id, r.year DESC, (r.period = 'annual') DESC, r.period DESC
    ) x
) pr
"""  # noqa: S608 - table names of the models


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

    async def features(
        self,
        employee_ids: Sequence[uuid.UUID],
        competency_ids: Sequence[int],
        fields: Sequence[str],
        kinds: Sequence[str],
        today: date,
    ) -> Any:
        """In one statement and one row, as flat parallel arrays (person = index into
        ``employee_ids``, others = index into their list): the current levels of these
        competencies, the education fields among ``fields`` (trimmed, lower case), the
        unit kinds among ``kinds`` of the started primary assignments, and each person's
        latest SKP predicate (the latest year, the annual rating first)."""
        stmt = text(_FEATURES).bindparams(
            bindparam("ids", type_=ARRAY(Uuid)),
            bindparam("comps", type_=ARRAY(Integer)),
            bindparam("fields", type_=ARRAY(String)),
            bindparam("kinds", type_=ARRAY(String)),
            bindparam("today", type_=Date),
        )
        params = {
            "ids": list(employee_ids),
            "comps": list(competency_ids),
            "fields": list(fields),
            "kinds": list(kinds),
            "today": today,
        }
        [row] = await rawsql.fetch(self.session, stmt, params)
        return row

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
