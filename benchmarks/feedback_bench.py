"""360° feedback benchmark: every report of a large cycle, with calibration and agreement,
against one plain SQL aggregation of the same scores, and the latency of one frozen report
over the HTTP API.

    .venv/bin/python benchmarks/feedback_bench.py [--subjects 10000] [--rounds 3]
        [--latency-requests 1000] [--database-url postgresql://…] [--keep]

It works in a scratch database ``asn_bench_feedback`` on the server of
``ASN_CAREER_DATABASE_URL`` (dropped and migrated at the start, dropped at the end unless
``--keep``). The cycle is generated with COPY: one agency, 50 units, ``--subjects``
employees who are all subjects, 8 responses per subject (self, the supervisor, and six of
the next colleagues as peers or direct reports, so that some direct-report groups are
merged and suppressed), 30 items (the seven BerAKHLAK values and M.1–M.8, two items each):
10,000 subjects give 2.4 million scores. Raters have a leniency (10 % lenient by about
+0.8, 10 % severe by about −0.8, the rest near 0), 2 % of responses are straight-lined.

Measured, in alternating rounds (medians reported):

(a) the baseline: one plain SQL aggregation of the same scores, ``GROUP BY subject,
    dimension, relationship`` with ``avg``, ``count`` and ``stddev``, fetched by the client;
(b) every report: the publish computation (``ReportRepository.load``, ``analyse``, every
    body built and serialised to JSON) without writing, then once with the writes
    (``ReportService.publish``: frozen reports, assessments, current levels, audit, events);
(c) ``GET /api/v1/feedback/cycles/{id}/reports/{nip}`` of frozen reports through the ASGI
    app (httpx), as HR and as each subject: p50 and p99.

Goals: (b) within 2× of (a); a report under 50 ms.
"""

import argparse
import asyncio
import datetime as dt
import io
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

AGENCY = "36.74"
DATABASE = "asn_bench_feedback"
UNITS = 50
RESPONSES = 8  # per subject: self, supervisor and six colleagues
DIMENSIONS = [("value", f"BA.{n}") for n in range(1, 8)] + [
    ("competency", f"M.{n}") for n in range(1, 9)
]
ITEMS_PER_DIMENSION = 2
BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
BINARY_TRAILER = b"\xff\xff"

PLAIN_AGGREGATION = """
    SELECT r.subject_employee_id, i.dimension_code, r.relationship,
           avg(a.score) AS mean, count(*) AS n, stddev(a.score) AS sd
    FROM feedback_answers a
    JOIN feedback_requests r ON r.id = a.request_id
    JOIN feedback_items i ON i.id = a.item_id
    WHERE r.cycle_id = $1 AND r.status = 'submitted' AND a.score IS NOT NULL
    GROUP BY r.subject_employee_id, i.dimension_code, r.relationship
"""


# --- database -----------------------------------------------------------------------------


def admin_url(server: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)


def database_url(server: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=DATABASE).render_as_string(hide_password=False)


def fresh_database(server: str) -> str:
    import psycopg

    from asn_career.core import migrate

    with psycopg.connect(admin_url(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    url = database_url(server)
    migrate.upgrade(url)
    return url


def drop_database(server: str) -> None:
    import psycopg

    with psycopg.connect(admin_url(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def libpq(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


# --- data -----------------------------------------------------------------------------------


def nip_of(i: int) -> str:
    """Distinct valid PNS NIPs: birth date, TMT CPNS month, gender, sequence."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=i // 999)
    return f"{birth:%Y%m%d}{birth.year + 24:04d}{i % 12 + 1:02d}{1 + i % 2}{i % 999 + 1:03d}"


def binary_copy(fields: list[tuple[str, str]], columns: dict[str, np.ndarray]) -> bytes:
    """A binary COPY payload of fixed-width, non-null columns (``fields``: name, numpy type
    in network byte order, e.g. ``>i4`` or ``V16`` for a uuid)."""
    rows = len(next(iter(columns.values())))
    layout = [("count", ">i2")]
    for name, kind in fields:
        layout += [(f"{name}_len", ">i4"), (name, kind)]
    array = np.zeros(rows, dtype=np.dtype(layout))
    array["count"] = len(fields)
    for name, kind in fields:
        array[f"{name}_len"] = np.dtype(kind).itemsize
        array[name] = columns[name]
    return BINARY_HEADER + array.tobytes() + BINARY_TRAILER


async def generate(url: str, subjects: int, seed: int = 1) -> dict[str, Any]:
    """The cycle, closed, loaded with COPY; returns its id and sizes."""
    import asyncpg  # type: ignore[import-untyped]

    rng = np.random.default_rng(seed)
    conn = await asyncpg.connect(libpq(url))
    started = time.perf_counter()
    try:
        async with conn.transaction():
            await conn.execute(
                "INSERT INTO agencies (code, name, region_code) VALUES ($1, $2, $1)",
                AGENCY,
                "Pemerintah Kota Tangerang Selatan",
            )
            competencies = dict(
                await conn.fetch("SELECT code, id FROM competencies WHERE agency_code IS NULL")
            )
            units = [uuid.uuid4() for _ in range(UNITS)]
            await conn.copy_records_to_table(
                "units",
                records=[
                    (u, AGENCY, f"U{n:03d}", f"Bidang {n + 1}", "bidang", [u])
                    for n, u in enumerate(units)
                ],
                columns=["id", "agency_code", "code", "name", "kind", "path"],
            )
            positions = [uuid.uuid4() for _ in range(UNITS)]
            await conn.copy_records_to_table(
                "positions",
                records=[
                    (p, AGENCY, units[n], f"P{n:03d}", "Analis", "pelaksana")
                    for n, p in enumerate(positions)
                ],
                columns=["id", "agency_code", "unit_id", "code", "title", "kind"],
            )
            await conn.copy_records_to_table(
                "position_competencies",
                records=[
                    (p, competencies[f"M.{k}"], 2 + (n + k) % 3)
                    for n, p in enumerate(positions)
                    for k in range(1, 9)
                ],
                columns=["position_id", "competency_id", "level"],
            )
            employees = [uuid.uuid4() for _ in range(subjects)]
            unit_of = [s * UNITS // subjects for s in range(subjects)]
            records = []
            for s, e in enumerate(employees):
                nip = nip_of(s)
                birth = dt.date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
                appointed = dt.date(int(nip[8:12]), int(nip[12:14]), 1)
                records.append(
                    (e, nip, f"Pegawai {s}", "M" if nip[14] == "1" else "F", birth, "pns",
                     appointed, "III/b", "active", AGENCY, units[unit_of[s]],
                     positions[unit_of[s]])
                )  # fmt: skip
            await conn.copy_records_to_table(
                "employees",
                records=records,
                columns=[
                    "id",
                    "nip",
                    "name",
                    "gender",
                    "birth_date",
                    "employment_type",
                    "appointment_date",
                    "rank_code",
                    "status",
                    "agency_code",
                    "unit_id",
                    "position_id",
                ],
            )
            questionnaire = uuid.uuid4()
            await conn.execute(
                "INSERT INTO feedback_questionnaires (id, agency_code, code, revision, title_id, "
                "title_en) VALUES ($1, $2, 'BENCH', 1, 'Kuesioner BerAKHLAK dan manajerial', "
                "'BerAKHLAK and managerial questionnaire')",
                questionnaire,
                AGENCY,
            )
            anchors = json.dumps({str(n): {"id": f"Skala {n}", "en": f"Scale {n}"}
                                  for n in range(1, 6)})  # fmt: skip
            ordinal = 0
            for kind, code in DIMENSIONS:
                for k in range(ITEMS_PER_DIMENSION):
                    ordinal += 1
                    await conn.execute(
                        "INSERT INTO feedback_items (questionnaire_id, ordinal, code, "
                        "dimension_kind, dimension_code, text_id, text_en, anchors) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)",
                        questionnaire, ordinal, f"{code}-{k + 1}", kind, code,
                        f"Pegawai ini menunjukkan perilaku {code} ({k + 1}).",
                        f"This employee shows behaviour {code} ({k + 1}).", anchors,
                    )  # fmt: skip
            item_ids = np.array(
                [
                    r["id"]
                    for r in await conn.fetch(
                        "SELECT id FROM feedback_items WHERE questionnaire_id = $1 "
                        "ORDER BY ordinal",
                        questionnaire,
                    )
                ]
            )
            now = dt.datetime.now(dt.UTC)
            cycle = uuid.uuid4()
            await conn.execute(
                "INSERT INTO feedback_cycles (id, agency_code, name, period_start, period_end, "
                "questionnaire_id, deadline, state, opened_at, closed_at) VALUES ($1, $2, "
                "'Umpan balik 360° 2026', '2026-01-01', '2026-06-30', $3, $4, 'closed', $4, $4)",
                cycle, AGENCY, questionnaire, now,
            )  # fmt: skip
            await conn.copy_records_to_table(
                "feedback_subjects",
                records=[
                    (cycle, e, units[unit_of[s]], positions[unit_of[s]])
                    for s, e in enumerate(employees)
                ],
                columns=["cycle_id", "employee_id", "unit_id", "position_id"],
            )

            # Requests: self, the group leader (every eighth employee leads the next seven;
            # a leader's supervisor is the next leader) and six colleagues: peers, then
            # direct reports (three, two or none of them: two are merged and suppressed).
            s = np.arange(subjects)
            leader = (s // 8) * 8
            leader = np.where(leader == s, (s + 8) % subjects, leader)
            raters = np.stack(
                [s, leader] + [(s + k) % subjects for k in range(1, RESPONSES - 1)], axis=1
            )
            peers = np.array([3, 4, 6])[s % 3]
            relationship = np.empty((subjects, RESPONSES), dtype=object)
            relationship[:, 0], relationship[:, 1] = "self", "supervisor"
            for k in range(2, RESPONSES):
                relationship[:, k] = np.where(k - 2 < peers, "peer", "subordinate")
            request_ids = [uuid.uuid4() for _ in range(subjects * RESPONSES)]
            flat_subject = np.repeat(s, RESPONSES)
            flat_rater = raters.ravel()
            flat_relation = relationship.ravel()
            await conn.copy_records_to_table(
                "feedback_requests",
                records=[
                    (request_ids[q], cycle, employees[flat_subject[q]],
                     employees[flat_rater[q]], flat_relation[q], "submitted", "generated",
                     "bench", "Dibuat untuk benchmark", now)
                    for q in range(len(request_ids))
                ],
                columns=["id", "cycle_id", "subject_employee_id", "rater_employee_id",
                         "relationship", "status", "origin", "reason_code", "reason",
                         "submitted_at"],
            )  # fmt: skip

            # Scores: the subject's level per dimension + the rater's leniency + noise.
            kind = rng.random(subjects)
            leniency = np.where(
                kind < 0.1, 0.8, np.where(kind < 0.2, -0.8, rng.normal(0, 0.15, subjects))
            )
            true = rng.normal(3.4, 0.5, (subjects, len(DIMENSIONS)))
            n_items = len(item_ids)
            item_dim = np.repeat(np.arange(len(DIMENSIONS)), ITEMS_PER_DIMENSION)
            q_subject = np.repeat(flat_subject, n_items)
            q_rater = np.repeat(flat_rater, n_items)
            is_self = np.repeat(flat_relation == "self", n_items)
            dims = np.tile(item_dim, len(request_ids))
            noise = rng.normal(0, 0.6, q_subject.size)
            value = true[q_subject, dims] + np.where(is_self, 0.4, leniency[q_rater]) + noise
            scores = np.clip(np.rint(value), 1, 5).astype(np.int16)
            lined = rng.random(len(request_ids)) < 0.02
            scores = np.where(np.repeat(lined, n_items), 4, scores).astype(np.int16)
            uuids = np.frombuffer(b"".join(r.bytes for r in request_ids), dtype="V16")
            payload = binary_copy(
                [("request_id", "V16"), ("item_id", ">i4"), ("score", ">i2")],
                {
                    "request_id": np.repeat(uuids, n_items),
                    "item_id": np.tile(item_ids, len(request_ids)).astype(">i4"),
                    "score": scores.astype(">i2"),
                },
            )
            await conn.copy_to_table(
                "feedback_answers",
                source=io.BytesIO(payload),
                columns=["request_id", "item_id", "score"],
                format="binary",
            )
            commented = [
                request_ids[q] for q in np.flatnonzero(rng.random(len(request_ids)) < 0.05)
            ]
            await conn.execute(
                "UPDATE feedback_answers SET comment = 'Sangat membantu rekan kerja.' "
                "WHERE request_id = ANY($1::uuid[]) AND item_id = $2",
                commented, int(item_ids[0]),
            )  # fmt: skip
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()
    return {
        "cycle_id": cycle,
        "subjects": subjects,
        "requests": len(request_ids),
        "scores": int(scores.size),
        "nips": [nip_of(i) for i in range(subjects)],
        "generate_s": round(time.perf_counter() - started, 1),
    }


# --- measurements -----------------------------------------------------------------------------


async def plain_aggregation(url: str, cycle_id: uuid.UUID) -> tuple[float, int]:
    import asyncpg

    conn = await asyncpg.connect(libpq(url))
    try:
        started = time.perf_counter()
        rows = await conn.fetch(PLAIN_AGGREGATION, cycle_id)
        return time.perf_counter() - started, len(rows)
    finally:
        await conn.close()


def principal() -> Any:
    from asn_career.core.auth import Principal, Role

    return Principal(subject="bench@36.74", role=Role.HR_OFFICER, agencies=frozenset({AGENCY}))


async def all_reports(url: str, cycle_id: uuid.UUID) -> dict[str, float]:
    """The publish computation without writing (``ReportService.build_reports``): load,
    analyse, every body built and serialised; timed in parts through the same calls."""
    from asn_career.config import Settings
    from asn_career.core.db import create_engine, create_sessionmaker, unit_of_work
    from asn_career.feedback.reports import service as reports

    settings = Settings(database_url=url, log_level="WARNING", db_statement_timeout_ms=0)
    engine = create_engine(settings, url)
    timings: dict[str, float] = {}
    load, analyse = reports.ReportRepository.load, reports.analyse

    async def timed_load(self: Any, cycle: Any) -> Any:
        started = time.perf_counter()
        data = await load(self, cycle)
        timings["load"] = time.perf_counter() - started
        return data

    def timed_analyse(data: Any) -> Any:
        started = time.perf_counter()
        result = analyse(data)
        timings["analyse"] = time.perf_counter() - started
        return result

    try:
        async with unit_of_work(create_sessionmaker(engine)) as session:
            service = reports.ReportService(session, principal())
            cycle = await service.visible_cycle(cycle_id)
            reports.ReportRepository.load = timed_load  # type: ignore[method-assign]
            reports.analyse = timed_analyse
            try:
                started = time.perf_counter()
                analysis, bodies = await service.build_reports(cycle, dt.datetime.now(dt.UTC))
                total = time.perf_counter() - started
            finally:
                reports.ReportRepository.load = load  # type: ignore[method-assign]
                reports.analyse = analyse
            await session.rollback()
        return {
            "total": total,
            "load": timings["load"],
            "analyse": timings["analyse"],
            "bodies": total - timings["load"] - timings["analyse"],
            "bytes": sum(len(b) for _, b in bodies) / len(bodies),
            "kappa": analysis.effects.shrinkage,
            "cg_iterations": analysis.effects.iterations,
        }
    finally:
        await engine.dispose()


async def publish(url: str, cycle_id: uuid.UUID) -> tuple[float, dict[str, Any]]:
    from asn_career.config import Settings
    from asn_career.core.db import create_engine, create_sessionmaker, unit_of_work
    from asn_career.feedback.reports.service import ReportService

    settings = Settings(database_url=url, log_level="WARNING", db_statement_timeout_ms=0)
    engine = create_engine(settings, url)
    try:
        started = time.perf_counter()
        async with unit_of_work(create_sessionmaker(engine)) as session:
            result = await ReportService(session, principal()).publish(cycle_id)
        return time.perf_counter() - started, result
    finally:
        await engine.dispose()


async def latency(url: str, cycle_id: uuid.UUID, nips: list[str], requests: int) -> dict[str, Any]:
    """Frozen reports over the HTTP API (ASGI, no network): HR, then each subject."""
    import httpx

    from asn_career.config import Settings
    from asn_career.core.auth import Role, mint_token
    from asn_career.main import create_app

    settings = Settings(database_url=url, log_level="WARNING", in_process_worker=False,
                        rate_limit_per_minute=0)  # fmt: skip
    app = create_app(settings)
    rng = np.random.default_rng(2)
    chosen = [nips[i] for i in rng.choice(len(nips), size=requests, replace=len(nips) < requests)]
    hr = {"Authorization": "Bearer " + mint_token(settings, subject="hr", role=Role.HR_OFFICER,
                                                   agencies=[AGENCY])}  # fmt: skip
    figures: dict[str, Any] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for who in ("hr", "subject"):
                timings = []
                for n, nip in enumerate([*chosen[:20], *chosen]):
                    headers = hr if who == "hr" else {
                        "Authorization": "Bearer " + mint_token(
                            settings, subject=nip, role=Role.EMPLOYEE, agencies=[AGENCY])
                    }  # fmt: skip
                    started = time.perf_counter()
                    response = await client.get(
                        f"/api/v1/feedback/cycles/{cycle_id}/reports/{nip}", headers=headers
                    )
                    elapsed = time.perf_counter() - started
                    assert response.status_code == 200, response.text
                    if n >= 20:  # the first twenty warm the pool and the caches
                        timings.append(elapsed * 1000)
                timings.sort()
                figures[who] = {
                    "p50_ms": round(timings[len(timings) // 2], 2),
                    "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2),
                    "bytes": len(response.content),
                }
    return figures


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-requests", type=int, default=1_000)
    parser.add_argument("--database-url", default=os.environ.get("ASN_CAREER_DATABASE_URL"))
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("set ASN_CAREER_DATABASE_URL or pass --database-url")
    url = fresh_database(args.database_url)
    try:
        run(url, args)
    finally:
        if not args.keep:
            drop_database(args.database_url)


def run(url: str, args: argparse.Namespace) -> None:
    data = asyncio.run(generate(url, args.subjects))
    cycle_id = data["cycle_id"]
    print(
        f"cycle: {data['subjects']:,} subjects, {data['requests']:,} responses, "
        f"{data['scores']:,} scores (generated with COPY in {data['generate_s']} s)",
        flush=True,
    )
    asyncio.run(plain_aggregation(url, cycle_id))  # warm the cache for both
    plain, reports = [], []
    parts: list[dict[str, float]] = []
    for _ in range(args.rounds):
        seconds, rows = asyncio.run(plain_aggregation(url, cycle_id))
        plain.append(seconds)
        part = asyncio.run(all_reports(url, cycle_id))
        reports.append(part["total"])
        parts.append(part)
        print(
            f"  round: plain aggregation {seconds:.2f} s ({rows:,} rows); every report "
            f"{part['total']:.2f} s (load {part['load']:.2f}, analyse {part['analyse']:.2f}, "
            f"bodies {part['bodies']:.2f}); κ {part['kappa']:.2f}, "
            f"CG iterations {part['cg_iterations']:.0f}",
            flush=True,
        )
    a, b = statistics.median(plain), statistics.median(reports)
    with_writes, result = asyncio.run(publish(url, cycle_id))
    print(
        f"(a) plain SQL aggregation      {a:6.2f} s (median of {args.rounds})\n"
        f"(b) every report, no writes    {b:6.2f} s  ratio {b / a:.2f} (goal ≤ 2)\n"
        f"    every report, with writes  {with_writes:6.2f} s  ratio {with_writes / a:.2f} "
        f"({result['reports']:,} reports, {result['assessments']:,} assessments)\n"
        f"    mean report size {statistics.median(p['bytes'] for p in parts) / 1024:.1f} KiB",
        flush=True,
    )
    served = asyncio.run(latency(url, cycle_id, data["nips"], args.latency_requests))
    for who, figures in served.items():
        print(
            f"(c) GET report as {who:<8} p50 {figures['p50_ms']:6.2f} ms  "
            f"p99 {figures['p99_ms']:6.2f} ms  (goal < 50 ms; {args.latency_requests} requests)",
            flush=True,
        )
    print(json.dumps({
        "subjects": data["subjects"], "scores": data["scores"],
        "plain_aggregation_s": round(a, 3), "reports_s": round(b, 3),
        "ratio": round(b / a, 3), "reports_with_writes_s": round(with_writes, 3),
        "ratio_with_writes": round(with_writes / a, 3),
        "phases_s": {k: round(statistics.median(p[k] for p in parts), 3)
                     for k in ("load", "analyse", "bodies")},
        "latency": served,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
