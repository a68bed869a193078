"""Eligibility in one statement: each employee's current position and months in it, and
the reasons of ``rules.eligibility_reasons`` computed in SQL from the same constants."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.rotations import rawsql, rules

_MONTHS = rules.months_between_sql("a.start_date", ":today")
_BUP = rules.retirement_age_sql("p.kind", "p.functional_level")
_JPT = ", ".join(f"'{kind}'" for kind in sorted(rules.JPT_KINDS))
_LEAVE = ", ".join(f"'{s}'" for s in rules.LEAVE_STATUSES)
_GONE = ", ".join(f"'{s}'" for s in rules.GONE_STATUSES)

_REASON_SQL = {
    "no_position": "b.assignment_id IS NULL",
    "too_soon": "b.assignment_id IS NOT NULL AND b.months_in_position < :min_months",
    "first_year": "b.appointment_date + make_interval(months => :first_year_months) > :today",
    "near_retirement": "b.birth_date + make_interval(months => b.retirement_age * 12 "
    "- :retirement_buffer_months) <= :today",
    "sanction": "b.under_sanction",
    "on_leave": f"b.status IN ({_LEAVE})",
}
assert tuple(_REASON_SQL) == rules.REASON_CODES
_REASONS = ", ".join(f"CASE WHEN {cond} THEN '{code}' END" for code, cond in _REASON_SQL.items())

_STANDINGS = f"""
WITH b AS (
    SELECT e.id AS employee_id, e.nip, e.name, e.unit_id, e.rank_code, e.status,
           e.birth_date, e.appointment_date,
           a.id AS assignment_id, a.start_date AS position_start, p.id AS position_id,
           p.title AS position_title, p.kind AS position_kind,
           p.functional_level AS functional_level,
           CAST({_MONTHS} AS integer) AS months_in_position, {_BUP} AS retirement_age,
           EXISTS (
               SELECT 1 FROM sanctions s
               WHERE s.employee_id = e.id AND s.start_date <= :today
                 AND (s.end_date IS NULL OR s.end_date >= :today)
           ) AS under_sanction
    FROM {{people}}
    LEFT JOIN positions p ON p.id = a.position_id
    WHERE e.agency_code = :agency AND e.status NOT IN ({_GONE}) AND {{where}}
), j AS (
    SELECT b.*, array_remove(ARRAY[{_REASONS}], NULL)::text[] AS reasons,
           (b.assignment_id IS NOT NULL AND b.months_in_position >= CASE
                WHEN b.position_kind IN ({_JPT}) THEN :max_months_jpt ELSE :max_months END
           ) AS due
    FROM b
)
SELECT * FROM j WHERE {{outer}} ORDER BY nip LIMIT :limit
"""  # noqa: S608 - the interpolated SQL comes from constants of rules.py

_OPEN = """a.is_primary AND a.start_date <= :today
          AND (a.end_date IS NULL OR a.end_date >= :today)"""
# A page: each person's position by an index probe (a few people, in NIP order).
_PEOPLE_BY_PROBE = f"""employees e
    LEFT JOIN LATERAL (
        SELECT a.id, a.position_id, a.start_date FROM assignments a
        WHERE a.employee_id = e.id AND {_OPEN}
        ORDER BY a.start_date DESC, a.id LIMIT 1
    ) a ON true"""  # noqa: S608 - constants
# Everyone (a round, an enactment): the same current assignment per person, set-based
# (one pass over the agency's assignments, hash joins), and the ids as a joined set.
_PEOPLE_IN_BULK = f"""employees e
    LEFT JOIN (
        SELECT DISTINCT ON (a.employee_id) a.employee_id, a.id, a.position_id, a.start_date
        FROM assignments a JOIN employees ae ON ae.id = a.employee_id
        WHERE ae.agency_code = :agency AND {_OPEN}
        ORDER BY a.employee_id, a.start_date DESC, a.id
    ) a ON a.employee_id = e.id"""  # noqa: S608 - constants


_INTEGERS = (
    "min_months", "max_months", "max_months_jpt", "first_year_months",
    "retirement_buffer_months", "limit",
)  # fmt: skip


class EligibilityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def standings(
        self,
        agency: str,
        policy: rules.Policy,
        today: date,
        *,
        unit_id: uuid.UUID | None = None,
        employee_ids: Sequence[uuid.UUID] | None = None,
        eligible: bool | None = None,
        due: bool | None = None,
        after_nip: str | None = None,
        limit: int | None = None,
    ) -> list[Any]:
        """Rows ordered by NIP: ``reasons`` (empty: eligible) and ``due`` for each active
        employee of ``agency`` (within ``unit_id``'s subtree, or among ``employee_ids``)."""
        where = ["true"]
        outer = ["true"]
        params: dict[str, Any] = {
            "agency": agency, "today": today, "min_months": policy.min_months,
            "max_months": policy.max_months, "max_months_jpt": policy.max_months_jpt,
            "first_year_months": policy.first_year_months,
            "retirement_buffer_months": policy.retirement_buffer_months,
            "limit": limit if limit is not None else 2**31 - 1,
        }  # fmt: skip
        if unit_id is not None:
            where.append(
                "e.unit_id IN (SELECT u.id FROM units u WHERE u.path @> ARRAY[CAST(:unit AS uuid)])"
            )
            params["unit"] = unit_id
        people = _PEOPLE_BY_PROBE if limit is not None else _PEOPLE_IN_BULK
        if employee_ids is not None:
            if limit is None:
                where.append("e.id IN (SELECT unnest(CAST(:ids AS uuid[])))")
            else:
                where.append("e.id = ANY(CAST(:ids AS uuid[]))")
            params["ids"] = list(employee_ids)
        if after_nip is not None:
            where.append("e.nip > :after")
            params["after"] = after_nip
        if eligible is not None:
            outer.append("cardinality(reasons) = 0" if eligible else "cardinality(reasons) > 0")
        if due is not None:
            outer.append("due" if due else "NOT due")
        sql = _STANDINGS.format(people=people, where=" AND ".join(where), outer=" AND ".join(outer))
        stmt = text(sql).bindparams(
            bindparam("today", type_=Date),
            *(bindparam(name, type_=Integer) for name in _INTEGERS),
        )
        if limit is None:  # thousands of rows: decoded by the driver, read by name
            return await rawsql.fetch(self.session, stmt, params)
        return list((await self.session.execute(stmt, params)).mappings().all())
