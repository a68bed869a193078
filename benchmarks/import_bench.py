"""Import benchmark: the importer (the service, as ``asn-career import`` runs it, validation
on) against a raw ``COPY`` of the same rows into the same table, plus the importer's peak
memory at 100 thousand and 1 million rows, and the XLSX path.

    .venv/bin/python benchmarks/import_bench.py [--rows 100000] [--big-rows 1000000]
        [--xlsx-rows 100000] [--database-url postgresql://…]

It works in a fresh database ``asn_bench_import`` on the server of
``ASN_CAREER_DATABASE_URL`` (dropped and migrated at the start), with one agency and one
unit; ``employees`` and ``audit_log`` are truncated before every run. Every importer run is
a child process; its peak RSS is read by a small wrapper process that waits for it and
reports ``getrusage(RUSAGE_CHILDREN).ru_maxrss``, so each figure is that run's own.
"""

import argparse
import asyncio
import csv
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

AGENCY = "36.74"
UNIT = "BKPSDM"
DATABASE = "asn_bench_import"
FIRST = ["Budi", "Siti", "Agus", "Dewi", "Rina", "Joko", "Sri", "Ahmad", "Putri", "Dedi"]
LAST = ["Santoso", "Aminah", "Salim", "Lestari", "Wati", "Susilo", "Rahayu", "Hidayat"]
RANKS = ["II/a", "II/c", "III/a", "III/b", "III/c", "III/d", "IV/a"]
EMPLOYEE_COLUMNS = (
    "id, nip, name, gender, birth_date, birth_place, employment_type, appointment_date, "
    "rank_code, status, agency_code, unit_id, email"
)


# --- data ---------------------------------------------------------------------------------


def rows(count: int, seed: int = 1) -> Any:
    """Valid, distinct PNS NIPs: birth date + TMT CPNS month + gender + sequence."""
    rng = random.Random(seed)
    base = dt.date(1965, 1, 1)
    for i in range(count):
        birth = base + dt.timedelta(days=(i // 999) % 12_000)
        sequence = i % 999 + 1
        year = birth.year + 20 + (i // 999 // 12_000) % 20
        month = (i // 7) % 12 + 1
        gender = rng.choice("12")
        nip = f"{birth:%Y%m%d}{year:04d}{month:02d}{gender}{sequence:03d}"
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        yield {
            "nip": nip,
            "name": name,
            "gender": "M" if gender == "1" else "F",
            "birth_date": birth.isoformat(),
            "birth_place": "Tangerang Selatan",
            "appointment_date": dt.date(year, month, 1).isoformat(),
            "rank": rng.choice(RANKS),
            "email": f"pegawai{i}@example.go.id",
        }


def write_files(count: int, directory: Path, unit_id: str) -> tuple[Path, Path]:
    """The importer's CSV (API field names) and the raw COPY's CSV (the table's columns),
    streamed to disk."""
    native = directory / f"employees-{count}.csv"
    raw = directory / f"employees-{count}-raw.csv"
    with native.open("w", newline="") as a, raw.open("w", newline="") as b:
        importer, copier = csv.writer(a), csv.writer(b)
        importer.writerow(["nip", "name", "birth_place", "rank", "unit_code", "email"])
        for row in rows(count):
            importer.writerow(
                [row["nip"], row["name"], row["birth_place"], row["rank"], UNIT, row["email"]]
            )
            copier.writerow(
                [uuid.uuid4(), row["nip"], row["name"], row["gender"], row["birth_date"],
                 row["birth_place"], "pns", row["appointment_date"], row["rank"], "active",
                 AGENCY, unit_id, row["email"]]
            )  # fmt: skip
    return native, raw


def write_xlsx(count: int, directory: Path) -> Path:
    from openpyxl import Workbook

    path = directory / f"employees-{count}.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Pegawai")
    sheet.append(["nip", "name", "birth_place", "rank", "unit_code", "email"])
    for row in rows(count):
        sheet.append([row["nip"], row["name"], row["birth_place"], row["rank"], UNIT, row["email"]])
    book.save(path)
    return path


# --- database -----------------------------------------------------------------------------


def database_url(server: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=DATABASE).render_as_string(hide_password=False)


def fresh_database(server: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    from asn_career.core import migrate

    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    url = database_url(server)
    migrate.upgrade(url)
    return url


async def setup(url: str) -> str:
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.execute(
            "INSERT INTO agencies (code, name, region_code) VALUES ($1, $2, $1)",
            AGENCY,
            "Pemerintah Kota Tangerang Selatan",
        )
        unit_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO units (id, agency_code, code, name, kind, path) "
            "VALUES ($1, $2, $3, 'BKPSDM', 'badan', ARRAY[$1::uuid])",
            unit_id,
            AGENCY,
            UNIT,
        )
        return str(unit_id)
    finally:
        await conn.close()


async def truncate(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        await conn.execute("TRUNCATE employees, audit_log, imports, import_errors CASCADE")
        await conn.execute("VACUUM ANALYZE employees")
        await conn.execute("CHECKPOINT")
    finally:
        await conn.close()


async def raw_copy(url: str, path: Path) -> float:
    """COPY the same rows, already in the table's shape, server-side parsing only."""
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        columns = [c.strip() for c in EMPLOYEE_COLUMNS.split(",")]
        started = time.perf_counter()
        async with conn.transaction():
            await conn.copy_to_table("employees", source=path, columns=columns, format="csv")
        return time.perf_counter() - started
    finally:
        await conn.close()


# --- the importer, in a child process -----------------------------------------------------


async def child_import(url: str, path: Path, kind: str) -> dict[str, Any]:
    from asn_career.config import Settings
    from asn_career.core.db import create_engine, create_sessionmaker, unit_of_work
    from asn_career.imports.files.command import CLI_PRINCIPAL
    from asn_career.imports.files.schemas import ImportOptions
    from asn_career.imports.files.service import ImportService, run_import

    settings = Settings(database_url=url, log_level="WARNING", db_statement_timeout_ms=0)
    engine = create_engine(settings, url)
    sessionmaker = create_sessionmaker(engine)
    options = ImportOptions.model_validate({"kind": kind, "agency": AGENCY})
    started = time.perf_counter()
    async with unit_of_work(sessionmaker) as session:
        run = await ImportService(session, CLI_PRINCIPAL).prepare_local(path, options)
    result = await run_import(sessionmaker, run.id)
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return {
        "seconds": elapsed,
        "rows": result.rows,
        "inserted": result.counts.inserted,
        "errors": result.errors,
        "phases": {k: round(v, 2) for k, v in result.timings.items()},
        "self_maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def run_measured(url: str, path: Path) -> dict[str, Any]:
    """The importer in a grandchild; the wrapper child reports its peak RSS."""
    wrapper = (
        "import json, resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stderr.write(done.stderr)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps({'child': done.stdout.strip().splitlines()[-1] if done.stdout.strip()"
        " else None, 'maxrss_kb': peak, 'code': done.returncode}))\n"
    )
    command = [sys.executable, "-c", wrapper, sys.executable, __file__, "child", url, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"importer run failed:\n{done.stderr[-3000:]}")
    outer = json.loads(done.stdout.strip().splitlines()[-1])
    if outer["code"] != 0 or outer["child"] is None:
        raise RuntimeError(f"importer failed:\n{done.stderr[-3000:]}")
    figures: dict[str, Any] = json.loads(outer["child"])
    figures["maxrss_mb"] = outer["maxrss_kb"] / 1024
    return figures


# --- main ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--big-rows", type=int, default=1_000_000, help="0 to skip")
    parser.add_argument("--xlsx-rows", type=int, default=100_000, help="0 to skip")
    parser.add_argument("--database-url", default=os.environ.get("ASN_CAREER_DATABASE_URL"))
    args = parser.parse_args()
    if not args.database_url:
        parser.error("set ASN_CAREER_DATABASE_URL or pass --database-url")
    url = fresh_database(args.database_url)
    unit_id = asyncio.run(setup(url))
    report: dict[str, Any] = {"rows": args.rows}
    with tempfile.TemporaryDirectory(prefix="asn-import-bench-") as tmp:
        directory = Path(tmp)
        native, raw = write_files(args.rows, directory, unit_id)

        asyncio.run(truncate(url))
        copy_seconds = asyncio.run(raw_copy(url, raw))
        asyncio.run(truncate(url))
        imported = run_measured(url, native)
        assert imported["inserted"] == args.rows, imported
        copy_rate = args.rows / copy_seconds
        import_rate = args.rows / imported["seconds"]
        report |= {
            "raw_copy_rows_per_s": round(copy_rate),
            "import_rows_per_s": round(import_rate),
            "ratio": round(import_rate / copy_rate, 3),
            "import_peak_rss_mb": round(imported["maxrss_mb"], 1),
        }
        print(
            f"{args.rows:>9,} rows  raw COPY {copy_rate:>9,.0f} rows/s ({copy_seconds:.1f} s)"
            f"  importer {import_rate:>9,.0f} rows/s ({imported['seconds']:.1f} s)"
            f"  ratio {import_rate / copy_rate:.2f} (goal ≥ 0.25)"
            f"  peak RSS {imported['maxrss_mb']:.0f} MB",
            flush=True,
        )
        print(f"          importer phases (s): {imported['phases']}", flush=True)
        report["import_phases_s"] = imported["phases"]
        if args.xlsx_rows:
            workbook = write_xlsx(args.xlsx_rows, directory)
            asyncio.run(truncate(url))
            xlsx = run_measured(url, workbook)
            rate = args.xlsx_rows / xlsx["seconds"]
            report |= {
                "xlsx_rows": args.xlsx_rows,
                "xlsx_import_rows_per_s": round(rate),
                "xlsx_ratio_to_raw_copy": round(rate / copy_rate, 3),
                "xlsx_peak_rss_mb": round(xlsx["maxrss_mb"], 1),
            }
            print(
                f"{args.xlsx_rows:>9,} rows  XLSX importer {rate:>9,.0f} rows/s "
                f"({xlsx['seconds']:.1f} s)  ratio to raw COPY {rate / copy_rate:.2f}"
                f"  peak RSS {xlsx['maxrss_mb']:.0f} MB",
                flush=True,
            )
        native.unlink()
        raw.unlink()
        if args.big_rows:
            big_native, big_raw = write_files(args.big_rows, directory, unit_id)
            asyncio.run(truncate(url))
            big_copy = asyncio.run(raw_copy(url, big_raw))
            asyncio.run(truncate(url))
            big = run_measured(url, big_native)
            assert big["inserted"] == args.big_rows, big
            big_copy_rate = args.big_rows / big_copy
            big_rate = args.big_rows / big["seconds"]
            report |= {
                "big_rows": args.big_rows,
                "big_raw_copy_rows_per_s": round(big_copy_rate),
                "big_import_rows_per_s": round(big_rate),
                "big_ratio": round(big_rate / big_copy_rate, 3),
                "big_import_peak_rss_mb": round(big["maxrss_mb"], 1),
            }
            print(
                f"{args.big_rows:>9,} rows  raw COPY {big_copy_rate:>9,.0f} rows/s "
                f"({big_copy:.1f} s)  importer {big_rate:>9,.0f} rows/s ({big['seconds']:.1f} s)"
                f"  ratio {big_rate / big_copy_rate:.2f}"
                f"  peak RSS {big['maxrss_mb']:.0f} MB (goal < 300)",
                flush=True,
            )
    print(json.dumps(report))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        figures = asyncio.run(child_import(sys.argv[2], Path(sys.argv[3]), "employees"))
        print(json.dumps(figures))
    else:
        main()
