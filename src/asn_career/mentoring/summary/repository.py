"""The programme's figures, each one aggregate statement in SQL."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncSession

_COVERAGE = text(
    """
    SELECT p.id AS program_id, count(me.id) AS mentees,
           count(*) FILTER (WHERE s.started) AS matched,
           count(*) FILTER (WHERE NOT s.started AND s.proposed) AS proposed
    FROM unnest(CAST(:program_ids AS uuid[])) AS p(id)
    LEFT JOIN mentoring_mentees me ON me.program_id = p.id AND me.active
    LEFT JOIN LATERAL (
        SELECT coalesce(bool_or(mt.state IN ('active', 'completed')), false) AS started,
               coalesce(bool_or(mt.state = 'proposed' AND r.published_at IS NOT NULL), false)
                 AS proposed
        FROM mentoring_matches mt JOIN mentoring_matchings r ON r.id = mt.matching_id
        WHERE mt.mentee_id = me.id
    ) s ON true
    GROUP BY p.id
    """
)
"""Per programme of ``program_ids`` (one row each, zeros when it has no mentee)."""

_LOAD = text(
    """
    SELECT count(*) AS mentors,
           coalesce(sum(coalesce(mo.capacity, :default_capacity)), 0) AS capacity,
           coalesce(sum(l.carried), 0) AS carried,
           avg(l.carried) AS mean_load,
           coalesce(max(l.carried), 0) AS max_load,
           count(*) FILTER (WHERE l.active >= coalesce(mo.capacity, :default_capacity))
             AS at_capacity,
           count(*) FILTER (WHERE l.carried = 0) AS without_mentee
    FROM mentoring_mentors mo
    CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE mt.state IN ('active', 'completed')) AS carried,
               count(*) FILTER (WHERE mt.state = 'active') AS active
        FROM mentoring_matches mt WHERE mt.mentor_id = mo.id
    ) l
    WHERE mo.program_id = :program_id AND mo.active
    """
)

_SESSIONS = text(
    """
    SELECT count(*) AS pairs, coalesce(sum(s.n), 0) AS sessions, avg(s.n) AS mean_per_pair,
           avg(s.minutes) AS mean_minutes_per_pair,
           count(*) FILTER (WHERE s.n = 0) AS pairs_without_session
    FROM mentoring_matches mt
    CROSS JOIN LATERAL (
        SELECT count(*) AS n, coalesce(sum(duration_minutes), 0) AS minutes
        FROM mentoring_sessions WHERE match_id = mt.id
    ) s
    WHERE mt.program_id = :program_id AND mt.state IN ('active', 'completed', 'ended')
    """
)

_SATISFACTION = text(
    """
    SELECT p.id AS program_id, sides.side, count(f.rating) AS responses,
           avg(f.rating) AS mean_rating
    FROM unnest(CAST(:program_ids AS uuid[])) AS p(id)
    CROSS JOIN (VALUES ('mentee'), ('mentor')) AS sides(side)
    LEFT JOIN mentoring_matches mt ON mt.program_id = p.id
    LEFT JOIN mentoring_feedback f ON f.match_id = mt.id AND f.side = sides.side
    GROUP BY p.id, sides.side ORDER BY p.id, sides.side
    """
)
"""Per programme of ``program_ids`` and side (mentee, mentor): responses and mean rating."""

_GROWTH = text(
    """
    WITH mentored AS (
        SELECT DISTINCT me.employee_id, unnest(me.focus) AS competency_id
        FROM mentoring_mentees me
        JOIN mentoring_matches mt ON mt.mentee_id = me.id AND mt.state IN ('active', 'completed')
        WHERE me.program_id = :program_id
    ),
    focus AS (SELECT DISTINCT competency_id FROM mentored),
    kinds AS (
        SELECT DISTINCT p.kind FROM mentored m
        JOIN employees e ON e.id = m.employee_id JOIN positions p ON p.id = e.position_id
    ),
    comparison AS (
        SELECT e.id AS employee_id, f.competency_id
        FROM employees e JOIN positions p ON p.id = e.position_id CROSS JOIN focus f
        WHERE e.agency_code = :agency_code AND e.status = 'active'
          AND p.kind IN (SELECT kind FROM kinds)
          AND e.id NOT IN (SELECT employee_id FROM mentoring_mentees
                           WHERE program_id = :program_id)
          AND e.id NOT IN (SELECT employee_id FROM mentoring_mentors
                           WHERE program_id = :program_id)
    ),
    measured AS (
        SELECT 'mentees' AS grp, employee_id, competency_id FROM mentored
        UNION ALL
        SELECT 'comparison', employee_id, competency_id FROM comparison
    ),
    levels AS (
        SELECT m.grp, m.employee_id,
          coalesce((SELECT a.level FROM competency_assessments a
                    WHERE a.employee_id = m.employee_id AND a.competency_id = m.competency_id
                      AND a.assessed_on <= :starts_on
                    ORDER BY a.assessed_on DESC LIMIT 1), :missing) AS before,
          coalesce((SELECT a.level FROM competency_assessments a
                    WHERE a.employee_id = m.employee_id AND a.competency_id = m.competency_id
                      AND a.assessed_on <= :ends_on
                    ORDER BY a.assessed_on DESC LIMIT 1), :missing) AS after
        FROM measured m
    )
    SELECT groups.grp, count(DISTINCT l.employee_id) AS people, count(l.employee_id) AS pairs,
           avg(l.after - l.before) AS mean_growth,
           avg(CASE WHEN l.after > l.before THEN 1.0 ELSE 0.0 END) AS share_grown
    FROM (VALUES ('mentees'), ('comparison')) AS groups(grp)
    LEFT JOIN levels l ON l.grp = groups.grp
    GROUP BY groups.grp ORDER BY groups.grp DESC
    """
)


class SummaryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _one(self, stmt: Any, **params: Any) -> Row[Any]:
        return (await self.session.execute(stmt, params)).one()

    async def coverage(self, program_id: uuid.UUID) -> Row[Any]:
        return (await self.coverage_of([program_id]))[program_id]

    async def coverage_of(self, program_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Row[Any]]:
        """``coverage`` of several programmes in one statement (the career evaluation's)."""
        rows = await self.session.execute(_COVERAGE, {"program_ids": list(program_ids)})
        return {r.program_id: r for r in rows.all()}

    async def load(self, program_id: uuid.UUID, default_capacity: int) -> Row[Any]:
        return await self._one(_LOAD, program_id=program_id, default_capacity=default_capacity)

    async def sessions(self, program_id: uuid.UUID) -> Row[Any]:
        return await self._one(_SESSIONS, program_id=program_id)

    async def satisfaction(self, program_id: uuid.UUID) -> list[Row[Any]]:
        return (await self.satisfaction_of([program_id]))[program_id]

    async def satisfaction_of(
        self, program_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[Row[Any]]]:
        """``satisfaction`` of several programmes in one statement, per programme."""
        rows = await self.session.execute(_SATISFACTION, {"program_ids": list(program_ids)})
        found: dict[uuid.UUID, list[Row[Any]]] = {pid: [] for pid in program_ids}
        for r in rows.all():
            found[r.program_id].append(r)
        return found

    async def growth(
        self, program_id: uuid.UUID, agency_code: str, starts_on: date, ends_on: date, missing: int
    ) -> list[Row[Any]]:
        params = {
            "program_id": program_id,
            "agency_code": agency_code,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "missing": missing,
        }
        return list((await self.session.execute(_GROWTH, params)).all())

    async def matches(self, program_id: uuid.UUID) -> list[Row[Any]]:
        """Every match of the programme's published runs, with people, sessions, ratings."""
        stmt = text(
            """
            SELECT mt.id, r.id AS matching_id, mt.state, mte.nip AS mentee_nip,
                   mte.name AS mentee_name, mre.nip AS mentor_nip, mre.name AS mentor_name,
                   mt.score, mt.pinned, mt.started_on, mt.ended_on,
                   (SELECT count(*) FROM mentoring_sessions s WHERE s.match_id = mt.id)
                     AS sessions,
                   (SELECT rating FROM mentoring_feedback f
                    WHERE f.match_id = mt.id AND f.side = 'mentee') AS mentee_rating,
                   (SELECT rating FROM mentoring_feedback f
                    WHERE f.match_id = mt.id AND f.side = 'mentor') AS mentor_rating
            FROM mentoring_matches mt
            JOIN mentoring_matchings r ON r.id = mt.matching_id AND r.published_at IS NOT NULL
            JOIN mentoring_mentees me ON me.id = mt.mentee_id
            JOIN employees mte ON mte.id = me.employee_id
            JOIN mentoring_mentors mo ON mo.id = mt.mentor_id
            JOIN employees mre ON mre.id = mo.employee_id
            WHERE mt.program_id = :program_id
            ORDER BY mte.nip, r.published_at, mt.id
            """
        )
        return list((await self.session.execute(stmt, {"program_id": program_id})).all())
