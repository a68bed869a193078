"""Talent benchmark: the app's 9-box and professionalism-index computations for one agency
of 25,000 employees with five years of history, each against a plain aggregate query over
the same tables, in the same run.

    ASN_CAREER_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/talent_bench.py [--employees 25000] [--rounds 5] [--keep]

The data comes from ``benchmarks/talent_data.py`` (COPY into a scratch database
``asn_bench_talent``, dropped at the end unless ``--keep``; ``--reuse`` skips the load when
the database is kept from a run of the same size).

Measured, in alternating rounds (medians reported):

(a) 9-box, app: ``NineBoxService.agency_view`` — the one statement that computes every
    employee's box for the year and the year before (next-level standard, calibrated
    latest levels, SKP), the counts, units, movement and the first page — and the JSON;
    baseline: one plain ``GROUP BY unit, predicate`` over employees, the year's annual SKP,
    the own position's standard and the assessment-centre levels on it (count and mean
    coverage: every assessment, not the latest, and no next-level position);
(b) index, app: ``ProfessionalismService.agency`` — every employee's four dimensions, the
    total and category, aggregated per unit and for the agency; baseline: one plain
    ``GROUP BY unit`` over employees, positions, education, trainings, the year's SKP and
    sanctions (each pre-aggregated per employee: sum of JP, count, max), with no rule;
(c) career evaluation, app: ``EvaluationService.evaluate`` — every figure of
    ``GET /agencies/{code}/career-evaluation`` for the year and the year before (the 20 JP,
    training equity, competency gap, 360°, mentoring, rotation and tenure, placement fit,
    the promotion of boxes 7–9, surveys); baseline: per figure family, the plain
    aggregates over the tables it reads, joined as it joins them, for the year and the
    year before, with no rule (``benchmarks/evaluation_bench.PLAIN_FAMILIES``; the 9-box
    family's is (a)'s statement for the two years before). The strictest reading, one
    count per table with no join between tables (``evaluation_bench.TABLE_COUNTS``), is
    timed and its ratio printed too. This data set has no 360° cycles, mentoring or
    surveys: those figures answer ``no_data`` at once; ``benchmarks/evaluation_bench.py``
    generates them too.

Goal: each app/baseline ratio ≤ 3. Each round also times every evaluation figure family on
its own (``evaluation_bench.family_times``, outside the timed pairs); their medians are
printed last, each against its own plain aggregates. ``benchmarks/README.md`` says why
each baseline is fair.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATABASE = "asn_bench_talent"
GOAL = 3.0

PLAIN_INDEX = """
    SELECT e.unit_id, count(*) AS n, count(DISTINCT ps.kind) AS kinds,
           max(ed.level) AS best_education, avg(t.jp) AS mean_jp,
           avg(t.seminars) AS mean_seminars, avg(p.score) AS mean_score,
           max(s.worst) AS worst
    FROM employees e
    LEFT JOIN positions ps ON ps.id = e.position_id
    LEFT JOIN (SELECT employee_id, max(level_code) AS level FROM employee_education
               GROUP BY employee_id) ed ON ed.employee_id = e.id
    LEFT JOIN (SELECT employee_id, sum(hours_jp) AS jp,
                      count(*) FILTER (WHERE form IN ('seminar', 'workshop')) AS seminars
               FROM trainings WHERE start_date <= make_date($2, 12, 31)
               GROUP BY employee_id) t ON t.employee_id = e.id
    LEFT JOIN performance_ratings p ON p.employee_id = e.id AND p.year = $2
         AND p.period = 'annual'
    LEFT JOIN (SELECT employee_id, max(severity) AS worst FROM sanctions
               WHERE start_date >= make_date($2 - 4, 1, 1) GROUP BY employee_id) s
         ON s.employee_id = e.id
    WHERE e.agency_code = $1
    GROUP BY e.unit_id
"""


async def _timed(call: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = await call()
    return time.perf_counter() - start, result


async def measure(url: str, agency: str, year: int, rounds: int) -> dict[str, Any]:
    import asyncpg  # type: ignore[import-untyped]

    from asn_career.config import Settings
    from asn_career.core.auth import Principal, Role
    from asn_career.core.db import create_engine, create_sessionmaker
    from asn_career.core.pagination import PageRequest
    from asn_career.talent.evaluation.service import EvaluationService
    from asn_career.talent.ninebox.service import NineBoxService
    from asn_career.talent.professionalism.service import ProfessionalismService
    from benchmarks.evaluation_bench import (
        PLAIN_NINE_BOX,
        family_times,
        plain_families,
        table_counts,
    )

    engine = create_engine(Settings(database_url=url), url)
    sessionmaker = create_sessionmaker(engine)
    admin = Principal(subject="bench", role=Role.ADMIN, agencies=frozenset())
    raw = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    times: dict[str, list[float]] = {k: [] for k in ("nine_box", "nine_box_plain", "index",
                                                      "index_plain", "evaluation",
                                                      "evaluation_plain",
                                                      "evaluation_counts")}  # fmt: skip
    summary: dict[str, Any] = {}
    families: dict[str, list[float]] = {}
    plain_by_family: dict[str, list[float]] = {}

    async def nine_box() -> Any:
        async with sessionmaker() as session:
            out = await NineBoxService(session, admin).agency_view(
                agency, year, None, None, PageRequest(limit=50)
            )
            return out.model_dump_json()

    async def index() -> Any:
        async with sessionmaker() as session:
            out = await ProfessionalismService(session, admin).agency(agency, year)
            return out.model_dump_json()

    async def evaluation() -> Any:
        async with sessionmaker() as session:
            out = await EvaluationService(session, admin).evaluate(agency, agency, year)
            return out.model_dump_json()

    async def plain_evaluation() -> Any:
        found = await plain_families(raw, agency, year)
        for family, elapsed in found.items():
            plain_by_family.setdefault(family, []).append(elapsed)
        return found

    async def counts_evaluation() -> Any:
        return await table_counts(raw, agency)

    async def plain_nine_box() -> Any:
        return await raw.fetch(PLAIN_NINE_BOX, agency, [year])

    async def plain_index() -> Any:
        return await raw.fetch(PLAIN_INDEX, agency, year)

    try:
        await nine_box()  # warm-up: plans, caches
        await index()
        await plain_nine_box()
        await plain_index()
        await evaluation()
        await plain_evaluation()
        await counts_evaluation()
        for r in range(rounds):
            pairs = [("nine_box", nine_box), ("nine_box_plain", plain_nine_box),
                     ("index", index), ("index_plain", plain_index),
                     ("evaluation", evaluation), ("evaluation_plain", plain_evaluation),
                     ("evaluation_counts", counts_evaluation)]  # fmt: skip
            if r % 2:
                pairs = [pairs[1], pairs[0], pairs[3], pairs[2], pairs[5], pairs[6], pairs[4]]
            for name, call in pairs:
                elapsed, result = await _timed(call)
                times[name].append(elapsed)
                if name in ("nine_box", "index", "evaluation"):
                    summary[name] = result
            async with sessionmaker() as session:  # each figure family on its own
                service = EvaluationService(session, admin)
                for family, elapsed in (await family_times(service, agency, year)).items():
                    families.setdefault(family, []).append(elapsed)
    finally:
        await raw.close()
        await engine.dispose()
    for family in plain_by_family:  # the warm-up's plain run is not a measurement
        plain_by_family[family] = plain_by_family[family][1:]
    return {"times": times, "summary": summary, "families": families, "plain": plain_by_family}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=25_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument("--reuse", action="store_true", help="Reuse a kept database.")
    args = parser.parse_args()
    server = os.environ.get("ASN_CAREER_DATABASE_URL")
    if not server:
        sys.exit("set ASN_CAREER_DATABASE_URL to a Postgres server (its database is not used)")

    import json

    from sqlalchemy.engine import make_url

    from benchmarks.talent_data import AGENCY, drop_database, fresh_database, generate

    year = 2025
    if args.reuse:
        url = make_url(server).set(database=DATABASE).render_as_string(hide_password=False)
        print(f"reusing {DATABASE}")
    else:
        url = fresh_database(server, DATABASE)
        start = time.perf_counter()
        data = asyncio.run(
            generate(url, employees=args.employees, years=args.years, seed=args.seed,
                     last_year=year)
        )  # fmt: skip
        print(f"loaded in {time.perf_counter() - start:.1f} s: " + ", ".join(
            f"{k} {v:,}" for k, v in data.rows.items()))  # fmt: skip
    try:
        result = asyncio.run(measure(url, AGENCY, year, args.rounds))
    finally:
        if not args.keep:
            drop_database(server, DATABASE)
    m = {k: statistics.median(v) for k, v in result["times"].items()}
    boxes = json.loads(result["summary"]["nine_box"])
    ip = json.loads(result["summary"]["index"])
    print(f"9-box {year}: {boxes['employees']:,} employees, boxes "
          + ", ".join(f"{b['box']}:{b['count']}" for b in boxes["boxes"])
          + "; no box " + ", ".join(f"{i['reason']}:{i['count']}"
                                   for i in boxes["insufficient_data"]))  # fmt: skip
    print(f"IP ASN {year}: mean {ip['agency']['mean']}, categories {ip['agency']['categories']}")
    evaluation = json.loads(result["summary"]["evaluation"])
    print(f"evaluation {year}: " + ", ".join(
        f"{f['code']} {f['value']}" for f in evaluation["figures"]))  # fmt: skip
    print(f"{'computation':<22}{'app ms':>10}{'plain ms':>10}{'ratio':>8}  goal ≤ {GOAL:g}")
    for name, plain in (("nine_box", "nine_box_plain"), ("index", "index_plain"),
                        ("evaluation", "evaluation_plain")):  # fmt: skip
        ratio = m[name] / m[plain]
        flag = "ok" if ratio <= GOAL else "MISSED"
        print(f"{name:<22}{1000 * m[name]:>10.0f}{1000 * m[plain]:>10.0f}{ratio:>8.2f}  {flag}")
    print(f"{'evaluation vs counts':<22}{1000 * m['evaluation']:>10.0f}"
          f"{1000 * m['evaluation_counts']:>10.0f}"
          f"{m['evaluation'] / m['evaluation_counts']:>8.2f}  (one count per table: the "
          "strictest reading, no join between tables)")  # fmt: skip
    print(f"\n{'evaluation family (median)':<46}{'app ms':>8}{'plain ms':>10}{'ratio':>7}")
    for family, app in result["families"].items():
        a, b = statistics.median(app), statistics.median(result["plain"][family])
        print(f"  {family:<44}{1000 * a:>8.0f}{1000 * b:>10.0f}{a / b:>7.2f}")


if __name__ == "__main__":
    main()
