"""The professionalism index, set-based: one statement scores every employee of an agency
for a year (``per_employee_sql``) from SQL built out of ``talent.rules``' constants; the
aggregates group it per unit and for the agency. ``tests/talent/test_parity.py`` pins it to
``rules.professionalism_index``."""

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.db import plan_for_whole_agency
from asn_career.rotations.rules import GONE_STATUSES
from asn_career.talent import rules as r


def per_employee_sql(*, one_employee: bool = False) -> str:
    """A ``WITH`` body ending in ``ipx``: one row per employee of ``:agency`` still serving
    (or ``:employee_id``) with the four dimensions, their parts, total and category."""
    who = "AND e.id = :employee_id" if one_employee else ""
    tech_forms = r.sql_list(r.TECHNICAL_FORMS)
    seminar_forms = r.sql_list(r.SEMINAR_FORMS)
    leads = ", ".join(
        f"CASE WHEN lower(d.title) ~ '{pattern}' THEN '{kind}' END"
        for kind, pattern in r.LEADERSHIP_PATTERNS.items()
    )
    managerial = r.sql_list(r.MANAGERIAL_KINDS)
    two_tracks = r.sql_list([*r.MANAGERIAL_KINDS, "fungsional"])
    seminar_points = (
        f"(CASE WHEN emp.kind IN ({two_tracks}) THEN {r.seminar_points('fungsional')}"
        f" ELSE {r.seminar_points(None)} END)"
    )
    recent = f"make_date(:year - {r.RECENT_YEARS - 1}, 1, 1)"
    qualification_order = ", ".join(f"'{c}'" for c in r.QUALIFICATION_ORDER)
    gone = r.sql_list(GONE_STATUSES)
    return f"""
        emp AS (
            SELECT e.id, e.nip, e.name, e.unit_id, p.kind
            FROM employees e LEFT JOIN positions p ON p.id = e.position_id
            WHERE e.agency_code = :agency AND e.status NOT IN ({gone}) {who}
        ),
        edu AS (
            SELECT ed.employee_id,
                   (ARRAY[{qualification_order}]::text[])[
                       max(array_position(ARRAY[{qualification_order}]::text[],
                                          ed.level_code::text))] AS level_code
            FROM employee_education ed JOIN emp ON emp.id = ed.employee_id
            WHERE ed.graduation_year IS NULL OR ed.graduation_year <= :year
            GROUP BY ed.employee_id
        ),
        ttl AS MATERIALIZED (
            -- each distinct title classified once (MATERIALIZED: inlined, the regular
            -- expressions ran once per training row and took seconds)
            SELECT d.title, array_remove(ARRAY[{leads}]::text[], NULL) AS leads,
                   lower(d.title) LIKE '%{r.FUNCTIONAL_PATTERN}%' AS functional
            FROM (SELECT DISTINCT t.title
                  FROM trainings t JOIN emp ON emp.id = t.employee_id) d
        ),
        trn AS (
            SELECT t.employee_id,
                   bool_or(t.form IN ({tech_forms}) AND emp.kind = ANY(c.leads)) AS leadership,
                   bool_or(t.form IN ({tech_forms}) AND c.functional) AS functional,
                   coalesce(sum(t.hours_jp) FILTER (
                       WHERE t.form IN ({tech_forms}) AND NOT c.functional
                         AND cardinality(c.leads) = 0 AND t.start_date >= {recent}
                   ), 0) AS technical_jp,
                   count(*) FILTER (
                       WHERE t.form IN ({seminar_forms}) AND t.start_date >= {recent}
                   ) AS seminars
            FROM trainings t
            JOIN emp ON emp.id = t.employee_id
            JOIN ttl c ON c.title = t.title
            WHERE t.start_date <= make_date(:year, 12, 31)
            GROUP BY t.employee_id
        ),
        dis AS (
            SELECT s.employee_id, max({r.severity_rank_sql("s.severity")}) AS worst
            FROM sanctions s JOIN emp ON emp.id = s.employee_id
            WHERE s.start_date BETWEEN make_date(:year - {r.DISCIPLINE_YEARS - 1}, 1, 1)
                                   AND make_date(:year, 12, 31)
            GROUP BY s.employee_id
        ),
        parts AS (
            SELECT emp.id AS employee_id, emp.nip, emp.name, emp.unit_id, emp.kind,
                   edu.level_code,
                   {r.qualification_sql("edu.level_code")} AS qualification,
                   (CASE WHEN emp.kind IN ({managerial}) AND coalesce(trn.leadership, false)
                         THEN {r.TRACK_POINTS} ELSE 0 END) AS leadership,
                   (CASE WHEN emp.kind = 'fungsional' AND coalesce(trn.functional, false)
                         THEN {r.TRACK_POINTS} ELSE 0 END) AS functional,
                   (CASE WHEN coalesce(trn.technical_jp, 0) >= {r.TECHNICAL_MIN_JP}
                         THEN {r.TRACK_POINTS} ELSE 0 END) AS technical,
                   (CASE WHEN coalesce(trn.seminars, 0) > 0 THEN {seminar_points} ELSE 0 END)
                     AS seminar,
                   coalesce(trn.technical_jp, 0) AS technical_jp,
                   coalesce(trn.seminars, 0) AS seminars,
                   pr.score, pr.predicate,
                   {r.performance_points_sql("pr.score", "pr.predicate")} AS performance,
                   dis.worst,
                   {r.discipline_points_sql("dis.worst")} AS discipline
            FROM emp
            LEFT JOIN edu ON edu.employee_id = emp.id
            LEFT JOIN trn ON trn.employee_id = emp.id
            LEFT JOIN dis ON dis.employee_id = emp.id
            LEFT JOIN performance_ratings pr ON pr.employee_id = emp.id
                 AND pr.year = :year AND pr.period = 'annual'
        ),
        ipx AS (
            SELECT parts.*,
                   leadership + functional + technical + seminar AS competency,
                   qualification + leadership + functional + technical + seminar
                     + performance + discipline AS total
            FROM parts
        ),
        ipc AS (
            SELECT ipx.*, {r.category_sql("ipx.total")} AS category FROM ipx
        )"""  # noqa: S608 - built from the rules' constants


WORK_MEM = "64MB"


class ProfessionalismRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def employee(self, agency: str, year: int, employee_id: uuid.UUID) -> Any:
        sql = f"WITH {per_employee_sql(one_employee=True)} SELECT * FROM ipc"  # noqa: S608
        values = {"agency": agency, "year": year, "employee_id": employee_id}
        await plan_for_whole_agency(self.session, work_mem=WORK_MEM)
        return (await self.session.execute(text(sql), values)).mappings().one_or_none()

    async def per_employee(self, agency: str, year: int) -> list[Any]:
        """Every employee's index with the unit, by NIP: the rows of the spreadsheet."""
        sql = f"""
        WITH {per_employee_sql()}
        SELECT ipc.nip, ipc.name, un.code AS unit_code, un.name AS unit_name,
               ipc.qualification, ipc.competency, ipc.performance, ipc.discipline,
               ipc.total, ipc.category
        FROM ipc LEFT JOIN units un ON un.id = ipc.unit_id
        ORDER BY ipc.nip
        """  # noqa: S608
        await plan_for_whole_agency(self.session, work_mem=WORK_MEM)
        return list((await self.session.execute(text(sql), {"agency": agency, "year": year})).all())

    async def aggregate(self, agency: str, year: int) -> Any:
        """One row: the agency's figures and the units' as JSON (count, mean of the total
        and of each dimension, category counts, how many miss a dimension's data)."""
        figures = """
            count(*) AS employees,
            round(avg(total), 2) AS mean,
            round(avg(qualification), 2) AS qualification,
            round(avg(competency), 2) AS competency,
            round(avg(performance), 2) AS performance,
            round(avg(discipline), 2) AS discipline,
            count(*) FILTER (WHERE level_code IS NULL) AS missing_qualification,
            count(*) FILTER (WHERE predicate IS NULL) AS missing_performance"""
        categories = ", ".join(
            f"'{c}', count(*) FILTER (WHERE category = '{c}')" for c in r.CATEGORY_CODES
        )
        sql = f"""
        WITH {per_employee_sql()}
        SELECT
          (SELECT to_jsonb(a) FROM (
              SELECT {figures}, jsonb_build_object({categories}) AS categories FROM ipc) a
          ) AS agency,
          (SELECT coalesce(jsonb_agg(to_jsonb(u) ORDER BY u.unit_code), '[]'::jsonb) FROM (
              SELECT ipc.unit_id, un.code AS unit_code, un.name AS unit_name, {figures},
                     jsonb_build_object({categories}) AS categories
              FROM ipc JOIN units un ON un.id = ipc.unit_id
              GROUP BY ipc.unit_id, un.code, un.name) u
          ) AS units
        """  # noqa: S608
        await plan_for_whole_agency(self.session, work_mem=WORK_MEM)
        return (await self.session.execute(text(sql), {"agency": agency, "year": year})).one()
