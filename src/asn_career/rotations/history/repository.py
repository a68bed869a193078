"""Moves (a primary assignment following another of the same person) and the agency's
rotation figures, each one statement."""

from datetime import date
from typing import Any

from sqlalchemy import Date, Integer, Uuid, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.rotations import rules

_MOVES = """
WITH seq AS (
    SELECT a.id, a.employee_id, a.position_id, a.start_date, a.decree_number,
           lag(a.position_id) OVER w AS from_position_id
    FROM assignments a JOIN employees e ON e.id = a.employee_id
    WHERE a.is_primary AND e.agency_code = :agency
    WINDOW w AS (PARTITION BY a.employee_id ORDER BY a.start_date, a.id)
), moves AS (
    SELECT s.*, e.nip, e.name, tp.title AS to_title, tu.name AS to_unit, tu.kind AS to_kind,
           fp.title AS from_title, fu.name AS from_unit, fu.kind AS from_kind
    FROM seq s
    JOIN employees e ON e.id = s.employee_id
    JOIN positions tp ON tp.id = s.position_id JOIN units tu ON tu.id = tp.unit_id
    JOIN positions fp ON fp.id = s.from_position_id JOIN units fu ON fu.id = fp.unit_id
    WHERE s.from_position_id IS NOT NULL AND s.from_position_id <> s.position_id
)
"""

_PAGE = text(
    _MOVES
    + """
SELECT * FROM moves
WHERE start_date BETWEEN :since AND :until
  AND (CAST(:after_date AS date) IS NULL OR (start_date, id) < (:after_date, :after_id))
ORDER BY start_date DESC, id DESC LIMIT :limit
"""
).bindparams(
    bindparam("since", type_=Date),
    bindparam("until", type_=Date),
    bindparam("after_date", type_=Date),
    bindparam("after_id", type_=Uuid),
    bindparam("limit", type_=Integer),
)

_MONTHS = rules.months_between_sql("a.start_date", ":today")
_BUCKETS = ", ".join(
    f"count(*) FILTER (WHERE months >= {low}"
    + (f" AND months < {high})" if high is not None else ")")
    + f" AS b{n}"
    for n, (low, high) in enumerate(rules.TENURE_BUCKETS)
)
_JPT = ", ".join(f"'{kind}'" for kind in sorted(rules.JPT_KINDS))

_FIGURES_SQL = f"""
, held AS (
    SELECT CAST({_MONTHS} AS integer) AS months, p.kind
    FROM employees e
    JOIN LATERAL (
        SELECT a.position_id, a.start_date FROM assignments a
        WHERE a.employee_id = e.id AND a.is_primary AND a.start_date <= :today
          AND (a.end_date IS NULL OR a.end_date >= :today)
        ORDER BY a.start_date DESC, a.id LIMIT 1
    ) a ON true
    JOIN positions p ON p.id = a.position_id
    WHERE e.agency_code = :agency AND e.status NOT IN ('retired', 'dismissed')
)
SELECT
    (SELECT count(*) FROM held) AS holding,
    (SELECT count(*) FROM moves WHERE start_date BETWEEN :since AND :until) AS moves,
    (SELECT count(*) FROM moves WHERE start_date BETWEEN :since AND :until
       AND from_kind <> to_kind) AS across_kinds,
    (SELECT count(*) FROM held WHERE months >= CASE WHEN kind IN ({_JPT})
       THEN :max_months_jpt ELSE :max_months END) AS past_max,
    (SELECT row_to_json(t) FROM (SELECT {_BUCKETS} FROM held) t) AS buckets,
    (SELECT coalesce(json_agg(k ORDER BY k.n DESC, k.from_kind, k.to_kind), '[]') FROM (
        SELECT from_kind, to_kind, count(*) AS n FROM moves
        WHERE start_date BETWEEN :since AND :until GROUP BY from_kind, to_kind) k) AS kinds
"""  # noqa: S608 - interpolated SQL from constants of rules.py
_FIGURES = text(_MOVES + _FIGURES_SQL).bindparams(
    bindparam("since", type_=Date),
    bindparam("until", type_=Date),
    bindparam("today", type_=Date),
    bindparam("max_months", type_=Integer),
    bindparam("max_months_jpt", type_=Integer),
)


class HistoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def moves(
        self, agency: str, since: date, until: date, after: tuple[date, str] | None, limit: int
    ) -> list[Any]:
        params = {
            "agency": agency,
            "since": since,
            "until": until,
            "limit": limit,
            "after_date": after[0] if after else None,
            "after_id": after[1] if after else None,
        }
        return list((await self.session.execute(_PAGE, params)).mappings().all())

    async def figures(
        self, agency: str, since: date, until: date, today: date, policy: rules.Policy
    ) -> Any:
        params = {
            "agency": agency,
            "since": since,
            "until": until,
            "today": today,
            "max_months": policy.max_months,
            "max_months_jpt": policy.max_months_jpt,
        }
        return (await self.session.execute(_FIGURES, params)).mappings().one()
