"""Talent spreadsheets benchmark: the whole 9-box list and every employee's professionalism
index of one agency (25,000 employees, five years of history, ``benchmarks/talent_data.py``)
as CSV and XLSX, body read to the end, next to the JSON view of the same computation.

    ASN_CAREER_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/talent_exports_bench.py [--employees 25000] [--rounds 3]

Medians of alternating rounds; ``--keep`` / ``--reuse`` as in ``talent_bench.py`` (the same
scratch database).
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


async def measure(url: str, agency: str, year: int, rounds: int) -> dict[str, Any]:
    from asn_career.config import Settings
    from asn_career.core.auth import Principal, Role
    from asn_career.core.db import create_engine, create_sessionmaker
    from asn_career.core.pagination import PageRequest
    from asn_career.talent.ninebox.service import NineBoxService
    from asn_career.talent.professionalism.service import ProfessionalismService

    engine = create_engine(Settings(database_url=url), url)
    sessionmaker = create_sessionmaker(engine)
    admin = Principal(subject="bench", role=Role.ADMIN, agencies=frozenset())
    sizes: dict[str, int] = {}

    async def drain(name: str, download: Any) -> None:
        size = 0
        async for chunk in download.body:
            size += len(chunk)
        sizes[name] = size

    async def nine_box_json() -> None:
        async with sessionmaker() as session:
            out = await NineBoxService(session, admin).agency_view(
                agency, year, None, None, PageRequest(limit=50)
            )
            out.model_dump_json()

    def nine_box_file(fmt: str) -> Any:
        async def run() -> None:
            async with sessionmaker() as session:
                file = await NineBoxService(session, admin).agency_file(
                    agency, year, None, None, fmt
                )
                await drain(f"nine_box_{fmt}", file)

        return run

    async def index_json() -> None:
        async with sessionmaker() as session:
            (await ProfessionalismService(session, admin).agency(agency, year)).model_dump_json()

    def index_file(fmt: str) -> Any:
        async def run() -> None:
            async with sessionmaker() as session:
                file = await ProfessionalismService(session, admin).agency_file(agency, year, fmt)
                await drain(f"index_{fmt}", file)

        return run

    calls = [("nine_box_json", nine_box_json), ("nine_box_csv", nine_box_file("csv")),
             ("nine_box_xlsx", nine_box_file("xlsx")), ("index_json", index_json),
             ("index_csv", index_file("csv")), ("index_xlsx", index_file("xlsx"))]  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name, _ in calls}
    try:
        for _, call in calls:  # warm-up
            await call()
        for r in range(rounds):
            for name, call in calls if r % 2 == 0 else list(reversed(calls)):
                start = time.perf_counter()
                await call()
                times[name].append(time.perf_counter() - start)
    finally:
        await engine.dispose()
    return {"medians": {k: statistics.median(v) for k, v in times.items()}, "sizes": sizes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employees", type=int, default=25_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument("--reuse", action="store_true", help="Reuse a kept database.")
    args = parser.parse_args()
    server = os.environ.get("ASN_CAREER_DATABASE_URL")
    if not server:
        sys.exit("set ASN_CAREER_DATABASE_URL to a Postgres server (its database is not used)")

    from sqlalchemy.engine import make_url

    from benchmarks.talent_data import AGENCY, drop_database, fresh_database, generate

    year = 2025
    if args.reuse:
        url = make_url(server).set(database=DATABASE).render_as_string(hide_password=False)
    else:
        url = fresh_database(server, DATABASE)
        start = time.perf_counter()
        asyncio.run(
            generate(url, employees=args.employees, years=args.years, seed=args.seed,
                     last_year=year)
        )  # fmt: skip
        print(f"loaded in {time.perf_counter() - start:.1f} s")
    try:
        result = asyncio.run(measure(url, AGENCY, year, args.rounds))
    finally:
        if not args.keep:
            drop_database(server, DATABASE)
    print(f"{'what':<16}{'median ms':>10}{'bytes':>12}")
    for name, seconds in result["medians"].items():
        size = result["sizes"].get(name)
        print(f"{name:<16}{1000 * seconds:>10.0f}{size if size is not None else '':>12}")


if __name__ == "__main__":
    main()
