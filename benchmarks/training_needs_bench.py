"""Training needs of a whole agency: the one SQL statement of ``GET /training/needs`` (its
first page) and of ``NeedsService.for_plan`` (every need), timed and explained.

    ASN_CAREER_DATABASE_URL=postgresql://…/db .venv/bin/asn-career seed-demo \
        --employees-per-agency 15000
    .venv/bin/python benchmarks/training_needs_bench.py \
        --database-url postgresql+asyncpg://…/db [--rounds 5] [--year 2026]

It reads a database the demo seeder filled (it writes nothing), takes the agency with the
most active employees, and prints, as an HR officer of that agency: the median time of the
first page (50 needs) and of every need (``for_plan``), the number of needs, and the
``EXPLAIN (ANALYZE, BUFFERS)`` of both statements.
"""

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


async def main(url: str, rounds: int, year: int) -> None:
    from sqlalchemy import func, select, text
    from sqlalchemy.dialects.postgresql.asyncpg import dialect
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from asn_career.core.auth import Principal, Role
    from asn_career.core.pagination import PageRequest
    from asn_career.profiles.models import Employee
    from asn_career.training.needs.repository import NeedFilters, NeedRepository, needs_statement
    from asn_career.training.needs.service import NeedsService

    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        agency, staff = (
            await session.execute(
                select(Employee.agency_code, func.count())
                .where(Employee.status == "active")
                .group_by(Employee.agency_code)
                .order_by(func.count().desc())
                .limit(1)
            )
        ).one()
        hr = Principal(subject="bench", role=Role.HR_OFFICER, agencies=frozenset({agency}))
        filters = NeedFilters(year=year, agency=agency)
        repository = NeedRepository(session)

        async def timed(work: Any) -> tuple[float, Any]:
            started = time.perf_counter()
            result = await work()
            return time.perf_counter() - started, result

        page_times, plan_times = [], []
        needs: list[Any] = []
        for _ in range(rounds):
            took, _ = await timed(lambda: repository.page(hr, filters, PageRequest(limit=50)))
            page_times.append(took)
            took, needs = await timed(lambda: NeedsService(session, hr).for_plan(agency, year))
            plan_times.append(took)
        print(f"agency {agency}: {staff:,} active employees, {len(needs):,} positive needs")
        print(f"first page (50): median {statistics.median(page_times) * 1000:.0f} ms")
        print(f"every need (for_plan): median {statistics.median(plan_times) * 1000:.0f} ms")

        await session.execute(text("SET LOCAL jit = off"))  # as the repository does
        raw = await (await session.connection()).get_raw_connection()
        for title, query in (
            ("first page", needs_statement(hr, filters, limit=51)),
            ("every need", needs_statement(hr, filters, details=False)),
        ):
            compiled = query.compile(
                dialect=dialect(),  # type: ignore[no-untyped-call]
                compile_kwargs={"render_postcompile": True},
            )
            params = [compiled.params[name] for name in compiled.positiontup or ()]
            plan = await raw.driver_connection.fetch(  # type: ignore[union-attr]
                "EXPLAIN (ANALYZE, BUFFERS) " + str(compiled), *params
            )
            print(f"\n--- EXPLAIN (ANALYZE, BUFFERS): {title}")
            print("\n".join(row[0] for row in plan))
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()
    asyncio.run(main(args.database_url, args.rounds, args.year))
