"""Moves (a primary assignment following another of the same person) and the agency's
rotation figures, each one statement."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ARRAY, Date, Integer, Uuid, bindparam, text
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

_MONTHS = rules.months_between_sql("a.start_date", "pr.today")
_BUCKETS = ", ".join(
    f"count(*) FILTER (WHERE months >= {low}"
    + (f" AND months < {high})" if high is not None else ")")
    + f" AS b{n}"
    for n, (low, high) in enumerate(rules.TENURE_BUCKETS)
)
_JPT = ", ".join(f"'{kind}'" for kind in sorted(rules.JPT_KINDS))

# Each period (since, until, today) its own row, ``k`` its place in the lists given: the
# moves are sequenced once, and each person's current primary assignment on the period's
# ``today`` (the latest started, open one) is found set-based for every period at once.
_FIGURES_SQL = f"""
, periods AS (
    SELECT * FROM unnest(CAST(:sinces AS date[]), CAST(:untils AS date[]),
                         CAST(:todays AS date[])) WITH ORDINALITY AS pr(since, until, today, k)
), held AS (
    SELECT a.k, CAST({_MONTHS} AS integer) AS months, p.kind
    FROM (
        SELECT DISTINCT ON (pr.k, a.employee_id) pr.k, pr.today, a.position_id, a.start_date
        FROM periods pr
        JOIN assignments a ON a.is_primary AND a.start_date <= pr.today
             AND (a.end_date IS NULL OR a.end_date >= pr.today)
        JOIN employees e ON e.id = a.employee_id
        WHERE e.agency_code = :agency AND e.status NOT IN ('retired', 'dismissed')
        ORDER BY pr.k, a.employee_id, a.start_date DESC, a.id
    ) a
    JOIN periods pr ON pr.k = a.k
    JOIN positions p ON p.id = a.position_id
), period_moves AS (
    SELECT pr.k, m.from_kind, m.to_kind
    FROM periods pr JOIN moves m ON m.start_date BETWEEN pr.since AND pr.until
)
SELECT
    pr.k,
    (SELECT count(*) FROM held h WHERE h.k = pr.k) AS holding,
    (SELECT count(*) FROM period_moves m WHERE m.k = pr.k) AS moves,
    (SELECT count(*) FROM period_moves m WHERE m.k = pr.k
       AND m.from_kind <> m.to_kind) AS across_kinds,
    (SELECT count(*) FROM held h WHERE h.k = pr.k AND h.months >= CASE WHEN h.kind IN ({_JPT})
       THEN :max_months_jpt ELSE :max_months END) AS past_max,
    (SELECT row_to_json(t) FROM (SELECT {_BUCKETS} FROM held h WHERE h.k = pr.k) t) AS buckets,
    (SELECT coalesce(json_agg(c ORDER BY c.n DESC, c.from_kind, c.to_kind), '[]') FROM (
        SELECT m.from_kind, m.to_kind, count(*) AS n FROM period_moves m
        WHERE m.k = pr.k GROUP BY m.from_kind, m.to_kind) c) AS kinds
FROM periods pr
ORDER BY pr.k
"""  # noqa: S608 - interpolated SQL from constants of rules.py
_FIGURES = text(_MOVES + _FIGURES_SQL).bindparams(
    bindparam("sinces", type_=ARRAY(Date)),
    bindparam("untils", type_=ARRAY(Date)),
    bindparam("todays", type_=ARRAY(Date)),
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
        """The rotation figures of moves from ``since`` to ``until`` and of the positions
        held on ``today``."""
        [row] = await self.figures_of_periods(agency, [(since, until, today)], policy)
        return row

    async def figures_of_periods(
        self, agency: str, periods: Sequence[tuple[date, date, date]], policy: rules.Policy
    ) -> list[Any]:
        """``figures`` of several periods (since, until, today) in one statement, in order."""
        params = {
            "agency": agency,
            "sinces": [p[0] for p in periods],
            "untils": [p[1] for p in periods],
            "todays": [p[2] for p in periods],
            "max_months": policy.max_months,
            "max_months_jpt": policy.max_months_jpt,
        }
        return list((await self.session.execute(_FIGURES, params)).mappings().all())
