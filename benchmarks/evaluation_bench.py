"""Career evaluation of one agency of 25,000 employees with five years of history, against
a plain aggregate over the same tables in the same run.

    createdb -h 127.0.0.1 -U postgres asn_bench_eval
    ASN_CAREER_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/asn_bench_eval \
        .venv/bin/alembic upgrade head
    .venv/bin/python benchmarks/evaluation_bench.py \
        --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/asn_bench_eval \
        [--employees 25000] [--rounds 3] [--year 2026]

The generator (``generate``, set-based SQL, run once: it skips an agency already there)
makes agency ``99.01``: 40 perangkat daerah with 4 bidang each, a position per employee
with three competency requirements, employees of both genders over ranks II/a–IV/c and
some PPPK, current competency levels, a primary assignment each with a move for about 12 %
a year over five years, 1–4 trainings per person and year for five years, a 360° cycle a
year (40 % of staff as subjects, five requests each, most submitted), a mentoring
programme a year (5 % mentees, matched and rated), and a closed survey of this year with
60 % responding (results built by the survey's own code).

Timed, each the median of ``--rounds``, in alternating order: the evaluation
(``EvaluationService.evaluate``, the route's whole work: every figure, both years) and two
baselines on a bare asyncpg connection. ``PLAIN_FAMILIES`` is, per figure family, the
plain aggregates over the tables that family reads, joined as it joins them, for the
figure and last year's value, without the rules: the kind of baseline the 9-box and index
rows use, and the ratio the goal (within 3×) is read against. ``TABLE_COUNTS`` is the
strictest reading, one count per table with no join between tables; its ratio is printed
too. Then each family's own time against its plain aggregates.

``benchmarks/talent_bench.py`` times the same evaluation, as its third row, on the talent
generator's data (``benchmarks/talent_data.py``: no 360°, mentoring or surveys there); this
file keeps the generator that has them and the baselines both use.
"""

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

AGENCY = "99.01"
YEARS = 5

GENERATE = """
INSERT INTO agencies (code, name, region_code) VALUES (:agency, 'Kabupaten Benchmark', :agency);
INSERT INTO units (id, agency_code, code, name, kind, parent_id, path)
SELECT md5('top' || g)::uuid, :agency, 'OPD' || g, 'Perangkat Daerah ' || g, 'dinas', NULL,
       ARRAY[md5('top' || g)::uuid]
FROM generate_series(1, 40) g;
INSERT INTO units (id, agency_code, code, name, kind, parent_id, path)
SELECT md5('sub' || g || '-' || s)::uuid, :agency, 'OPD' || g || '-B' || s, 'Bidang ' || s,
       'bidang', md5('top' || g)::uuid,
       ARRAY[md5('top' || g)::uuid, md5('sub' || g || '-' || s)::uuid]
FROM generate_series(1, 40) g, generate_series(1, 4) s;
CREATE TEMP TABLE bench_people AS
SELECT n, md5('emp' || n)::uuid AS id, md5('pos' || n)::uuid AS position_id,
       md5('old' || n)::uuid AS old_position_id,
       md5('sub' || (1 + n % 40) || '-' || (1 + (n / 40) % 4))::uuid AS unit_id
FROM generate_series(1, :employees) n;
INSERT INTO positions (id, agency_code, unit_id, code, title, kind)
SELECT position_id, :agency, unit_id, 'P' || n, 'Jabatan ' || n,
       (ARRAY['pelaksana', 'fungsional', 'pengawas', 'administrator'])[1 + n % 4]
FROM bench_people
UNION ALL
SELECT old_position_id, :agency, unit_id, 'O' || n, 'Jabatan lama ' || n, 'pelaksana'
FROM bench_people;
INSERT INTO position_competencies (position_id, competency_id, level)
SELECT p.position_id, c.id, 2 + (p.n + c.id) % 3
FROM bench_people p CROSS JOIN LATERAL (
    SELECT id FROM competencies ORDER BY id OFFSET p.n % 6 LIMIT 3) c;
INSERT INTO employees (id, nip, name, gender, birth_date, employment_type, appointment_date,
                       rank_code, status, agency_code, unit_id, position_id)
SELECT id, to_char(DATE '1970-01-01' + n / 900, 'YYYYMMDD') || '200501'
       || CASE WHEN n % 2 = 0 THEN '1' ELSE '2' END || lpad((1 + n % 900)::text, 3, '0'),
       'Pegawai ' || n, CASE WHEN n % 2 = 0 THEN 'M' ELSE 'F' END, DATE '1970-01-01' + n / 900,
       CASE WHEN n % 10 = 0 THEN 'pppk' ELSE 'pns' END, DATE '2005-01-01',
       CASE WHEN n % 10 = 0 THEN 'IX' ELSE
         (ARRAY['II/a','II/c','III/a','III/b','III/c','III/d','IV/a','IV/b','IV/c'])[1 + n % 9] END,
       'active', :agency, unit_id, position_id
FROM bench_people;
INSERT INTO employee_competency_levels (employee_id, competency_id, level, source, assessed_on)
SELECT p.id, c.id, 1 + (p.n * 7 + c.id) % 4, 'assessment_center', DATE '2025-06-01'
FROM bench_people p CROSS JOIN LATERAL (
    SELECT id FROM competencies ORDER BY id OFFSET p.n % 6 LIMIT 3) c;
INSERT INTO assignments (id, employee_id, position_id, start_date, end_date, is_primary)
SELECT md5('a-old' || n)::uuid, id, old_position_id, DATE '2015-01-01',
       make_date(:year - (n % 5), 1 + n % 12, 1) - 1, true
FROM bench_people WHERE n % 8 = 0
UNION ALL
SELECT md5('a' || n)::uuid, id, position_id,
       CASE WHEN n % 8 = 0 THEN make_date(:year - (n % 5), 1 + n % 12, 1)
            ELSE DATE '2015-01-01' END,
       NULL, true
FROM bench_people;
INSERT INTO trainings (id, employee_id, title, hours_jp, start_date, form)
SELECT md5('t' || p.n || '-' || y || '-' || k)::uuid, p.id, 'Pelatihan ' || k,
       4 + (p.n * 13 + y * 7 + k * 3) % 20, make_date(y, 1 + (p.n + k) % 12, 1), 'training'
FROM bench_people p, generate_series(:year - 4, :year) y,
     LATERAL generate_series(1, 1 + (p.n + y) % 4) k;
INSERT INTO feedback_cycles (id, agency_code, name, period_start, period_end, questionnaire_id,
                             deadline, state)
SELECT md5('cycle' || y)::uuid, :agency, '360 ' || y, make_date(y, 1, 1), make_date(y, 6, 30),
       (SELECT id FROM feedback_questionnaires ORDER BY id LIMIT 1), make_date(y, 7, 1),
       'published'
FROM generate_series(:year - 4, :year) y;
INSERT INTO feedback_subjects (cycle_id, employee_id)
SELECT md5('cycle' || y)::uuid, p.id
FROM bench_people p, generate_series(:year - 4, :year) y WHERE (p.n + y) % 5 < 2;
INSERT INTO feedback_requests (id, cycle_id, subject_employee_id, rater_employee_id,
                               relationship, status, origin, reason_code, reason)
SELECT md5('rq' || s.employee_id || s.cycle_id || k)::uuid, s.cycle_id, s.employee_id,
       md5('emp' || (1 + (abs(hashtext(s.employee_id::text)) + k * 97) % :employees))::uuid,
       'peer', CASE WHEN k < 5 THEN 'submitted' ELSE 'pending' END, 'generated', 'peer', 'rekan'
FROM feedback_subjects s, generate_series(1, 5) k
WHERE s.cycle_id IN (SELECT id FROM feedback_cycles WHERE agency_code = :agency)
ON CONFLICT DO NOTHING;
INSERT INTO mentoring_programs (id, agency_code, name, starts_on, ends_on, weights)
SELECT md5('prog' || y)::uuid, :agency, 'Mentoring ' || y, make_date(y, 2, 1),
       make_date(y, 11, 30), '{}'::jsonb
FROM generate_series(:year - 4, :year) y;
INSERT INTO mentoring_matchings (id, program_id, agency_code, status, objective)
SELECT md5('run' || y)::uuid, md5('prog' || y)::uuid, :agency, 'published', 'score'
FROM generate_series(:year - 4, :year) y;
INSERT INTO mentoring_mentors (id, program_id, employee_id, added_by)
SELECT md5('mo' || p.n || '-' || y)::uuid, md5('prog' || y)::uuid, p.id, 'hr'
FROM bench_people p, generate_series(:year - 4, :year) y WHERE (p.n + y) % 40 = 1;
INSERT INTO mentoring_mentees (id, program_id, employee_id, focus_source)
SELECT md5('me' || p.n || '-' || y)::uuid, md5('prog' || y)::uuid, p.id, 'given'
FROM bench_people p, generate_series(:year - 4, :year) y WHERE (p.n + y) % 20 = 3;
INSERT INTO mentoring_matches (id, program_id, matching_id, agency_code, mentor_id, mentee_id,
                               state, score, parts)
SELECT md5('mt' || me.id)::uuid, me.program_id, md5('run' || y)::uuid, :agency,
       (SELECT mo.id FROM mentoring_mentors mo WHERE mo.program_id = me.program_id
        ORDER BY mo.id OFFSET abs(hashtext(me.id::text)) % (
            SELECT count(*) FROM mentoring_mentors c WHERE c.program_id = me.program_id)
        LIMIT 1),
       me.id, 'completed', 0.7, '{}'::jsonb
FROM mentoring_mentees me, generate_series(:year - 4, :year) y
WHERE me.program_id = md5('prog' || y)::uuid;
INSERT INTO mentoring_feedback (id, match_id, side, rating)
SELECT md5('fb' || id)::uuid, id, 'mentee', 3 + abs(hashtext(id::text)) % 3
FROM mentoring_matches WHERE agency_code = :agency;
"""

PLAIN_NINE_BOX = """
    SELECT y.year, e.unit_id, p.predicate, count(DISTINCT e.id) AS n,
           avg(least(a.level, pc.level)::float8 / pc.level) AS mean_coverage
    FROM unnest($2::int[]) AS y(year)
    JOIN performance_ratings p ON p.year = y.year AND p.period = 'annual'
    JOIN employees e ON e.id = p.employee_id
    LEFT JOIN position_competencies pc ON pc.position_id = e.position_id
    LEFT JOIN competency_assessments a ON a.employee_id = e.id
         AND a.competency_id = pc.competency_id
         AND a.source = 'assessment_center' AND a.assessed_on <= make_date(y.year, 12, 31)
    WHERE e.agency_code = $1
    GROUP BY y.year, e.unit_id, p.predicate
"""
"""The 9-box's plain aggregate for the years ``$2``: employees, the year's annual SKP, the
own position's requirements and the assessment-centre levels on them (every assessment up
to the year, not the latest; the own position, not the next level; no rule)."""

HELD_AT_YEAR_ENDS = """
    FROM (VALUES ($2::int), ($2::int - 1)) AS y(year)
    JOIN assignments a ON a.is_primary
         AND a.start_date <= make_date(y.year, 12, 31)
         AND (a.end_date IS NULL OR a.end_date >= make_date(y.year, 12, 31))
    JOIN employees e ON e.id = a.employee_id"""
"""The primary assignment each employee held at the end of the year and the year before."""

PLAIN_FAMILIES: dict[str, tuple[tuple[str, str], ...]] = {
    # family (as ``family_times`` names it) → its plain aggregates: (SQL, "year" | "years")
    "20 JP and training equity (compliance rows)": ((
        """SELECT e.unit_id, e.gender, e.rank_code, count(DISTINCT e.id) AS n,
                  sum(t.hours_jp) FILTER (WHERE t.start_date >= make_date($2::int, 1, 1)) AS jp,
                  sum(t.hours_jp) FILTER (WHERE t.start_date < make_date($2::int, 1, 1)) AS prev
           FROM employees e
           LEFT JOIN trainings t ON t.employee_id = e.id
                AND t.start_date BETWEEN make_date($2::int - 1, 1, 1) AND make_date($2::int, 12, 31)
           WHERE e.agency_code = $1 AND e.status = 'active'
           GROUP BY e.unit_id, e.gender, e.rank_code""", "year"),),
    "competency gap (training.needs)": ((
        """SELECT y.year, count(*) AS needs, avg(pc.level - coalesce(l.level, 0)) AS mean_gap,
                  count(p.predicate) AS rated"""
        + HELD_AT_YEAR_ENDS
        + """
           JOIN position_competencies pc ON pc.position_id = a.position_id
           LEFT JOIN employee_competency_levels l ON l.employee_id = e.id
                AND l.competency_id = pc.competency_id
           LEFT JOIN performance_ratings p ON p.employee_id = e.id AND p.year = y.year
                AND p.period = 'annual'
           WHERE e.agency_code = $1 AND e.status = 'active'
           GROUP BY y.year""", "year"),),
    "360° participation, completion": (
        ("""SELECT extract(year FROM c.period_end) AS year, count(DISTINCT s.employee_id)
            FROM feedback_cycles c JOIN feedback_subjects s ON s.cycle_id = c.id
            WHERE c.agency_code = $1 AND extract(year FROM c.period_end) IN ($2::int, $2::int - 1)
            GROUP BY 1""", "year"),
        ("""SELECT extract(year FROM c.period_end) AS year, count(*),
                   count(*) FILTER (WHERE r.status = 'submitted')
            FROM feedback_cycles c JOIN feedback_requests r ON r.cycle_id = c.id
            WHERE c.agency_code = $1 AND extract(year FROM c.period_end) IN ($2::int, $2::int - 1)
            GROUP BY 1""", "year"),
    ),
    "mentoring (summary SQL)": (
        ("""SELECT p.id, count(*) FROM mentoring_mentees m
            JOIN mentoring_programs p ON p.id = m.program_id
            WHERE p.agency_code = $1 AND extract(year FROM p.starts_on) IN ($2::int, $2::int - 1)
            GROUP BY p.id""", "year"),
        ("""SELECT m.program_id, count(*), avg(f.rating) FROM mentoring_feedback f
            JOIN mentoring_matches m ON m.id = f.match_id
            JOIN mentoring_programs p ON p.id = m.program_id
            WHERE m.agency_code = $1 AND extract(year FROM p.starts_on) IN ($2::int, $2::int - 1)
            GROUP BY m.program_id""", "year"),
    ),
    "rotation, tenure (history SQL)": ((
        """SELECT y.year, count(*) AS held,
                  count(*) FILTER (WHERE a.start_date >= make_date(y.year, 1, 1)) AS started,
                  avg(make_date(y.year, 12, 31) - a.start_date) AS mean_days,
                  count(DISTINCT p.kind) AS kinds
           FROM (VALUES ($2::int), ($2::int - 1)) AS y(year)
           JOIN assignments a ON a.is_primary AND a.start_date <= make_date(y.year, 12, 31)
                AND (a.end_date IS NULL OR a.end_date >= make_date(y.year, 1, 1))
           JOIN employees e ON e.id = a.employee_id
           JOIN positions p ON p.id = a.position_id
           WHERE e.agency_code = $1
           GROUP BY y.year""", "year"),),
    "placement fit (rotations.fit)": ((
        """SELECT y.year, count(DISTINCT e.id) AS holders,
                  avg(least(l.level, pc.level)::float8 / pc.level) AS coverage,
                  count(DISTINCT d.employee_id) AS educated"""
        + HELD_AT_YEAR_ENDS
        + """
           JOIN positions ps ON ps.id = a.position_id
           LEFT JOIN position_competencies pc ON pc.position_id = ps.id
           LEFT JOIN employee_competency_levels l ON l.employee_id = e.id
                AND l.competency_id = pc.competency_id
           LEFT JOIN employee_education d ON d.employee_id = e.id
                AND d.field = ANY (ps.preferred_education_fields)
           WHERE e.agency_code = $1
           GROUP BY y.year""", "year"),),
    "promotion of boxes 7–9 (9-box SQL)": (
        (PLAIN_NINE_BOX, "years before"),
        ("""SELECT extract(year FROM a.start_date) AS year, p.kind, count(*)
            FROM assignments a JOIN positions p ON p.id = a.position_id
            JOIN employees e ON e.id = a.employee_id
            WHERE e.agency_code = $1 AND a.is_primary
            GROUP BY 1, 2""", "none"),
    ),
    "surveys": ((
        """SELECT s.year, count(*)
           FROM survey_responses r JOIN surveys s ON s.id = r.survey_id
           WHERE s.agency_code = $1 AND s.year IN ($2::int, $2::int - 1)
           GROUP BY s.year""", "year"),),
}  # fmt: skip
"""Per figure family, the plain aggregates over the tables it reads, joined as the figure
joins them, for the figure and last year's value, without the rules (no latest-row
choice, no precedence, no thresholds, no next-level position): the same kind of baseline
as the 9-box and index rows of ``talent_bench``. Where a figure reads history (the gap and
placement fit of a past year: the position held then, the level as of then), the plain
aggregate takes the position held at each year's end but today's stored levels, and no
assessment row: cheaper than the work it stands for, so the ratio errs against the app."""

TABLE_COUNTS = (
    "SELECT count(*), count(DISTINCT unit_id), count(DISTINCT gender) FROM employees "
    "WHERE agency_code = $1 AND status = 'active'",
    "SELECT count(*), sum(t.hours_jp) FROM trainings t JOIN employees e ON e.id = t.employee_id "
    "WHERE e.agency_code = $1",
    "SELECT count(*), max(a.start_date) FROM assignments a JOIN employees e "
    "ON e.id = a.employee_id WHERE e.agency_code = $1",
    "SELECT count(*), sum(c.level) FROM employee_competency_levels c JOIN employees e "
    "ON e.id = c.employee_id WHERE e.agency_code = $1",
    "SELECT count(*), sum(pc.level) FROM position_competencies pc JOIN positions p "
    "ON p.id = pc.position_id WHERE p.agency_code = $1",
    "SELECT count(*) FROM feedback_subjects s JOIN feedback_cycles c ON c.id = s.cycle_id "
    "WHERE c.agency_code = $1",
    "SELECT count(*), count(*) FILTER (WHERE r.status = 'submitted') FROM feedback_requests r "
    "JOIN feedback_cycles c ON c.id = r.cycle_id WHERE c.agency_code = $1",
    "SELECT count(*) FROM mentoring_mentees m JOIN mentoring_programs p ON p.id = m.program_id "
    "WHERE p.agency_code = $1",
    "SELECT count(*), avg(f.rating) FROM mentoring_feedback f JOIN mentoring_matches m "
    "ON m.id = f.match_id WHERE m.agency_code = $1",
    "SELECT count(*) FROM survey_responses r JOIN surveys s ON s.id = r.survey_id "
    "WHERE s.agency_code = $1",
)
"""The strictest reading of "a plain aggregate over the same tables": one count or sum per
table, joined only to what names the agency, one after another (no join between the
tables, so no figure could be computed from it)."""


async def plain_families(raw: Any, agency: str, year: int) -> dict[str, float]:
    """Each family's plain aggregates run on ``raw`` (asyncpg), seconds per family."""
    args = {"year": (year,), "years before": ([year - 1, year - 2],), "none": ()}
    times: dict[str, float] = {}
    for family, statements in PLAIN_FAMILIES.items():
        started = time.perf_counter()
        for sql, kind in statements:
            await raw.fetch(sql, agency, *args[kind])
        times[family] = time.perf_counter() - started
    return times


async def table_counts(raw: Any, agency: str) -> float:
    started = time.perf_counter()
    for sql in TABLE_COUNTS:
        await raw.fetch(sql, agency)
    return time.perf_counter() - started


async def generate(session: Any, employees: int, year: int) -> None:
    import numpy as np
    from sqlalchemy import text

    from asn_career.talent.surveys.results import build_results
    from asn_career.talent.surveys.rules import CAREER_V1

    if await session.scalar(text("SELECT count(*) FROM agencies WHERE code = :a"), {"a": AGENCY}):
        return
    started = time.perf_counter()
    params = {"agency": AGENCY, "employees": employees, "year": year}
    for statement in GENERATE.split(";\n"):
        if statement.strip():
            await session.execute(text(statement), params)
    # a closed survey of this year: 60 % respond, results by the survey's own code
    rng = np.random.default_rng(1)
    respondents = int(employees * 0.6)
    rows = (
        await session.execute(
            text(
                "SELECT u.path[1]::text AS unit, e.gender, split_part(e.rank_code, '/', 1) AS rg "
                "FROM employees e JOIN units u ON u.id = e.unit_id "
                "WHERE e.agency_code = :a ORDER BY e.nip LIMIT :n"
            ),
            {"a": AGENCY, "n": respondents},
        )
    ).all()
    scores = rng.integers(1, 6, size=(len(rows), len(CAREER_V1.likert_codes)))
    labels = {
        "unit": [r.unit for r in rows],
        "gender": [r.gender for r in rows],
        "rank_group": [r.rg for r in rows],
    }
    results = build_results(CAREER_V1, scores, labels, {}, [], 5)
    import json

    sid = await session.scalar(
        text(
            "INSERT INTO surveys (id, agency_code, title, year, question_set, "
            "question_set_version, state, closed_at, results) VALUES (gen_random_uuid(), :a, "
            "'Survei', :y, 'karier', 1, 'closed', now(), CAST(:r AS jsonb)) RETURNING id"
        ),
        {"a": AGENCY, "y": year, "r": json.dumps(results)},
    )
    await session.execute(
        text(
            "INSERT INTO survey_responses (id, survey_id, unit_id, gender, rank_group, scores) "
            "SELECT gen_random_uuid(), :s, NULL, 'M', 'III', '{}'::jsonb "
            "FROM generate_series(1, :n)"
        ),
        {"s": sid, "n": respondents},
    )
    await session.commit()
    await session.execute(text("ANALYZE"))
    await session.commit()
    print(f"generated agency {AGENCY} with {employees} employees in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip


async def family_times(service: Any, agency: str, year: int) -> dict[str, float]:
    """Each figure family of ``service.evaluate`` timed on its own (seconds), in order."""
    active = await service.repository.active(agency)
    families: tuple[tuple[str, Any, tuple[Any, ...]], ...] = (
        ("20 JP and training equity (compliance rows)", service._training, (agency, year)),
        ("competency gap (training.needs)", service._gap, (agency, year)),
        ("360° participation, completion", service._feedback, (agency, year, active)),
        ("mentoring (summary SQL)", service._mentoring, (agency, year, active)),
        ("rotation, tenure (history SQL)", service._rotation, (agency, year)),
        ("placement fit (rotations.fit)", service._placement, (agency, year)),
        ("promotion of boxes 7–9 (9-box SQL)", service._talent, (agency, year)),
        ("surveys", service._surveys, (agency, year)),
    )
    times: dict[str, float] = {}
    for name, method, args in families:
        started = time.perf_counter()
        await method(*args)
        times[name] = time.perf_counter() - started
    return times


async def main(url: str, employees: int, rounds: int, year: int) -> None:
    import asyncpg  # type: ignore[import-untyped]
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from asn_career.core.auth import Principal, Role
    from asn_career.talent.evaluation.service import EvaluationService

    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        await generate(session, employees, year)
    raw = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    hr = Principal(subject="bench", role=Role.HR_OFFICER, agencies=frozenset({AGENCY}))
    times: dict[str, list[float]] = {"evaluation": [], "plain": [], "counts": []}
    app_families: dict[str, list[float]] = {}
    plain: dict[str, list[float]] = {}
    out: Any = None
    for r in range(rounds):

        async def evaluation() -> None:
            nonlocal out
            async with AsyncSession(engine) as session:
                started = time.perf_counter()
                out = await EvaluationService(session, hr).evaluate(AGENCY, "Benchmark", year)
                times["evaluation"].append(time.perf_counter() - started)

        async def baselines() -> None:
            found = await plain_families(raw, AGENCY, year)
            times["plain"].append(sum(found.values()))
            for name, elapsed in found.items():
                plain.setdefault(name, []).append(elapsed)
            times["counts"].append(await table_counts(raw, AGENCY))

        for step in (evaluation, baselines) if r % 2 == 0 else (baselines, evaluation):
            await step()
        async with AsyncSession(engine) as session:
            service = EvaluationService(session, hr)
            for name, elapsed in (await family_times(service, AGENCY, year)).items():
                app_families.setdefault(name, []).append(elapsed)
    await raw.close()
    await engine.dispose()
    print(f"\nagency {AGENCY}: {employees} employees, {YEARS} years of history, year {year}")
    print_ratios(times, app_families, plain)
    assert out is not None
    print("\nfigures:")
    for f in out.figures:
        print(f"  {f.code:34s} {f.value!s:>10} (last year {f.previous_value}) {f.trend}")


def print_ratios(
    times: dict[str, list[float]],
    app_families: dict[str, list[float]],
    plain: dict[str, list[float]],
) -> None:
    """The evaluation against both baselines, then each family against its own."""
    m = {k: statistics.median(v) for k, v in times.items()}
    print(f"{'evaluation (every figure, both years)':46s} {m['evaluation'] * 1000:8.0f} ms")
    print(f"{'plain aggregates per figure family':46s} {m['plain'] * 1000:8.0f} ms  "
          f"ratio {m['evaluation'] / m['plain']:5.2f}  (goal ≤ 3)")  # fmt: skip
    print(f"{'one count per table (strictest reading)':46s} {m['counts'] * 1000:8.0f} ms  "
          f"ratio {m['evaluation'] / m['counts']:5.2f}")  # fmt: skip
    print(f"\n{'figure family (median)':46s} {'app ms':>8} {'plain ms':>9} {'ratio':>6}")
    for name, app in app_families.items():
        a, b = statistics.median(app), statistics.median(plain[name])
        print(f"  {name:44s} {a * 1000:8.0f} {b * 1000:9.0f} {a / b:6.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--employees", type=int, default=25_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()
    asyncio.run(main(args.database_url, args.employees, args.rounds, args.year))
