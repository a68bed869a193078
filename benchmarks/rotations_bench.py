"""Rotation round benchmark: 2,000 vacancies × 5,000 candidates, the whole round against
the bare reference solver on the same matrix.

    ASN_CAREER_DATABASE_URL=postgresql://…/db .venv/bin/alembic upgrade head
    .venv/bin/python benchmarks/rotations_bench.py \
        --database-url postgresql+asyncpg://…/db [--vacancies 2000] [--candidates 5000]
        [--seed 1] [--repeat 3] [--keep] [--reuse]

It writes a synthetic agency (``99.99``) into the migrated database: 2,000 vacant
positions in 40 units of six kinds, each requiring 3–5 competencies at levels 1–4, with
preferred education fields and a rank range, and 5,000 employees holding other positions
for 2–6 years, with current competency levels, an education field, last year's SKP, an
earlier position (experience) and, for one in ten, a career interest. Then it runs the
round exactly as ``POST /rotations/rounds`` does (``RoundService.solve``: loading the
inputs, scoring, the hard rules, the exact solve, the greedy baseline, explaining every
position and storing the placements) in one transaction that is rolled back, and, on the
very weight matrix the round solved, SciPy's ``linear_sum_assignment`` alone.

Printed: the round's objective and the reference solver's (they must be equal), the
greedy baseline's objective and its ratio to the optimum, the seconds of the whole round
and of the bare solver, and their ratio (goal: ≤ 2). The synthetic agency is deleted at
the end unless ``--keep`` (``--reuse`` runs again on what ``--keep`` left).
"""

import argparse
import asyncio
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

AGENCY = "99.99"
KINDS = ("dinas", "badan", "bagian", "kecamatan", "kelurahan", "puskesmas")
FIELDS = (
    "Ilmu Hukum",
    "Administrasi Negara",
    "Akuntansi",
    "Manajemen",
    "Teknik Sipil",
    "Teknik Informatika",
    "Kesehatan Masyarakat",
    "Keperawatan",
    "Pendidikan",
    "Ekonomi Pembangunan",
    "Statistika",
    "Ilmu Komunikasi",
)
RANKS = ("II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b")
COMPETENCIES = ("M.1", "M.2", "M.3", "M.4", "M.5", "M.6", "M.7", "M.8", "SK.1")


async def seed(session: Any, vacancies: int, candidates: int, rnd: random.Random) -> list[str]:
    from sqlalchemy import insert, select

    from asn_career.org.models import Agency, Competency, Position, PositionCompetency, Unit
    from asn_career.profiles.histories.rules import skp_predicate
    from asn_career.profiles.models import (
        Assignment,
        CareerInterest,
        CurrentCompetency,
        Education,
        Employee,
        Performance,
    )

    session.add(Agency(code=AGENCY, name="Kota Benchmark", region_code=AGENCY))
    await session.flush()
    comp = dict(
        (
            await session.execute(
                select(Competency.code, Competency.id).where(Competency.agency_code.is_(None))
            )
        ).all()
    )
    units = []
    for n in range(40):
        uid = uuid.uuid4()
        units.append(uid)
        await session.execute(
            insert(Unit),
            [
                {
                    "id": uid,
                    "agency_code": AGENCY,
                    "code": f"U{n}",
                    "name": f"Unit {n}",
                    "kind": KINDS[n % len(KINDS)],
                    "path": [uid],
                }
            ],
        )
    positions: list[dict[str, Any]] = []
    requirements: list[dict[str, Any]] = []
    for n in range(vacancies + candidates):
        lo = rnd.randint(0, 6)
        pid = uuid.uuid4()
        positions.append(
            {
                "id": pid,
                "agency_code": AGENCY,
                "unit_id": rnd.choice(units),
                "code": f"P{n:05d}",
                "title": f"Jabatan {n}",
                "kind": "pelaksana",
                "min_rank": RANKS[lo],
                "max_rank": RANKS[min(lo + 3, 9)],
                "preferred_education_fields": rnd.sample(FIELDS, rnd.randint(1, 3)),
            }
        )
        for code in rnd.sample(COMPETENCIES, rnd.randint(3, 5)):
            requirements.append(
                {"position_id": pid, "competency_id": comp[code], "level": rnd.randint(1, 4)}
            )
    await session.execute(insert(Position), positions)
    await session.execute(insert(PositionCompetency), requirements)
    today = date.today()
    employees, assignments, levels, education, skp, interests = [], [], [], [], [], []
    nips = []
    for n in range(candidates):
        eid = uuid.uuid4()
        birth = date(1970, 1, 1) + timedelta(days=n * 3)
        nip = f"{birth:%Y%m%d}200501{1 + n % 2}{n % 999 + 1:03d}"
        nips.append(nip)
        employees.append(
            {
                "id": eid,
                "nip": nip,
                "name": f"Pegawai {n}",
                "gender": "MF"[n % 2],
                "birth_date": birth,
                "employment_type": "pns",
                "appointment_date": date(2005, 1, 1),
                "rank_code": rnd.choice(RANKS[1:9]),
                "agency_code": AGENCY,
                "status": "active",
            }
        )
        own = positions[vacancies + n]["id"]
        start = today - timedelta(days=rnd.randint(730, 2190))
        earlier = positions[vacancies + rnd.randrange(candidates)]["id"]
        assignments += [
            {
                "id": uuid.uuid4(),
                "employee_id": eid,
                "position_id": earlier,
                "start_date": start - timedelta(days=1500),
                "end_date": start - timedelta(days=1),
                "is_primary": True,
            },
            {
                "id": uuid.uuid4(),
                "employee_id": eid,
                "position_id": own,
                "start_date": start,
                "end_date": None,
                "is_primary": True,
            },
        ]
        for code in rnd.sample(COMPETENCIES, rnd.randint(5, 9)):
            levels.append(
                {
                    "employee_id": eid,
                    "competency_id": comp[code],
                    "level": rnd.randint(1, 5),
                    "source": "assessment_center",
                    "assessed_on": today,
                }
            )
        education.append(
            {
                "id": uuid.uuid4(),
                "employee_id": eid,
                "level_code": "S1",
                "field": rnd.choice(FIELDS),
            }
        )
        res, beh = (
            rnd.choice(("above", "as_expected", "below")),
            rnd.choice(("above", "as_expected")),
        )
        skp.append(
            {
                "id": uuid.uuid4(),
                "employee_id": eid,
                "year": today.year - 1,
                "period": "annual",
                "results": res,
                "behaviour": beh,
                "predicate": skp_predicate(res, beh),
            }
        )
        if rnd.random() < 0.1:
            interests.append(
                {
                    "id": uuid.uuid4(),
                    "employee_id": eid,
                    "kind": "position",
                    "description": "Minat",
                    "target_position_id": rnd.choice(positions[:vacancies])["id"],
                }
            )
    for model, rows in (
        (Employee, employees),
        (Assignment, assignments),
        (CurrentCompetency, levels),
        (Education, education),
        (Performance, skp),
        (CareerInterest, interests),
    ):
        for start in range(0, len(rows), 5000):
            await session.execute(insert(model), rows[start : start + 5000])
    await session.execute(
        Employee.__table__.update()
        .where(Employee.agency_code == AGENCY)
        .values(
            position_id=select(Assignment.position_id)
            .where(Assignment.employee_id == Employee.id, Assignment.end_date.is_(None))
            .scalar_subquery()
        )
    )
    return nips


def _time_steps(steps: dict[str, float]) -> list[tuple[Any, str, Any]]:
    """Wrap the round's steps with timers (restored by ``_restore``)."""
    import functools
    import inspect

    from asn_career.rotations import assignment, scoring
    from asn_career.rotations.eligibility.repository import EligibilityRepository
    from asn_career.rotations.fit.repository import FitRepository
    from asn_career.rotations.fit.service import FitService
    from asn_career.rotations.rounds.repository import RoundRepository
    from asn_career.rotations.rounds.service import RoundService

    targets = [
        (EligibilityRepository, "standings", "eligibility"),
        (FitRepository, "positions", "positions"),
        (FitService, "load", "load"),
        (scoring, "fit_grid", "score"),
        (RoundService, "_masks", "rules"),
        (assignment, "solve", "solve"),
        (assignment, "greedy", "greedy"),
        (RoundService, "_explain", "explain"),
        (RoundRepository, "add_placements", "store"),
    ]
    originals = []
    for owner, name, label in targets:
        original = getattr(owner, name)
        originals.append((owner, name, original))
        if inspect.iscoroutinefunction(original):

            async def timed_async(*a: Any, _f: Any = original, _l: str = label, **k: Any) -> Any:
                t = time.perf_counter()
                try:
                    return await _f(*a, **k)
                finally:
                    steps[_l] = steps.get(_l, 0.0) + time.perf_counter() - t

            setattr(owner, name, functools.wraps(original)(timed_async))
        else:

            def timed(*a: Any, _f: Any = original, _l: str = label, **k: Any) -> Any:
                t = time.perf_counter()
                try:
                    return _f(*a, **k)
                finally:
                    steps[_l] = steps.get(_l, 0.0) + time.perf_counter() - t

            setattr(owner, name, functools.wraps(original)(timed))
    return originals


def _restore(originals: list[tuple[Any, str, Any]]) -> None:
    for owner, name, original in originals:
        setattr(owner, name, original)


async def main(
    url: str,
    vacancies: int,
    candidates: int,
    seed_value: int,
    keep: bool,
    repeat: int,
    reuse: bool = False,
) -> None:
    import numpy as np
    from scipy.optimize import linear_sum_assignment
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from asn_career.core.auth import Principal, Role
    from asn_career.rotations import assignment
    from asn_career.rotations.models import Round
    from asn_career.rotations.rounds.service import RoundService

    engine = create_async_engine(url)
    rnd = random.Random(seed_value)
    t = time.perf_counter()
    async with AsyncSession(engine) as session, session.begin():
        if reuse:  # the agency a run with --keep left behind
            nips = list(
                (
                    await session.scalars(
                        text("SELECT nip FROM employees WHERE agency_code = :a ORDER BY nip"),
                        {"a": AGENCY},
                    )
                ).all()
            )
        else:
            nips = await seed(session, vacancies, candidates, rnd)
    if not reuse:  # statistics, as autovacuum keeps them on a live database
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    print(
        f"{'reused' if reuse else 'seeded'} {vacancies} vacancies × {len(nips)} candidates "
        f"in {time.perf_counter() - t:.1f} s"
    )

    captured: list[assignment.Problem] = []
    real_solve = assignment.solve

    def spy(problem: assignment.Problem) -> assignment.Solution:
        captured.append(problem)
        return real_solve(problem)

    assignment.solve = spy  # type: ignore[assignment]
    steps: dict[str, float] = {}
    originals = _time_steps(steps)
    hr = Principal(subject="bench", role=Role.HR_OFFICER, agencies=frozenset({AGENCY}))
    wholes: list[float] = []
    besides: list[float] = []  # the greedy baseline and storing, in each run
    bares: list[float] = []
    solves: list[float] = []
    try:
        for attempt in range(repeat):
            if attempt == 1:
                steps.clear()  # the steps of the last run are printed
            async with AsyncSession(engine) as session:
                await session.begin()
                row = Round(
                    agency_code=AGENCY,
                    name="Bench",
                    status="solving",
                    effective_date=date.today() + timedelta(days=30),
                    options={
                        "pool": nips,
                        "include_vacated": False,
                        "min_fit": 0,
                        "pinned": [],
                        "forbidden": [],
                    },
                )
                session.add(row)
                await session.flush()
                before = {k: steps.get(k, 0.0) for k in ("greedy", "store")}
                t = time.perf_counter()
                await RoundService(session, hr).solve(row)
                wholes.append(time.perf_counter() - t)
                besides.append(sum(steps.get(k, 0.0) - v for k, v in before.items()))
                figures = dict(row.figures)
                objective, greedy = row.objective, row.greedy_objective
                await session.rollback()
            problem = captured[-1]
            weight = np.where(assignment.usable(problem), problem.fit, 0.0).astype(np.float64)
            t = time.perf_counter()
            rr, cc = linear_sum_assignment(weight, maximize=True)
            bares.append(time.perf_counter() - t)
            t = time.perf_counter()  # the app's exact solve alone, on the very same problem
            alone = real_solve(problem)
            solves.append(time.perf_counter() - t)
    finally:
        assignment.solve = real_solve  # type: ignore[assignment]
        _restore(originals)
    whole, bare = statistics.median(wholes), statistics.median(bares)
    reference = round(100 * float(weight[rr, cc].sum()), 2)
    rows, cols = weight.shape
    print(
        f"matrix: {rows} positions × {cols} candidates, "
        f"{int(assignment.usable(problem).sum()):,} allowed pairs"
    )
    print(f"objective (round):        {objective:.2f}")
    print(f"objective (scipy alone):  {reference:.2f}   equal: {abs(objective - reference) < 0.01}")
    print(f"greedy objective:         {greedy:.2f}   greedy / optimum: {greedy / objective:.4f}")
    print(
        f"placed: {figures['placed']}, greedy placed: {figures['greedy_placed']}, "
        f"same as greedy: {figures['same_as_greedy']}"
    )
    print(f"median of {repeat} runs each, side by side:")
    print(f"whole round (load, score, solve, greedy, explain, store): {whole:.3f} s")
    print(f"bare solver (linear_sum_assignment on the same matrix):   {bare:.3f} s")
    print(f"ratio whole / bare: {whole / bare:.2f}  (goal ≤ 2)")
    named = statistics.median(w - b for w, b in zip(wholes, besides, strict=True))
    print(
        f"the phases the goal names (loading, scoring, solving, explaining; the round without "
        f"its greedy baseline and storing): {named:.3f} s, ratio {named / bare:.2f}"
    )
    solve_alone = statistics.median(solves)
    print(
        f"app's exact solve alone (assignment.solve, same problem): {solve_alone:.3f} s, "
        f"{solve_alone / bare:.2f} × bare; objective {alone.objective * 100:.2f}"
    )
    per_run = max(1, repeat - 1)
    print(
        "steps (mean of the runs after the first): "
        + ", ".join(f"{k} {v / per_run:.3f} s" for k, v in steps.items())
    )
    print("(the greedy baseline runs after the exact solve, in the same worker thread)")
    if not keep:
        async with AsyncSession(engine) as session, session.begin():
            await session.execute(
                text(
                    "DELETE FROM career_interests WHERE employee_id IN "
                    "(SELECT id FROM employees WHERE agency_code = :a)"
                ),
                {"a": AGENCY},
            )
            for table in (
                "performance_ratings",
                "employee_education",
                "employee_competency_levels",
                "assignments",
            ):
                await session.execute(
                    text(
                        f"DELETE FROM {table} WHERE employee_id IN "  # noqa: S608 - constant names
                        "(SELECT id FROM employees WHERE agency_code = :a)"
                    ),
                    {"a": AGENCY},
                )
            await session.execute(
                text("DELETE FROM audit_log WHERE agency_code = :a"), {"a": AGENCY}
            )
            for stmt in (
                "DELETE FROM employees WHERE agency_code = :a",
                "DELETE FROM position_competencies WHERE position_id IN "
                "(SELECT id FROM positions WHERE agency_code = :a)",
                "DELETE FROM positions WHERE agency_code = :a",
                "DELETE FROM units WHERE agency_code = :a",
                "DELETE FROM agencies WHERE code = :a",
            ):
                await session.execute(text(stmt), {"a": AGENCY})
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--vacancies", type=int, default=2000)
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="run on the agency a run with --keep left"
    )
    args = parser.parse_args()
    asyncio.run(
        main(
            args.database_url,
            args.vacancies,
            args.candidates,
            args.seed,
            args.keep,
            args.repeat,
            args.reuse,
        )
    )
