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
    column,
    literal,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.org.models import Position, PositionCompetency, Unit
from asn_career.org.repository import current_assignment
from asn_career.profiles.histories.repository import levels_as_of
from asn_career.profiles.models import (
    Assignment,
    CareerInterest,
    CurrentCompetency,
    Education,
    Performance,
)
from asn_career.rotations import rawsql, rules

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


_GONE = ", ".join(f"'{s}'" for s in rules.GONE_STATUSES)


def _sql(clause: Any) -> str:
    """``clause`` as this module's text statements take it (values written in)."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    return str(clause.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))


_HELD_ON = _sql(
    current_assignment(
        literal_column("a.is_primary"),
        literal_column("a.start_date"),
        literal_column("a.end_date"),
        literal_column(":as_of"),
    )
)
"""``profiles``' position held on a day (``held_on``) over the alias ``a``."""
_LEVELS = _sql(
    levels_as_of(
        table("req", column("i"), column("employee_id"), column("competency_id"), column("as_of"))
    ).element
)
"""``profiles``' levels as of a day of the requirement rows of the CTE ``req``."""

# Each employee's position on ``as_of`` as eligibility's standings find it (the latest
# started primary assignment covering the day; retired and dismissed people left out), kept
# when the position is the agency's; then the facts the competency and education parts
# read, of those positions and people only, as of that day (the levels assessed by then,
# the education finished by then: a graduation year up to the day's, or none recorded), as
# flat parallel arrays (person = index into ``employee``).
_OWN = f"""
WITH held AS MATERIALIZED (
    SELECT x.employee_id, x.position_id, p.preferred_education_fields,
           CAST(:as_of AS date) AS as_of, CAST(row_number() OVER () - 1 AS integer) AS i
    FROM (
        SELECT DISTINCT ON (a.employee_id) a.employee_id, a.position_id
        FROM {Assignment.__tablename__} a
        JOIN employees e ON e.id = a.employee_id
        WHERE e.agency_code = :agency AND e.status NOT IN ({_GONE}) AND {_HELD_ON}
        ORDER BY a.employee_id, a.start_date DESC, a.id
    ) x
    JOIN {Position.__tablename__} p ON p.id = x.position_id AND p.agency_code = :agency
), req AS MATERIALIZED (
    SELECT h.i, h.employee_id, h.as_of, pc.competency_id, pc.level
    FROM held h JOIN {PositionCompetency.__tablename__} pc ON pc.position_id = h.position_id
), pref AS MATERIALIZED (
    SELECT DISTINCT h.i, h.employee_id, lower(btrim(f.field)) AS field
    FROM held h CROSS JOIN LATERAL unnest(h.preferred_education_fields) AS f(field)
), levels AS (
    {_LEVELS}
)
SELECT hd.*, rq.*, lv.*, pf.*, ed.*
FROM (SELECT array_agg(employee_id ORDER BY i) AS employee FROM held) hd, (
    SELECT array_agg(i) AS req_person, array_agg(competency_id) AS req_competency,
           array_agg(level) AS req_level
    FROM req
) rq, (
    SELECT array_agg(i) AS level_person, array_agg(competency_id) AS level_competency,
           array_agg(level) AS level_value
    FROM levels
) lv, (
    SELECT array_agg(i) AS pref_person, array_agg(field) AS pref_field FROM pref
) pf, (
    SELECT array_agg(m.i) AS edu_person, array_agg(m.field) AS edu_field
    FROM (
        SELECT DISTINCT pr.i, pr.field
        FROM pref pr JOIN {Education.__tablename__} d
             ON d.employee_id = pr.employee_id AND lower(btrim(d.field)) = pr.field
        WHERE d.graduation_year IS NULL
           OR d.graduation_year <= extract(year FROM CAST(:as_of AS date))
    ) m
) ed
"""  # noqa: S608 - table names of the models, the rules' constants and profiles' SQL


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

    async def own_positions(self, agency: str, as_of: date) -> Any:
        """In one statement and one row: everyone holding one of the agency's positions on
        ``as_of`` (``employee``, by id) with, as flat arrays indexed into it, their
        position's required levels (``req_*``), their levels of those competencies as of
        the day (``level_*``), the position's preferred education fields (``pref_*``,
        trimmed, lower case) and those of the holder's education fields finished by then
        that are among them (``edu_*``). As of today: the current holders and levels."""
        stmt = text(_OWN).bindparams(bindparam("as_of", type_=Date))
        [row] = await rawsql.fetch(self.session, stmt, {"agency": agency, "as_of": as_of})
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
