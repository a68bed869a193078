"""One large agency with five years of history, loaded with COPY: the data the talent and
career-evaluation benchmarks share.

    from benchmarks.talent_data import fresh_database, generate
    url = fresh_database(server, "asn_bench_talent")
    data = await generate(url, employees=25_000, years=5, seed=1)

``generate`` fills, for agency ``36.74``: 40 units under a secretariat; per unit an
administrator post, four pengawas posts, shared fungsional and pelaksana posts (each with
its managerial and socio-cultural standard, rising with the kind); ``employees`` people
holding them (a unit's posts filled from its own staff); per person a current and an
earlier assignment, one or two education rows, an annual SKP for each of the ``years``
years (predicate and a score in its band), assessment-centre results for most of them in
two of the years (plus supervisor and self assessments as noise the 9-box must ignore)
and the current levels the profiles keep from them,
about three trainings a year of every kind the index tells apart (leadership, functional,
technical, seminar, e-learning), and rare sanctions. Everything follows from ``seed``.

Reusable: the career-evaluation benchmark adds its own tables (surveys, 360° cycles,
mentoring) on top of the ``TalentData`` it returns (ids of units, positions and employees,
the years).
"""

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from typing import Any

AGENCY = "36.74"
UNITS = 40
PENGAWAS_PER_UNIT = 4
SHARED_POSTS_PER_UNIT = 6  # fungsional and pelaksana, each shared
PREDICATES = (  # (predicate, results, behaviour, weight, score band)
    ("sangat_baik", "above", "above", 12, (91, 100)),
    ("baik", "as_expected", "as_expected", 70, (76, 90)),
    ("butuh_perbaikan", "below", "as_expected", 10, (61, 75)),
    ("kurang", "as_expected", "below", 6, (51, 60)),
    ("sangat_kurang", "below", "below", 2, (30, 50)),
)
REQUIRED_BY_KIND = {
    "jpt_pratama": 4, "administrator": 3, "pengawas": 2, "fungsional": 2, "pelaksana": 1,
}  # fmt: skip
LEADERSHIP = {
    "administrator": "Pelatihan Kepemimpinan Administrator",
    "pengawas": "Pelatihan Kepemimpinan Pengawas",
    "jpt_pratama": "Pelatihan Kepemimpinan Nasional Tingkat II",
}
TRAININGS = (  # title, form, JP range
    ("Pelatihan Pengadaan Barang/Jasa", "training", (16, 40)),
    ("Bimbingan Teknis Arsitektur SPBE", "technical_guidance", (8, 24)),
    ("Pelatihan Pelayanan Publik Prima", "training", (12, 32)),
    ("Seminar Nasional Reformasi Birokrasi", "seminar", (2, 8)),
    ("Workshop Penyusunan SKP", "workshop", (4, 16)),
    ("E-Learning Core Values ASN BerAKHLAK", "e_learning", (2, 10)),
    ("Coaching Kinerja", "coaching", (2, 6)),
    ("Diklat Fungsional Analis Kebijakan", "training", (40, 80)),
)
EDUCATION = (("SMA", 8), ("D3", 10), ("D4", 6), ("S1", 50), ("S2", 22), ("S3", 4))


@dataclass
class TalentData:
    agency: str
    years: list[int]
    unit_ids: list[uuid.UUID]
    position_ids: list[uuid.UUID]
    employee_ids: list[uuid.UUID]
    rows: dict[str, int] = field(default_factory=dict)


def fresh_database(server: str, name: str) -> str:
    """Drop and create ``name`` on ``server``, migrate it, return its URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    from asn_career.core import migrate

    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    return url


def drop_database(server: str, name: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def nip_of(i: int, birth: dt.date, appointed: dt.date, gender: int) -> str:
    return f"{birth:%Y%m%d}{appointed:%Y%m}{gender}{i % 999 + 1:03d}"


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _weighted(rng: random.Random, options: Any) -> Any:
    return rng.choices(options, weights=[o[-2] if len(o) > 2 else o[1] for o in options])[0]


async def generate(
    url: str, *, employees: int = 25_000, years: int = 5, seed: int = 1, last_year: int = 2025
) -> TalentData:
    """Load the agency; returns what was made."""
    import asyncpg  # type: ignore[import-untyped]

    rng = random.Random(seed)
    span = list(range(last_year - years + 1, last_year + 1))
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        competencies = dict(
            await conn.fetch(
                "SELECT code, id FROM competencies WHERE agency_code IS NULL "
                "AND kind IN ('managerial', 'socio_cultural') ORDER BY code"
            )
        )
        await conn.execute(
            "INSERT INTO agencies (code, name, region_code) VALUES ($1, $2, $1) "
            "ON CONFLICT DO NOTHING",
            AGENCY, "Pemerintah Kota Tangerang Selatan (benchmark)",
        )  # fmt: skip
        root = _uuid(rng)
        units = [(root, AGENCY, "SETDA", "Sekretariat Daerah", "sekretariat", None, [root])]
        for u in range(UNITS):
            uid = _uuid(rng)
            units.append((uid, AGENCY, f"U{u:03d}", f"Bidang {u + 1}", "bidang", root, [root, uid]))
        positions: list[tuple[Any, ...]] = []
        requirements: list[tuple[Any, ...]] = []
        head = _uuid(rng)
        positions.append((head, AGENCY, root, "SEKDA", "Sekretaris Daerah", "jpt_pratama", None,
                          None, False))  # fmt: skip
        posts_by_unit: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {}
        for k, (uid, *_rest) in enumerate(units[1:]):
            admin = _uuid(rng)
            posts = [(admin, "administrator")]
            positions.append((admin, AGENCY, uid, f"U{k:03d}-KABID", f"Kepala Bidang {k + 1}",
                              "administrator", None, head, False))  # fmt: skip
            for p in range(PENGAWAS_PER_UNIT):
                pid = _uuid(rng)
                posts.append((pid, "pengawas"))
                positions.append((pid, AGENCY, uid, f"U{k:03d}-KASI{p}", f"Kepala Seksi {p + 1}",
                                  "pengawas", None, admin, False))  # fmt: skip
            for p in range(SHARED_POSTS_PER_UNIT):
                pid = _uuid(rng)
                fungsional = p % 2 == 0
                kind = "fungsional" if fungsional else "pelaksana"
                boss = admin if fungsional else posts[1 + p % PENGAWAS_PER_UNIT][0]
                posts.append((pid, kind))
                title = f"{'Analis' if fungsional else 'Pengadministrasi'} {p + 1}"
                level = "ahli_muda" if fungsional else None
                code = f"U{k:03d}-{kind[:4].upper()}{p}"
                positions.append((pid, AGENCY, uid, code, title, kind, level, boss, True))
            posts_by_unit[uid] = posts
        for pid, *_a, kind, _lvl, _boss, _shared in positions:
            base = REQUIRED_BY_KIND[kind]
            for n, cid in enumerate(competencies.values()):
                requirements.append((pid, cid, max(1, min(5, base + (n % 3 == 0)))))
        people: list[tuple[Any, ...]] = []
        assignments, education, skp, assessments, trainings, sanctions = [], [], [], [], [], []
        employee_ids: list[uuid.UUID] = []
        held_single: set[uuid.UUID] = set()
        unit_ids = [u[0] for u in units[1:]]
        for i in range(employees):
            eid = _uuid(rng)
            employee_ids.append(eid)
            uid = unit_ids[i % UNITS]
            posts = posts_by_unit[uid]
            single = [p for p in posts if p[1] in ("administrator", "pengawas")
                      and p[0] not in held_single]  # fmt: skip
            if i == 0:
                pid, kind, uid = head, "jpt_pratama", root
            elif single and rng.random() < 0.5:
                pid, kind = single[0]
                held_single.add(pid)
            else:
                pid, kind = rng.choice([p for p in posts if p[1] in ("fungsional", "pelaksana")])
            # distinct NIPs: a block of 400 birth days per 999 sequence numbers
            birth = dt.date(1966, 1, 1) + dt.timedelta(days=(i // 999) * 400 + rng.randrange(400))
            appointed = dt.date(birth.year + rng.randint(20, 32), rng.randint(1, 12), 1)
            gender = rng.randint(1, 2)
            rank = rng.choice(("III/a", "III/b", "III/c", "III/d", "IV/a"))
            people.append((eid, nip_of(i, birth, appointed, gender), f"Pegawai {i}",
                           "M" if gender == 1 else "F", birth, "pns", appointed, rank, "active",
                           AGENCY, uid, pid))  # fmt: skip
            start = dt.date(rng.randint(span[0] - 2, last_year), rng.randint(1, 12), 1)
            earlier = dt.date(start.year - 3, start.month, 1)
            assignments.append((_uuid(rng), eid, pid, start, None, True))
            other = rng.choice([p for p in posts if p[1] == "pelaksana"])[0]
            assignments.append(
                (_uuid(rng), eid, other, earlier, start - dt.timedelta(days=1), True)
            )
            for _ in range(1 if rng.random() < 0.6 else 2):
                level = _weighted(rng, EDUCATION)[0]
                education.append((_uuid(rng), eid, level, birth.year + rng.randint(18, 35)))
            ability = rng.gauss(0.0, 0.8)
            for year in span:
                predicate, results, behaviour, _w, band = _weighted(rng, PREDICATES)
                score = round(rng.uniform(*band), 2)
                skp.append((_uuid(rng), eid, year, "annual", results, behaviour, predicate, score))
            assessed = rng.sample(span, 2) if rng.random() < 0.75 else []
            for year in assessed:
                for n, cid in enumerate(competencies.values()):
                    needed = REQUIRED_BY_KIND[kind] + 1
                    lvl = max(1, min(5, round(needed - 0.6 + ability + rng.gauss(0.0, 0.5))))
                    on = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                    assessments.append((_uuid(rng), eid, cid, lvl, "assessment_center", on))
                    if n < 3:
                        assessments.append((_uuid(rng), eid, cid, min(5, lvl + 1), "self", on))
            if kind in LEADERSHIP and rng.random() < 0.7:
                on = dt.date(rng.randint(span[0] - 3, last_year), rng.randint(1, 12), 1)
                trainings.append((_uuid(rng), eid, LEADERSHIP[kind], 300, on, "training"))
            for year in span:
                for _ in range(rng.randint(1, 5)):
                    title, form, (low, high) = rng.choice(TRAININGS)
                    on = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                    trainings.append((_uuid(rng), eid, title, rng.randint(low, high), on, form))
                if rng.random() < 0.02:
                    severity = rng.choice(("light", "light", "medium", "severe"))
                    on = dt.date(year, rng.randint(1, 12), 1)
                    sanctions.append((_uuid(rng), eid, severity, "Hukuman disiplin", on))
        async with conn.transaction():
            await conn.copy_records_to_table(
                "units",
                records=units,
                columns=["id", "agency_code", "code", "name", "kind", "parent_id", "path"],
            )
            await conn.copy_records_to_table(
                "positions",
                records=positions,
                columns=[
                    "id",
                    "agency_code",
                    "unit_id",
                    "code",
                    "title",
                    "kind",
                    "functional_level",
                    "reports_to_position_id",
                    "is_shared",
                ],
            )
            await conn.copy_records_to_table(
                "position_competencies",
                records=requirements,
                columns=["position_id", "competency_id", "level"],
            )
            await conn.copy_records_to_table(
                "employees",
                records=people,
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
            await conn.copy_records_to_table(
                "assignments",
                records=assignments,
                columns=[
                    "id",
                    "employee_id",
                    "position_id",
                    "start_date",
                    "end_date",
                    "is_primary",
                ],
            )
            await conn.copy_records_to_table(
                "employee_education",
                records=education,
                columns=["id", "employee_id", "level_code", "graduation_year"],
            )
            await conn.copy_records_to_table(
                "performance_ratings",
                records=skp,
                columns=[
                    "id",
                    "employee_id",
                    "year",
                    "period",
                    "results",
                    "behaviour",
                    "predicate",
                    "score",
                ],
            )
            await conn.copy_records_to_table(
                "competency_assessments",
                records=assessments,
                columns=["id", "employee_id", "competency_id", "level", "source", "assessed_on"],
            )
            await conn.copy_records_to_table(
                "trainings",
                records=trainings,
                columns=["id", "employee_id", "title", "hours_jp", "start_date", "form"],
            )
            await conn.copy_records_to_table(
                "sanctions", records=sanctions,
                columns=["id", "employee_id", "severity", "kind", "start_date"],
            )  # fmt: skip
    finally:
        await conn.close()
    await _current_levels(url, [(a[1], a[2]) for a in assessments])
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for table in ("units", "positions", "position_competencies", "employees", "assignments",
                      "employee_education", "performance_ratings", "competency_assessments",
                      "employee_competency_levels", "trainings", "sanctions"):  # fmt: skip
            await conn.execute(f"ANALYZE {table}")
    finally:
        await conn.close()
    return TalentData(
        agency=AGENCY, years=span, unit_ids=unit_ids,
        position_ids=[p[0] for p in positions], employee_ids=employee_ids,
        rows={
            "employees": len(people), "assignments": len(assignments),
            "employee_education": len(education), "performance_ratings": len(skp),
            "competency_assessments": len(assessments), "trainings": len(trainings),
            "sanctions": len(sanctions), "positions": len(positions),
        },
    )  # fmt: skip


async def _current_levels(url: str, pairs: list[tuple[uuid.UUID, int]]) -> None:
    """``employee_competency_levels`` as the app keeps it after every assessment change:
    by the profiles' own statement (``HistoryRepository.refresh_current_levels``), so the
    needs, the gap and the placement fit read what they would read in production."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

    from asn_career.profiles.histories.repository import HistoryRepository

    engine = create_async_engine(make_url(url).set(drivername="postgresql+asyncpg"))
    try:
        async with AsyncSession(engine) as session:
            await HistoryRepository(session).refresh_current_levels(sorted(set(pairs)))
            await session.commit()
    finally:
        await engine.dispose()
