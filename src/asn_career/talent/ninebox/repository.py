"""The 9-box, set-based: one statement per agency computes every employee's box for the year
and the year before (for the movement), from SQL built out of ``talent.rules``' constants.

``per_employee_sql`` is the shared core: the agency view, the employee view, the succession
pool and the benchmark all read it, and ``tests/talent/test_parity.py`` pins it to
``rules.nine_box``.
"""

import uuid
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ARRAY, Integer, String, bindparam, select, text
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.db import plan_for_whole_agency
from asn_career.org.models import Position, Unit
from asn_career.profiles.models import Assignment, Employee
from asn_career.rotations.rules import GONE_STATUSES
from asn_career.talent import rules


def per_employee_sql(
    policy: rules.Policy, *, one_employee: bool = False, offsets: tuple[int, ...] = (0, 1)
) -> str:
    """A ``WITH`` body (no leading ``WITH``) ending in ``per``: one row per employee of
    ``:agency`` (still serving) and year (``:year - o`` for each of ``offsets``: by default
    ``:year`` and ``:year - 1``), with the inputs of both axes, the box or the reason for
    none. ``one_employee`` restricts to ``:employee_id``. Every year is computed in the same
    pass, so several years cost one statement."""
    if not offsets or len(set(offsets)) != len(offsets) or min(offsets) < 0:
        raise ValueError("offsets: distinct non-negative year offsets")
    yr = "CAST(:year AS int)"
    # the SKP predicates read: each year's and the year before's
    skp_offsets = range(min(offsets), max(offsets) + 2)

    def by_year(column: Callable[[int], str]) -> str:
        whens = " ".join(f"WHEN {yr} - {o} THEN {column(o)}" for o in offsets)
        return f"CASE y.yr {whens} END"

    level = rules.predicate_level_sql
    if policy.performance_source == "latest":
        perf = f"{level('s.pred')}::numeric"
    else:
        perf = (
            f"round(({level('s.pred')} + coalesce({level('s.prev_pred')}, 0))::numeric"
            f" / (1 + (s.prev_pred IS NOT NULL)::int), 2)"
        )
    cw, fw = policy.competency_weight, policy.feedback_weight if policy.uses_feedback else 0
    # the same arithmetic, in the same order, as rules.potential_score
    weight_sum = (
        f"((CASE WHEN c.cov IS NOT NULL AND {cw} > 0 THEN {cw} ELSE 0 END)"
        f" + (CASE WHEN f.cov IS NOT NULL AND {fw} > 0 THEN {fw} ELSE 0 END))"
    )
    potential = (
        f"(CASE WHEN {weight_sum} > 0 THEN "
        f"(0::float8 + (CASE WHEN c.cov IS NOT NULL AND {cw} > 0 THEN c.cov * {cw} ELSE 0 END)"
        f" + (CASE WHEN f.cov IS NOT NULL AND {fw} > 0 THEN f.cov * {fw} ELSE 0 END))"
        f" / {weight_sum} * 100 END)"
    )
    who = "AND e.id = :employee_id" if one_employee else ""
    gone = rules.sql_list(GONE_STATUSES)
    if policy.uses_feedback:
        feedback = """
        rep AS (
            SELECT DISTINCT ON (r.subject_employee_id, y.yr)
                   r.subject_employee_id AS employee_id, y.yr, r.body, r.published_at
            FROM feedback_reports r
            JOIN feedback_cycles fc ON fc.id = r.cycle_id AND fc.state = 'published'
            JOIN emp ON emp.id = r.subject_employee_id
            CROSS JOIN yrs y
            WHERE r.published_at < make_timestamptz(y.yr + 1, 1, 1, 0, 0, 0, 'Asia/Jakarta')
            ORDER BY r.subject_employee_id, y.yr, r.published_at DESC
        ),
        fbk AS (
            SELECT rep.employee_id, rep.yr,
                   sum(least((d ->> 'others_calibrated_mean')::float8, q.level))::float8
                     / sum(q.level) AS cov,
                   count(*) AS assessed, min(rep.published_at) AS published_at
            FROM rep
            CROSS JOIN LATERAL jsonb_array_elements(rep.body -> 'dimensions') d
            JOIN competencies k ON k.code = d ->> 'code'
                 AND (k.agency_code IS NULL OR k.agency_code = :agency)
            JOIN req q ON q.employee_id = rep.employee_id AND q.competency_id = k.id
            WHERE d ->> 'kind' = 'competency' AND d ->> 'others_calibrated_mean' IS NOT NULL
            GROUP BY rep.employee_id, rep.yr
        )"""
    else:
        feedback = """
        fbk AS (
            SELECT NULL::uuid AS employee_id, NULL::int AS yr, NULL::float8 AS cov,
                   NULL::bigint AS assessed, NULL::timestamptz AS published_at
            WHERE false
        )"""
    return f"""
        yrs AS (SELECT unnest(ARRAY[{", ".join(f"{yr} - {o}" for o in offsets)}]) AS yr),
        emp AS (
            SELECT e.id, e.nip, e.name, e.unit_id, e.position_id, p.kind AS position_kind,
                   p.reports_to_position_id AS superior_id
            FROM employees e
            LEFT JOIN positions p ON p.id = e.position_id
            WHERE e.agency_code = :agency AND e.status NOT IN ({gone}) {who}
        ),
        tgt AS (
            SELECT emp.id AS employee_id,
                   CASE
                     WHEN EXISTS (SELECT 1 FROM position_competencies x
                                  WHERE x.position_id = emp.superior_id) THEN emp.superior_id
                     WHEN EXISTS (SELECT 1 FROM position_competencies x
                                  WHERE x.position_id = emp.position_id) THEN emp.position_id
                   END AS target_id
            FROM emp
        ),
        req AS NOT MATERIALIZED (
            SELECT t.employee_id, pc.competency_id, pc.level
            FROM tgt t JOIN position_competencies pc ON pc.position_id = t.target_id
        ),
        lat AS (
            -- per required competency, the level of the latest calibrated assessment by
            -- each year's end (recorded later wins a tie), both years in one pass: the
            -- aggregates read the rows in the subquery's order (no sort per group)
            SELECT s.employee_id, max(s.required) AS required, {
        ", ".join(
            f"(array_agg(s.level) FILTER (WHERE s.assessed_on <= make_date({yr} - {o}, 12, 31)"
            f"))[1] AS lv{o}"
            for o in offsets
        )
    }
            FROM (
                SELECT a.employee_id, a.competency_id, q.level AS required, a.level,
                       a.assessed_on
                FROM competency_assessments a
                JOIN req q ON q.employee_id = a.employee_id AND q.competency_id = a.competency_id
                WHERE a.source = ANY(:sources)
                ORDER BY a.employee_id, a.competency_id,
                         a.assessed_on DESC, a.created_at DESC, a.id DESC
            ) s
            GROUP BY s.employee_id, s.competency_id
        ),
        cmp AS (
            SELECT employee_id, {
        ", ".join(
            f"sum(least(lv{o}, required)) FILTER (WHERE lv{o} IS NOT NULL)::float8"
            f" / nullif(sum(required) FILTER (WHERE lv{o} IS NOT NULL), 0) AS cov{o},"
            f" count(lv{o}) AS n{o}"
            for o in offsets
        )
    }
            FROM lat GROUP BY employee_id
        ),
        {feedback},
        nreq AS (SELECT employee_id, count(*) AS required FROM req GROUP BY employee_id),
        skp AS (
            SELECT r.employee_id, {
        ", ".join(
            f"max(r.predicate) FILTER (WHERE r.year = {yr} - {k}) AS p{k}" for k in skp_offsets
        )
    }
            FROM performance_ratings r JOIN emp ON emp.id = r.employee_id
            WHERE r.period = 'annual'
              AND r.year BETWEEN {yr} - {skp_offsets[-1]} AND {yr} - {skp_offsets[0]}
            GROUP BY r.employee_id
        ),
        axes AS (
            SELECT emp.id AS employee_id, emp.nip, emp.name, emp.unit_id, emp.position_id,
                   y.yr, s.pred, s.prev_pred, t.target_id, coalesce(n.required, 0) AS required,
                   c.cov AS competency, coalesce(c.assessed, 0) AS competency_assessed,
                   f.cov AS feedback, coalesce(f.assessed, 0) AS feedback_assessed,
                   f.published_at AS feedback_published_at,
                   (CASE WHEN s.pred IS NOT NULL THEN {perf} END) AS performance_level,
                   {potential} AS potential
            FROM emp
            CROSS JOIN yrs y
            JOIN tgt t ON t.employee_id = emp.id
            LEFT JOIN nreq n ON n.employee_id = emp.id
            LEFT JOIN skp k ON k.employee_id = emp.id
            LEFT JOIN cmp m ON m.employee_id = emp.id
            LEFT JOIN fbk f ON f.employee_id = emp.id AND f.yr = y.yr
            CROSS JOIN LATERAL (
                SELECT {by_year(lambda o: f"k.p{o}")} AS pred,
                       {by_year(lambda o: f"k.p{o + 1}")} AS prev_pred
            ) s
            CROSS JOIN LATERAL (
                SELECT {by_year(lambda o: f"m.cov{o}")} AS cov,
                       {by_year(lambda o: f"m.n{o}")} AS assessed
            ) c
        ),
        banded AS (
            SELECT a.*,
                   (CASE WHEN a.performance_level >= {rules.ABOVE_FROM} THEN 'above'
                         WHEN a.performance_level >= {rules.AS_EXPECTED_FROM} THEN 'as_expected'
                         WHEN a.performance_level IS NOT NULL THEN 'below' END) AS performance,
                   (CASE WHEN a.potential >= {policy.potential_high_from} THEN 'high'
                         WHEN a.potential >= {policy.potential_medium_from} THEN 'medium'
                         WHEN a.potential IS NOT NULL THEN 'low' END) AS band
            FROM axes a
        ),
        per AS (
            SELECT b.*,
                   (CASE WHEN b.position_id IS NULL THEN 'no_position'
                         WHEN b.pred IS NULL THEN 'no_skp'
                         WHEN b.target_id IS NULL THEN 'no_requirements'
                         WHEN b.potential IS NULL THEN 'no_potential_data' END) AS reason,
                   (CASE WHEN b.position_id IS NOT NULL AND b.pred IS NOT NULL
                              AND b.target_id IS NOT NULL AND b.potential IS NOT NULL
                         THEN {rules.box_sql("b.performance", "b.band")} END) AS box
            FROM banded b
        )"""  # noqa: S608 - built from the rules' constants and the policy's checked integers


def _bind(sql: str) -> Any:
    return text(sql).bindparams(bindparam("sources", type_=ARRAY(String)))


def params(policy: rules.Policy, agency: str, year: int, **more: Any) -> dict[str, Any]:
    return {"agency": agency, "year": year, "sources": list(policy.assessment_sources), **more}


def years_statement(
    policy: rules.Policy, agency: str, years: Sequence[int], **more: Any
) -> tuple[str, dict[str, Any]]:
    """``WITH <per_employee_sql>`` for the given years (distinct) and its parameters:
    ``:year`` is the latest, the others its offsets."""
    if not years or len(set(years)) != len(years):
        raise ValueError("years: one or more distinct years")
    latest = max(years)
    offsets = tuple(latest - y for y in years)
    return f"WITH {per_employee_sql(policy, offsets=offsets)}", params(
        policy, agency, latest, **more
    )


WORK_MEM = "64MB"


class NineBoxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def agency_view(
        self,
        policy: rules.Policy,
        agency: str,
        year: int,
        *,
        box: int | None,
        unit_id: uuid.UUID | None,
        after_nip: str | None,
        limit: int,
    ) -> Any:
        """One row: counts per box and reason, per unit, the movement from last year, and
        the page of employees (by NIP, filtered by box and unit subtree) as JSON."""
        sql = f"""
        WITH {per_employee_sql(policy)},
        cur AS (SELECT * FROM per WHERE yr = :year),
        prv AS (SELECT * FROM per WHERE yr = :year - 1)
        SELECT
          (SELECT coalesce(jsonb_object_agg(k, n), '{{}}'::jsonb) FROM (
              SELECT coalesce(box::text, reason) AS k, count(*) AS n FROM cur GROUP BY 1) x
          ) AS counts,
          (SELECT coalesce(jsonb_agg(jsonb_build_object(
                    'unit_id', u.id, 'unit_code', u.code, 'unit_name', u.name,
                    'counts', x.counts, 'total', x.total) ORDER BY u.code), '[]'::jsonb)
             FROM (SELECT unit_id, sum(n) AS total,
                          jsonb_object_agg(k, n) AS counts
                     FROM (SELECT unit_id, coalesce(box::text, reason) AS k, count(*) AS n
                             FROM cur GROUP BY 1, 2) y
                    GROUP BY unit_id) x
             JOIN units u ON u.id = x.unit_id
          ) AS units,
          (SELECT coalesce(jsonb_agg(jsonb_build_object('from', f, 'to', t, 'count', n)
                                     ORDER BY f, t), '[]'::jsonb)
             FROM (SELECT coalesce(p.box::text, 'none') AS f, coalesce(c.box::text, 'none') AS t,
                          count(*) AS n
                     FROM cur c JOIN prv p ON p.employee_id = c.employee_id
                    GROUP BY 1, 2) z
          ) AS movement,
          (SELECT coalesce(jsonb_agg(to_jsonb(pg) ORDER BY pg.nip), '[]'::jsonb) FROM (
              SELECT c.nip, c.name, c.unit_id, u.name AS unit_name, c.position_id,
                     c.box, c.reason, c.performance, c.band, c.performance_level,
                     round(c.potential::numeric, 2) AS potential, p.box AS last_box
                FROM cur c
                LEFT JOIN prv p ON p.employee_id = c.employee_id
                LEFT JOIN units u ON u.id = c.unit_id
               WHERE (CAST(:box AS int) IS NULL OR c.box = :box)
                 AND (CAST(:unit_id AS uuid) IS NULL OR u.path @> ARRAY[CAST(:unit_id AS uuid)])
                 AND (CAST(:after_nip AS text) IS NULL OR c.nip > :after_nip)
               ORDER BY c.nip
               LIMIT :limit) pg
          ) AS page
        """  # noqa: S608
        stmt = _bind(sql)
        await plan_for_whole_agency(self.session, work_mem=WORK_MEM, ordered_arrays=True)
        values = params(
            policy, agency, year, box=box, unit_id=unit_id, after_nip=after_nip, limit=limit
        )
        return (await self.session.execute(stmt, values)).one()

    async def agency_list(
        self,
        policy: rules.Policy,
        agency: str,
        year: int,
        *,
        box: int | None,
        unit_id: uuid.UUID | None,
    ) -> list[Any]:
        """Every employee of the year (filtered by box and unit subtree), by NIP, with the
        unit, the position and last year's box: the rows of the spreadsheet."""
        sql = f"""
        WITH {per_employee_sql(policy)},
        cur AS (SELECT * FROM per WHERE yr = :year),
        prv AS (SELECT * FROM per WHERE yr = :year - 1)
        SELECT c.nip, c.name, u.code AS unit_code, u.name AS unit_name,
               p.title AS position_title, c.performance, c.band,
               round(c.potential::numeric, 2) AS potential, c.box, c.reason,
               l.box AS last_box
          FROM cur c
          LEFT JOIN prv l ON l.employee_id = c.employee_id
          LEFT JOIN units u ON u.id = c.unit_id
          LEFT JOIN positions p ON p.id = c.position_id
         WHERE (CAST(:box AS int) IS NULL OR c.box = :box)
           AND (CAST(:unit_id AS uuid) IS NULL OR u.path @> ARRAY[CAST(:unit_id AS uuid)])
         ORDER BY c.nip
        """  # noqa: S608
        await plan_for_whole_agency(self.session, work_mem=WORK_MEM, ordered_arrays=True)
        values = params(policy, agency, year, box=box, unit_id=unit_id)
        return list((await self.session.execute(_bind(sql), values)).all())

    async def employee_rows(
        self, policy: rules.Policy, agency: str, year: int, employee_id: uuid.UUID
    ) -> list[Any]:
        """The employee's rows for the year and the year before, with the target position."""
        sql = f"""
        WITH {per_employee_sql(policy, one_employee=True)}
        SELECT per.*, tp.title AS target_title, tp.code AS target_code
        FROM per LEFT JOIN positions tp ON tp.id = per.target_id
        ORDER BY per.yr DESC
        """  # noqa: S608
        values = params(policy, agency, year, employee_id=employee_id)
        await plan_for_whole_agency(self.session, work_mem=WORK_MEM, ordered_arrays=True)
        return list((await self.session.execute(_bind(sql), values)).mappings().all())

    async def in_boxes(
        self, policy: rules.Policy, agency: str, year: int, boxes: tuple[int, ...]
    ) -> list[Any]:
        """(employee_id, nip, box) of everyone in ``boxes`` for the year."""
        sql = f"""
        WITH {per_employee_sql(policy)}
        SELECT employee_id, nip, box FROM per
        WHERE yr = :year AND box = ANY(:boxes)
        """  # noqa: S608
        stmt = text(sql).bindparams(
            bindparam("sources", type_=ARRAY(String)), bindparam("boxes", type_=ARRAY(Integer))
        )
        values = params(policy, agency, year, boxes=list(boxes))
        await plan_for_whole_agency(self.session, work_mem=WORK_MEM, ordered_arrays=True)
        return list((await self.session.execute(stmt, values)).all())

    async def boxes(self, policy: rules.Policy, agency: str, years: Sequence[int]) -> list[Any]:
        """(employee_id, yr, box, reason) of every employee still serving, for each of
        ``years``, in ONE statement (``per_employee_sql`` with the years' offsets); one year
        is the same code with a single offset."""
        sql, values = years_statement(policy, agency, years)
        sql += " SELECT employee_id, yr, box, reason FROM per ORDER BY yr DESC, employee_id"
        await plan_for_whole_agency(self.session, work_mem=WORK_MEM, ordered_arrays=True)
        return list((await self.session.execute(_bind(sql), values)).all())

    async def succession_positions(self, agency: str, position_id: uuid.UUID | None) -> list[Any]:
        """Managerial positions of the agency (or the one asked for, of any kind), by code,
        with their holder (open primary assignment) and the holder's birth date."""
        holder = (
            select(Assignment.employee_id.label("employee_id"), Assignment.position_id)
            .where(Assignment.is_primary.is_(True), Assignment.end_date.is_(None))
            .subquery()
        )
        stmt = (
            select(
                Position.id, Position.code, Position.title, Position.kind,
                Position.functional_level, Unit.name.label("unit_name"),
                Employee.id.label("holder_id"), Employee.nip.label("holder_nip"),
                Employee.birth_date.label("holder_birth"),
            )
            .join(Unit, Unit.id == Position.unit_id)
            .outerjoin(holder, holder.c.position_id == Position.id)
            .outerjoin(Employee, Employee.id == holder.c.employee_id)
            .where(Position.agency_code == agency)
            .order_by(Position.code, Employee.nip)
            .ext(distinct_on(Position.code))
        )  # fmt: skip
        if position_id is not None:
            stmt = stmt.where(Position.id == position_id)
        else:
            stmt = stmt.where(
                Position.kind.in_(rules.MANAGERIAL_KINDS), Position.is_shared.is_(False)
            )
        return list((await self.session.execute(stmt)).all())
