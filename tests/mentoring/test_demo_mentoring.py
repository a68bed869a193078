"""The demo's mentoring, made through the services: a running programme per agency with a
published matching whose pairs keep the rules, answers both ways, and sessions."""

import asyncio
import uuid
from datetime import date

import asyncpg  # type: ignore[import-untyped]
import psycopg
from sqlalchemy.engine import make_url

from asn_career.core.db import libpq_url
from asn_career.demo import REGIONS, seed_demo


async def _check(url: str) -> None:
    db = await asyncpg.connect(libpq_url(url))
    try:
        programmes = await db.fetch(
            "SELECT p.agency_code, p.starts_on, p.ends_on, r.status, "
            "(SELECT count(*) FROM mentoring_matches m WHERE m.matching_id = r.id) AS matches "
            "FROM mentoring_programs p JOIN mentoring_matchings r ON r.program_id = p.id"
        )
        assert sorted(row["agency_code"] for row in programmes) == sorted(r.code for r in REGIONS)
        for row in programmes:
            assert row["status"] == "published" and row["matches"] > 0
            assert row["starts_on"] < date(2026, 6, 30) < row["ends_on"]  # running
        states = dict(await db.fetch("SELECT state, count(*) FROM mentoring_matches GROUP BY 1"))
        assert states["active"] > 0 and states.get("declined", 0) > 0
        assert await db.fetchval("SELECT count(*) FROM mentoring_sessions") > 0
        # The rules held: nobody with themself, never the supervisor, senior enough.
        broken = await db.fetchval(
            """
            SELECT count(*) FROM mentoring_matches m
            JOIN mentoring_mentors mo ON mo.id = m.mentor_id
            JOIN mentoring_mentees me ON me.id = m.mentee_id
            JOIN employees a ON a.id = mo.employee_id JOIN employees b ON b.id = me.employee_id
            JOIN ranks ra ON ra.code = a.rank_code JOIN ranks rb ON rb.code = b.rank_code
            JOIN positions pb ON pb.id = b.position_id
            WHERE a.id = b.id OR pb.reports_to_position_id = a.position_id
               OR ra.scale <> rb.scale OR ra.ordinal - rb.ordinal < 2
            """
        )
        assert broken == 0
    finally:
        await db.close()


def test_a_running_programme_per_agency(server_url: str, template_database: str) -> None:
    name = f"asn_demo_m_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        asyncio.run(seed_demo(None, url, employees_per_agency=60, seed=3,
                              as_of=date(2026, 6, 30)))  # fmt: skip
        asyncio.run(_check(url))
    finally:
        with psycopg.connect(libpq_url(server_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
