"""The evaluation's own aggregate statements (one per figure family, both years at once);
the figures other domains already compute are read through their repositories and
services (``evaluation.service``)."""

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ARRAY,
    Date,
    Integer,
    String,
    bindparam,
    cast,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from asn_career.core.auth import Principal
from asn_career.core.db import plan_for_whole_agency
from asn_career.org.models import Agency
from asn_career.talent import rules as talent_rules
from asn_career.talent.evaluation.rules import MIN_EQUITY_GROUP, TALENT_BOXES, ladder_sql
from asn_career.talent.ninebox.repository import years_statement
from asn_career.talent.surveys.rules import rank_group_sql
from asn_career.training.compliance.repository import ComplianceRepository
from asn_career.training.needs.repository import gap_summary_statement
from asn_career.training.rules import MIN_JP_PER_YEAR

_FEEDBACK = text(
    """
    WITH cycles AS (
        SELECT id, CAST(extract(year FROM period_end) AS integer) AS year
        FROM feedback_cycles
        WHERE agency_code = :agency AND state <> 'draft'
          AND period_end BETWEEN :previous_first AND :last
    ), subjects AS (
        SELECT c.year, count(DISTINCT s.employee_id) AS subjects
        FROM cycles c JOIN feedback_subjects s ON s.cycle_id = c.id
        JOIN employees e ON e.id = s.employee_id AND e.status = 'active'
        GROUP BY c.year
    ), requests AS (
        SELECT c.year, count(*) AS invited, count(*) FILTER (WHERE r.status = 'submitted')
               AS submitted
        FROM cycles c JOIN feedback_requests r ON r.cycle_id = c.id
        WHERE r.status <> 'nominated'
        GROUP BY c.year
    )
    SELECT c.year, count(*) AS cycles, max(coalesce(s.subjects, 0)) AS subjects,
           max(coalesce(q.invited, 0)) AS invited, max(coalesce(q.submitted, 0)) AS submitted
    FROM cycles c LEFT JOIN subjects s ON s.year = c.year LEFT JOIN requests q ON q.year = c.year
    GROUP BY c.year
    """
).bindparams(bindparam("previous_first", type_=Date), bindparam("last", type_=Date))

_PROGRAMS = text(
    """
    SELECT y.year, array_remove(array_agg(p.id ORDER BY p.starts_on, p.id), NULL) AS programs
    FROM (VALUES (:year), (:year - 1)) AS y(year)
    LEFT JOIN mentoring_programs p ON p.agency_code = :agency
         AND p.starts_on <= make_date(y.year, 12, 31) AND p.ends_on >= make_date(y.year, 1, 1)
    GROUP BY y.year
    """
).bindparams(bindparam("year", type_=Integer))

_ACTIVE = text("SELECT count(*) FROM employees WHERE agency_code = :agency AND status = 'active'")

_SURVEYS = text(
    """
    SELECT DISTINCT ON (year) year, id, results FROM surveys
    WHERE agency_code = :agency AND state = 'closed' AND year IN (:year, :year - 1)
    ORDER BY year, closed_at DESC, id
    """
).bindparams(bindparam("year", type_=Integer))


class EvaluationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def agency_names(self, principal: Principal, codes: list[str] | None) -> dict[str, str]:
        """The agencies the caller may see (those named, or all), code → name."""
        stmt = select(Agency.code, Agency.name).where(principal.agency_clause(Agency.code))
        if codes is not None:
            stmt = stmt.where(Agency.code.in_(codes))
        return dict((await self.session.execute(stmt.order_by(Agency.code))).all())

    async def active(self, agency: str) -> int:
        return int(await self.session.scalar(_ACTIVE, {"agency": agency}) or 0)

    async def training_groups(self, principal: Principal, agency: str, year: int) -> list[Any]:
        """The JP of the year and the year before, from training compliance's own rows
        (``ComplianceRepository.people``: the same JP and the same staff as the 20 JP
        figure), in one statement: the whole agency (dim ``all``: employees, below 20 JP,
        total JP, both years) and the mean per unit, gender and rank group (groups of at
        least ``MIN_EQUITY_GROUP``). Rows: dim, grp, n, mean_jp, previous_mean_jp, below,
        previous_below, total_jp, previous_total_jp."""
        people = ComplianceRepository.people(principal, agency, year).cte("people")
        jp, previous = people.c.jp, people.c.previous_jp
        measures = (
            func.count().label("n"),
            func.coalesce(func.avg(jp), 0).label("mean_jp"),
            func.coalesce(func.avg(previous), 0).label("previous_mean_jp"),
            func.count().filter(jp < MIN_JP_PER_YEAR).label("below"),
            func.count().filter(previous < MIN_JP_PER_YEAR).label("previous_below"),
            func.coalesce(func.sum(jp), 0).label("total_jp"),
            func.coalesce(func.sum(previous), 0).label("previous_total_jp"),
        )
        groups = {
            "unit": func.coalesce(cast(people.c.unit_path[1], String), "unknown"),
            "gender": people.c.gender,
            "rank_group": literal_column(
                rank_group_sql(f"{people.name}.rank_code", f"{people.name}.employment_type")
            ),
        }
        stmt = union_all(
            select(literal("all").label("dim"), literal("all").label("grp"), *measures),
            *(
                select(literal(dim), expr, *measures)
                .group_by(expr)
                .having(func.count() >= MIN_EQUITY_GROUP)
                for dim, expr in groups.items()
            ),
        )
        return list((await self.session.execute(stmt)).mappings().all())

    async def competency_gap(
        self, principal: Principal, agency: str, years: Sequence[int], today: date
    ) -> dict[int, Any]:
        """Per year: mean gap and counts of the positive needs, each year as of its last
        day or today, through training needs' own aggregate (``gap_summary_statement``: the
        same rule SQL, every year at once, from the history for a past year)."""
        stmt = gap_summary_statement(principal, agency, years, today)
        await plan_for_whole_agency(self.session, work_mem="64MB")
        rows = (await self.session.execute(stmt)).mappings().all()
        empty = {"mean_gap": None, "needs": 0, "employees": 0}
        found = {int(r["year"]): r for r in rows}
        return {y: found.get(y, empty) for y in years}

    async def feedback(self, agency: str, year: int) -> dict[int, Any]:
        params = {
            "agency": agency,
            "previous_first": date(year - 1, 1, 1),
            "last": date(year, 12, 31),
        }
        rows = (await self.session.execute(_FEEDBACK, params)).mappings().all()
        return {int(r["year"]): r for r in rows}

    async def programs(self, agency: str, year: int) -> dict[int, list[uuid.UUID]]:
        rows = await self.session.execute(_PROGRAMS, {"agency": agency, "year": year})
        return {int(y): list(ids or []) for y, ids in rows.all()}

    async def surveys(self, agency: str, year: int) -> dict[int, Any]:
        rows = await self.session.execute(_SURVEYS, {"agency": agency, "year": year})
        return {int(r["year"]): r for r in rows.mappings().all()}

    async def talent_promotion(
        self, policy: talent_rules.Policy, agency: str, years: Sequence[int]
    ) -> dict[int, Any]:
        """For each of ``years``, of those with a 9-box box the year before
        (``talent.ninebox``'s own statement, every year before in the same pass): how many
        were in boxes 7–9 and how many not, and how many of each were promoted in the year
        (a new primary position a step up ``rules.LADDER``). One statement; year → row."""
        top = ", ".join(str(b) for b in TALENT_BOXES)
        step = ladder_sql("p.kind", "p.functional_level")
        with_per, values = years_statement(policy, agency, [y - 1 for y in years])
        sql = f"""
        {with_per},
        prior AS (SELECT employee_id, yr, box FROM per WHERE box IS NOT NULL),
        seq AS (
            SELECT a.employee_id, a.start_date, {step} AS step, lag({step}) OVER w AS prev_step
            FROM assignments a
            JOIN (SELECT DISTINCT employee_id FROM prior) pe ON pe.employee_id = a.employee_id
            JOIN positions p ON p.id = a.position_id
            WHERE a.is_primary
            WINDOW w AS (PARTITION BY a.employee_id ORDER BY a.start_date, a.id)
        ),
        promoted AS (
            SELECT DISTINCT employee_id,
                   CAST(extract(year FROM start_date) AS int) - 1 AS yr
            FROM seq
            WHERE step > prev_step
        )
        SELECT prior.yr + 1 AS year,
               count(*) FILTER (WHERE prior.box IN ({top})) AS top,
               count(pr.employee_id) FILTER (WHERE prior.box IN ({top})) AS top_promoted,
               count(*) FILTER (WHERE prior.box NOT IN ({top})) AS rest,
               count(pr.employee_id) FILTER (WHERE prior.box NOT IN ({top})) AS rest_promoted
        FROM prior
        LEFT JOIN promoted pr ON pr.employee_id = prior.employee_id AND pr.yr = prior.yr
        GROUP BY prior.yr
        """  # noqa: S608 - built from the rules' constants and the policy's checked values
        stmt = text(sql).bindparams(bindparam("sources", type_=ARRAY(String)))
        rows = (await self.session.execute(stmt, values)).mappings().all()
        empty = {"top": 0, "top_promoted": 0, "rest": 0, "rest_promoted": 0}
        found = {int(r["year"]): r for r in rows}
        return {y: found.get(y, empty) for y in years}
