"""`make bench`: the app against a raw baseline, at 10 thousand and 1 million employees.

For each size it makes sure the database `asn_bench_<size>` exists on the server of
ASN_CAREER_DATABASE_URL (or the embedded Postgres), migrated and loaded with demo data
(reused when already loaded at that size), then starts

- the app: `asn-career serve --workers W --no-demo` (rate limit off, LOG_LEVEL=WARNING,
  no in-process job worker), and
- the baseline: `uvicorn benchmarks.baseline:app --workers W` (Starlette + asyncpg, same
  SQL, same JSON),

and drives both with wrk on loopback, alternating app and baseline runs, for
`GET /api/v1/employees/{nip}` (random NIPs of one agency, an HR officer's token) and a
filtered list page `GET /api/v1/employees?agency=…&status=active&limit=50`.

wrk: `apt-get install -y wrk` (Debian/Ubuntu). Options: `python -m benchmarks --help`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SIZES = {"10k": 10_000, "1m": 1_000_000}
AGENCY = "12.71"  # Kota Medan
APP_PORT, BASELINE_PORT = 8711, 8712


@dataclass
class Run:
    size: str
    endpoint: str
    target: str  # app | baseline
    round: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


# --- databases ----------------------------------------------------------------------------


def server_url() -> str:
    from asn_career.config import get_settings
    from asn_career.core.embedded import resolve_database_url

    settings = get_settings()
    if settings.database_url:
        return settings.database_url
    log("ASN_CAREER_DATABASE_URL not set: using the embedded Postgres")
    return resolve_database_url(settings)


def with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def libpq(url: str) -> str:
    from asn_career.core.db import libpq_url

    return libpq_url(url)


def ensure_database(server: str, size: str, employees: int) -> str:
    """`asn_bench_<size>`, migrated and loaded with `employees` demo employees."""
    import psycopg

    from asn_career.core import migrate
    from asn_career.demo import REGIONS, seed_demo

    name = f"asn_bench_{size}"
    url = with_database(server, name)
    with psycopg.connect(libpq(server), autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not found:
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
    migrate.upgrade(url)
    with psycopg.connect(libpq(url)) as conn:
        row = conn.execute("SELECT count(*) FROM agencies").fetchone()
        agencies = row[0] if row else 0
        if agencies:
            row = conn.execute("SELECT count(*) FROM employees").fetchone()
            have = row[0] if row else 0
            if have != employees:
                raise SystemExit(
                    f"{name} holds {have:,} employees, not {employees:,}: drop it "
                    f'(DROP DATABASE "{name}") and run again'
                )
            log(f"{name}: reusing {have:,} employees")
            return url
    per_agency = employees // len(REGIONS)
    log(f"{name}: loading {employees:,} demo employees (this takes a while at 1M)…")
    summary = asyncio.run(
        seed_demo(None, url, employees_per_agency=per_agency, seed=1, progress=log)
    )
    log(f"{name}: loaded in {summary.seconds:.0f} s")
    return url


def sample_nips(url: str, count: int = 2000) -> list[str]:
    import psycopg

    with psycopg.connect(libpq(url)) as conn:
        rows = conn.execute(
            "SELECT nip FROM employees TABLESAMPLE SYSTEM (5) REPEATABLE (42) "
            "WHERE agency_code = %s LIMIT %s",
            (AGENCY, count),
        ).fetchall()
        if len(rows) < count // 4:
            rows = conn.execute(
                "SELECT nip FROM employees WHERE agency_code = %s ORDER BY nip LIMIT %s",
                (AGENCY, count),
            ).fetchall()
    nips = [row[0] for row in rows]
    random.Random(42).shuffle(nips)
    return nips


def explain_list(url: str) -> str:
    """The plan of the list query at this size (no sequential scan on employees, we hope)."""
    import psycopg

    from benchmarks.baseline import list_sql

    sql = list_sql().replace("$1::VARCHAR[]", "ARRAY[%(agency)s]::VARCHAR[]")
    sql = sql.replace("$2::VARCHAR", "%(agency)s").replace("$3::VARCHAR", "%(status)s")
    sql = sql.replace("$4::INTEGER", "51")
    with psycopg.connect(libpq(url)) as conn:
        rows = conn.execute(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql,
            {"agency": AGENCY, "status": "active"},
        ).fetchall()
    return "\n".join(row[0] for row in rows)


# --- servers ------------------------------------------------------------------------------


def wait_ready(port: int, path: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # answering at all is ready enough (the baseline says 401 here)
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not become ready")


def start_app(
    url: str, workers: int, log_file: Path, variant: str | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ASN_CAREER_DATABASE_URL": url,
        "ASN_CAREER_RATE_LIMIT_PER_MINUTE": "0",
        "ASN_CAREER_LOG_LEVEL": "WARNING",
        "ASN_CAREER_IN_PROCESS_WORKER": "false",
    }
    if variant:
        command = [str(BIN / "uvicorn"), f"benchmarks.app_variants:{variant}", "--factory"]
        command += ["--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    else:
        command = [str(BIN / "asn-career"), "serve", "--workers", str(workers), "--no-demo"]
    command += ["--port", str(APP_PORT)]
    with log_file.open("ab") as out:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True
        )
    wait_ready(APP_PORT, "/healthz", process)
    return process


def start_baseline(url: str, workers: int, log_file: Path) -> subprocess.Popen[bytes]:
    from asn_career.config import get_settings

    settings = get_settings()
    env = {
        **os.environ,
        "BENCH_DATABASE_URL": libpq(url),
        "BENCH_JWT_SECRET": settings.jwt_secret.get_secret_value(),
        "BENCH_CURSOR_KEY": settings.cursor_key.hex(),
        "BENCH_POOL": str(settings.db_pool_size + settings.db_max_overflow),
    }
    command = [str(BIN / "uvicorn"), "benchmarks.baseline:app", "--workers", str(workers)]
    command += ["--port", str(BASELINE_PORT), "--log-level", "warning", "--no-access-log"]
    with log_file.open("ab") as out:
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True
        )
    wait_ready(BASELINE_PORT, "/api/v1/employees/000000000000000000", process)
    return process


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- load ---------------------------------------------------------------------------------


def token() -> str:
    from asn_career.config import get_settings
    from asn_career.core.auth import Role, mint_token

    return mint_token(
        get_settings(),
        subject="bench-hr@12.71",
        role=Role.HR_OFFICER,
        agencies=[AGENCY],
        ttl=timedelta(hours=12),
    )


def lua_random_nip(nips: list[str], bearer: str, directory: Path) -> Path:
    script = directory / "random_nip.lua"
    listed = ",".join(f'"{nip}"' for nip in nips)
    script.write_text(
        f"local nips = {{{listed}}}\n"
        "local n = #nips\n"
        "local i = 0\n"
        'local headers = {["Authorization"] = "Bearer ' + bearer + '"}\n'
        "request = function()\n"
        "  i = i % n + 1\n"
        '  return wrk.format("GET", "/api/v1/employees/" .. nips[i], headers)\n'
        "end\n"
    )
    return script


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(
    port: int, path: str, args: argparse.Namespace, *, script: Path | None, bearer: str
) -> tuple[float, float, float, int]:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"]
    command += ["--latency", "--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    else:
        command += ["-H", f"Authorization: Bearer {bearer}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return rps, p50, p99, errors


def check_same_answers(nips: list[str], bearer: str, list_path: str) -> None:
    """The two servers must answer the same JSON (bar key order), or the race is unfair."""
    for path in (f"/api/v1/employees/{nips[0]}", list_path):
        bodies = []
        for port in (APP_PORT, BASELINE_PORT):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {bearer}"}
            )
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                bodies.append(json.loads(response.read()))
        if bodies[0] != bodies[1]:
            raise SystemExit(f"app and baseline disagree on {path}:\n{bodies[0]}\n{bodies[1]}")


def bench_size(size: str, server: str, args: argparse.Namespace, runs: list[Run]) -> str:
    url = ensure_database(server, size, SIZES[size])
    nips = sample_nips(url)
    plan = explain_list(url)
    bearer = token()
    list_path = f"/api/v1/employees?agency={AGENCY}&status=active&limit=50"
    app = baseline = None
    with tempfile.TemporaryDirectory(prefix="asn-bench-") as tmp:
        directory = Path(tmp)
        script = lua_random_nip(nips, bearer, directory)
        server_log = ROOT / "benchmarks" / "results" / f"servers-{size}.log"
        server_log.parent.mkdir(exist_ok=True)
        try:
            app = start_app(url, args.workers, server_log, args.app_variant)
            baseline = start_baseline(url, args.workers, server_log)
            check_same_answers(nips, bearer, list_path)
            endpoints = {"get": (None, script), "list": (list_path, None)}
            ports = {"app": APP_PORT, "baseline": BASELINE_PORT}
            for endpoint, (path, lua) in endpoints.items():
                for port in ports.values():  # warm-up: connection pools, caches
                    warm = argparse.Namespace(**{**vars(args), "duration": args.warmup})
                    wrk(port, path or "/", warm, script=lua, bearer=bearer)
                for round_ in range(1, args.rounds + 1):
                    order = list(ports.items())
                    if round_ % 2 == 0:
                        order.reverse()  # alternate who goes first
                    for target, port in order:
                        rps, p50, p99, errors = wrk(
                            port, path or "/", args, script=lua, bearer=bearer
                        )
                        run = Run(size, endpoint, target, round_, rps, p50, p99, errors)
                        runs.append(run)
                        log(
                            f"{size} {endpoint:4} {target:8} round {round_}: {rps:8.0f} req/s "
                            f"p50 {p50:6.2f} ms p99 {p99:7.2f} ms errors {errors}"
                        )
        finally:
            stop(app)
            stop(baseline)
    return plan


def summarise(runs: list[Run]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for run in runs:
        key = f"{run.size}/{run.endpoint}/{run.target}"
        rows.setdefault(key, []).append(run)
    table: dict[str, Any] = {}
    for key, group in rows.items():
        table[key] = {
            "requests_per_second": statistics.median(r.requests_per_second for r in group),
            "p50_ms": statistics.median(r.p50_ms for r in group),
            "p99_ms": statistics.median(r.p99_ms for r in group),
            "errors": sum(r.errors for r in group),
            "runs": len(group),
        }
    return table


def print_table(table: dict[str, Any]) -> None:
    print(
        f"{'size':5} {'endpoint':8} {'target':9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6}  app/baseline"
    )
    for key, row in table.items():
        size, endpoint, target = key.split("/")
        ratio = ""
        if target == "app":
            base = table.get(f"{size}/{endpoint}/baseline")
            if base:
                ratio = f"{row['requests_per_second'] / base['requests_per_second']:.2f}"
        print(
            f"{size:5} {endpoint:8} {target:9} {row['requests_per_second']:9.0f} "
            f"{row['p50_ms']:8.2f} {row['p99_ms']:8.2f} {row['errors']:6d}  {ratio}"
        )
    small, large = table.get("10k/list/app"), table.get("1m/list/app")
    if small and large:
        print(
            f"list latency 1M / 10k (app): p50 {large['p50_ms'] / small['p50_ms']:.2f}x, "
            f"p99 {large['p99_ms'] / small['p99_ms']:.2f}x (goal ≤ 3x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="10k,1m", help="comma-separated: 10k, 1m")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--duration", type=int, default=15, help="seconds per run")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per server")
    parser.add_argument("--rounds", type=int, default=3, help="alternating runs per target")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--app-variant",
        default=None,
        help="serve benchmarks.app_variants:<name> instead of the app (e.g. no_gc_freeze)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    unknown = [size for size in sizes if size not in SIZES]
    if unknown:
        raise SystemExit(f"unknown sizes {unknown}; choose from {list(SIZES)}")
    server = server_url()
    runs: list[Run] = []
    plans = {}
    for size in sizes:
        plans[size] = bench_size(size, server, args, runs)
    table = summarise(runs)
    print_table(table)
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = results / f"bench-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "args": vars(args),
                "cpus": os.cpu_count(),
                "summary": table,
                "runs": [asdict(run) for run in runs],
                "list_plans": plans,
            },
            indent=2,
        )
    )
    log(f"results written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
